/* The gpio device type: one pin, declared in unikernel.yml
 * (led: { type: gpio, pin: 25, output: true }). Reads and writes act at
 * once; edge callbacks run from the event loop, not the interrupt, and
 * keep the loop alive while registered. Targets: rp2040. */
#ifndef MIRLEFT_GPIO_H
#define MIRLEFT_GPIO_H

#include <stdbool.h>
#include <stdint.h>

#define ML_GPIO_RISING 1u  /* low to high */
#define ML_GPIO_FALLING 2u /* high to low */

struct ml_gpio;
/* edges: the ML_GPIO_* edges seen since the last call (both when the pin
 * moved twice in between). */
typedef void (*ml_gpio_edge_fn)(struct ml_gpio *g, unsigned edges, void *arg);

struct ml_gpio {
    const char *name;
    unsigned pin;
    int handle;               /* loop handle for edges, -1 before the first */
    unsigned watched, seen;   /* edges asked for; edges the IRQ saw */
    ml_gpio_edge_fn cb;
    void *arg;
};

struct ml_gpio_config {
    const char *name;
    int64_t pin;
    bool output;
    const char *pull;         /* "none", "up" or "down" */
    bool initial;
};

/* Claims the pin for software I/O with the configured direction, pull and
 * level. Returns 0, or -1 (after saying why) for a pin that does not
 * exist, a pull that is not none/up/down, or a pin taken by another. */
int ml_gpio_init(struct ml_gpio *g, const struct ml_gpio_config *cfg);

bool ml_gpio_read(const struct ml_gpio *g);       /* the pin's level */
void ml_gpio_write(struct ml_gpio *g, bool high);
void ml_gpio_toggle(struct ml_gpio *g);
void ml_gpio_set_output(struct ml_gpio *g, bool output);
/* pull: "none", "up" or "down"; -1 for anything else. */
int ml_gpio_set_pull(struct ml_gpio *g, const char *pull);
/* Calls cb from the event loop after each of the given edges; edges 0
 * (or cb NULL) stops. Returns 0, or -1 when out of loop handles. */
int ml_gpio_on_edge(struct ml_gpio *g, unsigned edges, ml_gpio_edge_fn cb,
                    void *arg);

#endif

/*
 * gpio on the RP2040: the pin is handed to SIO (FUNCSEL 5) and driven
 * through the SIO set/clear/xor registers; its pad sets the pull and
 * enables the input. Edges latch in IO_BANK0's raw interrupt registers
 * (4 bits a pin: level low, level high, edge low, edge high) and raise
 * IO_IRQ_BANK0 (IRQ 13); the handler moves them to the pin's device and
 * marks its loop handle, and the loop calls the callback.
 */
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "mirleft/gpio.h"
#include "mirleft/loop.h"
#include "../bindings/rp2040.h"
#include "../bindings/rp2040_irq.h"

#define NPINS 30
#define FUNCSEL_SIO 5u
#define IO_INTR(n) (IO_BANK0_BASE + 0x0F0u + 4u * (n))
#define IO_PROC0_INTE(n) (IO_BANK0_BASE + 0x100u + 4u * (n))
#define IO_PROC0_INTS(n) (IO_BANK0_BASE + 0x120u + 4u * (n))
#define PAD(pin) (PADS_BANK0_BASE + 4u + 4u * (pin))
#define PAD_IE (1u << 6)
#define PAD_PUE (1u << 3)
#define PAD_PDE (1u << 2)
#define PAD_OD (1u << 7)
#define SIO_GPIO_IN (SIO_BASE + 0x004u)
#define SIO_OUT_SET (SIO_BASE + 0x014u)
#define SIO_OUT_CLR (SIO_BASE + 0x018u)
#define SIO_OUT_XOR (SIO_BASE + 0x01Cu)
#define SIO_OE_SET (SIO_BASE + 0x024u)
#define SIO_OE_CLR (SIO_BASE + 0x028u)
#define IRQ_IO_BANK0 13
#define EDGE_LOW 4u   /* bit 2 of a pin's nibble */
#define EDGE_HIGH 8u  /* bit 3 */

/* The console's pins (UART0 on GPIO0/1) are the bindings'. */
static struct ml_gpio *owner[NPINS];

static int pull_bits(const char *pull, uint32_t *bits)
{
    if (!pull || !strcmp(pull, "none"))
        *bits = 0;
    else if (!strcmp(pull, "up"))
        *bits = PAD_PUE;
    else if (!strcmp(pull, "down"))
        *bits = PAD_PDE;
    else
        return -1;
    return 0;
}

int ml_gpio_init(struct ml_gpio *g, const struct ml_gpio_config *cfg)
{
    uint32_t pull;
    memset(g, 0, sizeof *g);
    g->name = cfg->name;
    g->handle = -1;
    if (cfg->pin < 2 || cfg->pin >= NPINS) {
        printf("gpio %s: pin %lld %s\n", cfg->name, (long long)cfg->pin,
               cfg->pin == 0 || cfg->pin == 1 ? "is the console's (UART0)"
                                              : "does not exist (GPIO0-29)");
        return -1;
    }
    if (pull_bits(cfg->pull, &pull) < 0) {
        printf("gpio %s: pull '%s': expected none, up or down\n", cfg->name,
               cfg->pull);
        return -1;
    }
    g->pin = (unsigned)cfg->pin;
    if (owner[g->pin]) {
        printf("gpio %s: pin %u is already gpio %s\n", cfg->name, g->pin,
               owner[g->pin]->name);
        return -1;
    }
    owner[g->pin] = g;
    REG(PAD(g->pin)) = PAD_IE | pull | (REG(PAD(g->pin)) & 0x33u); /* keep drive, slew, schmitt */
    REG(cfg->initial ? SIO_OUT_SET : SIO_OUT_CLR) = 1u << g->pin;
    REG(cfg->output ? SIO_OE_SET : SIO_OE_CLR) = 1u << g->pin;
    REG(IO_BANK0_BASE + 8u * g->pin + 4u) = FUNCSEL_SIO;
    return 0;
}

bool ml_gpio_read(const struct ml_gpio *g)
{
    return (REG(SIO_GPIO_IN) >> g->pin) & 1u;
}

void ml_gpio_write(struct ml_gpio *g, bool high)
{
    REG(high ? SIO_OUT_SET : SIO_OUT_CLR) = 1u << g->pin;
}

void ml_gpio_toggle(struct ml_gpio *g)
{
    REG(SIO_OUT_XOR) = 1u << g->pin;
}

void ml_gpio_set_output(struct ml_gpio *g, bool output)
{
    REG(output ? SIO_OE_SET : SIO_OE_CLR) = 1u << g->pin;
}

int ml_gpio_set_pull(struct ml_gpio *g, const char *pull)
{
    uint32_t bits;
    if (pull_bits(pull, &bits) < 0)
        return -1;
    REG(PAD(g->pin)) = (REG(PAD(g->pin)) & ~(PAD_PUE | PAD_PDE)) | bits;
    return 0;
}

/* IO_IRQ_BANK0: latch each owned pin's edges, clear them, wake the loop. */
static void bank0_irq(void)
{
    for (unsigned reg = 0; reg < 4; reg++) {
        uint32_t s = REG(IO_PROC0_INTS(reg));
        if (!s)
            continue;
        REG(IO_INTR(reg)) = s & 0xCCCCCCCCu;   /* edges are write-1-to-clear */
        for (unsigned i = 0; i < 8; i++) {
            uint32_t nib = (s >> (4 * i)) & 0xFu;
            struct ml_gpio *g = reg * 8 + i < NPINS ? owner[reg * 8 + i] : NULL;
            if (!nib || !g || g->handle < 0)
                continue;
            g->seen |= (nib & EDGE_HIGH ? ML_GPIO_RISING : 0) |
                       (nib & EDGE_LOW ? ML_GPIO_FALLING : 0);
            ml_rp2040_event_raise((ml_handle_t)g->handle);
        }
    }
}

static void edge_ready(ml_handle_t h, void *arg)
{
    struct ml_gpio *g = arg;
    (void)h;
    __asm__ volatile("cpsid i" ::: "memory");
    unsigned edges = g->seen & g->watched;
    g->seen = 0;
    __asm__ volatile("cpsie i" ::: "memory");
    if (edges && g->cb)
        g->cb(g, edges, g->arg);
}

int ml_gpio_on_edge(struct ml_gpio *g, unsigned edges, ml_gpio_edge_fn cb,
                    void *arg)
{
    static bool irq_on;
    unsigned reg = g->pin / 8, shift = 4 * (g->pin % 8);
    edges &= ML_GPIO_RISING | ML_GPIO_FALLING;
    if (!cb)
        edges = 0;
    if (edges && g->handle < 0 && (g->handle = ml_rp2040_handle_alloc()) < 0)
        return -1;
    uint32_t bits = (edges & ML_GPIO_RISING ? EDGE_HIGH : 0) |
                    (edges & ML_GPIO_FALLING ? EDGE_LOW : 0);
    REG_CLR(IO_PROC0_INTE(reg)) = 0xFu << shift;
    REG(IO_INTR(reg)) = 0xCu << shift;            /* forget older edges */
    g->watched = edges;
    g->cb = cb;
    g->arg = arg;
    g->seen = 0;
    if (!edges) {
        if (g->handle >= 0)
            ml_loop_unwatch((ml_handle_t)g->handle);
        return 0;
    }
    ml_loop_watch((ml_handle_t)g->handle, edge_ready, g);
    REG_SET(IO_PROC0_INTE(reg)) = bits << shift;
    if (!irq_on) {
        ml_rp2040_irq_set(IRQ_IO_BANK0, bank0_irq);
        irq_on = true;
    }
    return 0;
}

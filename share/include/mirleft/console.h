/* The console device: text to the host's console. Writes go through the
 * same line buffer as stdout, so console output and printf stay in order. */
#ifndef MIRLEFT_CONSOLE_H
#define MIRLEFT_CONSOLE_H

#include <stddef.h>

struct ml_console {
    const char *name;
};
struct ml_console_config {
    const char *name;
};

int ml_console_init(struct ml_console *dev,
                    const struct ml_console_config *cfg);
void ml_console_write(struct ml_console *dev, const char *buf, size_t len);
int ml_console_printf(struct ml_console *dev, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Pushes buffered output to the host now. */
void ml_console_flush(struct ml_console *dev);

#endif

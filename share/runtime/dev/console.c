/* The console device: stdout by another name, so its output and printf's
 * share one line buffer and one order. */
#include <stdarg.h>
#include <stdio.h>
#include <mirleft/console.h>

int ml_console_init(struct ml_console *dev,
                    const struct ml_console_config *cfg)
{
    dev->name = cfg && cfg->name ? cfg->name : "console";
    return 0;
}

void ml_console_write(struct ml_console *dev, const char *buf, size_t len)
{
    (void)dev;
    fwrite(buf, 1, len, stdout);
}

int ml_console_printf(struct ml_console *dev, const char *fmt, ...)
{
    va_list ap;
    int n;

    (void)dev;
    va_start(ap, fmt);
    n = vfprintf(stdout, fmt, ap);
    va_end(ap);
    return n;
}

void ml_console_flush(struct ml_console *dev)
{
    (void)dev;
    fflush(stdout);
}

/* The string-building printfs: they never touch the console. */
#include <stdio.h>
#include <stdint.h>
#include "libc.h"

int vsnprintf(char *restrict buf, size_t n, const char *restrict fmt,
              va_list ap)
{
    struct ml_fmt_out o = { NULL, buf, n, 0 };
    int r = ml_vformat(&o, fmt, ap);

    if (n)
        buf[o.len < n ? o.len : n - 1] = 0;
    return r;
}

int snprintf(char *restrict buf, size_t n, const char *restrict fmt, ...)
{
    va_list ap;
    int r;

    va_start(ap, fmt);
    r = vsnprintf(buf, n, fmt, ap);
    va_end(ap);
    return r;
}

/* No bound: the caller promises the room, as C says. */
int vsprintf(char *restrict buf, const char *restrict fmt, va_list ap)
{
    return vsnprintf(buf, SIZE_MAX, fmt, ap);
}

int sprintf(char *restrict buf, const char *restrict fmt, ...)
{
    va_list ap;
    int r;

    va_start(ap, fmt);
    r = vsnprintf(buf, SIZE_MAX, fmt, ap);
    va_end(ap);
    return r;
}

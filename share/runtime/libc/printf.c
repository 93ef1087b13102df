/* The printf family: thin wrappers choosing where ml_vformat writes. */
#include <stdio.h>
#include <stdint.h>
#include "libc.h"

int vfprintf(FILE *restrict f, const char *restrict fmt, va_list ap)
{
    struct ml_fmt_out o = { f, NULL, 0, 0 };

    return ml_vformat(&o, fmt, ap);
}

int fprintf(FILE *restrict f, const char *restrict fmt, ...)
{
    va_list ap;
    int n;

    va_start(ap, fmt);
    n = vfprintf(f, fmt, ap);
    va_end(ap);
    return n;
}

int vprintf(const char *restrict fmt, va_list ap)
{
    return vfprintf(stdout, fmt, ap);
}

int printf(const char *restrict fmt, ...)
{
    va_list ap;
    int n;

    va_start(ap, fmt);
    n = vfprintf(stdout, fmt, ap);
    va_end(ap);
    return n;
}

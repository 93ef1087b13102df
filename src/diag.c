/* Error reporting in the compiler style that editors understand. */
#include "diag.h"

#include <stdarg.h>
#include <string.h>

#include "util.h"

#define MAX_SHOWN 25 /* beyond this, count but stay quiet */

void diag_init(struct diag *d, const char *file, const char *src,
               size_t srclen, FILE *out)
{
    d->file = file;
    d->src = src;
    d->srclen = srclen;
    d->out = out;
    d->errors = 0;
    d->code = 0;
}

static void show_line(struct diag *d, int line, int col)
{
    if (!d->src || line <= 0)
        return;
    const char *p = d->src, *end = d->src + d->srclen;
    for (int l = 1; l < line && p < end; p++)
        if (*p == '\n')
            l++;
    if (p >= end)
        return;
    const char *eol = memchr(p, '\n', (size_t)(end - p));
    int len = (int)((eol ? eol : end) - p);
    if (len > 160)
        len = 160;
    fprintf(d->out, " %4d | %.*s\n      | ", line, len, p);
    for (int i = 1; i < col && i <= len; i++)
        fputc(p[i - 1] == '\t' ? '\t' : ' ', d->out);
    fputs("^\n", d->out);
}

static void emit(struct diag *d, int line, int col, const char *kind,
                 const char *fmt, va_list ap)
{
    if (line > 0)
        fprintf(d->out, "%s:%d:%d: %s: ", d->file, line, col, kind);
    else
        fprintf(d->out, "%s: %s: ", d->file, kind);
    vfprintf(d->out, fmt, ap);
    fputc('\n', d->out);
}

void diag_error(struct diag *d, int line, int col, int code, const char *fmt,
                ...)
{
    if (!d->errors)
        d->code = code;
    d->errors++;
    if (!d->out || d->errors > MAX_SHOWN)
        return;
    va_list ap;
    va_start(ap, fmt);
    emit(d, line, col, "error", fmt, ap);
    va_end(ap);
    show_line(d, line, col);
}

void diag_hint(struct diag *d, int line, int col, const char *fmt, ...)
{
    if (!d->out || d->errors > MAX_SHOWN)
        return;
    va_list ap;
    va_start(ap, fmt);
    emit(d, line, col, "hint", fmt, ap);
    va_end(ap);
}

int unknown_name(const char *who, const char *kind, const char *name,
                 const char *const *cands, size_t n, const char *prefix,
                 const char *lister)
{
    fprintf(stderr, "%s: unknown %s '%s'\n", who, kind, name);
    const char *near = nearest(name, cands, n);
    if (near)
        fprintf(stderr, "hint: did you mean '%s%s'?\n", prefix, near);
    else
        fprintf(stderr, "hint: `%s` lists them\n", lister);
    return EXIT_USAGE;
}

void die_msg(const char *fmt, ...)
{
    va_list ap;
    fputs("mirleft: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
}

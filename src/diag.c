/* Error reporting in the compiler style that editors understand. */
#include "diag.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util.h"

#define MAX_SHOWN 25 /* beyond this, count but stay quiet */

/* Set once by main (the colour mode) or for the length of one command
 * (the log): how every message of the process is shown. */
static enum color_mode color_mode = COLOR_AUTO;
static struct problem_log *collecting;

void diag_set_color(enum color_mode m)
{
    color_mode = m;
}

bool diag_color(FILE *f)
{
    if (color_mode != COLOR_AUTO)
        return color_mode == COLOR_ALWAYS;
    const char *no = getenv("NO_COLOR"), *term = getenv("TERM");
    if (no && *no)
        return false;
    if (term && !strcmp(term, "dumb"))
        return false;
    int err = errno; /* isatty sets it; a caller may still need its own */
    bool tty = isatty(fileno(f));
    errno = err;
    return tty;
}

static const char *kind_colour(const char *kind)
{
    if (!strcmp(kind, "error"))
        return "\033[1;31m";
    if (!strcmp(kind, "warning"))
        return "\033[1;35m";
    return "\033[1;36m"; /* hint */
}

void diag_label(FILE *f, const char *kind)
{
    if (diag_color(f))
        fprintf(f, "%s%s:\033[0m ", kind_colour(kind), kind);
    else
        fprintf(f, "%s: ", kind);
}

void diag_collect(struct problem_log *log)
{
    collecting = log;
}

void problem_log_free(struct problem_log *log)
{
    for (size_t i = 0; i < log->n; i++) {
        free(log->v[i].file);
        free(log->v[i].message);
        free(log->v[i].hint);
    }
    free(log->v);
    log->v = NULL;
    log->n = 0;
}

static void record(const char *file, int line, int col, int code,
                   const char *severity, const char *fmt, va_list ap)
{
    struct strbuf sb;
    sb_init(&sb);
    sb_vprintf(&sb, fmt, ap);
    struct problem_log *l = collecting;
    l->v = xrealloc(l->v, (l->n + 1) * sizeof *l->v);
    l->v[l->n++] = (struct problem){file ? xstrdup(file) : NULL, line, col,
                                    code, severity, sb_detach(&sb), NULL};
}

/* A hint belongs to the problem before it; a second one is appended. */
static void record_hint(const char *fmt, va_list ap)
{
    if (!collecting->n)
        return;
    struct problem *p = &collecting->v[collecting->n - 1];
    struct strbuf sb;
    sb_init(&sb);
    if (p->hint)
        sb_printf(&sb, "%s; ", p->hint);
    sb_vprintf(&sb, fmt, ap);
    free(p->hint);
    p->hint = sb_detach(&sb);
}

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
    bool c = diag_color(d->out);
    fprintf(d->out, " %4d | %.*s\n      | ", line, len, p);
    for (int i = 1; i < col && i <= len; i++)
        fputc(p[i - 1] == '\t' ? '\t' : ' ', d->out);
    fputs(c ? "\033[1;32m^\033[0m\n" : "^\n", d->out);
}

static void emit(struct diag *d, int line, int col, const char *kind,
                 const char *fmt, va_list ap)
{
    bool c = diag_color(d->out);
    fputs(c ? "\033[1m" : "", d->out);
    if (line > 0)
        fprintf(d->out, "%s:%d:%d:", d->file, line, col);
    else
        fprintf(d->out, "%s:", d->file);
    fputs(c ? "\033[0m " : " ", d->out);
    diag_label(d->out, kind);
    vfprintf(d->out, fmt, ap);
    fputc('\n', d->out);
}

void diag_error(struct diag *d, int line, int col, int code, const char *fmt,
                ...)
{
    if (!d->errors)
        d->code = code;
    d->errors++;
    va_list ap;
    va_start(ap, fmt);
    if (d->out && collecting)
        record(d->file, line, col, code, "error", fmt, ap);
    else if (d->out && d->errors <= MAX_SHOWN) {
        emit(d, line, col, "error", fmt, ap);
        show_line(d, line, col);
    }
    va_end(ap);
}

void diag_hint(struct diag *d, int line, int col, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    if (d->out && collecting)
        record_hint(fmt, ap);
    else if (d->out && d->errors <= MAX_SHOWN)
        emit(d, line, col, "hint", fmt, ap);
    va_end(ap);
}

int unknown_name(const char *who, const char *kind, const char *name,
                 const char *const *cands, size_t n, const char *prefix,
                 const char *lister)
{
    const char *near = nearest(name, cands, n);
    if (collecting) {
        die_msg("unknown %s '%s'", kind, name);
        collecting->v[collecting->n - 1].code = EXIT_USAGE;
    } else {
        bool c = diag_color(stderr);
        fprintf(stderr, "%s%s:%s unknown %s '%s'\n", c ? "\033[1;31m" : "",
                who, c ? "\033[0m" : "", kind, name);
    }
    if (near)
        hint_msg("did you mean '%s%s'?", prefix, near);
    else
        hint_msg("`%s` lists them", lister);
    return EXIT_USAGE;
}

static void message(const char *kind, const char *fmt, va_list ap)
{
    if (collecting) {
        record(NULL, 0, 0, 0, kind, fmt, ap);
        return;
    }
    /* an error is "mirleft: message", its prefix red on a terminal */
    bool c = !strcmp(kind, "error") && diag_color(stderr);
    fputs(c ? "\033[1;31mmirleft:\033[0m " : "mirleft: ", stderr);
    if (strcmp(kind, "error"))
        diag_label(stderr, kind);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
}

void die_msg(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    message("error", fmt, ap);
    va_end(ap);
}

void warn_msg(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    message("warning", fmt, ap);
    va_end(ap);
}

void hint_msg(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    if (collecting)
        record_hint(fmt, ap);
    else {
        diag_label(stderr, "hint");
        vfprintf(stderr, fmt, ap);
        fputc('\n', stderr);
    }
    va_end(ap);
}

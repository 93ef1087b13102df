/* Small helpers used across the tool: allocation that cannot fail quietly,
 * a growable string buffer, and string-list utilities. */
#ifndef MIRLEFT_UTIL_H
#define MIRLEFT_UTIL_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdlib.h>

void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

struct strbuf {
    char *buf;
    size_t len, cap;
};
void sb_init(struct strbuf *sb);
void sb_add(struct strbuf *sb, const char *s, size_t n);
void sb_puts(struct strbuf *sb, const char *s);
void sb_printf(struct strbuf *sb, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void sb_vprintf(struct strbuf *sb, const char *fmt, va_list ap);
/* Appends s as the body of a C string literal (without quotes). */
void sb_c_escape(struct strbuf *sb, const char *s);
char *sb_detach(struct strbuf *sb);
void sb_free(struct strbuf *sb);

struct strlist {
    char **v;
    size_t n, cap;
};
void sl_push(struct strlist *l, char *s); /* takes ownership */
bool sl_contains(const struct strlist *l, const char *s);
void sl_sort(struct strlist *l);
void sl_free(struct strlist *l);

/* The candidate closest to s, or NULL when none is plausibly meant. */
const char *nearest(const char *s, const char *const *cands, size_t n);

#endif

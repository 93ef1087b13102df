/* Diagnostics: "file:line:col: error: message", the offending source line
 * with a caret, and an optional hint. Every error carries the exit code
 * that its class documents in mirleft(1). */
#ifndef MIRLEFT_DIAG_H
#define MIRLEFT_DIAG_H

#include <stdio.h>

enum exit_code {
    EXIT_OK = 0,
    EXIT_FAIL = 1,    /* a build, run or file-system step failed */
    EXIT_USAGE = 2,   /* bad command line */
    EXIT_CONFIG = 3,  /* unikernel.yml is malformed or invalid */
    EXIT_VERSION = 4, /* the project's version bound excludes this mirleft */
    EXIT_TARGET = 5,  /* the target cannot build this configuration */
    EXIT_LOCK = 6,    /* unikernel.lock disagrees with the config or upstream */
};

struct diag {
    const char *file;   /* name shown in messages */
    const char *src;    /* the file's text, for the caret line (may be NULL) */
    size_t srclen;
    FILE *out;          /* NULL: count errors but print nothing */
    int errors;
    int code;           /* exit code of the first error */
};

void diag_init(struct diag *d, const char *file, const char *src,
               size_t srclen, FILE *out);
/* line/col are 1-based; 0 means "no position" (file-level message). */
void diag_error(struct diag *d, int line, int col, int code, const char *fmt,
                ...) __attribute__((format(printf, 5, 6)));
void diag_hint(struct diag *d, int line, int col, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* "WHO: unknown KIND 'NAME'", then "hint: did you mean 'PREFIXNEAR'?" for
 * the nearest candidate, or "hint: `LISTER` lists them". Returns
 * EXIT_USAGE. */
int unknown_name(const char *who, const char *kind, const char *name,
                 const char *const *cands, size_t n, const char *prefix,
                 const char *lister);
/* A message about the command line or the environment, not a file. */
void die_msg(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif

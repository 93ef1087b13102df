/* Diagnostics: "file:line:col: error: message", the offending source line
 * with a caret, and an optional hint. Every error carries the exit code
 * that its class documents in mirleft(1). */
#ifndef MIRLEFT_DIAG_H
#define MIRLEFT_DIAG_H

#include <stdbool.h>
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
/* "mirleft: warning: ..." */
void warn_msg(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* "hint: ..." after a die_msg or warn_msg. */
void hint_msg(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Colour: the labels error, warning and hint (and an error's position)
 * in colour on a terminal. main sets the mode once from --color. */
enum color_mode { COLOR_AUTO, COLOR_ALWAYS, COLOR_NEVER };
void diag_set_color(enum color_mode m);
/* Whether what is written to f gets colour: always, never, or (auto) when
 * f is a terminal, NO_COLOR is unset or empty and TERM is not "dumb". */
bool diag_color(FILE *f);
/* Writes "KIND: " (error, warning, hint) to f, coloured if diag_color. */
void diag_label(FILE *f, const char *kind);

/* Collection, for `check --json`: while a log is set, every error, warning
 * and hint that would be printed is recorded in it instead. */
struct problem {
    char *file;     /* NULL: about the command line or the environment */
    int line, col;  /* 0: no position */
    int code;       /* the exit code its class documents; 0: not known */
    const char *severity; /* "error" or "warning" */
    char *message;
    char *hint;     /* NULL: none */
};
struct problem_log {
    struct problem *v;
    size_t n;
};
void diag_collect(struct problem_log *log); /* NULL: print again */
void problem_log_free(struct problem_log *log);

#endif

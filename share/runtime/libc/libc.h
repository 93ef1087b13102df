/* Internal to the runtime's libc: shared helpers that are not part of any
 * public header. */
#ifndef ML_RUNTIME_LIBC_H
#define ML_RUNTIME_LIBC_H

#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>

/* GCC turns byte loops into calls to memset/memcpy, which inside memset and
 * memcpy themselves would recurse forever; this switches that off where it
 * matters. */
#if defined(__GNUC__) && !defined(__clang__)
#define ML_NO_LIBCALLS __attribute__((optimize("no-tree-loop-distribute-patterns")))
#else
#define ML_NO_LIBCALLS
#endif

/* A FILE is a line buffer (or none) in front of the console. */
struct ml_file {
    unsigned char *buf; /* NULL: unbuffered */
    size_t len, cap;
};

/* Where formatted output goes: a FILE, or a bounded buffer. */
struct ml_fmt_out {
    FILE *f;      /* non-NULL: write through to this stream */
    char *buf;    /* otherwise: store up to cap-1 bytes here */
    size_t cap;
    size_t len;   /* bytes produced so far (even those that did not fit) */
};

int ml_vformat(struct ml_fmt_out *o, const char *fmt, va_list ap);
void ml_file_write(FILE *f, const char *s, size_t n);
int ml_stdout_flush(void);

#endif

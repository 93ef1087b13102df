/* <stdio.h> for mirleft guests: output only. stdout is line-buffered and
 * flushed at exit; stderr is unbuffered and flushes stdout before each
 * write so the two stay in order on the one console. There are no files
 * to open: FILE exists only so that fprintf(stderr, ...) code compiles. */
#ifndef _ML_STDIO_H
#define _ML_STDIO_H

#include <stddef.h>
#include <stdarg.h>

typedef struct ml_file FILE;

extern FILE ml_stdout_file, ml_stderr_file;
#define stdout (&ml_stdout_file)
#define stderr (&ml_stderr_file)

#define EOF (-1)
#define BUFSIZ 256

#if defined(__GNUC__)
#define _ML_PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
#define _ML_PRINTF(f, a)
#endif

int printf(const char *restrict fmt, ...) _ML_PRINTF(1, 2);
int vprintf(const char *restrict fmt, va_list ap) _ML_PRINTF(1, 0);
int fprintf(FILE *restrict f, const char *restrict fmt, ...) _ML_PRINTF(2, 3);
int vfprintf(FILE *restrict f, const char *restrict fmt, va_list ap)
    _ML_PRINTF(2, 0);
int sprintf(char *restrict buf, const char *restrict fmt, ...)
    _ML_PRINTF(2, 3);
int vsprintf(char *restrict buf, const char *restrict fmt, va_list ap)
    _ML_PRINTF(2, 0);
int snprintf(char *restrict buf, size_t n, const char *restrict fmt, ...)
    _ML_PRINTF(3, 4);
int vsnprintf(char *restrict buf, size_t n, const char *restrict fmt,
              va_list ap) _ML_PRINTF(3, 0);

int putchar(int c);
int puts(const char *s);
int fputc(int c, FILE *f);
int putc(int c, FILE *f);
int fputs(const char *restrict s, FILE *restrict f);
size_t fwrite(const void *restrict p, size_t size, size_t n,
              FILE *restrict f);
int fflush(FILE *f);
void perror(const char *s);

#endif

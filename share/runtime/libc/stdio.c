/* stdout and stderr over the platform console. stdout keeps a line buffer
 * (one console write per line instead of per call, which matters when a
 * write is a hypercall); stderr writes at once, after flushing stdout so
 * the two streams reach the console in the order they were written. */
#include <stdio.h>
#include <string.h>
#include <errno.h>
#include <mirleft/platform.h>
#include "libc.h"

static unsigned char stdout_buf[BUFSIZ];
FILE ml_stdout_file = { stdout_buf, 0, sizeof stdout_buf };
FILE ml_stderr_file = { NULL, 0, 0 };

int ml_stdout_flush(void)
{
    FILE *f = &ml_stdout_file;

    if (f->len) {
        ml_plat_console_write((const char *)f->buf, f->len);
        f->len = 0;
    }
    return 0;
}

void ml_file_write(FILE *f, const char *s, size_t n)
{
    const char *nl;

    if (!f->buf) {
        ml_stdout_flush();
        ml_plat_console_write(s, n);
        return;
    }
    while (n) {
        size_t room = f->cap - f->len, take = n < room ? n : room;
        /* Up to and including the first newline, if it fits. */
        nl = memchr(s, '\n', take);
        if (nl)
            take = (size_t)(nl - s) + 1;
        memcpy(f->buf + f->len, s, take);
        f->len += take;
        s += take;
        n -= take;
        if (nl || f->len == f->cap)
            ml_stdout_flush();
    }
}

int fflush(FILE *f)
{
    (void)f; /* only stdout ever holds data */
    return ml_stdout_flush();
}

size_t fwrite(const void *restrict p, size_t size, size_t n, FILE *restrict f)
{
    if (size == 0 || n == 0)
        return 0;
    ml_file_write(f, p, size * n);
    return n;
}

int fputc(int c, FILE *f)
{
    char ch = (char)c;

    ml_file_write(f, &ch, 1);
    return (unsigned char)c;
}

int putc(int c, FILE *f)
{
    return fputc(c, f);
}

int putchar(int c)
{
    return fputc(c, stdout);
}

int fputs(const char *restrict s, FILE *restrict f)
{
    ml_file_write(f, s, strlen(s));
    return 0;
}

int puts(const char *s)
{
    fputs(s, stdout);
    return fputc('\n', stdout) == EOF ? EOF : 0;
}

void perror(const char *s)
{
    const char *msg = strerror(errno);

    if (s && *s) {
        fputs(s, stderr);
        fputs(": ", stderr);
    }
    fputs(msg, stderr);
    fputc('\n', stderr);
}

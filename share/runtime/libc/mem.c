/* The mem* functions. Copies go a word at a time when both pointers allow
 * it, since memcpy sits under every struct copy and packet move. */
#include <string.h>
#include <stdint.h>
#include "libc.h"

#define WORD sizeof(uintptr_t)
#define ALIGNED(p) (((uintptr_t)(p) & (WORD - 1)) == 0)

/* A word type that may alias anything, so word copies are not UB. */
typedef uintptr_t __attribute__((may_alias)) ml_word;

ML_NO_LIBCALLS void *memcpy(void *restrict dst, const void *restrict src,
                            size_t n)
{
    unsigned char *d = dst;
    const unsigned char *s = src;

    if (ALIGNED(d) && ALIGNED(s)) {
        for (; n >= WORD; n -= WORD, d += WORD, s += WORD)
            *(ml_word *)d = *(const ml_word *)s;
    }
    while (n--)
        *d++ = *s++;
    return dst;
}

ML_NO_LIBCALLS void *memmove(void *dst, const void *src, size_t n)
{
    unsigned char *d = dst;
    const unsigned char *s = src;

    if (d == s || n == 0)
        return dst;
    /* Copying forwards is safe unless dst starts inside src. */
    if ((uintptr_t)d - (uintptr_t)s >= n)
        return memcpy(dst, src, n);
    if (ALIGNED(d + n) && ALIGNED(s + n)) {
        for (; n >= WORD; n -= WORD)
            *(ml_word *)(d + n - WORD) = *(const ml_word *)(s + n - WORD);
    }
    while (n--)
        d[n] = s[n];
    return dst;
}

ML_NO_LIBCALLS void *memset(void *dst, int c, size_t n)
{
    unsigned char *d = dst;

    for (; n && !ALIGNED(d); n--)
        *d++ = (unsigned char)c;
    if (n >= WORD) {
        ml_word w = (unsigned char)c;
        w *= (uintptr_t)-1 / 0xff; /* the byte in every lane */
        for (; n >= WORD; n -= WORD, d += WORD)
            *(ml_word *)d = w;
    }
    while (n--)
        *d++ = (unsigned char)c;
    return dst;
}

int memcmp(const void *a, const void *b, size_t n)
{
    const unsigned char *x = a, *y = b;

    for (; n; n--, x++, y++)
        if (*x != *y)
            return *x - *y;
    return 0;
}

void *memchr(const void *s, int c, size_t n)
{
    const unsigned char *p = s;

    for (; n; n--, p++)
        if (*p == (unsigned char)c)
            return (void *)p;
    return NULL;
}

void *memrchr(const void *s, int c, size_t n)
{
    const unsigned char *p = s;

    while (n--)
        if (p[n] == (unsigned char)c)
            return (void *)(p + n);
    return NULL;
}

void *memmem(const void *hay, size_t hlen, const void *needle, size_t nlen)
{
    const unsigned char *h = hay, *n = needle, *end;

    if (nlen == 0)
        return (void *)h;
    if (hlen < nlen)
        return NULL;
    /* A first-byte filter then a compare: inputs in a unikernel are packets
     * and headers, short enough that nothing cleverer pays for its size. */
    end = h + (hlen - nlen) + 1; /* one past the last possible start */
    while (h < end) {
        h = memchr(h, n[0], (size_t)(end - h));
        if (!h)
            return NULL;
        if (memcmp(h, n, nlen) == 0)
            return (void *)h;
        h++;
    }
    return NULL;
}

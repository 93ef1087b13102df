/* The mem* functions. Copies go a word at a time, since memcpy sits under
 * every struct copy and packet move: with both pointers aligned on every
 * target, and, where the target does unaligned word loads in hardware,
 * also when the alignments differ (packet data never lines up). */
#include <string.h>
#include <stdint.h>
#include "libc.h"

#define WORD sizeof(uintptr_t)
#define ALIGNED(p) (((uintptr_t)(p) & (WORD - 1)) == 0)

/* A word type that may alias anything, so word copies are not UB. */
typedef uintptr_t __attribute__((may_alias)) ml_word;

/* Targets whose plain loads take any alignment. Elsewhere (Cortex-M0+,
 * ARMv6 and older, RISC-V without Zicclsm, ...) a misaligned copy goes
 * byte by byte. The unaligned word type tells the compiler not to merge
 * its loads into instructions that still need alignment (ARM's ldrd). */
#if defined(__x86_64__) || defined(__i386__) || defined(__aarch64__) || \
    defined(__ARM_FEATURE_UNALIGNED)
#define ML_UNALIGNED_LOADS 1
typedef uintptr_t __attribute__((may_alias, aligned(1))) ml_uword;
#else
#define ML_UNALIGNED_LOADS 0
#endif

ML_NO_LIBCALLS void *memcpy(void *restrict dst, const void *restrict src,
                            size_t n)
{
    unsigned char *d = dst;
    const unsigned char *s = src;

    if (ALIGNED(d) && ALIGNED(s)) {
        for (; n >= WORD; n -= WORD, d += WORD, s += WORD)
            *(ml_word *)d = *(const ml_word *)s;
    }
#if ML_UNALIGNED_LOADS
    else if (n >= 2 * WORD) {
        /* align the stores, then unaligned loads, four words a step */
        for (; !ALIGNED(d); n--)
            *d++ = *s++;
        for (; n >= 4 * WORD; n -= 4 * WORD, d += 4 * WORD, s += 4 * WORD) {
            ml_word w0 = *(const ml_uword *)s;
            ml_word w1 = *(const ml_uword *)(s + WORD);
            ml_word w2 = *(const ml_uword *)(s + 2 * WORD);
            ml_word w3 = *(const ml_uword *)(s + 3 * WORD);
            *(ml_word *)d = w0;
            *(ml_word *)(d + WORD) = w1;
            *(ml_word *)(d + 2 * WORD) = w2;
            *(ml_word *)(d + 3 * WORD) = w3;
        }
        for (; n >= WORD; n -= WORD, d += WORD, s += WORD)
            *(ml_word *)d = *(const ml_uword *)s;
    }
#endif
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

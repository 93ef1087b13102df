/* strto[u]l[l]: one parser for the magnitude, four wrappers for the ranges.
 * C's rules: leading white space, an optional sign, then for base 16 an
 * optional 0x, for base 0 a prefix choosing 16 (0x), 8 (0) or 10; no
 * digits means 0 with *end = s; out of range means the type's limit and
 * ERANGE; the unsigned forms negate in their own type ("-1" is the max). */
#include <stdlib.h>
#include <ctype.h>
#include <errno.h>
#include <limits.h>

static int digit(int c)
{
    if ((unsigned)c - '0' < 10)
        return c - '0';
    c |= 32;
    if ((unsigned)c - 'a' < 26)
        return c - 'a' + 10;
    return 99;
}

/* Returns the magnitude (saturated at ULLONG_MAX, *over set on overflow),
 * *neg for a minus sign; sets *end as C says. */
static unsigned long long parse(const char *s, char **end, int base,
                                int *neg, int *over)
{
    const char *p = s;
    unsigned long long v = 0;
    int any = 0, d;

    *neg = *over = 0;
    if (base < 0 || base == 1 || base > 36) {
        errno = EINVAL;
        if (end)
            *end = (char *)s;
        return 0;
    }
    while (isspace((unsigned char)*p))
        p++;
    if (*p == '-' || *p == '+')
        *neg = *p++ == '-';
    /* "0x" counts as a prefix only when a hex digit follows; otherwise the
     * "0" alone is the number and *end points at the x. */
    if ((base == 0 || base == 16) && p[0] == '0' && (p[1] | 32) == 'x' &&
        digit((unsigned char)p[2]) < 16) {
        p += 2;
        base = 16;
    } else if (base == 0) {
        base = *p == '0' ? 8 : 10;
    }
    for (; (d = digit((unsigned char)*p)) < base; p++) {
        any = 1;
        if (v > (ULLONG_MAX - (unsigned)d) / (unsigned)base)
            *over = 1;
        else
            v = v * (unsigned)base + (unsigned)d;
    }
    if (end)
        *end = (char *)(any ? p : s);
    return *over ? ULLONG_MAX : v;
}

/* Clamps to [-(lo), hi] (lo as a magnitude) with ERANGE, for the signed
 * types; the result is the two's complement bit pattern. */
static unsigned long long clamp_signed(unsigned long long v, int neg,
                                       int over, unsigned long long hi)
{
    if (!neg && (over || v > hi)) {
        errno = ERANGE;
        return hi;
    }
    if (neg && (over || v > hi + 1)) {
        errno = ERANGE;
        return 0 - (hi + 1);
    }
    return neg ? 0 - v : v;
}

static unsigned long long clamp_unsigned(unsigned long long v, int neg,
                                         int over, unsigned long long hi)
{
    if (over || v > hi) {
        errno = ERANGE;
        return hi;
    }
    return neg ? 0 - v : v;
}

long strtol(const char *restrict s, char **restrict end, int base)
{
    int neg, over;
    unsigned long long v = parse(s, end, base, &neg, &over);

    return (long)clamp_signed(v, neg, over, LONG_MAX);
}

long long strtoll(const char *restrict s, char **restrict end, int base)
{
    int neg, over;
    unsigned long long v = parse(s, end, base, &neg, &over);

    return (long long)clamp_signed(v, neg, over, LLONG_MAX);
}

unsigned long strtoul(const char *restrict s, char **restrict end, int base)
{
    int neg, over;
    unsigned long long v = parse(s, end, base, &neg, &over);

    return (unsigned long)clamp_unsigned(v, neg, over, ULONG_MAX);
}

unsigned long long strtoull(const char *restrict s, char **restrict end,
                            int base)
{
    int neg, over;
    unsigned long long v = parse(s, end, base, &neg, &over);

    return clamp_unsigned(v, neg, over, ULLONG_MAX);
}

int atoi(const char *s)
{
    return (int)strtol(s, NULL, 10);
}

long atol(const char *s)
{
    return strtol(s, NULL, 10);
}

long long atoll(const char *s)
{
    return strtoll(s, NULL, 10);
}

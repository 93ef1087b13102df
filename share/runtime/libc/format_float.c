/* %f %e %g (and %F %E %G) for the printf engine, exact like glibc's: the
 * double is converted to decimal without error and rounded half-to-even,
 * so "%.20f" of 0.1 shows the binary value's true digits.
 *
 * Only integer arithmetic is used (the double is taken apart by its bits),
 * so soft-float targets pull in no floating-point library. Built in only
 * with -DML_PRINTF_FLOAT: the engine reaches this through a weak
 * reference, so images that were not built with it do not carry it.
 *
 * The method: a double is m * 2^q with m < 2^53. Hold it as a big integer
 * X in base 10^9 with L limbs after the decimal point. For q >= 0, X = m
 * and multiply by 2 up to 29 bits at a time. For q < 0, divide by 2 up to
 * 9 bits at a time; when the lowest limb is not divisible, append a zero
 * limb first (L++), which multiplies by 10^9 = 2^9 * 5^9 and so makes it
 * divisible. The largest values need 35 limbs, the smallest 123. */
#ifdef ML_PRINTF_FLOAT
#include <stdint.h>
#include <string.h>
#include "format.h"

#define LIMBS 128
#define BASE 1000000000u

struct dec {
    uint32_t x[LIMBS];
    int lo, hi; /* limbs in use: x[lo..hi), most significant first */
    int point;  /* digits before the decimal point */
    int ndig;   /* 9 * (hi - lo) */
};

static const uint32_t p10[10] = { 1, 10, 100, 1000, 10000, 100000, 1000000,
                                  10000000, 100000000, 1000000000 };

/* Digit i of X, counting from the most significant (leading zeros of the
 * top limb included); zeros beyond the end. */
static int digit(const struct dec *d, int i)
{
    if (i < 0 || i >= d->ndig)
        return 0;
    return (int)(d->x[d->lo + i / 9] / p10[8 - i % 9] % 10);
}

static void to_dec(struct dec *d, uint64_t m, int q)
{
    int s;

    if (q >= 0) {
        d->hi = LIMBS;
        d->lo = LIMBS - 2;
        d->x[LIMBS - 2] = (uint32_t)(m / BASE);
        d->x[LIMBS - 1] = (uint32_t)(m % BASE);
        for (; q > 0; q -= s) {
            uint32_t carry = 0;
            int i;
            s = q < 29 ? q : 29;
            for (i = d->hi; i-- > d->lo;) {
                uint64_t t = ((uint64_t)d->x[i] << s) + carry;
                d->x[i] = (uint32_t)(t % BASE);
                carry = (uint32_t)(t / BASE);
            }
            if (carry)
                d->x[--d->lo] = carry;
        }
        d->x[--d->lo] = 0; /* room for a rounding carry */
        d->ndig = 9 * (d->hi - d->lo);
        d->point = d->ndig;
        return;
    }
    d->lo = 0;
    d->hi = 3;
    d->x[0] = 0; /* room for a rounding carry */
    d->x[1] = (uint32_t)(m / BASE);
    d->x[2] = (uint32_t)(m % BASE);
    d->point = 27;
    for (q = -q; q > 0; q -= s) {
        uint64_t rem = 0;
        int i;
        s = q < 9 ? q : 9;
        if (d->x[d->hi - 1] & ((1u << s) - 1))
            d->x[d->hi++] = 0;
        for (i = d->lo; i < d->hi; i++) {
            uint64_t t = rem * BASE + d->x[i];
            d->x[i] = (uint32_t)(t >> s);
            rem = t & ((1u << s) - 1);
        }
    }
    d->ndig = 9 * (d->hi - d->lo);
}

/* Index of the first non-zero digit, or point-1 for zero (so that zero
 * formats as 0.000 and 0e+00). */
static int first_digit(const struct dec *d)
{
    int i;

    for (i = 0; i < d->ndig; i++)
        if (digit(d, i))
            return i;
    return d->point - 1;
}

/* Keeps digits [0, r), rounding half to even on what is dropped. */
static void round_at(struct dec *d, int r)
{
    int li, pos, i, up;
    uint32_t unit, low, half;

    if (r >= d->ndig)
        return;
    li = d->lo + r / 9;
    pos = r % 9; /* digits of limb li that are kept */
    unit = p10[9 - pos];
    low = d->x[li] % unit;
    half = unit / 2;
    up = low > half;
    if (low == half) {
        int rest = 0;
        for (i = li + 1; i < d->hi; i++)
            rest |= d->x[i] != 0;
        up = rest || (digit(d, r - 1) & 1);
    }
    d->x[li] -= low;
    for (i = li + 1; i < d->hi; i++)
        d->x[i] = 0;
    if (!up)
        return;
    /* pos == 0 means the whole limb is dropped: carry into the one above. */
    if (pos == 0)
        d->x[--li] += 1;
    else
        d->x[li] += unit;
    for (; d->x[li] >= BASE; li--) {
        d->x[li] -= BASE;
        d->x[li - 1]++;
    }
}

/* Emits digits [from, to) of d. */
static void put_digits(struct ml_fmt_out *o, const struct dec *d, int from,
                       int to)
{
    char buf[32];
    int n = 0;

    for (; from < to; from++) {
        buf[n++] = (char)('0' + digit(d, from));
        if (n == sizeof buf) {
            ml_fmt_put(o, buf, (size_t)n);
            n = 0;
        }
    }
    ml_fmt_put(o, buf, (size_t)n);
}

void ml_format_float(struct ml_fmt_out *o, struct ml_fmt_spec *sp, double v)
{
    union { double d; uint64_t u; } bits = { v };
    uint64_t m = bits.u & ((1ULL << 52) - 1);
    int e = (int)(bits.u >> 52 & 0x7ff);
    int upper = sp->conv >= 'A' && sp->conv <= 'Z';
    char conv = (char)(sp->conv | 32), expbuf[8], *ep = expbuf + sizeof expbuf;
    const char *sign = bits.u >> 63 ? "-" : sp->flags & F_PLUS ? "+"
                     : sp->flags & F_SPACE ? " " : "";
    int prec = sp->prec < 0 ? 6 : sp->prec, fz, exp10, frac, ilen;
    int alt = sp->flags & F_ALT, dot, strip = 0;
    long len, zeros;
    struct dec d;

    if (e == 0x7ff) { /* inf and nan: no zero padding, as glibc */
        struct ml_fmt_spec s2 = *sp;
        const char *t = m ? (upper ? "NAN" : "nan") : (upper ? "INF" : "inf");
        s2.flags &= ~F_ZERO;
        ml_fmt_field(o, &s2, sign, 0, t, 3);
        return;
    }
    if (conv == 'a')
        conv = 'e'; /* hex floats are not supported: show decimal */
    if (e)
        m |= 1ULL << 52;
    else
        e = 1;
    to_dec(&d, m, e - 1075);

    if (conv == 'g') {
        /* %g: precision counts significant digits; the exponent after
         * rounding to them picks %e or %f style. */
        if (prec == 0)
            prec = 1;
        fz = first_digit(&d);
        round_at(&d, fz + prec);
        fz = first_digit(&d);
        exp10 = d.point - fz - 1;
        if (exp10 < -4 || exp10 >= prec) {
            conv = 'e';
            prec -= 1;
        } else {
            conv = 'f';
            prec -= 1 + exp10;
        }
        strip = !alt;
    }
    if (conv == 'f') {
        round_at(&d, d.point + prec);
        fz = first_digit(&d);
        if (fz > d.point - 1)
            fz = d.point - 1; /* always at least one integer digit */
        ilen = d.point - fz;
        frac = d.point; /* where the fraction digits start */
    } else {
        fz = first_digit(&d);
        round_at(&d, fz + prec + 1);
        fz = first_digit(&d);
        exp10 = d.ndig && digit(&d, fz) ? d.point - fz - 1 : 0;
        ilen = 1;
        frac = fz + 1;
        /* The exponent, at least two digits. */
        {
            unsigned x = exp10 < 0 ? (unsigned)-exp10 : (unsigned)exp10;
            do
                *--ep = (char)('0' + x % 10);
            while (x /= 10);
            if (ep > expbuf + sizeof expbuf - 2)
                *--ep = '0';
            *--ep = exp10 < 0 ? '-' : '+';
            *--ep = upper ? 'E' : 'e';
        }
    }
    if (strip) /* %g without '#': no trailing zeros, no bare point */
        while (prec > 0 && digit(&d, frac + prec - 1) == 0)
            prec--;
    dot = prec > 0 || alt;

    len = (long)strlen(sign) + ilen + dot + prec +
          (long)(expbuf + sizeof expbuf - ep);
    zeros = 0;
    if ((sp->flags & (F_ZERO | F_LEFT)) == F_ZERO && sp->width > len)
        zeros = sp->width - len;
    if (!(sp->flags & F_LEFT) && !zeros)
        ml_fmt_pad(o, ' ', sp->width - len);
    ml_fmt_put(o, sign, strlen(sign));
    ml_fmt_pad(o, '0', zeros);
    put_digits(o, &d, frac - ilen, frac);
    if (dot)
        ml_fmt_put(o, ".", 1);
    put_digits(o, &d, frac, frac + prec);
    ml_fmt_put(o, ep, (size_t)(expbuf + sizeof expbuf - ep));
    if (sp->flags & F_LEFT)
        ml_fmt_pad(o, ' ', sp->width - len);
}
#endif

/* Keeps the file a valid translation unit when the feature is off. */
typedef int ml_format_float_unused;

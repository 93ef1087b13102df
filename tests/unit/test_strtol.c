/* strto[u]l[l] against glibc: value, errno and end pointer for generated
 * strings (white space, signs, 0/0x prefixes, digits of every base, junk)
 * in every base, plus the overflow edges of each type. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "mlt.h"

static unsigned long long rng_state = 0x9e3779b97f4a7c15ULL;
static unsigned long long rnd(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return rng_state;
}
static unsigned pick(unsigned n) { return (unsigned)(rnd() % n); }

static void one(const char *s, int base)
{
    char *ge, *me;
    int gerr, merr;
    int check_end = !(base < 0 || base == 1 || base > 36);

#define CMP(gfn, mfn, fmt) do { \
        errno = 0; mlt_errno = 0; \
        __typeof__(gfn(s, &ge, base)) g = gfn(s, &ge, base); gerr = errno; \
        __typeof__(g) m = mfn(s, &me, base); merr = mlt_errno; \
        CHECK(g == m && gerr == merr && (!check_end || ge == me), \
              #gfn "(\"%s\", %d): glibc " fmt " errno %d end +%td, we " fmt \
              " errno %d end +%td", s, base, g, gerr, ge - s, m, merr, me - s); \
    } while (0)

    CMP(strtol, mlt_strtol, "%ld");
    CMP(strtoul, mlt_strtoul, "%lu");
    CMP(strtoll, mlt_strtoll, "%lld");
    CMP(strtoull, mlt_strtoull, "%llu");
    {
        /* NULL end pointers are allowed. */
        mlt_errno = 0;
        CHECK(mlt_strtol(s, NULL, base) == strtol(s, NULL, base),
              "strtol(\"%s\", NULL, %d)", s, base);
    }
}

static void generated(int n)
{
    static const char *const ws[] = { "", "", " ", "\t", "\n \v\f\r", "  " };
    static const char *const signs[] = { "", "", "", "+", "-", "--", "+-", "-+" };
    static const char *const prefixes[] = { "", "", "", "0", "0x", "0X",
                                            "0x0", "00", "0b", "x" };
    static const char *const tails[] = { "", "", " ", "x", "@", "9", "z", ".5" };
    static const char digits[] = "0123456789abcdefghijklmnopqrstuvwxyzABCXYZ";
    static const int bases[] = { 0, 0, 2, 8, 10, 10, 16, 16, 36, 1, 37, -1 };
    char s[128];
    int i, k, len;

    for (i = 0; i < n; i++) {
        int base = pick(3) ? bases[pick(sizeof bases / sizeof *bases)]
                           : 2 + (int)pick(35);
        char *p = s;
        p += sprintf(p, "%s%s%s", ws[pick(6)], signs[pick(8)],
                     prefixes[pick(10)]);
        len = (int)pick(4) == 0 ? (int)pick(70) : (int)pick(22);
        for (k = 0; k < len; k++) {
            /* mostly digits valid in this base, so values get long */
            int lim = base >= 2 && base <= 36 && pick(5) ? base
                                                         : (int)sizeof digits - 1;
            *p++ = digits[pick((unsigned)lim)];
        }
        sprintf(p, "%s", tails[pick(8)]);
        one(s, base);
    }
}

static void edges(void)
{
    static const char *const cases[] = {
        "", " ", "-", "+", "0", "-0", "+0", "0x", "0X", "0xg", "-0x", "0x10",
        "-0x10", " +0x1F", "010", "08", "-010", "0b101",
        "9223372036854775807", "9223372036854775808", "-9223372036854775808",
        "-9223372036854775809", "18446744073709551615", "18446744073709551616",
        "-18446744073709551615", "-18446744073709551616",
        "4294967295", "4294967296", "2147483647", "2147483648", "-2147483648",
        "-2147483649", "99999999999999999999999999999999999999", "-99999999999999999999999999999",
        "0x7fffffffffffffff", "0x8000000000000000", "0xffffffffffffffff",
        "0x10000000000000000", "-0x8000000000000000", "-0x8000000000000001",
        "zzzzzzzzzzzzz", "zzzzzzzzzzzzzzzzzzz", "1111111111111111111111111111111111111111111111111111111111111111",
        "11111111111111111111111111111111111111111111111111111111111111111",
        "  \t\n-42abc", "+-1", "--1", "1e10", "0.5", "  ",
    };
    static const int bases[] = { 0, 2, 8, 10, 16, 36 };
    unsigned i, j;

    for (i = 0; i < sizeof cases / sizeof *cases; i++)
        for (j = 0; j < sizeof bases / sizeof *bases; j++)
            one(cases[i], bases[j]);
    CHECK(mlt_atoi("  -123xyz") == -123, "atoi");
    CHECK(mlt_abs(-5) == 5 && mlt_labs(-5L) == 5 && mlt_llabs(LLONG_MIN + 1) == LLONG_MAX,
          "abs");
    /* An invalid base is EINVAL and a zero result. */
    mlt_errno = 0;
    CHECK(mlt_strtol("12", NULL, 1) == 0 && mlt_errno == EINVAL, "base 1");
}

int main(int argc, char **argv)
{
    int n = argc > 1 ? atoi(argv[1]) : 100000;

    if (argc > 2)
        rng_state = strtoull(argv[2], NULL, 0);
    edges();
    generated(n);
    return report("strtol");
}

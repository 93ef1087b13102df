/* printf against glibc: thousands of random conversion specs (flags, width
 * and precision as digits or *, every length modifier) over values of
 * every magnitude, through snprintf with random buffer sizes; then the
 * stdout path (line buffering, flush at exit). */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "mlt.h"

static unsigned long long rng_state = 88172645463325252ULL;
static unsigned long long rnd(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return rng_state;
}
static unsigned pick(unsigned n) { return (unsigned)(rnd() % n); }

#define BUF 600
static char gbuf[BUF + 16], mbuf[BUF + 16];

/* Runs one format through both and compares result, text, and the bytes
 * past the buffer size (which must be left alone). */
static void both(size_t sz, const char *fmt, ...)
{
    va_list ap, aq;
    int gr, mr;

    memset(gbuf, 0x5a, sizeof gbuf);
    memset(mbuf, 0x5a, sizeof mbuf);
    va_start(ap, fmt);
    va_copy(aq, ap);
    gr = vsnprintf(sz ? gbuf : NULL, sz, fmt, ap);
    mr = mlt_vsnprintf(sz ? mbuf : NULL, sz, fmt, aq);
    va_end(aq);
    va_end(ap);
    CHECK(gr == mr, "fmt \"%s\" size %zu: glibc returned %d, we %d", fmt, sz,
          gr, mr);
    CHECK(memcmp(gbuf, mbuf, sizeof gbuf) == 0,
          "fmt \"%s\" size %zu: glibc \"%.*s\", we \"%.*s\"", fmt, sz,
          (int)(sz ? sz - 1 : 0), gbuf, (int)(sz ? sz - 1 : 0), mbuf);
}

static const char *const strs[] = { "", "a", "hello", "hello, world",
    "with\ttab", "0123456789abcdefghijklmnopqrstuvwxyz", NULL };

static long long rand_value(void)
{
    switch (pick(8)) {
    case 0: return 0;
    case 1: return LLONG_MAX;
    case 2: return LLONG_MIN;
    case 3: return -1;
    case 4: return (long long)(rnd() % 1000) - 500;
    default: {
        int bits = 1 + (int)pick(64);
        unsigned long long v = rnd();
        if (bits < 64)
            v &= (1ULL << bits) - 1;
        return pick(2) ? (long long)v : -(long long)v;
    }
    }
}

static void random_case(void)
{
    static const char convs[] = "diuoxXcsp%";
    static const char *const lens[] = { "", "hh", "h", "l", "ll", "z", "j", "t" };
    char fmt[96], *f = fmt;
    char conv = convs[pick(sizeof convs - 1)];
    int len = 0, sw = 0, sp = 0, wv = 0, pv = 0;
    int is_int = strchr("diuoxX", conv) != NULL;
    long long v = rand_value();
    size_t sizes[] = { 0, 1, 2, 7, 16, 40, BUF };
    size_t sz = sizes[pick(7)];

    if (pick(3) == 0)
        f += sprintf(f, "ab%sc", pick(2) ? "x" : "");
    *f++ = '%';
    if (conv != '%') {
        const char *flagset = is_int ? "-+ #0" : "-";
        int i;
        for (i = 0; flagset[i]; i++)
            if (pick(4) == 0) {
                /* '#' means nothing defined for d, i, u */
                if (flagset[i] == '#' && strchr("diu", conv))
                    continue;
                *f++ = flagset[i];
            }
        switch (pick(4)) {
        case 0: break;
        case 1: f += sprintf(f, "%u", 1 + pick(30)); break;
        case 2: *f++ = '*'; sw = 1; wv = (int)pick(61) - 30; break;
        default: f += sprintf(f, "%u", 1 + pick(3)); break;
        }
        if (conv != 'c' && conv != 'p') {
            switch (pick(5)) {
            case 0: case 1: break;
            case 2: *f++ = '.'; break;
            case 3: f += sprintf(f, ".%u", pick(25)); break;
            default: f += sprintf(f, ".*"); sp = 1; pv = (int)pick(36) - 5; break;
            }
        }
        if (is_int) {
            len = (int)pick(8);
            f += sprintf(f, "%s", lens[len]);
        }
    }
    *f++ = conv;
    if (pick(3) == 0)
        f += sprintf(f, "%s", pick(2) ? " end" : "\n");
    *f = 0;

#define CALL(val) do { \
        if (sw && sp) both(sz, fmt, wv, pv, val); \
        else if (sw) both(sz, fmt, wv, val); \
        else if (sp) both(sz, fmt, pv, val); \
        else both(sz, fmt, val); \
    } while (0)

    switch (conv) {
    case '%':
        both(sz, fmt);
        break;
    case 'c':
        CALL((int)(unsigned char)(v ? v : 'A'));
        break;
    case 's':
        CALL(strs[pick(sizeof strs / sizeof *strs)]);
        break;
    case 'p':
        CALL(pick(4) ? (void *)(uintptr_t)v : NULL);
        break;
    case 'd': case 'i':
        switch (len) {
        case 0: CALL((int)v); break;
        case 1: CALL((signed char)v); break;
        case 2: CALL((short)v); break;
        case 3: CALL((long)v); break;
        case 4: CALL((long long)v); break;
        case 5: CALL((ssize_t)v); break;
        case 6: CALL((intmax_t)v); break;
        default: CALL((ptrdiff_t)v); break;
        }
        break;
    default:
        switch (len) {
        case 0: CALL((unsigned)v); break;
        case 1: CALL((unsigned char)v); break;
        case 2: CALL((unsigned short)v); break;
        case 3: CALL((unsigned long)v); break;
        case 4: CALL((unsigned long long)v); break;
        case 5: CALL((size_t)v); break;
        case 6: CALL((uintmax_t)v); break;
        default: CALL((ptrdiff_t)v); break;
        }
        break;
    }
}

static void fixed_cases(void)
{
    both(BUF, "%d %i %u %x %X %o %c %s %p %%", -42, 17, 3000000000u, 0xbeefu,
         0xbeefu, 8u, 'z', "str", (void *)0x1234);
    both(BUF, "[%5d] [%-5d] [%05d] [%+d] [% d] [%+05d]", 42, 42, 42, 42, 42, -42);
    both(BUF, "[%.0d] [%.0x] [%#.0o] [%#x] [%#o] [%#X]", 0, 0u, 0u, 0u, 0u, 255u);
    both(BUF, "[%*d] [%-*d] [%.*d] [%*.*s]", 6, 1, -6, 2, 4, 3, 8, 2, "abcdef");
    both(BUF, "[%hhd] [%hhu] [%hd] [%hu]", 300, 300, 70000, 70000);
    both(BUF, "[%lld] [%llu] [%llx]", LLONG_MIN, ULLONG_MAX, ULLONG_MAX);
    both(BUF, "[%zu] [%zd] [%jd] [%td]", (size_t)-1, (ssize_t)-5,
         (intmax_t)INTMAX_MIN, (ptrdiff_t)-7);
    both(BUF, "[%s] [%.3s] [%.7s] [%10.2s]", (char *)NULL, (char *)NULL,
         (char *)NULL, "hello");
    both(BUF, "[%p] [%10p] [%-10p]", NULL, NULL, (void *)1);
    both(BUF, "%d%%%d", 1, 2);
    both(BUF, "");
    both(3, "%s", "truncated");
    both(0, "%s", "nothing");
    both(BUF, "%c%c%c", 'a', 0, 'b');
    /* A lone % at the end: glibc fails, we print it as written. */
    mlt_snprintf(mbuf, BUF, "50%");
    CHECK(strcmp(mbuf, "50%") == 0, "trailing %%: \"%s\"", mbuf);
    mlt_snprintf(mbuf, BUF, "%y%d", 5);
    CHECK(strcmp(mbuf, "%y5") == 0, "unknown conversion: \"%s\"", mbuf);
}

/* The console path: printf is line-buffered; text reaches the platform
 * one line per write, and the rest at fflush. */
static void stdout_path(void)
{
    console_reset();
    mlt_printf("hello %s", "wor");
    CHECK(console_writes == 0, "printf wrote before the newline");
    mlt_printf("ld\nand more");
    CHECK(console_writes == 1 && strcmp(console, "hello world\n") == 0,
          "one write per line: %d writes, \"%s\"", console_writes, console);
    mlt_fputs(" err\n", mlt_ml_stderr_file);
    CHECK(strcmp(console, "hello world\nand more err\n") == 0,
          "stderr flushes stdout first: \"%s\"", console);
    console_reset();
    mlt_puts("line");
    mlt_putchar('x');
    mlt_fflush(NULL);
    CHECK(strcmp(console, "line\nx") == 0, "puts/putchar: \"%s\"", console);
    /* A line longer than the buffer still arrives whole and in order. */
    {
        char big[1000];
        memset(big, 'q', sizeof big - 1);
        big[sizeof big - 1] = 0;
        console_reset();
        mlt_printf("%s\n", big);
        CHECK(console_len == 1000 && console[999] == '\n' &&
              strspn(console, "q") == 999, "long line: %zu bytes", console_len);
    }
}

/* The floating conversions, built in with ML_PRINTF_FLOAT. */
static void float_cases(void)
{
    static const char *const fmts[] = { "%f", "%.0f", "%.1f", "%.3f", "%10.4f",
        "%-12.2f|", "%+f", "% f", "%#.0f", "%015.3f", "%e", "%.0e", "%.3E",
        "%12.4e", "%#.0e", "%g", "%.0g", "%.1g", "%.3g", "%.10g", "%#g",
        "%G", "%10.3g|", "%-+12.5g|", "%.17g", "%.20f", "%.30e", "%F" };
    static const double vals[] = { 0.0, -0.0, 1.0, -1.0, 0.5, 1.5, 2.5, 0.125,
        0.1, 0.3, 1e-5, 123456.789, 1e15, 1e16, 1e17, 9.5, 99.5, 999999.5,
        0.000123456, 3.14159265358979, 2.718281828459045, 1e100, 1e-100,
        1.7976931348623157e308, 4.9e-324, 2.2250738585072014e-308, 5e-5,
        0.05, 0.95, 9.9999, 123e20, 1.0 / 0.0, -1.0 / 0.0 };
    unsigned i, j;

    for (i = 0; i < sizeof fmts / sizeof *fmts; i++)
        for (j = 0; j < sizeof vals / sizeof *vals; j++) {
            /* glibc drops the zeros '#' must keep when rounding carries
             * into a new exponent (it prints 1.e+06); C says 1.00000e+06. */
            if (strcmp(fmts[i], "%#g") == 0 && vals[j] == 999999.5) {
                mlt_snprintf(mbuf, BUF, "%#g", vals[j]);
                CHECK(strcmp(mbuf, "1.00000e+06") == 0, "%%#g: %s", mbuf);
                continue;
            }
            both(BUF, fmts[i], vals[j]);
        }
    both(BUF, "%f %Lf %5.2f", 1.25, (long double)2.5, 3.14159);
    for (i = 0; i < 20000; i++) {
        union { unsigned long long u; double d; } x;
        char fmt[32];
        x.u = rnd();
        if (pick(2)) /* a more usual magnitude half the time */
            x.d = (double)(long long)(rnd() % 2000000 - 1000000) / (1 + pick(10000));
        if (x.d != x.d)
            continue; /* NaN: sign and spelling are glibc's choice */
        snprintf(fmt, sizeof fmt, "%%%s%s%u.%u%c", pick(3) ? "" : "-",
                 pick(3) ? "" : "+", pick(12), pick(18), "feEgG"[pick(5)]);
        both(BUF, fmt, x.d);
    }
}

int main(int argc, char **argv)
{
    int i, n = argc > 1 ? atoi(argv[1]) : 50000;

    if (argc > 2)
        rng_state = strtoull(argv[2], NULL, 0);
    fixed_cases();
    for (i = 0; i < n; i++)
        random_case();
    stdout_path();
    float_cases();
    return report("printf");
}

/* The runtime on a 32-bit ABI (i386 here; the rp2040 has the same type
 * widths): long and size_t are 32 bits, so the strto* limits, the printf
 * length modifiers, the heap's 8-byte alignment and its size classes all
 * take their other branches. No 32-bit libc is needed: this program is
 * freestanding like a guest, with Linux system calls as its platform, and
 * checks against expected strings instead of glibc. */
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <mirleft/runtime.h>

static long sys3(long n, long a, long b, long c)
{
    long r;
    __asm__ volatile("int $0x80" : "=a"(r) : "a"(n), "b"(a), "c"(b), "d"(c)
                     : "memory");
    return r;
}

void ml_plat_console_write(const char *buf, size_t len)
{
    sys3(4, 1, (long)buf, (long)len);
}
static ml_time_t now;
ml_time_t ml_plat_clock_monotonic(void) { return now; }
ml_time_t ml_plat_clock_wall(void) { return now; }
void ml_plat_yield(ml_time_t deadline, ml_handle_set_t *ready)
{
    if (deadline > now)
        now = deadline;
    *ready = 0;
}
_Noreturn void ml_plat_exit(int status)
{
    sys3(1, status, 0, 0);
    for (;;) ;
}
_Noreturn void ml_plat_abort(void) { ml_plat_exit(134); }
int mlgen_boot(const char *cmdline) { (void)cmdline; return 0; }

/* 64-bit division, which libgcc would supply on i386. */
unsigned long long __udivmoddi4(unsigned long long n, unsigned long long d,
                                unsigned long long *rem)
{
    unsigned long long q = 0;
    int i;
    if (d == 0)
        ml_plat_abort();
    for (i = 63; i >= 0; i--) {
        if ((n >> i) >= d) {
            n -= d << i;
            q |= 1ULL << i;
        }
    }
    if (rem)
        *rem = n;
    return q;
}
unsigned long long __udivdi3(unsigned long long n, unsigned long long d)
{
    return __udivmoddi4(n, d, 0);
}
unsigned long long __umoddi3(unsigned long long n, unsigned long long d)
{
    unsigned long long r;
    __udivmoddi4(n, d, &r);
    return r;
}

static int checks, failures;
#define CHECK(c, ...) do { checks++; if (!(c)) { failures++; \
    printf("smoke32.c:%d: ", __LINE__); printf(__VA_ARGS__); putchar('\n'); } } while (0)

static char buf[256];
#define FMT(expect, ...) do { snprintf(buf, sizeof buf, __VA_ARGS__); \
    CHECK(strcmp(buf, expect) == 0, "got \"%s\", want \"%s\"", buf, expect); } while (0)

static void formats(void)
{
    FMT("-2147483648 4294967295", "%ld %lu", LONG_MIN, ULONG_MAX);
    FMT("-9223372036854775808 18446744073709551615", "%lld %llu", LLONG_MIN,
        ULLONG_MAX);
    FMT("4294967295 -1 -5", "%zu %zd %td", (size_t)-1, (int)-1, (ptrdiff_t)-5);
    FMT("0xdeadbeef (nil)", "%p %p", (void *)0xdeadbeef, (void *)0);
    FMT("-9223372036854775807 ffffffff", "%jd %lx", (intmax_t)-INT64_MAX, ULONG_MAX);
    FMT("-1 -1 65535", "%hhd %hd %hu", 255, 65535, 65535);
    FMT("|   42|42   |00042|", "|%5" PRId32 "|%-5" PRIu64 "|%05" PRIdPTR "|",
        (int32_t)42, (uint64_t)42, (intptr_t)42);
    FMT("1234567890123 ff", "%" PRId64 " %" PRIxFAST32, (int64_t)1234567890123,
        (uint_fast32_t)255);
    FMT("%f", "%f", 1.5); /* built without ML_PRINTF_FLOAT: as written */
}

static void conversions(void)
{
    char *end;

    errno = 0;
    CHECK(strtol("2147483647", &end, 10) == LONG_MAX && errno == 0 && !*end, "max");
    CHECK(strtol("2147483648", NULL, 10) == LONG_MAX && errno == ERANGE, "over");
    errno = 0;
    CHECK(strtol("-2147483648", NULL, 10) == LONG_MIN && errno == 0, "min");
    CHECK(strtol("-2147483649", NULL, 10) == LONG_MIN && errno == ERANGE, "under");
    errno = 0;
    CHECK(strtoul("4294967295", NULL, 0) == ULONG_MAX && errno == 0, "umax");
    CHECK(strtoul("0x100000000", NULL, 0) == ULONG_MAX && errno == ERANGE, "uover");
    errno = 0;
    CHECK(strtoul("-1", NULL, 10) == ULONG_MAX && errno == 0, "u -1");
    CHECK(strtoll("-9223372036854775808", NULL, 10) == LLONG_MIN && errno == 0,
          "ll min");
    CHECK(strtoull("18446744073709551616", NULL, 10) == ULLONG_MAX &&
          errno == ERANGE, "ull over");
}

static unsigned rng = 12345;
static unsigned pick(unsigned n)
{
    rng = rng * 1103515245u + 12345u;
    return (rng >> 8) % n;
}

static void heap(void)
{
    static unsigned char *p[500];
    static size_t n[500];
    struct ml_heap_stats st;
    int op, i;
    size_t k;

    for (op = 0; op < 40000; op++) {
        i = (int)pick(500);
        if (p[i]) {
            for (k = 0; k < n[i]; k++)
                if (p[i][k] != (unsigned char)i)
                    break;
            CHECK(k == n[i], "block %d damaged", i);
            if (pick(3) == 0) {
                size_t m = 1 + pick(3000);
                unsigned char *q = realloc(p[i], m);
                if (q) {
                    p[i] = q;
                    n[i] = m;
                    memset(q, i, m);
                }
            } else {
                free(p[i]);
                p[i] = NULL;
            }
        } else {
            n[i] = pick(4) ? pick(100) : pick(20000);
            p[i] = pick(8) ? malloc(n[i]) : aligned_alloc(64, n[i]);
            if (p[i]) {
                CHECK((uintptr_t)p[i] % 8 == 0, "alignment");
                memset(p[i], i, n[i]);
            }
        }
        if (op % 500 == 0)
            CHECK(ml_heap_check() == 0, "heap check at %d", op);
    }
    for (i = 0; i < 500; i++)
        free(p[i]);
    ml_heap_stats(&st);
    CHECK(st.in_use == 0 && st.free_blocks == 1, "empty: %zu %zu", st.in_use,
          st.free_blocks);
    CHECK(malloc(st.largest_free + 1) == NULL && malloc(st.largest_free),
          "largest_free is exact");
}

static int fired;
static void on_timer(struct ml_timer *t, void *arg)
{
    (void)t;
    fired = fired * 10 + (int)(intptr_t)arg;
}

static void timers(void)
{
    struct ml_timer a, b, c;
    ml_timer_init(&a, on_timer, (void *)1);
    ml_timer_init(&b, on_timer, (void *)2);
    ml_timer_init(&c, on_timer, (void *)3);
    ml_timer_start(&c, 3 * ML_SEC, 0);
    ml_timer_start(&a, 1 * ML_SEC, 0);
    ml_timer_start(&b, 2 * ML_SEC, 0);
    CHECK(ml_loop_run() == 0 && fired == 123 && now == 3 * ML_SEC,
          "timers fired %d", fired);
}

static _Alignas(16) unsigned char region[1 << 20];

void _start(void)
{
    struct ml_start_info si = { "", (uintptr_t)region, sizeof region };

    (void)si;
    ml_heap_init((uintptr_t)region, sizeof region - ml_heap_stack_reserve(sizeof region));
    formats();
    conversions();
    heap();
    timers();
    printf("smoke32: %d checks, %d failures\n", checks, failures);
    ml_exit(failures != 0);
}

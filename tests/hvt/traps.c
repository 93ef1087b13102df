/*
 * hvt guest faults and CPU features, picked by the command line's first
 * word. Faults in ring 3 must reach the stub's handlers, be reported with
 * vector, error code, CR2 and registers, and halt with status 255.
 *   pf, zeropage, unmapped, xnow, stubpage   page faults
 *   ud, de, gp, int3                         other exceptions
 *   smash, abort                             stack protector, abort
 *   fpu                                      SSE and x87 results, checked
 *   time, heap, idle                         clocks, heap, a 2 s sleep
 */
#include "guest.h"
#include "plat_checks.h"

static void poke(uintptr_t addr)
{
    __asm__("" : "+r"(addr));
    *(volatile uint64_t *)addr = 0x42;
}

static void nop(void)
{
}

__attribute__((noinline)) static void smash(const char *src, size_t n)
{
    char buf[16];
    volatile char *p = buf;
    for (size_t i = 0; i < n; i++)
        p[i] = src[i];
    __asm__ volatile("" : : "r"(p) : "memory");
}

/* Print a double with 6 decimals (no libc). */
static void say_double(double d)
{
    if (d < 0) {
        say("-");
        d = -d;
    }
    uint64_t ip = (uint64_t)d;
    uint64_t fp = (uint64_t)((d - (double)ip) * 1000000.0 + 0.5);
    if (fp >= 1000000) {
        ip++;
        fp -= 1000000;
    }
    say_u64(ip);
    say(".");
    char b[7];
    for (int i = 5; i >= 0; i--) {
        b[i] = (char)('0' + fp % 10);
        fp /= 10;
    }
    b[6] = '\0';
    say(b);
}

typedef float v4f __attribute__((vector_size(16)));

static int fpu(void)
{
    /* SSE packed: squares of 4 floats (movaps, mulps). */
    static v4f a __attribute__((aligned(16))) = { 1.5f, 2.0f, -3.0f, 0.25f };
    v4f sq;
    __asm__ volatile("movaps %1, %%xmm0\n\t"
                     "mulps %%xmm0, %%xmm0\n\t"
                     "movaps %%xmm0, %0"
                     : "=m"(sq) : "m"(a) : "xmm0");
    CHECK(1, sq[0] == 2.25f && sq[1] == 4.0f && sq[2] == 9.0f &&
             sq[3] == 0.0625f);
    /* Scalar SSE2 doubles through the compiler. */
    volatile double x = 1.5, y = 5.0;
    CHECK(2, x * y == 7.5);
    double s;
    __asm__("sqrtsd %1, %0" : "=x"(s) : "x"((double)2.0));
    CHECK(3, s > 1.41421356 && s < 1.41421357);
    /* x87: 3 * pi with fldpi/fmul. */
    long double pi3;
    long double three = 3.0L;
    __asm__ volatile("fldpi\n\tfldt %1\n\tfmulp\n\tfstpt %0"
                     : "=m"(pi3) : "m"(three));
    CHECK(4, pi3 > 9.42477796L && pi3 < 9.42477797L);
    /* A loop the compiler may vectorise. */
    static double v[64];
    double sum = 0;
    for (int i = 0; i < 64; i++)
        v[i] = (double)i * 0.5;
    for (int i = 0; i < 64; i++)
        sum += v[i];
    CHECK(5, sum == 1008.0);
    say("squares ");
    for (int i = 0; i < 4; i++) {
        say_double(sq[i]);
        say(" ");
    }
    say("\n1.5*5.0=");
    say_double(x * y);
    say(" sqrt2=");
    say_double(s);
    say(" 3pi=");
    say_double((double)pi3);
    say(" sum=");
    say_double(sum);
    say("\nSUCCESS\n");
    return 0;
}

int ml_plat_main(const struct ml_start_info *si)
{
    const char *c = si->cmdline;
    static const char long_src[64] = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
    volatile size_t n = sizeof long_src;
    volatile uint64_t zero = 0;

    if (cmd_is(c, "pf") || cmd_is(c, "unmapped"))
        poke(2ull << 33);                         /* 16 GiB */
    else if (cmd_is(c, "zeropage"))
        poke(8);
    else if (cmd_is(c, "xnow"))
        poke((uintptr_t)nop);
    else if (cmd_is(c, "stubpage"))
        poke(0x100000);                           /* ELF header: ring 0 only */
    else if (cmd_is(c, "bootinfo"))
        poke(0x10000);                            /* read-only */
    else if (cmd_is(c, "ud"))
        __asm__ volatile("ud2");
    else if (cmd_is(c, "de"))
        __asm__ volatile("movq $0x1234, %%rax\n\txorl %%edx, %%edx\n\t"
                         "divq %0" : : "r"(zero) : "rax", "rdx");
    else if (cmd_is(c, "gp"))
        __asm__ volatile("hlt");                  /* privileged in ring 3 */
    else if (cmd_is(c, "int3"))
        __asm__ volatile("int3");
    else if (cmd_is(c, "smash"))
        smash(long_src, n);
    else if (cmd_is(c, "abort"))
        ml_plat_abort();
    else if (cmd_is(c, "fpu"))
        return fpu();
    else if (cmd_is(c, "time"))
        return check_time();
    else if (cmd_is(c, "heap"))
        return check_heap(si);
    else if (cmd_is(c, "idle")) {
        ml_time_t end = ml_plat_clock_monotonic() + 2000000000ull;
        while (ml_plat_clock_monotonic() < end)
            ml_plat_yield(end, NULL);
        say("SUCCESS\n");
        return 0;
    } else
        say("unknown mode\n");
    say("still alive\n");
    return 1;
}

/*
 * A misbehaving guest: the first word of the command line picks what it
 * does wrong. The tender must stop it (SIGSEGV, SIGSYS or exit 255) and
 * never be harmed.
 */
#include "guest.h"
#include "plat_checks.h"
#include "solo5_spt.h"

static void poke(uintptr_t addr)
{
    /* Hide the constant address from the compiler's bounds warnings. */
    __asm__("" : "+r"(addr));
    *(volatile uint64_t *)addr = 0x42;
}

static long raw_syscall(long n, long a, long b, long c)
{
    return raw_syscall4(n, a, b, c, 0);
}

static uint8_t scratch[4096];

/* "sys N ARG...": one raw system call; ARG is a decimal number, "buf"
 * (a scratch buffer in guest memory), "epfd" or "tfd" (the tender's epoll
 * fd and timerfd from the boot info). Prints what it returned. */
static int sys(const char *c)
{
    long v[5] = { 0, 0, 0, 0, 0 };
    for (int i = 0; i < 5 && *c; i++) {
        while (*c == ' ')
            c++;
        const struct spt_boot_info *bi =
            (const struct spt_boot_info *)SPT_BOOT_INFO_BASE;
        if (starts_with(c, "buf"))
            v[i] = (long)scratch;
        else if (starts_with(c, "epfd"))
            v[i] = bi->epollfd;
        else if (starts_with(c, "tfd"))
            v[i] = bi->timerfd;
        else if (*c == '-')
            v[i] = -(long)parse_num(c + 1);
        else
            v[i] = (long)parse_num(c);
        while (*c && *c != ' ')
            c++;
    }
    long r = raw_syscall4(v[0], v[1], v[2], v[3], v[4]);
    say("returned ");
    if (r < 0) {
        say("-");
        r = -r;
    }
    say_u64((uint64_t)r);
    say("\n");
    return 0;
}

/* Copies n bytes into a 16-byte stack buffer: n > 16 smashes the stack. */
__attribute__((noinline)) static void smash(const char *src, size_t n)
{
    char buf[16];
    volatile char *p = buf;
    for (size_t i = 0; i < n; i++)
        p[i] = src[i];
    __asm__ volatile("" : : "r"(p) : "memory");
}

/* A "ret" instruction in writable, non-executable data. */
static uint8_t data_code[16] = { 0xc3 };

static void nop(void)
{
}

int ml_plat_main(const struct ml_start_info *si)
{
    const char *c = si->cmdline;
    static const char long_src[64] = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
    volatile size_t n = sizeof long_src;

    if (cmd_is(c, "zeropage"))
        poke(8);
    else if (cmd_is(c, "unmapped"))
        poke(2ull << 33);
    else if (cmd_is(c, "xnow"))
        poke((uintptr_t)nop);
    else if (cmd_is(c, "wnox"))
        ((void (*)(void))(uintptr_t)data_code)();
    else if (cmd_is(c, "notls"))
        __asm__ volatile("movq %%fs:0x28, %%rax" : : : "rax", "memory");
    else if (cmd_is(c, "dup"))
        raw_syscall(32, 1, 0, 0);
    else if (cmd_is(c, "write2"))
        raw_syscall(1, 2, (long)"x", 1);
    else if (cmd_is(c, "x32"))
        raw_syscall(0x40000000 | 1, 1, (long)"x", 1);
    else if (cmd_is(c, "int80")) {
        /* The i386 write(1, msg, 11): the image lies below 4 GiB, so msg
         * is a valid 32-bit pointer and the call would print if it got
         * through. */
        static const char msg[] = "int80 wrote";
        __asm__ volatile("int $0x80"
                         : : "a"(4), "b"(1), "c"((uint32_t)(uintptr_t)msg),
                           "d"(sizeof msg - 1)
                         : "memory");
    }
    else if (cmd_is(c, "sys"))
        return sys(c + 3);
    else if (cmd_is(c, "smash"))
        smash(long_src, n);
    else if (cmd_is(c, "abort"))
        ml_plat_abort();
    else if (cmd_is(c, "time"))
        return check_time();
    else if (cmd_is(c, "heap"))
        return check_heap(si);
    else
        say("unknown mode\n");
    say("still alive\n");
    return 1;
}

/*
 * Tiny helpers for the spt test guests: there is no libc, so these print
 * through ml_plat_console_write and parse the command line by hand.
 */
#ifndef TESTS_SPT_GUEST_H
#define TESTS_SPT_GUEST_H

#include <stddef.h>
#include <stdint.h>

#include "mirleft/platform.h"

static inline size_t g_strlen(const char *s)
{
    size_t n = 0;
    while (s[n])
        n++;
    return n;
}

static inline void say(const char *s)
{
    ml_plat_console_write(s, g_strlen(s));
}

static inline void say_u64(uint64_t v)
{
    char buf[21];
    int i = 20;
    buf[i] = '\0';
    do {
        buf[--i] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    say(buf + i);
}

static inline void say_hex(uint64_t v)
{
    char buf[19];
    int i = 18;
    buf[i] = '\0';
    do {
        buf[--i] = "0123456789abcdef"[v & 15];
        v >>= 4;
    } while (v);
    buf[--i] = 'x';
    buf[--i] = '0';
    say(buf + i);
}

/* Is the command line's first word w? */
static inline int cmd_is(const char *cmd, const char *w)
{
    while (*w && *cmd == *w)
        cmd++, w++;
    return *w == '\0' && (*cmd == '\0' || *cmd == ' ');
}

static inline int starts_with(const char *s, const char *p)
{
    while (*p && *s == *p)
        s++, p++;
    return *p == '\0';
}

static inline uint64_t parse_num(const char *s)
{
    uint64_t v = 0;
    while (*s >= '0' && *s <= '9')
        v = v * 10 + (uint64_t)(*s++ - '0');
    return v;
}

/* A raw Linux system call with four arguments, bypassing the bindings:
 * the spt guests use it to check that the seccomp filter stops them. */
static inline long raw_syscall4(long n, long a, long b, long c, long d)
{
    register long r10 __asm__("r10") = d;
    long ret;
    __asm__ volatile("syscall"
                     : "=a"(ret)
                     : "a"(n), "D"(a), "S"(b), "d"(c), "r"(r10)
                     : "rcx", "r11", "memory");
    return ret;
}

/* Report a failed check and exit with its number. */
#define CHECK(n, cond)                                                        \
    do {                                                                      \
        if (!(cond)) {                                                        \
            say("FAILED check " #n ": " #cond "\n");                          \
            return n;                                                         \
        }                                                                     \
    } while (0)

#endif

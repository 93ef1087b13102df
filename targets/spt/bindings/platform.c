/*
 * The platform interface (share/include/mirleft/platform.h) for spt: each
 * call is one or a few raw Linux system calls, exactly those the tender's
 * seccomp filter allows (spec §5.4-5.5). Any other call kills the guest.
 * Arguments are checked here first, so a bad request gets ML_R_EINVAL
 * rather than a SIGSYS.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mirleft/platform.h"
#include "solo5_guest.h"
#include "solo5_spt.h"

/* x86_64 system call numbers and constants (Linux ABI). */
#define SYS_read 0
#define SYS_write 1
#define SYS_pread64 17
#define SYS_pwrite64 18
#define SYS_arch_prctl 158
#define SYS_clock_gettime 228
#define SYS_exit_group 231
#define SYS_epoll_pwait 281
#define SYS_timerfd_settime 286
#define ARCH_SET_FS 0x1002
#define CLOCK_REALTIME 0
#define CLOCK_MONOTONIC 1
#define TFD_TIMER_ABSTIME 1
#define EINTR 4
#define EAGAIN 11
#define NSEC_PER_SEC 1000000000ull
#define ETH_HLEN 14

static long syscall6(long n, long a, long b, long c, long d, long e, long f)
{
    register long r10 __asm__("r10") = d;
    register long r8 __asm__("r8") = e;
    register long r9 __asm__("r9") = f;
    long ret;
    __asm__ volatile("syscall"
                     : "=a"(ret)
                     : "a"(n), "D"(a), "S"(b), "d"(c), "r"(r10), "r"(r8),
                       "r"(r9)
                     : "rcx", "r11", "memory");
    return ret;
}

static long syscall3(long n, long a, long b, long c)
{
    long ret;
    __asm__ volatile("syscall"
                     : "=a"(ret)
                     : "a"(n), "D"(a), "S"(b), "d"(c)
                     : "rcx", "r11", "memory");
    return ret;
}

/* ---- state from the tender (set once by mlsolo5_target_init) --------- */

static const struct spt_boot_info *boot;
static unsigned n_net;    /* attached net devices: epoll set size - 1 */

void mlsolo5_target_init(const void *boot_info)
{
    const struct spt_boot_info *bi = boot_info;
    boot = bi;
    n_net = mlsolo5_mft_init(bi->mft);
    /* Any accidental TLS access now hits the unmapped zero page. */
    syscall3(SYS_arch_prctl, ARCH_SET_FS, 0, 0);
}

/* ---- console, clocks, exit -------------------------------------------- */

void ml_plat_console_write(const char *buf, size_t len)
{
    while (len > 0) {
        long n = syscall3(SYS_write, 1, (long)buf, (long)len);
        if (n == -EINTR)
            continue;
        if (n <= 0)
            return;       /* best effort: drop the rest */
        buf += n;
        len -= (size_t)n;
    }
}

static ml_time_t clock_ns(long clock)
{
    struct { int64_t sec, nsec; } ts = { 0, 0 };
    if (syscall3(SYS_clock_gettime, clock, (long)&ts, 0) != 0)
        return 0;
    return (ml_time_t)ts.sec * NSEC_PER_SEC + (ml_time_t)ts.nsec;
}

ml_time_t ml_plat_clock_monotonic(void)
{
    return clock_ns(CLOCK_MONOTONIC);
}

ml_time_t ml_plat_clock_wall(void)
{
    return clock_ns(CLOCK_REALTIME);
}

_Noreturn void ml_plat_exit(int status)
{
    for (;;)
        syscall3(SYS_exit_group, status, 0, 0);
}

/* ---- yield ------------------------------------------------------------ */

/* x86_64's struct epoll_event is packed: 12 bytes. */
struct epoll_event12 {
    uint32_t events;
    uint64_t data;
} __attribute__((packed));

void ml_plat_yield(ml_time_t deadline, ml_handle_set_t *ready)
{
    struct { int64_t sec, nsec; } its[2] = {
        { 0, 0 },  /* it_interval: one-shot */
        /* it_value: monotonic time is CLOCK_MONOTONIC, so the deadline is
         * absolute; a zero value would disarm the timer, hence the | 1. */
        { (int64_t)(deadline / NSEC_PER_SEC),
          (int64_t)((deadline % NSEC_PER_SEC) | 1) },
    };
    struct epoll_event12 ev[MFT_MAX_ENTRIES];
    long n;

    syscall6(SYS_timerfd_settime, boot->timerfd, TFD_TIMER_ABSTIME,
             (long)its, 0, 0, 0);
    do
        n = syscall6(SYS_epoll_pwait, boot->epollfd, (long)ev,
                     (long)n_net + 1, -1, 0, 0);
    while (n == -EINTR);

    ml_handle_set_t set = 0;
    for (long i = 0; i < n; i++)
        if (ev[i].data != SPT_INTERNAL_TIMERFD && ev[i].data < 64)
            set |= 1ull << ev[i].data;
    if (ready)
        *ready = set;
}

/* ---- devices ---------------------------------------------------------- */

/* Device lookup and acquire are share/solo5/guest/platform.c. */

/* A buffer must lie in guest memory: a pointer into the tender (above
 * mem_size) would let I/O write over the host side of the process. */
static bool in_guest(const void *p, size_t len)
{
    uintptr_t a = (uintptr_t)p;
    return a >= SPT_HOST_MEM_BASE && a <= boot->mem_size &&
           len <= boot->mem_size - a;
}

ml_result_t ml_plat_net_write(ml_handle_t h, const uint8_t *buf, size_t len)
{
    const struct mft_entry *e = mlsolo5_mft_entry(h, MFT_DEV_NET_BASIC);
    if (e == NULL || len > (size_t)e->u.net_basic.mtu + ETH_HLEN ||
        !in_guest(buf, len))
        return ML_R_EINVAL;
    long n = syscall3(SYS_write, e->b.hostfd, (long)buf, (long)len);
    return n == (long)len ? ML_R_OK : ML_R_EUNSPEC;
}

ml_result_t ml_plat_net_read(ml_handle_t h, uint8_t *buf, size_t size,
                             size_t *read_size)
{
    const struct mft_entry *e = mlsolo5_mft_entry(h, MFT_DEV_NET_BASIC);
    if (e == NULL || read_size == NULL ||
        size < (size_t)e->u.net_basic.mtu + ETH_HLEN || !in_guest(buf, size))
        return ML_R_EINVAL;
    long n = syscall3(SYS_read, e->b.hostfd, (long)buf, (long)size);
    if (n == -EAGAIN || n == 0)
        return ML_R_AGAIN;
    if (n < 0)
        return ML_R_EUNSPEC;
    *read_size = (size_t)n;
    return ML_R_OK;
}

/* The request [off, off + len) must be whole blocks within capacity, and
 * the buffer must lie in guest memory. */
static const struct mft_entry *block_check(ml_handle_t h, uint64_t off,
                                     const void *buf, size_t len)
{
    const struct mft_entry *e = mlsolo5_mft_entry(h, MFT_DEV_BLOCK_BASIC);
    if (e == NULL)
        return NULL;
    uint64_t bs = e->u.block_basic.block_size;
    uint64_t cap = e->u.block_basic.capacity;
    if (bs == 0 || off % bs != 0 || len % bs != 0 || off > cap ||
        len > cap - off || !in_guest(buf, len))
        return NULL;
    return e;
}

/* One block per call: the seccomp filter allows count == block_size only. */
static ml_result_t block_io(long nr, ml_handle_t h, uint64_t off,
                            const uint8_t *buf, size_t len)
{
    const struct mft_entry *e = block_check(h, off, buf, len);
    if (e == NULL)
        return ML_R_EINVAL;
    uint64_t bs = e->u.block_basic.block_size;
    for (size_t done = 0; done < len; done += bs) {
        long n = syscall6(nr, e->b.hostfd, (long)(buf + done), (long)bs,
                          (long)(off + done), 0, 0);
        if (n != (long)bs)
            return ML_R_EUNSPEC;
    }
    return ML_R_OK;
}

ml_result_t ml_plat_block_write(ml_handle_t h, uint64_t off,
                                const uint8_t *buf, size_t len)
{
    return block_io(SYS_pwrite64, h, off, buf, len);
}

ml_result_t ml_plat_block_read(ml_handle_t h, uint64_t off, uint8_t *buf,
                               size_t len)
{
    return block_io(SYS_pread64, h, off, buf, len);
}

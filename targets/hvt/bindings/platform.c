/*
 * The platform interface (share/include/mirleft/platform.h) for hvt, in
 * ring 3: each call is at most a few hypercalls, a 32-bit OUT of the
 * argument struct's address to port 0x500 + nr (spec §4.7), let through
 * by the TSS I/O bitmap the stub set up. Exits are costly (more so from
 * ring 3 under kvm_pvm), so arguments are checked here first: a bad
 * request gets ML_R_EINVAL without an exit, and the clock is the TSC.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mirleft/platform.h"
#include "solo5_guest.h"
#include "solo5_hvt.h"

#define NSEC_PER_SEC 1000000000ull
#define ETH_HLEN 14

static inline void hypercall(unsigned nr, volatile void *arg)
{
    __asm__ volatile("outl %0, %1"
                     :
                     : "a"((uint32_t)(uintptr_t)arg),
                       "Nd"((uint16_t)(HVT_HYPERCALL_PIO_BASE + nr))
                     : "memory");
}

/* ---- state from the tender (set once by mlsolo5_target_init) --------- */

static const struct hvt_boot_info *boot;
static uint64_t tsc_base;
static uint64_t ns_mult;        /* ns = (ticks * ns_mult) >> 32 */
static unsigned n_net;          /* attached net devices */

void mlsolo5_target_init(const void *boot_info)
{
    const struct hvt_boot_info *bi = boot_info;
    boot = bi;
    if (bi->cpu_cycle_freq == 0)
        ml_plat_abort();
    /* 2^32 ns per tick, scaled: exact enough (below 1 ppb for GHz TSCs)
     * and one multiply per reading. */
    ns_mult = (NSEC_PER_SEC << 32) / bi->cpu_cycle_freq;  /* < 2^63 */
    n_net = mlsolo5_mft_init((const struct mft *)(uintptr_t)bi->mft);
    tsc_base = mlsolo5_rdtsc();
}

/* ---- console, clocks, exit -------------------------------------------- */

void ml_plat_console_write(const char *buf, size_t len)
{
    volatile struct hvt_hc_puts a = {
        .data = (uint64_t)(uintptr_t)buf,
        .len = len,
    };
    hypercall(HVT_HYPERCALL_PUTS, &a);
}

ml_time_t ml_plat_clock_monotonic(void)
{
    uint64_t ticks = mlsolo5_rdtsc() - tsc_base;
    return (ml_time_t)(((unsigned __int128)ticks * ns_mult) >> 32);
}

ml_time_t ml_plat_clock_wall(void)
{
    volatile struct hvt_hc_walltime a = { .nsecs = 0 };
    hypercall(HVT_HYPERCALL_WALLTIME, &a);
    return a.nsecs;
}

_Noreturn void ml_plat_exit(int status)
{
    volatile struct hvt_hc_halt a = { .cookie = 0, .exit_status = status };
    for (;;)
        hypercall(HVT_HYPERCALL_HALT, &a);
}

/* ---- yield ------------------------------------------------------------ */

void ml_plat_yield(ml_time_t deadline, ml_handle_set_t *ready)
{
    ml_time_t now = ml_plat_clock_monotonic();
    /* Nothing to wait for and nothing that could be ready: no exit. */
    if (deadline <= now && n_net == 0) {
        if (ready)
            *ready = 0;
        return;
    }
    volatile struct hvt_hc_poll a = {
        .timeout_nsecs = deadline > now ? deadline - now : 0,
    };
    hypercall(HVT_HYPERCALL_POLL, &a);
    if (ready)
        *ready = a.ready_set;
}

/* ---- devices ---------------------------------------------------------- */

/* Device lookup and acquire are share/solo5/guest/platform.c. */

/* A buffer must lie in guest memory (the tender would stop us otherwise:
 * strictly below mem_size, spec §4.4). */
static bool in_guest(const void *p, size_t len)
{
    uintptr_t a = (uintptr_t)p;
    return a >= HVT_GUEST_MIN_BASE && a < boot->mem_size &&
           len < boot->mem_size - a;
}

/* From hvt.ld: below this lie the stub's pages, text and rodata, which
 * the host keeps read-only (and the tender refuses to write into). */
extern char _erodata[];

/* A buffer the host is to write into: also above text and rodata. As on
 * spt, where the host refuses with EFAULT, that is ML_R_EUNSPEC. */
static ml_result_t writable(const void *p, size_t len)
{
    if (!in_guest(p, len))
        return ML_R_EINVAL;
    return (uintptr_t)p < (uintptr_t)_erodata ? ML_R_EUNSPEC : ML_R_OK;
}

ml_result_t ml_plat_net_write(ml_handle_t h, const uint8_t *buf, size_t len)
{
    const struct mft_entry *e = mlsolo5_mft_entry(h, MFT_DEV_NET_BASIC);
    if (e == NULL || len > (size_t)e->u.net_basic.mtu + ETH_HLEN ||
        !in_guest(buf, len))
        return ML_R_EINVAL;
    volatile struct hvt_hc_net_write a = {
        .handle = h, .data = (uint64_t)(uintptr_t)buf, .len = len,
    };
    hypercall(HVT_HYPERCALL_NET_WRITE, &a);
    return (ml_result_t)a.ret;
}

ml_result_t ml_plat_net_read(ml_handle_t h, uint8_t *buf, size_t size,
                             size_t *read_size)
{
    const struct mft_entry *e = mlsolo5_mft_entry(h, MFT_DEV_NET_BASIC);
    if (e == NULL || read_size == NULL ||
        size < (size_t)e->u.net_basic.mtu + ETH_HLEN)
        return ML_R_EINVAL;
    ml_result_t w = writable(buf, size);
    if (w != ML_R_OK)
        return w;
    volatile struct hvt_hc_net_read a = {
        .handle = h, .data = (uint64_t)(uintptr_t)buf, .len = size,
    };
    hypercall(HVT_HYPERCALL_NET_READ, &a);
    if (a.ret == ML_R_OK)
        *read_size = a.len;
    return (ml_result_t)a.ret;
}

/* The request [off, off + len) must be whole blocks within capacity, and
 * the buffer must lie in guest memory. The hvt ABI lets one hypercall move
 * many blocks (the tender checks only the range, spec §4.9; the one-block
 * rule of §1.2 is Solo5's guest API, not the ABI), and a VM exit costs tens
 * of microseconds here: so one exit per request, in chunks of at most
 * BLOCK_CHUNK bytes to bound each host-side transfer. */
#define BLOCK_CHUNK (1u << 20)
static ml_result_t block_io(unsigned nr, ml_handle_t h, uint64_t off,
                            const uint8_t *buf, size_t len)
{
    const struct mft_entry *e = mlsolo5_mft_entry(h, MFT_DEV_BLOCK_BASIC);
    if (e == NULL)
        return ML_R_EINVAL;
    uint64_t bs = e->u.block_basic.block_size;
    uint64_t cap = e->u.block_basic.capacity;
    if (bs == 0 || off % bs != 0 || len % bs != 0 || off > cap ||
        len > cap - off || !in_guest(buf, len))
        return ML_R_EINVAL;
    if (nr == HVT_HYPERCALL_BLOCK_READ && writable(buf, len) != ML_R_OK)
        return writable(buf, len);
    size_t chunk = BLOCK_CHUNK - BLOCK_CHUNK % bs;
    for (size_t done = 0; done < len; done += chunk) {
        size_t n = len - done < chunk ? len - done : chunk;
        volatile struct hvt_hc_block_write a = {
            .handle = h, .offset = off + done,
            .data = (uint64_t)(uintptr_t)(buf + done), .len = n,
        };
        hypercall(nr, &a);
        if (a.ret != ML_R_OK)
            return (ml_result_t)a.ret;
    }
    return ML_R_OK;
}

ml_result_t ml_plat_block_write(ml_handle_t h, uint64_t off,
                                const uint8_t *buf, size_t len)
{
    return block_io(HVT_HYPERCALL_BLOCK_WRITE, h, off, buf, len);
}

ml_result_t ml_plat_block_read(ml_handle_t h, uint64_t off, uint8_t *buf,
                               size_t len)
{
    return block_io(HVT_HYPERCALL_BLOCK_READ, h, off, buf, len);
}

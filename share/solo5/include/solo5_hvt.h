/*
 * The Solo5 hvt ABI, version 2 (shared/specs/solo5-abi.md §4): constants,
 * the boot-info block the tender writes at HVT_BOOT_INFO_BASE and the
 * hypercall argument structures. Shared by the guest bindings and the
 * tender; freestanding-safe. Every offset is checked below.
 */
#ifndef MIRLEFT_SOLO5_HVT_H
#define MIRLEFT_SOLO5_HVT_H

#include <stdint.h>

#define HVT_ABI_VERSION 2u
#define HVT_GUEST_MIN_BASE 0x100000ull
#define HVT_BOOT_INFO_BASE 0x10000ull
#define HVT_CMDLINE_SIZE 8192u
#define HVT_HALT_COOKIE_MAX 512u
#define HVT_HYPERCALL_PIO_BASE 0x500u
#define HVT_RING_KICK_PIO_BASE 0x600u
#define HVT_FEATURE_RING_IO 1u
#define HVT_PAGE_2M 0x200000ull
#define HVT_MAX_MEM (2048ull * HVT_PAGE_2M)   /* 4 GiB */

/* Layout the tender builds below the boot info (§4.3, §4.5). */
#define HVT_GDT_BASE 0x1000ull
#define HVT_PML4_BASE 0x2000ull
#define HVT_PDPT_BASE 0x3000ull
#define HVT_PD_BASE 0x4000ull                /* 4 pages: one per GiB */
#define HVT_PT0_BASE 0x8000ull               /* the first 2 MiB, 4 KiB pages */

enum hvt_hypercall {
    HVT_HYPERCALL_RESERVED = 0,
    HVT_HYPERCALL_WALLTIME = 1,
    HVT_HYPERCALL_PUTS = 2,
    HVT_HYPERCALL_POLL = 3,
    HVT_HYPERCALL_BLOCK_WRITE = 4,
    HVT_HYPERCALL_BLOCK_READ = 5,
    HVT_HYPERCALL_NET_WRITE = 6,
    HVT_HYPERCALL_NET_READ = 7,
    HVT_HYPERCALL_HALT = 8,
    HVT_HYPERCALL_MAX = 9
};

/* Guest-physical addresses travel as u64 on both sides. */
typedef uint64_t hvt_gpa_t;

struct hvt_boot_info {
    uint64_t mem_size;        /* guest memory, ring excluded */
    uint64_t kernel_end;      /* end of the highest loaded segment (no .bss) */
    uint64_t cpu_cycle_freq;  /* TSC Hz */
    hvt_gpa_t cmdline;        /* NUL-terminated */
    hvt_gpa_t mft;            /* the tender's manifest copy */
    uint32_t host_features;   /* HVT_FEATURE_* offered (v0.11+) */
    uint32_t guest_features;
    hvt_gpa_t net_ring;       /* 0: no ring */
};

struct hvt_hc_walltime {
    uint64_t nsecs;           /* OUT */
};

struct hvt_hc_puts {
    hvt_gpa_t data;           /* IN */
    uint64_t len;             /* IN */
};

struct hvt_hc_poll {
    uint64_t timeout_nsecs;   /* IN, relative */
    uint64_t ready_set;       /* OUT */
    int32_t ret;              /* OUT: number of ready net devices */
};

struct hvt_hc_block_write {
    uint64_t handle;          /* IN */
    uint64_t offset;          /* IN */
    hvt_gpa_t data;           /* IN */
    uint64_t len;             /* IN */
    int32_t ret;              /* OUT: solo5_result_t */
};

struct hvt_hc_block_read {
    uint64_t handle;          /* IN */
    uint64_t offset;          /* IN */
    hvt_gpa_t data;           /* IN: destination */
    uint64_t len;             /* IN/OUT */
    int32_t ret;              /* OUT */
};

struct hvt_hc_net_write {
    uint64_t handle;          /* IN */
    hvt_gpa_t data;           /* IN */
    uint64_t len;             /* IN */
    int32_t ret;              /* OUT */
};

struct hvt_hc_net_read {
    uint64_t handle;          /* IN */
    hvt_gpa_t data;           /* IN */
    uint64_t len;             /* IN: buffer size; OUT: frame length */
    int32_t ret;              /* OUT */
};

struct hvt_hc_halt {
    hvt_gpa_t cookie;         /* IN: 0, or a trap frame (512 bytes checked) */
    int32_t exit_status;      /* IN */
};

#define HVT_OFF(t, f) __builtin_offsetof(struct t, f)
_Static_assert(sizeof(struct hvt_boot_info) == 56, "boot info is 56 bytes");
_Static_assert(HVT_OFF(hvt_boot_info, mem_size) == 0, "mem_size@0");
_Static_assert(HVT_OFF(hvt_boot_info, kernel_end) == 8, "kernel_end@8");
_Static_assert(HVT_OFF(hvt_boot_info, cpu_cycle_freq) == 16, "freq@16");
_Static_assert(HVT_OFF(hvt_boot_info, cmdline) == 24, "cmdline@24");
_Static_assert(HVT_OFF(hvt_boot_info, mft) == 32, "mft@32");
_Static_assert(HVT_OFF(hvt_boot_info, host_features) == 40, "hf@40");
_Static_assert(HVT_OFF(hvt_boot_info, guest_features) == 44, "gf@44");
_Static_assert(HVT_OFF(hvt_boot_info, net_ring) == 48, "net_ring@48");

_Static_assert(sizeof(struct hvt_hc_walltime) == 8, "walltime is 8");
_Static_assert(HVT_OFF(hvt_hc_walltime, nsecs) == 0, "nsecs@0");
_Static_assert(sizeof(struct hvt_hc_puts) == 16, "puts is 16");
_Static_assert(HVT_OFF(hvt_hc_puts, data) == 0, "data@0");
_Static_assert(HVT_OFF(hvt_hc_puts, len) == 8, "len@8");
_Static_assert(sizeof(struct hvt_hc_poll) == 24, "poll is 24");
_Static_assert(HVT_OFF(hvt_hc_poll, timeout_nsecs) == 0, "timeout@0");
_Static_assert(HVT_OFF(hvt_hc_poll, ready_set) == 8, "ready_set@8");
_Static_assert(HVT_OFF(hvt_hc_poll, ret) == 16, "ret@16");
_Static_assert(sizeof(struct hvt_hc_block_write) == 40, "block_write is 40");
_Static_assert(HVT_OFF(hvt_hc_block_write, handle) == 0, "handle@0");
_Static_assert(HVT_OFF(hvt_hc_block_write, offset) == 8, "offset@8");
_Static_assert(HVT_OFF(hvt_hc_block_write, data) == 16, "data@16");
_Static_assert(HVT_OFF(hvt_hc_block_write, len) == 24, "len@24");
_Static_assert(HVT_OFF(hvt_hc_block_write, ret) == 32, "ret@32");
_Static_assert(sizeof(struct hvt_hc_block_read) == 40, "block_read is 40");
_Static_assert(HVT_OFF(hvt_hc_block_read, handle) == 0, "handle@0");
_Static_assert(HVT_OFF(hvt_hc_block_read, offset) == 8, "offset@8");
_Static_assert(HVT_OFF(hvt_hc_block_read, data) == 16, "data@16");
_Static_assert(HVT_OFF(hvt_hc_block_read, len) == 24, "len@24");
_Static_assert(HVT_OFF(hvt_hc_block_read, ret) == 32, "ret@32");
_Static_assert(sizeof(struct hvt_hc_net_write) == 32, "net_write is 32");
_Static_assert(HVT_OFF(hvt_hc_net_write, handle) == 0, "handle@0");
_Static_assert(HVT_OFF(hvt_hc_net_write, data) == 8, "data@8");
_Static_assert(HVT_OFF(hvt_hc_net_write, len) == 16, "len@16");
_Static_assert(HVT_OFF(hvt_hc_net_write, ret) == 24, "ret@24");
_Static_assert(sizeof(struct hvt_hc_net_read) == 32, "net_read is 32");
_Static_assert(HVT_OFF(hvt_hc_net_read, handle) == 0, "handle@0");
_Static_assert(HVT_OFF(hvt_hc_net_read, data) == 8, "data@8");
_Static_assert(HVT_OFF(hvt_hc_net_read, len) == 16, "len@16");
_Static_assert(HVT_OFF(hvt_hc_net_read, ret) == 24, "ret@24");
_Static_assert(sizeof(struct hvt_hc_halt) == 16, "halt is 16");
_Static_assert(HVT_OFF(hvt_hc_halt, cookie) == 0, "cookie@0");
_Static_assert(HVT_OFF(hvt_hc_halt, exit_status) == 8, "exit_status@8");
#undef HVT_OFF

#endif

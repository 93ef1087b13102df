/*
 * What the spt and hvt bindings share (share/solo5/guest/): both are thin
 * layers over a Solo5 tender, and differ only in how they enter, what the
 * boot info looks like and how they call the host. target.yml lists these
 * files among a target's bindings; they are linked into the same partially
 * linked object, so these names stay private to the bindings.
 */
#ifndef MIRLEFT_SOLO5_GUEST_H
#define MIRLEFT_SOLO5_GUEST_H

#include <stddef.h>
#include <stdint.h>

#include "mirleft/platform.h"
#include "solo5_mft.h"

/* The TSC: entropy for the canary on both targets, hvt's clock too. */
static inline uint64_t mlsolo5_rdtsc(void)
{
    uint32_t lo, hi;
    __asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
    return ((uint64_t)hi << 32) | lo;
}

/* start.c: checks that guest memory holds .bss and a stack, sets the
 * stack-protector canary, calls mlsolo5_target_init(boot_info), then runs
 * the unikernel on the rest of memory with cmdline minus its --solo5:*
 * options. Call it from the (uninstrumented) entry point. */
_Noreturn void mlsolo5_start(uint64_t mem_size, const char *cmdline,
                             const void *boot_info);
/* The target's: prints msg and exits 255 without touching .bss, which may
 * lie beyond guest memory. */
_Noreturn void mlsolo5_early_fail(const char *msg, size_t len);
/* The target's: takes over its boot info, before the unikernel runs. */
void mlsolo5_target_init(const void *boot_info);

/* platform.c: keeps the tender's manifest (aborting if it is malformed)
 * and returns how many net devices are attached. */
unsigned mlsolo5_mft_init(const struct mft *m);
/* platform.c: the attached device called name of this type, its handle
 * in *h; NULL if none. */
const struct mft_entry *mlsolo5_mft_lookup(const char *name, uint32_t type,
                                           ml_handle_t *h);
/* platform.c: the attached device of handle h if it is of this type. */
const struct mft_entry *mlsolo5_mft_entry(ml_handle_t h, uint32_t type);

#endif

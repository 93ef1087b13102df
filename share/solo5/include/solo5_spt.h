/*
 * The Solo5 spt ABI, version 2 (shared/specs/solo5-abi.md §5): constants and
 * the boot-info block the tender places at SPT_BOOT_INFO_BASE.
 */
#ifndef MIRLEFT_SOLO5_SPT_H
#define MIRLEFT_SOLO5_SPT_H

#include <stdint.h>

#define SPT_ABI_VERSION 2u
#define SPT_GUEST_MIN_BASE 0x100000ul
#define SPT_HOST_MEM_BASE 0x10000ul
#define SPT_BOOT_INFO_BASE 0x11000ul
#define SPT_CMDLINE_SIZE 8192u
#define SPT_INTERNAL_TIMERFD 0xFFFFFFFEull

struct spt_boot_info {
    uint64_t mem_size;
    uint64_t kernel_end;
    const char *cmdline;
    void *mft;           /* struct mft * */
    int epollfd;
    int timerfd;
};

_Static_assert(sizeof(struct spt_boot_info) == 40, "spt_boot_info is 40");

#endif

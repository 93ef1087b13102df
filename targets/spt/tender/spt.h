/*
 * mirleft-spt: the spt-specific parts of the tender (spec §5). The guest
 * runs inside this process: its memory is mapped at its own addresses,
 * seccomp is the only boundary.
 */
#ifndef MIRLEFT_SPT_TENDER_H
#define MIRLEFT_SPT_TENDER_H

#include <linux/filter.h>
#include <stdint.h>

#include "solo5_spt.h"
#include "tender.h"

/* mem.c */
void spt_check_host(uint64_t mem_size);
void spt_mem_init(uint64_t mem_size);
void spt_protect(uint64_t start, uint64_t end, int prot);

/* boot.c */
void spt_events(const struct mft *m, int *epollfd, int *timerfd);
void spt_boot_info(const struct mft *m, size_t mft_size, const char *cmdline,
                   uint64_t mem_size, uint64_t kernel_end, int epollfd,
                   int timerfd);

/* seccomp.c */
void spt_seccomp_build(const struct mft *m, int epollfd, int timerfd,
                       struct sock_fprog *prog);
_Noreturn void spt_launch(const struct sock_fprog *prog, uint64_t entry,
                          uint64_t stack, uint64_t arg);

#endif

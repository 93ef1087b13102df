/*
 * What the guest finds at entry (spec §5.2-5.3): an epoll set holding the
 * internal timerfd and every tap fd, and at 0x11000 the boot info, followed
 * by the tender's copy of the manifest (devices filled in) and the command
 * line.
 */
#include <err.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/timerfd.h>
#include <time.h>

#include "spt.h"

#define MFT_COPY_BASE (SPT_BOOT_INFO_BASE + sizeof(struct spt_boot_info))

_Static_assert(MFT_COPY_BASE == 0x11028, "manifest copy at 0x11028");
_Static_assert(MFT_COPY_BASE + 8 + MFT_MAX_ENTRIES * 104 + SPT_CMDLINE_SIZE
               <= SPT_GUEST_MIN_BASE, "boot area fits below the image");

static void epoll_add(int epollfd, int fd, uint64_t data)
{
    struct epoll_event ev = { .events = EPOLLIN, .data.u64 = data };
    if (epoll_ctl(epollfd, EPOLL_CTL_ADD, fd, &ev) < 0)
        err(1, "Could not poll file descriptor %d (a regular file?)", fd);
}

void spt_events(const struct mft *m, int *epollfd, int *timerfd)
{
    *epollfd = epoll_create1(EPOLL_CLOEXEC);
    if (*epollfd < 0)
        err(1, "epoll_create1");
    *timerfd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
    if (*timerfd < 0)
        err(1, "timerfd_create");
    epoll_add(*epollfd, *timerfd, SPT_INTERNAL_TIMERFD);
    /* Event data is the manifest index, i.e. the guest's handle. */
    for (uint32_t i = 1; i < m->entries; i++)
        if (m->e[i].type == MFT_DEV_NET_BASIC && m->e[i].attached)
            epoll_add(*epollfd, m->e[i].b.hostfd, i);
}

void spt_boot_info(const struct mft *m, size_t mft_size, const char *cmdline,
                   uint64_t mem_size, uint64_t kernel_end, int epollfd,
                   int timerfd)
{
    struct spt_boot_info *bi = (struct spt_boot_info *)SPT_BOOT_INFO_BASE;
    char *mft_copy = (char *)MFT_COPY_BASE;
    char *cmd_copy = mft_copy + mft_size;

    memcpy(mft_copy, m, mft_size);
    memcpy(cmd_copy, cmdline, strlen(cmdline) + 1);  /* < SPT_CMDLINE_SIZE */
    bi->mem_size = mem_size;
    bi->kernel_end = kernel_end;
    bi->cmdline = cmd_copy;
    bi->mft = mft_copy;
    bi->epollfd = epollfd;
    bi->timerfd = timerfd;
}

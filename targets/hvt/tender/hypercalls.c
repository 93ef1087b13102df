/*
 * The hypercalls (spec §4.7-4.9, §4.11). The guest passes the
 * guest-physical address of an argument struct; the handler works on it in
 * place. Every guest-supplied range, the struct itself included, is
 * checked first (spec §4.4): the tender never touches memory outside the
 * guest's, and a bad range stops the guest.
 */
#include <err.h>
#include <errno.h>
#include <limits.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>

#include "hvt.h"

#define TIMER_EVENT 0xFFFFFFFEull
#define NSEC 1000000000ull

void *hvt_checked(const struct hvt *h, uint64_t gpa, uint64_t sz)
{
    /* Solo5's rule, strictly less at the top. */
    if (gpa >= h->mem_size || sz > UINT64_MAX - gpa ||
        gpa + sz >= h->mem_size)
        errx(1, "Invalid guest access: gpa=0x%llx, sz=%llu",
             (unsigned long long)gpa, (unsigned long long)sz);
    return h->mem + gpa;
}

/* The same, for a range the tender writes: it must also lie outside the
 * segments kept read-only on the host (a write there would fault in the
 * tender itself). */
void *hvt_checked_w(const struct hvt *h, uint64_t gpa, uint64_t sz)
{
    void *p = hvt_checked(h, gpa, sz);
    for (unsigned i = 0; i < h->n_ro; i++)
        if (gpa < h->ro[i].end && gpa + sz > h->ro[i].start)
            errx(1, "Invalid guest access: gpa=0x%llx, sz=%llu "
                 "(read-only guest memory)", (unsigned long long)gpa,
                 (unsigned long long)sz);
    return p;
}

static void epoll_add(int epollfd, int fd, uint64_t data)
{
    struct epoll_event ev = { .events = EPOLLIN, .data.u64 = data };
    if (epoll_ctl(epollfd, EPOLL_CTL_ADD, fd, &ev) < 0)
        err(1, "Could not poll file descriptor %d (a regular file?)", fd);
}

void hvt_events(struct hvt *h)
{
    h->epollfd = epoll_create1(EPOLL_CLOEXEC);
    if (h->epollfd < 0)
        err(1, "epoll_create1");
    h->timerfd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
    if (h->timerfd < 0)
        err(1, "timerfd_create");
    epoll_add(h->epollfd, h->timerfd, TIMER_EVENT);
    for (uint32_t i = 1; i < h->mft->entries; i++) {
        const struct mft_entry *e = &h->mft->e[i];
        if (!e->attached)
            continue;
        if (e->type == MFT_DEV_NET_BASIC) {
            epoll_add(h->epollfd, e->b.hostfd, i);  /* data = the handle */
            h->n_net++;
        } else if (e->type == MFT_DEV_BLOCK_BASIC) {
            h->n_block++;
        }
    }
}

/* The entry for handle hd if it is a device of that type, else NULL. */
static const struct mft_entry *device(const struct hvt *h, uint64_t hd,
                                      uint32_t type)
{
    if (hd == 0 || hd >= h->mft->entries)
        return NULL;
    const struct mft_entry *e = &h->mft->e[hd];
    return (e->type == type && e->attached) ? e : NULL;
}

static void do_walltime(struct hvt *h, uint64_t gpa)
{
    struct hvt_hc_walltime *a = hvt_checked_w(h, gpa, sizeof *a);
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    a->nsecs = (uint64_t)ts.tv_sec * NSEC + (uint64_t)ts.tv_nsec;
}

static void do_puts(struct hvt *h, uint64_t gpa)
{
    struct hvt_hc_puts *a = hvt_checked(h, gpa, sizeof *a);
    uint64_t len = a->len;
    const char *p = hvt_checked(h, a->data, len);
    while (len > 0) {
        ssize_t n = write(1, p, len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return;                    /* best effort, like the console */
        p += n;
        len -= (uint64_t)n;
    }
}

static void do_poll(struct hvt *h, uint64_t gpa)
{
    struct hvt_hc_poll *a = hvt_checked_w(h, gpa, sizeof *a);
    struct epoll_event ev[MFT_MAX_ENTRIES];
    uint64_t t = a->timeout_nsecs;
    struct itimerspec it = {
        .it_interval = { 0, 0 },
        /* A zero value would disarm the timer, hence the | 1. */
        .it_value = { (time_t)(t / NSEC > (uint64_t)INT64_MAX / 2
                               ? INT64_MAX / 2 : t / NSEC),
                      (long)((t % NSEC) | 1) },
    };
    int n;

    if (timerfd_settime(h->timerfd, 0, &it, NULL) < 0)
        err(1, "timerfd_settime");
    do
        n = epoll_wait(h->epollfd, ev, (int)h->n_net + 1, -1);
    while (n < 0 && errno == EINTR);
    if (n < 0)
        err(1, "epoll_wait");

    uint64_t set = 0;
    int32_t ready = 0;
    for (int i = 0; i < n; i++) {
        if (ev[i].data.u64 == TIMER_EVENT) {
            uint64_t ticks;
            (void)!read(h->timerfd, &ticks, sizeof ticks);
        } else if (ev[i].data.u64 < 64) {
            set |= 1ull << ev[i].data.u64;
            ready++;
        }
    }
    a->ready_set = set;
    a->ret = ready;
}

/* BLOCK_WRITE and BLOCK_READ share their layout (spec §4.9). */
static void do_block(struct hvt *h, uint64_t gpa, int write)
{
    struct hvt_hc_block_write *a = hvt_checked_w(h, gpa, sizeof *a);
    const struct mft_entry *e = device(h, a->handle, MFT_DEV_BLOCK_BASIC);
    uint64_t cap = e ? e->u.block_basic.capacity : 0;
    uint64_t off = a->offset, len = a->len;

    if (e == NULL || len > SSIZE_MAX || off >= cap || len > cap - off) {
        a->ret = 2;                    /* SOLO5_R_EINVAL */
        return;
    }
    uint8_t *p = write ? hvt_checked(h, a->data, len)
                       : hvt_checked_w(h, a->data, len);
    ssize_t n = write ? pwrite(e->b.hostfd, p, len, (off_t)off)
                      : pread(e->b.hostfd, p, len, (off_t)off);
    if (n < 0)
        err(1, "Block device '%s': %s failed at offset %llu", e->name,
            write ? "write" : "read", (unsigned long long)off);
    if ((uint64_t)n != len)
        errx(1, "Block device '%s': short %s at offset %llu", e->name,
             write ? "write" : "read", (unsigned long long)off);
    a->ret = 0;
}

static void do_net_write(struct hvt *h, uint64_t gpa)
{
    struct hvt_hc_net_write *a = hvt_checked_w(h, gpa, sizeof *a);
    const struct mft_entry *e = device(h, a->handle, MFT_DEV_NET_BASIC);
    if (e == NULL) {
        a->ret = 2;
        return;
    }
    const uint8_t *p = hvt_checked(h, a->data, a->len);
    ssize_t n;
    do
        n = write(e->b.hostfd, p, a->len);
    while (n < 0 && errno == EINTR);
    if (n < 0)
        err(1, "Network device '%s': write failed", e->name);
    if ((uint64_t)n != a->len)
        errx(1, "Network device '%s': short write", e->name);
    a->ret = 0;
}

static void do_net_read(struct hvt *h, uint64_t gpa)
{
    struct hvt_hc_net_read *a = hvt_checked_w(h, gpa, sizeof *a);
    const struct mft_entry *e = device(h, a->handle, MFT_DEV_NET_BASIC);
    if (e == NULL) {
        a->ret = 2;
        return;
    }
    uint8_t *p = hvt_checked_w(h, a->data, a->len);
    ssize_t n;
    do
        n = read(e->b.hostfd, p, a->len);
    while (n < 0 && errno == EINTR);
    if (n == 0 || (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))) {
        a->ret = 1;                    /* SOLO5_R_AGAIN */
        return;
    }
    if (n < 0)
        err(1, "Network device '%s': read failed", e->name);
    a->len = (uint64_t)n;
    a->ret = 0;
}

int hvt_hypercall(struct hvt *h, uint16_t port, uint32_t gpa, int *status)
{
    unsigned nr = port - HVT_HYPERCALL_PIO_BASE;
    switch (nr) {
    case HVT_HYPERCALL_WALLTIME:
        do_walltime(h, gpa);
        return 0;
    case HVT_HYPERCALL_PUTS:
        do_puts(h, gpa);
        return 0;
    case HVT_HYPERCALL_POLL:
        do_poll(h, gpa);
        return 0;
    case HVT_HYPERCALL_BLOCK_WRITE:
    case HVT_HYPERCALL_BLOCK_READ:
        if (h->n_block == 0)
            break;
        do_block(h, gpa, nr == HVT_HYPERCALL_BLOCK_WRITE);
        return 0;
    case HVT_HYPERCALL_NET_WRITE:
        if (h->n_net == 0)
            break;
        do_net_write(h, gpa);
        return 0;
    case HVT_HYPERCALL_NET_READ:
        if (h->n_net == 0)
            break;
        do_net_read(h, gpa);
        return 0;
    case HVT_HYPERCALL_HALT: {
        struct hvt_hc_halt *a = hvt_checked(h, gpa, sizeof *a);
        if (a->cookie != 0)
            (void)hvt_checked(h, a->cookie, HVT_HALT_COOKIE_MAX);
        *status = a->exit_status;
        return 1;
    }
    default:
        break;
    }
    errx(1, "Invalid guest hypercall: num=%u", nr);
}

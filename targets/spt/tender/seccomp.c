/*
 * The seccomp filter that confines the guest (spec §5.4): default kill,
 * and only the calls the spt bindings make, with their arguments pinned
 * to our fds, block sizes and capacities.
 *
 * libseccomp builds the program; we export it and load it ourselves right
 * before the jump, so that nothing (no free(), no trim of the heap) runs
 * between loading the filter and entering the guest.
 */
#include <asm/prctl.h>
#include <err.h>
#include <linux/seccomp.h>
#include <seccomp.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "spt.h"

static void allow(scmp_filter_ctx ctx, int nr, unsigned n,
                  const struct scmp_arg_cmp *args)
{
    int rc = seccomp_rule_add_array(ctx, SCMP_ACT_ALLOW, nr, n, args);
    if (rc < 0)
        errx(1, "seccomp_rule_add(%d): %s", nr, strerror(-rc));
}

static void allow_fd(scmp_filter_ctx ctx, int nr, int fd)
{
    struct scmp_arg_cmp a[] = { SCMP_A0(SCMP_CMP_EQ, (scmp_datum_t)fd) };
    allow(ctx, nr, 1, a);
}

/* pread64/pwrite64: exactly one block, never past the end of the device,
 * so the guest can neither grow the file nor touch bytes outside it. */
static void allow_block(scmp_filter_ctx ctx, int nr, const struct mft_entry *e)
{
    uint64_t bs = e->u.block_basic.block_size;
    struct scmp_arg_cmp a[] = {
        SCMP_A0(SCMP_CMP_EQ, (scmp_datum_t)e->b.hostfd),
        SCMP_A2(SCMP_CMP_EQ, bs),
        SCMP_A3(SCMP_CMP_LE, e->u.block_basic.capacity - bs),
    };
    allow(ctx, nr, 3, a);
}

static void add_rules(scmp_filter_ctx ctx, const struct mft *m, int epollfd,
                      int timerfd)
{
    struct scmp_arg_cmp mono[] = { SCMP_A0(SCMP_CMP_EQ, CLOCK_MONOTONIC) };
    struct scmp_arg_cmp real[] = { SCMP_A0(SCMP_CMP_EQ, CLOCK_REALTIME) };
    struct scmp_arg_cmp setfs[] = { SCMP_A0(SCMP_CMP_EQ, ARCH_SET_FS) };

    allow_fd(ctx, SCMP_SYS(write), 1);
    allow(ctx, SCMP_SYS(exit_group), 0, NULL);
    allow_fd(ctx, SCMP_SYS(epoll_pwait), epollfd);
    allow_fd(ctx, SCMP_SYS(timerfd_settime), timerfd);
    allow(ctx, SCMP_SYS(clock_gettime), 1, mono);
    allow(ctx, SCMP_SYS(clock_gettime), 1, real);
    allow(ctx, SCMP_SYS(arch_prctl), 1, setfs);
    for (uint32_t i = 1; i < m->entries; i++) {
        const struct mft_entry *e = &m->e[i];
        if (!e->attached)
            continue;
        if (e->type == MFT_DEV_NET_BASIC) {
            allow_fd(ctx, SCMP_SYS(read), e->b.hostfd);
            allow_fd(ctx, SCMP_SYS(write), e->b.hostfd);
        } else if (e->type == MFT_DEV_BLOCK_BASIC) {
            allow_block(ctx, SCMP_SYS(pread64), e);
            allow_block(ctx, SCMP_SYS(pwrite64), e);
        }
    }
}

/* Export the compiled program through a memfd into static storage. */
static void export_prog(scmp_filter_ctx ctx, struct sock_fprog *prog)
{
    static struct sock_filter insns[BPF_MAXINSNS];
    int fd = memfd_create("mirleft-spt-seccomp", MFD_CLOEXEC);
    if (fd < 0)
        err(1, "memfd_create");
    int rc = seccomp_export_bpf(ctx, fd);
    if (rc < 0)
        errx(1, "seccomp_export_bpf: %s", strerror(-rc));
    off_t len = lseek(fd, 0, SEEK_END);
    if (len <= 0 || (size_t)len > sizeof insns ||
        len % (off_t)sizeof insns[0] != 0)
        errx(1, "seccomp: unexpected program size %lld", (long long)len);
    if (pread(fd, insns, (size_t)len, 0) != len)
        err(1, "seccomp: reading the program back");
    close(fd);
    prog->len = (unsigned short)(len / (off_t)sizeof insns[0]);
    prog->filter = insns;
}

void spt_seccomp_build(const struct mft *m, int epollfd, int timerfd,
                       struct sock_fprog *prog)
{
    scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_KILL);
    if (ctx == NULL)
        errx(1, "seccomp_init failed");
    add_rules(ctx, m, epollfd, timerfd);
    export_prog(ctx, prog);
    seccomp_release(ctx);
}

_Noreturn void spt_launch(const struct sock_fprog *prog, uint64_t entry,
                          uint64_t stack, uint64_t arg)
{
    if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
        err(1, "prctl(PR_SET_NO_NEW_PRIVS)");
    if (syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, prog) < 0)
        err(1, "seccomp(SECCOMP_SET_MODE_FILTER)");
    /* From here on only the guest's allowed calls exist. The guest gets
     * RSP = mem_size - 8 (the SysV alignment after a call) and the boot
     * info in RDI; RBP = 0 ends frame-pointer walks. */
    __asm__ volatile("mov %0, %%rsp\n\t"
                     "xor %%ebp, %%ebp\n\t"
                     "jmp *%1"
                     :
                     : "r"(stack), "r"(entry), "D"(arg)
                     : "memory");
    __builtin_unreachable();
}

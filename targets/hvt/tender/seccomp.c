/*
 * Once the VM is set up, the tender needs only a handful of system calls
 * to run it (spec §4.12): we keep exactly those (mmap and mprotect only
 * without PROT_EXEC), and any other call kills the tender. A guest that subverted the tender could do little more than
 * the guest itself may.
 */
#include <err.h>
#include <seccomp.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/personality.h>

#include "hvt.h"

void hvt_sandbox(const struct hvt *h)
{
    (void)h;
    int pers = personality(0xffffffff);
    if (pers != -1 && (pers & READ_IMPLIES_EXEC))
        errx(1, "READ_IMPLIES_EXEC is set in the process personality; "
             "refusing to run");
    static const int calls[] = {
        SCMP_SYS(ioctl), SCMP_SYS(read), SCMP_SYS(write),
        SCMP_SYS(pread64), SCMP_SYS(pwrite64), SCMP_SYS(epoll_wait),
        SCMP_SYS(epoll_pwait), SCMP_SYS(timerfd_settime),
        SCMP_SYS(clock_gettime), SCMP_SYS(exit_group), SCMP_SYS(exit),
        SCMP_SYS(rt_sigreturn), SCMP_SYS(futex), SCMP_SYS(munmap),
        SCMP_SYS(madvise), SCMP_SYS(brk), SCMP_SYS(rt_sigprocmask),
        SCMP_SYS(close),
    };
    /* malloc may still map memory, never executable memory. */
    static const int maps[] = { SCMP_SYS(mmap), SCMP_SYS(mprotect) };
    scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_KILL_PROCESS);
    if (ctx == NULL)
        errx(1, "seccomp_init failed");
    for (size_t i = 0; i < sizeof calls / sizeof calls[0]; i++) {
        int rc = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, calls[i], 0);
        if (rc < 0)
            errx(1, "seccomp_rule_add: %s", strerror(-rc));
    }
    for (size_t i = 0; i < sizeof maps / sizeof maps[0]; i++) {
        int rc = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, maps[i], 1,
                                  SCMP_A2(SCMP_CMP_MASKED_EQ, PROT_EXEC, 0));
        if (rc < 0)
            errx(1, "seccomp_rule_add: %s", strerror(-rc));
    }
    int rc = seccomp_load(ctx);
    if (rc < 0)
        errx(1, "seccomp_load: %s", strerror(-rc));
    seccomp_release(ctx);
}

/*
 * mirleft-spt: runs a Solo5 spt (ABI 2) unikernel inside this process.
 * The order follows spec §3 and §5.2: command line, image and its notes,
 * module options, devices, memory, segments, events, boot info, seccomp,
 * jump. Any error before the jump exits with status 1; after it, the
 * guest's exit status is ours.
 */
#include "spt.h"

static const struct tender_target spt_target = {
    .prog = "mirleft-spt",
    .solo5_name = "solo5-spt",
    .abi_target = SOLO5_ABI_TARGET_SPT,
    .abi_version = SPT_ABI_VERSION,
    .extra_usage = NULL,
};

int main(int argc, char **argv)
{
    static struct tender_args args;
    struct elf_file f;
    struct elf_loaded ld;
    struct sock_fprog prog;
    size_t mft_size;
    int epollfd, timerfd;

    options_split(&spt_target, argc, argv, &args);
    elf_open(args.kernel, &f);
    elf_check_abi(&spt_target, &f);
    struct mft *m = elf_manifest(&f, &mft_size);
    options_apply(&spt_target, &args, m);
    devices_attach(m, &args);

    spt_check_host(args.mem_size);
    spt_mem_init(args.mem_size);
    elf_load(&f, 0, args.mem_size, spt_protect, &ld);
    elf_close(&f);

    spt_events(m, &epollfd, &timerfd);
    spt_boot_info(m, mft_size, args.cmdline, args.mem_size, ld.kernel_end,
                  epollfd, timerfd);
    spt_seccomp_build(m, epollfd, timerfd, &prog);
    tender_started();
    spt_launch(&prog, ld.entry, args.mem_size - 8, SPT_BOOT_INFO_BASE);
}

/*
 * mirleft-hvt: runs a Solo5 hvt (ABI 2) unikernel in a KVM virtual
 * machine. The order follows spec §4.12: command line and notes, memory,
 * VM and ELF load, vCPU, devices, boot info, sandbox, run. Any error
 * before the guest runs exits with status 1; then the guest's exit status
 * is ours, and a guest the tender has to stop gives 1.
 */
#include <err.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "hvt.h"

#define MIB (1024ull * 1024ull)

static const struct tender_target hvt_target = {
    .prog = "mirleft-hvt",
    .solo5_name = "solo5-hvt",
    .abi_target = SOLO5_ABI_TARGET_HVT,
    .abi_version = HVT_ABI_VERSION,
    .extra_usage = "    --hide-cpu-rng (hide RDRAND and RDSEED from the guest's CPUID,\n"
                   "      to try how a unikernel copes without hardware entropy)\n",
    .hide_cpu_rng_option = true,
};

static void on_signal(int sig)
{
    char msg[64];
    int n = snprintf(msg, sizeof msg, "mirleft-hvt: Exiting on signal %d\n",
                     sig);
    if (n > 0)
        (void)!write(2, msg, (size_t)n);
    _exit(1);
}

/* Guest memory is whole 2 MiB pages, at most 4 GiB (spec §4.2). */
static uint64_t size_memory(uint64_t mem)
{
    if (mem > HVT_MAX_MEM)
        errx(1, "Invalid memory size: at most %llu MiB",
             (unsigned long long)(HVT_MAX_MEM / MIB));
    uint64_t r = mem & ~(HVT_PAGE_2M - 1);
    if (r != mem)
        warnx("adjusting memory to %llu MiB (a multiple of 2 MiB)",
              (unsigned long long)(r / MIB));
    return r;
}

int main(int argc, char **argv)
{
    static struct tender_args args;
    static struct hvt h;
    struct elf_file f;
    struct elf_loaded ld;
    size_t mft_size;

    options_split(&hvt_target, argc, argv, &args);
    elf_open(args.kernel, &f);
    elf_check_abi(&hvt_target, &f);
    h.mft = elf_manifest(&f, &mft_size);
    options_apply(&hvt_target, &args, h.mft);
    uint64_t mem_size = size_memory(args.mem_size);

    hvt_vm_init(&h, mem_size);
    elf_load(&f, (uintptr_t)h.mem, h.mem_size, hvt_protect, &ld);
    elf_close(&f);
    h.hide_cpu_rng = args.hide_cpu_rng;
    hvt_vcpu_init(&h, ld.entry);

    devices_attach(h.mft, &args);
    hvt_events(&h);
    hvt_boot_info(&h, mft_size, args.cmdline, ld.kernel_end);

    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);

    tender_started();
    hvt_sandbox(&h);
    return hvt_vcpu_loop(&h);
}

/*
 * The virtual machine (spec §4.2-4.5, §4.7): KVM setup, the long-mode CPU
 * state every hvt guest expects at entry, and the vCPU loop. Only OUTs to
 * the hypercall ports continue the guest; every other exit stops it with
 * a report naming what happened.
 */
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "hvt.h"

#define KVM_API 12
#define CPUID_MAX 100

/* x86 paging and control bits (Intel SDM vol. 3). */
#define PTE_P 0x1ull
#define PTE_RW 0x2ull
#define PTE_PS 0x80ull
#define CR0_PE 0x1ull
#define CR0_NE 0x20ull
#define CR0_WP 0x10000ull
#define CR0_PG 0x80000000ull
#define CR4_PAE 0x20ull
#define CR4_OSFXSR 0x200ull
#define CR4_OSXMMEXCPT 0x400ull
#define EFER_LME 0x100ull
#define EFER_LMA 0x400ull

static struct hvt *the_hvt;       /* for hvt_protect (an elf_protect_fn) */

static int kvm_ioctl(int fd, unsigned long req, void *arg, const char *what)
{
    int r;
    do
        r = ioctl(fd, req, arg);
    while (r < 0 && errno == EINTR);
    if (r < 0)
        err(1, "KVM: %s", what);
    return r;
}

void hvt_vm_init(struct hvt *h, uint64_t mem_size)
{
    h->kvm = open("/dev/kvm", O_RDWR | O_CLOEXEC);
    if (h->kvm < 0)
        err(1, "Could not open: /dev/kvm");
    int v = ioctl(h->kvm, KVM_GET_API_VERSION, 0);
    if (v != KVM_API)
        errx(1, "KVM: API version is %d, %d required", v, KVM_API);
    if (ioctl(h->kvm, KVM_CHECK_EXTENSION, KVM_CAP_USER_MEMORY) <= 0)
        errx(1, "KVM: host does not support KVM_CAP_USER_MEMORY");
    if (ioctl(h->kvm, KVM_CHECK_EXTENSION, KVM_CAP_GET_TSC_KHZ) <= 0)
        errx(1, "KVM: host does not support KVM_CAP_GET_TSC_KHZ");
    do
        h->vm = ioctl(h->kvm, KVM_CREATE_VM, 0);
    while (h->vm < 0 && errno == EINTR);
    if (h->vm < 0)
        err(1, "KVM: KVM_CREATE_VM");

    /* Zero-filled. */
    void *p = mmap(NULL, mem_size, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (p == MAP_FAILED)
        err(1, "Could not allocate guest memory (%llu MiB)",
            (unsigned long long)(mem_size >> 20));
    h->mem = p;
    the_hvt = h;
    /* Pre-fault what the guest touches first and the loader does not
     * write: the boot-info pages and the top 64 KiB (the initial stack).
     * Measured on kvm_pvm: this is the best choice; populating the first
     * 2 MiB costs ~0.9 ms of page zeroing, all of memory far more, and
     * transparent huge pages double the start-up time. */
    (void)madvise((uint8_t *)p + HVT_BOOT_INFO_BASE, 0x4000,
                  MADV_POPULATE_WRITE);
    (void)madvise((uint8_t *)p + mem_size - 0x10000, 0x10000,
                  MADV_POPULATE_WRITE);
    h->mem_size = mem_size;

    struct kvm_userspace_memory_region r = {
        .slot = 0,
        .guest_phys_addr = 0,
        .memory_size = mem_size,
        .userspace_addr = (uint64_t)(uintptr_t)p,
    };
    kvm_ioctl(h->vm, KVM_SET_USER_MEMORY_REGION, &r,
              "KVM_SET_USER_MEMORY_REGION");
}

/* The host side of segment protections (spec §4.4): X and R become
 * read-only, RW stays. KVM carries this into the guest: a write to text
 * or rodata stops the guest. */
void hvt_protect(uint64_t start, uint64_t end, int prot)
{
    struct hvt *h = the_hvt;
    int hp = (prot & PROT_WRITE) ? PROT_READ | PROT_WRITE : PROT_READ;
    if (!(prot & PROT_WRITE)) {
        if (h->n_ro == sizeof h->ro / sizeof h->ro[0])
            errx(1, "Invalid or unsupported executable: too many read-only "
                 "segments");
        h->ro[h->n_ro].start = start;
        h->ro[h->n_ro].end = end;
        h->n_ro++;
    }
    if (mprotect(h->mem + start, end - start, hp) < 0)
        err(1, "mprotect(0x%llx, 0x%llx)", (unsigned long long)start,
            (unsigned long long)(end - start));
}

/* Identity page tables and the boot GDT (spec §4.3, §4.5). */
static void setup_tables(struct hvt *h)
{
    uint64_t *gdt = (uint64_t *)(h->mem + HVT_GDT_BASE);
    uint64_t *pml4 = (uint64_t *)(h->mem + HVT_PML4_BASE);
    uint64_t *pdpt = (uint64_t *)(h->mem + HVT_PDPT_BASE);
    uint64_t *pd = (uint64_t *)(h->mem + HVT_PD_BASE);
    uint64_t *pt = (uint64_t *)(h->mem + HVT_PT0_BASE);

    gdt[0] = 0;
    gdt[1] = 0x00AF99000000FFFFull;    /* 64-bit code, DPL 0 */
    gdt[2] = 0x00CF93000000FFFFull;    /* data, DPL 0 */

    pml4[0] = HVT_PDPT_BASE | PTE_P | PTE_RW;
    for (int i = 0; i < 4; i++)
        pdpt[i] = (HVT_PD_BASE + (uint64_t)i * 0x1000) | PTE_P | PTE_RW;
    pd[0] = HVT_PT0_BASE | PTE_P | PTE_RW;
    for (uint64_t k = 1; k * HVT_PAGE_2M < h->mem_size; k++)
        pd[k] = (k * HVT_PAGE_2M) | PTE_P | PTE_RW | PTE_PS;
    /* First 2 MiB: nothing below the boot info, the boot area read-only,
     * then the image read-write. */
    for (uint64_t a = HVT_BOOT_INFO_BASE; a < HVT_PAGE_2M; a += 0x1000)
        pt[a >> 12] = a | PTE_P | (a >= HVT_GUEST_MIN_BASE ? PTE_RW : 0);
}

static void set_cpuid(struct hvt *h)
{
    size_t n = CPUID_MAX;
    struct kvm_cpuid2 *c;
    for (;;) {
        c = calloc(1, sizeof *c + n * sizeof(struct kvm_cpuid_entry2));
        if (c == NULL)
            err(1, "calloc");
        c->nent = (uint32_t)n;
        if (ioctl(h->kvm, KVM_GET_SUPPORTED_CPUID, c) == 0)
            break;
        if (errno != E2BIG)
            err(1, "KVM: KVM_GET_SUPPORTED_CPUID");
        free(c);
        n *= 2;
    }
    /* --hide-cpu-rng: the guest sees a CPU without RDRAND
     * (CPUID.01H:ECX bit 30) and RDSEED (CPUID.(07H,0):EBX bit 18). */
    for (uint32_t i = 0; h->hide_cpu_rng && i < c->nent; i++) {
        struct kvm_cpuid_entry2 *e = &c->entries[i];
        if (e->function == 1)
            e->ecx &= ~(1u << 30);
        if (e->function == 7 && e->index == 0)
            e->ebx &= ~(1u << 18);
    }
    kvm_ioctl(h->vcpu, KVM_SET_CPUID2, c, "KVM_SET_CPUID2");
    free(c);
}

static void seg(struct kvm_segment *s, uint16_t sel, uint8_t type, uint8_t l,
                uint8_t db)
{
    memset(s, 0, sizeof *s);
    s->base = 0;
    s->limit = 0xFFFFFFFF;
    s->selector = sel;
    s->type = type;
    s->present = 1;
    s->dpl = 0;
    s->db = db;
    s->s = 1;
    s->l = l;
    s->g = 1;
}

void hvt_vcpu_init(struct hvt *h, uint64_t entry)
{
    setup_tables(h);
    do
        h->vcpu = ioctl(h->vm, KVM_CREATE_VCPU, 0);
    while (h->vcpu < 0 && errno == EINTR);
    if (h->vcpu < 0)
        err(1, "KVM: KVM_CREATE_VCPU");
    int sz = ioctl(h->kvm, KVM_GET_VCPU_MMAP_SIZE, 0);
    if (sz < (int)sizeof(struct kvm_run))
        err(1, "KVM: KVM_GET_VCPU_MMAP_SIZE");
    h->run = mmap(NULL, (size_t)sz, PROT_READ | PROT_WRITE, MAP_SHARED,
                  h->vcpu, 0);
    if (h->run == MAP_FAILED)
        err(1, "KVM: mmap(kvm_run)");

    set_cpuid(h);

    int khz = ioctl(h->vcpu, KVM_GET_TSC_KHZ, 0);
    if (khz < 0 && errno == EIO)
        errx(1, "KVM: host TSC is unstable, cannot continue");
    if (khz <= 0)
        err(1, "KVM: KVM_GET_TSC_KHZ");
    h->tsc_hz = (uint64_t)khz * 1000;

    struct kvm_sregs sr;
    kvm_ioctl(h->vcpu, KVM_GET_SREGS, &sr, "KVM_GET_SREGS");
    sr.cr0 = CR0_PE | CR0_NE | CR0_WP | CR0_PG;
    sr.cr4 = CR4_PAE | CR4_OSFXSR | CR4_OSXMMEXCPT;
    sr.cr3 = HVT_PML4_BASE;
    sr.efer = EFER_LME | EFER_LMA;
    seg(&sr.cs, 0x08, 9, 1, 0);
    seg(&sr.ds, 0x10, 3, 0, 1);
    sr.es = sr.fs = sr.gs = sr.ss = sr.ds;
    memset(&sr.tr, 0, sizeof sr.tr);
    sr.tr.type = 11;                   /* busy 64-bit TSS */
    sr.tr.present = 1;
    memset(&sr.ldt, 0, sizeof sr.ldt);
    sr.ldt.unusable = 1;
    sr.gdt.base = HVT_GDT_BASE;
    sr.gdt.limit = 3 * 8 - 1;
    kvm_ioctl(h->vcpu, KVM_SET_SREGS, &sr, "KVM_SET_SREGS");

    struct kvm_regs r;
    memset(&r, 0, sizeof r);
    r.rip = entry;
    r.rflags = 0x2;                    /* interrupts off */
    r.rsp = h->mem_size - 8;           /* (rsp + 8) % 16 == 0 */
    r.rdi = HVT_BOOT_INFO_BASE;
    kvm_ioctl(h->vcpu, KVM_SET_REGS, &r, "KVM_SET_REGS");
}

static uint64_t guest_rip(const struct hvt *h)
{
    struct kvm_regs r;
    if (ioctl(h->vcpu, KVM_GET_REGS, &r) < 0)
        return 0;
    return r.rip;
}

static _Noreturn void dump_and_exit(const struct hvt *h, const char *what)
{
    struct kvm_regs r;
    struct kvm_sregs s;
    bool got = ioctl(h->vcpu, KVM_GET_REGS, &r) == 0 &&
               ioctl(h->vcpu, KVM_GET_SREGS, &s) == 0;
    /* KVM on AMD's SVM reinitialises the vCPU on a shutdown (triple
     * fault): what it returns is the reset state, not the guest's. */
    if (got && r.rip == 0xfff0 && s.cs.selector == 0xf000)
        warnx("%s; its registers are lost (this host's KVM resets the vCPU "
              "on shutdown, as it does on AMD SVM)", what);
    else if (got)
        warnx("%s: rip=0x%llx rsp=0x%llx rflags=0x%llx cs=0x%x cpl=%u "
              "cr0=0x%llx cr2=0x%llx cr3=0x%llx cr4=0x%llx", what,
              (unsigned long long)r.rip, (unsigned long long)r.rsp,
              (unsigned long long)r.rflags, s.cs.selector, s.cs.dpl,
              (unsigned long long)s.cr0, (unsigned long long)s.cr2,
              (unsigned long long)s.cr3, (unsigned long long)s.cr4);
    else
        warnx("%s", what);
    exit(1);
}

/* An MMIO exit: the guest touched guest-physical memory with no host
 * memory behind it (or, under software KVM such as kvm_pvm, wrote to
 * memory the host keeps read-only). Either way a guest fault. */
static _Noreturn void mmio_fault(const struct hvt *h)
{
    uint64_t gpa = h->run->mmio.phys_addr;
    char what[160];
    if (gpa < h->mem_size)
        snprintf(what, sizeof what, "KVM: host/guest translation fault: "
                 "%s of read-only guest memory at gpa=0x%llx",
                 h->run->mmio.is_write ? "write" : "read",
                 (unsigned long long)gpa);
    else
        snprintf(what, sizeof what, "Guest fault: %s of unbacked memory at "
                 "gpa=0x%llx (guest memory ends at 0x%llx)",
                 h->run->mmio.is_write ? "write" : "read",
                 (unsigned long long)gpa, (unsigned long long)h->mem_size);
    dump_and_exit(h, what);
}

int hvt_vcpu_loop(struct hvt *h)
{
    struct kvm_run *run = h->run;
    int status;

    for (;;) {
        if (ioctl(h->vcpu, KVM_RUN, 0) < 0) {
            if (errno == EINTR || errno == EAGAIN)
                continue;
            if (errno == EFAULT)
                errx(1, "KVM: host/guest translation fault: rip=0x%llx",
                     (unsigned long long)guest_rip(h));
            err(1, "KVM: KVM_RUN");
        }
        switch (run->exit_reason) {
        case KVM_EXIT_IO:
            if (run->io.direction != KVM_EXIT_IO_OUT || run->io.size != 4 ||
                run->io.count != 1 || run->io.port < HVT_HYPERCALL_PIO_BASE ||
                run->io.port >= HVT_HYPERCALL_PIO_BASE + HVT_HYPERCALL_MAX)
                errx(1, "Invalid guest port access: port=0x%x "
                     "(%s, size %u), rip=0x%llx", run->io.port,
                     run->io.direction == KVM_EXIT_IO_OUT ? "out" : "in",
                     run->io.size, (unsigned long long)guest_rip(h));
            {
                uint32_t gpa;
                memcpy(&gpa, (uint8_t *)run + run->io.data_offset, 4);
                if (hvt_hypercall(h, run->io.port, gpa, &status))
                    return status;
            }
            break;
        case KVM_EXIT_MMIO:
            mmio_fault(h);
        case KVM_EXIT_SHUTDOWN:
            dump_and_exit(h, "KVM: triple fault (the guest reset itself)");
        case KVM_EXIT_HLT:
            dump_and_exit(h, "KVM: the guest executed HLT with interrupts "
                          "off (unhandled exit)");
        case KVM_EXIT_FAIL_ENTRY: {
            char what[96];
            snprintf(what, sizeof what, "KVM: entry failure: "
                     "hardware_entry_failure_reason=0x%llx",
                     (unsigned long long)
                     run->fail_entry.hardware_entry_failure_reason);
            dump_and_exit(h, what);
        }
        case KVM_EXIT_INTERNAL_ERROR: {
            char what[160];
            snprintf(what, sizeof what, "KVM: internal error exit: "
                     "suberror=0x%x%s", run->internal.suberror,
                     run->internal.suberror == KVM_INTERNAL_ERROR_EMULATION
                     ? " (KVM could not emulate an instruction: under "
                       "kvm_pvm, SSE or x87 in ring 0?)" : "");
            dump_and_exit(h, what);
        }
        default: {
            char what[64];
            snprintf(what, sizeof what, "KVM: unhandled exit: "
                     "exit_reason=0x%x", run->exit_reason);
            dump_and_exit(h, what);
        }
        }
    }
}

/*
 * A raw ring-0 guest, as a Solo5-built image would be: no mirleft
 * bindings, the tender's own GDT and page tables. It checks the CPU state
 * at entry against spec §4.5 (control registers, EFER, segments, GDT,
 * RFLAGS, RSP, RDI) and the 56-byte boot info, prints "entry state OK" or
 * the first mismatch, and halts with 0 or the check's number.
 * General registers only: this runs in ring 0 (emulated under kvm_pvm,
 * where SSE would be fatal).
 */
#include <stddef.h>
#include <stdint.h>

#include "solo5_hvt.h"

#define RING0 __attribute__((target("general-regs-only"), no_stack_protector, \
                             optimize("no-tree-loop-distribute-patterns")))

/* Filled by _start before anything else runs. */
uint64_t entry_rsp, entry_rdi, entry_rflags;

__asm__(
    ".section .text\n"
    ".globl _start\n"
    "_start:\n"
    "    movq %rsp, entry_rsp\n"
    "    movq %rdi, entry_rdi\n"
    "    pushfq\n"
    "    popq entry_rflags\n"
    "    call entry_check\n"
    "1:  jmp 1b\n");

RING0 static void outl(unsigned nr, const volatile void *arg)
{
    __asm__ volatile("outl %0, %1"
                     :
                     : "a"((uint32_t)(uintptr_t)arg),
                       "Nd"((uint16_t)(HVT_HYPERCALL_PIO_BASE + nr))
                     : "memory");
}

RING0 static void puts0(const char *s)
{
    volatile struct hvt_hc_puts p = { .data = (uintptr_t)s, .len = 0 };
    while (s[p.len])
        p.len++;
    outl(HVT_HYPERCALL_PUTS, &p);
}

RING0 __attribute__((noreturn)) static void halt0(int status)
{
    volatile struct hvt_hc_halt h = { .cookie = 0, .exit_status = status };
    for (;;)
        outl(HVT_HYPERCALL_HALT, &h);
}

#define EXPECT(n, cond)                                                       \
    do {                                                                      \
        if (!(cond)) {                                                        \
            puts0("entry state: check " #n " failed: " #cond "\n");           \
            halt0(n);                                                         \
        }                                                                     \
    } while (0)

RING0 __attribute__((noreturn, used)) void entry_check(void)
{
    const struct hvt_boot_info *bi =
        (const struct hvt_boot_info *)HVT_BOOT_INFO_BASE;
    uint64_t cr0, cr3, cr4, lo, hi;
    uint16_t cs, ss, ds, tr;
    struct __attribute__((packed)) { uint16_t limit; uint64_t base; } gdtr;

    __asm__ volatile("movq %%cr0, %0" : "=r"(cr0));
    __asm__ volatile("movq %%cr3, %0" : "=r"(cr3));
    __asm__ volatile("movq %%cr4, %0" : "=r"(cr4));
    __asm__ volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(0xC0000080u));
    __asm__ volatile("movw %%cs, %0" : "=r"(cs));
    __asm__ volatile("movw %%ss, %0" : "=r"(ss));
    __asm__ volatile("movw %%ds, %0" : "=r"(ds));
    __asm__ volatile("str %0" : "=r"(tr));
    __asm__ volatile("sgdt %0" : "=m"(gdtr));

    /* PG|WP|NE|PE. ET (bit 4) is hardwired to 1 on x86-64 CPUs and
     * reads so under AMD's SVM whatever the tender set: not the ABI's. */
    EXPECT(1, (cr0 & ~0x10ull) == 0x80010021);
    EXPECT(2, cr4 == 0x620);
    EXPECT(3, cr3 == 0x2000);
    EXPECT(4, ((hi << 32) | lo) == 0x500);
    EXPECT(5, cs == 0x08 && ss == 0x10 && ds == 0x10 && tr == 0);
    EXPECT(6, gdtr.base == 0x1000 && gdtr.limit == 23);
    EXPECT(7, entry_rflags == 0x2);
    EXPECT(8, entry_rdi == 0x10000);
    EXPECT(9, entry_rsp == bi->mem_size - 8);
    EXPECT(10, bi->mft == 0x10038 && bi->cmdline == 0x10038 + 8 + 104);
    EXPECT(11, bi->host_features == 0 && bi->net_ring == 0);
    EXPECT(12, bi->cpu_cycle_freq > 100000000ull);
    /* Memory up to mem_size is mapped read-write: touch the last page. */
    *(volatile uint64_t *)(uintptr_t)(bi->mem_size - 4096) = 1;
    puts0("entry state OK\n");
    halt0(0);
}

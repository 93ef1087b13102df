/*
 * The ring-0 boot stub. Under software KVM (kvm_pvm) guest ring-0 code is
 * emulated one instruction at a time and SSE/x87 there kills the guest,
 * so ring 0 does the least it can, in general registers only, and then
 * drops to ring 3 where the runtime and the application run natively:
 *
 *  - GDT: kernel code/data, DPL-3 user data/code, a 64-bit TSS whose RSP0
 *    is our kernel stack and whose I/O permission bitmap lets ring 3 reach
 *    the hypercall ports (IOPL does not survive ring-3 entry on kvm_pvm).
 *    Laid out at build time: hvt.ld computes the TSS descriptor from the
 *    .stub.tss section, and gate 0 from .text.stubvec.
 *  - IDT (static too): the 32 exception vectors, each reporting the
 *    vector, error code, CR2 and the registers through the PUTS
 *    hypercall, then HALT 255.
 *  - Page tables with U/S on guest memory: the boot info read-only, text
 *    and rodata read-only, the rest read-write; this stub's own pages
 *    (headers, GDT/TSS, IDT, page tables, stacks) supervisor-only.
 *    Filling them takes hundreds of stores, ~1 ms when emulated, so ring
 *    0 only maps the first 2 MiB as one user page and drops to ring 3;
 *    ring-3 boot code (mlhvt_fill) fills the tables natively, then an
 *    int3 at hvt_commit brings it back to ring 0 once, where the #BP
 *    handler points the PDPT at the real directories and flushes the TLB.
 *  - CR0.MP|NE with EM/TS clear and CR4.OSFXSR|OSXMMEXCPT: SSE for ring 3.
 *  - Then mlhvt_main(boot_info) in ring 3 with RSP = mem_size - 8, as the
 *    ABI gives it to _start.
 *
 * Selectors: 0x08 kernel code, 0x10 kernel data, 0x18 user data,
 * 0x20 user code (so RPL-3 selectors are 0x1b and 0x23), 0x28 TSS.
 */
#include <stddef.h>
#include <stdint.h>

#include "solo5_hvt.h"

/* The hypercall ports 0x500-0x508, reached with 32-bit OUTs: the CPU
 * checks the bits of all four bytes, so 0x500-0x50b are allowed. In the
 * bitmap a 0 bit allows: bytes 0-0x9f deny 0-0x4ff, byte 0xa0 allows
 * 0x500-0x507, byte 0xa1 allows 0x508-0x50b, then a 0xff terminator. */
__asm__(
    ".section .stub.data,\"aw\",@progbits\n"
    ".balign 16\n"
    "hvt_gdt:\n"
    "    .quad 0\n"
    "    .quad 0x00AF9A000000FFFF\n"      /* 0x08 code, DPL 0, L */
    "    .quad 0x00CF92000000FFFF\n"      /* 0x10 data, DPL 0 */
    "    .quad 0x00CFF2000000FFFF\n"      /* 0x18 data, DPL 3 */
    "    .quad 0x00AFFA000000FFFF\n"      /* 0x20 code, DPL 3, L */
    "    .quad hvt_tss_desc_lo\n"         /* 0x28 TSS (hvt.ld) */
    "    .quad 0\n"
    "hvt_gdt_end:\n"
    "hvt_gdtr:\n"
    "    .word hvt_gdt_end - hvt_gdt - 1\n"
    "    .quad hvt_gdt\n"
    ".balign 8\n"
    "hvt_idtr:\n"
    "    .word 32 * 16 - 1\n"
    "    .quad hvt_idt\n"
    "hvt_committed: .byte 0\n"
    /* The IDT: 32 interrupt gates to the entry points below, gate i being
     * gate 0 (hvt.ld) plus 16 * i; DPL 0, but DPL 3 for #BP so that int3
     * in ring 3 reports as itself (and commits the page tables, below). */
    ".balign 16\n"
    "hvt_idt:\n"
    "    .irp v, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,"
            "22,23,24,25,26,27,28,29,30,31\n"
    "    .if \\v == 3\n"
    "    .quad hvt_idt_gate0 + 16 * \\v + (0x60 << 40)\n"
    "    .else\n"
    "    .quad hvt_idt_gate0 + 16 * \\v\n"
    "    .endif\n"
    "    .quad 0\n"
    "    .endr\n"
    ".section .stub.tss,\"aw\",@progbits\n"
    ".balign 16\n"
    "hvt_tss:\n"
    "    .long 0\n"                       /* reserved */
    "    .quad hvt_kstack_top\n"          /* RSP0 */
    "    .quad 0, 0\n"                    /* RSP1, RSP2 */
    "    .quad 0\n"                       /* reserved */
    "    .quad 0, 0, 0, 0, 0, 0, 0\n"     /* IST1-7 */
    "    .quad 0\n"                       /* reserved */
    "    .word 0\n"                       /* reserved */
    "    .word hvt_iopb - hvt_tss\n"      /* I/O map base */
    "hvt_iopb:\n"
    "    .fill 0xa0, 1, 0xff\n"
    "    .byte 0x00, 0xf0, 0xff\n"

    ".section .stub.bss,\"aw\",@nobits\n"
    ".balign 4096\n"
    "hvt_pml4: .skip 4096\n"
    "hvt_pdpt: .skip 4096\n"
    "hvt_pd:   .skip 4 * 4096\n"          /* 2048 x 2 MiB = 4 GiB */
    "hvt_pt0:  .skip 4096\n"              /* the first 2 MiB */
    "hvt_bpd:  .skip 4096\n"              /* boot: 0-2 MiB, one user page */
    "hvt_kstack: .skip 4096\n"            /* ring 0: exceptions */
    "hvt_kstack_top:\n"
    "hvt_bstack: .skip 4096\n"            /* ring 3: until the commit */
    "hvt_bstack_top:\n"

    /* The exception entry points: 32 of 16 bytes each, in one 512-byte
     * block, so gate i is gate 0 plus 16 * i (hvt.ld computes gate 0). */
    ".section .text.stubvec,\"ax\",@progbits\n"
    ".balign 512\n"
    "hvt_vectors:\n"
    "    .irp v, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,"
            "22,23,24,25,26,27,28,29,30,31\n"
    "    .balign 16\n"
    "    .if (\\v == 8) || (\\v >= 10 && \\v <= 14) || (\\v == 17) || "
            "(\\v == 21) || (\\v == 29) || (\\v == 30)\n"
    "    .else\n"
    "    pushq $0\n"                      /* no error code: make one */
    "    .endif\n"
    "    pushq $\\v\n"
    "    .if \\v == 3\n"
    "    jmp hvt_trap3\n"
    "    .else\n"
    "    jmp hvt_trap_common\n"
    "    .endif\n"
    "    .endr\n"
    "    .balign 16\n"

    ".section .text.stub,\"ax\",@progbits\n"
    /* #BP: the one int3 at hvt_commit, once, from ring 3, commits the
     * page tables the ring-3 boot code filled (see _start); any other is
     * a fatal trap. Frame: vector, error, rip, cs, ... */
    "hvt_trap3:\n"
    "    cmpq $hvt_commit_ret, 16(%rsp)\n"
    "    jne hvt_trap_common\n"
    "    testb $3, 24(%rsp)\n"
    "    jz hvt_trap_common\n"
    "    cmpb $0, hvt_committed\n"
    "    jne hvt_trap_common\n"
    "    movb $1, hvt_committed\n"
    "    movq %rax, (%rsp)\n"
    "    movl $hvt_pd + 7, %eax\n"        /* PDPT: the real directories */
    "    movq %rax, hvt_pdpt\n"
    "    addl $4096, %eax\n"
    "    movq %rax, hvt_pdpt + 8\n"
    "    addl $4096, %eax\n"
    "    movq %rax, hvt_pdpt + 16\n"
    "    addl $4096, %eax\n"
    "    movq %rax, hvt_pdpt + 24\n"
    "    movq %cr3, %rax\n"               /* flush the TLB */
    "    movq %rax, %cr3\n"
    "    movq (%rsp), %rax\n"
    "    addq $16, %rsp\n"
    "    iretq\n"

    "hvt_trap_common:\n"
    "    pushq %rax\n    pushq %rbx\n    pushq %rcx\n    pushq %rdx\n"
    "    pushq %rsi\n    pushq %rdi\n    pushq %rbp\n    pushq %r8\n"
    "    pushq %r9\n    pushq %r10\n    pushq %r11\n    pushq %r12\n"
    "    pushq %r13\n    pushq %r14\n    pushq %r15\n"
    "    movq %rsp, %rdi\n"
    "    andq $-16, %rsp\n"
    "    call mlhvt_trap\n"
    "1:  hlt\n"
    "    jmp 1b\n"

    /* Entry: ring 0, RDI = boot info, RSP = mem_size - 8 (spec §4.5).
     * Ring 0 is slow under kvm_pvm (emulated), so it only loads the
     * static GDT, TSS and IDT, maps the first 2 MiB as one user page,
     * enables SSE and drops to ring 3. */
    ".globl _start\n"
    "_start:\n"
    "    movl $hvt_kstack_top, %esp\n"
    "    lgdt hvt_gdtr\n"
    "    movw $0x28, %ax\n"
    "    ltr %ax\n"
    "    lidt hvt_idtr\n"
    "    movl $hvt_pdpt + 7, %eax\n"
    "    movq %rax, hvt_pml4\n"
    "    movl $hvt_bpd + 7, %eax\n"
    "    movq %rax, hvt_pdpt\n"
    "    movq $0x87, hvt_bpd\n"           /* 0-2 MiB: P|RW|US|PS, for now */
    "    movl $hvt_pml4, %eax\n"
    "    movq %rax, %cr3\n"
    /* SSE for ring 3: CR0.MP|NE, EM and TS clear; CR4.OSFXSR|OSXMMEXCPT. */
    "    movq %cr0, %rax\n"
    "    andq $~0xc, %rax\n"
    "    orq $0x22, %rax\n"
    "    movq %rax, %cr0\n"
    "    movq %cr4, %rax\n"
    "    orq $0x600, %rax\n"
    "    movq %rax, %cr4\n"
    /* To ring 3: SS, RSP, RFLAGS (IF off, IOPL 0), CS, RIP. */
    "    pushq $0x1b\n"
    "    pushq $hvt_bstack_top\n"
    "    pushq $0x2\n"
    "    pushq $0x23\n"
    "    pushq $hvt_ring3_boot\n"
    "    iretq\n"

    /* Ring 3, still on the boot stack: fill the real page tables at
     * native speed, commit them (int3, above), then run mlhvt_main on the
     * ABI's stack at the top of guest memory. */
    "hvt_ring3_boot:\n"
    "    movq %rdi, %rbx\n"
    "    call mlhvt_fill\n"
    "hvt_commit:\n"
    "    int3\n"
    "hvt_commit_ret:\n"
    "    movq (%rbx), %rsp\n"             /* boot_info->mem_size */
    "    subq $8, %rsp\n"
    "    movq %rbx, %rdi\n"
    "    xorl %ebx, %ebx\n"
    "    xorl %ebp, %ebp\n"
    "    jmp mlhvt_main\n"
    ".previous\n");

/* From the assembly above and hvt.ld. */
extern uint64_t hvt_pt0[512], hvt_pd[2048];
extern char hvt_n_stub[], hvt_n_ro[];

/* In .text.stub, which hvt.ld keeps in the first 2 MiB: the only memory
 * mapped before the commit. */
#define RING3BOOT __attribute__((no_stack_protector, used, section(".text.stub"), \
                                 optimize("no-tree-loop-distribute-patterns")))

/* Ring 3, before the commit: the whole first 2 MiB is one user page (of
 * the boot directory hvt_bpd), so this can write the real tables, which
 * are not in use yet (under shadow paging, writes to tables in use would
 * each trap). Nothing here may touch memory above 2 MiB (.bss may lie
 * there, unmapped yet). The first 2 MiB in 4 KiB
 * pages: nothing below 0x10000; the boot info, manifest and command line
 * (4 pages) user read-only; the stub's own pages supervisor; text and
 * rodata user read-only; the rest user read-write. Then 2 MiB user pages
 * up to mem_size (at most 4 GiB). */
RING3BOOT void mlhvt_fill(const struct hvt_boot_info *bi)
{
    uint64_t i;
    uint64_t stub_end = 0x100 + (uintptr_t)hvt_n_stub;
    uint64_t ro_end = stub_end + (uintptr_t)hvt_n_ro;

    for (i = 0x10; i < 0x14; i++)
        hvt_pt0[i] = (i << 12) | 5;
    for (i = 0x100; i < stub_end; i++)
        hvt_pt0[i] = (i << 12) | 3;
    for (; i < ro_end; i++)
        hvt_pt0[i] = (i << 12) | 5;
    for (; i < 512; i++)
        hvt_pt0[i] = (i << 12) | 7;
    hvt_pd[0] = (uintptr_t)hvt_pt0 | 7;
    uint64_t n = bi->mem_size >> 21;
    if (n > 2048)
        n = 2048;
    for (i = 1; i < n; i++)
        hvt_pd[i] = (i << 21) | 0x87;
}

/* What hvt_trap_common leaves on the kernel stack. */
struct trap_frame {
    uint64_t r15, r14, r13, r12, r11, r10, r9, r8;
    uint64_t rbp, rdi, rsi, rdx, rcx, rbx, rax;
    uint64_t vector, error;
    uint64_t rip, cs, rflags, rsp, ss;  /* pushed by the CPU */
};

#define RING0 __attribute__((target("general-regs-only"), no_stack_protector, \
                             optimize("no-tree-loop-distribute-patterns")))

/* A small line buffer, written with general registers only. */
struct line {
    char b[640];
    unsigned n;
};

RING0 static void put_s(struct line *l, const char *s)
{
    while (*s && l->n < sizeof l->b)
        l->b[l->n++] = *s++;
}

RING0 static void put_x(struct line *l, const char *name, uint64_t v)
{
    char d[16];
    int i = 0;
    put_s(l, name);
    put_s(l, "=0x");
    do {
        d[i++] = "0123456789abcdef"[v & 15];
        v >>= 4;
    } while (v);
    while (i > 0 && l->n < sizeof l->b)
        l->b[l->n++] = d[--i];
}

RING0 static void outl(uint16_t port, uint64_t arg)
{
    __asm__ volatile("outl %0, %1"
                     :
                     : "a"((uint32_t)arg), "Nd"(port)
                     : "memory");
}

static const char *const names[32] = {
    "#DE divide error", "#DB debug", "NMI", "#BP breakpoint",
    "#OF overflow", "#BR bound range", "#UD invalid opcode",
    "#NM device not available", "#DF double fault", "coprocessor overrun",
    "#TS invalid TSS", "#NP segment not present", "#SS stack fault",
    "#GP general protection", "#PF page fault", "reserved 15",
    "#MF x87 floating point", "#AC alignment check", "#MC machine check",
    "#XM SIMD floating point", "#VE virtualization", "#CP control protection",
    "reserved 22", "reserved 23", "reserved 24", "reserved 25",
    "reserved 26", "reserved 27", "reserved 28", "reserved 29",
    "reserved 30", "reserved 31",
};

/* Report the exception and halt with status 255 (SOLO5_EXIT_ABORT). The
 * halt cookie is Solo5's trap frame: cr2, error code, rip, cs, rflags,
 * rsp, ss. */
RING0 __attribute__((noreturn, used)) void mlhvt_trap(struct trap_frame *f)
{
    /* On the kernel stack: nothing here depends on the guest's own
     * memory being intact or mapped. */
    struct line l;
    volatile struct hvt_hc_puts puts;
    volatile struct hvt_hc_halt halt;
    volatile uint64_t cookie[HVT_HALT_COOKIE_MAX / 8];
    uint64_t cr2;

    __asm__ volatile("movq %%cr2, %0" : "=r"(cr2));
    l.n = 0;
    put_s(&l, "mirleft: trap: ");
    put_s(&l, names[f->vector & 31]);
    put_s(&l, " (vector ");
    if (f->vector >= 10)
        l.b[l.n++] = (char)('0' + f->vector / 10);
    l.b[l.n++] = (char)('0' + f->vector % 10);
    put_s(&l, (f->cs & 3) ? ") in ring 3\n" : ") in ring 0\n");
    put_x(&l, "mirleft: trap: error", f->error);
    put_x(&l, " rip", f->rip);
    put_x(&l, " rsp", f->rsp);
    put_x(&l, " rflags", f->rflags);
    put_x(&l, " cr2", cr2);
    if (f->vector == 14) {
        put_s(&l, (f->error & 1) ? " (protection violation, " : " (not present, ");
        put_s(&l, (f->error & 16) ? "instruction fetch" :
                  (f->error & 2) ? "write" : "read");
        put_s(&l, (f->error & 4) ? " from ring 3)" : " from ring 0)");
    }
    put_x(&l, "\nmirleft: trap: rax", f->rax);
    put_x(&l, " rbx", f->rbx);
    put_x(&l, " rcx", f->rcx);
    put_x(&l, " rdx", f->rdx);
    put_x(&l, " rsi", f->rsi);
    put_x(&l, " rdi", f->rdi);
    put_x(&l, " rbp", f->rbp);
    put_x(&l, "\nmirleft: trap: r8", f->r8);
    put_x(&l, " r9", f->r9);
    put_x(&l, " r10", f->r10);
    put_x(&l, " r11", f->r11);
    put_x(&l, " r12", f->r12);
    put_x(&l, " r13", f->r13);
    put_x(&l, " r14", f->r14);
    put_x(&l, " r15", f->r15);
    put_s(&l, "\nmirleft: ABORT: fatal trap\n");
    puts.data = (uint64_t)(uintptr_t)l.b;
    puts.len = l.n;
    outl(HVT_HYPERCALL_PIO_BASE + HVT_HYPERCALL_PUTS, (uintptr_t)&puts);

    for (unsigned i = 7; i < HVT_HALT_COOKIE_MAX / 8; i++)
        cookie[i] = 0;
    cookie[0] = cr2;
    cookie[1] = f->error;
    cookie[2] = f->rip;
    cookie[3] = f->cs;
    cookie[4] = f->rflags;
    cookie[5] = f->rsp;
    cookie[6] = f->ss;
    halt.cookie = (uint64_t)(uintptr_t)cookie;
    halt.exit_status = 255;
    for (;;)
        outl(HVT_HYPERCALL_PIO_BASE + HVT_HYPERCALL_HALT, (uintptr_t)&halt);
}

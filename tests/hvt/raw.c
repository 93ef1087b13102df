/*
 * Raw hvt guests with no bindings, running in ring 0 on the tender's own
 * page tables (spec §4.5). Built twice:
 *  - floor.hvt: HALT(0) at once; the benchmark's bare-VM floor.
 *  - unbacked.hvt (-DUNBACKED): maps the 2 MiB at 512 MiB, far beyond
 *    guest memory, with its own page tables and writes there. KVM has no
 *    memory behind that address: the tender must report a guest fault.
 *  - triple.hvt (-DTRIPLE): an empty IDT, then #UD: a triple fault.
 *  - hlt.hvt (-DHLT): HLT with interrupts off: an unhandled exit.
 *  - sse0.hvt (-DSSE0): an SSE instruction in ring 0, which kvm_pvm cannot
 *    emulate (an internal error exit); on hardware KVM it runs, then HALT.
 * Each needs the hvt ABI note (targets/hvt/bindings/notes.c) and a
 * manifest.
 */
#include <stdint.h>

#include "solo5_hvt.h"

__asm__(
    ".section .text\n"
    ".globl _start\n"
    "_start:\n"
#ifdef UNBACKED
    /* PML4[0] -> PDPT, PDPT[0] -> PD; PD[0] identity-maps the first
     * 2 MiB (this code), PD[256] maps 512 MiB. Large pages: PS. */
    "    movl $raw_pdpt + 3, %eax\n"
    "    movq %rax, raw_pml4\n"
    "    movl $raw_pd + 3, %eax\n"
    "    movq %rax, raw_pdpt\n"
    "    movq $0x83, raw_pd\n"
    "    movq $0x20000083, raw_pd + 256 * 8\n"
    "    movl $raw_pml4, %eax\n"
    "    movq %rax, %cr3\n"
    "    movq $0x42, 0x20000000\n"
#endif
#ifdef TRIPLE
    "    lidt raw_idtr\n"
    "    ud2\n"
#endif
#ifdef HLT
    "    hlt\n"
#endif
#ifdef SSE0
    "    movaps raw_xmm, %xmm0\n"
    "    mulps %xmm0, %xmm0\n"
#endif
    "    movl $raw_halt, %eax\n"
    "    movw $0x508, %dx\n"
    "    outl %eax, %dx\n"
    "1:  jmp 1b\n"
    ".section .data\n"
    ".balign 16\n"
    "raw_halt: .quad 0\n"
    "    .long 0, 0\n"
    "raw_xmm: .long 0x3fc00000, 0x3fc00000, 0x3fc00000, 0x3fc00000\n"
    "raw_idtr: .word 0\n"
    "    .quad 0\n"
    ".section .bss\n"
    ".balign 4096\n"
    "raw_pml4: .skip 4096\n"
    "raw_pdpt: .skip 4096\n"
    "raw_pd: .skip 4096\n"
    ".previous\n");

/*
 * The ring-3 entry point. The ring-0 stub (stub.c) irets here with RSP =
 * mem_size - 8 and RDI = the boot info (spec §4.6); the start-up itself
 * is share/solo5/guest/start.c.
 */
#include <stddef.h>
#include <stdint.h>

#include "mirleft/platform.h"
#include "solo5_guest.h"
#include "solo5_hvt.h"

_Noreturn void __stack_chk_fail(void)
{
    static const char msg[] = "mirleft: ABORT: stack smashing detected\n";
    ml_plat_console_write(msg, sizeof msg - 1);
    ml_plat_exit(255);
}

/* Print and halt without touching .bss (not even the canary), which may
 * lie beyond guest memory. */
__attribute__((no_stack_protector, noreturn))
void mlsolo5_early_fail(const char *msg, size_t len)
{
    volatile struct hvt_hc_puts p = { .data = (uintptr_t)msg, .len = len };
    volatile struct hvt_hc_halt h = { .cookie = 0, .exit_status = 255 };
    __asm__ volatile("outl %0, %1" : : "a"((uint32_t)(uintptr_t)&p),
                     "Nd"((uint16_t)(HVT_HYPERCALL_PIO_BASE +
                                     HVT_HYPERCALL_PUTS)) : "memory");
    for (;;)
        __asm__ volatile("outl %0, %1" : : "a"((uint32_t)(uintptr_t)&h),
                         "Nd"((uint16_t)(HVT_HYPERCALL_PIO_BASE +
                                         HVT_HYPERCALL_HALT)) : "memory");
}

/* Runs before the canary is set, so it must not be instrumented. */
__attribute__((no_stack_protector, noreturn, used))
void mlhvt_main(const struct hvt_boot_info *bi)
{
    /* A clean x87/SSE state, from ring 3 where it is safe under kvm_pvm. */
    static const uint32_t mxcsr = 0x1f80;
    __asm__ volatile("fninit\n\tldmxcsr %0" : : "m"(mxcsr));
    mlsolo5_start(bi->mem_size, (const char *)(uintptr_t)bi->cmdline, bi);
}

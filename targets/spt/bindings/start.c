/*
 * The spt entry point. The tender jumps here with RSP at the top of guest
 * memory and RDI pointing at the boot info (spec §5.2-5.3); the start-up
 * itself is share/solo5/guest/start.c.
 */
#include <stddef.h>
#include <stdint.h>

#include "mirleft/platform.h"
#include "solo5_guest.h"
#include "solo5_spt.h"

_Noreturn void __stack_chk_fail(void)
{
    static const char msg[] = "mirleft: stack smashing detected\n";
    ml_plat_console_write(msg, sizeof msg - 1);
    ml_plat_exit(255);
}

/* Console and exit are system calls: they touch no .bss. */
__attribute__((no_stack_protector, noreturn))
void mlsolo5_early_fail(const char *msg, size_t len)
{
    ml_plat_console_write(msg, len);
    ml_plat_exit(255);
}

/* Runs before the canary is set, so it must not be instrumented. */
__attribute__((no_stack_protector, noreturn, used))
void _start(const struct spt_boot_info *bi)
{
    mlsolo5_start(bi->mem_size, bi->cmdline, bi);
}

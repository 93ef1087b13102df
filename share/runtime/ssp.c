/* Stack-protector support for guest code built with
 * -fstack-protector-strong -mstack-protector-guard=global. Both symbols are
 * weak: a target whose bindings can do better (a random guard set at boot,
 * a target-specific report) defines its own and wins. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

/* A fixed guard still catches linear overruns, which is most of them; the
 * zero byte in it stops string copies from reproducing it. */
__attribute__((weak)) uintptr_t __stack_chk_guard =
    (uintptr_t)0x00e1f1a5c0ffee00ULL;

__attribute__((weak, noreturn)) void __stack_chk_fail(void)
{
    fputs("fatal: stack smashing detected\n", stderr);
    abort();
}

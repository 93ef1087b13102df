/* A guest whose .bss (4 MiB) does not fit in --mem=2: the tender does not
 * check .bss, so the bindings must refuse to start. */
#include "guest.h"

static uint8_t big[4 << 20];

int ml_plat_main(const struct ml_start_info *si)
{
    (void)si;
    big[sizeof big - 1] = 1;
    __asm__ volatile("" : : "r"(big) : "memory");
    say("SUCCESS\n");
    return 0;
}

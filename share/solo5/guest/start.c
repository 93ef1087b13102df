/*
 * Starting up, the same on spt and hvt: both tenders load the image, put
 * the stack at the top of guest memory and leave the rest after .bss to
 * us, and pass a command line. Each target's entry point reads its own
 * boot info and calls mlsolo5_start; the target provides
 * mlsolo5_early_fail and mlsolo5_target_init. The canary and the option
 * stripping are here, not in files of their own, so that they inline into
 * mlsolo5_start: as calls, they made hello.spt 32 bytes larger.
 */
#include <stddef.h>
#include <stdint.h>

#include "solo5_guest.h"

#define PAGE_SIZE 4096ul
/* The initial stack lives at the top of the heap region: insist on some. */
#define MIN_FREE (64ul * 1024ul)

/* From the target's linker script: the end of .bss. */
extern char _end[];

/* The stack-protector canary (-mstack-protector-guard=global reads it). */
uintptr_t __stack_chk_guard;

/* A 64-bit mix so that close TSC readings give unrelated canaries. */
static uint64_t mix(uint64_t x)
{
    x ^= x >> 30;
    x *= 0xbf58476d1ce4e5b9ull;
    x ^= x >> 27;
    x *= 0x94d049bb133111ebull;
    return x ^ (x >> 31);
}

/* Neither tender offers randomness (spt's seccomp filter has no
 * getrandom, hvt has no such hypercall): the TSC is our entropy, as in
 * Solo5. The low byte is zero so string overflows cannot reproduce it. */
static uintptr_t make_canary(void)
{
    uint64_t a = mlsolo5_rdtsc();
    uint64_t b = mlsolo5_rdtsc();
    return (uintptr_t)(mix(a) ^ mix(b ^ (a << 17))) & ~(uintptr_t)0xff;
}

static int is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* Drop the leading --solo5:* options (spec §2.7: quiet, error, warn,
 * info, debug): they are for Solo5's bindings, which log; ours do not, so
 * all are accepted and dropped, and orchestrators' command lines work
 * unchanged. Options after the first other word stay. */
static const char *strip_solo5_options(const char *s)
{
    static const char prefix[] = "--solo5:";
    for (;;) {
        while (is_space(*s))
            s++;
        size_t i = 0;
        while (prefix[i] && s[i] == prefix[i])
            i++;
        if (prefix[i] != '\0')
            return s;
        while (*s && !is_space(*s))
            s++;
    }
}

/* Runs before the canary is set, so it must not be instrumented. */
__attribute__((no_stack_protector, noreturn))
void mlsolo5_start(uint64_t mem_size, const char *cmdline,
                   const void *boot_info)
{
    uintptr_t heap = ((uintptr_t)_end + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1);
    /* The tender does not check .bss against memory; we must, before
     * touching any of it. */
    if (heap > mem_size || mem_size - heap < MIN_FREE) {
        static const char msg[] = "mirleft: not enough memory for this "
                                  "unikernel (try a larger --mem)\n";
        mlsolo5_early_fail(msg, sizeof msg - 1);
    }
    __stack_chk_guard = make_canary();
    mlsolo5_target_init(boot_info);

    struct ml_start_info si = {
        .cmdline = strip_solo5_options(cmdline),
        .heap_start = heap,
        .heap_size = mem_size - heap,
    };
    ml_plat_exit(ml_plat_main(&si));
}

/*
 * The ring-3 entry point. The ring-0 stub (stub.c) irets here with RSP =
 * mem_size - 8 and RDI = the boot info (spec §4.6). We set up what the
 * rest of the unikernel takes for granted, then hand over to the
 * runtime's ml_plat_main.
 */
#include <stddef.h>
#include <stdint.h>

#include "mirleft/platform.h"
#include "solo5_hvt.h"

#define PAGE_SIZE 4096ul
/* The initial stack lives at the top of the heap region: insist on some. */
#define MIN_FREE (64ul * 1024ul)

/* platform.c */
void mlhvt_init(const struct hvt_boot_info *bi);

/* From hvt.ld: the end of .bss. */
extern char _end[];

/* The stack-protector canary (-mstack-protector-guard=global reads it). */
uintptr_t __stack_chk_guard;

_Noreturn void __stack_chk_fail(void)
{
    static const char msg[] = "mirleft: ABORT: stack smashing detected\n";
    ml_plat_console_write(msg, sizeof msg - 1);
    ml_plat_exit(255);
}

static uint64_t rdtsc(void)
{
    uint32_t lo, hi;
    __asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
    return ((uint64_t)hi << 32) | lo;
}

/* A 64-bit mix so that close TSC readings give unrelated canaries. */
static uint64_t mix(uint64_t x)
{
    x ^= x >> 30;
    x *= 0xbf58476d1ce4e5b9ull;
    x ^= x >> 27;
    x *= 0x94d049bb133111ebull;
    return x ^ (x >> 31);
}

/* The TSC is our entropy, as in Solo5. The low byte is zero so string
 * overflows cannot reproduce the canary. */
static uintptr_t make_canary(void)
{
    uint64_t a = rdtsc();
    uint64_t b = rdtsc();
    return (uintptr_t)(mix(a) ^ mix(b ^ (a << 17))) & ~(uintptr_t)0xff;
}

static int is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* Drop the leading --solo5:* options (spec §2.7); ours do not log, so
 * all are accepted and dropped. Options after the first other word stay. */
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

/* Print and halt without touching .bss (not even the canary), which may
 * lie beyond guest memory. */
__attribute__((no_stack_protector, noreturn))
static void early_fail(const char *msg, size_t len)
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

    uintptr_t heap = ((uintptr_t)_end + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1);
    /* The tender does not check .bss against memory; we must, before
     * touching any of it. */
    if (heap > bi->mem_size || bi->mem_size - heap < MIN_FREE) {
        static const char msg[] = "mirleft: not enough memory for this "
                                  "unikernel (try a larger --mem)\n";
        early_fail(msg, sizeof msg - 1);
    }
    __stack_chk_guard = make_canary();
    mlhvt_init(bi);

    struct ml_start_info si = {
        .cmdline = strip_solo5_options((const char *)(uintptr_t)bi->cmdline),
        .heap_start = heap,
        .heap_size = bi->mem_size - heap,
    };
    ml_plat_exit(ml_plat_main(&si));
}

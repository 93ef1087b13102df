/*
 * The x86 entropy source for spt and hvt (ml_plat_entropy, see
 * mirleft/platform.h): RDSEED where CPUID says the CPU has it, else
 * RDRAND, else none. Both instructions work in ring 3, so no tender
 * help is needed (neither tender offers randomness anyway).
 *
 * Retries follow Intel's Digital Random Number Generator guide: RDRAND
 * clears the carry flag when its buffer is momentarily empty, and 10
 * tries in a row failing means the DRNG is broken; RDSEED runs dry more
 * easily, so it gets more tries with a PAUSE between them, and a
 * source that still gives nothing counts as absent (the runtime then
 * tries nothing else: it falls back and warns). Whether the values are
 * any good is not judged here: the runtime's health test does that.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mirleft/platform.h"

#define RDRAND_TRIES 10
#define RDSEED_TRIES 1000

static void cpuid(uint32_t leaf, uint32_t sub, uint32_t r[4])
{
    __asm__ volatile("cpuid"
                     : "=a"(r[0]), "=b"(r[1]), "=c"(r[2]), "=d"(r[3])
                     : "a"(leaf), "c"(sub));
}

static bool rdseed64(uint64_t *v)
{
    uint8_t ok;
    __asm__ volatile("rdseed %0; setc %1" : "=r"(*v), "=qm"(ok) : : "cc");
    return ok;
}

static bool rdrand64(uint64_t *v)
{
    uint8_t ok;
    __asm__ volatile("rdrand %0; setc %1" : "=r"(*v), "=qm"(ok) : : "cc");
    return ok;
}

static bool fill(uint8_t *p, size_t len, bool seed)
{
    while (len > 0) {
        uint64_t v = 0;
        int tries = seed ? RDSEED_TRIES : RDRAND_TRIES;
        while (!(seed ? rdseed64(&v) : rdrand64(&v)))
            if (--tries == 0)
                return false;
            else if (seed)
                __asm__ volatile("pause");
        for (int i = 0; i < 8 && len > 0; i++, len--)
            *p++ = (uint8_t)(v >> (8 * i));
    }
    return true;
}

ml_entropy_t ml_plat_entropy(void *buf, size_t len, const char **what)
{
    uint32_t r[4];
    bool has_rdseed = false, has_rdrand;

    cpuid(0, 0, r);
    uint32_t max_leaf = r[0];
    cpuid(1, 0, r);
    has_rdrand = r[2] >> 30 & 1;           /* CPUID.01H:ECX.RDRAND[bit 30] */
    if (max_leaf >= 7) {
        cpuid(7, 0, r);
        has_rdseed = r[1] >> 18 & 1;       /* CPUID.(07H,0):EBX.RDSEED[bit 18] */
    }
    if (has_rdseed && fill(buf, len, true)) {
        *what = "RDSEED";
        return ML_ENTROPY_FULL;
    }
    if (has_rdrand && fill(buf, len, false)) {
        *what = "RDRAND";
        return ML_ENTROPY_FULL;
    }
    *what = has_rdseed || has_rdrand
                ? "RDSEED and RDRAND report failure (carry flag clear)"
                : "the CPU has neither RDSEED nor RDRAND";
    return ML_ENTROPY_NONE;
}

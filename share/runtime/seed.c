/*
 * Seeding the generator: the target's raw entropy, health-tested, folded
 * into a 32-byte pool; clock jitter instead when the source is absent or
 * stuck, with a warning on the console (never silently).
 *
 * The pool absorbs 32-byte chunks: pool ^= chunk, then pool = the first
 * 32 bytes of the ChaCha20 block keyed by it. The block function adds
 * its input back, so the step cannot be run backwards from the output.
 */
#include <stdio.h>
#include <string.h>
#include <mirleft/platform.h>
#include <mirleft/random.h>
#include "seed.h"

#define FULL_BYTES 64        /* 512 bits from a conditioned source */
#define RAW_BYTES 512        /* >= 1 bit per byte claimed: 2x margin */
#define JITTER_SAMPLES 4096  /* timing samples in the fallback */

/* Cutoffs for a false alarm once in 2^40 (SP 800-90B 4.4.1):
 * 1 + ceil(40 / H) with H the claimed min-entropy per sample. */
#define RCT_CUTOFF_FULL_BYTE 6   /* H = 8 per byte */
#define RCT_CUTOFF_FULL_WORD 2   /* H = 64 per 8-byte word */
#define RCT_CUTOFF_RAW_BYTE 41   /* H = 1 per byte */

__attribute__((weak))
ml_entropy_t ml_plat_entropy(void *buf, size_t len, const char **what)
{
    (void)buf;
    (void)len;
    *what = "this target has no entropy source";
    return ML_ENTROPY_NONE;
}

int ml_entropy_rct(const void *buf, size_t len, size_t width,
                   unsigned cutoff)
{
    const uint8_t *p = buf;
    unsigned run = 1;

    if (width == 0 || width > 8 || cutoff < 2)
        return -1;
    for (size_t i = width; i + width <= len; i += width) {
        run = memcmp(p + i, p + i - width, width) == 0 ? run + 1 : 1;
        if (run >= cutoff)
            return -1;
    }
    return 0;
}

/* memset that the compiler may not drop as a dead store: keys and raw
 * entropy must not linger on the stack. */
static void wipe(void *p, size_t n)
{
    memset(p, 0, n);
    __asm__ volatile("" : : "r"(p) : "memory");
}

struct pool {
    uint8_t key[32];
    uint8_t chunk[32];
    size_t fill;
};

static void pool_mix(struct pool *p)
{
    static const uint8_t nonce[12] = "mirleft-seed";
    uint8_t block[64];

    for (int i = 0; i < 32; i++)
        p->key[i] ^= p->chunk[i];
    ml_chacha20_block(p->key, 0, nonce, block);
    memcpy(p->key, block, 32);
    wipe(block, sizeof block);
    wipe(p->chunk, sizeof p->chunk);
    p->fill = 0;
}

static void pool_add(struct pool *p, const void *data, size_t len)
{
    const uint8_t *d = data;
    for (size_t i = 0; i < len; i++) {
        p->chunk[p->fill++] = d[i];
        if (p->fill == sizeof p->chunk)
            pool_mix(p);
    }
}

/* Timing jitter of the platform clock around a little memory work: on
 * x86 the clock is the TSC (hvt) or a system call (spt), and both vary
 * with caches, interrupts and the host's scheduling. Every sample goes
 * into the pool whole; nothing is assumed about how much each carries,
 * which is why the fallback warns. */
static void add_jitter(struct pool *p)
{
    volatile uint32_t scratch[64];
    ml_time_t prev = ml_plat_clock_monotonic();

    for (unsigned i = 0; i < JITTER_SAMPLES; i++) {
        for (unsigned j = 0; j <= (prev & 31); j++)
            scratch[(j * 7 + prev) & 63] += (uint32_t)prev + j;
        ml_time_t now = ml_plat_clock_monotonic();
        uint64_t sample = (now - prev) ^ ((uint64_t)i << 48);
        pool_add(p, &sample, sizeof sample);
        prev = now;
    }
}

static int source_ok(ml_entropy_t kind, const uint8_t *raw, size_t n)
{
    if (kind == ML_ENTROPY_FULL)
        return ml_entropy_rct(raw, n, 1, RCT_CUTOFF_FULL_BYTE) == 0 &&
               ml_entropy_rct(raw, n, 8, RCT_CUTOFF_FULL_WORD) == 0;
    if (kind == ML_ENTROPY_RAW)
        return ml_entropy_rct(raw, n, 1, RCT_CUTOFF_RAW_BYTE) == 0;
    return 0;
}

int ml_seed_key(uint8_t key[32], const char **what)
{
    static char why[128];
    static uint8_t raw[RAW_BYTES];
    struct pool p = { 0 };
    const char *name = NULL;
    ml_entropy_t kind;
    size_t n;
    int ok;

    memset(raw, 0, sizeof raw);
    kind = ml_plat_entropy(raw, FULL_BYTES, &name);
    if (kind == ML_ENTROPY_RAW)
        kind = ml_plat_entropy(raw, n = RAW_BYTES, &name);
    else
        n = FULL_BYTES;
    if (!name)
        name = "unnamed source";
    ok = source_ok(kind, raw, n);
    pool_add(&p, raw, n);
    wipe(raw, sizeof raw);
    ml_time_t clocks[2] = { ml_plat_clock_wall(), ml_plat_clock_monotonic() };
    pool_add(&p, clocks, sizeof clocks);
    if (!ok) {
        static char reason[80];
        if (kind == ML_ENTROPY_NONE)
            snprintf(reason, sizeof reason, "%s", name);
        else
            snprintf(reason, sizeof reason,
                     "%s is stuck (it failed its repetition-count test)",
                     name);
        add_jitter(&p);
        fprintf(stderr,
                "mirleft: WARNING: no hardware entropy: %s; secrets (TCP "
                "sequence numbers, SYN cookies, ports, ids) come from clock "
                "jitter instead and may be guessable\n", reason);
        snprintf(why, sizeof why, "clock jitter (fallback: %s)", reason);
        name = why;
    }
    pool_mix(&p); /* a partial chunk, or none: both fine */
    pool_add(&p, "key", 3);
    pool_mix(&p);
    memcpy(key, p.key, 32);
    wipe(&p, sizeof p);
    *what = name;
    return ok;
}

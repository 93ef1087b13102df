/* The ChaCha20 generator behind mirleft/random.h: seeded at first use
 * (seed.c), refilled by fast key erasure (the header says how). */
#include <string.h>
#include <mirleft/random.h>
#include "seed.h"

#define REFILL_BLOCKS 4

static struct {
    uint8_t key[32];
    uint8_t buf[REFILL_BLOCKS * 64];
    size_t left;           /* unused bytes at the end of buf */
    int seeded, hardware;
    const char *source;
} g;

static void refill(void)
{
    static const uint8_t zero_nonce[12];

    for (uint32_t c = 0; c < REFILL_BLOCKS; c++)
        ml_chacha20_block(g.key, c, zero_nonce, g.buf + 64 * c);
    memcpy(g.key, g.buf, 32);
    memset(g.buf, 0, 32);
    g.left = sizeof g.buf - 32;
}

static void ensure_seeded(void)
{
    if (g.seeded)
        return;
    g.hardware = ml_seed_key(g.key, &g.source);
    g.seeded = 1;
    g.left = 0;
}

void ml_random_seed(const uint8_t key[32])
{
    memset(&g, 0, sizeof g);
    memcpy(g.key, key, 32);
    g.seeded = 1;
    g.source = "a key set by ml_random_seed";
}

void ml_random_reseed(void)
{
    memset(&g, 0, sizeof g);
    ensure_seeded();
}

void ml_random_bytes(void *out, size_t len)
{
    uint8_t *o = out;

    ensure_seeded();
    while (len > 0) {
        if (g.left == 0)
            refill();
        size_t n = g.left < len ? g.left : len;
        uint8_t *from = g.buf + sizeof g.buf - g.left;
        memcpy(o, from, n);
        memset(from, 0, n);
        g.left -= n;
        o += n;
        len -= n;
    }
}

uint32_t ml_random_u32(void)
{
    uint32_t x;
    ml_random_bytes(&x, sizeof x);
    return x;
}

/* Lemire's multiply-and-reject: the low half of x * bound falls below
 * 2^32 mod bound for exactly the draws that would bias the result. */
uint32_t ml_random_below(uint32_t bound)
{
    if (bound == 0)
        return 0;
    uint64_t m = (uint64_t)ml_random_u32() * bound;
    if ((uint32_t)m < bound) {
        uint32_t threshold = (uint32_t)-bound % bound;
        while ((uint32_t)m < threshold)
            m = (uint64_t)ml_random_u32() * bound;
    }
    return (uint32_t)(m >> 32);
}

const char *ml_random_source(void)
{
    ensure_seeded();
    return g.source;
}

int ml_random_hardware(void)
{
    ensure_seeded();
    return g.hardware;
}

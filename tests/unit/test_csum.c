/* The Internet checksum (share/lib/net/checksum.c) against a plain
 * RFC 1071 reference: random data of every length up to 3000 bytes at
 * every alignment, all-ones and all-zero data, sums split in pieces, and
 * the RFC 1624 incremental updates against recomputing.
 *
 * usage: test_csum [ROUNDS] */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "mlt.h"
#include "netstack.h"
#include <mirleft/checksum.h>

static unsigned long long rng = 0x243f6a8885a308d3ULL;
static unsigned long long rnd(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}

/* The reference: big-endian 16-bit words, end-around carry, complement. */
static uint16_t ref_csum(const uint8_t *p, size_t len)
{
    uint32_t s = 0;
    size_t i;

    for (i = 0; i + 1 < len; i += 2)
        s += (uint32_t)p[i] << 8 | p[i + 1];
    if (len & 1)
        s += (uint32_t)p[len - 1] << 8;
    while (s >> 16)
        s = (s & 0xffff) + (s >> 16);
    return (uint16_t)~s;
}

static uint16_t fold(uint32_t s) /* the header's inline fold, over mlt_ */
{
    s = (s & 0xffff) + (s >> 16);
    s = (s & 0xffff) + (s >> 16);
    return (uint16_t)~s;
}

/* Ones'-complement equality: 0x0000 and 0xffff are both zero. */
static int same(uint16_t a, uint16_t b)
{
    return a == b || (a == 0 && b == 0xffff) || (a == 0xffff && b == 0);
}

static uint8_t buf[4096 + 16];

extern int mlt_ml_csum_avx2;

static void run_checks(long rounds)
{
    /* every length and alignment on random data */
    for (size_t len = 0; len <= 300; len++)
        for (size_t al = 0; al < 8; al++) {
            for (size_t i = 0; i < len; i++)
                buf[al + i] = (uint8_t)rnd();
            uint16_t a = fold(mlt_ml_csum_add(0, buf + al, len));
            uint16_t b = ref_csum(buf + al, len);
            CHECK(a == b, "len %zu align %zu: %04x != %04x", len, al, a, b);
        }
    for (long r = 0; r < rounds; r++) {
        size_t len = rnd() % 4097, al = rnd() % 16;
        int kind = (int)(rnd() % 8);
        if (al + len > sizeof buf)
            len = sizeof buf - al;
        for (size_t i = 0; i < len; i++)
            buf[al + i] = kind == 0 ? 0xff : kind == 1 ? 0 : (uint8_t)rnd();
        uint16_t want = ref_csum(buf + al, len);
        CHECK(fold(mlt_ml_csum_add(0, buf + al, len)) == want,
              "round %ld len %zu", r, len);
        /* split at an even point: the same sum */
        size_t cut = len ? (rnd() % (len + 1)) & ~(size_t)1 : 0;
        uint32_t s = mlt_ml_csum_add(0, buf + al, cut);
        s = mlt_ml_csum_add(s, buf + al + cut, len - cut);
        CHECK(fold(s) == want, "split at %zu of %zu", cut, len);
        /* a running sum that starts non-zero (pseudo-header) */
        uint32_t ph = (uint32_t)rnd();
        uint8_t phb[4] = { (uint8_t)(ph >> 24), (uint8_t)(ph >> 16),
                           (uint8_t)(ph >> 8), (uint8_t)ph };
        uint8_t two[4096 + 4];
        memcpy(two, phb, 4);
        memcpy(two + 4, buf + al, len);
        CHECK(fold(ml_csum_add32(mlt_ml_csum_add(0, buf + al, len), ph)) ==
                  ref_csum(two, len + 4), "with a 32-bit add");
        CHECK(fold(mlt_ml_csum_add(ph & 0xffff, buf + al, len)) ==
                  fold(mlt_ml_csum_add(0, buf + al, len) + (ph & 0xffff)),
              "initial sum");
        /* RFC 1624: change a 16-bit and a 32-bit field, update */
        if (len >= 8 && kind > 1) {
            size_t at = (rnd() % (len / 2 - 1)) * 2;
            uint16_t hc = want, old = (uint16_t)(buf[al + at] << 8 | buf[al + at + 1]);
            uint16_t nw = (uint16_t)rnd();
            buf[al + at] = (uint8_t)(nw >> 8);
            buf[al + at + 1] = (uint8_t)nw;
            uint16_t inc = ml_csum_update16(hc, old, nw);
            uint16_t full = ref_csum(buf + al, len);
            CHECK(same(inc, full), "update16: %04x != %04x", inc, full);
            if (len >= 12) {
                size_t at4 = (rnd() % (len / 2 - 2)) * 2;
                uint32_t o = (uint32_t)buf[al + at4] << 24 |
                             (uint32_t)buf[al + at4 + 1] << 16 |
                             (uint32_t)buf[al + at4 + 2] << 8 | buf[al + at4 + 3];
                uint32_t n = (uint32_t)rnd();
                for (int k = 0; k < 4; k++)
                    buf[al + at4 + k] = (uint8_t)(n >> (24 - 8 * k));
                uint16_t inc2 = ml_csum_update32(full, o, n);
                uint16_t full2 = ref_csum(buf + al, len);
                CHECK(same(inc2, full2), "update32: %04x != %04x", inc2, full2);
            }
        }
    }
    /* multi-megabyte buffers (the vector lanes are drained more than
     * once, the carry counts grow), all-ones and random, every alignment
     * mod 4 and an odd length, against a 64-bit reference */
    static uint8_t big[(3u << 20) + 16];
    for (int kind = 0; kind < 2; kind++) {
        for (size_t i = 0; i < sizeof big; i++)
            big[i] = kind ? (uint8_t)rnd() : 0xff;
        for (size_t al = 0; al < 4; al++) {
            size_t len = sizeof big - 16 + al;
            unsigned long long s = 0;
            for (size_t i = 0; i + 1 < len; i += 2)
                s += (unsigned)big[al + i] << 8 | big[al + i + 1];
            if (len & 1)
                s += (unsigned)big[al + len - 1] << 8;
            while (s >> 16)
                s = (s & 0xffff) + (s >> 16);
            uint16_t got = fold(mlt_ml_csum_add(0, big + al, len));
            CHECK(got == (uint16_t)~s, "big kind %d align %zu: %04x != %04x",
                  kind, al, got, (uint16_t)~s);
        }
    }
    /* a header that carries its checksum sums to zero */
    for (int r = 0; r < 1000; r++) {
        for (int i = 0; i < 20; i++)
            buf[i] = (uint8_t)rnd();
        buf[10] = buf[11] = 0;
        uint16_t c = ref_csum(buf, 20);
        buf[10] = (uint8_t)(c >> 8);
        buf[11] = (uint8_t)c;
        CHECK(fold(mlt_ml_csum_add(0, buf, 20)) == 0, "verify");
    }
}

int main(int argc, char **argv)
{
    long rounds = argc > 1 ? atol(argv[1]) : 20000;

    /* every check on each path the CPU can take: on x86-64 the 128-bit
     * one (forced), then whatever is picked (AVX2 where usable) */
    mlt_ml_csum_avx2 = 0;
    run_checks(rounds);
    mlt_ml_csum_avx2 = -1;
    mlt_ml_csum_add(0, buf, 0);
    printf("csum: 128-bit lanes checked; AVX2 %s\n",
           mlt_ml_csum_avx2 > 0 ? "usable here, checked too"
                                : "not usable here (skipped)");
    if (mlt_ml_csum_avx2 > 0)
        run_checks(rounds);
    return report("csum");
}

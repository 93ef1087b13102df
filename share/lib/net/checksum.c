/* The Internet checksum (RFC 1071), summed 8 bytes at a time.
 *
 * The ones'-complement sum does not depend on byte order (RFC 1071 §2(B)):
 * we add the data as native-order 32-bit halves of 64-bit loads into two
 * 64-bit accumulators (no carry can be lost before 2^31 additions), fold,
 * and swap the bytes once at the end on a little-endian machine. Loads go
 * through __builtin_memcpy of a fixed size, so any alignment works and the
 * compiler turns them into plain loads where the target allows unaligned
 * access (plain memcpy is a real call under -ffreestanding). */
#include <mirleft/checksum.h>
#include <string.h>

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
#define NATIVE_IS_BE 1
#else
#define NATIVE_IS_BE 0
#endif

static uint16_t swap16(uint16_t v)
{
    return (uint16_t)(v << 8 | v >> 8);
}

static uint16_t fold64(uint64_t s)
{
    s = (s & 0xffffffff) + (s >> 32);
    s = (s & 0xffffffff) + (s >> 32);
    s = (s & 0xffff) + (s >> 16);
    s = (s & 0xffff) + (s >> 16);
    return (uint16_t)s;
}

#if defined(__GNUC__) && (defined(__SSE2__) || defined(__ARM_NEON))
/* With 128-bit vectors: the 16-bit words of each 16-byte block are split
 * into their low and high halves inside 32-bit lanes (masks and shifts
 * only, no carries to track); a lane grows by at most 4 * 0xffff per
 * 64-byte step, so 16384 steps fit before the lanes are drained into a
 * 64-bit total. */
typedef uint32_t v4u32 __attribute__((vector_size(16)));

static uint64_t sum_vec(const uint8_t **pb, size_t *plen)
{
    const uint8_t *b = *pb;
    size_t len = *plen;
    uint64_t total = 0;
    const v4u32 mask = { 0xffff, 0xffff, 0xffff, 0xffff };

    while (len >= 64) {
        v4u32 lo0 = { 0 }, hi0 = { 0 }, lo1 = { 0 }, hi1 = { 0 };
        size_t steps = len / 64 < 16384 ? len / 64 : 16384;
        for (size_t i = 0; i < steps; i++, b += 64) {
            v4u32 x0, x1, x2, x3;
            __builtin_memcpy(&x0, b, 16);
            __builtin_memcpy(&x1, b + 16, 16);
            __builtin_memcpy(&x2, b + 32, 16);
            __builtin_memcpy(&x3, b + 48, 16);
            lo0 += (x0 & mask) + (x2 & mask);
            hi0 += (x0 >> 16) + (x2 >> 16);
            lo1 += (x1 & mask) + (x3 & mask);
            hi1 += (x1 >> 16) + (x3 >> 16);
        }
        len -= steps * 64;
        for (int k = 0; k < 4; k++)
            total += (uint64_t)lo0[k] + hi0[k] + lo1[k] + hi1[k];
    }
    *pb = b;
    *plen = len;
    return total;
}
#else
static uint64_t sum_vec(const uint8_t **pb, size_t *plen)
{
    (void)pb;
    (void)plen;
    return 0;
}
#endif

static uint64_t sum_native(const uint8_t *b, size_t len)
{
    uint64_t a0 = 0, a1 = 0, w0, w1;

    /* the words' order within the sum does not matter: the vector part
     * covers whole 64-byte blocks from the start, the rest follows */
    a0 = fold64(sum_vec(&b, &len));

    /* Blocks of 64 bytes: enough independent work to hide load latency,
     * and at most 2^26 of them per call keeps a0/a1 from overflowing. */
    while (len >= 64) {
        for (int i = 0; i < 64; i += 16) {
            __builtin_memcpy(&w0, b + i, 8);
            __builtin_memcpy(&w1, b + i + 8, 8);
            a0 += (w0 & 0xffffffff) + (w0 >> 32);
            a1 += (w1 & 0xffffffff) + (w1 >> 32);
        }
        b += 64;
        len -= 64;
        if ((a0 | a1) >> 60) { /* only for multi-GiB buffers */
            a0 = fold64(a0);
            a1 = fold64(a1);
        }
    }
    while (len >= 8) {
        __builtin_memcpy(&w0, b, 8);
        a0 += (w0 & 0xffffffff) + (w0 >> 32);
        b += 8;
        len -= 8;
    }
    if (len >= 4) {
        uint32_t w;
        __builtin_memcpy(&w, b, 4);
        a1 += w;
        b += 4;
        len -= 4;
    }
    if (len >= 2) {
        uint16_t w;
        __builtin_memcpy(&w, b, 2);
        a0 += w;
        b += 2;
        len -= 2;
    }
    if (len) /* the odd byte is the high-order byte of a padded word */
        a1 += NATIVE_IS_BE ? (uint64_t)b[0] << 8 : b[0];
    return a0 + a1;
}

uint32_t ml_csum_add(uint32_t sum, const void *p, size_t len)
{
    uint16_t s = fold64(sum_native(p, len));

    if (!NATIVE_IS_BE)
        s = swap16(s);
    uint64_t t = (uint64_t)sum + s;
    return (uint32_t)((t & 0xffffffff) + (t >> 32));
}

/* The Internet checksum (RFC 1071).
 *
 * The ones'-complement sum does not depend on byte order (RFC 1071 §2(B)):
 * we add the data as native-order words (128-bit vector lanes where the
 * target has them, else 64-bit words with their carries counted), fold,
 * and swap the bytes once at the end on a little-endian machine. Loads go
 * through __builtin_memcpy of a fixed size, so any alignment works and the
 * compiler turns them into plain loads where the target allows unaligned
 * access (plain memcpy is a real call under -ffreestanding). On x86-64
 * the vector part uses 256-bit AVX2 lanes when the CPU has them and the
 * OS saves their state (spt on most hosts; not hvt, whose ring-0 stub
 * does not enable XSAVE), else 128-bit SSE2 ones. */
#include <stdbool.h>
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

/* Adds the 64-bit word w to s, counting the carry out in c: a carry of
 * 2^64 is worth 1 in the ones'-complement sum (2^64 mod 0xffff = 1). */
#define ADDC(s, c, w) ((s) += (w), (c) += (s) < (w))

#if defined(__GNUC__) && (defined(__SSE2__) || defined(__ARM_NEON))
/* With 128-bit vectors: each 32-bit lane x (words lo, hi) is added whole
 * into `full` (its carries out of the lane are lost) and its high word
 * into `hi`. As long as the true sums of the low words and of the high
 * words both stay below 2^32, they are recovered exactly:
 * sum(hi) = hi, sum(lo) = full - (hi << 16) mod 2^32. That is three vector
 * operations per 16 bytes (a shift, two adds) instead of four with masks.
 * A lane takes 2 * 0xffff per 64-byte step, so 16384 steps fit, and the
 * few 16-byte pieces of the tail (4 words a lane at most) after them. */
typedef uint32_t v4u32 __attribute__((vector_size(16)));

/* Returns the vector part's sum; the integer part goes into sc (sums,
 * then carry counts). */
static uint64_t sum_vec(const uint8_t **pb, size_t *plen, uint64_t sc[8])
{
    const uint8_t *b = *pb;
    size_t len = *plen;
    uint64_t total = 0;
    uint64_t s0 = 0, s1 = 0, s2 = 0, s3 = 0, c0 = 0, c1 = 0, c2 = 0, c3 = 0;
    const v4u32 mask = { 0xffff, 0xffff, 0xffff, 0xffff };

    /* Blocks of 96 bytes: 64 through the vector unit, 32 through the
     * integer unit (64-bit adds with their carries counted), which would
     * otherwise sit idle. */
    while (len >= 96) {
        v4u32 f0 = { 0 }, h0 = { 0 }, f1 = { 0 }, h1 = { 0 };
        size_t steps = len / 96 < 16384 ? len / 96 : 16384;
        bool last;
        const uint8_t *end = b + steps * 96;
        for (; b != end; b += 96) {
            v4u32 x0, x1, x2, x3;
            uint64_t w0, w1, w2, w3;
            __builtin_memcpy(&x0, b, 16);
            __builtin_memcpy(&x1, b + 16, 16);
            __builtin_memcpy(&x2, b + 32, 16);
            __builtin_memcpy(&x3, b + 48, 16);
            __builtin_memcpy(&w0, b + 64, 8);
            __builtin_memcpy(&w1, b + 72, 8);
            __builtin_memcpy(&w2, b + 80, 8);
            __builtin_memcpy(&w3, b + 88, 8);
            f0 += x0 + x2;
            f1 += x1 + x3;
            h0 += (x0 >> 16) + (x2 >> 16);
            h1 += (x1 >> 16) + (x3 >> 16);
            ADDC(s0, c0, w0);
            ADDC(s1, c1, w1);
            ADDC(s2, c2, w2);
            ADDC(s3, c3, w3);
        }
        len -= steps * 96;
        /* the tail's whole 16-byte pieces here too: the scalar code after
         * us would add them one dependent carry at a time */
        last = len < 96;
        for (; last && len >= 16; b += 16, len -= 16) {
            v4u32 x;
            __builtin_memcpy(&x, b, 16);
            f0 += x;
            h0 += x >> 16;
        }
        /* each lane's four sums folded to 16 bits plus carries, which is
         * congruent modulo 0xffff (all the final fold keeps), < 2^19 */
        v4u32 lo0 = f0 - (h0 << 16), lo1 = f1 - (h1 << 16);
        v4u32 r = ((lo0 & mask) + (lo0 >> 16)) + ((lo1 & mask) + (lo1 >> 16)) +
                  ((h0 & mask) + (h0 >> 16)) + ((h1 & mask) + (h1 >> 16));
        total += (uint64_t)(r[0] + r[1] + r[2] + r[3]);
    }
    sc[0] = s0, sc[1] = s1, sc[2] = s2, sc[3] = s3;
    sc[4] = c0, sc[5] = c1, sc[6] = c2, sc[7] = c3;
    *pb = b;
    *plen = len;
    return total;
}
#define HAVE_SUM_VEC 1
#endif

#if defined(HAVE_SUM_VEC) && defined(__x86_64__)
/* The same with 256-bit lanes, in blocks of 128 bytes, all through the
 * vector unit (with lanes this wide, the integer unit's three operations
 * per 8 bytes would only slow it); the same bounds hold, as each lane
 * still takes two words per step. */
typedef uint32_t v8u32 __attribute__((vector_size(32)));

__attribute__((target("avx2")))
static uint64_t sum_avx2(const uint8_t **pb, size_t *plen, uint64_t sc[8])
{
    const uint8_t *b = *pb;
    size_t len = *plen;
    uint64_t total = 0;
    const v8u32 mask = { 0xffff, 0xffff, 0xffff, 0xffff,
                         0xffff, 0xffff, 0xffff, 0xffff };

    while (len >= 128) {
        v8u32 f0 = { 0 }, h0 = { 0 }, f1 = { 0 }, h1 = { 0 };
        size_t steps = len / 128 < 16384 ? len / 128 : 16384;
        const uint8_t *end = b + steps * 128;
        bool last;
        for (; b != end; b += 128) {
            v8u32 x0, x1, x2, x3;
            __builtin_memcpy(&x0, b, 32);
            __builtin_memcpy(&x1, b + 32, 32);
            __builtin_memcpy(&x2, b + 64, 32);
            __builtin_memcpy(&x3, b + 96, 32);
            f0 += x0 + x2;
            f1 += x1 + x3;
            h0 += (x0 >> 16) + (x2 >> 16);
            h1 += (x1 >> 16) + (x3 >> 16);
        }
        len -= steps * 128;
        last = len < 128;
        for (; last && len >= 32; b += 32, len -= 32) {
            v8u32 x;
            __builtin_memcpy(&x, b, 32);
            f0 += x;
            h0 += x >> 16;
        }
        v8u32 lo0 = f0 - (h0 << 16), lo1 = f1 - (h1 << 16);
        v8u32 r = ((lo0 & mask) + (lo0 >> 16)) + ((lo1 & mask) + (lo1 >> 16)) +
                  ((h0 & mask) + (h0 >> 16)) + ((h1 & mask) + (h1 >> 16));
        total += (uint64_t)(r[0] + r[1] + r[2] + r[3]) +
                 (uint64_t)(r[4] + r[5] + r[6] + r[7]);
    }
    for (int i = 0; i < 8; i++)
        sc[i] = 0;
    *pb = b;
    *plen = len;
    return total;
}

static void cpuid(uint32_t leaf, uint32_t sub, uint32_t r[4])
{
    __asm__ volatile("cpuid" : "=a"(r[0]), "=b"(r[1]), "=c"(r[2]), "=d"(r[3])
                     : "a"(leaf), "c"(sub));
}

/* AVX2 present, and enabled by the OS: CPUID.1:ECX has OSXSAVE and AVX,
 * XCR0 has the SSE and AVX state bits, CPUID.7.0:EBX has AVX2. */
static int avx2_usable(void)
{
    uint32_t r[4], lo, hi;

    cpuid(0, 0, r);
    if (r[0] < 7)
        return 0;
    cpuid(1, 0, r);
    if ((r[2] & (1u << 27 | 1u << 28)) != (1u << 27 | 1u << 28))
        return 0;
    __asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
    (void)hi;
    if ((lo & 6) != 6)
        return 0;
    cpuid(7, 0, r);
    return (r[1] >> 5) & 1;
}

static uint64_t sum_vector(const uint8_t **pb, size_t *plen, uint64_t sc[8])
{
    if (ml_csum_avx2 < 0)
        ml_csum_avx2 = avx2_usable();
    /* below one AVX2 block the SSE2 loop does as well */
    if (ml_csum_avx2 && *plen >= 128)
        return sum_avx2(pb, plen, sc);
    return sum_vec(pb, plen, sc);
}
#elif defined(HAVE_SUM_VEC)
#define sum_vector sum_vec
#else
static uint64_t sum_vector(const uint8_t **pb, size_t *plen, uint64_t sc[8])
{
    (void)pb;
    (void)plen;
    for (int i = 0; i < 8; i++)
        sc[i] = 0;
    return 0;
}
#endif

int ml_csum_avx2 = -1;

static uint64_t sum_native(const uint8_t *b, size_t len)
{
    uint64_t s0, s1, s2, s3, c0, c1, c2, c3, sc[8];
    uint64_t w0, w1, w2, w3, v;

    /* the words' order within the sum does not matter: the vector part
     * covers whole 96-byte blocks from the start, the rest follows */
    v = sum_vector(&b, &len, sc);
    s0 = sc[0], s1 = sc[1], s2 = sc[2], s3 = sc[3];
    c0 = sc[4], c1 = sc[5], c2 = sc[6], c3 = sc[7];

    /* Blocks of 32 bytes as four independent 64-bit add-with-carry chains
     * (the carry counts cannot overflow: at most one per 8 bytes). */
    while (len >= 32) {
        __builtin_memcpy(&w0, b, 8);
        __builtin_memcpy(&w1, b + 8, 8);
        __builtin_memcpy(&w2, b + 16, 8);
        __builtin_memcpy(&w3, b + 24, 8);
        ADDC(s0, c0, w0);
        ADDC(s1, c1, w1);
        ADDC(s2, c2, w2);
        ADDC(s3, c3, w3);
        b += 32;
        len -= 32;
    }
    if (len >= 16) {
        __builtin_memcpy(&w0, b, 8);
        __builtin_memcpy(&w1, b + 8, 8);
        ADDC(s0, c0, w0);
        ADDC(s1, c1, w1);
        b += 16;
        len -= 16;
    }
    if (len >= 8) {
        __builtin_memcpy(&w2, b, 8);
        ADDC(s2, c2, w2);
        b += 8;
        len -= 8;
    }
    if (len >= 4) {
        uint32_t w;
        __builtin_memcpy(&w, b, 4);
        ADDC(s3, c3, (uint64_t)w);
        b += 4;
        len -= 4;
    }
    if (len >= 2) {
        uint16_t w;
        __builtin_memcpy(&w, b, 2);
        ADDC(s0, c0, (uint64_t)w);
        b += 2;
        len -= 2;
    }
    if (len) /* the odd byte is the high-order byte of a padded word */
        ADDC(s1, c1, (uint64_t)(NATIVE_IS_BE ? (unsigned)b[0] << 8 : b[0]));
    ADDC(s0, c0, s1);
    ADDC(s2, c2, s3);
    ADDC(s0, c0, s2);
    ADDC(s0, c0, v);
    return (uint64_t)fold64(s0) + c0 + c1 + c2 + c3;
}

uint32_t ml_csum_add(uint32_t sum, const void *p, size_t len)
{
    uint16_t s = fold64(sum_native(p, len));

    if (!NATIVE_IS_BE)
        s = swap16(s);
    uint64_t t = (uint64_t)sum + s;
    return (uint32_t)((t & 0xffffffff) + (t >> 32));
}

/* SHA-256 as specified in FIPS 180-4 (sections 4.1.2, 4.2.2, 5.1.1, 5.3.3,
 * 6.2): the message is processed in 64-byte blocks, padded with a 1 bit,
 * zeros and the 64-bit big-endian bit length.
 *
 * The tool compiles this file too (hosted), where it hashes whole embedded
 * directories: there, on x86-64 CPUs with the SHA extensions, blocks go
 * through them (about 8x the portable code). Unikernels keep the portable
 * code, which is small and needs nothing from the CPU. */
#include <string.h>
#include <mirleft/sha256.h>

#if defined(__x86_64__) && __STDC_HOSTED__ && defined(__GNUC__)
#define ML_SHA256_SHANI 1
#include <cpuid.h>
#include <immintrin.h>
#endif

static const uint32_t K[64] = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1,
    0x923f82a4, 0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3,
    0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786,
    0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147,
    0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
    0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b,
    0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a,
    0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208,
    0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
};

static inline uint32_t ror(uint32_t x, unsigned n)
{
    return (x >> n) | (x << (32 - n));
}

static void compress(uint32_t h[8], const uint8_t *p)
{
    uint32_t w[64], a, b, c, d, e, f, g, k, t1, t2;
    unsigned i;

    for (i = 0; i < 16; i++)
        w[i] = (uint32_t)p[4 * i] << 24 | (uint32_t)p[4 * i + 1] << 16 |
               (uint32_t)p[4 * i + 2] << 8 | p[4 * i + 3];
    for (; i < 64; i++) {
        uint32_t s0 = ror(w[i - 15], 7) ^ ror(w[i - 15], 18) ^ (w[i - 15] >> 3);
        uint32_t s1 = ror(w[i - 2], 17) ^ ror(w[i - 2], 19) ^ (w[i - 2] >> 10);
        w[i] = w[i - 16] + s0 + w[i - 7] + s1;
    }
    a = h[0]; b = h[1]; c = h[2]; d = h[3];
    e = h[4]; f = h[5]; g = h[6]; k = h[7];
    for (i = 0; i < 64; i++) {
        t1 = k + (ror(e, 6) ^ ror(e, 11) ^ ror(e, 25)) + ((e & f) ^ (~e & g)) +
             K[i] + w[i];
        t2 = (ror(a, 2) ^ ror(a, 13) ^ ror(a, 22)) +
             ((a & b) ^ (a & c) ^ (b & c));
        k = g; g = f; f = e; e = d + t1;
        d = c; c = b; b = a; a = t1 + t2;
    }
    h[0] += a; h[1] += b; h[2] += c; h[3] += d;
    h[4] += e; h[5] += f; h[6] += g; h[7] += k;
}

#ifdef ML_SHA256_SHANI
int ml_sha256_shani = -1;

/* The SHA extensions keep the state as ABEF and CDGH (in lanes 3..0) and
 * do two rounds per sha256rnds2; sha256msg1/msg2 and one alignr extend the
 * message schedule four words at a time (Intel's SHA Extensions paper). */
__attribute__((target("sha,sse4.1,ssse3")))
static void compress_shani(uint32_t h[8], const uint8_t *p, size_t blocks)
{
    const __m128i bswap = _mm_set_epi64x(0x0c0d0e0f08090a0bLL,
                                         0x0405060700010203LL);
    __m128i t = _mm_loadu_si128((const __m128i *)h);        /* a b c d */
    __m128i s1 = _mm_loadu_si128((const __m128i *)(h + 4)); /* e f g h */
    t = _mm_shuffle_epi32(t, 0xb1);                          /* b a d c */
    s1 = _mm_shuffle_epi32(s1, 0x1b);                        /* h g f e */
    __m128i s0 = _mm_alignr_epi8(t, s1, 8);                  /* ABEF */
    s1 = _mm_blend_epi16(s1, t, 0xf0);                       /* CDGH */

    for (; blocks; blocks--, p += 64) {
        __m128i abef = s0, cdgh = s1, m[4], w;
        for (int i = 0; i < 4; i++)
            m[i] = _mm_shuffle_epi8(
                _mm_loadu_si128((const __m128i *)(p + 16 * i)), bswap);
        for (int g = 0; g < 16; g++) {
            if (g >= 4) /* W[4g..4g+3] from the four groups before */
                m[g & 3] = _mm_sha256msg2_epu32(
                    _mm_add_epi32(_mm_sha256msg1_epu32(m[g & 3], m[(g + 1) & 3]),
                                  _mm_alignr_epi8(m[(g + 3) & 3], m[(g + 2) & 3], 4)),
                    m[(g + 3) & 3]);
            w = _mm_add_epi32(m[g & 3],
                              _mm_loadu_si128((const __m128i *)(K + 4 * g)));
            s1 = _mm_sha256rnds2_epu32(s1, s0, w);
            s0 = _mm_sha256rnds2_epu32(s0, s1, _mm_shuffle_epi32(w, 0x0e));
        }
        s0 = _mm_add_epi32(s0, abef);
        s1 = _mm_add_epi32(s1, cdgh);
    }
    t = _mm_shuffle_epi32(s0, 0x1b);                         /* f e b a */
    s1 = _mm_shuffle_epi32(s1, 0xb1);                        /* d c h g */
    s0 = _mm_blend_epi16(t, s1, 0xf0);                       /* a b c d */
    s1 = _mm_alignr_epi8(s1, t, 8);                          /* e f g h */
    _mm_storeu_si128((__m128i *)h, s0);
    _mm_storeu_si128((__m128i *)(h + 4), s1);
}

static int shani_usable(void)
{
    unsigned a, b, c, d;

    if (!__get_cpuid(1, &a, &b, &c, &d) || !(c & bit_SSE4_1) ||
        !(c & bit_SSSE3) || __get_cpuid_max(0, NULL) < 7)
        return 0;
    __cpuid_count(7, 0, a, b, c, d);
    return (b >> 29) & 1;
}
#endif

/* n consecutive 64-byte blocks. */
static void compress_blocks(uint32_t h[8], const uint8_t *p, size_t n)
{
#ifdef ML_SHA256_SHANI
    if (ml_sha256_shani < 0)
        ml_sha256_shani = shani_usable();
    if (ml_sha256_shani) {
        compress_shani(h, p, n);
        return;
    }
#endif
    for (; n; n--, p += 64)
        compress(h, p);
}

void ml_sha256_init(struct ml_sha256 *c)
{
    static const uint32_t h0[8] = {
        0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
        0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
    };
    memcpy(c->h, h0, sizeof h0);
    c->bytes = 0;
    c->fill = 0;
}

void ml_sha256_update(struct ml_sha256 *c, const void *data, size_t len)
{
    const uint8_t *p = data;

    c->bytes += len;
    if (c->fill) {
        size_t n = 64 - c->fill < len ? 64 - c->fill : len;
        memcpy(c->block + c->fill, p, n);
        c->fill += n;
        p += n;
        len -= n;
        if (c->fill < 64)
            return;
        compress_blocks(c->h, c->block, 1);
        c->fill = 0;
    }
    compress_blocks(c->h, p, len / 64);
    p += len / 64 * 64;
    len %= 64;
    memcpy(c->block, p, len);
    c->fill = len;
}

void ml_sha256_final(struct ml_sha256 *c, uint8_t out[ML_SHA256_LEN])
{
    uint64_t bits = c->bytes * 8;
    unsigned i;

    c->block[c->fill++] = 0x80;
    if (c->fill > 56) {
        memset(c->block + c->fill, 0, 64 - c->fill);
        compress_blocks(c->h, c->block, 1);
        c->fill = 0;
    }
    memset(c->block + c->fill, 0, 56 - c->fill);
    for (i = 0; i < 8; i++)
        c->block[56 + i] = (uint8_t)(bits >> (56 - 8 * i));
    compress_blocks(c->h, c->block, 1);
    for (i = 0; i < 32; i++)
        out[i] = (uint8_t)(c->h[i / 4] >> (24 - 8 * (i % 4)));
}

void ml_sha256(const void *data, size_t len, uint8_t out[ML_SHA256_LEN])
{
    struct ml_sha256 c;
    ml_sha256_init(&c);
    ml_sha256_update(&c, data, len);
    ml_sha256_final(&c, out);
}

char *ml_sha256_hex(const uint8_t digest[ML_SHA256_LEN], char hex[65])
{
    static const char xd[] = "0123456789abcdef";
    unsigned i;

    for (i = 0; i < ML_SHA256_LEN; i++) {
        hex[2 * i] = xd[digest[i] >> 4];
        hex[2 * i + 1] = xd[digest[i] & 15];
    }
    hex[64] = 0;
    return hex;
}

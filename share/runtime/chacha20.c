/* The ChaCha20 block function, from RFC 8439 section 2.3: a 4x4 matrix of
 * 32-bit words (constants, key, counter, nonce), ten double rounds of
 * quarter rounds on columns then diagonals, the input added back, the
 * words serialized little-endian. */
#include <mirleft/random.h>

static uint32_t rotl32(uint32_t x, unsigned b)
{
    return x << b | x >> (32 - b);
}

static uint32_t load_le32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
           (uint32_t)p[3] << 24;
}

#define QR(a, b, c, d) \
    do { \
        a += b; d ^= a; d = rotl32(d, 16); \
        c += d; b ^= c; b = rotl32(b, 12); \
        a += b; d ^= a; d = rotl32(d, 8); \
        c += d; b ^= c; b = rotl32(b, 7); \
    } while (0)

void ml_chacha20_block(const uint8_t key[32], uint32_t counter,
                       const uint8_t nonce[12], uint8_t out[64])
{
    uint32_t in[16], x[16];

    in[0] = 0x61707865; /* "expand 32-byte k" */
    in[1] = 0x3320646e;
    in[2] = 0x79622d32;
    in[3] = 0x6b206574;
    for (int i = 0; i < 8; i++)
        in[4 + i] = load_le32(key + 4 * i);
    in[12] = counter;
    for (int i = 0; i < 3; i++)
        in[13 + i] = load_le32(nonce + 4 * i);
    for (int i = 0; i < 16; i++)
        x[i] = in[i];
    for (int r = 0; r < 10; r++) {
        QR(x[0], x[4], x[8], x[12]);
        QR(x[1], x[5], x[9], x[13]);
        QR(x[2], x[6], x[10], x[14]);
        QR(x[3], x[7], x[11], x[15]);
        QR(x[0], x[5], x[10], x[15]);
        QR(x[1], x[6], x[11], x[12]);
        QR(x[2], x[7], x[8], x[13]);
        QR(x[3], x[4], x[9], x[14]);
    }
    for (int i = 0; i < 16; i++) {
        uint32_t w = x[i] + in[i];
        out[4 * i] = (uint8_t)w;
        out[4 * i + 1] = (uint8_t)(w >> 8);
        out[4 * i + 2] = (uint8_t)(w >> 16);
        out[4 * i + 3] = (uint8_t)(w >> 24);
    }
}

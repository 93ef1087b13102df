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

/* The quarter rounds of one double round: four columns, four diagonals.
 * A loop over this table rather than eight inlined quarter rounds: the
 * generator refills rarely, and the table keeps the code about a quarter
 * of the size. */
static const uint8_t rounds[8][4] = {
    { 0, 4, 8, 12 }, { 1, 5, 9, 13 }, { 2, 6, 10, 14 }, { 3, 7, 11, 15 },
    { 0, 5, 10, 15 }, { 1, 6, 11, 12 }, { 2, 7, 8, 13 }, { 3, 4, 9, 14 },
};

static void quarter_round(uint32_t *x, const uint8_t i[4])
{
    uint32_t a = x[i[0]], b = x[i[1]], c = x[i[2]], d = x[i[3]];

    a += b; d ^= a; d = rotl32(d, 16);
    c += d; b ^= c; b = rotl32(b, 12);
    a += b; d ^= a; d = rotl32(d, 8);
    c += d; b ^= c; b = rotl32(b, 7);
    x[i[0]] = a;
    x[i[1]] = b;
    x[i[2]] = c;
    x[i[3]] = d;
}

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
    for (int r = 0; r < 10; r++)
        for (int q = 0; q < 8; q++)
            quarter_round(x, rounds[q]);
    for (int i = 0; i < 16; i++) {
        uint32_t w = x[i] + in[i];
        out[4 * i] = (uint8_t)w;
        out[4 * i + 1] = (uint8_t)(w >> 8);
        out[4 * i + 2] = (uint8_t)(w >> 16);
        out[4 * i + 3] = (uint8_t)(w >> 24);
    }
}

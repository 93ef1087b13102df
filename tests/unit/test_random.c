/* The random generator and its building blocks (share/runtime/random.c,
 * seed.c, chacha20.c, siphash.c):
 *  - ChaCha20's block function against RFC 8439's vectors (2.3.2, A.1);
 *  - the generator's construction (fast key erasure over 4 blocks) from a
 *    known key, against output computed with Python's `cryptography`
 *    (OpenSSL's ChaCha20) driven the way random.h describes;
 *  - SipHash-2-4 against the paper's reference vectors (key 00..0f,
 *    messages 00, 00 01, ..., lengths 0 to 15);
 *  - the repetition-count test, and seeding: a good source is used
 *    silently; no source, a stuck conditioned source and a stuck raw
 *    source (the rp2040 emulator's ROSC bit, always 1) are refused, the
 *    console says so and names the fallback, and the keys still differ. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "mlt_dev.h"

static void unhex(const char *h, uint8_t *out, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        unsigned v;
        sscanf(h + 2 * i, "%2x", &v);
        out[i] = (uint8_t)v;
    }
}

static void check_block(const char *what, const uint8_t key[32],
                        uint32_t counter, const uint8_t nonce[12],
                        const char *want_hex)
{
    uint8_t out[64], want[64];
    unhex(want_hex, want, 64);
    mlt_ml_chacha20_block(key, counter, nonce, out);
    CHECK(memcmp(out, want, 64) == 0, "ChaCha20 block: %s", what);
}

static void chacha20_vectors(void)
{
    uint8_t key[32], nonce[12] = { 0 };

    /* RFC 8439 2.3.2 */
    for (int i = 0; i < 32; i++)
        key[i] = (uint8_t)i;
    unhex("000000090000004a00000000", nonce, 12);
    check_block("RFC 8439 2.3.2", key, 1, nonce,
                "10f1e7e4d13b5915500fdd1fa32071c4c7d1f4c733c068030422aa9ac3d46c4e"
                "d2826446079faa0914c2d705d98b02a2b5129cd1de164eb9cbd083e8a2503c4e");
    /* RFC 8439 A.1, test vectors #1 and #2 */
    memset(key, 0, 32);
    memset(nonce, 0, 12);
    check_block("RFC 8439 A.1 #1", key, 0, nonce,
                "76b8e0ada0f13d90405d6ae55386bd28bdd219b8a08ded1aa836efcc8b770dc7"
                "da41597c5157488d7724e03fb8d84a376a43b8f41518a11cc387b669b2ee6586");
    check_block("RFC 8439 A.1 #2", key, 1, nonce,
                "9f07e7be5551387a98ba977c732d080dcb0f29a048e3656912c6533e32ee7aed"
                "29b721769ce64e43d57133b074d839d531ed1f28510afb45ace10a1f4b794d6f");
    /* RFC 8439 A.1 #3: key ends in 01, counter 1 */
    key[31] = 1;
    check_block("RFC 8439 A.1 #3", key, 1, nonce,
                "3aeb5224ecf849929b9d828db1ced4dd832025e8018b8160b82284f3c949aa5a"
                "8eca00bbb4a73bdad192b5c42f73f2fd4e273644c8b36125a64addeb006c13a0");
}

static void generator_construction(void)
{
    static const uint8_t zero[32];
    uint8_t a[32], b[300], c[1000], want[300];

    mlt_ml_random_seed(zero);
    mlt_ml_random_bytes(a, sizeof a);
    mlt_ml_random_bytes(b, sizeof b);
    mlt_ml_random_bytes(c, sizeof c);
    /* The first refill is keystream blocks 0-3 of the zero key: bytes
     * 32-63 of A.1 #1, then all of A.1 #2, ... */
    unhex("da41597c5157488d7724e03fb8d84a376a43b8f41518a11cc387b669b2ee6586",
          want, 32);
    CHECK(memcmp(a, want, 32) == 0, "generator: first 32 bytes");
    unhex(
    "9f07e7be5551387a98ba977c732d080dcb0f29a048e3656912c6533e32ee7aed"
    "29b721769ce64e43d57133b074d839d531ed1f28510afb45ace10a1f4b794d6f"
    "2d09a0e663266ce1ae7ed1081968a0758e718e997bd362c6b0c34634a9a0b35d"
    "012737681f7b5d0f281e3afde458bc1e73d2d313c9cf94c05ff3716240a248f2"
    "1320a058d7b3566bd520daaa3ed2bf0ac5b8b120fb852773c3639734b45c91a4"
    "2dd4cb83f8840d2eedb158131062ac3f1f2cf8ff6dcd1856e86a1e6c3167167e"
    "afbdad2845b93cdbb2fe6463d2fe162adae0f6e676f0494218f5ce0596e79f5c"
    "551aaa9ba46faad528f6763dde93c03fa3b121b2ffc0533a695ed56e8fda0589"
    "a2edebfad4aed3357c7aadad9328027bb879b5574797a1b73dce7cd09f245101"
    "411e6fde5cc05eb54eff7815", want, 300);
    CHECK(memcmp(b, want, 300) == 0,
          "generator: 300 bytes across the first rekeying");
    /* c spans several refills and rekeyings: compare its SHA-256 */
    uint8_t d[32];
    unhex("8d2a4ca8e29fadb5bc7e708ea97aa920f9287db3565918a46f62f73302411d15",
          want, 32);
    mlt_ml_sha256(c, sizeof c, d);
    CHECK(memcmp(d, want, 32) == 0, "generator: 1000 more bytes");
    uint32_t u = mlt_ml_random_below(1);
    CHECK(u == 0, "ml_random_below(1) = %u", u);
    CHECK(mlt_ml_random_below(0) == 0, "ml_random_below(0)");
    unsigned hist[6] = { 0 };
    for (int i = 0; i < 60000; i++) {
        uint32_t v = mlt_ml_random_below(6);
        if (v < 6)
            hist[v]++;
        else
            CHECK(0, "ml_random_below(6) gave %u", v);
    }
    for (int i = 0; i < 6; i++)
        CHECK(hist[i] > 9000 && hist[i] < 11000, "below(6): %d drawn %u times",
              i, hist[i]);
}

static void siphash_vectors(void)
{
    static const uint64_t want[16] = {
        0x726fdb47dd0e0e31ull, 0x74f839c593dc67fdull, 0x0d6c8009d9a94f5aull,
        0x85676696d7fb7e2dull, 0xcf2794e0277187b7ull, 0x18765564cd99a68dull,
        0xcbc9466e58fee3ceull, 0xab0200f58b01d137ull, 0x93f5f5799a932462ull,
        0x9e0082df0ba9e4b0ull, 0x7a5dbbc594ddb9f3ull, 0xf4b32f46226bada7ull,
        0x751e8fbc860ee5fbull, 0x14ea5627c0843d90ull, 0xf723ca908e7af2eeull,
        0xa129ca6149be45e5ull,
    };
    uint8_t key[16], msg[16];

    for (int i = 0; i < 16; i++)
        key[i] = msg[i] = (uint8_t)i;
    for (size_t len = 0; len < 16; len++) {
        uint64_t h = mlt_ml_siphash24(key, msg, len);
        CHECK(h == want[len], "SipHash-2-4 of %zu bytes: %016llx, want %016llx",
              len, (unsigned long long)h, (unsigned long long)want[len]);
    }
}

static void rct(void)
{
    uint8_t buf[64];

    for (int i = 0; i < 64; i++)
        buf[i] = (uint8_t)(i * 37);
    CHECK(mlt_ml_entropy_rct(buf, 64, 1, 6) == 0, "RCT: varied bytes pass");
    memset(buf, 0xff, sizeof buf);
    CHECK(mlt_ml_entropy_rct(buf, 64, 1, 6) != 0, "RCT: constant bytes fail");
    CHECK(mlt_ml_entropy_rct(buf, 64, 1, 41) != 0,
          "RCT: 64 equal bytes fail at cutoff 41");
    for (int i = 0; i < 64; i++)
        buf[i] = (uint8_t)(i % 8 * 29 + 1); /* one 8-byte word repeated */
    CHECK(mlt_ml_entropy_rct(buf, 64, 1, 6) == 0, "RCT: bytes vary");
    CHECK(mlt_ml_entropy_rct(buf, 64, 8, 2) != 0, "RCT: a repeated word fails");
    memset(buf + 10, 7, 5); /* a run of 5: below the cutoff of 6 */
    buf[9] = 1;
    buf[15] = 2;
    CHECK(mlt_ml_entropy_rct(buf, 64, 1, 6) == 0, "RCT: run of 5 < cutoff 6");
    buf[15] = 7;
    CHECK(mlt_ml_entropy_rct(buf, 64, 1, 6) != 0, "RCT: run of 6 = cutoff 6");
}

/* Seeds again from the fake source as configured; returns whether the
 * console warned, and the first 16 bytes drawn. */
static int seed_with(uint8_t first[16])
{
    console_reset();
    mlt_ml_random_reseed();
    mlt_fflush(mlt_ml_stderr_file);
    mlt_ml_random_bytes(first, 16);
    return strstr(console, "WARNING: no hardware entropy") != NULL;
}

static void seeding(void)
{
    uint8_t k1[16], k2[16], k3[16];

    fake_entropy = (struct fake_entropy){ .kind = ML_ENTROPY_FULL,
                                          .name = "FAKE", .state = 1 };
    CHECK(!seed_with(k1), "a good source: no warning (console: %s)", console);
    CHECK(mlt_ml_random_hardware() == 1, "a good source counts as hardware");
    CHECK(strcmp(mlt_ml_random_source(), "FAKE") == 0, "source: %s",
          mlt_ml_random_source());
    CHECK(!seed_with(k2), "again");
    CHECK(memcmp(k1, k2, 16) != 0, "new source bytes, new key");

    fake_entropy = (struct fake_entropy){ .kind = ML_ENTROPY_NONE,
                                          .name = "no source here" };
    CHECK(seed_with(k3), "no source: the console warns");
    CHECK(strstr(console, "no source here") != NULL,
          "the warning says why: %s", console);
    CHECK(strstr(console, "clock jitter") != NULL,
          "the warning names the fallback: %s", console);
    CHECK(mlt_ml_random_hardware() == 0, "no source: not hardware");
    CHECK(strstr(mlt_ml_random_source(), "clock jitter (fallback: ") ==
              mlt_ml_random_source(), "source: %s", mlt_ml_random_source());

    /* A conditioned source stuck at one value (RDRAND's all-ones bug). */
    fake_entropy = (struct fake_entropy){ .kind = ML_ENTROPY_FULL,
                                          .name = "STUCK", .stuck_on = 1,
                                          .stuck = 0xff };
    CHECK(seed_with(k1), "a stuck source: the console warns");
    CHECK(strstr(console, "STUCK is stuck") != NULL, "console: %s", console);
    CHECK(mlt_ml_random_hardware() == 0, "a stuck source is not trusted");
    /* The same stuck bytes, a later clock: the key differs (the jitter
     * and clocks count), although here only the fake clock moves. */
    fake_now += 12345;
    seed_with(k2);
    CHECK(memcmp(k1, k2, 16) != 0, "stuck source: keys still differ by clock");

    /* Raw noise stuck at 1 (the rp2040 emulator's ROSC bit). */
    fake_entropy = (struct fake_entropy){ .kind = ML_ENTROPY_RAW,
                                          .name = "ROSC", .stuck_on = 1,
                                          .stuck = 0xff };
    CHECK(seed_with(k1), "a stuck raw source: the console warns");
    CHECK(strstr(console, "ROSC is stuck") != NULL, "console: %s", console);
    /* Raw noise that varies passes. */
    fake_entropy = (struct fake_entropy){ .kind = ML_ENTROPY_RAW,
                                          .name = "ROSC", .state = 7 };
    CHECK(!seed_with(k1), "a working raw source: no warning (%s)", console);
    CHECK(fake_entropy.calls == 2, "raw: asked again for more bytes (%ld)",
          fake_entropy.calls);
    fake_entropy = (struct fake_entropy){ .kind = ML_ENTROPY_FULL, .state = 1 };
}

int main(void)
{
    chacha20_vectors();
    generator_construction();
    siphash_vectors();
    rct();
    seeding();
    return report("random");
}

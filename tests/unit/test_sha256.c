/* SHA-256 against the FIPS 180-4 / NIST example vectors, against the
 * host's sha256sum on random messages of every length around the block
 * and padding boundaries, and incremental updates split at random points
 * against the one-shot digest. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "mlt_dev.h"

static unsigned long long rng = 0x9e3779b97f4a7c15ULL;
static unsigned long long rnd(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}

static void vector(const char *msg, size_t repeat, const char *want)
{
    struct ml_sha256 c;
    uint8_t d[32];
    char hex[65];
    size_t len = strlen(msg), i;

    mlt_ml_sha256_init(&c);
    for (i = 0; i < repeat; i++)
        mlt_ml_sha256_update(&c, msg, len);
    mlt_ml_sha256_final(&c, d);
    mlt_ml_sha256_hex(d, hex);
    CHECK(strcmp(hex, want) == 0, "sha256('%.20s' x %zu) = %s, want %s", msg,
          repeat, hex, want);
    if (repeat == 1) {
        mlt_ml_sha256(msg, len, d);
        CHECK(strcmp(mlt_ml_sha256_hex(d, hex), want) == 0, "one-shot '%.20s'",
              msg);
    }
}

/* The digest sha256sum gives for buf. */
static void host_sha256(const uint8_t *buf, size_t len, char hex[65])
{
    char path[] = "/tmp/mlt_sha256_XXXXXX", cmd[128];
    int fd = mkstemp(path);
    FILE *p;

    if (fd < 0 || write(fd, buf, len) != (ssize_t)len) {
        perror("temp file");
        exit(2);
    }
    close(fd);
    snprintf(cmd, sizeof cmd, "sha256sum %s", path);
    p = popen(cmd, "r");
    if (!p || fscanf(p, "%64s", hex) != 1) {
        fprintf(stderr, "sha256sum failed\n");
        exit(2);
    }
    pclose(p);
    unlink(path);
}

static uint8_t buf[1 << 17];

static void against_host(void)
{
    static const size_t lens[] = { 0, 1, 55, 56, 57, 63, 64, 65, 111, 112,
                                   119, 120, 127, 128, 129, 1000, 4096,
                                   65537, sizeof buf };
    size_t k, i;
    uint8_t d[32];
    char mine[65], host[65];

    for (i = 0; i < sizeof buf; i++)
        buf[i] = (uint8_t)rnd();
    for (k = 0; k < sizeof lens / sizeof lens[0] + 40; k++) {
        size_t len = k < sizeof lens / sizeof lens[0] ? lens[k]
                                                      : rnd() % 3000;
        mlt_ml_sha256(buf, len, d);
        mlt_ml_sha256_hex(d, mine);
        host_sha256(buf, len, host);
        CHECK(strcmp(mine, host) == 0, "length %zu: %s, sha256sum %s", len,
              mine, host);
    }
}

static void incremental(void)
{
    int round;
    uint8_t one[32], inc[32];

    for (round = 0; round < 2000; round++) {
        size_t len = rnd() % 1500, done = 0;
        struct ml_sha256 c;

        mlt_ml_sha256(buf, len, one);
        mlt_ml_sha256_init(&c);
        while (done < len) {
            size_t n = rnd() % (rnd() % 2 ? 3 : 200);
            if (n > len - done)
                n = len - done;
            mlt_ml_sha256_update(&c, buf + done, n);
            done += n;
        }
        mlt_ml_sha256_final(&c, inc);
        CHECK(memcmp(one, inc, 32) == 0, "round %d: split updates of %zu "
              "bytes differ", round, len);
    }
}

int main(void)
{
    vector("", 1,
           "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    vector("abc", 1,
           "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    vector("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", 1,
           "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
    vector("abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmno"
           "ijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu", 1,
           "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1");
    vector("a", 1000000,
           "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
    vector("The quick brown fox jumps over the lazy dog", 1,
           "d7a8fbb307d7809469ca9abcb0082e4f8d5651e46d3cdb762d02d0bf37c9e592");
    against_host();
    incremental();
    return report("sha256");
}

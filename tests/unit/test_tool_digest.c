/* The tool's SHA-256 (src/digest.c over share/runtime/sha256.c): FIPS
 * 180-4 vectors, the SHA-extension path against the portable one on
 * random lengths, offsets and update splits, and sha256_file against
 * sha256sum(1) on a file. Says whether the CPU had the extensions. */
#include <stdlib.h>
#include <unistd.h>

#include <mirleft/sha256.h>

#include "digest.h"
#include "tool_check.h"

static unsigned char buf[200000];

static void hex_of(const void *p, size_t n, char hex[65])
{
    sha256_buf_hex(p, n, hex);
}

/* The digest of buf[off, off+len) fed in pieces cut at random. */
static void split_digest(size_t off, size_t len, uint8_t out[32])
{
    struct ml_sha256 c;
    ml_sha256_init(&c);
    while (len) {
        size_t n = (size_t)rand() % (len + 1);
        ml_sha256_update(&c, buf + off, n);
        off += n;
        len -= n;
    }
    ml_sha256_final(&c, out);
}

static void vectors(void)
{
    char hex[65];
    static char million[1000000];

    hex_of("", 0, hex);
    CHECK(!strcmp(hex, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"));
    hex_of("abc", 3, hex);
    CHECK(!strcmp(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"));
    hex_of("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", 56, hex);
    CHECK(!strcmp(hex, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"));
    memset(million, 'a', sizeof million);
    hex_of(million, sizeof million, hex);
    CHECK(!strcmp(hex, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0"));
}

int main(void)
{
    uint8_t a[32], b[32];
    int shani;

    srand(7);
    for (size_t i = 0; i < sizeof buf; i++)
        buf[i] = (unsigned char)rand();
    ml_sha256_shani = -1;
    ml_sha256(buf, 0, a); /* decides */
    shani = ml_sha256_shani > 0;
    vectors();
    ml_sha256_shani = 0;
    vectors();
    for (int r = 0; r < 2000; r++) {
        size_t off = (size_t)rand() % 64, len = (size_t)rand() % (sizeof buf - 64);
        if (r < 300)
            len = (size_t)r; /* every length across the padding edges */
        ml_sha256_shani = 0;
        ml_sha256(buf + off, len, a);
        ml_sha256_shani = shani;
        split_digest(off, len, b);
        if (memcmp(a, b, 32)) {
            fprintf(stderr, "len %zu off %zu: the two paths differ\n", len, off);
            check_failures++;
        }
    }
    /* a file, against sha256sum */
    char path[] = "/tmp/mirleft-digest-XXXXXX", cmd[128], want[65] = "", got[65];
    int fd = mkstemp(path);
    CHECK(fd >= 0 && write(fd, buf, 150001) == 150001);
    close(fd);
    uint64_t size = 0;
    CHECK(sha256_file(path, a, &size) == 0 && size == 150001);
    sha256_hex(a, got);
    snprintf(cmd, sizeof cmd, "sha256sum %s", path);
    FILE *p = popen(cmd, "r");
    CHECK(p && fscanf(p, "%64s", want) == 1);
    if (p)
        pclose(p);
    CHECK(!strcmp(got, want));
    unlink(path);
    CHECK(sha256_file("/nonexistent/file", a, &size) == -1);
    printf("digest: SHA extensions %s\n",
           shani ? "used and checked against the portable code"
                 : "not on this CPU (portable code only)");
    return check_failures != 0;
}

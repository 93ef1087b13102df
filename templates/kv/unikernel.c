/* {{name}}: lists a kv_ro store - each key, its size and its SHA-256 -
 * reading every value back with ml_kv_ro_get to check it against its
 * digest. The same code serves both backends (unikernel.yml: files
 * embedded in the image; unikernel-tar.yml: a tar archive on a disk). */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <mirleft/kv_ro.h>
#include <mirleft/sha256.h>

#include "devices.h"

struct walk {
    struct ml_kv_ro *kv;
    unsigned files;
    uint64_t bytes;
    int bad;
};

/* The value's SHA-256 computed from ml_kv_ro_get, a chunk at a time. */
static int hash_value(struct ml_kv_ro *kv, const char *key, uint8_t out[32])
{
    uint8_t chunk[1024];
    struct ml_sha256 c;
    uint64_t off = 0;
    size_t got;
    int e;

    ml_sha256_init(&c);
    do {
        if ((e = ml_kv_ro_get(kv, key, off, chunk, sizeof chunk, &got)) != 0)
            return e;
        ml_sha256_update(&c, chunk, got);
        off += got;
    } while (got == sizeof chunk);
    ml_sha256_final(&c, out);
    return 0;
}

static int show(const char *key, uint64_t size, void *arg)
{
    struct walk *w = arg;
    uint8_t digest[32], read_back[32];
    char hex[65];
    int e;

    if ((e = ml_kv_ro_digest(w->kv, key, digest)) != 0 ||
        (e = hash_value(w->kv, key, read_back)) != 0) {
        printf("%s: %s\n", key, strerror(-e));
        w->bad++;
        return 0;
    }
    printf("%-24s %8" PRIu64 " %s\n", key, size, ml_sha256_hex(digest, hex));
    if (memcmp(digest, read_back, 32) != 0) {
        printf("%s: MISMATCH: its bytes hash to %s\n", key,
               ml_sha256_hex(read_back, hex));
        w->bad++;
    }
    w->files++;
    w->bytes += size;
    return 0;
}

static int cat(struct ml_kv_ro *kv, const char *key)
{
    char buf[512];
    uint64_t off = 0;
    size_t got;
    int e;

    printf("--- %s\n", key);
    do {
        if ((e = ml_kv_ro_get(kv, key, off, buf, sizeof buf, &got)) != 0) {
            printf("%s: %s\n", key, strerror(-e));
            return 1;
        }
        fwrite(buf, 1, got, stdout);
        off += got;
    } while (got == sizeof buf);
    printf("--- end of %s\n", key);
    return 0;
}

int start(struct devices *dev, const struct args *args)
{
    struct walk w = { .kv = &dev->files };

    ml_kv_ro_list(&dev->files, args->prefix, show, &w);
    printf("%u files, %" PRIu64 " bytes\n", w.files, w.bytes);
    if (args->cat[0] && cat(&dev->files, args->cat))
        return 1;
    return w.bad ? 1 : 0;
}

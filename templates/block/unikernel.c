/* {{name}}: a pattern over the whole disk, written and read back with
 * asynchronous requests (depth of them in flight, completions from the
 * event loop), then read again synchronously; both reads are verified and
 * the disk's SHA-256 printed.  Exits 0 if every byte matched, 1 if not. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <mirleft/runtime.h>
#include <mirleft/sha256.h>

#include "devices.h"

#define MAX_DEPTH 64

static struct {
    struct ml_block *disk;
    uint64_t seed, chunk, next, done, bytes;
    int inflight, failed, writing;
    ml_time_t t0;
    struct slot {
        struct ml_block_req req;
        uint8_t *buf;
        uint64_t off;
        size_t len;
    } slot[MAX_DEPTH];
    int depth;
} S;

/* The pattern: each 8-byte word is a mix of the seed and its offset. */
static uint64_t word(uint64_t off)
{
    uint64_t x = (off / 8) ^ (S.seed * 0x9e3779b97f4a7c15ull);
    x ^= x >> 31;
    x *= 0xbf58476d1ce4e5b9ull;
    x ^= x >> 29;
    return x;
}

static void fill(uint8_t *p, uint64_t off, size_t len)
{
    for (size_t i = 0; i < len; i += 8) {
        uint64_t w = word(off + i);
        memcpy(p + i, &w, 8);
    }
}

/* 0, or 1 after printing the first differing byte. */
static int check(const char *how, const uint8_t *p, uint64_t off, size_t len)
{
    for (size_t i = 0; i < len; i += 8) {
        uint64_t w = word(off + i);
        if (memcmp(p + i, &w, 8) != 0) {
            size_t j = 0;
            while (p[i + j] == ((const uint8_t *)&w)[j])
                j++;
            printf("MISMATCH (%s read) at byte %" PRIu64 ": 0x%02x, "
                   "expected 0x%02x\n", how, off + i + j, p[i + j],
                   ((const uint8_t *)&w)[j]);
            return 1;
        }
    }
    return 0;
}

static void report(const char *what, ml_time_t t0)
{
    ml_time_t ns = ml_clock_monotonic() - t0;
    printf("%-12s %" PRIu64 " bytes in %" PRIu64 ".%03" PRIu64 " ms "
           "(%" PRIu64 " MiB/s)\n", what, S.bytes, ns / 1000000,
           ns / 1000 % 1000,
           ns ? S.bytes / 1024 * 1000000000 / ns / 1024 : 0);
}

static void finish(void)
{
    uint64_t off;
    struct ml_sha256 h;
    uint8_t digest[32], *buf = S.slot[0].buf;
    char hex[65];
    ml_time_t t0 = ml_clock_monotonic();
    int e;

    /* Synchronous pass: no callbacks, the data is there on return. */
    ml_sha256_init(&h);
    for (off = 0; off < S.bytes; off += S.chunk) {
        size_t len = S.bytes - off < S.chunk ? (size_t)(S.bytes - off)
                                             : (size_t)S.chunk;
        if ((e = ml_block_read_sync(S.disk, off / S.disk->sector_size, buf,
                                    len)) != 0) {
            printf("sync read at %" PRIu64 ": %s\n", off, strerror(-e));
            ml_loop_stop(1);
            return;
        }
        if (check("sync", buf, off, len)) {
            ml_loop_stop(1);
            return;
        }
        ml_sha256_update(&h, buf, len);
    }
    report("sync read", t0);
    ml_sha256_final(&h, digest);
    printf("disk sha256  %s\n", ml_sha256_hex(digest, hex));
    printf("OK\n");
    ml_loop_stop(0);
}

static void issue(struct slot *s);

static void on_done(struct ml_block_req *req, int status, void *arg)
{
    struct slot *s = arg;

    (void)req;
    S.inflight--;
    if (status != 0) {
        printf("%s at byte %" PRIu64 ": %s\n", S.writing ? "write" : "read",
               s->off, strerror(-status));
        S.failed = 1;
    } else if (!S.writing && check("async", s->buf, s->off, s->len)) {
        S.failed = 1;
    }
    S.done += s->len;
    if (S.failed) {
        if (S.inflight == 0)
            ml_loop_stop(1);
        return;
    }
    if (S.next < S.bytes) {
        issue(s);
        return;
    }
    if (S.inflight)
        return;
    /* A pass is over: writes are followed by async reads, those by the
     * synchronous pass. */
    report(S.writing ? "async write" : "async read", S.t0);
    if (S.writing) {
        S.writing = 0;
        S.next = S.done = 0;
        S.t0 = ml_clock_monotonic();
        for (int i = 0; i < S.depth && S.next < S.bytes; i++)
            issue(&S.slot[i]);
    } else {
        finish();
    }
}

static void issue(struct slot *s)
{
    int e;

    s->off = S.next;
    s->len = S.bytes - S.next < S.chunk ? (size_t)(S.bytes - S.next)
                                        : (size_t)S.chunk;
    S.next += s->len;
    if (S.writing) {
        fill(s->buf, s->off, s->len);
        e = ml_block_write(S.disk, &s->req, s->off / S.disk->sector_size,
                           s->buf, s->len, on_done, s);
    } else {
        memset(s->buf, 0, s->len);
        e = ml_block_read(S.disk, &s->req, s->off / S.disk->sector_size,
                          s->buf, s->len, on_done, s);
    }
    if (e != 0) {
        printf("request refused: %s\n", strerror(-e));
        ml_exit(1);
    }
    S.inflight++;
}

int start(struct devices *dev, const struct args *args)
{
    int e;

    S.disk = &dev->disk;
    S.seed = (uint64_t)args->seed;
    S.chunk = args->chunk;
    S.depth = args->depth < 1 ? 1 : args->depth > MAX_DEPTH ? MAX_DEPTH
                                                            : (int)args->depth;
    printf("disk %s: %" PRIu64 " sectors of %u bytes (%" PRIu64 " bytes)\n",
           S.disk->name, S.disk->sectors, S.disk->sector_size,
           S.disk->capacity);
    if (S.chunk == 0 || S.chunk % S.disk->sector_size || S.chunk % 8) {
        printf("--chunk=%" PRIu64 " is not a multiple of the sector size\n",
               S.chunk);
        return 2;
    }
    S.bytes = S.disk->capacity;
    for (int i = 0; i < S.depth; i++)
        if (!(S.slot[i].buf = malloc(S.chunk))) {
            printf("out of memory for %d buffers of %" PRIu64 " bytes\n",
                   S.depth, S.chunk);
            return 1;
        }
    /* Refused requests do nothing and cost nothing. */
    e = ml_block_read_sync(S.disk, 0, S.slot[0].buf, 100);
    printf("misaligned read refused: %s\n", strerror(-e));
    e = ml_block_read_sync(S.disk, S.disk->sectors, S.slot[0].buf,
                           S.disk->sector_size);
    printf("read past the end refused: %s\n", strerror(-e));

    /* Write (or, with --write=false, only read) with async requests. */
    S.writing = args->write;
    S.t0 = ml_clock_monotonic();
    for (int i = 0; i < S.depth && S.next < S.bytes; i++)
        issue(&S.slot[i]);
    return 0;
}

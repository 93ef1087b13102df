/* The block device on the fake disk of stubs.c: geometry, the refusals
 * (misaligned, out of range, overflowing, NULL) that must never reach the
 * platform, the synchronous read, and the asynchronous queue: completions
 * only from the loop, FIFO order, requests submitted from completions,
 * I/O errors, holds, and a random workload against a model disk. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "mlt_dev.h"

static unsigned long long rng = 0x2545f4914f6cdd1dULL;
static unsigned long long rnd(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}

static uint8_t region[1 << 20] __attribute__((aligned(64)));
static uint8_t disk[1 << 18], model[1 << 18];
static struct ml_block dev;

static void setup(uint64_t bs, uint64_t capacity)
{
    struct ml_block_config cfg = { .name = "disk" };
    size_t i;

    mlt_ml_heap_init((uintptr_t)region, sizeof region);
    for (i = 0; i < sizeof disk; i++)
        disk[i] = model[i] = (uint8_t)rnd();
    memset(&fake_disk, 0, sizeof fake_disk);
    fake_disk.name = "disk";
    fake_disk.data = disk;
    fake_disk.capacity = capacity;
    fake_disk.block_size = bs;
    fake_disk.fail_after = -1;
    memset(&dev, 0, sizeof dev);
    CHECK(mlt_ml_block_init(&dev, &cfg) == 0, "init %llu/%llu",
          (unsigned long long)bs, (unsigned long long)capacity);
}

static void geometry(void)
{
    struct ml_block d2;
    struct ml_block_config none = { .name = "nope" };

    setup(512, sizeof disk);
    CHECK(dev.sector_size == 512 && dev.sectors == sizeof disk / 512 &&
              dev.capacity == sizeof disk && strcmp(dev.name, "disk") == 0,
          "geometry %u x %llu", dev.sector_size,
          (unsigned long long)dev.sectors);
    console_reset();
    CHECK(mlt_ml_block_init(&d2, &none) == -1, "unknown device accepted");
    mlt_fflush(mlt_ml_stderr_file);
    CHECK(strstr(console, "block nope: no such block device") != NULL,
          "unknown device message: '%s'", console);
    /* Geometry the platform should never give, refused anyway. */
    fake_disk.block_size = 500;
    console_reset();
    CHECK(mlt_ml_block_init(&d2, &(struct ml_block_config){ "disk" }) == -1,
          "500-byte sectors accepted");
    mlt_fflush(mlt_ml_stderr_file);
    CHECK(strstr(console, "unusable geometry") != NULL, "geometry message");
    fake_disk.block_size = 512;
}

static void sync_reads(uint64_t bs)
{
    uint8_t buf[16384];
    uint64_t n;
    long before;

    setup(bs, sizeof disk);
    n = dev.sectors;
    CHECK(mlt_ml_block_read_sync(&dev, 0, buf, bs) == 0 &&
              memcmp(buf, disk, bs) == 0, "read sector 0");
    CHECK(mlt_ml_block_read_sync(&dev, n - 2, buf, 2 * bs) == 0 &&
              memcmp(buf, disk + (n - 2) * bs, 2 * bs) == 0,
          "read the last two sectors");
    CHECK(mlt_ml_block_read_sync(&dev, 3, buf, sizeof buf) == 0 &&
              memcmp(buf, disk + 3 * bs, sizeof buf) == 0, "multi-sector");
    CHECK(mlt_ml_block_read_sync(&dev, n, buf, 0) == 0, "empty at the end");
    before = fake_disk.reads;
    /* Refusals: nothing reaches the platform. */
    CHECK(mlt_ml_block_read_sync(&dev, 0, buf, bs - 1) == -EINVAL, "short");
    CHECK(mlt_ml_block_read_sync(&dev, 0, buf, bs + 1) == -EINVAL, "long");
    CHECK(mlt_ml_block_read_sync(&dev, 0, buf, 1) == -EINVAL, "1 byte");
    CHECK(mlt_ml_block_read_sync(&dev, 0, NULL, bs) == -EINVAL, "NULL");
    CHECK(mlt_ml_block_read_sync(&dev, n, buf, bs) == -ERANGE, "past end");
    CHECK(mlt_ml_block_read_sync(&dev, n - 1, buf, 2 * bs) == -ERANGE,
          "straddles the end");
    CHECK(mlt_ml_block_read_sync(&dev, n + 1, buf, 0) == -ERANGE,
          "empty past the end");
    CHECK(mlt_ml_block_read_sync(&dev, UINT64_MAX, buf, bs) == -ERANGE,
          "sector 2^64-1");
    CHECK(mlt_ml_block_read_sync(&dev, UINT64_MAX / bs, buf, bs) == -ERANGE,
          "byte offset would overflow");
    CHECK(mlt_ml_block_read_sync(&dev, 1, buf, SIZE_MAX - bs + 1) == -ERANGE,
          "huge length");
    CHECK(fake_disk.reads == before && fake_disk.refused == 0,
          "a refused read reached the platform");
    fake_disk.fail_after = 0;
    CHECK(mlt_ml_block_read_sync(&dev, 0, buf, bs) == -EIO, "I/O error");
    fake_disk.fail_after = -1;
}

/* ---- asynchronous ------------------------------------------------------ */

static int in_submit, completions, last_status, order_bad;
static int next_expected;

struct my_req {
    struct ml_block_req r;
    int id;
    int status;
    int done;
};

static void on_done(struct ml_block_req *r, int status, void *arg)
{
    struct my_req *m = arg;
    CHECK(!in_submit, "completion ran inside the submitting call");
    CHECK(&m->r == r, "completion's request");
    CHECK(m->done == 0, "completed twice");
    if (m->id != next_expected)
        order_bad++;
    next_expected = m->id + 1;
    m->done = 1;
    m->status = status;
    last_status = status;
    completions++;
}

static void async_basic(void)
{
    struct my_req w = { .id = 0 }, r = { .id = 1 }, bad = { .id = 99 };
    uint8_t pat[1024], back[1024];
    unsigned long pend;
    long before;

    setup(512, sizeof disk);
    completions = 0;
    next_expected = 0;
    memset(pat, 0xa5, sizeof pat);
    pend = mlt_ml_loop_pending();
    in_submit = 1;
    CHECK(mlt_ml_block_write(&dev, &w.r, 10, pat, sizeof pat, on_done, &w) == 0,
          "write queued");
    CHECK(mlt_ml_block_read(&dev, &r.r, 10, back, sizeof back, on_done, &r) == 0,
          "read queued");
    in_submit = 0;
    CHECK(completions == 0 && mlt_ml_block_queued(&dev) == 2, "queued");
    CHECK(fake_disk.writes == 0 && fake_disk.reads == 0,
          "performed inside the submitting call");
    CHECK(mlt_ml_loop_pending() >= pend + 2, "queued requests keep the loop "
          "alive (%lu)", mlt_ml_loop_pending());
    /* Refused: error at once, never a completion. */
    before = fake_disk.writes;
    CHECK(mlt_ml_block_write(&dev, &bad.r, 0, pat, 100, on_done, &bad) ==
              -EINVAL, "async misaligned");
    CHECK(mlt_ml_block_write(&dev, &bad.r, dev.sectors, pat, 512, on_done,
                             &bad) == -ERANGE, "async out of range");
    CHECK(mlt_ml_block_read(&dev, &bad.r, 0, back, 512, NULL, &bad) ==
              -EINVAL, "no callback");
    CHECK(mlt_ml_block_read(&dev, NULL, 0, back, 512, on_done, &bad) ==
              -EINVAL, "no request");
    CHECK(mlt_ml_block_queued(&dev) == 2, "refused requests were queued");
    CHECK(mlt_ml_loop_run() == 0, "loop");
    CHECK(completions == 2 && w.status == 0 && r.status == 0 && !bad.done,
          "completions %d", completions);
    CHECK(order_bad == 0, "FIFO order");
    CHECK(memcmp(disk + 10 * 512, pat, sizeof pat) == 0, "written");
    CHECK(memcmp(back, pat, sizeof back) == 0, "read after write in order");
    CHECK(fake_disk.writes == before + 1, "one write reached the platform");
    CHECK(mlt_ml_loop_pending() == 0, "holds released: %lu pending",
          mlt_ml_loop_pending());
}

/* A completion submitting the next request, reusing its own request: a
 * chain of 100 sequential reads, each completed in a later loop round. */
static struct ml_block_req chain_req;
static uint8_t chain_buf[512];
static int chain_n, chain_yields;
static void on_chain(struct ml_block_req *r, int status, void *arg)
{
    (void)arg;
    CHECK(status == 0 && memcmp(chain_buf, disk + chain_n * 512, 512) == 0,
          "chain %d", chain_n);
    if (++chain_n < 100) {
        in_submit = 1;
        CHECK(mlt_ml_block_read(&dev, r, (uint64_t)chain_n, chain_buf, 512,
                                on_chain, NULL) == 0, "resubmit");
        in_submit = 0;
    }
}

static void async_chain(void)
{
    setup(512, sizeof disk);
    chain_n = 0;
    chain_yields = yields;
    CHECK(mlt_ml_block_read(&dev, &chain_req, 0, chain_buf, 512, on_chain,
                            NULL) == 0, "chain start");
    CHECK(mlt_ml_loop_run() == 0 && chain_n == 100, "chain ran %d", chain_n);
    CHECK(yields - chain_yields >= 99, "each link in its own round (%d)",
          yields - chain_yields);
    CHECK(mlt_ml_loop_pending() == 0, "chain: nothing pending");
}

static void async_errors(void)
{
    struct my_req a = { .id = 0 }, b = { .id = 1 };
    uint8_t buf[512];

    setup(512, sizeof disk);
    completions = 0;
    next_expected = 0;
    fake_disk.fail_after = 1;
    CHECK(mlt_ml_block_read(&dev, &a.r, 0, buf, 512, on_done, &a) == 0 &&
              mlt_ml_block_write(&dev, &b.r, 0, buf, 512, on_done, &b) == 0,
          "queue two");
    CHECK(mlt_ml_loop_run() == 0, "loop");
    CHECK(a.status == 0 && b.status == -EIO, "statuses %d %d", a.status,
          b.status);
    CHECK(mlt_ml_loop_pending() == 0, "errors release their holds");
    fake_disk.fail_after = -1;
}

/* Many random requests of random sizes queued at once, in batches, against
 * a model: completions in order, data as the model says. */
#define NREQ 2000
static struct my_req reqs[NREQ];
static uint8_t *bufs[NREQ], *expect[NREQ];
static size_t lens[NREQ];

static void async_random(uint64_t bs)
{
    int i, round;

    setup(bs, sizeof disk);
    for (round = 0; round < 5; round++) {
        completions = 0;
        next_expected = 0;
        order_bad = 0;
        for (i = 0; i < NREQ; i++) {
            uint64_t nsec = 1 + rnd() % 8, sec = rnd() % (dev.sectors - nsec + 1);
            size_t len = (size_t)(nsec * bs);
            int write = (int)(rnd() % 2), e;
            memset(&reqs[i], 0, sizeof reqs[i]);
            reqs[i].id = i;
            bufs[i] = malloc(len);
            expect[i] = malloc(len);
            if (write) {
                size_t k;
                for (k = 0; k < len; k++)
                    bufs[i][k] = (uint8_t)rnd();
                memcpy(model + sec * bs, bufs[i], len);
                e = mlt_ml_block_write(&dev, &reqs[i].r, sec, bufs[i], len,
                                       on_done, &reqs[i]);
                memcpy(expect[i], bufs[i], len);
            } else {
                memcpy(expect[i], model + sec * bs, len);
                e = mlt_ml_block_read(&dev, &reqs[i].r, sec, bufs[i], len,
                                      on_done, &reqs[i]);
            }
            CHECK(e == 0, "submit %d", i);
            lens[i] = len;
        }
        CHECK(mlt_ml_loop_run() == 0, "loop");
        CHECK(completions == NREQ && order_bad == 0,
              "random: %d completions, %d out of order", completions,
              order_bad);
        for (i = 0; i < NREQ; i++) {
            CHECK(reqs[i].done && reqs[i].status == 0, "request %d", i);
            CHECK(memcmp(bufs[i], expect[i], lens[i]) == 0,
                  "request %d data", i);
            free(bufs[i]);
            free(expect[i]);
        }
        CHECK(memcmp(disk, model, (size_t)dev.capacity) == 0,
              "disk matches the model after round %d", round);
    }
    CHECK(fake_disk.refused == 0, "the platform refused a request");
}

int main(void)
{
    geometry();
    sync_reads(512);
    sync_reads(4096);
    async_basic();
    async_chain();
    async_errors();
    async_random(512);
    async_random(4096);
    return report("block");
}

/* The allocator: random malloc/calloc/realloc/free/aligned_alloc sequences
 * with pattern checks and a full consistency walk, the stats invariants,
 * alignment, out-of-memory, coalescing back to one block, a fragmentation
 * bound, and the fatal paths (double free, corrupted header). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include "mlt.h"

static unsigned long long rng_state = 0x853c49e6748fea9bULL;
static unsigned long long rnd(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return rng_state;
}
static unsigned pick(unsigned n) { return (unsigned)(rnd() % n); }

#define REGION (8u << 20)
static _Alignas(4096) unsigned char region[REGION];

#define SLOTS 2000
static struct { unsigned char *p; size_t n; unsigned char fill; } slot[SLOTS];

static int intact(int i)
{
    size_t k;
    for (k = 0; k < slot[i].n; k++)
        if (slot[i].p[k] != slot[i].fill)
            return 0;
    return 1;
}

static void fill(int i, size_t from)
{
    memset(slot[i].p + from, slot[i].fill, slot[i].n - from);
}

/* A size: mostly small, sometimes large, now and then huge. */
static size_t rand_size(void)
{
    switch (pick(10)) {
    case 0: return pick(17);
    case 1: case 2: case 3: case 4: return 1 + pick(128);
    case 5: case 6: case 7: return 1 + pick(4096);
    case 8: return 1 + pick(65536);
    default: return 1 + pick(400000);
    }
}

static size_t peak_live;
static int check_every = 997;

static void check_stats(void)
{
    struct ml_heap_stats st;
    mlt_ml_heap_stats(&st);
    CHECK(st.in_use <= st.total && st.peak >= st.in_use, "stats: in_use %zu "
          "total %zu peak %zu", st.in_use, st.total, st.peak);
    CHECK(st.largest_free <= st.total - st.in_use, "stats: largest_free %zu",
          st.largest_free);
    CHECK(mlt_ml_heap_check() == 0, "heap check");
}

static void random_ops(int n)
{
    int op, i;
    size_t live = 0;

    for (op = 0; op < n; op++) {
        i = (int)pick(SLOTS);
        if (!slot[i].p) {
            size_t sz = rand_size();
            int how = (int)pick(10);
            if (how == 0) {
                slot[i].p = mlt_calloc(1, sz);
                if (slot[i].p) {
                    size_t k;
                    for (k = 0; k < sz; k++)
                        if (slot[i].p[k]) break;
                    CHECK(k == sz, "calloc not zeroed");
                }
            } else if (how == 1) {
                size_t al = (size_t)32 << pick(8);
                slot[i].p = mlt_aligned_alloc(al, sz);
                CHECK(!slot[i].p || (uintptr_t)slot[i].p % al == 0,
                      "aligned_alloc(%zu) gave %p", al, (void *)slot[i].p);
            } else {
                slot[i].p = mlt_malloc(sz);
            }
            if (!slot[i].p)
                continue; /* full: allowed */
            CHECK((uintptr_t)slot[i].p % 16 == 0, "malloc alignment %p",
                  (void *)slot[i].p);
            CHECK(slot[i].p >= region && slot[i].p + sz <= region + REGION,
                  "block outside the region");
            slot[i].n = sz;
            slot[i].fill = (unsigned char)rnd();
            fill(i, 0);
            live += sz;
        } else if (pick(3) == 0) {
            size_t sz = rand_size() + 1, old = slot[i].n; /* 0 would free */
            unsigned char *q;
            CHECK(intact(i), "block %d damaged before realloc", i);
            q = mlt_realloc(slot[i].p, sz);
            if (!q) {
                CHECK(intact(i), "failed realloc damaged the block");
                continue;
            }
            slot[i].p = q;
            slot[i].n = sz;
            CHECK(intact(i) || sz > old, "realloc lost data");
            {
                size_t k, keep = old < sz ? old : sz;
                for (k = 0; k < keep; k++)
                    if (q[k] != slot[i].fill) break;
                CHECK(k == keep, "realloc lost data at %zu of %zu", k, keep);
            }
            fill(i, 0);
            live = live - old + sz;
        } else {
            CHECK(intact(i), "block %d damaged", i);
            mlt_free(slot[i].p);
            slot[i].p = NULL;
            live -= slot[i].n;
        }
        if (live > peak_live)
            peak_live = live;
        if (op % check_every == 0)
            check_stats();
    }
}

static void free_all(void)
{
    int i;
    for (i = 0; i < SLOTS; i++) {
        if (slot[i].p) {
            CHECK(intact(i), "block %d damaged at the end", i);
            mlt_free(slot[i].p);
            slot[i].p = NULL;
        }
    }
}

/* After everything is freed the region is one block again. */
static void check_empty(void)
{
    struct ml_heap_stats st;
    mlt_ml_heap_stats(&st);
    CHECK(st.in_use == 0 && st.free_blocks == 1, "empty heap: in_use %zu, "
          "%zu free blocks", st.in_use, st.free_blocks);
    CHECK(st.largest_free + 64 >= st.total, "empty heap: largest %zu of %zu",
          st.largest_free, st.total);
    CHECK(mlt_ml_heap_check() == 0, "heap check");
}

static void oom(void)
{
    void *p, *list[4096];
    int n = 0;
    struct ml_heap_stats st;

    mlt_ml_heap_init((uintptr_t)region, REGION);
    mlt_errno = 0;
    CHECK(mlt_malloc(REGION) == NULL && mlt_errno == ENOMEM, "huge malloc");
    CHECK(mlt_malloc((size_t)-1) == NULL, "SIZE_MAX malloc");
    CHECK(mlt_calloc((size_t)1 << 33, (size_t)1 << 32) == NULL, "calloc overflow");
    CHECK(mlt_aligned_alloc(24, 10) == NULL && mlt_errno == EINVAL, "bad align");
    CHECK(mlt_posix_memalign(&p, 12, 10) == EINVAL, "posix_memalign EINVAL");
    CHECK(mlt_posix_memalign(&p, 4096, 10) == 0 && (uintptr_t)p % 4096 == 0,
          "posix_memalign");
    mlt_free(p);
    CHECK(mlt_posix_memalign(&p, 64, REGION) == ENOMEM, "posix_memalign ENOMEM");
    /* Fill it with 4 KiB blocks until malloc says no. */
    while (n < 4096 && (list[n] = mlt_malloc(4000)))
        n++;
    CHECK(n > 1000 && n < 4096, "filled with %d blocks", n);
    mlt_ml_heap_stats(&st);
    CHECK(st.largest_free < 4000, "largest_free %zu after filling", st.largest_free);
    /* largest_free is honest: that much can be allocated, one more byte not */
    if (st.largest_free) {
        void *q = mlt_malloc(st.largest_free);
        CHECK(q != NULL, "malloc(largest_free=%zu) failed", st.largest_free);
        mlt_free(q);
    }
    CHECK(mlt_malloc(st.largest_free + 1) == NULL, "malloc(largest_free+1)");
    while (n)
        mlt_free(list[--n]);
    check_empty();
    /* malloc(0) is a unique pointer; free(NULL) is nothing. */
    p = mlt_malloc(0);
    CHECK(p != NULL, "malloc(0)");
    mlt_free(p);
    mlt_free(NULL);
    p = mlt_realloc(NULL, 10);
    CHECK(p != NULL, "realloc(NULL)");
    CHECK(mlt_realloc(p, 0) == NULL, "realloc(p, 0) frees");
    check_empty();
    /* A heap too small to hold anything fails cleanly. */
    mlt_ml_heap_init((uintptr_t)region, 16);
    CHECK(mlt_malloc(1) == NULL, "tiny heap");
}

/* Fragmentation: under a random workload, how far beyond the live bytes
 * does the heap reach? Measured as the highest address handed out. */
static void fragmentation(void)
{
    int i, op;
    uintptr_t top = 0;
    size_t live = 0, peak = 0;

    mlt_ml_heap_init((uintptr_t)region, REGION);
    for (op = 0; op < 200000; op++) {
        i = (int)pick(SLOTS);
        if (slot[i].p) {
            mlt_free(slot[i].p);
            live -= slot[i].n;
            slot[i].p = NULL;
        } else {
            size_t sz = pick(4) ? 8 + pick(256) : 256 + pick(8192);
            slot[i].p = mlt_malloc(sz);
            CHECK(slot[i].p != NULL, "fragmentation run ran out");
            if (!slot[i].p)
                break;
            slot[i].n = sz;
            live += sz;
            if (live > peak)
                peak = live;
            if ((uintptr_t)slot[i].p + sz > top)
                top = (uintptr_t)slot[i].p + sz;
        }
    }
    {
        double ratio = (double)(top - (uintptr_t)region) / (double)peak;
        printf("fragmentation: peak live %zu bytes, heap reach %zu bytes, "
               "ratio %.3f\n", peak, (size_t)(top - (uintptr_t)region), ratio);
        CHECK(ratio < 1.5, "fragmentation ratio %.3f", ratio);
    }
    for (i = 0; i < SLOTS; i++)
        if (slot[i].p) {
            mlt_free(slot[i].p);
            slot[i].p = NULL;
        }
    check_empty();
}

/* Runs fn in a child; returns its exit status and what it printed. */
static int in_child(void (*fn)(void), char *out, size_t outsz)
{
    int pfd[2], status;
    ssize_t got, total = 0;
    pid_t pid;

    if (pipe(pfd) < 0)
        abort();
    fflush(NULL);
    pid = fork();
    if (pid == 0) {
        dup2(pfd[1], 2);
        console_echo = 1;
        fn();
        _exit(0);
    }
    close(pfd[1]);
    while ((got = read(pfd[0], out + total, outsz - 1 - (size_t)total)) > 0)
        total += got;
    out[total] = 0;
    close(pfd[0]);
    waitpid(pid, &status, 0);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static void double_free(void)
{
    void *p = mlt_malloc(100);
    mlt_free(p);
    mlt_free(p);
}

static void bad_header(void)
{
    size_t *p = mlt_malloc(100);
    p[-1] ^= 0x40; /* a stray write into the size word */
    mlt_free(p);
}

static void overrun(void)
{
    char *a = mlt_malloc(24), *b = mlt_malloc(24);
    memset(a, 'A', 48); /* runs over into b's header */
    mlt_free(b);
}

static void wild_pointer(void)
{
    mlt_free(region + 3);
}

static void fatal_paths(void)
{
    char out[512];
    int st;

    /* On fresh memory, so no stale header from earlier tests can make a
     * damaged size look consistent by chance. */
    memset(region, 0, REGION);
    mlt_ml_heap_init((uintptr_t)region, REGION);
    st = in_child(double_free, out, sizeof out);
    CHECK(st == 134 && strstr(out, "free(") && strstr(out, "double free"),
          "double free: status %d, \"%s\"", st, out);
    st = in_child(bad_header, out, sizeof out);
    CHECK(st == 134 && strstr(out, "corrupted block header"),
          "bad header: status %d, \"%s\"", st, out);
    st = in_child(overrun, out, sizeof out);
    CHECK(st == 134 && strstr(out, "corrupted block header"),
          "overrun: status %d, \"%s\"", st, out);
    st = in_child(wild_pointer, out, sizeof out);
    CHECK(st == 134 && strstr(out, "not from malloc"),
          "wild pointer: status %d, \"%s\"", st, out);
}

int main(int argc, char **argv)
{
    int n = argc > 1 ? atoi(argv[1]) : 200000;

    if (argc > 2)
        rng_state = strtoull(argv[2], NULL, 0);
    if (argc > 3)
        check_every = atoi(argv[3]);
    mlt_ml_heap_init((uintptr_t)region + 8, REGION - 8);
    random_ops(n);
    free_all();
    check_empty();
    {
        struct ml_heap_stats st;
        mlt_ml_heap_stats(&st);
        printf("random ops: %d, peak in use %zu of %zu\n", n, st.peak, st.total);
    }
    oom();
    fragmentation();
    fatal_paths();
    return report("heap");
}

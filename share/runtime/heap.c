/* The guest allocator: boundary tags plus segregated free lists.
 *
 * Every block starts with a two-word header: the size of the physically
 * previous block (0 for the first) and its own size, whose low bits hold a
 * tag saying in use or free. Knowing both neighbours makes freeing O(1):
 * adjacent free blocks are merged at once, so no two free blocks ever
 * touch and fragmentation stays bounded. A zero-size in-use sentinel ends
 * the region so merging never runs off it.
 *
 * Free blocks sit in lists by size class: a first level per power of two,
 * split into 8 linear second-level classes (so a class spans at most 12.5%
 * of its sizes), with a bitmap per level. malloc rounds the request up to
 * the next class boundary, so the head of any non-empty class at or above
 * it fits, and two bit scans find it: O(1). If that fails it still looks
 * through the request's own class, so a block that fits is never missed
 * for want of rounding.
 *
 * The tags are distinct bit patterns rather than one bit, so a header
 * overwritten by a stray write, or a pointer freed twice, is caught on
 * free or realloc and reported before it can corrupt the lists.
 */
#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <mirleft/heap.h>

struct blk {
    size_t prev; /* size of the previous block; 0 for the first */
    size_t head; /* size | tag */
    struct blk *next_free, *prev_free; /* free blocks only */
};

#define HDR (2 * sizeof(size_t))
#define ALIGN (2 * sizeof(size_t)) /* 16 on 64-bit, 8 on 32-bit: max_align_t */
#define ALIGN_SHIFT (sizeof(size_t) == 8 ? 4 : 3)
#define MIN_BLOCK ((sizeof(struct blk) + ALIGN - 1) & ~(ALIGN - 1))
#define TAG_MASK ((size_t)7)
#define TAG_USED ((size_t)5)
#define TAG_FREE ((size_t)2)

#define SL_LOG 3
#define SL_COUNT (1u << SL_LOG)
#define SMALL_LOG (ALIGN_SHIFT + SL_LOG) /* sizes below 2^SMALL_LOG: fl 0 */
#define SIZE_BITS (sizeof(size_t) * CHAR_BIT)
#define FL_COUNT (SIZE_BITS - SMALL_LOG + 1) /* fl of the largest size, +1 */

static struct {
    uintptr_t start, end; /* blocks in [start, end); sentinel at end */
    size_t fl_map;
    unsigned char sl_map[FL_COUNT];
    struct blk *lists[FL_COUNT][SL_COUNT];
    size_t total, in_use, peak, free_blocks;
} H;

static size_t bsize(const struct blk *b) { return b->head & ~TAG_MASK; }
static size_t btag(const struct blk *b) { return b->head & TAG_MASK; }

static struct blk *bnext(struct blk *b)
{
    return (struct blk *)((char *)b + bsize(b));
}

static struct blk *bprev(struct blk *b)
{
    return b->prev ? (struct blk *)((char *)b - b->prev) : NULL;
}

static void *payload(struct blk *b) { return (char *)b + HDR; }
static struct blk *of_payload(void *p)
{
    return (struct blk *)((char *)p - HDR);
}

static unsigned floor_log2(size_t x)
{
    if (sizeof(size_t) == sizeof(unsigned long))
        return (unsigned)(SIZE_BITS - 1) - (unsigned)__builtin_clzl(x);
    return (unsigned)(SIZE_BITS - 1) - (unsigned)__builtin_clzll(x);
}

static unsigned lowest_bit(size_t x)
{
    if (sizeof(size_t) == sizeof(unsigned long))
        return (unsigned)__builtin_ctzl(x);
    return (unsigned)__builtin_ctzll(x);
}

static void mapping(size_t size, unsigned *fl, unsigned *sl)
{
    unsigned f;

    if (size < ((size_t)1 << SMALL_LOG)) {
        *fl = 0;
        *sl = (unsigned)(size >> ALIGN_SHIFT);
        return;
    }
    f = floor_log2(size);
    *fl = f - SMALL_LOG + 1;
    *sl = (unsigned)(size >> (f - SL_LOG)) - SL_COUNT;
}

static void list_insert(struct blk *b)
{
    unsigned fl, sl;

    mapping(bsize(b), &fl, &sl);
    b->prev_free = NULL;
    b->next_free = H.lists[fl][sl];
    if (b->next_free)
        b->next_free->prev_free = b;
    H.lists[fl][sl] = b;
    H.sl_map[fl] |= (unsigned char)(1u << sl);
    H.fl_map |= (size_t)1 << fl;
    H.free_blocks++;
}

static void list_remove(struct blk *b)
{
    unsigned fl, sl;

    mapping(bsize(b), &fl, &sl);
    if (b->next_free)
        b->next_free->prev_free = b->prev_free;
    if (b->prev_free)
        b->prev_free->next_free = b->next_free;
    else if ((H.lists[fl][sl] = b->next_free) == NULL) {
        H.sl_map[fl] &= (unsigned char)~(1u << sl);
        if (!H.sl_map[fl])
            H.fl_map &= ~((size_t)1 << fl);
    }
    H.free_blocks--;
}

static _Noreturn void heap_fatal(const char *who, const char *what, void *p)
{
    fprintf(stderr, "fatal: %s(%p): %s\n", who, p, what);
    abort();
}

/* The first free block of size >= size, or NULL. */
static struct blk *find_fit(size_t size)
{
    unsigned fl, sl, f;
    size_t slm, flm, round;
    struct blk *b;

    /* Round up to the next class boundary: every block from that class up
     * fits without looking at its size. */
    round = size;
    if (size >= ((size_t)1 << SMALL_LOG)) {
        f = floor_log2(size);
        round = size + ((size_t)1 << (f - SL_LOG)) - 1;
    }
    mapping(round, &fl, &sl);
    if (fl < FL_COUNT) {
        slm = H.sl_map[fl] & (~0u << sl);
        if (!slm && fl + 1 < FL_COUNT) {
            flm = H.fl_map & (~(size_t)0 << (fl + 1));
            if (flm) {
                fl = lowest_bit(flm);
                slm = H.sl_map[fl];
            }
        }
        if (slm)
            return H.lists[fl][lowest_bit(slm)];
    }
    /* Nothing above: the request's own class may still hold a block that
     * is big enough. */
    mapping(size, &fl, &sl);
    for (b = H.lists[fl][sl]; b; b = b->next_free)
        if (bsize(b) >= size)
            return b;
    return NULL;
}

/* Marks b free, merges it with free neighbours and files it. */
static void release(struct blk *b)
{
    size_t size = bsize(b);
    struct blk *n = bnext(b), *p = bprev(b);

    if (btag(n) == TAG_FREE) {
        list_remove(n);
        size += bsize(n);
    }
    if (p && btag(p) == TAG_FREE) {
        list_remove(p);
        size += bsize(p);
        b = p;
    }
    b->head = size | TAG_FREE;
    bnext(b)->prev = size;
    list_insert(b);
}

/* Shrinks in-use block b to size, freeing the tail if it can be a block. */
static void trim(struct blk *b, size_t size)
{
    size_t rest = bsize(b) - size;
    struct blk *r;

    if (rest < MIN_BLOCK)
        return;
    b->head = size | TAG_USED;
    r = bnext(b);
    r->prev = size;
    r->head = rest | TAG_USED;
    bnext(r)->prev = rest;
    H.in_use -= rest;
    release(r);
}

/* The block size for a request of n bytes, or 0 if it cannot exist. */
static size_t block_size(size_t n)
{
    if (n > H.total)
        return 0;
    n = (n + HDR + ALIGN - 1) & ~(ALIGN - 1);
    return n < MIN_BLOCK ? MIN_BLOCK : n;
}

/* Validates the block behind a pointer handed back to us. */
static struct blk *checked(void *p, const char *who)
{
    struct blk *b = of_payload(p);
    size_t size;

    if ((uintptr_t)p % ALIGN || (uintptr_t)b < H.start ||
        (uintptr_t)b >= H.end)
        heap_fatal(who, "pointer not from malloc", p);
    if (btag(b) == TAG_FREE)
        heap_fatal(who, "double free", p);
    size = bsize(b);
    if (btag(b) != TAG_USED || size < MIN_BLOCK || size % ALIGN ||
        size > H.end - (uintptr_t)b || bnext(b)->prev != size)
        heap_fatal(who, "corrupted block header", p);
    return b;
}

static void account(size_t grow)
{
    H.in_use += grow;
    if (H.in_use > H.peak)
        H.peak = H.in_use;
}

void *malloc(size_t n)
{
    size_t size = block_size(n);
    struct blk *b;

    if (!size || !(b = find_fit(size))) {
        errno = ENOMEM;
        return NULL;
    }
    if (btag(b) != TAG_FREE)
        heap_fatal("malloc", "free list corrupted", payload(b));
    list_remove(b);
    b->head = bsize(b) | TAG_USED;
    account(bsize(b));
    trim(b, size);
    return payload(b);
}

void free(void *p)
{
    struct blk *b;

    if (!p)
        return;
    b = checked(p, "free");
    H.in_use -= bsize(b);
    release(b);
}

void *calloc(size_t count, size_t size)
{
    size_t n;
    void *p;

    if (__builtin_mul_overflow(count, size, &n)) {
        errno = ENOMEM;
        return NULL;
    }
    p = malloc(n);
    if (p)
        memset(p, 0, n);
    return p;
}

void *realloc(void *p, size_t n)
{
    struct blk *b, *next;
    size_t size, have;
    void *q;

    if (!p)
        return malloc(n);
    if (n == 0) {
        free(p);
        return NULL;
    }
    b = checked(p, "realloc");
    if (!(size = block_size(n))) {
        errno = ENOMEM;
        return NULL;
    }
    have = bsize(b);
    /* Grow in place into a free successor when it is big enough. */
    next = bnext(b);
    if (size > have && btag(next) == TAG_FREE &&
        have + bsize(next) >= size) {
        list_remove(next);
        have += bsize(next);
        account(bsize(next));
        b->head = have | TAG_USED;
        bnext(b)->prev = have;
    }
    if (size <= have) {
        trim(b, size);
        return p;
    }
    q = malloc(n);
    if (q) {
        memcpy(q, p, have - HDR);
        free(p);
    }
    return q;
}

void *reallocarray(void *p, size_t count, size_t size)
{
    size_t n;

    if (__builtin_mul_overflow(count, size, &n)) {
        errno = ENOMEM;
        return NULL;
    }
    return realloc(p, n);
}

void *aligned_alloc(size_t align, size_t n)
{
    struct blk *b, *nb;
    uintptr_t p, a;
    size_t size, lead;

    if (align == 0 || (align & (align - 1))) {
        errno = EINVAL;
        return NULL;
    }
    if (align <= ALIGN)
        return malloc(n);
    if (!(size = block_size(n)) || align > H.total) {
        errno = ENOMEM;
        return NULL;
    }
    /* Over-allocate, then give back the lead-in (which must be large
     * enough to be a block of its own) and the tail. */
    p = (uintptr_t)malloc(size + align + MIN_BLOCK);
    if (!p)
        return NULL;
    b = of_payload((void *)p);
    a = (p + align - 1) & ~(uintptr_t)(align - 1);
    if (a != p && a - p < MIN_BLOCK)
        a = (p + MIN_BLOCK + align - 1) & ~(uintptr_t)(align - 1);
    lead = a - p;
    if (lead) {
        nb = of_payload((void *)a);
        nb->prev = lead;
        nb->head = (bsize(b) - lead) | TAG_USED;
        bnext(nb)->prev = bsize(nb);
        b->head = lead | TAG_USED;
        H.in_use -= lead;
        release(b);
        b = nb;
    }
    trim(b, size);
    return payload(b);
}

int posix_memalign(void **out, size_t align, size_t n)
{
    int saved = errno;
    void *p;

    if (align % sizeof(void *) || (align & (align - 1)) || align == 0)
        return EINVAL;
    p = aligned_alloc(align, n);
    errno = saved; /* POSIX: reports through the result, not errno */
    if (!p)
        return ENOMEM;
    *out = p;
    return 0;
}

void ml_heap_init(uintptr_t start, size_t size)
{
    uintptr_t a = (start + ALIGN - 1) & ~(uintptr_t)(ALIGN - 1);
    uintptr_t e = (start + size) & ~(uintptr_t)(ALIGN - 1);
    struct blk *first, *sentinel;

    memset(&H, 0, sizeof H);
    if (start + size < start || e <= a || e - a < MIN_BLOCK + HDR)
        return; /* too small to hold anything: every malloc fails */
    H.start = a;
    H.end = e - HDR;
    H.total = e - a;
    first = (struct blk *)a;
    sentinel = (struct blk *)H.end;
    first->prev = 0;
    first->head = (H.end - a) | TAG_FREE;
    sentinel->prev = H.end - a;
    sentinel->head = TAG_USED; /* size 0, never merged */
    list_insert(first);
}

void ml_heap_stats(struct ml_heap_stats *st)
{
    struct blk *b;
    size_t best = 0;
    unsigned fl;

    st->total = H.total;
    st->in_use = H.in_use;
    st->peak = H.peak;
    st->free_blocks = H.free_blocks;
    /* The largest free block is in the highest non-empty class. */
    if (H.fl_map) {
        fl = floor_log2(H.fl_map);
        for (b = H.lists[fl][floor_log2(H.sl_map[fl])]; b; b = b->next_free)
            if (bsize(b) > best)
                best = bsize(b);
    }
    st->largest_free = best ? best - HDR : 0;
}

int ml_heap_check(void)
{
    struct blk *b, *f;
    size_t prev = 0, used = 0, nfree = 0, listed = 0;
    unsigned fl, sl;
    int prev_free = 0;
    const char *why = NULL;

    if (!H.total)
        return 0;
    for (b = (struct blk *)H.start; (uintptr_t)b < H.end; b = bnext(b)) {
        if (b->prev != prev)
            why = "prev size mismatch";
        else if (btag(b) != TAG_USED && btag(b) != TAG_FREE)
            why = "bad tag";
        else if (bsize(b) < MIN_BLOCK || bsize(b) % ALIGN ||
                 bsize(b) > H.end - (uintptr_t)b)
            why = "bad size";
        else if (btag(b) == TAG_FREE && prev_free)
            why = "two free blocks adjacent";
        if (why)
            break;
        prev_free = btag(b) == TAG_FREE;
        if (prev_free)
            nfree++;
        else
            used += bsize(b);
        prev = bsize(b);
    }
    if (!why && ((uintptr_t)b != H.end || b->prev != prev ||
                 b->head != TAG_USED))
        why = "sentinel damaged";
    if (!why && used != H.in_use)
        why = "in_use count wrong";
    for (fl = 0; !why && fl < FL_COUNT; fl++) {
        for (sl = 0; sl < SL_COUNT; sl++) {
            unsigned f2, s2;
            if (!!H.lists[fl][sl] != !!(H.sl_map[fl] & (1u << sl)))
                why = "class bitmap wrong";
            for (f = H.lists[fl][sl]; f && !why; f = f->next_free) {
                mapping(bsize(f), &f2, &s2);
                if (btag(f) != TAG_FREE || f2 != fl || s2 != sl)
                    why = "free list holds a wrong block";
                listed++;
            }
        }
        if (!why && !!H.sl_map[fl] != !!(H.fl_map & ((size_t)1 << fl)))
            why = "level bitmap wrong";
    }
    if (!why && (listed != nfree || nfree != H.free_blocks))
        why = "free block count wrong";
    if (why) {
        fprintf(stderr, "heap check: %s at %p\n", why, (void *)b);
        return -1;
    }
    return 0;
}

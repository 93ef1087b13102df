/*
 * kv_ro's tar backend: indexes a tar archive on a block device by walking
 * its 512-byte headers (POSIX ustar, GNU and pax; file data is skipped,
 * never read), then serves reads through ml_block_read_sync.
 *
 * The archive is untrusted: every header's checksum is verified, every
 * number parsed with overflow checks, every entry must lie within the
 * device, and names and extended headers have fixed upper bounds. Any
 * violation fails init with a message naming the header's byte offset.
 * Regular files are indexed; directories, links, devices and the like are
 * skipped. A later entry with the same name replaces an earlier one, as
 * when extracting.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <mirleft/block.h>
#include <mirleft/kv_ro.h>
#include <mirleft/sha256.h>

#define TAR_BLOCK 512

/* Header field offsets and sizes (POSIX.1-1988 ustar). */
#define H_NAME 0
#define H_NAME_LEN 100
#define H_SIZE 124
#define H_SIZE_LEN 12
#define H_CHKSUM 148
#define H_CHKSUM_LEN 8
#define H_TYPE 156
#define H_MAGIC 257
#define H_PREFIX 345
#define H_PREFIX_LEN 155

/* Reads [off, off + len) of the device: whole sectors straight into buf,
 * partial ones through the one-sector bounce buffer (which remembers its
 * sector, so consecutive headers in one sector cost one read). */
static int tar_read(struct ml_kv_ro *kv, uint64_t off, void *buf, size_t len)
{
    struct ml_block *b = kv->block;
    uint32_t ss = b->sector_size;
    uint8_t *p = buf;
    int e;

    if (off > b->capacity || len > b->capacity - off)
        return -ERANGE;
    while (len) {
        uint64_t sec = off / ss;
        size_t in = (size_t)(off % ss), n;

        if (in == 0 && len >= ss) {
            n = len - len % ss;
            if ((e = ml_block_read_sync(b, sec, p, n)))
                return e;
        } else {
            if (!kv->bounce_valid || kv->bounce_sector != sec) {
                kv->bounce_valid = false;
                if ((e = ml_block_read_sync(b, sec, kv->bounce, ss)))
                    return e;
                kv->bounce_sector = sec;
                kv->bounce_valid = true;
            }
            n = ss - in < len ? ss - in : len;
            memcpy(p, kv->bounce + in, n);
        }
        p += n;
        off += n;
        len -= n;
    }
    return 0;
}

/* A numeric field: octal digits, optionally led by spaces and ended by a
 * space or NUL; or GNU base-256 (first byte 0x80, big-endian after it).
 * All-blank is 0. Returns 0, or -1 for anything else or a value >= 2^62. */
static int number(const uint8_t *f, size_t n, uint64_t *out)
{
    uint64_t v = 0;
    size_t i = 0;

    if (f[0] & 0x80) {
        if (f[0] != 0x80)
            return -1;              /* negative, or the 0xff form */
        for (i = 1; i < n; i++) {
            if (v >> 54)
                return -1;
            v = v << 8 | f[i];
        }
        *out = v;
        return 0;
    }
    while (i < n && f[i] == ' ')
        i++;
    for (; i < n && f[i] >= '0' && f[i] <= '7'; i++) {
        if (v >> 59)
            return -1;
        v = v << 3 | (uint64_t)(f[i] - '0');
    }
    for (; i < n; i++)               /* only terminators may follow */
        if (f[i] != ' ' && f[i] != 0)
            return -1;
    *out = v;
    return 0;
}

static bool all_zero(const uint8_t *h)
{
    for (size_t i = 0; i < TAR_BLOCK; i++)
        if (h[i])
            return false;
    return true;
}

/* 1 if the stored checksum equals the computed one, 0 if not, -1 if the
 * field is not a number. The stored checksum must equal the sum of the header's bytes with the
 * checksum field counted as spaces: as unsigned bytes (POSIX) or, as some
 * old writers did, signed. */
static int checksum_ok(const uint8_t *h, uint64_t *stored, uint64_t *sum)
{
    int64_t ssum = 0;
    uint64_t usum = 0;

    for (size_t i = 0; i < TAR_BLOCK; i++) {
        uint8_t c = (i >= H_CHKSUM && i < H_CHKSUM + H_CHKSUM_LEN) ? ' ' : h[i];
        usum += c;
        ssum += (int8_t)c;
    }
    *sum = usum;
    if (number(h + H_CHKSUM, H_CHKSUM_LEN, stored) != 0)
        return -1;
    return *stored == usum || (int64_t)*stored == ssum;
}

/* Index-building state. */
struct scan {
    struct ml_kv_ro *kv;
    struct ml_kv_tar_entry *ents;
    size_t n, cap;
    size_t *seq;                  /* archive order, for duplicates */
    char *pending;                /* name from a GNU 'L' or pax header */
    uint64_t pending_size;        /* size from a pax header */
    bool has_pending_size;
};

static int fail(struct scan *s, uint64_t off, const char *what)
{
    fprintf(stderr, "kv_ro %s: tar archive on block %s: header at byte "
                    "offset %llu: %s\n", s->kv->name, s->kv->block->name,
            (unsigned long long)off, what);
    return -1;
}

/* Reads an extended header's data (len <= limit) into a fresh buffer. */
static char *read_ext(struct scan *s, uint64_t off, uint64_t len)
{
    char *d = malloc((size_t)len + 1);

    if (!d)
        return NULL;
    if (tar_read(s->kv, off, d, (size_t)len) != 0) {
        free(d);
        return NULL;
    }
    d[len] = 0;
    return d;
}

/* A pax extended header: records "LEN key=value\n". Takes path and size;
 * ignores the other keys. Returns 0, or -1 if malformed. */
static int pax(struct scan *s, char *d, size_t len)
{
    size_t i = 0;

    while (i < len) {
        size_t rlen = 0, j = i, k;

        while (j < len && d[j] >= '0' && d[j] <= '9' && rlen < len)
            rlen = rlen * 10 + (size_t)(d[j++] - '0');
        if (j == i || j >= len || d[j] != ' ' || rlen > len - i ||
            rlen < j - i + 3 || d[i + rlen - 1] != '\n')
            return -1;
        char *key = d + j + 1, *end = d + i + rlen - 1, *eq;
        for (eq = key; eq < end && *eq != '='; eq++)
            ;
        if (eq == end)
            return -1;
        *eq = 0;
        *end = 0;
        if (strcmp(key, "path") == 0) {
            k = (size_t)(end - (eq + 1));
            if (k == 0 || k > ML_KV_TAR_MAX_NAME ||
                memchr(eq + 1, 0, k) != NULL)
                return -1;
            free(s->pending);
            if (!(s->pending = malloc(k + 1)))
                return -1;
            memcpy(s->pending, eq + 1, k + 1);
        } else if (strcmp(key, "size") == 0) {
            uint64_t v = 0;
            char *c = eq + 1;
            if (c == end)
                return -1;
            for (; c < end; c++) {
                if (*c < '0' || *c > '9' || v > (UINT64_MAX >> 2) / 10)
                    return -1;
                v = v * 10 + (uint64_t)(*c - '0');
            }
            s->pending_size = v;
            s->has_pending_size = true;
        }
        i += rlen;
    }
    return 0;
}

/* Strips "./" and "/" from the front. */
static const char *normalise(const char *name)
{
    for (;;) {
        if (name[0] == '/')
            name++;
        else if (name[0] == '.' && name[1] == '/')
            name += 2;
        else
            return name;
    }
}

static int add(struct scan *s, uint64_t hoff, const char *name, uint64_t data,
               uint64_t size)
{
    struct ml_kv_tar_entry *e;
    size_t len;

    name = normalise(name);
    len = strlen(name);
    if (len == 0 || name[len - 1] == '/') {
        fprintf(stderr, "kv_ro %s: skipping the file without a usable name "
                        "at byte offset %llu\n", s->kv->name,
                (unsigned long long)hoff);
        return 0;
    }
    if (s->n == s->cap) {
        size_t cap = s->cap ? s->cap * 2 : 16;
        void *p;
        if (s->n >= ML_KV_TAR_MAX_ENTRIES)
            return fail(s, hoff, "more than " "1000000 files (the limit)");
        if (!(p = realloc(s->ents, cap * sizeof *s->ents)))
            return fail(s, hoff, "out of memory for the index");
        s->ents = p;
        if (!(p = realloc(s->seq, cap * sizeof *s->seq)))
            return fail(s, hoff, "out of memory for the index");
        s->seq = p;
        s->cap = cap;
    }
    e = &s->ents[s->n];
    if (!(e->key = malloc(len + 1)))
        return fail(s, hoff, "out of memory for the index");
    memcpy(e->key, name, len + 1);
    e->off = data;
    e->size = size;
    e->digested = false;
    s->seq[s->n] = s->n;
    s->n++;
    return 0;
}

/* Walks the headers from offset 0 to the end-of-archive block (or the end
 * of the device). Returns 0 or -1 after printing why. */
static int scan(struct scan *s)
{
    struct ml_kv_ro *kv = s->kv;
    uint64_t cap = kv->block->capacity, off = 0;
    uint8_t h[TAR_BLOCK];
    char name[H_PREFIX_LEN + 1 + H_NAME_LEN + 1];
    char msg[160];

    while (cap - off >= TAR_BLOCK) {
        uint64_t size, stored = 0, sum = 0, data = off + TAR_BLOCK;
        uint8_t type;

        if (tar_read(kv, off, h, TAR_BLOCK) != 0)
            return fail(s, off, "the block device failed to read");
        if (all_zero(h))
            break;                          /* end of archive */
        switch (checksum_ok(h, &stored, &sum)) {
        case 1:
            break;
        case 0:
            snprintf(msg, sizeof msg, "bad header checksum (stored %llo, "
                     "computed %llo): corrupt archive",
                     (unsigned long long)stored, (unsigned long long)sum);
            return fail(s, off, msg);
        default:
            return fail(s, off, "bad header checksum (the field is not a "
                                "number): not a tar archive, or corrupt");
        }
        if (number(h + H_SIZE, H_SIZE_LEN, &size) != 0)
            return fail(s, off, "malformed size field");
        type = h[H_TYPE];
        if (s->has_pending_size && (type == '0' || type == 0 || type == '7'))
            size = s->pending_size;
        /* Links, devices, directories and FIFOs have no data, whatever
         * their size field says. */
        if (type >= '1' && type <= '6')
            size = 0;
        if (size > cap - data) {
            snprintf(msg, sizeof msg, "entry of %llu bytes runs past the end "
                     "of the device (%llu bytes): truncated archive",
                     (unsigned long long)size, (unsigned long long)cap);
            return fail(s, off, msg);
        }

        if (type == 'L' || type == 'x') {
            size_t limit = type == 'L' ? ML_KV_TAR_MAX_NAME + 1
                                       : ML_KV_TAR_MAX_PAX;
            char *d;
            if (size > limit)
                return fail(s, off, type == 'L'
                                        ? "GNU long name exceeds 4096 bytes"
                                        : "pax header exceeds 64 KiB");
            if (!(d = read_ext(s, data, size)))
                return fail(s, off, "cannot read extended header");
            if (type == 'L') {
                free(s->pending);
                s->pending = d;             /* NUL-terminated by read_ext */
                if (!d[0] || strlen(d) > ML_KV_TAR_MAX_NAME)
                    return fail(s, off, "malformed GNU long name");
            } else {
                int r = pax(s, d, (size_t)size);
                free(d);
                if (r)
                    return fail(s, off, "malformed pax extended header");
            }
        } else if (type == '0' || type == 0 || type == '7') {
            const char *n = s->pending;
            if (!n) {
                size_t nl = strnlen((const char *)h + H_NAME, H_NAME_LEN), pl = 0;
                /* POSIX ustar (not GNU's "ustar  ") may split the name. */
                if (memcmp(h + H_MAGIC, "ustar\0" "00", 8) == 0)
                    pl = strnlen((const char *)h + H_PREFIX, H_PREFIX_LEN);
                memcpy(name, h + H_PREFIX, pl);
                if (pl)
                    name[pl++] = '/';
                memcpy(name + pl, h + H_NAME, nl);
                name[pl + nl] = 0;
                n = name;
            }
            if (add(s, off, n, data, size) != 0)
                return -1;
        }
        /* Anything else (directories, links, devices, FIFOs, global pax
         * headers, GNU volume/sparse/long-link records): skipped. The
         * extended headers apply to the next real entry. */
        if (type != 'L' && type != 'x' && type != 'K' && type != 'g') {
            free(s->pending);
            s->pending = NULL;
            s->has_pending_size = false;
        }
        /* size <= cap - data, so this cannot overflow. */
        off = data + ((size + TAR_BLOCK - 1) & ~(uint64_t)(TAR_BLOCK - 1));
        if (off > cap)
            off = cap;
    }
    if (s->pending)
        fprintf(stderr, "kv_ro %s: warning: the archive ends after an "
                        "extended header\n", kv->name);
    return 0;
}

/* Sort by key, archive order breaking ties: the last of equal keys wins. */
static struct scan *sort_ctx;
static int by_key(const void *a, const void *b)
{
    const size_t *x = a, *y = b;
    int c = strcmp(sort_ctx->ents[*x].key, sort_ctx->ents[*y].key);
    return c ? c : (*x > *y) - (*x < *y);
}

static int finish(struct scan *s)
{
    struct ml_kv_tar_entry *sorted;
    size_t i, n = 0;

    if (s->n == 0)
        return 0;
    sort_ctx = s;
    qsort(s->seq, s->n, sizeof *s->seq, by_key);
    sort_ctx = NULL;
    if (!(sorted = malloc(s->n * sizeof *sorted)))
        return fail(s, 0, "out of memory for the index");
    for (i = 0; i < s->n; i++) {
        struct ml_kv_tar_entry *e = &s->ents[s->seq[i]];
        if (i + 1 < s->n && strcmp(e->key, s->ents[s->seq[i + 1]].key) == 0) {
            free(e->key);                   /* replaced by a later one */
            e->key = NULL;
            continue;
        }
        sorted[n++] = *e;
    }
    free(s->ents);
    s->ents = sorted;
    s->n = n;
    return 0;
}

static int tar_open(struct ml_kv_ro *kv, const struct ml_kv_ro_config *cfg)
{
    struct scan s;
    int r;

    if (!cfg->block) {
        fprintf(stderr, "kv_ro %s: the tar backend needs a block "
                        "device (block:)\n", kv->name);
        return -1;
    }
    kv->block = cfg->block;

    memset(&s, 0, sizeof s);
    s.kv = kv;
    if (kv->block->sector_size == 0 ||
        !(kv->bounce = malloc(kv->block->sector_size))) {
        fprintf(stderr, "kv_ro %s: out of memory\n", kv->name);
        return -1;
    }
    r = scan(&s);
    if (r == 0)
        r = finish(&s);
    free(s.pending);
    free(s.seq);
    if (r != 0) {
        for (size_t i = 0; i < s.n; i++)
            free(s.ents[i].key);
        free(s.ents);
        free(kv->bounce);
        kv->bounce = NULL;
        return -1;
    }
    kv->ents = s.ents;
    kv->n = s.n;
    return 0;
}

static int tar_value_read(struct ml_kv_ro *kv, size_t i, uint64_t off,
                          void *buf, size_t len)
{
    return tar_read(kv, kv->ents[i].off + off, buf, len);
}

/* Streams the entry through SHA-256 a chunk at a time, on first request;
 * the digest is kept. */
static int tar_digest(struct ml_kv_ro *kv, size_t i, uint8_t out[32])
{
    struct ml_kv_tar_entry *t = &kv->ents[i];
    uint8_t chunk[4096];
    struct ml_sha256 c;
    uint64_t done;
    int e;

    if (!t->digested) {
        ml_sha256_init(&c);
        for (done = 0; done < t->size;) {
            size_t n = t->size - done < sizeof chunk
                           ? (size_t)(t->size - done) : sizeof chunk;
            if ((e = tar_read(kv, t->off + done, chunk, n)))
                return e;
            ml_sha256_update(&c, chunk, n);
            done += n;
        }
        ml_sha256_final(&c, t->sha256);
        t->digested = true;
    }
    memcpy(out, t->sha256, 32);
    return 0;
}

const struct ml_kv_ro_backend ml_kv_ro_backend_tar = {
    .name = "tar",
    .open = tar_open,
    .read = tar_value_read,
    .digest = tar_digest,
};

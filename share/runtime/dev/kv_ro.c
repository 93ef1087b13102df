/* kv_ro: the interface and the crunch backend. Both backends keep their
 * entries sorted by key, so every lookup is a binary search over either
 * the tool's embedded tree or the tar index (kv_ro_tar.c). */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <mirleft/block.h>
#include <mirleft/kv_ro.h>
#include <mirleft/sha256.h>

static size_t nkeys(const struct ml_kv_ro *kv)
{
    return kv->tree ? kv->tree->n : kv->n;
}

static const char *key_at(const struct ml_kv_ro *kv, size_t i)
{
    return kv->tree ? kv->tree->files[i].key : kv->ents[i].key;
}

static uint64_t size_at(const struct ml_kv_ro *kv, size_t i)
{
    return kv->tree ? kv->tree->files[i].size : kv->ents[i].size;
}

/* The first index whose key is >= k. */
static size_t lower_bound(const struct ml_kv_ro *kv, const char *k)
{
    size_t lo = 0, hi = nkeys(kv);

    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (strcmp(key_at(kv, mid), k) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

static int find(const struct ml_kv_ro *kv, const char *key, size_t *i)
{
    if (!kv || !key)
        return -EINVAL;
    while (*key == '/')
        key++;
    *i = lower_bound(kv, key);
    return *i < nkeys(kv) && strcmp(key_at(kv, *i), key) == 0 ? 0 : -ENOENT;
}

static int crunch_open(struct ml_kv_ro *kv, const struct ml_kv_tree *t)
{
    size_t i;

    if (!t || (t->n && !t->files)) {
        fprintf(stderr, "kv_ro %s: the crunch backend needs an embedded "
                        "directory (dir:)\n", kv->name);
        return -1;
    }
    for (i = 0; i < t->n; i++)
        if (!t->files[i].key || (!t->files[i].data && t->files[i].size) ||
            (i && strcmp(t->files[i - 1].key, t->files[i].key) >= 0)) {
            fprintf(stderr, "kv_ro %s: embedded directory is malformed at "
                            "entry %zu (keys must be sorted and unique)\n",
                    kv->name, i);
            return -1;
        }
    kv->tree = t;
    return 0;
}

int ml_kv_ro_init(struct ml_kv_ro *kv, const struct ml_kv_ro_config *cfg)
{
    const char *backend = cfg && cfg->backend ? cfg->backend : "";

    memset(kv, 0, sizeof *kv);
    kv->name = cfg && cfg->name ? cfg->name : "kv_ro";
    if (strcmp(backend, "crunch") == 0)
        return crunch_open(kv, cfg->dir);
    if (strcmp(backend, "tar") == 0) {
        if (!cfg->block) {
            fprintf(stderr, "kv_ro %s: the tar backend needs a block "
                            "device (block:)\n", kv->name);
            return -1;
        }
        kv->block = cfg->block;
        return ml_kv_ro_tar_open(kv);
    }
    fprintf(stderr, "kv_ro %s: unknown backend '%s' (expected crunch or "
                    "tar)\n", kv->name, backend);
    return -1;
}

size_t ml_kv_ro_count(const struct ml_kv_ro *kv)
{
    return nkeys(kv);
}

int ml_kv_ro_size(struct ml_kv_ro *kv, const char *key, uint64_t *size)
{
    size_t i;
    int e = find(kv, key, &i);

    if (e == 0 && size)
        *size = size_at(kv, i);
    return e;
}

int ml_kv_ro_get(struct ml_kv_ro *kv, const char *key, uint64_t off,
                 void *buf, size_t len, size_t *got)
{
    size_t i;
    uint64_t size;
    int e = find(kv, key, &i);

    if (got)
        *got = 0;
    if (e)
        return e;
    if (!buf && len)
        return -EINVAL;
    size = size_at(kv, i);
    if (off > size)
        return -ERANGE;
    if (len > size - off)
        len = (size_t)(size - off);
    if (len) {
        if (kv->tree)
            memcpy(buf, kv->tree->files[i].data + off, len);
        else if ((e = ml_kv_ro_tar_read(kv, kv->ents[i].off + off, buf, len)))
            return e;
    }
    if (got)
        *got = len;
    return 0;
}

/* Streams a tar entry through SHA-256, a chunk at a time. */
static int tar_digest(struct ml_kv_ro *kv, struct ml_kv_tar_entry *t)
{
    uint8_t chunk[4096];
    struct ml_sha256 c;
    uint64_t done;
    int e;

    ml_sha256_init(&c);
    for (done = 0; done < t->size;) {
        size_t n = t->size - done < sizeof chunk ? (size_t)(t->size - done)
                                                 : sizeof chunk;
        if ((e = ml_kv_ro_tar_read(kv, t->off + done, chunk, n)))
            return e;
        ml_sha256_update(&c, chunk, n);
        done += n;
    }
    ml_sha256_final(&c, t->sha256);
    t->digested = true;
    return 0;
}

int ml_kv_ro_digest(struct ml_kv_ro *kv, const char *key, uint8_t out[32])
{
    size_t i;
    int e = find(kv, key, &i);

    if (e)
        return e;
    if (!out)
        return -EINVAL;
    if (kv->tree) {
        memcpy(out, kv->tree->files[i].sha256, 32);
        return 0;
    }
    if (!kv->ents[i].digested && (e = tar_digest(kv, &kv->ents[i])))
        return e;
    memcpy(out, kv->ents[i].sha256, 32);
    return 0;
}

int ml_kv_ro_list(struct ml_kv_ro *kv, const char *prefix,
                  ml_kv_ro_list_fn fn, void *arg)
{
    size_t i, plen;
    int r;

    if (!kv || !fn)
        return -EINVAL;
    if (!prefix)
        prefix = "";
    while (*prefix == '/')
        prefix++;
    plen = strlen(prefix);
    for (i = lower_bound(kv, prefix); i < nkeys(kv); i++) {
        if (strncmp(key_at(kv, i), prefix, plen) != 0)
            break;
        if ((r = fn(key_at(kv, i), size_at(kv, i), arg)))
            return r;
    }
    return 0;
}

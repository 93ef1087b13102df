/* kv_ro: the interface. Both backends keep their entries sorted by key,
 * so every lookup is a binary search over either the tool's embedded tree
 * (kv_ro_crunch.c) or the tar index (kv_ro_tar.c); values are read and
 * digested through the backend's functions. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <mirleft/kv_ro.h>

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

int ml_kv_ro_init(struct ml_kv_ro *kv, const struct ml_kv_ro_config *cfg)
{
    memset(kv, 0, sizeof *kv);
    kv->name = cfg && cfg->name ? cfg->name : "kv_ro";
    if (!cfg || !cfg->backend || !cfg->backend->open) {
        fprintf(stderr, "kv_ro %s: no backend (expected "
                        "&ml_kv_ro_backend_crunch or _tar)\n", kv->name);
        return -1;
    }
    kv->be = cfg->backend;
    return kv->be->open(kv, cfg);
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
    if (len && (e = kv->be->read(kv, i, off, buf, len)))
        return e;
    if (got)
        *got = len;
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
    return kv->be->digest(kv, i, out);
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

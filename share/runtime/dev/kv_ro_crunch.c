/* kv_ro's crunch backend: the files of a directory, embedded in the image
 * by the tool as a sorted tree with sizes and digests (generated
 * tree_NAME.c). Opening checks the tree; reads are memcpy. */
#include <stdio.h>
#include <string.h>
#include <mirleft/kv_ro.h>

static int crunch_open(struct ml_kv_ro *kv, const struct ml_kv_ro_config *cfg)
{
    const struct ml_kv_tree *t = cfg->dir;
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

static int crunch_read(struct ml_kv_ro *kv, size_t i, uint64_t off,
                       void *buf, size_t len)
{
    memcpy(buf, kv->tree->files[i].data + off, len);
    return 0;
}

static int crunch_digest(struct ml_kv_ro *kv, size_t i, uint8_t out[32])
{
    memcpy(out, kv->tree->files[i].sha256, 32);
    return 0;
}

const struct ml_kv_ro_backend ml_kv_ro_backend_crunch = {
    .name = "crunch",
    .open = crunch_open,
    .read = crunch_read,
    .digest = crunch_digest,
};

/*
 * kv_ro: a read-only key-value store. Keys are '/'-separated paths
 * ("index.html", "css/site.css"); a leading '/' in a lookup is ignored.
 * Values are byte strings with a size and a SHA-256 digest.
 *
 * Backends (cfg->backend, &ml_kv_ro_backend_NAME; the tool's generated
 * code names the configured one, so an image links only that one):
 *  - "crunch": the files of a directory, embedded in the image by the tool
 *    (cfg->dir). Every call is a binary search and a memcpy.
 *  - "tar": a ustar/GNU/pax tar archive on a block device (cfg->block),
 *    indexed at init by reading the headers only (memory: one entry and
 *    its key per regular file). Reads go through ml_block_read_sync;
 *    digests are computed on first request and cached.
 *
 * Every call returns 0 or a negative errno value: -ENOENT (no such key),
 * -ERANGE (offset past the end of the value), -EINVAL (NULL arguments),
 * -EIO (the block device failed). Nothing here blocks on the event loop.
 */
#ifndef MIRLEFT_KV_RO_H
#define MIRLEFT_KV_RO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <mirleft/kv_tree.h>

struct ml_block;

/* Limits of the tar backend: longer names or more entries make init fail. */
#define ML_KV_TAR_MAX_NAME 4096      /* bytes in a key (GNU 'L', pax path) */
#define ML_KV_TAR_MAX_PAX 65536      /* bytes in one pax extended header */
#define ML_KV_TAR_MAX_ENTRIES 1000000

/* Private: one regular file of a tar archive. */
struct ml_kv_tar_entry {
    char *key;
    uint64_t off;          /* byte offset of the data on the device */
    uint64_t size;
    uint8_t sha256[32];
    bool digested;
};

struct ml_kv_ro_backend;

struct ml_kv_ro {
    const char *name;
    /* Private. */
    const struct ml_kv_ro_backend *be;
    const struct ml_kv_tree *tree;    /* crunch */
    struct ml_block *block;           /* tar */
    struct ml_kv_tar_entry *ents;     /* tar: sorted by key */
    size_t n;                         /* tar: entries */
    uint8_t *bounce;                  /* tar: one sector */
    uint64_t bounce_sector;
    bool bounce_valid;
};

struct ml_kv_ro_config {
    const char *name;
    const struct ml_kv_tree *dir;     /* crunch: set by the tool */
    struct ml_block *block;           /* tar: the device with the archive */
    const struct ml_kv_ro_backend *backend;  /* &ml_kv_ro_backend_crunch or _tar */
};

/* A backend: how a store is opened and its values read and digested.
 * Keys and sizes live in the tree (crunch) or the index (tar), which the
 * interface searches itself. */
struct ml_kv_ro_backend {
    const char *name;
    int (*open)(struct ml_kv_ro *kv, const struct ml_kv_ro_config *cfg);
    /* len bytes (in range) of entry i's value from off. */
    int (*read)(struct ml_kv_ro *kv, size_t i, uint64_t off, void *buf,
                size_t len);
    int (*digest)(struct ml_kv_ro *kv, size_t i, uint8_t out[32]);
};
extern const struct ml_kv_ro_backend ml_kv_ro_backend_crunch;
extern const struct ml_kv_ro_backend ml_kv_ro_backend_tar;

/* Returns 0, or -1 after printing why (unknown backend, missing tree or
 * block device, corrupt archive naming the offset, out of memory). */
int ml_kv_ro_init(struct ml_kv_ro *kv, const struct ml_kv_ro_config *cfg);

/* Number of keys. */
size_t ml_kv_ro_count(const struct ml_kv_ro *kv);
int ml_kv_ro_size(struct ml_kv_ro *kv, const char *key, uint64_t *size);
/* Copies up to len bytes of the value from byte `off` into buf and sets
 * *got (fewer than len only at the end of the value; 0 when off == size). */
int ml_kv_ro_get(struct ml_kv_ro *kv, const char *key, uint64_t off,
                 void *buf, size_t len, size_t *got);
/* The SHA-256 of the whole value. */
int ml_kv_ro_digest(struct ml_kv_ro *kv, const char *key, uint8_t out[32]);

/* Calls fn(key, size, arg) for each key starting with prefix (NULL or ""
 * for all), in strcmp order. A non-zero return from fn stops the walk and
 * is returned; otherwise returns 0. */
typedef int (*ml_kv_ro_list_fn)(const char *key, uint64_t size, void *arg);
int ml_kv_ro_list(struct ml_kv_ro *kv, const char *prefix,
                  ml_kv_ro_list_fn fn, void *arg);

#endif

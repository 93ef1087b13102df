/* The device runtime under test (block, kv_ro, SHA-256), mlt_-prefixed as
 * in mlt.h, and the fake block device of stubs.c. */
#ifndef MLT_DEV_H
#define MLT_DEV_H

#include "mlt.h"
#include <mirleft/block.h>
#include <mirleft/kv_ro.h>
#include <mirleft/sha256.h>

void mlt_ml_sha256_init(struct ml_sha256 *);
void mlt_ml_sha256_update(struct ml_sha256 *, const void *, size_t);
void mlt_ml_sha256_final(struct ml_sha256 *, uint8_t *);
void mlt_ml_sha256(const void *, size_t, uint8_t *);
char *mlt_ml_sha256_hex(const uint8_t *, char *);

int mlt_ml_block_init(struct ml_block *, const struct ml_block_config *);
int mlt_ml_block_read(struct ml_block *, struct ml_block_req *, uint64_t,
                      void *, size_t, ml_block_fn, void *);
int mlt_ml_block_write(struct ml_block *, struct ml_block_req *, uint64_t,
                       const void *, size_t, ml_block_fn, void *);
int mlt_ml_block_read_sync(struct ml_block *, uint64_t, void *, size_t);
size_t mlt_ml_block_queued(const struct ml_block *);

int mlt_ml_kv_ro_init(struct ml_kv_ro *, const struct ml_kv_ro_config *);
extern const struct ml_kv_ro_backend mlt_ml_kv_ro_backend_crunch;
extern const struct ml_kv_ro_backend mlt_ml_kv_ro_backend_tar;
size_t mlt_ml_kv_ro_count(const struct ml_kv_ro *);
int mlt_ml_kv_ro_size(struct ml_kv_ro *, const char *, uint64_t *);
int mlt_ml_kv_ro_get(struct ml_kv_ro *, const char *, uint64_t, void *,
                     size_t, size_t *);
int mlt_ml_kv_ro_digest(struct ml_kv_ro *, const char *, uint8_t *);
int mlt_ml_kv_ro_list(struct ml_kv_ro *, const char *, ml_kv_ro_list_fn,
                      void *);

/* stubs.c */
struct fake_disk {
    const char *name;
    uint8_t *data;
    uint64_t capacity, block_size;
    long reads, writes, refused;
    long fail_after;
};
extern struct fake_disk fake_disk;

#endif

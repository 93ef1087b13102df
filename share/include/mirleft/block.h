/*
 * The block device: sector-addressed storage backed by a host file.
 *
 * Geometry comes from the platform: every request is whole sectors
 * (len a multiple of sector_size) and lies within the device; anything
 * else is refused with -EINVAL (misaligned, NULL) or -ERANGE (beyond the
 * end) and nothing is done.
 *
 * Asynchronous requests (ml_block_read, ml_block_write) are queued and
 * performed in submission order from the event loop, which they keep
 * alive; the completion is called from the loop, never from inside the
 * submitting call, with 0 or -EIO. The caller owns the request and the
 * buffer until its completion runs (embed the request in your own state,
 * like a timer: submitting allocates nothing).
 *
 * ml_block_read_sync reads now and returns: no callback, no queue, no
 * caching or paging. It does not wait for queued writes: it sees the
 * writes whose completions have run.
 */
#ifndef MIRLEFT_BLOCK_H
#define MIRLEFT_BLOCK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <mirleft/platform.h>
#include <mirleft/timer.h>

struct ml_block_req;
/* status: 0, or -EIO if the platform failed the request. */
typedef void (*ml_block_fn)(struct ml_block_req *req, int status, void *arg);

struct ml_block_req {
    /* Private: set by ml_block_read/ml_block_write. */
    struct ml_block *dev;
    struct ml_block_req *next;
    uint64_t sector;
    uint8_t *buf;
    size_t len;
    ml_block_fn fn;
    void *arg;
    bool write;
};

struct ml_block {
    const char *name;       /* host-side name */
    uint32_t sector_size;   /* bytes, a power of two */
    uint64_t sectors;       /* capacity in sectors */
    uint64_t capacity;      /* bytes: sectors * sector_size */
    /* Private. */
    ml_handle_t handle;
    struct ml_block_req *head, *tail; /* queued requests */
    struct ml_timer kick;   /* runs the queue from the loop */
    uint64_t reads, writes; /* requests performed, both paths */
};

struct ml_block_config {
    const char *name;
};

/* Acquires the platform device called cfg->name. Returns 0, or -1 after
 * printing why (no such device attached, unusable geometry). */
int ml_block_init(struct ml_block *dev, const struct ml_block_config *cfg);

/* Queues a read of len bytes from `sector` into buf (or a write from buf);
 * fn(req, status, arg) runs from the loop once it is done. Returns 0, or
 * -EINVAL / -ERANGE without queueing anything (fn is then never called).
 * A request must not be submitted again before its completion has started
 * (from the completion, it may). len 0 is a valid no-op. */
int ml_block_read(struct ml_block *dev, struct ml_block_req *req,
                  uint64_t sector, void *buf, size_t len, ml_block_fn fn,
                  void *arg);
int ml_block_write(struct ml_block *dev, struct ml_block_req *req,
                   uint64_t sector, const void *buf, size_t len,
                   ml_block_fn fn, void *arg);
/* Reads now: 0, -EINVAL, -ERANGE or -EIO. */
int ml_block_read_sync(struct ml_block *dev, uint64_t sector, void *buf,
                       size_t len);
/* Requests queued and not yet completed. */
size_t ml_block_queued(const struct ml_block *dev);

#endif

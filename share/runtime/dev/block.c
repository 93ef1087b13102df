/* The block device: geometry from the platform, a FIFO of caller-owned
 * requests run from the event loop by a zero-delay timer (so completions
 * never run inside the submitting call), and a direct synchronous read.
 * Each queued request holds the loop until its completion has run. */
#include <errno.h>
#include <stdio.h>
#include <mirleft/block.h>
#include <mirleft/loop.h>

static void run_queue(struct ml_timer *t, void *arg);

int ml_block_init(struct ml_block *dev, const struct ml_block_config *cfg)
{
    struct ml_block_info info;
    const char *name = cfg && cfg->name ? cfg->name : "";
    ml_result_t r;

    dev->name = name;
    dev->head = dev->tail = NULL;
    dev->reads = dev->writes = 0;
    r = ml_plat_block_acquire(name, &dev->handle, &info);
    if (r != ML_R_OK) {
        fprintf(stderr, "block %s: no such block device is attached "
                        "(mirleft run --block %s=FILE)\n", name, name);
        return -1;
    }
    if (info.block_size == 0 || info.block_size > (1u << 20) ||
        (info.block_size & (info.block_size - 1)) ||
        info.capacity % info.block_size) {
        fprintf(stderr, "block %s: unusable geometry: %llu-byte sectors, "
                        "%llu bytes\n", name,
                (unsigned long long)info.block_size,
                (unsigned long long)info.capacity);
        return -1;
    }
    ml_timer_init(&dev->kick, run_queue, dev);
    dev->sector_size = (uint32_t)info.block_size;
    dev->capacity = info.capacity;
    dev->sectors = info.capacity / info.block_size;
    return 0;
}

/* 0 if [sector, sector + len) is whole sectors within the device. */
static int check(const struct ml_block *dev, uint64_t sector, const void *buf,
                 size_t len)
{
    if (buf == NULL && len)
        return -EINVAL;
    if (len & (dev->sector_size - 1))
        return -EINVAL;
    if (sector > dev->sectors || len / dev->sector_size > dev->sectors - sector)
        return -ERANGE;
    return 0;
}

static int io(struct ml_block *dev, bool write, uint64_t sector,
              uint8_t *buf, size_t len)
{
    ml_result_t r;

    if (len == 0)
        return 0;
    if (write) {
        dev->writes++;
        r = ml_plat_block_write(dev->handle, sector * dev->sector_size, buf,
                                len);
    } else {
        dev->reads++;
        r = ml_plat_block_read(dev->handle, sector * dev->sector_size, buf,
                               len);
    }
    return r == ML_R_OK ? 0 : r == ML_R_EINVAL ? -EINVAL : -EIO;
}

int ml_block_read_sync(struct ml_block *dev, uint64_t sector, void *buf,
                       size_t len)
{
    int e = check(dev, sector, buf, len);
    return e ? e : io(dev, false, sector, buf, len);
}

/* From the loop: performs and completes the requests queued before this
 * run; those their completions submit wait for the next one, so other
 * work gets its turn. */
static void run_queue(struct ml_timer *t, void *arg)
{
    struct ml_block *dev = arg;
    struct ml_block_req *last = dev->tail, *req;
    int status;

    (void)t;
    do {
        req = dev->head;
        dev->head = req->next;
        if (!dev->head)
            dev->tail = NULL;
        req->next = NULL;
        status = io(dev, req->write, req->sector, req->buf, req->len);
        req->dev = NULL;
        ml_loop_release();
        req->fn(req, status, req->arg);
    } while (req != last && dev->head);
    if (dev->head)
        ml_timer_start(&dev->kick, 0, 0);
}

static int submit(struct ml_block *dev, struct ml_block_req *req, bool write,
                  uint64_t sector, void *buf, size_t len, ml_block_fn fn,
                  void *arg)
{
    int e;

    if (!req || !fn)
        return -EINVAL;
    if ((e = check(dev, sector, buf, len)))
        return e;
    req->dev = dev;
    req->next = NULL;
    req->sector = sector;
    req->buf = buf;
    req->len = len;
    req->fn = fn;
    req->arg = arg;
    req->write = write;
    if (dev->tail)
        dev->tail->next = req;
    else
        dev->head = req;
    dev->tail = req;
    ml_loop_hold();
    if (!ml_timer_armed(&dev->kick))
        ml_timer_start(&dev->kick, 0, 0);
    return 0;
}

int ml_block_read(struct ml_block *dev, struct ml_block_req *req,
                  uint64_t sector, void *buf, size_t len, ml_block_fn fn,
                  void *arg)
{
    return submit(dev, req, false, sector, buf, len, fn, arg);
}

int ml_block_write(struct ml_block *dev, struct ml_block_req *req,
                   uint64_t sector, const void *buf, size_t len,
                   ml_block_fn fn, void *arg)
{
    /* The buffer is only read: the cast serves the shared request type. */
    return submit(dev, req, true, sector, (void *)(uintptr_t)buf, len, fn,
                  arg);
}

size_t ml_block_queued(const struct ml_block *dev)
{
    size_t n = 0;
    const struct ml_block_req *r;

    for (r = dev->head; r; r = r->next)
        n++;
    return n;
}

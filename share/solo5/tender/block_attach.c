/*
 * Attaching a file (or host block device) as a BLOCK_BASIC device
 * (spec §3.1): opened read-write, capacity from lseek(SEEK_END), which must
 * be a whole, non-zero number of blocks.
 */
#include <err.h>
#include <fcntl.h>
#include <unistd.h>

#include "tender.h"

void block_attach(struct mft_entry *e, const struct dev_opt *o)
{
    unsigned bs = o->sector_size ? o->sector_size : TENDER_BLOCK_MIN;
    int fd = open(o->block_path, O_RDWR | O_CLOEXEC);
    if (fd < 0)
        err(1, "%s: Could not open block device", o->block_path);
    off_t cap = lseek(fd, 0, SEEK_END);
    if (cap < 0)
        err(1, "%s: Could not determine the size of block device",
            o->block_path);
    if ((uint64_t)cap % bs != 0)
        errx(1, "%s: Backing storage size must be block aligned (%u bytes)",
             o->block_path, bs);
    if ((uint64_t)cap < bs)
        errx(1, "%s: Backing storage must hold at least one block "
             "(%u bytes)", o->block_path, bs);
    e->u.block_basic.capacity = (uint64_t)cap;
    e->u.block_basic.block_size = (uint16_t)bs;
    e->b.hostfd = fd;
    e->attached = true;
}

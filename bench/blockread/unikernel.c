/* Sequential synchronous reads of the whole disk, chunk bytes at a time:
 * the guest side of the block-throughput benchmark. */
#include <mirleft/block.h>
#include <stdio.h>
#include <stdlib.h>

#include "devices.h"

int start(struct devices *dev, const struct args *args)
{
    struct ml_block *b = &dev->disk;
    size_t chunk = (size_t)args->chunk;
    unsigned char *buf = malloc(chunk);
    uint64_t sum = 0;
    if (!buf || chunk % b->sector_size)
        return 2;
    for (uint64_t off = 0; off + chunk <= b->capacity; off += chunk) {
        if (ml_block_read_sync(b, off / b->sector_size, buf, chunk) != 0)
            return 1;
        sum += buf[0];
    }
    printf("read %llu bytes (%llu)\n", (unsigned long long)b->capacity,
           (unsigned long long)sum);
    return 0;
}

/* The guest memory allocator: malloc and friends over the region the
 * bindings hand to ml_plat_main, minus a reserve at its top for the stack. */
#ifndef MIRLEFT_HEAP_H
#define MIRLEFT_HEAP_H

#include <stddef.h>
#include <stdint.h>

struct ml_heap_stats {
    size_t total;        /* bytes the allocator manages */
    size_t in_use;       /* bytes in allocated blocks, headers included */
    size_t peak;         /* highest in_use seen */
    size_t free_blocks;  /* number of free blocks */
    size_t largest_free; /* largest request malloc could satisfy now */
};

/* The stack reserve for a region of the given size: 256 KiB, or a quarter
 * of the region if that is smaller. */
#define ML_STACK_RESERVE_MAX ((size_t)256 * 1024)
static inline size_t ml_heap_stack_reserve(size_t region)
{
    return region / 4 < ML_STACK_RESERVE_MAX ? region / 4
                                             : ML_STACK_RESERVE_MAX;
}

/* Hands [start, start+size) to the allocator; the caller has already taken
 * the stack reserve out. Calling it again forgets every earlier block. */
void ml_heap_init(uintptr_t start, size_t size);
void ml_heap_stats(struct ml_heap_stats *st);
/* Walks every block and checks the headers; returns 0 if consistent,
 * -1 (after printing what is wrong) otherwise. O(blocks): for tests. */
int ml_heap_check(void);

#endif

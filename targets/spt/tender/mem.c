/*
 * Guest memory for spt (spec §5.2): mapped at the guest's own addresses,
 * so guest pointers are host pointers. That only works if the tender
 * itself lives far above guest memory, hence the checks here.
 */
#include <err.h>
#include <errno.h>
#include <sys/mman.h>
#include <sys/personality.h>

#include "spt.h"

/* The start of our own image, placed by the linker (PIE: high under ASLR). */
extern const char __ehdr_start;

#define FOUR_GIB (1ull << 32)

void spt_check_host(uint64_t mem_size)
{
    int pers = personality(0xffffffff);
    if (pers != -1 && (pers & READ_IMPLIES_EXEC))
        errx(1, "READ_IMPLIES_EXEC is set in the process personality: "
             "guest data would be executable; refusing to run");
    uintptr_t base = (uintptr_t)&__ehdr_start;
    if (base < FOUR_GIB || base <= mem_size - 1)
        errx(1, "Guest memory (%llu MiB) would overlap the tender at 0x%lx: "
             "use a smaller --mem (was the tender built as PIE?)",
             (unsigned long long)(mem_size >> 20), (unsigned long)base);
}

void spt_mem_init(uint64_t mem_size)
{
    void *want = (void *)SPT_HOST_MEM_BASE;
    /* NOREPLACE: a clash with one of our own mappings must fail, never
     * silently replace it as plain MAP_FIXED would. */
    void *p = mmap(want, mem_size - SPT_HOST_MEM_BASE, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
    if (p == MAP_FAILED && errno == EEXIST)
        errx(1, "Guest memory (%llu MiB) would overlap the tender's own "
             "mappings: use a smaller --mem",
             (unsigned long long)(mem_size >> 20));
    if (p == MAP_FAILED)
        err(1, "Could not allocate guest memory (%llu MiB)",
            (unsigned long long)(mem_size >> 20));
    if (p != want)
        errx(1, "Could not map guest memory at 0x%lx", (unsigned long)want);
}

/* Segments get exactly their ELF permissions (W+X was refused earlier). */
void spt_protect(uint64_t start, uint64_t end, int prot)
{
    if (mprotect((void *)start, end - start, prot) < 0)
        err(1, "mprotect(0x%llx, 0x%llx)", (unsigned long long)start,
            (unsigned long long)(end - start));
}

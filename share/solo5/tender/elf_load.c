/*
 * Loading the image's PT_LOAD segments into guest memory (spec §3.2).
 * Only segments with file content are handled, as Solo5 does: a filesz-0
 * segment (.bss, empty .tdata) is skipped unchecked, since guest memory
 * starts zero-filled. Every check is written so that no sum can overflow.
 */
#include <err.h>
#include <string.h>
#include <sys/mman.h>

#include "tender.h"

#define PAGE 0x1000ull

static _Noreturn void bad_seg(const struct elf_file *f, unsigned i,
                              const char *why)
{
    errx(1, "%s: Invalid or unsupported executable: segment %u %s",
         f->name, i, why);
}

static int seg_prot(uint32_t flags)
{
    return ((flags & PF_R) ? PROT_READ : 0) |
           ((flags & PF_W) ? PROT_WRITE : 0) |
           ((flags & PF_X) ? PROT_EXEC : 0);
}

/* Check one segment against guest memory and the previous segment; return
 * its page-aligned [*start, *end). */
static void check_segment(const struct elf_file *f, unsigned i,
                          const Elf64_Phdr *p, uint64_t mem_size,
                          uint64_t prev_vaddr, uint64_t prev_end,
                          uint64_t *start, uint64_t *end)
{
    /* ELF says 0 and 1 both mean "no alignment constraint". */
    uint64_t align = p->p_align ? p->p_align : 1;

    if (p->p_vaddr < TENDER_GUEST_MIN_BASE)
        bad_seg(f, i, "lies below the guest's minimum address 0x100000");
    if (p->p_vaddr < prev_vaddr)
        bad_seg(f, i, "is out of order");
    if ((align & (align - 1)) != 0)
        bad_seg(f, i, "alignment is not a power of two");
    *start = p->p_vaddr & ~(align - 1);
    if (*start < TENDER_GUEST_MIN_BASE)
        bad_seg(f, i, "lies below the guest's minimum address 0x100000");
    if (*start < prev_end)
        bad_seg(f, i, "overlaps the previous segment");
    if (p->p_filesz > mem_size || p->p_vaddr > mem_size - p->p_filesz)
        bad_seg(f, i, "does not fit in guest memory");
    if (p->p_memsz < p->p_filesz)
        bad_seg(f, i, "is smaller in memory than in the file");
    if (p->p_memsz > mem_size - p->p_vaddr)
        bad_seg(f, i, "does not fit in guest memory");
    /* Round the end up; top <= mem_size, so only a huge align overflows. */
    uint64_t top = p->p_vaddr + p->p_memsz;
    uint64_t rem = top & (align - 1);
    if (rem != 0 && align - rem > mem_size - top)
        bad_seg(f, i, "does not fit in guest memory");
    *end = rem ? top + (align - rem) : top;
    if ((*start & (PAGE - 1)) != 0 || (*end & (PAGE - 1)) != 0)
        bad_seg(f, i, "is not 4 KiB aligned");
    if ((p->p_flags & PF_W) && (p->p_flags & PF_X))
        bad_seg(f, i, "requests WRITE and EXEC permissions");
}

void elf_load(const struct elf_file *f, uintptr_t mem, uint64_t mem_size,
              elf_protect_fn protect, struct elf_loaded *out)
{
    uint64_t prev_vaddr = 0, prev_end = 0;

    if (f->eh.e_entry < TENDER_GUEST_MIN_BASE || f->eh.e_entry >= mem_size)
        errx(1, "%s: Invalid or unsupported executable: entry point 0x%llx "
             "is outside guest memory", f->name,
             (unsigned long long)f->eh.e_entry);
    out->entry = f->eh.e_entry;
    out->kernel_end = 0;

    for (unsigned i = 0; i < f->eh.e_phnum; i++) {
        const Elf64_Phdr *p = &f->ph[i];
        uint64_t start, end;
        if (p->p_type != PT_LOAD || p->p_filesz == 0)
            continue;
        check_segment(f, i, p, mem_size, prev_vaddr, prev_end, &start, &end);
        /* elf_read bounds-checks p_offset + p_filesz against the file. */
        elf_read(f, p->p_offset, (void *)(mem + p->p_vaddr), p->p_filesz);
        memset((void *)(mem + p->p_vaddr + p->p_filesz), 0,
               p->p_memsz - p->p_filesz);
        protect(start, end, seg_prot(p->p_flags));
        prev_vaddr = p->p_vaddr;
        prev_end = end;
        if (end > out->kernel_end)
            out->kernel_end = end;
    }
    if (out->kernel_end == 0)
        errx(1, "%s: Invalid or unsupported executable: nothing to load",
             f->name);
}

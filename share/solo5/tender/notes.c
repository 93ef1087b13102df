/*
 * Reading the Solo5 notes (spec §3.3). Only the first note of each PT_NOTE
 * is looked at, which is why the images give every note its own PT_NOTE.
 */
#include <err.h>
#include <stdlib.h>
#include <string.h>

#include "tender.h"

#define MFT_MAX_DESCSZ (12u + MFT_MAX_ENTRIES * sizeof(struct mft_entry))

static _Noreturn void bad_note(const struct elf_file *f)
{
    errx(1, "%s: Invalid or unsupported executable: "
         "note does not fall within valid size", f->name);
}

/* The descriptor of the note of `type` heading phdr p, or NULL. */
static void *note_desc(const struct elf_file *f, const Elf64_Phdr *p,
                       uint32_t type, size_t align, size_t max_descsz,
                       size_t *size)
{
    struct solo5_note_hdr h;
    if (p->p_filesz < 12)
        bad_note(f);
    if (p->p_filesz < sizeof h)
        return NULL;
    elf_read(f, p->p_offset, &h, sizeof h);
    if (h.namesz != SOLO5_NOTE_NAMESZ || h.type != type ||
        memcmp(h.name, SOLO5_NOTE_NAME, SOLO5_NOTE_NAMESZ) != 0)
        return NULL;
    if (h.descsz < 1 || h.descsz > max_descsz ||
        p->p_filesz < sizeof h + (uint64_t)h.descsz)
        bad_note(f);
    /* The descriptor starts at the next multiple of the note's alignment;
     * the padding is counted in descsz. */
    size_t pad = (align - sizeof h % align) % align;
    if (h.descsz <= pad)
        bad_note(f);
    *size = h.descsz - pad;
    void *desc = malloc(*size);
    if (desc == NULL)
        err(1, "malloc");
    /* p_offset + 20 + descsz <= p_offset + p_filesz; elf_read checks the
     * file bounds (and p_offset + p_filesz may lie outside it). */
    if (p->p_offset > UINT64_MAX - sizeof h - pad)
        bad_note(f);
    elf_read(f, p->p_offset + sizeof h + pad, desc, *size);
    return desc;
}

void *elf_note(const struct elf_file *f, uint32_t type, size_t align,
               size_t max_descsz, size_t *size)
{
    for (unsigned i = 0; i < f->eh.e_phnum; i++) {
        if (f->ph[i].p_type != PT_NOTE)
            continue;
        void *d = note_desc(f, &f->ph[i], type, align, max_descsz, size);
        if (d != NULL)
            return d;
    }
    return NULL;
}

void elf_check_abi(const struct tender_target *t, const struct elf_file *f)
{
    size_t size;
    struct solo5_abi_desc *abi = elf_note(f, SOLO5_NOTE_ABI, 4,
                                          32, &size);
    if (abi == NULL)
        errx(1, "%s: No Solo5 ABI information found in executable", f->name);
    if (size < 2 * sizeof(uint32_t))
        bad_note(f);
    if (abi->abi_target != t->abi_target)
        errx(1, "%s: Executable is not for the %s target", f->name,
             t->solo5_name);
    if (abi->abi_version != t->abi_version)
        errx(1, "%s: Executable requests unsupported ABI version %u",
             f->name, abi->abi_version);
    free(abi);
}

struct mft *elf_manifest(const struct elf_file *f, size_t *size)
{
    struct mft *m = elf_note(f, SOLO5_NOTE_MFT, 8, MFT_MAX_DESCSZ, size);
    if (m == NULL)
        errx(1, "%s: No Solo5 manifest found in executable", f->name);
    if (!mft_validate(m, *size))
        errx(1, "%s: Solo5 manifest is invalid", f->name);
    return m;
}

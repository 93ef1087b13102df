/*
 * elfpatch FILE OP [VALUE]: corrupts one field of a test image in place,
 * so the tender tests can check every refusal. VALUE is decimal or 0x hex.
 *
 *   machine N        e_machine
 *   entry N          e_entry
 *   phoff N          e_phoff
 *   wx               first loaded segment becomes R+W+X
 *   overlap          second loaded segment moves onto the first
 *   seg-offset N     first loaded segment's p_offset
 *   seg-filesz N     first loaded segment's p_filesz (and p_memsz)
 *   seg-vaddr N      first loaded segment's p_vaddr
 *   abi-type N       ABI note's n_type
 *   abi-target N     ABI note's target
 *   abi-version N    ABI note's version
 *   mft-type N       manifest note's n_type
 *   mft-entries N    manifest's entry count
 *   mft-descsz N     manifest note's n_descsz
 *   random SEED      1 to 6 random byte changes in the ELF header, the
 *                    program headers or the first 4 KiB (for fuzzing)
 */
#include <elf.h>
#include <err.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static unsigned char *img;
static size_t img_size;

static void load(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        err(1, "%s", path);
    fseek(f, 0, SEEK_END);
    img_size = (size_t)ftell(f);
    rewind(f);
    img = malloc(img_size);
    if (!img || fread(img, 1, img_size, f) != img_size)
        err(1, "%s: read", path);
    fclose(f);
}

static void save(const char *path)
{
    FILE *f = fopen(path, "wb");
    if (!f || fwrite(img, 1, img_size, f) != img_size || fclose(f) != 0)
        err(1, "%s: write", path);
}

static Elf64_Ehdr *eh(void)
{
    return (Elf64_Ehdr *)img;
}

static Elf64_Phdr *ph(int i)
{
    return (Elf64_Phdr *)(img + eh()->e_phoff) + i;
}

/* The n-th (from 0) PT_LOAD with file content. */
static Elf64_Phdr *loaded(int n)
{
    for (int i = 0; i < eh()->e_phnum; i++)
        if (ph(i)->p_type == PT_LOAD && ph(i)->p_filesz > 0 && n-- == 0)
            return ph(i);
    errx(1, "no such loaded segment");
}

/* The header of the Solo5 note of `type` heading a PT_NOTE. */
static uint32_t *note(uint32_t type)
{
    for (int i = 0; i < eh()->e_phnum; i++) {
        if (ph(i)->p_type != PT_NOTE)
            continue;
        uint32_t *n = (uint32_t *)(img + ph(i)->p_offset);
        if (n[2] == type && memcmp(n + 3, "Solo5", 6) == 0)
            return n;
    }
    errx(1, "no such note");
}

/* A small deterministic generator, so a failing seed can be replayed. */
static uint64_t rnd_state;
static uint64_t rnd(void)
{
    rnd_state = rnd_state * 6364136223846793005ull + 1442695040888963407ull;
    return rnd_state >> 33;
}

static void mutate(uint64_t seed)
{
    static const uint64_t words[] = {
        0, ~0ull, 0x100000, 0x7fffffffffffffffull, 0x1fff000, 0x1000,
    };
    size_t phend = 64 + (size_t)eh()->e_phnum * sizeof(Elf64_Phdr);
    rnd_state = seed;
    for (uint64_t n = 1 + rnd() % 6; n > 0; n--) {
        size_t areas[] = { 64, phend, 4096 };
        size_t pos = rnd() % areas[rnd() % 3];
        if (pos + 8 > img_size)
            continue;
        switch (rnd() % 3) {
        case 0:
            img[pos] = (unsigned char)rnd();
            break;
        case 1:
            img[pos] ^= (unsigned char)(1u << (rnd() % 8));
            break;
        default:
            memcpy(img + pos, &words[rnd() % 6], 8);
        }
    }
}

int main(int argc, char **argv)
{
    if (argc < 3)
        errx(2, "usage: elfpatch FILE OP [VALUE]");
    load(argv[1]);
    const char *op = argv[2];
    uint64_t v = argc > 3 ? strtoull(argv[3], NULL, 0) : 0;

    if (!strcmp(op, "machine"))
        eh()->e_machine = (uint16_t)v;
    else if (!strcmp(op, "entry"))
        eh()->e_entry = v;
    else if (!strcmp(op, "phoff"))
        eh()->e_phoff = v;
    else if (!strcmp(op, "wx"))
        loaded(0)->p_flags = PF_R | PF_W | PF_X;
    else if (!strcmp(op, "overlap"))
        loaded(1)->p_vaddr = loaded(0)->p_vaddr;
    else if (!strcmp(op, "seg-offset"))
        loaded(0)->p_offset = v;
    else if (!strcmp(op, "seg-filesz"))
        loaded(0)->p_filesz = loaded(0)->p_memsz = v;
    else if (!strcmp(op, "seg-vaddr"))
        loaded(0)->p_vaddr = v;
    else if (!strcmp(op, "abi-type"))
        note(0x31494241)[2] = (uint32_t)v;
    else if (!strcmp(op, "abi-target"))
        note(0x31494241)[5] = (uint32_t)v;
    else if (!strcmp(op, "abi-version"))
        note(0x31494241)[6] = (uint32_t)v;
    else if (!strcmp(op, "mft-type"))
        note(0x3154464d)[2] = (uint32_t)v;
    else if (!strcmp(op, "mft-entries"))
        note(0x3154464d)[7] = (uint32_t)v;
    else if (!strcmp(op, "mft-descsz"))
        note(0x3154464d)[1] = (uint32_t)v;
    else if (!strcmp(op, "random"))
        mutate(v);
    else
        errx(2, "unknown operation %s", op);
    save(argv[1]);
    return 0;
}

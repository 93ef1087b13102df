/*
 * Opening the unikernel image: the ELF header checks of spec §3.2 and a
 * bounds-checked copy of the program headers. The file is hostile: every
 * offset and size is checked against the file before it is read.
 */
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tender.h"

#if defined(__x86_64__)
#define TENDER_EM EM_X86_64
#elif defined(__aarch64__)
#define TENDER_EM EM_AARCH64
#else
#error "unsupported host architecture"
#endif

static _Noreturn void bad_elf(const struct elf_file *f, const char *why)
{
    errx(1, "%s: Invalid or unsupported executable: %s", f->name, why);
}

void elf_read(const struct elf_file *f, uint64_t off, void *buf, size_t len)
{
    if (off > f->size || len > f->size - off)
        bad_elf(f, "data lies outside the file");
    size_t done = 0;
    while (done < len) {
        ssize_t n = pread(f->fd, (char *)buf + done, len - done,
                          (off_t)(off + done));
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            err(1, "%s: read", f->name);
        if (n == 0)
            bad_elf(f, "file is truncated");
        done += (size_t)n;
    }
}

static void check_header(const struct elf_file *f)
{
    const Elf64_Ehdr *h = &f->eh;
    if (memcmp(h->e_ident, ELFMAG, SELFMAG) != 0)
        bad_elf(f, "not an ELF file");
    if (h->e_ident[EI_CLASS] != ELFCLASS64)
        bad_elf(f, "not a 64-bit ELF file");
    if (h->e_ident[EI_DATA] != ELFDATA2LSB)
        bad_elf(f, "not a little-endian ELF file");
    if (h->e_ident[EI_VERSION] != EV_CURRENT || h->e_version != EV_CURRENT)
        bad_elf(f, "unknown ELF version");
    if (h->e_ehsize != sizeof(Elf64_Ehdr) ||
        h->e_phentsize != sizeof(Elf64_Phdr))
        bad_elf(f, "unexpected header sizes");
    if (h->e_phnum < 1)
        bad_elf(f, "no program headers");
    if (h->e_type != ET_EXEC)
        bad_elf(f, "not a static executable (ET_EXEC)");
    if (h->e_machine != TENDER_EM)
        bad_elf(f, "wrong machine type");
}

void elf_open(const char *path, struct elf_file *f)
{
    struct stat st;
    memset(f, 0, sizeof *f);
    f->name = path;
    f->fd = open(path, O_RDONLY | O_CLOEXEC);
    if (f->fd < 0)
        err(1, "%s: Could not open", path);
    if (fstat(f->fd, &st) < 0)
        err(1, "%s: stat", path);
    if (!S_ISREG(st.st_mode))
        bad_elf(f, "not a regular file");
    f->size = (uint64_t)st.st_size;
    if (f->size < sizeof f->eh)
        bad_elf(f, "file is too short for an ELF header");
    elf_read(f, 0, &f->eh, sizeof f->eh);
    check_header(f);

    /* e_phnum <= 65535 and each is 56 bytes: the product cannot overflow. */
    size_t phsize = (size_t)f->eh.e_phnum * sizeof(Elf64_Phdr);
    f->ph = malloc(phsize);
    if (f->ph == NULL)
        err(1, "malloc");
    elf_read(f, f->eh.e_phoff, f->ph, phsize);
}

void elf_close(struct elf_file *f)
{
    free(f->ph);
    f->ph = NULL;
    if (f->fd >= 0)
        close(f->fd);
    f->fd = -1;
}

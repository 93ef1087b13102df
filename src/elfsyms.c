#include "elfsyms.h"

#include <elf.h>
#include <stdint.h>
#include <string.h>

#include "fsutil.h"

struct obj {
    const unsigned char *p;
    size_t len;
    bool is64;
};

static bool in(const struct obj *o, uint64_t off, uint64_t n)
{
    return off <= o->len && n <= o->len - off;
}

/* Little-endian field of width bytes at off (checked by the caller). */
static uint64_t rd(const struct obj *o, uint64_t off, unsigned width)
{
    uint64_t v = 0;
    for (unsigned i = width; i-- > 0;)
        v = v << 8 | o->p[off + i];
    return v;
}

static void symtab(const struct obj *o, uint64_t off, uint64_t size,
                   uint64_t entsize, uint64_t stroff, uint64_t strsize,
                   struct strlist *out)
{
    unsigned need = o->is64 ? 24 : 16;
    if (entsize < need || !in(o, off, size) || !in(o, stroff, strsize))
        return;
    for (uint64_t s = off; s + entsize <= off + size; s += entsize) {
        uint64_t name = rd(o, s, 4);
        unsigned info = o->p[s + (o->is64 ? 4 : 12)];
        uint64_t shndx = rd(o, s + (o->is64 ? 6 : 14), 2);
        unsigned bind = info >> 4, type = info & 0xf;
        if (type != STT_FUNC || (bind != STB_GLOBAL && bind != STB_WEAK) ||
            shndx == SHN_UNDEF || name >= strsize)
            continue;
        const char *n = (const char *)o->p + stroff + name;
        size_t max = (size_t)(strsize - name);
        if (memchr(n, 0, max))
            sl_push(out, xstrdup(n));
    }
}

bool elf_defined_functions(const char *path, struct strlist *out)
{
    size_t len;
    unsigned char *buf = (unsigned char *)read_file(path, &len);
    struct obj o = {buf, len, false};
    bool ok = buf && len >= EI_NIDENT && !memcmp(buf, ELFMAG, SELFMAG) &&
              buf[EI_DATA] == ELFDATA2LSB &&
              (buf[EI_CLASS] == ELFCLASS32 || buf[EI_CLASS] == ELFCLASS64);
    if (!ok) {
        free(buf);
        return false;
    }
    o.is64 = buf[EI_CLASS] == ELFCLASS64;
    unsigned w = o.is64 ? 8 : 4;
    uint64_t ehsize = o.is64 ? 64 : 52;
    if (!in(&o, 0, ehsize)) {
        free(buf);
        return false;
    }
    uint64_t shoff = rd(&o, o.is64 ? 40 : 32, w);
    uint64_t shentsize = rd(&o, o.is64 ? 58 : 46, 2);
    uint64_t shnum = rd(&o, o.is64 ? 60 : 48, 2);
    if (shentsize < (o.is64 ? 64u : 40u) || !in(&o, shoff, shnum * shentsize)) {
        free(buf);
        return false;
    }
    /* Section header fields: type at 4, offset, size, link, entsize. */
    for (uint64_t i = 0; i < shnum; i++) {
        uint64_t sh = shoff + i * shentsize;
        if (rd(&o, sh + 4, 4) != SHT_SYMTAB)
            continue;
        uint64_t off = rd(&o, sh + (o.is64 ? 24 : 16), w);
        uint64_t size = rd(&o, sh + (o.is64 ? 32 : 20), w);
        uint64_t link = rd(&o, sh + (o.is64 ? 40 : 24), 4);
        uint64_t entsize = rd(&o, sh + (o.is64 ? 56 : 36), w);
        if (link >= shnum)
            continue;
        uint64_t st = shoff + link * shentsize;
        symtab(&o, off, size, entsize, rd(&o, st + (o.is64 ? 24 : 16), w),
               rd(&o, st + (o.is64 ? 32 : 20), w), out);
    }
    free(buf);
    return true;
}

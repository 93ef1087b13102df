/* Reading a Debian kernel package (an ar archive holding data.tar.*) with
 * libarchive: the kernel image, and an index of the modules with the
 * dependencies each declares in its .modinfo section, so an initramfs can
 * carry just the modules it needs without dpkg, depmod or modinfo. */
#include <archive.h>
#include <archive_entry.h>
#include <elf.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fsutil.h"
#include "vm.h"

/* The outer (ar) archive feeds the inner (tar) one through this. */
static la_ssize_t inner_read(struct archive *inner, void *outer, const void **buf)
{
    static char block[65536];
    (void)inner;
    *buf = block;
    return archive_read_data(outer, block, sizeof block);
}

/* Opens deb and positions an inner reader on its data.tar member; calls
 * walk(inner, ctx) and closes both. */
static int with_data_tar(const char *deb, int (*walk)(struct archive *, void *),
                         void *ctx)
{
    struct archive *outer = archive_read_new();
    archive_read_support_format_ar(outer);
    if (archive_read_open_filename(outer, deb, 65536) != ARCHIVE_OK) {
        vm_err("cannot read %s: %s", deb, archive_error_string(outer));
        archive_read_free(outer);
        return -1;
    }
    int r = -1;
    struct archive_entry *e;
    while (archive_read_next_header(outer, &e) == ARCHIVE_OK) {
        if (strncmp(archive_entry_pathname(e), "data.tar", 8) != 0)
            continue;
        struct archive *inner = archive_read_new();
        archive_read_support_filter_all(inner);
        archive_read_support_format_tar(inner);
        if (archive_read_open(inner, outer, NULL, inner_read, NULL) != ARCHIVE_OK)
            vm_err("cannot read %s's data: %s", deb, archive_error_string(inner));
        else
            r = walk(inner, ctx);
        archive_read_free(inner);
        break;
    }
    if (r < 0 && archive_errno(outer))
        vm_err("%s: %s", deb, archive_error_string(outer));
    archive_read_free(outer);
    return r;
}

/* The entry's contents, in a buffer the caller frees. */
static char *read_entry(struct archive *a, struct archive_entry *e, size_t *len)
{
    size_t n = (size_t)archive_entry_size(e);
    char *buf = xmalloc(n ? n : 1);
    la_ssize_t got = archive_read_data(a, buf, n);
    if (got < 0 || (size_t)got != n) {
        vm_err("reading %s: %s", archive_entry_pathname(e), archive_error_string(a));
        free(buf);
        return NULL;
    }
    *len = n;
    return buf;
}

/* The "depends=" value of a module's .modinfo section ("" if none), or
 * NULL if ko is not a well-formed 64-bit ELF object. */
static const char *modinfo_depends(const char *ko, size_t len)
{
    const Elf64_Ehdr *eh = (const void *)ko;
    if (len < sizeof *eh || memcmp(eh->e_ident, ELFMAG, SELFMAG) != 0 ||
        eh->e_ident[EI_CLASS] != ELFCLASS64 || eh->e_shentsize != sizeof(Elf64_Shdr) ||
        eh->e_shoff > len || eh->e_shnum > (len - eh->e_shoff) / sizeof(Elf64_Shdr) ||
        eh->e_shstrndx >= eh->e_shnum)
        return NULL;
    const Elf64_Shdr *sh = (const void *)(ko + eh->e_shoff);
    const Elf64_Shdr *names = &sh[eh->e_shstrndx];
    if (names->sh_offset > len || names->sh_size > len - names->sh_offset)
        return NULL;
    for (unsigned i = 0; i < eh->e_shnum; i++) {
        if (sh[i].sh_name >= names->sh_size ||
            strncmp(ko + names->sh_offset + sh[i].sh_name, ".modinfo",
                    names->sh_size - sh[i].sh_name) != 0)
            continue;
        if (sh[i].sh_offset > len || sh[i].sh_size > len - sh[i].sh_offset)
            return NULL;
        const char *p = ko + sh[i].sh_offset, *end = p + sh[i].sh_size;
        /* NUL-separated "key=value" strings; the last one must end. */
        if (sh[i].sh_size == 0 || end[-1] != '\0')
            return NULL;
        for (; p < end; p += strlen(p) + 1)
            if (strncmp(p, "depends=", 8) == 0)
                return p + 8;
        return "";
    }
    return "";
}

/* A module's name as the kernel (and "depends=") spells it: the file's
 * base name without .ko, '-' as '_'. */
static char *module_name(const char *path)
{
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    char *n = xstrndup(base, strlen(base) - 3);
    for (char *p = n; *p; p++)
        if (*p == '-')
            *p = '_';
    return n;
}

static bool ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && strcmp(s + n - m, suffix) == 0;
}

struct index_ctx {
    const char *dir;
    struct strbuf idx;
    bool kernel;
};

static int index_walk(struct archive *a, void *vctx)
{
    struct index_ctx *c = vctx;
    struct archive_entry *e;
    int r;
    while ((r = archive_read_next_header(a, &e)) == ARCHIVE_OK) {
        const char *p = archive_entry_pathname(e);
        bool kernel = strncmp(p, "./boot/vmlinuz-", 15) == 0;
        bool module = strncmp(p, "./lib/modules/", 14) == 0 && ends_with(p, ".ko");
        if (archive_entry_filetype(e) != AE_IFREG || (!kernel && !module))
            continue;
        size_t len;
        char *data = read_entry(a, e, &len);
        if (!data)
            return -1;
        if (kernel) {
            char *out = path_join(c->dir, "vmlinuz");
            int w = write_atomic(out, data, len);
            if (w < 0)
                vm_err("cannot write %s: %s", out, strerror(errno));
            free(out);
            free(data);
            if (w < 0)
                return -1;
            c->kernel = true;
            continue;
        }
        const char *deps = modinfo_depends(data, len);
        char *name = module_name(p);
        if (deps)
            sb_printf(&c->idx, "%s %s %s\n", name, p, *deps ? deps : "-");
        else
            vm_err("warning: %s is not a readable module; left out", p);
        free(name);
        free(data);
    }
    if (r != ARCHIVE_EOF) {
        vm_err("reading the package: %s", archive_error_string(a));
        return -1;
    }
    return 0;
}

int vm_deb_index(const char *deb, const char *dir)
{
    struct index_ctx c = {.dir = dir};
    sb_init(&c.idx);
    int r = with_data_tar(deb, index_walk, &c);
    if (r == 0 && !c.kernel) {
        vm_err("%s holds no /boot/vmlinuz-*: not a kernel package", deb);
        r = -1;
    }
    if (r == 0) {
        char *out = path_join(dir, "modules");
        if (write_atomic(out, c.idx.buf ? c.idx.buf : "", c.idx.len) < 0) {
            vm_err("cannot write %s: %s", out, strerror(errno));
            r = -1;
        }
        free(out);
    }
    sb_free(&c.idx);
    return r;
}

struct extract_ctx {
    const struct strlist *paths;
    int (*fn)(void *, const char *, const void *, size_t);
    void *ctx;
    size_t found;
};

static int extract_walk(struct archive *a, void *vctx)
{
    struct extract_ctx *c = vctx;
    struct archive_entry *e;
    int r;
    while (c->found < c->paths->n && (r = archive_read_next_header(a, &e)) == ARCHIVE_OK) {
        const char *p = archive_entry_pathname(e);
        if (archive_entry_filetype(e) != AE_IFREG || !sl_contains(c->paths, p))
            continue;
        size_t len;
        char *data = read_entry(a, e, &len);
        if (!data)
            return -1;
        int fr = c->fn(c->ctx, p, data, len);
        free(data);
        if (fr < 0)
            return -1;
        c->found++;
    }
    if (c->found < c->paths->n) {
        vm_err("the package lacks files its index names");
        return -1;
    }
    return 0;
}

int vm_deb_extract(const char *deb, const struct strlist *paths,
                   int (*fn)(void *ctx, const char *path, const void *data, size_t len),
                   void *ctx)
{
    struct extract_ctx c = {.paths = paths, .fn = fn, .ctx = ctx};
    return with_data_tar(deb, extract_walk, &c);
}

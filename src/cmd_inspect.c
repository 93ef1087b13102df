/* mirleft inspect: an image's build information and device manifest, read
 * from its ELF notes. ELF32 and ELF64, little-endian, so every target's
 * image (rp2040's included) can be inspected. The file is untrusted: every
 * offset and size is checked against it. */
#include <elf.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "cmd.h"
#include "diag.h"
#include "fsutil.h"
#include "json.h"

#include <solo5_mft.h>

struct image {
    const unsigned char *b;
    size_t n;
    bool is64;
};

struct found {
    char *buildinfo;             /* the key=value text */
    const struct solo5_abi_desc *abi;
    const unsigned char *mft;    /* struct mft, unaligned in the file */
    size_t mft_len;
};

static uint64_t rd(const struct image *im, size_t off, size_t width)
{
    uint64_t v = 0;
    for (size_t i = 0; i < width; i++)
        v |= (uint64_t)im->b[off + i] << (8 * i);
    return v;
}

static bool in_file(const struct image *im, uint64_t off, uint64_t len)
{
    return off <= im->n && len <= im->n - off;
}

/* Walks the notes in [off, off+len). */
static void scan_notes(const struct image *im, uint64_t off, uint64_t len,
                       struct found *f)
{
    if (!in_file(im, off, len))
        return;
    uint64_t p = off, end = off + len;
    while (end - p >= 12) {
        uint32_t namesz = (uint32_t)rd(im, p, 4), descsz = (uint32_t)rd(im, p + 4, 4);
        uint32_t type = (uint32_t)rd(im, p + 8, 4);
        uint64_t name = p + 12, desc = name + ((namesz + 3ull) & ~3ull);
        if (namesz > 64 || desc > end || descsz > end - desc)
            return;
        const char *nm = (const char *)im->b + name;
        if (namesz == 8 && !memcmp(nm, "mirleft", 8) && type == 1 && !f->buildinfo)
            f->buildinfo = xstrndup((const char *)im->b + desc, descsz);
        if (namesz == 6 && !memcmp(nm, "Solo5", 6)) {
            if (type == SOLO5_NOTE_ABI && descsz >= 16)
                f->abi = (const struct solo5_abi_desc *)(im->b + desc);
            if (type == SOLO5_NOTE_MFT && descsz >= 12) {
                /* the manifest is 8-aligned: 4 bytes of padding first */
                f->mft = im->b + desc + 4;
                f->mft_len = descsz - 4;
            }
        }
        p = desc + ((descsz + 3ull) & ~3ull);
    }
}

static const char *parse(const struct image *im, struct found *f)
{
    const unsigned char *e = im->b;
    if (im->n < 52 || memcmp(e, ELFMAG, SELFMAG))
        return "not an ELF file";
    if (e[EI_DATA] != ELFDATA2LSB)
        return "not a little-endian ELF file";
    bool is64 = e[EI_CLASS] == ELFCLASS64;
    if (!is64 && e[EI_CLASS] != ELFCLASS32)
        return "unknown ELF class";
    if (is64 && im->n < 64)
        return "truncated ELF header";
    struct image img = *im;
    img.is64 = is64;
    uint64_t phoff = is64 ? rd(&img, 32, 8) : rd(&img, 28, 4);
    uint64_t shoff = is64 ? rd(&img, 40, 8) : rd(&img, 32, 4);
    size_t phentsize = rd(&img, is64 ? 54 : 42, 2), phnum = rd(&img, is64 ? 56 : 44, 2);
    size_t shentsize = rd(&img, is64 ? 58 : 46, 2), shnum = rd(&img, is64 ? 60 : 48, 2);
    if (phnum && phentsize >= (is64 ? 56u : 32u) && in_file(&img, phoff, (uint64_t)phnum * phentsize))
        for (size_t i = 0; i < phnum; i++) {
            uint64_t ph = phoff + i * phentsize;
            if (rd(&img, ph, 4) != PT_NOTE)
                continue;
            uint64_t off = is64 ? rd(&img, ph + 8, 8) : rd(&img, ph + 4, 4);
            uint64_t sz = is64 ? rd(&img, ph + 32, 8) : rd(&img, ph + 16, 4);
            scan_notes(&img, off, sz, f);
        }
    /* Section headers too: some targets keep notes out of PT_NOTE. */
    if (shnum && shentsize >= (is64 ? 64u : 40u) && in_file(&img, shoff, (uint64_t)shnum * shentsize))
        for (size_t i = 0; i < shnum; i++) {
            uint64_t sh = shoff + i * shentsize;
            if (rd(&img, sh + 4, 4) != SHT_NOTE)
                continue;
            uint64_t off = is64 ? rd(&img, sh + 24, 8) : rd(&img, sh + 16, 4);
            uint64_t sz = is64 ? rd(&img, sh + 32, 8) : rd(&img, sh + 20, 4);
            scan_notes(&img, off, sz, f);
        }
    return NULL;
}

static const char *abi_target(uint32_t t)
{
    switch (t) {
    case SOLO5_ABI_TARGET_HVT: return "hvt";
    case SOLO5_ABI_TARGET_SPT: return "spt";
    case SOLO5_ABI_TARGET_XEN: return "xen";
    default: return "unknown";
    }
}

static void json_str(const char *s, size_t n)
{
    json_quote(stdout, s, n);
}

/* Each manifest entry after the reserved one: name and type. */
static size_t mft_count(const struct found *f)
{
    if (!f->mft || f->mft_len < 8)
        return 0;
    uint32_t n;
    memcpy(&n, f->mft + 4, 4);
    size_t fits = (f->mft_len - 8) / sizeof(struct mft_entry);
    return n < fits ? n : fits;
}

static void mft_entry_at(const struct found *f, size_t i, struct mft_entry *e)
{
    memcpy(e, f->mft + 8 + i * sizeof *e, sizeof *e);
    e->name[MFT_NAME_SIZE - 1] = 0;
}

static const char *mft_type(uint32_t t)
{
    return t == MFT_DEV_BLOCK_BASIC ? "BLOCK_BASIC" : t == MFT_DEV_NET_BASIC
                                                          ? "NET_BASIC" : "reserved";
}

static void print_text(const char *path, size_t size, const struct found *f)
{
    printf("%s: %zu bytes\n", path, size);
    printf("build info:\n");
    for (char *line = f->buildinfo; line && *line;) {
        char *nl = strchr(line, '\n'), *eq = strchr(line, '=');
        if (nl)
            *nl = 0;
        if (eq)
            printf("  %-14.*s %s\n", (int)(eq - line), line, eq + 1);
        line = nl ? nl + 1 : NULL;
    }
    if (f->abi)
        printf("Solo5 ABI: %s, version %u\n", abi_target(f->abi->abi_target),
               f->abi->abi_version);
    size_t n = mft_count(f);
    if (f->mft) {
        printf("devices (Solo5 manifest):%s\n", n > 1 ? "" : " none");
        for (size_t i = 1; i < n; i++) {
            struct mft_entry e;
            mft_entry_at(f, i, &e);
            printf("  %zu  %-20s %s\n", i, e.name, mft_type(e.type));
        }
    }
}

/* The build-info keys whose value "none" (as the image spells it) means
 * absent: JSON says null. A name may well be "none". */
static bool none_is_null(const char *key, size_t klen, const char *val,
                         size_t vlen)
{
    static const char *const keys[] = {"config-sha256", "lock-sha256",
                                       "git-commit", "build-time"};
    if (vlen != 4 || memcmp(val, "none", 4))
        return false;
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
        if (strlen(keys[i]) == klen && !memcmp(keys[i], key, klen))
            return true;
    return false;
}

static void print_json(const char *path, size_t size, const struct found *f)
{
    printf("{\"image\":");
    json_str(path, strlen(path));
    printf(",\"size\":%zu,\"buildinfo\":{", size);
    bool first = true;
    for (const char *line = f->buildinfo; line && *line;) {
        const char *nl = strchr(line, '\n'), *eq = strchr(line, '=');
        size_t len = nl ? (size_t)(nl - line) : strlen(line);
        if (eq && eq < line + len && strncmp(line, "library=", 8)) {
            printf("%s", first ? "" : ",");
            size_t klen = (size_t)(eq - line), vlen = len - klen - 1;
            json_str(line, klen);
            putchar(':');
            if (none_is_null(line, klen, eq + 1, vlen))
                fputs("null", stdout);
            else
                json_str(eq + 1, vlen);
            first = false;
        }
        line = nl ? nl + 1 : NULL;
    }
    printf("},\"libraries\":[");
    first = true;
    for (const char *line = f->buildinfo; line && *line;) {
        const char *nl = strchr(line, '\n');
        size_t len = nl ? (size_t)(nl - line) : strlen(line);
        if (!strncmp(line, "library=", 8)) {
            printf("%s", first ? "" : ",");
            json_str(line + 8, len - 8);
            first = false;
        }
        line = nl ? nl + 1 : NULL;
    }
    printf("]");
    if (f->abi)
        printf(",\"abi\":{\"target\":\"%s\",\"version\":%u}",
               abi_target(f->abi->abi_target), f->abi->abi_version);
    if (f->mft) {
        printf(",\"devices\":[");
        for (size_t i = 1; i < mft_count(f); i++) {
            struct mft_entry e;
            mft_entry_at(f, i, &e);
            printf("%s{\"name\":", i > 1 ? "," : "");
            json_str(e.name, sizeof e.name);
            printf(",\"type\":\"%s\",\"handle\":%zu}", mft_type(e.type), i);
        }
        printf("]");
    }
    printf("}\n");
}

const struct option inspect_options[] = {{"help", no_argument, 0, 'h'},
                                   {"json", no_argument, 0, 'J'},
                                   {0, 0, 0, 0}};

static int run(int argc, char **argv)
{
    bool json = false;
    int c;
    reset_getopt();
    while ((c = getopt_long(argc, argv, "h", inspect_options, NULL)) != -1) {
        if (c == 'h') {
            fputs(cmd_inspect.usage, stdout);
            return 0;
        }
        if (c != 'J')
            return bad_option(&cmd_inspect);
        json = true;
    }
    if (argc - optind != 1)
        return usage_error(&cmd_inspect, "expected one image file");
    const char *path = argv[optind];
    size_t n;
    char *data = read_file(path, &n);
    if (!data) {
        die_msg("cannot read %s: %s", path, strerror(errno));
        return EXIT_FAIL;
    }
    struct image im = {(const unsigned char *)data, n, false};
    struct found f = {0};
    const char *why = parse(&im, &f);
    int rc = 0;
    if (why) {
        die_msg("%s: %s", path, why);
        rc = EXIT_FAIL;
    } else if (!f.buildinfo) {
        die_msg("%s: no mirleft build-info note: not an image mirleft built", path);
        rc = EXIT_FAIL;
    } else if (json) {
        print_json(path, n, &f);
    } else {
        print_text(path, n, &f);
    }
    free(f.buildinfo);
    free(data);
    return rc;
}

const struct command cmd_inspect = {
    "inspect", run, "print an image's build information and devices",
    "usage: mirleft inspect [--json] IMAGE\n"
    "\n"
    "Print the build information mirleft records in every image (mirleft's\n"
    "version, the target, the SHA-256 of unikernel.yml and unikernel.lock,\n"
    "the project's git commit and whether its tree was dirty, the build time\n"
    "from SOURCE_DATE_EPOCH, the libraries) and, for Solo5 targets, the ABI\n"
    "and the device manifest. Works on images of every target.\n"
    "\n"
    "      --json   one JSON object\n"
    "  -h, --help   show this help\n",
};

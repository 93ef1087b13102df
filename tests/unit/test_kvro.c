/* kv_ro: the crunch backend over a hand-built tree; the tar backend over
 * archives GNU tar writes in each of its formats (gnu, oldgnu, ustar,
 * posix/pax, v7), on 512- and 4096-byte sectors; hand-made headers for
 * the corner cases (base-256 sizes, prefix names, pax records, GNU long
 * names, duplicates); and hostile input: corrupt, truncated and mutated
 * archives must fail init with a message or index cleanly, never crash,
 * never ask the platform for a block outside the device, never corrupt
 * the heap. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "mlt_dev.h"

static unsigned long long rng = 0x853c49e6748fea9bULL;
static unsigned long long rnd(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}

static uint8_t region[8 << 20] __attribute__((aligned(64)));
#define DISK_MAX (4 << 20)
static uint8_t disk[DISK_MAX];
static struct ml_block blk;
static struct ml_kv_ro kv;

/* Puts len bytes of archive on the fake disk (zero-padded to whole
 * sectors, or cut to capacity if given) and opens kv_ro's tar backend on
 * it. Returns ml_kv_ro_init's result; the runtime's messages are in
 * `console`. */
static int open_tar(const uint8_t *a, size_t len, uint64_t bs, uint64_t cap)
{
    struct ml_kv_ro_config cfg = { .name = "store", .block = &blk,
                                   .backend = &mlt_ml_kv_ro_backend_tar };
    int r;

    if (!cap)
        cap = (len + bs - 1) / bs * bs;
    if (cap == 0)
        cap = bs;
    if (cap > DISK_MAX) {
        fprintf(stderr, "archive too big\n");
        exit(2);
    }
    mlt_ml_heap_init((uintptr_t)region, sizeof region);
    memset(disk, 0, (size_t)cap);
    memcpy(disk, a, len < cap ? len : (size_t)cap);
    memset(&fake_disk, 0, sizeof fake_disk);
    fake_disk.name = "tardisk";
    fake_disk.data = disk;
    fake_disk.capacity = cap;
    fake_disk.block_size = bs;
    fake_disk.fail_after = -1;
    if (mlt_ml_block_init(&blk, &(struct ml_block_config){ "tardisk" }) != 0) {
        fprintf(stderr, "block init failed\n");
        exit(2);
    }
    console_reset();
    r = mlt_ml_kv_ro_init(&kv, &cfg);
    mlt_fflush(mlt_ml_stderr_file);
    return r;
}

/* ---- expected contents ------------------------------------------------- */

struct file {
    char key[4200];
    uint8_t *data;
    size_t size;
};
static struct file files[64];
static int nfiles;

static int by_key(const void *a, const void *b)
{
    return strcmp(((const struct file *)a)->key, ((const struct file *)b)->key);
}

static int list_i, list_bad;
static int on_key(const char *key, uint64_t size, void *arg)
{
    (void)arg;
    if (list_i >= nfiles || strcmp(key, files[list_i].key) != 0 ||
        size != files[list_i].size) {
        if (list_bad++ < 3)
            fprintf(stderr, "list: #%d is '%.60s' (%llu), expected '%.60s'\n",
                    list_i, key, (unsigned long long)size,
                    list_i < nfiles ? files[list_i].key : "(end)");
    }
    list_i++;
    return 0;
}

/* Everything kv answers agrees with files[] (sorted first). */
static void verify(const char *what)
{
    uint8_t buf[70000], d[32], want[32];
    int i, k;

    qsort(files, (size_t)nfiles, sizeof files[0], by_key);
    CHECK(mlt_ml_kv_ro_count(&kv) == (size_t)nfiles, "%s: %zu keys, want %d",
          what, mlt_ml_kv_ro_count(&kv), nfiles);
    list_i = list_bad = 0;
    CHECK(mlt_ml_kv_ro_list(&kv, NULL, on_key, NULL) == 0 && list_bad == 0 &&
              list_i == nfiles, "%s: list", what);
    for (i = 0; i < nfiles; i++) {
        struct file *f = &files[i];
        uint64_t size = 0;
        size_t got = 0;

        CHECK(mlt_ml_kv_ro_size(&kv, f->key, &size) == 0 && size == f->size,
              "%s: size of %.60s: %llu, want %zu", what, f->key,
              (unsigned long long)size, f->size);
        CHECK(mlt_ml_kv_ro_get(&kv, f->key, 0, buf, sizeof buf, &got) == 0 &&
                  got == f->size && memcmp(buf, f->data, f->size) == 0,
              "%s: get %.60s", what, f->key);
        for (k = 0; k < 5 && f->size; k++) {
            uint64_t off = rnd() % (f->size + 1);
            size_t len = (size_t)(rnd() % (f->size + 10));
            size_t want_n = len < f->size - off ? len : (size_t)(f->size - off);
            CHECK(mlt_ml_kv_ro_get(&kv, f->key, off, buf, len, &got) == 0 &&
                      got == want_n && memcmp(buf, f->data + off, got) == 0,
                  "%s: get %.60s [%llu, +%zu)", what, f->key,
                  (unsigned long long)off, len);
        }
        CHECK(mlt_ml_kv_ro_get(&kv, f->key, f->size + 1, buf, 1, &got) ==
                  -ERANGE && got == 0, "%s: get past the end", what);
        mlt_ml_sha256(f->data, f->size, want);
        CHECK(mlt_ml_kv_ro_digest(&kv, f->key, d) == 0 && !memcmp(d, want, 32),
              "%s: digest of %.60s", what, f->key);
        CHECK(mlt_ml_kv_ro_digest(&kv, f->key, d) == 0 && !memcmp(d, want, 32),
              "%s: cached digest of %.60s", what, f->key);
    }
    CHECK(mlt_ml_kv_ro_size(&kv, "no/such/key", NULL) == -ENOENT,
          "%s: missing key", what);
    CHECK(mlt_ml_kv_ro_digest(&kv, "", d) == -ENOENT, "%s: empty key", what);
    CHECK(fake_disk.refused == 0, "%s: a request outside the device", what);
    CHECK(mlt_ml_heap_check() == 0, "%s: heap", what);
}

static void add_file(const char *key, size_t size)
{
    struct file *f = &files[nfiles++];
    snprintf(f->key, sizeof f->key, "%s", key);
    f->data = malloc(size + 1);
    f->size = size;
    for (size_t i = 0; i < size; i++)
        f->data[i] = (uint8_t)rnd();
}

static void clear_files(void)
{
    for (int i = 0; i < nfiles; i++)
        free(files[i].data);
    nfiles = 0;
}

/* ---- crunch ------------------------------------------------------------ */

static int stop_at_b(const char *key, uint64_t size, void *arg)
{
    (void)size;
    ++*(int *)arg;
    return strcmp(key, "b") == 0 ? 42 : 0;
}

static void crunch(void)
{
    static struct ml_kv_file tf[] = {
        { "a", (const unsigned char *)"alpha", 5, {0} },
        { "b", (const unsigned char *)"", 0, {0} },
        { "dir/c.txt", (const unsigned char *)"charlie\n", 8, {0} },
        { "dir/d", (const unsigned char *)"delta", 5, {0} },
        { "dirt", (const unsigned char *)"x", 1, {0} },
    };
    static struct ml_kv_tree tree = { tf, 5 };
    struct ml_kv_file bad[2] = { tf[1], tf[0] };
    struct ml_kv_tree badtree = { bad, 2 };
    struct ml_kv_ro_config cfg = { .name = "site", .dir = &tree,
                                   .backend = &mlt_ml_kv_ro_backend_crunch };
    int i, n;

    for (i = 0; i < 5; i++)
        mlt_ml_sha256(tf[i].data, tf[i].size, tf[i].sha256);
    CHECK(mlt_ml_kv_ro_init(&kv, &cfg) == 0, "crunch init");
    clear_files();
    for (i = 0; i < 5; i++) {
        add_file(tf[i].key, 0);
        free(files[i].data);
        files[i].data = (uint8_t *)tf[i].data;
        files[i].size = tf[i].size;
    }
    verify("crunch");
    nfiles = 0;
    /* prefixes */
    {
        static const char *const want[] = { "dir/c.txt", "dir/d", "dirt" };
        list_i = 0;
        CHECK(mlt_ml_kv_ro_list(&kv, "dir", stop_at_b, &list_i) == 0 &&
                  list_i == 3, "prefix dir: %d keys", list_i);
        list_i = 0;
        CHECK(mlt_ml_kv_ro_list(&kv, "/dir/", stop_at_b, &list_i) == 0 &&
                  list_i == 2, "prefix dir/: %d keys", list_i);
        list_i = 0;
        CHECK(mlt_ml_kv_ro_list(&kv, "zzz", stop_at_b, &list_i) == 0 &&
                  list_i == 0, "prefix zzz");
        n = 0;
        CHECK(mlt_ml_kv_ro_list(&kv, "", stop_at_b, &n) == 42 && n == 2,
              "stop early");
        (void)want;
    }
    {
        size_t got;
        char buf[8];
        uint64_t sz;
        CHECK(mlt_ml_kv_ro_size(&kv, "/dir/d", &sz) == 0 && sz == 5,
              "leading slash");
        CHECK(mlt_ml_kv_ro_get(&kv, "a", 5, buf, 3, &got) == 0 && got == 0,
              "get at the end");
        CHECK(mlt_ml_kv_ro_get(&kv, "a", 1, buf, 3, &got) == 0 && got == 3 &&
                  memcmp(buf, "lph", 3) == 0, "get a range");
        CHECK(mlt_ml_kv_ro_get(&kv, "a", 6, buf, 3, &got) == -ERANGE,
              "get past the end");
        CHECK(mlt_ml_kv_ro_get(&kv, "dir", 0, buf, 3, &got) == -ENOENT,
              "a directory is not a key");
        CHECK(mlt_ml_kv_ro_get(&kv, NULL, 0, buf, 3, &got) == -EINVAL, "NULL");
    }
    console_reset();
    cfg.dir = &badtree;
    CHECK(mlt_ml_kv_ro_init(&kv, &cfg) == -1, "unsorted tree accepted");
    cfg.dir = NULL;
    CHECK(mlt_ml_kv_ro_init(&kv, &cfg) == -1, "no tree accepted");
    cfg.backend = NULL;
    CHECK(mlt_ml_kv_ro_init(&kv, &cfg) == -1, "no backend accepted");
    cfg.backend = &mlt_ml_kv_ro_backend_tar;
    CHECK(mlt_ml_kv_ro_init(&kv, &cfg) == -1, "tar without block accepted");
    mlt_fflush(mlt_ml_stderr_file);
    CHECK(strstr(console, "kv_ro site: embedded directory is malformed") &&
              strstr(console, "needs an embedded directory") &&
              strstr(console, "kv_ro site: no backend") &&
              strstr(console, "needs a block device"), "messages: %s", console);
}

/* ---- archives written by GNU tar ---------------------------------------- */

static uint8_t *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    uint8_t *d;
    long n;

    if (!f || fseek(f, 0, SEEK_END) || (n = ftell(f)) < 0 ||
        fseek(f, 0, SEEK_SET)) {
        perror(path);
        exit(2);
    }
    d = malloc((size_t)n + 1);
    if (fread(d, 1, (size_t)n, f) != (size_t)n) {
        perror(path);
        exit(2);
    }
    fclose(f);
    *len = (size_t)n;
    return d;
}

static void write_file(const char *dir, const struct file *f)
{
    char path[1024], *slash;
    FILE *o;

    snprintf(path, sizeof path, "%s/%s", dir, f->key);
    for (slash = strchr(path + strlen(dir) + 1, '/'); slash;
         slash = strchr(slash + 1, '/')) {
        *slash = 0;
        mkdir(path, 0755);
        *slash = '/';
    }
    o = fopen(path, "wb");
    if (!o || fwrite(f->data, 1, f->size, o) != f->size) {
        perror(path);
        exit(2);
    }
    fclose(o);
}

static char tmpdir[64];

static void sh(const char *fmt, const char *a, const char *b)
{
    char cmd[2048];
    snprintf(cmd, sizeof cmd, fmt, a, b);
    if (system(cmd) != 0) {
        fprintf(stderr, "failed: %s\n", cmd);
        exit(2);
    }
}

static uint8_t *gnu_archive(const char *format, size_t *len)
{
    char src[128], out[128], longdir[300];
    int i;
    bool v7 = strcmp(format, "v7") == 0, ustar = !strcmp(format, "ustar");

    clear_files();
    add_file("a.txt", 13);
    add_file("empty", 0);
    add_file("one-block", 512);
    add_file("block-plus-one", 513);
    add_file("sub/b.bin", 5000);
    add_file("sub/deeper/c", 1);
    add_file("big", 65536 + 7);
    if (!v7) {
        memset(longdir, 'x', 90);
        longdir[90] = 0;
        char k[400];
        snprintf(k, sizeof k, "long/%s/file-with-a-rather-long-name-%s", longdir,
                 "yyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyy");
        add_file(k, 700);
        char name100[101];
        memset(name100, 'n', 100);
        name100[100] = 0;
        add_file(name100, 3);      /* exactly fills the name field */
    }
    if (!v7 && !ustar) {
        char k[400];
        memset(longdir, 'd', 200);
        longdir[200] = 0;
        snprintf(k, sizeof k, "deep/%s/%s", longdir,
                 "eeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee"
                 "eeeeeeeeeeeeeeeeeeeeeeeeeeeeeee");
        add_file(k, 100);
    }
    snprintf(src, sizeof src, "%s/src-%s", tmpdir, format);
    snprintf(out, sizeof out, "%s/%s.tar", tmpdir, format);
    mkdir(src, 0755);
    for (i = 0; i < nfiles; i++)
        write_file(src, &files[i]);
    /* Not regular files: skipped by the index. */
    sh("mkdir -p %s/emptydir && ln -sf a.txt %s/link", src, src);
    if (!v7)
        sh("ln -f %s/a.txt %s/hardlink", src, src);
    {
        char cmd[1024];
        snprintf(cmd, sizeof cmd, "tar --format=%s --sort=name -C %s -cf %s .",
                 format, src, out);
        if (system(cmd) != 0) {
            fprintf(stderr, "failed: %s\n", cmd);
            exit(2);
        }
    }
    return slurp(out, len);
}

static void gnu_formats(void)
{
    static const char *const formats[] = { "gnu", "oldgnu", "ustar", "posix",
                                           "v7" };
    for (size_t i = 0; i < sizeof formats / sizeof formats[0]; i++) {
        size_t len;
        uint8_t *a = gnu_archive(formats[i], &len);
        char what[64];

        for (uint64_t bs = 512; bs <= 4096; bs *= 8) {
            snprintf(what, sizeof what, "%s/%llu", formats[i],
                     (unsigned long long)bs);
            /* GNU tar stores one of a.txt/hardlink as a hard link ('1'):
             * whichever comes second in name order, here "hardlink". */
            CHECK(open_tar(a, len, bs, 0) == 0, "%s: init: %s", what, console);
            verify(what);
        }
        free(a);
    }
}

/* ---- hand-made headers --------------------------------------------------- */

static uint8_t arch[1 << 20];
static size_t alen;

struct hdr_opt {
    const char *magic;     /* 8 bytes incl. version; NULL: POSIX ustar */
    const char *prefix;
    int base256;           /* size in GNU base-256 */
    const char *size_text; /* raw size field */
    int bad_sum;
};

static uint8_t *header(const char *name, uint64_t size, char type,
                       const struct hdr_opt *o)
{
    uint8_t *h = arch + alen;
    unsigned sum = 0;
    int i;

    memset(h, 0, 512);
    memcpy(h, name, strnlen(name, 100));
    memcpy(h + 100, "0000644", 8);
    memcpy(h + 108, "0000000", 8);
    memcpy(h + 116, "0000000", 8);
    if (o && o->size_text)
        memcpy(h + 124, o->size_text, strnlen(o->size_text, 12));
    else if (o && o->base256) {
        h[124] = 0x80;
        for (i = 0; i < 8; i++)
            h[135 - i] = (uint8_t)(size >> (8 * i));
    } else
        snprintf((char *)h + 124, 12, "%011llo", (unsigned long long)size);
    memcpy(h + 136, "14500000000", 12);
    h[156] = (uint8_t)type;
    memcpy(h + 257, o && o->magic ? o->magic : "ustar\0" "00", 8);
    if (o && o->prefix)
        memcpy(h + 345, o->prefix, strnlen(o->prefix, 155));
    memset(h + 148, ' ', 8);
    for (i = 0; i < 512; i++)
        sum += h[i];
    if (o && o->bad_sum)
        sum += 1;
    snprintf((char *)h + 148, 8, "%06o", sum);
    alen += 512;
    return h;
}

static void fix_sum(uint8_t *h)
{
    unsigned sum = 0;
    memset(h + 148, ' ', 8);
    for (int i = 0; i < 512; i++)
        sum += h[i];
    snprintf((char *)h + 148, 8, "%06o", sum);
}

static void data(const void *d, size_t n)
{
    memcpy(arch + alen, d, n);
    alen += (n + 511) / 512 * 512;
}

static void entry(const char *name, const char *content,
                  const struct hdr_opt *o)
{
    header(name, strlen(content), '0', o);
    data(content, strlen(content));
}

static void end_marker(void)
{
    memset(arch + alen, 0, 1024);
    alen += 1024;
}

static void reset(void)
{
    memset(arch, 0, sizeof arch);
    alen = 0;
    clear_files();
}

static void expect(const char *key, const char *content)
{
    add_file(key, 0);
    free(files[nfiles - 1].data);
    files[nfiles - 1].data = (uint8_t *)strdup(content);
    files[nfiles - 1].size = strlen(content);
}

static void pax_header(const char *records)
{
    header("PaxHeaders/x", strlen(records), 'x', NULL);
    data(records, strlen(records));
}

static void handmade(void)
{
    struct hdr_opt gnu = { .magic = "ustar  " };
    struct hdr_opt b256 = { .base256 = 1 };
    struct hdr_opt pre = { .prefix = "some/prefix" };
    struct hdr_opt spaces = { .size_text = "     5 " };
    char longname[3000];

    reset();
    entry("./plain", "hello", NULL);
    entry("/abs/path", "abs", NULL);
    entry("././dots", "dots", NULL);
    entry("gnu-magic", "g", &gnu);
    entry("name", "prefixed", &pre);
    entry("gnuprefix", "gnu prefix ignored", &(struct hdr_opt){
        .magic = "ustar  ", .prefix = "ignored" });
    entry("b256", "12345", &b256);
    entry("spaces", "spcs!", &spaces);
    entry("dup", "first", NULL);
    header("adir/", 0, '5', NULL);
    header("sym", 0, '2', NULL);
    header("hard", 999999999, '1', NULL); /* links carry no data */
    header("fifo", 0, '6', NULL);
    entry("dup", "second", NULL);
    entry("contig", "seven", &(struct hdr_opt){ .magic = "ustar\0" "00" });
    arch[alen - 512 - 512 + 156] = '7';
    fix_sum(arch + alen - 1024);
    /* GNU long name */
    memset(longname, 'L', 2999);
    longname[0] = 'q';
    longname[2999] = 0;
    header("././@LongLink", 3000, 'L', &gnu);
    data(longname, 3000);
    entry("truncated-name", "long one", &gnu);
    /* pax: path and size records, others ignored; a global header skipped */
    header("global", 13, 'g', NULL);
    data("9 a=bcde\n\n\n\n", 13);
    pax_header("30 mtime=1234567890.123456789\n17 path=pax/name\n");
    entry("ignored", "from pax", NULL);
    pax_header("9 size=3\n");
    header("paxsize", 999, '0', NULL);
    data("abc", 3);
    /* a file with no name at all: skipped with a warning */
    entry("", "nameless", NULL);
    entry("./", "dot", NULL);
    end_marker();
    entry("after-the-end", "not indexed", NULL);

    expect("plain", "hello");
    expect("abs/path", "abs");
    expect("dots", "dots");
    expect("gnu-magic", "g");
    expect("some/prefix/name", "prefixed");
    expect("gnuprefix", "gnu prefix ignored");
    expect("b256", "12345");
    expect("spaces", "spcs!");
    expect("dup", "second");
    expect("contig", "seven");
    expect(longname, "long one");
    expect("pax/name", "from pax");
    expect("paxsize", "abc");
    CHECK(open_tar(arch, alen, 512, 0) == 0, "handmade: %s", console);
    CHECK(strstr(console, "skipping the file without a usable name") != NULL,
          "nameless warning: %s", console);
    verify("handmade");
    CHECK(open_tar(arch, alen, 4096, 0) == 0, "handmade/4096: %s", console);
    verify("handmade/4096");

    /* No end-of-archive blocks: the device's end is the archive's. */
    reset();
    entry("only", "one file", NULL);
    expect("only", "one file");
    CHECK(open_tar(arch, alen, 512, 0) == 0, "no end marker: %s", console);
    verify("no end marker");

    /* An empty device is an empty archive. */
    reset();
    CHECK(open_tar(arch, 0, 512, 1024) == 0, "empty device");
    CHECK(mlt_ml_kv_ro_count(&kv) == 0, "empty: no keys");
}

/* ---- hostile input: errors, not crashes ---------------------------------- */

static void refused(const char *what, uint64_t bs, uint64_t cap,
                    const char *msg)
{
    int r = open_tar(arch, alen, bs, cap);
    CHECK(r == -1, "%s: accepted", what);
    CHECK(strstr(console, msg) != NULL, "%s: message '%s' not in: %s", what,
          msg, console);
    CHECK(strstr(console, "kv_ro store: tar archive on block tardisk") != NULL,
          "%s: message names the store: %s", what, console);
    CHECK(fake_disk.refused == 0, "%s: out-of-range request", what);
    CHECK(mlt_ml_heap_check() == 0, "%s: heap", what);
}

static void hostile(void)
{
    char big[70000];

    reset();
    entry("a", "aaaa", NULL);
    header("b", 4, '0', &(struct hdr_opt){ .bad_sum = 1 });
    data("bbbb", 4);
    end_marker();
    refused("bad checksum", 512, 0, "header at byte offset 1024: bad header "
            "checksum");

    reset();
    memset(arch, 'Z', 4096);
    alen = 4096;
    refused("not a tar", 512, 0, "header at byte offset 0: bad header checksum");

    reset();
    header("a", 0, '0', &(struct hdr_opt){ .size_text = "12x" });
    end_marker();
    refused("size not octal", 512, 0, "offset 0: malformed size field");

    reset();
    header("a", 0, '0', &(struct hdr_opt){ .size_text = "77777777777" });
    end_marker();
    refused("8 GiB file on a small device", 512, 0, "runs past the end");

    reset();
    header("a", 0, '0', &(struct hdr_opt){ .size_text = "\xff\xff\xff\xff" });
    refused("base-256 negative", 512, 0, "malformed size field");

    reset();
    {
        uint8_t *h = header("a", 0, '0', NULL);
        h[124] = 0x80;
        memset(h + 125, 0xff, 11);
        fix_sum(h);
    }
    refused("base-256 enormous", 512, 0, "malformed size field");

    reset();
    entry("a", "aaaa", NULL);
    header("b", 5000, '0', NULL);
    data("b", 1);
    refused("truncated data", 512, 2048, "offset 1024: entry of 5000 bytes "
            "runs past the end");

    reset();
    header("././@LongLink", 5000, 'L', NULL);
    memset(big, 'n', 5000);
    data(big, 5000);
    entry("x", "x", NULL);
    refused("long name too long", 512, 0, "GNU long name exceeds");

    reset();
    header("././@LongLink", 10, 'L', NULL);
    data("\0abc", 10);
    entry("x", "x", NULL);
    refused("empty long name", 512, 0, "malformed GNU long name");

    static const char *const bad_pax[] = {
        "5 a=b\n",             /* length too short for what follows */
        "100 path=x\n",        /* length past the header */
        "11 pathxyz\n",        /* no '=' */
        "x path=a\n",          /* no length */
        "10 path=ab",          /* no newline */
        "8 path=\n",           /* empty path */
        "12 size=-10\n",       /* not a number */
        "8 size=\n",           /* empty number */
        "33 size=999999999999999999999999\n",
    };
    for (size_t i = 0; i < sizeof bad_pax / sizeof bad_pax[0]; i++) {
        char what[64];
        reset();
        pax_header(bad_pax[i]);
        entry("x", "x", NULL);
        snprintf(what, sizeof what, "bad pax record %zu", i);
        refused(what, 512, 0, "malformed pax extended header");
    }

    reset();
    memset(big, ' ', sizeof big);
    header("PaxHeaders/x", sizeof big, 'x', NULL);
    data(big, sizeof big);
    refused("huge pax header", 512, 0, "pax header exceeds 64 KiB");

    reset();
    pax_header("22 size=9999999999999\n");
    header("x", 1, '0', NULL);
    data("x", 1);
    refused("pax size past the end", 512, 0, "runs past the end");

    /* An extended header with nothing after it: a warning, no entry. */
    reset();
    pax_header("17 path=pax/name\n");
    end_marker();
    CHECK(open_tar(arch, alen, 512, 0) == 0 && mlt_ml_kv_ro_count(&kv) == 0 &&
              strstr(console, "ends after an extended header"),
          "dangling pax header: %s", console);

    /* Device errors while indexing and while reading. */
    reset();
    entry("a", "aaaa", NULL);
    entry("b", "bbbb", NULL);
    end_marker();
    {
        struct ml_kv_ro_config cfg = { .name = "store", .block = &blk,
                                       .backend = &mlt_ml_kv_ro_backend_tar };
        uint8_t d[32];
        char buf[8];
        size_t got;
        CHECK(open_tar(arch, alen, 512, 0) == 0, "io: init");
        fake_disk.fail_after = fake_disk.reads;
        CHECK(mlt_ml_kv_ro_digest(&kv, "b", d) == -EIO, "io: digest error");
        CHECK(mlt_ml_kv_ro_get(&kv, "a", 0, buf, 4, &got) == -EIO, "io: get");
        fake_disk.fail_after = -1;
        CHECK(mlt_ml_kv_ro_get(&kv, "a", 0, buf, 4, &got) == 0 && got == 4 &&
                  !memcmp(buf, "aaaa", 4), "io: get after recovery");
        fake_disk.fail_after = fake_disk.reads + 1;
        console_reset();
        CHECK(mlt_ml_kv_ro_init(&kv, &cfg) == -1, "io: init error");
        mlt_fflush(mlt_ml_stderr_file);
        CHECK(strstr(console, "offset 1024: the block device failed to read"),
              "io: message %s", console);
        fake_disk.fail_after = -1;
    }
}

/* Random mutations of real archives, half with the checksum repaired so
 * the damage gets past the first check: init fails cleanly or indexes
 * something every call on which stays within the device. */
static int fuzz_list(const char *key, uint64_t size, void *arg)
{
    uint8_t buf[4096], d[32];
    size_t got;
    (void)size;
    (void)arg;
    mlt_ml_kv_ro_get(&kv, key, 0, buf, sizeof buf, &got);
    mlt_ml_kv_ro_get(&kv, key, size > 10 ? size - 10 : 0, buf, 100, &got);
    mlt_ml_kv_ro_digest(&kv, key, d);
    return 0;
}

static void fuzz(int rounds)
{
    static const char *const formats[] = { "gnu", "posix", "ustar" };
    uint8_t *orig[3], *a;
    size_t len[3];
    int ok = 0, bad = 0;

    for (int f = 0; f < 3; f++)
        orig[f] = gnu_archive(formats[f], &len[f]);
    a = malloc(len[0] + len[1] + len[2]);
    for (int r = 0; r < rounds; r++) {
        int f = (int)(rnd() % 3), nmut = 1 + (int)(rnd() % 8);
        size_t n = len[f];
        memcpy(a, orig[f], n);
        for (int m = 0; m < nmut; m++) {
            size_t blk512 = (size_t)(rnd() % (n / 512)), at;
            switch (rnd() % 4) {
            case 0: /* a size, type or name byte of some header */
                at = blk512 * 512 + (rnd() % 2 ? 124 + rnd() % 12 : rnd() % 160);
                break;
            case 1: /* the magic or prefix area */
                at = blk512 * 512 + 257 + rnd() % 255;
                break;
            default: /* anywhere */
                at = (size_t)(rnd() % n);
            }
            a[at] = rnd() % 3 ? (uint8_t)rnd() : (uint8_t)"0127x5L \0\x80\xff"[rnd() % 11];
            if (rnd() % 2)
                fix_sum(a + at / 512 * 512);
        }
        if (rnd() % 4 == 0)
            n = (size_t)(rnd() % n) / 512 * 512 + 512;  /* truncate */
        if (open_tar(a, n, rnd() % 4 ? 512 : 4096, 0) == 0) {
            ok++;
            mlt_ml_kv_ro_list(&kv, NULL, fuzz_list, NULL);
        } else {
            bad++;
            CHECK(strstr(console, "kv_ro store: ") != NULL,
                  "fuzz %d: failed without a message", r);
        }
        CHECK(fake_disk.refused == 0, "fuzz %d: out-of-range request", r);
        CHECK(mlt_ml_heap_check() == 0, "fuzz %d: heap", r);
    }
    printf("fuzz: %d rounds, %d indexed, %d refused\n", rounds, ok, bad);
    free(a);
    for (int f = 0; f < 3; f++)
        free(orig[f]);
}

int main(int argc, char **argv)
{
    int rounds = argc > 1 ? atoi(argv[1]) : 3000;

    snprintf(tmpdir, sizeof tmpdir, "/tmp/mlt_kvro_XXXXXX");
    if (!mkdtemp(tmpdir)) {
        perror("mkdtemp");
        return 2;
    }
    crunch();
    gnu_formats();
    handmade();
    hostile();
    fuzz(rounds);
    sh("rm -rf %s%s", tmpdir, "");
    clear_files();
    return report("kvro");
}

/* Preparing the VM's assets in the cache, once: Debian's kernel package
 * (apt-get download, nothing installed), its module index, and an
 * initramfs per module set. */
#include <archive.h>
#include <archive_entry.h>
#include <elf.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cache.h"
#include "digest.h"
#include "fsutil.h"
#include "vm.h"

/* The metapackage whose dependency names the current kernel. */
#define KERNEL_META "linux-image-amd64"

/* Runs argv in dir (NULL: here); its stdout into *out when out is given,
 * else to our stderr. Returns its exit status, or -1 if it did not run. */
static int run_cmd(char *const argv[], const char *dir, char **out)
{
    int pfd[2] = {-1, -1};
    if (out && pipe(pfd) < 0)
        return -1;
    pid_t pid = fork();
    if (pid < 0)
        return -1;
    if (pid == 0) {
        if (dir && chdir(dir) < 0)
            _exit(127);
        dup2(out ? pfd[1] : 2, 1);
        if (out) {
            close(pfd[0]);
            close(pfd[1]);
        }
        execvp(argv[0], argv);
        _exit(127);
    }
    struct strbuf sb;
    sb_init(&sb);
    if (out) {
        close(pfd[1]);
        char buf[4096];
        ssize_t n;
        while ((n = read(pfd[0], buf, sizeof buf)) > 0)
            sb_add(&sb, buf, (size_t)n);
        close(pfd[0]);
    }
    int st;
    while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
        ;
    if (out)
        *out = sb_detach(&sb);
    return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

/* The package the metapackage depends on, from apt-cache. */
static char *kernel_package(void)
{
    char *argv[] = {"apt-cache", "depends", "--important", KERNEL_META, NULL};
    char *out = NULL;
    int st = run_cmd(argv, NULL, &out);
    char *name = NULL;
    const char *p = out ? strstr(out, "Depends: ") : NULL;
    if (st == 0 && p) {
        p += 9;
        name = xstrndup(p, strcspn(p, " \n<>"));
    }
    free(out);
    if (!name)
        vm_err("apt-cache does not know %s: run 'apt-get update' (as root)", KERNEL_META);
    return name;
}

/* A kernel already in vm/ (the last by name), or NULL. */
static char *cached_kernel(const char *vmdir)
{
    struct strlist names = {0};
    char *found = NULL;
    if (list_dir(vmdir, &names))
        for (size_t i = names.n; i-- > 0 && !found;) {
            if (strncmp(names.v[i], "kernel-", 7) != 0)
                continue;
            char *d = path_join(vmdir, names.v[i]);
            char *m = path_join(d, "modules");
            if (is_file(m))
                found = d;
            else
                free(d);
            free(m);
        }
    sl_free(&names);
    return found;
}

/* Downloads the kernel package and indexes it into vm/kernel-STEM. */
static char *download_kernel(const char *root, const char *vmdir, bool quiet)
{
    char *pkg = kernel_package();
    if (!pkg)
        return NULL;
    char *tmp = cache_tmpdir(root);
    if (!tmp) {
        free(pkg);
        return NULL;
    }
    if (!quiet)
        vm_err("preparing the emulated VM (once): downloading %s with apt-get", pkg);
    char *argv[] = {"apt-get", "download", "-q", NULL, NULL, NULL, NULL};
    int ac = 3;
    if (geteuid() == 0) { /* else apt warns that its _apt user cannot write here */
        argv[ac++] = "-o";
        argv[ac++] = "APT::Sandbox::User=root";
    }
    argv[ac] = pkg;
    char *dir = NULL;
    struct strlist files = {0};
    int st = run_cmd(argv, tmp, NULL);
    if (st != 0)
        vm_err("'apt-get download %s' failed (status %d): run 'apt-get update' "
               "(as root) and try again", pkg, st);
    else if (!list_dir(tmp, &files) || files.n != 1 ||
             strlen(files.v[0]) < 5 ||
             strcmp(files.v[0] + strlen(files.v[0]) - 4, ".deb") != 0)
        vm_err("apt-get download left no single .deb in %s", tmp);
    else {
        char *stem = xstrndup(files.v[0], strlen(files.v[0]) - 4);
        char *deb = path_join(tmp, files.v[0]);
        char *kdir = path_join(tmp, "k");
        char *kdeb = path_join(kdir, "pkg.deb");
        if (!quiet)
            vm_err("preparing the emulated VM (once): indexing %s", files.v[0]);
        if (mkdir_p(kdir) == 0 && rename(deb, kdeb) == 0 && vm_deb_index(kdeb, kdir) == 0) {
            char *name = xasprintf("kernel-%s", stem);
            char *dest = path_join(vmdir, name);
            if (cache_install(kdir, dest) == 0)
                dir = dest;
            else
                free(dest);
            free(name);
        }
        free(stem);
        free(deb);
        free(kdir);
        free(kdeb);
    }
    rm_rf(tmp);
    sl_free(&files);
    free(tmp);
    free(pkg);
    return dir;
}

struct module {
    char *name, *path, *deps;
    int state; /* 0 unvisited, 1 visiting, 2 ordered */
};

struct modindex {
    struct module *m;
    size_t n;
};

static struct module *mod_find(struct modindex *ix, const char *name)
{
    for (size_t i = 0; i < ix->n; i++)
        if (strcmp(ix->m[i].name, name) == 0)
            return &ix->m[i];
    return NULL;
}

static int load_index(const char *kdir, struct modindex *ix)
{
    char *p = path_join(kdir, "modules");
    char *text = read_file(p, NULL);
    if (!text) {
        vm_err("cannot read %s: %s", p, strerror(errno));
        free(p);
        return -1;
    }
    free(p);
    size_t cap = 0;
    for (char *line = strtok(text, "\n"); line; line = strtok(NULL, "\n")) {
        char name[256], path[1024], deps[1024];
        if (sscanf(line, "%255s %1023s %1023s", name, path, deps) != 3)
            continue;
        if (ix->n == cap)
            ix->m = xrealloc(ix->m, (cap = cap ? 2 * cap : 1024) * sizeof *ix->m);
        ix->m[ix->n++] = (struct module){xstrdup(name), xstrdup(path),
                                         xstrdup(strcmp(deps, "-") ? deps : ""), 0};
    }
    free(text);
    return 0;
}

static void free_index(struct modindex *ix)
{
    for (size_t i = 0; i < ix->n; i++) {
        free(ix->m[i].name);
        free(ix->m[i].path);
        free(ix->m[i].deps);
    }
    free(ix->m);
}

/* Appends m's dependencies, then m, to order (a depth-first walk). */
static int order_module(struct modindex *ix, struct module *m, struct strlist *order)
{
    if (m->state == 2)
        return 0;
    if (m->state == 1) {
        vm_err("modules depend on each other in a cycle through %s", m->name);
        return -1;
    }
    m->state = 1;
    char *deps = xstrdup(m->deps), *save = NULL;
    for (char *d = strtok_r(deps, ",", &save); d; d = strtok_r(NULL, ",", &save)) {
        struct module *dm = mod_find(ix, d);
        if (!dm) {
            vm_err("module %s depends on %s, which the kernel package lacks", m->name, d);
            free(deps);
            return -1;
        }
        if (order_module(ix, dm, order) < 0) {
            free(deps);
            return -1;
        }
    }
    free(deps);
    m->state = 2;
    sl_push(order, xstrdup(m->name));
    return 0;
}

/* The host's busybox, if it is a static one (it runs before any library
 * is reachable). */
static char *static_busybox(void)
{
    const char *cands[] = {"/bin/busybox", "/usr/bin/busybox"};
    for (size_t i = 0; i < 2; i++) {
        size_t len;
        char *elf = read_file(cands[i], &len);
        if (!elf)
            continue;
        const Elf64_Ehdr *eh = (const void *)elf;
        bool dynamic = true;
        if (len >= sizeof *eh && memcmp(eh->e_ident, ELFMAG, SELFMAG) == 0 &&
            eh->e_phoff < len && eh->e_phnum <= (len - eh->e_phoff) / sizeof(Elf64_Phdr)) {
            const Elf64_Phdr *ph = (const void *)(elf + eh->e_phoff);
            dynamic = false;
            for (unsigned j = 0; j < eh->e_phnum; j++)
                dynamic |= ph[j].p_type == PT_INTERP;
        }
        free(elf);
        if (!dynamic)
            return xstrdup(cands[i]);
    }
    vm_err("the emulated VM needs a static busybox: apt-get install busybox-static");
    return NULL;
}

struct cpio {
    struct archive *a;
    const struct modindex *ix;
};

static int cpio_add(struct archive *a, const char *path, unsigned mode,
                    const void *data, size_t len)
{
    struct archive_entry *e = archive_entry_new();
    archive_entry_set_pathname(e, path);
    archive_entry_set_mode(e, mode);
    archive_entry_set_size(e, (la_int64_t)len);
    int r = archive_write_header(a, e);
    archive_entry_free(e);
    if (r != ARCHIVE_OK ||
        (len && archive_write_data(a, data, len) != (la_ssize_t)len)) {
        vm_err("writing the initramfs: %s", archive_error_string(a));
        return -1;
    }
    return 0;
}

static int cpio_add_module(void *ctx, const char *path, const void *data, size_t len)
{
    struct cpio *c = ctx;
    for (size_t i = 0; i < c->ix->n; i++)
        if (strcmp(c->ix->m[i].path, path) == 0) {
            char *dest = xasprintf("mod/%s.ko", c->ix->m[i].name);
            int r = cpio_add(c->a, dest, AE_IFREG | 0644, data, len);
            free(dest);
            return r;
        }
    return 0;
}

static int write_initrd(const char *out, const char *kdir, struct modindex *ix,
                        const struct strlist *order, const char *busybox)
{
    struct archive *a = archive_write_new();
    archive_write_set_format_cpio_newc(a);
    archive_write_add_filter_gzip(a);
    if (archive_write_open_filename(a, out) != ARCHIVE_OK) {
        vm_err("cannot write %s: %s", out, archive_error_string(a));
        archive_write_free(a);
        return -1;
    }
    const char *dirs[] = {"bin", "dev", "proc", "sys", "mnt", "job", "mod"};
    int r = 0;
    for (size_t i = 0; i < sizeof dirs / sizeof *dirs && r == 0; i++)
        r = cpio_add(a, dirs[i], AE_IFDIR | 0755, NULL, 0);
    size_t len = 0;
    char *bb = r == 0 ? read_file(busybox, &len) : NULL;
    if (r == 0 && !bb) {
        vm_err("cannot read %s: %s", busybox, strerror(errno));
        r = -1;
    }
    if (r == 0)
        r = cpio_add(a, "bin/busybox", AE_IFREG | 0755, bb, len);
    free(bb);
    if (r == 0)
        r = cpio_add(a, "init", AE_IFREG | 0755, vm_init_script, strlen(vm_init_script));
    struct strbuf list;
    sb_init(&list);
    struct strlist paths = {0};
    for (size_t i = 0; i < order->n; i++) {
        sb_printf(&list, "%s\n", order->v[i]);
        sl_push(&paths, xstrdup(mod_find(ix, order->v[i])->path));
    }
    if (r == 0)
        r = cpio_add(a, "mod/order", AE_IFREG | 0644, list.buf ? list.buf : "", list.len);
    sb_free(&list);
    char *deb = path_join(kdir, "pkg.deb");
    struct cpio c = {a, ix};
    if (r == 0 && paths.n)
        r = vm_deb_extract(deb, &paths, cpio_add_module, &c);
    free(deb);
    sl_free(&paths);
    if (archive_write_close(a) != ARCHIVE_OK && r == 0) {
        vm_err("writing %s: %s", out, archive_error_string(a));
        r = -1;
    }
    archive_write_free(a);
    return r;
}

/* A short key for what goes into an initramfs. */
static char *initrd_key(const char *kdir, const struct strlist *order, const char *busybox)
{
    struct strbuf sb;
    sb_init(&sb);
    sb_printf(&sb, "%s\n", kdir);
    for (size_t i = 0; i < order->n; i++)
        sb_printf(&sb, "%s,", order->v[i]);
    sb_printf(&sb, "\n%s\n", vm_init_script);
    unsigned char d[32];
    char hex[65];
    uint64_t size;
    if (sha256_file(busybox, d, &size) == 0) {
        sha256_hex(d, hex);
        sb_puts(&sb, hex);
    }
    sha256_buf_hex(sb.buf, sb.len, hex);
    sb_free(&sb);
    return xstrndup(hex, 16);
}

/* What the VM itself needs: PCI virtio, its ports and 9p, and for --tap a
 * NIC, tap devices and a bridge. */
static const char *const base_modules[] = {
    "virtio_pci", "virtio_console", "9pnet_virtio", "9p", "virtio_net", "tun", "bridge",
};

int vm_prepare(const struct strlist *modules, bool quiet, struct vm_assets *out)
{
    char *root = cache_root();
    if (!root)
        return VM_EXIT_NOSTART;
    char *vmdir = path_join(root, "vm");
    int r = VM_EXIT_NOSTART, lock = -1;
    char *kdir = NULL, *busybox = NULL, *key = NULL, *initrd = NULL;
    struct modindex ix = {0};
    struct strlist order = {0};
    if (mkdir_p(vmdir) < 0) {
        vm_err("cannot create %s: %s", vmdir, strerror(errno));
        goto out;
    }
    if ((lock = cache_lock(root, "vm")) < 0)
        goto out;
    if (!(kdir = cached_kernel(vmdir)) && !(kdir = download_kernel(root, vmdir, quiet)))
        goto out;
    if (load_index(kdir, &ix) < 0)
        goto out;
    size_t nbase = sizeof base_modules / sizeof *base_modules;
    for (size_t i = 0; i < nbase + modules->n; i++) {
        const char *name = i < nbase ? base_modules[i] : modules->v[i - nbase];
        struct module *m = mod_find(&ix, name);
        if (!m) {
            vm_err("the kernel in %s has no module '%s'", kdir, name);
            goto out;
        }
        if (order_module(&ix, m, &order) < 0)
            goto out;
    }
    if (!(busybox = static_busybox()))
        goto out;
    key = initrd_key(kdir, &order, busybox);
    char *name = xasprintf("initrd-%s.cpio.gz", key);
    initrd = path_join(vmdir, name);
    free(name);
    if (!is_file(initrd)) {
        char *tmp = xasprintf("%s.tmp.%d", initrd, (int)getpid());
        if (!quiet)
            vm_err("preparing the emulated VM (once): an initramfs with %zu modules",
                   order.n);
        int w = write_initrd(tmp, kdir, &ix, &order, busybox);
        if (w == 0 && rename(tmp, initrd) < 0) {
            vm_err("cannot write %s: %s", initrd, strerror(errno));
            w = -1;
        }
        if (w < 0) {
            unlink(tmp);
            free(tmp);
            goto out;
        }
        free(tmp);
    }
    out->kernel = path_join(kdir, "vmlinuz");
    out->initrd = initrd;
    initrd = NULL;
    r = 0;
out:
    cache_unlock(lock);
    free_index(&ix);
    sl_free(&order);
    free(kdir);
    free(busybox);
    free(key);
    free(initrd);
    free(vmdir);
    free(root);
    return r;
}

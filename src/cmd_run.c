/* mirleft run: build, then run the image with the target's runner, setting
 * its devices up, and return the unikernel's exit status. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cmd.h"
#include "diag.h"
#include "fsutil.h"
#include "paths.h"
#include "target.h"

extern char **environ;

struct binding {
    const char *name, *value; /* NAME=VALUE from --block / --net */
};

struct run_opts {
    struct binding blocks[64], nets[64];
    size_t nblocks, nnets;
    long mem;
    bool no_build;
    bool emulate;     /* --emulate: the runner inside mirleft-vm's VM */
    bool help;        /* the unikernel's --help: devices need not work */
};

/* mirleft run's own status for "the unikernel did not start": the runner
 * failed before the guest ran (mirleft(1), EXIT STATUS). No unikernel
 * status is 125: the runtime keeps its own to 0..124 (and 255). */
#define EXIT_NOSTART 125

static int add_binding(struct binding *b, size_t *n, const char *arg,
                       const char *opt)
{
    const char *eq = strchr(arg, '=');
    if (!eq || eq == arg || !eq[1])
        return usage_error(&cmd_run, "%s: expected NAME=VALUE, got '%s'", opt, arg);
    if (*n == 64)
        return usage_error(&cmd_run, "too many %s options", opt);
    b[*n].name = xstrndup(arg, (size_t)(eq - arg));
    b[*n].value = eq + 1;
    (*n)++;
    return -1;
}

static struct binding *find_binding(struct binding *b, size_t n,
                                    const struct rdev *d)
{
    for (size_t i = 0; i < n; i++)
        if (!strcmp(b[i].name, d->name) || !strcmp(b[i].name, d->host_name))
            return &b[i];
    return NULL;
}

/* "--block:{name}={file}" with the placeholders filled. */
static char *expand(const char *tmpl, const char *name, const char *value)
{
    struct strbuf sb;
    sb_init(&sb);
    for (const char *p = tmpl; *p;) {
        if (*p == '{') {
            const char *e = strchr(p, '}');
            if (e) {
                size_t n = (size_t)(e - p - 1);
                sb_puts(&sb, !strncmp(p + 1, "name", n) && n == 4 ? name : value);
                p = e + 1;
                continue;
            }
        }
        sb_add(&sb, p++, 1);
    }
    return sb_detach(&sb);
}

/* A block device given no file gets a sparse image of its declared size in
 * the build directory, created once and kept between runs. */
static char *default_disk(const char *bdir, const struct rdev *d)
{
    char *path = xasprintf("%s/%s.img", bdir, d->name);
    if (is_file(path))
        return path;
    uint64_t size = 64ull << 20;
    for (size_t i = 0; i < d->type->nparams; i++)
        if (!strcmp(d->type->params[i].name, "size") && d->params[i].value) {
            union vvalue v;
            if (!ml_arg_value_parse(ML_ARG_SIZE, d->params[i].value, &v))
                size = v.u;
        }
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    if (fd < 0 || ftruncate(fd, (off_t)size) < 0) {
        die_msg("cannot create the disk image %s: %s", path, strerror(errno));
        if (fd >= 0) {
            close(fd);
            unlink(path);
        }
        free(path);
        return NULL;
    }
    close(fd);
    fprintf(stderr, "mirleft: created %s (%llu bytes, sparse) for block device '%s'\n",
            path, (unsigned long long)size, d->name);
    return path;
}

/* After a --block/--net NAME that matched nothing: the nearest name of
 * that kind, else the names that would match. */
static void kind_hint(const struct graph *g, const char *kind,
                      const char *name)
{
    struct strbuf sb;
    const char *names[64];
    size_t n = 0;
    sb_init(&sb);
    for (size_t i = 0; i < g->n; i++)
        if (g->devs[i].type->solo5 && !strcmp(g->devs[i].type->solo5, kind)) {
            sb_printf(&sb, "%s%s", sb.len ? ", " : "", g->devs[i].name);
            if (n < 64)
                names[n++] = g->devs[i].name;
        }
    const char *near = nearest(name, names, n);
    if (near)
        fprintf(stderr, "hint: did you mean '%s'?\n", near);
    else if (sb.len)
        fprintf(stderr, "hint: the %s devices are: %s\n",
                strcmp(kind, "NET_BASIC") ? "block" : "net", sb.buf);
    else
        fprintf(stderr, "hint: %s declares no %s devices\n", g->cfg->name,
                strcmp(kind, "NET_BASIC") ? "block" : "net");
    sb_free(&sb);
}

/* Every --block/--net NAME must name a device of its kind: checked
 * before anything is attached, so a misspelt name is reported as such. */
static int check_bindings(const struct graph *g, struct run_opts *o)
{
    struct binding *lists[2] = {o->blocks, o->nets};
    size_t counts[2] = {o->nblocks, o->nnets};
    for (int l = 0; l < 2; l++)
        for (size_t i = 0; i < counts[l]; i++) {
            const char *kind = l ? "NET_BASIC" : "BLOCK_BASIC";
            bool found = false;
            for (size_t j = 0; j < g->n && !found; j++) {
                const struct rdev *d = &g->devs[j];
                found = d->type->solo5 && !strcmp(d->type->solo5, kind) &&
                        find_binding(&lists[l][i], 1, d);
            }
            if (!found) {
                die_msg("no %s device named '%s' in %s", l ? "net" : "block",
                        lists[l][i].name, g->cfg->name);
                kind_hint(g, kind, lists[l][i].name);
                return EXIT_USAGE;
            }
        }
    return 0;
}

static int device_args(const struct graph *g, struct run_opts *o,
                       const char *bdir, struct strlist *argv)
{
    const struct target *t = g->target;
    for (size_t i = 0; i < g->n; i++) {
        const struct rdev *d = &g->devs[i];
        if (!d->type->solo5)
            continue;
        bool is_block = !strcmp(d->type->solo5, "BLOCK_BASIC");
        struct binding *b = is_block ? find_binding(o->blocks, o->nblocks, d)
                                     : find_binding(o->nets, o->nnets, d);
        const char *tmpl = is_block ? t->block_option : t->net_option;
        char *value = NULL;
        if (b) {
            value = xstrdup(b->value);
        } else if (is_block) {
            value = default_disk(bdir, d);
            if (!value)
                return EXIT_FAIL;
        } else if (o->help && !o->emulate) {
            /* --help ends the unikernel before any frame moves: a socket
             * nobody listens on satisfies the tender's "attached" */
            int sv[2];
            if (socketpair(AF_UNIX, SOCK_DGRAM, 0, sv) < 0) {
                die_msg("cannot create a socket pair: %s", strerror(errno));
                return EXIT_FAIL;
            }
            close(sv[1]);
            value = xasprintf("@%d", sv[0]);
        } else {
            die_msg("net device '%s' needs a tap interface: --net %s=TAP",
                    d->name, d->name);
            return EXIT_USAGE;
        }
        if (!tmpl) {
            die_msg("target %s cannot attach %s devices", t->name, d->type->name);
            free(value);
            return EXIT_TARGET;
        }
        sl_push(argv, expand(tmpl, d->host_name, value));
        free(value);
    }
    return 0;
}

static int wait_child(pid_t pid)
{
    int st;
    /* The terminal's ^C reaches the unikernel; we wait to report it. */
    signal(SIGINT, SIG_IGN);
    while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
        ;
    if (WIFEXITED(st))
        return WEXITSTATUS(st);
    int sig = WTERMSIG(st);
    if (sig == SIGSYS)
        die_msg("the unikernel was killed by SIGSYS: it made a system call "
                "that the tender's seccomp filter forbids");
    else if (sig == SIGSEGV)
        die_msg("the unikernel was killed by SIGSEGV: a memory access fault "
                "(bad pointer, or a write to read-only memory)");
    else
        die_msg("the unikernel was killed by signal %d (%s)", sig, strsignal(sig));
    return 128 + sig;
}

/* Whether the host gives the runner what it needs (e.g. /dev/kvm); if
 * not, says what is missing and what to do. */
static bool host_ready(const struct target *t, const char *target)
{
    if (!t->emulate_device)
        return true;
    int fd = open(t->emulate_device, O_RDWR | O_CLOEXEC);
    if (fd >= 0) {
        close(fd);
        return true;
    }
    int err = errno;
    die_msg("%s cannot be used: %s", t->emulate_device, strerror(err));
    if (err == ENOENT && !strcmp(t->emulate_device, "/dev/kvm"))
        fputs("hint: load KVM (modprobe kvm_intel, or kvm_amd on AMD), where the CPU "
              "and the host allow it\n", stderr);
    else if (err == EACCES)
        fprintf(stderr, "hint: give %s access to %s (for /dev/kvm: add the user to "
                "the kvm group, then log in again)\n", getenv("USER") ? getenv("USER")
                : "this user", t->emulate_device);
    fprintf(stderr, "hint: or run it in an emulated VM, slowly: mirleft run -t %s "
            "--emulate\n", target);
    return false;
}

/* argv for mirleft-vm to run the runner inside its VM: the target's
 * modules, the build directory and each block file's directory
 * writable, each --net tap bridged in. */
static void emulate_argv(const struct target *t, const char *bdir,
                         const struct run_opts *o, struct strlist *argv)
{
    sl_push(argv, helper_path("mirleft-vm"));
    sl_push(argv, xstrdup("run"));
    for (size_t i = 0; i < t->emulate_modules.n; i++) {
        sl_push(argv, xstrdup("--module"));
        sl_push(argv, xstrdup(t->emulate_modules.v[i]));
    }
    if (t->emulate_mem) {
        sl_push(argv, xstrdup("--mem"));
        sl_push(argv, xasprintf("%ld", t->emulate_mem));
    }
    struct strlist dirs = {0};
    sl_push(&dirs, xstrdup(bdir));
    for (size_t i = 0; i < o->nblocks; i++) {
        char *file = realpath(o->blocks[i].value, NULL);
        if (!file)
            continue; /* the runner reports it */
        *strrchr(file, '/') = '\0';
        if (!*file || sl_contains(&dirs, file))
            free(file);
        else
            sl_push(&dirs, file);
    }
    for (size_t i = 0; i < dirs.n; i++) {
        sl_push(argv, xstrdup("--rw"));
        sl_push(argv, xstrdup(dirs.v[i]));
    }
    sl_free(&dirs);
    for (size_t i = 0; i < o->nnets; i++) {
        sl_push(argv, xstrdup("--tap"));
        sl_push(argv, xstrdup(o->nets[i].value));
    }
    sl_push(argv, xstrdup("--"));
}

static int run_image(struct project *p, const char *target,
                     const struct resolved *r, struct run_opts *o, int nargs,
                     char **args)
{
    int rc = 0;
    struct strlist argv = {0};
    char *bdir = project_build_dir(p, target);
    char *started = NULL;
    if (!r->target.runner) {
        die_msg("target %s has no runner: install dist/%s%s on the device",
                target, p->cfg.name, r->target.suffix);
        rc = EXIT_TARGET;
        goto out;
    }
    char *image = xasprintf("%s/dist/%s%s", p->dir, p->cfg.name, r->target.suffix);
    if (!is_file(image)) {
        die_msg("%s does not exist: run mirleft build -t %s", image, target);
        free(image);
        rc = EXIT_FAIL;
        goto out;
    }
    const struct target *t = &r->target;
    if (o->emulate && !t->emulate_device) {
        die_msg("target %s runs without an emulated VM (--emulate is for "
                "runners that need a host device, as hvt needs /dev/kvm)", target);
        rc = EXIT_USAGE;
        goto out;
    }
    if (o->emulate)
        emulate_argv(t, bdir, o, &argv);
    else if (!host_ready(t, target)) {
        rc = EXIT_NOSTART;
        goto out;
    }
    if (t->reports_start) {
        started = xasprintf("%s/.started", bdir);
        unlink(started);
        setenv("MIRLEFT_STARTED_FILE", started, 1);
    }
    sl_push(&argv, helper_path(r->target.runner));
    /* no --mem and none in target.yml: the tender's own default */
    long mem = o->mem ? o->mem : r->target.runner_mem;
    if (mem)
        sl_push(&argv, xasprintf("--mem=%ld", mem));
    rc = device_args(&r->graph, o, bdir, &argv);
    sl_push(&argv, image);
    for (int i = 0; i < nargs; i++)
        sl_push(&argv, xstrdup(args[i]));
    if (rc)
        goto out;
    sl_push(&argv, NULL);
    argv.n--;
    fflush(stdout);
    pid_t pid;
    int err = posix_spawnp(&pid, argv.v[0], NULL, NULL, argv.v, environ);
    if (err) {
        die_msg("cannot run %s: %s", argv.v[0], strerror(err));
        rc = EXIT_FAIL;
        goto out;
    }
    rc = wait_child(pid);
    if (started && !is_file(started) && rc != 0 && rc < 128) {
        /* the runner's own failure (it said why), not the unikernel's */
        die_msg("the unikernel did not start: %s failed before the guest ran "
                "(status %d)", r->target.runner, rc);
        rc = EXIT_NOSTART;
    }
out:
    if (started)
        unlink(started);
    free(started);
    sl_free(&argv);
    free(bdir);
    return rc;
}

/* The build, with its progress on stderr: stdout carries only what the
 * unikernel prints. A build that made a new image ends with one line
 * naming it and its size. */
static int build_quietly(struct project *p, const char *target,
                         const struct resolved *r)
{
    char *image = xasprintf("%s/dist/%s%s", p->dir, p->cfg.name, r->target.suffix);
    struct stat before, after;
    bool had = stat(image, &before) == 0;
    fflush(stdout);
    int saved = dup(1);
    if (saved >= 0)
        dup2(2, 1);
    int rc = build_resolved(p, target, r, (int)sysconf(_SC_NPROCESSORS_ONLN), false);
    fflush(stdout);
    if (saved >= 0) {
        dup2(saved, 1);
        close(saved);
    }
    if (rc == 0 && stat(image, &after) == 0 &&
        (!had || after.st_mtim.tv_sec != before.st_mtim.tv_sec ||
         after.st_mtim.tv_nsec != before.st_mtim.tv_nsec || after.st_ino != before.st_ino))
        fprintf(stderr, "mirleft: built dist/%s%s (%lld bytes)\n", p->cfg.name,
                r->target.suffix, (long long)after.st_size);
    free(image);
    return rc;
}

static int run(int argc, char **argv)
{
    static const struct option lo[] = {
        COMMON_LONGOPTS, OFFLINE_LONGOPT, {"mem", required_argument, 0, 'm'},
        {"block", required_argument, 0, 'b'}, {"net", required_argument, 0, 'N'},
        {"no-build", no_argument, 0, 'B'}, {"emulate", no_argument, 0, 'E'},
        {0, 0, 0, 0}};
    struct common co;
    struct run_opts o = {0};
    int c, r;
    common_init(&co);
    reset_getopt();
    /* '+': stop at the first non-option; ARGS after "--" go to the unikernel. */
    while ((c = getopt_long(argc, argv, "+" COMMON_SHORTOPTS "m:b:N:", lo, NULL)) != -1) {
        if ((r = common_opt(&cmd_run, c, &co)) >= 0)
            return r;
        if (r == -1)
            continue;
        if (c == 'm') {
            char *end;
            o.mem = strtol(optarg, &end, 10);
            if (*end || o.mem < 1 || o.mem > 65536)
                return usage_error(&cmd_run, "--mem: expected MiB from 1 to 65536, got '%s'", optarg);
        } else if (c == 'b') {
            if ((r = add_binding(o.blocks, &o.nblocks, optarg, "--block")) >= 0)
                return r;
        } else if (c == 'N') {
            if ((r = add_binding(o.nets, &o.nnets, optarg, "--net")) >= 0)
                return r;
        } else if (c == 'B') {
            o.no_build = true;
        } else if (c == 'E') {
            o.emulate = true;
        }
    }
    for (int i = optind; i < argc; i++)
        o.help |= !strcmp(argv[i], "--help");
    struct project p;
    struct resolved res = {0};
    r = project_load(&p, co.file);
    p.libs_opts.offline = co.offline;
    if (!r)
        r = project_resolve(&p, co.target, &res);
    if (!r)
        r = check_bindings(&res.graph, &o);
    if (!r && !o.no_build)
        r = build_quietly(&p, co.target, &res);
    if (!r)
        r = run_image(&p, co.target, &res, &o, argc - optind, argv + optind);
    resolved_free(&res);
    project_free(&p);
    for (size_t i = 0; i < o.nblocks; i++)
        free((char *)o.blocks[i].name);
    for (size_t i = 0; i < o.nnets; i++)
        free((char *)o.nets[i].name);
    return r;
}

const struct command cmd_run = {
    "run", run, "build, then run the image with the target's runner",
    "usage: mirleft run [-t TARGET] [-f FILE] [--mem MIB] [--block NAME=FILE]...\n"
    "                   [--net NAME=TAP]... [--no-build] [--emulate] [-- ARGS...]\n"
    "\n"
    "Build the image (unless --no-build; progress on stderr), then run it with\n"
    "the target's runner (spt: mirleft-spt). ARGS after -- go to the unikernel,\n"
    "e.g. -- --hello=Hi. A block device without --block gets a sparse disk\n"
    "image of its declared size in _build/TARGET/NAME.img. The exit status is\n"
    "the unikernel's (0-124, 255 for an abort); 125 if it did not start (the\n"
    "runner failed first: no /dev/kvm, a missing tap, a bad disk); 128+signal\n"
    "if a signal killed it.\n"
    "\n"
    "  -t, --target TARGET  target to run (default: spt)\n"
    "  -f, --file FILE      configuration file (default: unikernel.yml)\n"
    "      --mem MIB        guest memory in MiB (default: the target's)\n"
    "      --block NAME=FILE  back block device NAME with FILE\n"
    "      --net NAME=TAP   attach net device NAME to tap interface TAP\n"
    "      --no-build       run the existing image without building\n"
    "      --emulate        hvt without KVM: run inside an emulated VM (slow)\n"
    "  -h, --help           show this help\n",
};

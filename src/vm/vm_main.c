/* mirleft-vm: the command line. `prepare` fills the cache; `run` boots the
 * VM for one command. mirleft run --emulate and the test harness
 * (tests/run) both call it. */
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fsutil.h"
#include "vm.h"

void vm_err(const char *fmt, ...)
{
    va_list ap;
    fputs("mirleft-vm: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
}

static int usage(void)
{
    fputs("usage: mirleft-vm prepare [--module NAME[,NAME...]]... [-q]\n"
          "       mirleft-vm run [--module NAME[,NAME...]]... [--mem MIB] [--rw DIR]...\n"
          "                      [--tmpfs DIR]... [--tap IFACE]... [--timeout S] [-C DIR]\n"
          "                      [-q] -- COMMAND [ARG...]\n",
          stderr);
    return 2;
}

/* An absolute, existing directory for path; NULL after saying why. */
static char *abs_dir(const char *opt, const char *path)
{
    char *r = realpath(path, NULL);
    if (!r || !is_dir(r)) {
        vm_err("%s %s: %s", opt, path, r ? "not a directory" : strerror(errno));
        free(r);
        return NULL;
    }
    return r;
}

static bool number(const char *opt, const char *s, int lo, int hi, int *out)
{
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (errno || end == s || *end || v < lo || v > hi) {
        vm_err("%s: expected a whole number from %d to %d, not '%s'", opt, lo, hi, s);
        return false;
    }
    *out = (int)v;
    return true;
}

int main(int argc, char **argv)
{
    if (argc < 2)
        return usage();
    const char *cmd = argv[1];
    bool run = strcmp(cmd, "run") == 0;
    if (!run && strcmp(cmd, "prepare") != 0) {
        if (strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0) {
            usage();
            return 0;
        }
        vm_err("unknown command '%s' (prepare or run)", cmd);
        return usage();
    }
    struct strlist modules = {0};
    struct vm_job job = {.mem_mib = 1024};
    char *cwd = NULL;
    int i;
    for (i = 2; i < argc; i++) {
        const char *o = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (strcmp(o, "--") == 0) {
            i++;
            break;
        }
        if (strcmp(o, "-q") == 0) {
            job.quiet = true;
            continue;
        }
        bool takes = !strcmp(o, "--module") || !strcmp(o, "--mem") || !strcmp(o, "--rw") ||
                     !strcmp(o, "--tmpfs") || !strcmp(o, "--tap") ||
                     !strcmp(o, "--timeout") || !strcmp(o, "-C");
        if (!takes) {
            vm_err("unknown option '%s'", o);
            return usage();
        }
        if (!v) {
            vm_err("%s needs a value", o);
            return usage();
        }
        i++;
        if (!strcmp(o, "--module")) {
            char *copy = xstrdup(v), *save = NULL;
            for (char *m = strtok_r(copy, ",", &save); m; m = strtok_r(NULL, ",", &save)) {
                for (char *p = m; *p; p++)
                    if (*p == '-')
                        *p = '_';
                if (!sl_contains(&modules, m))
                    sl_push(&modules, xstrdup(m));
            }
            free(copy);
        } else if (!strcmp(o, "--mem")) {
            if (!number(o, v, 64, 65536, &job.mem_mib))
                return 2;
        } else if (!strcmp(o, "--timeout")) {
            if (!number(o, v, 1, INT_MAX, &job.timeout_s))
                return 2;
        } else if (!strcmp(o, "--tap")) {
            if (!*v || strlen(v) > 15) {
                vm_err("--tap %s: not an interface name", v);
                return 2;
            }
            sl_push(&job.taps, xstrdup(v));
        } else {
            char *d = abs_dir(o, v);
            if (!d)
                return 2;
            if (!strcmp(o, "-C")) {
                free(cwd);
                cwd = d;
            } else
                sl_push(!strcmp(o, "--rw") ? &job.rw : &job.tmpfs, d);
        }
    }
    if (run && i >= argc) {
        vm_err("run: no command given (after --)");
        return usage();
    }
    if (!run && i < argc)
        return usage();
    struct vm_assets assets = {0};
    int st = vm_prepare(&modules, job.quiet, &assets);
    if (st == 0 && !run)
        printf("kernel %s\ninitrd %s\n", assets.kernel, assets.initrd);
    if (st == 0 && run) {
        if (!cwd && !(cwd = getcwd(NULL, 0))) {
            vm_err("cannot read the current directory: %s", strerror(errno));
            return VM_EXIT_NOSTART;
        }
        job.cwd = cwd;
        job.argv = argv + i;
        st = vm_run(&assets, &job);
    }
    free(assets.kernel);
    free(assets.initrd);
    free(cwd);
    sl_free(&modules);
    sl_free(&job.rw);
    sl_free(&job.tmpfs);
    sl_free(&job.taps);
    return st;
}

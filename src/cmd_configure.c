#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "cmd.h"
#include "diag.h"
#include "fsutil.h"
#include "target.h"

int configure_target(struct project *p, const char *tname, bool dry_run,
                     bool quiet)
{
    struct resolved r;
    int rc = project_resolve(p, tname, &r);
    if (!rc)
        rc = configure_resolved(p, tname, &r, dry_run, quiet);
    resolved_free(&r);
    return rc;
}

int configure_resolved(struct project *p, const char *tname,
                       const struct resolved *r, bool dry_run, bool quiet)
{
    struct genset gs = {0};
    int rc = 0;
    if (!target_ready(&r->target)) {
        die_msg("target '%s' is described but not buildable yet (status: %s)",
                tname, r->target.status);
        rc = EXIT_TARGET;
        goto out;
    }
    if ((rc = project_libs(p)))
        goto out;
    if (!project_generate(p, r, &gs)) {
        rc = EXIT_FAIL;
        goto out;
    }
    char *dir = project_build_dir(p, tname);
    if (!dry_run && mkdir_p(dir) < 0) {
        die_msg("cannot create %s: %s", dir, strerror(errno));
        rc = EXIT_FAIL;
    }
    if (!dry_run && !rc)
        remove_stale_tmp(dir);
    size_t written = 0;
    for (size_t i = 0; i < gs.n && !rc; i++) {
        char *path = path_join(dir, gs.f[i].name);
        if (dry_run) {
            size_t len;
            char *old = read_file(path, &len);
            const char *state = !old ? "new"
                : (len == gs.f[i].len && !memcmp(old, gs.f[i].data, len))
                    ? "unchanged" : "changed";
            printf("_build/%s/%s (%s, %zu bytes)\n", tname, gs.f[i].name,
                   state, gs.f[i].len);
            free(old);
        } else {
            int w = write_atomic(path, gs.f[i].data, gs.f[i].len);
            if (w < 0) {
                die_msg("cannot write %s: %s", path, strerror(errno));
                rc = EXIT_FAIL;
            }
            written += w > 0;
        }
        free(path);
    }
    if (!rc && !dry_run)
        compdb_link(p->dir, tname, quiet);
    if (!rc && !dry_run && !quiet)
        printf("configured %s for %s in _build/%s (%zu of %zu files "
               "changed)\n", p->cfg.name, tname, tname, written, gs.n);
    free(dir);
out:
    genset_free(&gs);
    return rc;
}

const struct option configure_options[] = {
    COMMON_LONGOPTS, OFFLINE_LONGOPT, {"dry-run", no_argument, 0, 'n'}, {0, 0, 0, 0}};

static int run(int argc, char **argv)
{
    struct common co;
    bool dry = false;
    int c, r;
    common_init(&co);
    reset_getopt();
    while ((c = getopt_long(argc, argv, COMMON_SHORTOPTS "n", configure_options, NULL)) != -1) {
        if ((r = common_opt(&cmd_configure, c, &co)) >= 0)
            return r;
        if (c == 'n')
            dry = true;
    }
    if (optind < argc)
        return usage_error(&cmd_configure, "unexpected argument '%s'",
                           argv[optind]);
    struct project p;
    r = project_load(&p, co.file);
    p.libs_opts.offline = co.offline;
    if (!r)
        r = configure_target(&p, co.target, dry, false);
    project_free(&p);
    return r;
}

const struct command cmd_configure = {
    "configure", run, "check unikernel.yml and generate _build/TARGET",
    "usage: mirleft configure [-t TARGET] [-f FILE] [--dry-run]\n"
    "\n"
    "Check the version bound, validate the configuration, resolve every\n"
    "device for TARGET and write the generated files (main.c, devices.h,\n"
    "args.c, Makefile and, for Solo5 targets, manifest.c) under\n"
    "_build/TARGET/. Unchanged files are left untouched.\n"
    "\n"
    "  -t, --target TARGET  target to configure for (default: spt)\n"
    "  -f, --file FILE      configuration file (default: unikernel.yml)\n"
    "  -n, --dry-run        list the files that would be written, write none\n"
    "  -h, --help           show this help\n",
};

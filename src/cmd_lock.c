#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "cmd.h"
#include "diag.h"
#include "fsutil.h"
#include "libs.h"

const struct option lock_options[] = {
    COMMON_LONGOPTS, OFFLINE_LONGOPT, {"update", no_argument, 0, 'u'},
    {0, 0, 0, 0}};

static int run(int argc, char **argv)
{
    struct common co;
    bool update = false;
    int c, r;
    common_init(&co);
    reset_getopt();
    while ((c = getopt_long(argc, argv, COMMON_SHORTOPTS "u", lock_options, NULL)) != -1) {
        if ((r = common_opt(&cmd_lock, c, &co)) >= 0)
            return r;
        update |= c == 'u';
    }
    const char *name = NULL;
    if (update && optind < argc)
        name = argv[optind++];
    if (optind < argc)
        return usage_error(&cmd_lock, "unexpected argument '%s'", argv[optind]);
    struct project p;
    r = project_load(&p, co.file);
    if (!r && name) {
        const char *names[256];
        size_t n = 0;
        bool found = false;
        for (; n < p.cfg.nlibs && n < 256; n++) {
            names[n] = p.cfg.libs[n].name;
            found |= !strcmp(names[n], name);
        }
        if (!found)
            r = unknown_name("mirleft lock", "library", name, names, n, "",
                             "mirleft pull");
    }
    p.libs_opts.offline = co.offline;
    p.libs_opts.update_all = update && !name;
    p.libs_opts.update = name;
    if (!r)
        r = project_libs(&p);
    if (!r) {
        char *path = lock_path_for(co.file);
        char *text = lock_render(&p.cfg);
        int w = write_atomic(path, text, strlen(text));
        if (w < 0) {
            die_msg("cannot write %s: %s", path, strerror(errno));
            r = EXIT_FAIL;
        } else {
            printf("%s %s (%zu librar%s)\n", w ? "wrote" : "unchanged", path,
                   p.cfg.nlibs, p.cfg.nlibs == 1 ? "y" : "ies");
        }
        free(text);
        free(path);
    }
    project_free(&p);
    return r;
}

const struct command cmd_lock = {
    "lock", run, "pin the libraries in unikernel.lock",
    "usage: mirleft lock [-f FILE] [--update [LIBRARY]] [--offline]\n"
    "\n"
    "Resolve every library and write unikernel.lock beside the configuration:\n"
    "for each, where it comes from and exactly what is used (the archive's\n"
    "sha256, the commit a git rev resolved to). configure, build and pull use\n"
    "the lock; when a locked tag or branch has moved upstream they stop with\n"
    "exit status 6 until the move is accepted with --update.\n"
    "\n"
    "  -f, --file FILE          configuration file (default: unikernel.yml)\n"
    "  -u, --update [LIBRARY]   re-resolve LIBRARY (or every library) instead\n"
    "                           of keeping what the lock says\n"
    "      --offline            use the cache only\n"
    "  -h, --help               show this help\n",
};

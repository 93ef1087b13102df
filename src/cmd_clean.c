#include <errno.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "diag.h"
#include "fsutil.h"

static int run(int argc, char **argv)
{
    struct common co;
    int r = common_only(&cmd_clean, argc, argv, &co);
    if (r >= 0)
        return r;
    if (optind < argc)
        return usage_error(&cmd_clean, "unexpected argument '%s'", argv[optind]);
    /* Only a directory holding the configuration file is a project: never
     * delete _build/ somewhere else by mistake. */
    if (!is_file(co.file)) {
        die_msg("%s not found: not a mirleft project directory", co.file);
        return EXIT_FAIL;
    }
    char *copy = xstrdup(co.file);
    const char *dir = dirname(copy);
    const char *sub[] = {"_build", "dist"};
    r = 0;
    for (int i = 0; i < 2; i++) {
        char *p = path_join(dir, sub[i]);
        if (rm_rf(p) < 0) {
            die_msg("cannot remove %s: %s", p, strerror(errno));
            r = EXIT_FAIL;
        }
        free(p);
    }
    compdb_unlink(dir);
    free(copy);
    return r;
}

const struct command cmd_clean = {
    "clean", run, "remove _build/ and dist/",
    "usage: mirleft clean [-f FILE]\n"
    "\n"
    "Remove the project's _build/ and dist/ directories, and nothing else.\n"
    "\n"
    "  -f, --file FILE  configuration file of the project (default: unikernel.yml)\n"
    "  -h, --help       show this help\n",
};

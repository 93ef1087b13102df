#include <stdio.h>
#include <string.h>

#include "cmd.h"
#include "diag.h"
#include "target.h"

static int check_one(struct project *p, const char *t, bool quiet)
{
    struct resolved r;
    int rc = project_resolve(p, t, &r);
    if (!rc && !quiet)
        printf("%s: ok for %s%s\n", p->file, t,
               target_ready(&r.target) ? "" : " (target not buildable yet)");
    resolved_free(&r);
    return rc;
}

/* Keeps going past a failing target, so one run reports every target's
 * errors; the exit code is the first failure's. */
static int check_all(struct project *p, bool quiet)
{
    int r = 0;
    for (size_t i = 0; i < p->targets.n; i++) {
        int one = check_one(p, p->targets.v[i], quiet);
        if (one && !r)
            r = one;
    }
    return r;
}

const struct option check_options[] = {
    COMMON_LONGOPTS, {"all-targets", no_argument, 0, 'a'},
    {"quiet", no_argument, 0, 'q'}, {0, 0, 0, 0}};

static int run(int argc, char **argv)
{
    struct common co;
    bool all = false, quiet = false, target_given = false;
    int c, r;
    common_init(&co);
    reset_getopt();
    while ((c = getopt_long(argc, argv, COMMON_SHORTOPTS "aq", check_options, NULL)) != -1) {
        if ((r = common_opt(&cmd_check, c, &co)) >= 0)
            return r;
        target_given |= c == 't';
        all |= c == 'a';
        quiet |= c == 'q';
    }
    if (optind < argc)
        return usage_error(&cmd_check, "unexpected argument '%s'", argv[optind]);
    if (all && target_given)
        return usage_error(&cmd_check, "give -t TARGET or --all-targets, not both");
    struct project p;
    r = project_load(&p, co.file);
    if (!r)
        r = all ? check_all(&p, quiet) : check_one(&p, co.target, quiet);
    project_free(&p);
    return r;
}

const struct command cmd_check = {
    "check", run, "validate unikernel.yml without writing anything",
    "usage: mirleft check [-t TARGET | --all-targets] [-f FILE] [-q]\n"
    "\n"
    "Check the version bound, validate the configuration and resolve its\n"
    "devices for TARGET (or for every target), writing nothing. Meant for a\n"
    "project's CI: the exit code says what is wrong (see mirleft(1)).\n"
    "\n"
    "  -t, --target TARGET  target to check against (default: spt)\n"
    "  -a, --all-targets    check against every target mirleft knows\n"
    "  -f, --file FILE      configuration file (default: unikernel.yml)\n"
    "  -q, --quiet          print nothing on success\n"
    "  -h, --help           show this help\n",
};

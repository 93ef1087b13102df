#include <errno.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cmd.h"
#include "diag.h"

extern char **environ;

static int make_target(struct project *p, const char *target, int jobs,
                       bool verbose);

int build_target(struct project *p, const char *target, int jobs,
                 bool verbose)
{
    int rc = configure_target(p, target, false, true);
    return rc ? rc : make_target(p, target, jobs, verbose);
}

int build_resolved(struct project *p, const char *target,
                   const struct resolved *r, int jobs, bool verbose)
{
    int rc = configure_resolved(p, target, r, false, true);
    return rc ? rc : make_target(p, target, jobs, verbose);
}

/* Runs the generated Makefile. */
static int make_target(struct project *p, const char *target, int jobs,
                       bool verbose)
{
    char *dir = project_build_dir(p, target);
    char jarg[32];
    snprintf(jarg, sizeof jarg, "-j%d", jobs);
    /* make -s would also silence the command lines that V=1 asks for, so
     * verbose leaves it out. */
    char *argv[] = {"make", "--no-print-directory", "-C", dir, jarg,
                    verbose ? "V=1" : "V=0", "all", verbose ? NULL : "-s",
                    NULL};
    pid_t pid;
    int st = posix_spawnp(&pid, "make", NULL, NULL, argv, environ);
    if (st) {
        die_msg("cannot run make: %s", strerror(st));
        free(dir);
        return EXIT_FAIL;
    }
    while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
        ;
    free(dir);
    if (!WIFEXITED(st) || WEXITSTATUS(st)) {
        die_msg("build of %s for %s failed", p->cfg.name, target);
        return EXIT_FAIL;
    }
    return 0;
}

static int default_jobs(void)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n > 0 ? (int)n : 1;
}

static int run(int argc, char **argv)
{
    static const struct option lo[] = {
        COMMON_LONGOPTS, OFFLINE_LONGOPT, {"jobs", required_argument, 0, 'j'},
        {"verbose", no_argument, 0, 'v'}, {0, 0, 0, 0}};
    struct common co;
    bool verbose = false;
    int jobs = default_jobs(), c, r;
    common_init(&co);
    reset_getopt();
    while ((c = getopt_long(argc, argv, COMMON_SHORTOPTS "j:v", lo, NULL)) != -1) {
        if ((r = common_opt(&cmd_build, c, &co)) >= 0)
            return r;
        if (c == 'v')
            verbose = true;
        if (c == 'j') {
            char *end;
            long n = strtol(optarg, &end, 10);
            if (*end || n < 1 || n > 1024)
                return usage_error(&cmd_build, "-j: expected a number of jobs "
                                   "from 1 to 1024, got '%s'", optarg);
            jobs = (int)n;
        }
    }
    if (optind < argc)
        return usage_error(&cmd_build, "unexpected argument '%s'", argv[optind]);
    struct project p;
    r = project_load(&p, co.file);
    p.libs_opts.offline = co.offline;
    if (!r)
        r = build_target(&p, co.target, jobs, verbose);
    project_free(&p);
    return r;
}

const struct command cmd_build = {
    "build", run, "configure, then compile dist/NAME.TARGET",
    "usage: mirleft build [-t TARGET] [-f FILE] [-j JOBS] [-v]\n"
    "\n"
    "Configure (rewriting only generated files that changed), then compile\n"
    "the runtime, the target's bindings, the device implementations and the\n"
    "application into dist/NAME.SUFFIX. Only what changed is recompiled.\n"
    "\n"
    "  -t, --target TARGET  target to build for (default: spt)\n"
    "  -f, --file FILE      configuration file (default: unikernel.yml)\n"
    "  -j, --jobs N         parallel compile jobs (default: online CPUs)\n"
    "  -v, --verbose        show the compiler command lines\n"
    "  -h, --help           show this help\n",
};

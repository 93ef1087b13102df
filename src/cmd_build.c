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
#include "elfsyms.h"
#include "fsutil.h"
#include "json.h"

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

/* Runs the generated Makefile's goal. */
static int run_make(const char *dir, const char *goal, int jobs, bool verbose)
{
    char jarg[32];
    snprintf(jarg, sizeof jarg, "-j%d", jobs);
    /* make -s would also silence the command lines that V=1 asks for, so
     * verbose leaves it out. */
    char *argv[] = {"make", "--no-print-directory", "-C", (char *)dir, jarg,
                    verbose ? "V=1" : "V=0", (char *)goal, verbose ? NULL : "-s",
                    NULL};
    pid_t pid;
    int st = posix_spawnp(&pid, "make", NULL, NULL, argv, environ);
    if (st) {
        die_msg("cannot run make: %s", strerror(st));
        return -1;
    }
    while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
        ;
    return WIFEXITED(st) && !WEXITSTATUS(st) ? 0 : 1;
}

/* The functions the application's and the libraries' objects define. */
static void defined_functions(const struct config *c, const char *dir,
                              struct strlist *out)
{
    for (size_t i = 0; i < c->sources.n; i++) {
        const char *f = c->sources.v[i];
        char *o = xasprintf("%s/obj/app/%.*s.o", dir, (int)strlen(f) - 2, f);
        elf_defined_functions(o, out);
        free(o);
    }
    for (size_t i = 0; i < c->nlibs; i++)
        for (size_t j = 0; j < c->libs[i].files.n; j++) {
            const char *f = c->libs[i].files.v[j];
            char *o = xasprintf("%s/obj/lib/%s/%.*s.o", dir, c->libs[i].name,
                                (int)strlen(f) - 2, f);
            elf_defined_functions(o, out);
            free(o);
        }
}

/* An entry function no source defines is the configuration's mistake:
 * reported at the entry key with the nearest defined function, before the
 * linker would call it an undefined reference from generated code. */
static int check_entry(struct project *p, const char *dir)
{
    const struct config *c = &p->cfg;
    struct strlist fns = {0};
    defined_functions(c, dir, &fns);
    int rc = 0;
    if (!sl_contains(&fns, c->entry)) {
        struct pos at = c->entry_pos;
        diag_error(&p->d, at.line, at.col, EXIT_CONFIG,
                   "entry '%s': no source defines this function", c->entry);
        const char *near = nearest(c->entry, (const char *const *)fns.v, fns.n);
        if (near)
            diag_hint(&p->d, at.line, at.col, "did you mean '%s'?", near);
        else
            diag_hint(&p->d, at.line, at.col, "define int %s(struct devices *, "
                      "const struct args *) in one of the sources%s", c->entry,
                      at.line ? "" : ", or name yours with 'entry:'");
        rc = EXIT_CONFIG;
    }
    sl_free(&fns);
    return rc;
}

/* Compiles every object, checks the entry function, then links. */
static int make_target(struct project *p, const char *target, int jobs,
                       bool verbose)
{
    char *dir = project_build_dir(p, target);
    int r = run_make(dir, "objs", jobs, verbose);
    int rc = r < 0 ? EXIT_FAIL : 0;
    if (!r && !(rc = check_entry(p, dir)))
        r = run_make(dir, "all", jobs, verbose);
    free(dir);
    if (rc)
        return rc;
    if (r) {
        if (r > 0)
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

const struct option build_options[] = {
    COMMON_LONGOPTS, OFFLINE_LONGOPT, {"jobs", required_argument, 0, 'j'},
    {"verbose", no_argument, 0, 'v'}, JSON_LONGOPT, {0, 0, 0, 0}};

/* --json: the image and its size, or null for both when the build failed. */
static void print_json(const struct project *p, const char *target,
                       const struct resolved *res, int rc)
{
    struct json j;
    json_init(&j, stdout);
    json_open(&j, NULL, '{');
    json_string(&j, "name", p->cfg.name);
    json_string(&j, "target", target);
    json_bool(&j, "ok", rc == 0);
    json_int(&j, "exit", rc);
    char *image = NULL;
    struct stat st;
    if (!rc && res->have_target)
        image = xasprintf("%s/dist/%s%s", p->dir, p->cfg.name,
                          res->target.suffix);
    if (image && !stat(image, &st)) {
        json_string(&j, "image", image);
        json_int(&j, "size", (long long)st.st_size);
    } else {
        json_null(&j, "image");
        json_null(&j, "size");
    }
    free(image);
    json_close(&j, '}');
    json_end(&j);
}

static int run(int argc, char **argv)
{
    struct common co;
    bool verbose = false, json = false;
    int jobs = default_jobs(), c, r;
    common_init(&co);
    reset_getopt();
    while ((c = getopt_long(argc, argv, COMMON_SHORTOPTS "j:v", build_options, NULL)) != -1) {
        if ((r = common_opt(&cmd_build, c, &co)) >= 0)
            return r;
        if (c == 'v')
            verbose = true;
        json |= c == 'J';
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
    /* --json: stdout carries the one object; what the build prints (the
     * compiler lines, the target's report) goes to stderr */
    int saved = -1;
    if (json) {
        fflush(stdout);
        saved = dup(STDOUT_FILENO);
        dup2(STDERR_FILENO, STDOUT_FILENO);
    }
    struct project p;
    struct resolved res = {0};
    r = project_load(&p, co.file);
    p.libs_opts.offline = co.offline;
    if (!r)
        r = project_resolve(&p, co.target, &res);
    if (!r)
        r = build_resolved(&p, co.target, &res, jobs, verbose);
    if (saved >= 0) {
        fflush(stdout);
        dup2(saved, STDOUT_FILENO);
        close(saved);
        print_json(&p, co.target, &res, r);
    }
    resolved_free(&res);
    project_free(&p);
    return r;
}

const struct command cmd_build = {
    "build", run, "configure, then compile dist/NAME.TARGET",
    "usage: mirleft build [-t TARGET] [-f FILE] [-j JOBS] [-v] [--json]\n"
    "\n"
    "Configure (rewriting only generated files that changed), then compile\n"
    "the runtime, the target's bindings, the device implementations and the\n"
    "application into dist/NAME.SUFFIX. Only what changed is recompiled.\n"
    "\n"
    "  -t, --target TARGET  target to build for (default: spt)\n"
    "  -f, --file FILE      configuration file (default: unikernel.yml)\n"
    "  -j, --jobs N         parallel compile jobs (default: online CPUs)\n"
    "  -v, --verbose        show the compiler command lines\n"
    "      --offline        use the library cache only\n"
    "      --json           print one JSON object: the image and its size\n"
    "                       (the build's own output goes to stderr)\n"
    "  -h, --help           show this help\n",
};

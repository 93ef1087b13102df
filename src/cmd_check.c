#include <stdio.h>
#include <string.h>

#include "cmd.h"
#include "diag.h"
#include "json.h"
#include "target.h"
#include "util.h"

/* What --json reports per target besides its problems. */
struct outcome {
    char *target;
    int rc;
    bool buildable;
    size_t first, end; /* its problems in the log */
};

struct run_state {
    bool quiet, json;
    struct problem_log log;
    struct outcome *v;
    size_t n;
};

static int check_one(struct project *p, const char *t, struct run_state *s)
{
    struct resolved r;
    size_t first = s->log.n;
    int rc = project_resolve(p, t, &r);
    bool ready = r.have_target && target_ready(&r.target);
    if (!rc && !s->quiet && !s->json)
        printf("%s: ok for %s%s\n", p->file, t,
               ready ? "" : " (target not buildable yet)");
    s->v = xrealloc(s->v, (s->n + 1) * sizeof *s->v);
    s->v[s->n++] = (struct outcome){xstrdup(t), rc, ready, first, s->log.n};
    resolved_free(&r);
    return rc;
}

/* Keeps going past a failing target, so one run reports every target's
 * errors; the exit code is the first failure's. */
static int check_all(struct project *p, struct run_state *s)
{
    int r = 0;
    for (size_t i = 0; i < p->targets.n; i++) {
        int one = check_one(p, p->targets.v[i], s);
        if (one && !r)
            r = one;
    }
    return r;
}

static void json_problem(struct json *j, const struct problem *pr,
                         const char *target, int rc)
{
    json_open(j, NULL, '{');
    json_string(j, "target", target);
    json_string(j, "severity", pr->severity);
    json_string(j, "file", pr->file);
    if (pr->line > 0) {
        json_int(j, "line", pr->line);
        json_int(j, "column", pr->col);
    } else {
        json_null(j, "line");
        json_null(j, "column");
    }
    /* a message about the environment has no class of its own: it takes
     * the exit code of the step it stopped */
    int code = pr->code ? pr->code : rc;
    if (code && !strcmp(pr->severity, "error"))
        json_int(j, "code", code);
    else
        json_null(j, "code");
    json_string(j, "message", pr->message);
    json_string(j, "hint", pr->hint);
    json_close(j, '}');
}

static void print_json(const char *file, int rc, const struct run_state *s)
{
    struct json j;
    json_init(&j, stdout);
    json_open(&j, NULL, '{');
    json_string(&j, "file", file);
    json_bool(&j, "ok", rc == 0);
    json_int(&j, "exit", rc);
    json_open(&j, "targets", '[');
    for (size_t i = 0; i < s->n; i++) {
        json_open(&j, NULL, '{');
        json_string(&j, "target", s->v[i].target);
        json_bool(&j, "ok", s->v[i].rc == 0);
        json_bool(&j, "buildable", s->v[i].buildable);
        json_close(&j, '}');
    }
    json_close(&j, ']');
    json_open(&j, "problems", '[');
    for (size_t k = 0; k < s->log.n; k++) {
        const char *target = NULL;
        int code = rc;
        for (size_t i = 0; i < s->n; i++)
            if (k >= s->v[i].first && k < s->v[i].end) {
                target = s->v[i].target;
                code = s->v[i].rc;
            }
        json_problem(&j, &s->log.v[k], target, code);
    }
    json_close(&j, ']');
    json_close(&j, '}');
    json_end(&j);
}

const struct option check_options[] = {
    COMMON_LONGOPTS, {"all-targets", no_argument, 0, 'a'},
    {"quiet", no_argument, 0, 'q'}, JSON_LONGOPT, {0, 0, 0, 0}};

static int run(int argc, char **argv)
{
    struct common co;
    struct run_state s = {0};
    bool all = false, target_given = false;
    int c, r;
    common_init(&co);
    reset_getopt();
    while ((c = getopt_long(argc, argv, COMMON_SHORTOPTS "aq", check_options, NULL)) != -1) {
        if ((r = common_opt(&cmd_check, c, &co)) >= 0)
            return r;
        target_given |= c == 't';
        all |= c == 'a';
        s.quiet |= c == 'q';
        s.json |= c == 'J';
    }
    if (optind < argc)
        return usage_error(&cmd_check, "unexpected argument '%s'", argv[optind]);
    if (all && target_given)
        return usage_error(&cmd_check, "give -t TARGET or --all-targets, not both");
    if (s.json)
        diag_collect(&s.log);
    struct project p;
    r = project_load(&p, co.file);
    if (!r)
        r = all ? check_all(&p, &s) : check_one(&p, co.target, &s);
    project_free(&p);
    if (s.json) {
        diag_collect(NULL);
        print_json(co.file, r, &s);
        problem_log_free(&s.log);
    }
    for (size_t i = 0; i < s.n; i++)
        free(s.v[i].target);
    free(s.v);
    return r;
}

const struct command cmd_check = {
    "check", run, "validate unikernel.yml without writing anything",
    "usage: mirleft check [-t TARGET | --all-targets] [-f FILE] [-q | --json]\n"
    "\n"
    "Check the version bound, validate the configuration and resolve its\n"
    "devices for TARGET (or for every target), writing nothing. Meant for a\n"
    "project's CI: the exit code says what is wrong (see mirleft(1)).\n"
    "\n"
    "  -t, --target TARGET  target to check against (default: spt)\n"
    "  -a, --all-targets    check against every target mirleft knows\n"
    "  -f, --file FILE      configuration file (default: unikernel.yml)\n"
    "  -q, --quiet          print nothing on success\n"
    "      --json           one JSON object: every problem with its file, line,\n"
    "                       column, code, message and hint (mirleft(1))\n"
    "  -h, --help           show this help\n",
};

#include <stdio.h>
#include <string.h>

#include "cmd.h"
#include "diag.h"
#include "fetch.h"

static const char *kind_name(enum lib_kind k)
{
    return k == LIB_URL ? "url" : k == LIB_GIT ? "git" : "path";
}

const struct option pull_options[] = {
    COMMON_LONGOPTS, OFFLINE_LONGOPT, {"json", no_argument, 0, 'J'},
    {"quiet", no_argument, 0, 'q'}, {0, 0, 0, 0}};

static int run(int argc, char **argv)
{
    struct common co;
    bool json = false, quiet = false;
    int c, r;
    common_init(&co);
    reset_getopt();
    while ((c = getopt_long(argc, argv, COMMON_SHORTOPTS "q", pull_options, NULL)) != -1) {
        if ((r = common_opt(&cmd_pull, c, &co)) >= 0)
            return r;
        json |= c == 'J';
        quiet |= c == 'q';
    }
    if (optind < argc)
        return usage_error(&cmd_pull, "unexpected argument '%s'", argv[optind]);
    struct project p;
    r = project_load(&p, co.file);
    p.libs_opts.offline = co.offline;
    p.libs_opts.progress = json ? PROGRESS_JSON : quiet ? PROGRESS_NONE : PROGRESS_AUTO;
    if (!r)
        r = project_libs(&p);
    for (size_t i = 0; !r && i < p.cfg.nlibs; i++) {
        const struct library *l = &p.cfg.libs[i];
        if (json) {
            printf("{\"event\":\"ready\",\"library\":\"%s\",\"kind\":\"%s\","
                   "\"root\":\"%s\"", l->name, kind_name(l->kind), l->root);
            if (l->commit)
                printf(",\"commit\":\"%s\"", l->commit);
            printf(",\"files\":%zu}\n", l->files.n);
        } else if (!quiet) {
            printf("%-16s %-4s %s", l->name, kind_name(l->kind), l->root);
            if (l->commit)
                printf(" (commit %.12s)", l->commit);
            printf(", %zu source%s\n", l->files.n, l->files.n == 1 ? "" : "s");
        }
    }
    if (!r && !p.cfg.nlibs && !quiet && !json)
        printf("%s declares no libraries\n", co.file);
    project_free(&p);
    return r;
}

const struct command cmd_pull = {
    "pull", run, "fetch the project's libraries into the cache",
    "usage: mirleft pull [-f FILE] [--offline] [--json | -q]\n"
    "\n"
    "Fetch every library of unikernel.yml into the cache ($MIRLEFT_CACHE, else\n"
    "$XDG_CACHE_HOME/mirleft, else ~/.cache/mirleft), pinned by unikernel.lock\n"
    "when there is one: archives are verified against their sha256 before\n"
    "anything is unpacked; git revs are resolved to commits. Safe to run\n"
    "concurrently; an interrupted pull leaves nothing that counts as fetched.\n"
    "On a terminal each download shows a progress bar.\n"
    "\n"
    "  -f, --file FILE  configuration file (default: unikernel.yml)\n"
    "      --offline    use the cache only; list what is missing\n"
    "      --json       one JSON object per line: start, progress, done,\n"
    "                   error and ready events\n"
    "  -q, --quiet      print nothing on success\n"
    "  -h, --help       show this help\n",
};

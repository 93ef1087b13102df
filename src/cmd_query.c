#include <stdio.h>
#include <string.h>

#include "cmd.h"
#include "diag.h"
#include "target.h"

static int run(int argc, char **argv)
{
    struct common co;
    int r = common_only(&cmd_query, argc, argv, &co);
    if (r >= 0)
        return r;
    if (argc - optind > 1)
        return usage_error(&cmd_query, "expected one generated file name");
    const char *want = optind < argc ? argv[optind] : NULL;
    struct project p;
    struct resolved res = {0};
    struct genset gs = {0};
    r = project_load(&p, co.file);
    /* The libraries as configure sees them (their roots, files and flags),
     * from the cache only: query writes nothing, the cache included. */
    p.libs_opts.offline = true;
    if (!r)
        r = project_resolve(&p, co.target, &res);
    if (!r)
        r = project_libs(&p);
    if (!r) {
        if (!project_generate(&p, &res, &gs))
            r = EXIT_FAIL;
        const struct genfile *f = want ? genset_find(&gs, want) : NULL;
        if (!want) {
            for (size_t i = 0; i < gs.n; i++)
                puts(gs.f[i].name);
        } else if (f) {
            fwrite(f->data, 1, f->len, stdout);
        } else {
            const char *names[16];
            size_t n = 0;
            for (; n < gs.n && n < 16; n++)
                names[n] = gs.f[n].name;
            r = unknown_name("mirleft query", "generated file", want, names,
                             n, "", "mirleft query");
        }
    }
    genset_free(&gs);
    resolved_free(&res);
    project_free(&p);
    return r;
}

const struct command cmd_query = {
    "query", run, "print one generated file without writing it",
    "usage: mirleft query [-t TARGET] [-f FILE] [GENERATED-FILE]\n"
    "\n"
    "Print the generated file (e.g. main.c, devices.h, args.c, Makefile,\n"
    "manifest.c) exactly as configure would write it, writing nothing.\n"
    "Without a name, list the files configure generates for TARGET.\n"
    "Libraries come from the cache (as with --offline): run `mirleft pull`\n"
    "first for those fetched from a url or git.\n"
    "\n"
    "  -t, --target TARGET  target to generate for (default: spt)\n"
    "  -f, --file FILE      configuration file (default: unikernel.yml)\n"
    "  -h, --help           show this help\n",
};

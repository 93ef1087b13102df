#include "project.h"

#include <errno.h>
#include <libgen.h>
#include <stdlib.h>
#include <string.h>

#include <time.h>

#include "catalogue.h"
#include "digest.h"
#include "git.h"
#include "config.h"
#include "fsutil.h"
#include "mkquote.h"
#include "paths.h"
#include "resolve.h"
#include "target.h"

int project_load(struct project *p, const char *file)
{
    memset(p, 0, sizeof *p);
    p->file = xstrdup(file);
    p->root = data_root();
    if (!p->root)
        return EXIT_FAIL;
    char *copy = xstrdup(file);
    p->dir = realpath(dirname(copy), NULL);
    free(copy);
    p->text = read_file(file, &p->len);
    if (!p->text || !p->dir) {
        int err = errno;
        die_msg("cannot read %s: %s", file, strerror(err));
        if (err == ENOENT)
            hint_msg("run mirleft in a project directory, pass -f FILE, or "
                     "create one with `mirleft new NAME`");
        return EXIT_FAIL;
    }
    /* Both directories are named in the generated Makefile's rules, where
     * make cannot quote; mirleft-data(5) and unikernel.yml(5) say so. */
    if (!mk_plain_path(p->dir) || !mk_plain_path(p->root)) {
        die_msg("cannot build in a path with spaces or make or shell "
                "metacharacters (only letters, digits and . _ + - / @ , ~): %s",
                !mk_plain_path(p->dir) ? p->dir : p->root);
        return EXIT_FAIL;
    }
    diag_init(&p->d, file, p->text, p->len, stderr);
    int r = config_load(&p->cfg, p->text, p->len, p->dir, &p->d);
    if (r)
        return r;
    if (!catalogue_load(&p->cat, p->root, stderr))
        return EXIT_FAIL;
    target_names(p->root, &p->targets);
    return 0;
}

int project_resolve(struct project *p, const char *name, struct resolved *r)
{
    memset(r, 0, sizeof *r);
    if (!sl_contains(&p->targets, name)) {
        return unknown_name("mirleft", "target", name,
                            (const char *const *)p->targets.v, p->targets.n,
                            "", "mirleft targets");
    }
    int rc = target_load(&r->target, p->root, name, &p->cat, stderr);
    if (rc)
        return rc;
    r->have_target = true;
    rc = resolve(&r->graph, &p->cfg, &p->cat, &r->target, &p->targets, &p->d);
    r->have_graph = true;
    return rc;
}

int project_libs(struct project *p)
{
    if (p->libs_ready)
        return 0;
    char *lp = lock_path_for(p->file);
    int rc = lock_read(lp, &p->lock);
    free(lp);
    if (!rc)
        rc = libs_prepare(&p->cfg, &p->lock, &p->libs_opts);
    p->libs_ready = rc == 0;
    return rc;
}

char *project_build_dir(const struct project *p, const char *target)
{
    return xasprintf("%s/_build/%s", p->dir, target);
}

bool project_generate(const struct project *p, const struct resolved *r,
                      struct genset *out)
{
    char *base = xstrdup(p->file);
    char *build_dir = project_build_dir(p, r->target.name);
    struct gen_env env = {.root = p->root, .project_rel = "../..",
                          .project_dir = p->dir, .build_dir = build_dir,
                          .config_name = basename(base)};
    char cfg_hex[65], lock_hex[65], commit[41], when[64];
    sha256_buf_hex(p->text, p->len, cfg_hex);
    env.config_sha256 = cfg_hex;
    char *lp = lock_path_for(p->file);
    size_t llen;
    char *ltext = read_file(lp, &llen);
    if (ltext) {
        sha256_buf_hex(ltext, llen, lock_hex);
        env.lock_sha256 = lock_hex;
    }
    if (git_project_state(p->dir, commit, &env.git_dirty) == 0)
        env.git_commit = commit;
    /* Only an explicit SOURCE_DATE_EPOCH dates an image: a clock reading
     * would make every build different. */
    const char *sde = getenv("SOURCE_DATE_EPOCH");
    char *end;
    long long secs = sde && *sde ? strtoll(sde, &end, 10) : -1;
    if (secs >= 0 && !*end) {
        time_t t = (time_t)secs;
        struct tm tm;
        gmtime_r(&t, &tm);
        strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", &tm);
        env.build_time = when;
    }
    bool ok = generate(out, &r->graph, &env);
    free(ltext);
    free(lp);
    free(base);
    free(build_dir);
    return ok;
}

void resolved_free(struct resolved *r)
{
    if (r->have_graph)
        graph_free(&r->graph);
    if (r->have_target)
        target_free(&r->target);
    memset(r, 0, sizeof *r);
}

void project_free(struct project *p)
{
    config_free(&p->cfg);
    lock_free(&p->lock);
    catalogue_free(&p->cat);
    sl_free(&p->targets);
    free(p->root);
    free(p->file);
    free(p->dir);
    free(p->text);
}

#include "libs.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cache.h"
#include "config.h"
#include "digest.h"
#include "fsutil.h"
#include "git.h"
#include "mkquote.h"
#include "schema.h"
#include "unpack.h"
#include "version.h"

char *lock_path_for(const char *config_file)
{
    size_t n = strlen(config_file);
    if (n > 4 && !strcmp(config_file + n - 4, ".yml"))
        n -= 4;
    return xasprintf("%.*s.lock", (int)n, config_file);
}

/* An archive usually holds one top directory (foo-1.2/): that is the root. */
static char *single_top(const char *dir)
{
    struct strlist l = {0};
    char *r = NULL;
    if (list_dir(dir, &l) && l.n == 1) {
        char *p = path_join(dir, l.v[0]);
        if (is_dir(p))
            r = p;
        else
            free(p);
    }
    sl_free(&l);
    return r ? r : xstrdup(dir);
}

static int fetch_archive(const char *cache, struct library *l,
                         const struct libs_opts *o, const char *dest)
{
    int lk = cache_lock(cache, l->sha256);
    if (lk < 0)
        return EXIT_FAIL;
    int rc = EXIT_FAIL;
    char *tmp = NULL, *file = NULL, *label = xasprintf("library '%s'", l->name);
    if (is_dir(dest)) { /* another process got it while we waited */
        rc = 0;
        goto out;
    }
    tmp = cache_tmpdir(cache);
    if (!tmp)
        goto out;
    file = path_join(tmp, "download");
    struct fetch_opts fo = {o->progress, 0, 3};
    if (fetch_url(l->url, file, &fo, label) < 0)
        goto out;
    unsigned char d[32];
    char hex[65];
    uint64_t size;
    if (sha256_file(file, d, &size) < 0) {
        die_msg("%s: cannot read the download: %s", label, strerror(errno));
        goto out;
    }
    sha256_hex(d, hex);
    if (strcmp(hex, l->sha256)) {
        die_msg("%s: sha256 mismatch for %s: expected %s, got %s; nothing was "
                "kept", label, l->url, l->sha256, hex);
        goto out;
    }
    char *tree = path_join(tmp, "tree");
    if (mkdir_p(tree) < 0 || archive_extract_safe(file, tree, label) < 0) {
        free(tree);
        goto out;
    }
    char *top = single_top(tree);
    rc = cache_install(top, dest) < 0 ? EXIT_FAIL : 0;
    free(top);
    free(tree);
out:
    if (tmp)
        rm_rf(tmp);
    free(tmp);
    free(file);
    free(label);
    cache_unlock(lk);
    return rc;
}

static int export_commit(const char *cache, struct library *l,
                         const struct libs_opts *o, const char *dest)
{
    char *label = xasprintf("library '%s'", l->name);
    char commit[41];
    int rc = EXIT_FAIL;
    char *tmp = NULL;
    /* The commit may need fetching first (a new lock on a new machine). */
    if (git_resolve(cache, l->git, l->commit, o->offline, commit, label) != 0)
        goto out;
    int lk = cache_lock(cache, l->commit);
    if (lk < 0)
        goto out;
    if (is_dir(dest)) {
        rc = 0;
    } else if ((tmp = cache_tmpdir(cache))) {
        if (git_export(cache, l->git, l->commit, tmp, label) == 0)
            rc = cache_install(tmp, dest) < 0 ? EXIT_FAIL : 0;
        else
            rm_rf(tmp);
    }
    cache_unlock(lk);
out:
    free(tmp);
    free(label);
    return rc;
}

/* A library's metadata is not the user's: its flags follow the rule of
 * lib_flag_refusal, its directories stay inside it and every value fits
 * on one Makefile line. Each refusal is reported at the item. */
static void check_lib_lists(struct diag *d, const struct ynode *r)
{
    static const char *const lists[] = {"sources", "include", "cflags"};
    for (int i = 0; i < 3; i++) {
        const struct ynode *v = ymap_get(r, lists[i]);
        for (size_t j = 0; v && j < sc_list_len(v); j++) {
            const struct ynode *it = sc_list_item(v, j);
            const char *why = NULL, *bad = mk_control_char(it->val);
            if (bad)
                diag_error(d, it->line, it->col, EXIT_CONFIG,
                           "%s: item %zu holds a control character (0x%02x)",
                           lists[i], j + 1, (unsigned char)*bad);
            else if (i < 2 && (!*it->val || *it->val == '/' || strstr(it->val, "..")))
                diag_error(d, it->line, it->col, EXIT_CONFIG,
                           "%s: '%s' must stay inside the library", lists[i],
                           it->val);
            else if (i == 2 && (why = lib_flag_refusal(it->val)))
                diag_error(d, it->line, it->col, EXIT_CONFIG,
                           "cflags: '%s' is not allowed in a library's "
                           "metadata: %s", it->val, why);
        }
    }
}

/* The library's own description, when unikernel.yml gives none. */
static int read_lib_yml(struct library *l)
{
    char *path = path_join(l->root, "mirleft-lib.yml");
    size_t len;
    char *text = read_file(path, &len);
    if (!text) {
        die_msg("library '%s' says nothing about what to compile: give "
                "sources: (and include:, cflags:) in unikernel.yml, or ship a "
                "mirleft-lib.yml at its root", l->name);
        free(path);
        return EXIT_CONFIG;
    }
    struct diag d;
    diag_init(&d, path, text, len, stderr);
    struct schema s = {&d, EXIT_CONFIG};
    static const char *const keys[] = {"name", "min-version", "sources",
                                       "include", "cflags", NULL};
    struct ynode *r = yaml_load(text, len, &d);
    int rc = 0;
    if (r && sc_kind(&s, r, YN_MAP, "mirleft-lib.yml") && sc_keys(&s, r, keys, "key")) {
        const struct ynode *v;
        struct version self, min;
        version_parse(tool_version(), &self);
        if ((v = ymap_get(r, "min-version")) && sc_str(&s, v, "min-version")) {
            if (!version_parse(v->val, &min))
                diag_error(&d, v->line, v->col, EXIT_CONFIG,
                           "min-version: expected a version such as 0.1 or 1.2.3");
            else if (version_cmp(&self, &min) < 0)
                diag_error(&d, v->line, v->col, EXIT_VERSION,
                           "library '%s' needs mirleft >= %s, this is %s; "
                           "upgrade mirleft", l->name, v->val, tool_version());
        }
        if (!d.errors) {
            const char *lists[] = {"sources", "include", "cflags"};
            struct strlist *dst[] = {&l->sources, &l->include, &l->cflags};
            for (int i = 0; i < 3; i++)
                if ((v = ymap_get(r, lists[i])))
                    sc_strlist(&s, v, lists[i], dst[i]);
            if (!d.errors)
                check_lib_lists(&d, r);
            if (!l->sources.n && !d.errors)
                diag_error(&d, r->line, r->col, EXIT_CONFIG,
                           "missing required key 'sources'");
        }
    }
    rc = d.errors ? d.code : 0;
    ynode_free(r);
    free(text);
    free(path);
    return rc;
}

static int expand_sources(struct library *l)
{
    for (size_t i = 0; i < l->sources.n; i++) {
        const char *g = l->sources.v[i];
        if (*g == '/' || strstr(g, "..")) {
            die_msg("library '%s': sources '%s' must stay inside the library",
                    l->name, g);
            return EXIT_CONFIG;
        }
        size_t before = l->files.n;
        glob_rel(l->root, g, &l->files);
        if (l->files.n == before) {
            die_msg("library '%s': sources pattern '%s' matches no file in %s",
                    l->name, g, l->root);
            return EXIT_CONFIG;
        }
    }
    sl_sort(&l->files);
    for (size_t i = 0; i < l->files.n; i++) {
        size_t n = strlen(l->files.v[i]);
        /* The name becomes a make target and a word in a shell command:
         * the same characters as the project's own sources. */
        if (n < 3 || strcmp(l->files.v[i] + n - 2, ".c") ||
            l->files.v[i][strspn(l->files.v[i],
                                 "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                 "0123456789._+-/")]) {
            die_msg("library '%s': '%s' is not a plain .c file name (letters, "
                    "digits and . _ + - / only)", l->name, l->files.v[i]);
            return EXIT_CONFIG;
        }
    }
    return 0;
}

/* Checks a lock entry against the library as now written. */
static int check_lock(const struct library *l, const struct lock_entry *e,
                      const char *lockname)
{
    const char *now = l->kind == LIB_URL ? l->url : l->kind == LIB_GIT ? l->git : l->path;
    const char *what = NULL;
    if (e->kind != l->kind || strcmp(e->source, now))
        what = "its source";
    else if (l->kind == LIB_URL && strcmp(e->sha256, l->sha256))
        what = "its sha256";
    else if (l->kind == LIB_GIT && strcmp(e->rev, l->rev))
        what = "its rev";
    if (!what)
        return 0;
    die_msg("%s is out of date for library '%s': %s changed in the "
            "configuration; run `mirleft lock --update %s`", lockname, l->name,
            what, l->name);
    return EXIT_LOCK;
}

static int prepare_one(const char *cache, struct config *c, struct library *l,
                       const struct lock_entry *e, const struct libs_opts *o,
                       struct strlist *missing)
{
    int rc = 0;
    char *dest = NULL;
    if (l->kind == LIB_PATH) {
        char *p = path_join(c->dir, l->path);
        l->root = realpath(p, NULL);
        free(p);
        if (!l->root || !is_dir(l->root)) {
            die_msg("library '%s': path '%s' is not a directory", l->name, l->path);
            return EXIT_CONFIG;
        }
    } else if (l->kind == LIB_URL) {
        char *name = xasprintf("sha256-%s", l->sha256);
        dest = cache_path(cache, "trees", name);
        free(name);
        if (!is_dir(dest) && o->offline)
            sl_push(missing, xasprintf("library '%s' (%s, sha256 %s)", l->name,
                                       l->url, l->sha256));
        else if (!is_dir(dest))
            rc = fetch_archive(cache, l, o, dest);
    } else {
        char *label = xasprintf("library '%s'", l->name);
        char commit[41];
        if (e) {
            memcpy(commit, e->commit, 41);
            char now[41];
            int r = o->offline ? 2 : git_remote_rev(l->git, l->rev, now, label);
            if (r == 0 && strcmp(now, commit)) {
                die_msg("%s: '%s' has moved since it was locked: locked %s, now "
                        "%s; run `mirleft lock --update %s` to accept it",
                        label, l->rev, commit, now, l->name);
                rc = EXIT_LOCK;
            } else if (r < 0) {
                /* Unreachable upstream: nothing says the tag moved, and the
                 * lock says what to build. */
                warn_msg("%s: cannot check whether '%s' has moved upstream; "
                         "building the locked commit %.12s", label, l->rev,
                         commit);
            }
        } else if ((rc = git_resolve(cache, l->git, l->rev, o->offline, commit,
                                     label)) != 0) {
            if (rc > 0)
                sl_push(missing, xasprintf("library '%s' (%s at %s)", l->name,
                                           l->git, l->rev));
            free(label);
            return rc > 0 ? 0 : EXIT_FAIL;
        }
        free(label);
        if (rc)
            return rc;
        l->commit = xstrdup(commit);
        char *name = xasprintf("git-%s", commit);
        dest = cache_path(cache, "trees", name);
        free(name);
        if (!is_dir(dest) && o->offline)
            sl_push(missing, xasprintf("library '%s' (%s at commit %s)", l->name,
                                       l->git, commit));
        else if (!is_dir(dest))
            rc = export_commit(cache, l, o, dest);
    }
    if (dest && !rc && is_dir(dest))
        l->root = dest;
    else
        free(dest);
    if (rc || !l->root)
        return rc;
    if (!mk_plain_path(l->root)) {
        die_msg("library '%s': its directory %s has characters the generated "
                "Makefile cannot name (spaces, quotes, $, #, %%, :); move it, "
                "or set MIRLEFT_CACHE to a plain path", l->name, l->root);
        return EXIT_FAIL;
    }
    if (!l->have_build && (rc = read_lib_yml(l)))
        return rc;
    return expand_sources(l);
}

int libs_prepare(struct config *c, const struct lockfile *lock,
                 const struct libs_opts *o)
{
    if (!c->nlibs)
        return 0;
    char *cache = cache_root();
    if (!cache)
        return EXIT_FAIL;
    struct strlist missing = {0};
    int rc = 0;
    for (size_t i = 0; i < c->nlibs && !rc; i++) {
        struct library *l = &c->libs[i];
        bool ignore = o->update_all || (o->update && !strcmp(o->update, l->name));
        const struct lock_entry *e = lock && !ignore ? lock_find(lock, l->name) : NULL;
        if (e)
            rc = check_lock(l, e, "unikernel.lock");
        if (!rc)
            rc = prepare_one(cache, c, l, e, o, &missing);
    }
    if (!rc && missing.n) {
        die_msg("--offline: %zu librar%s not in the cache (%s):", missing.n,
                missing.n == 1 ? "y is" : "ies are", cache);
        for (size_t i = 0; i < missing.n; i++)
            fprintf(stderr, "  %s\n", missing.v[i]);
        hint_msg("run `mirleft pull` with network access first");
        rc = EXIT_FAIL;
    }
    sl_free(&missing);
    free(cache);
    return rc;
}

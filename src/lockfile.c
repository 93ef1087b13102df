#include "lockfile.h"

#include <errno.h>
#include <string.h>

#include "fsutil.h"
#include "schema.h"

static const char *const kind_key[] = {"url", "git", "path"};

static bool load_entry(struct schema *s, const struct ynode *m,
                       struct lock_entry *e)
{
    static const char *const keys[] = {"name", "url", "sha256", "git", "rev",
                                       "commit", "path", NULL};
    if (!sc_kind(s, m, YN_MAP, "lock entry") || !sc_keys(s, m, keys, "lock key"))
        return false;
    const struct ynode *n = sc_require(s, m, "name", "lock entry"), *v;
    if (!n || !sc_str(s, n, "name"))
        return false;
    e->name = xstrdup(n->val);
    e->pos = (struct pos){m->line, m->col};
    int kinds = 0;
    for (int k = 0; k < 3; k++)
        if ((v = ymap_get(m, kind_key[k])) && sc_str(s, v, kind_key[k])) {
            e->kind = (enum lib_kind)k;
            e->source = xstrdup(v->val);
            kinds++;
        }
    if (kinds != 1) {
        diag_error(s->d, m->line, m->col, EXIT_CONFIG,
                   "lock entry '%s': expected exactly one of url, git or path",
                   e->name);
        return false;
    }
    if (e->kind == LIB_URL && (v = sc_require(s, m, "sha256", "url entry")) &&
        sc_str(s, v, "sha256"))
        e->sha256 = xstrdup(v->val);
    if (e->kind == LIB_GIT) {
        if ((v = sc_require(s, m, "rev", "git entry")) && sc_str(s, v, "rev"))
            e->rev = xstrdup(v->val);
        if ((v = sc_require(s, m, "commit", "git entry")) && sc_str(s, v, "commit"))
            e->commit = xstrdup(v->val);
    }
    return !s->d->errors;
}

int lock_read(const char *path, struct lockfile *l)
{
    memset(l, 0, sizeof *l);
    size_t len;
    char *text = read_file(path, &len);
    if (!text) {
        if (errno == ENOENT)
            return 0;
        die_msg("cannot read %s: %s", path, strerror(errno));
        return EXIT_FAIL;
    }
    l->present = true;
    struct diag d;
    diag_init(&d, path, text, len, stderr);
    struct schema s = {&d, EXIT_CONFIG};
    struct ynode *r = yaml_load(text, len, &d);
    static const char *const keys[] = {"lock-version", "libraries", NULL};
    if (r && sc_kind(&s, r, YN_MAP, "unikernel.lock") &&
        sc_keys(&s, r, keys, "key")) {
        const struct ynode *v = sc_require(&s, r, "lock-version", "unikernel.lock");
        if (v && sc_str(&s, v, "lock-version") && strcmp(v->val, "1"))
            diag_error(&d, v->line, v->col, EXIT_CONFIG,
                       "lock-version %s: this mirleft reads version 1", v->val);
        const struct ynode *libs = ymap_get(r, "libraries");
        if (libs && sc_kind(&s, libs, YN_SEQ, "libraries")) {
            l->e = xcalloc(libs->n + 1, sizeof *l->e);
            for (size_t i = 0; i < libs->n && !d.errors; i++)
                if (load_entry(&s, libs->items[i], &l->e[l->n]))
                    l->n++;
        }
    }
    ynode_free(r);
    free(text);
    return d.errors ? d.code : 0;
}

const struct lock_entry *lock_find(const struct lockfile *l, const char *name)
{
    for (size_t i = 0; i < l->n; i++)
        if (!strcmp(l->e[i].name, name))
            return &l->e[i];
    return NULL;
}

static void quoted(struct strbuf *sb, const char *s)
{
    sb_puts(sb, "\"");
    for (; *s; s++) {
        if (*s == '"' || *s == '\\')
            sb_add(sb, "\\", 1);
        sb_add(sb, s, 1);
    }
    sb_puts(sb, "\"");
}

char *lock_render(const struct config *c)
{
    struct strbuf sb;
    sb_init(&sb);
    sb_puts(&sb, "# unikernel.lock: the exact libraries this project builds "
                 "with.\n# Written by `mirleft lock`; commit it, do not edit "
                 "it.\nlock-version: 1\nlibraries:\n");
    for (size_t i = 0; i < c->nlibs; i++) {
        const struct library *l = &c->libs[i];
        sb_printf(&sb, "  - name: %s\n    %s: ", l->name, kind_key[l->kind]);
        quoted(&sb, l->kind == LIB_URL ? l->url : l->kind == LIB_GIT ? l->git
                                                                     : l->path);
        if (l->kind == LIB_URL)
            sb_printf(&sb, "\n    sha256: %s", l->sha256);
        if (l->kind == LIB_GIT) {
            sb_puts(&sb, "\n    rev: ");
            quoted(&sb, l->rev);
            sb_printf(&sb, "\n    commit: %s", l->commit);
        }
        sb_puts(&sb, "\n");
    }
    if (!c->nlibs)
        sb_puts(&sb, "  []\n");
    return sb_detach(&sb);
}

void lock_free(struct lockfile *l)
{
    for (size_t i = 0; i < l->n; i++) {
        free(l->e[i].name);
        free(l->e[i].source);
        free(l->e[i].sha256);
        free(l->e[i].rev);
        free(l->e[i].commit);
    }
    free(l->e);
    memset(l, 0, sizeof *l);
}

#include "config.h"

#include <ctype.h>
#include <string.h>

#include "fsutil.h"
#include "mkquote.h"
#include "schema.h"
#include "version.h"

static const char *const top_keys[] = {
    "name", "min-version", "max-version", "sources", "entry", "cflags",
    "devices", "args", "targets", "libraries", "printf-float", NULL,
};

bool is_c_keyword(const char *s)
{
    static const char *const kw[] = {
        "auto", "break", "case", "char", "const", "continue", "default",
        "do", "double", "else", "enum", "extern", "float", "for", "goto",
        "if", "inline", "int", "long", "register", "restrict", "return",
        "short", "signed", "sizeof", "static", "struct", "switch",
        "typedef", "union", "unsigned", "void", "volatile", "while",
        "bool", "true", "false", "asm", "main",
    };
    for (size_t i = 0; i < sizeof kw / sizeof kw[0]; i++)
        if (!strcmp(s, kw[i]))
            return true;
    return false;
}

/* [a-z] followed by up to 62 of the allowed characters. */
static bool name_ok(const char *s, const char *extra)
{
    if (!islower((unsigned char)s[0]))
        return false;
    size_t n = 1;
    for (s++; *s; s++, n++)
        if (!(islower((unsigned char)*s) || isdigit((unsigned char)*s) ||
              strchr(extra, *s)))
            return false;
    return n <= 63;
}

bool valid_project_name(const char *s) { return name_ok(s, "-"); }
bool valid_arg_name(const char *s) { return name_ok(s, "-"); }
bool valid_device_name(const char *s)
{
    return name_ok(s, "_") && !is_c_keyword(s) && strncmp(s, "mlgen_", 6);
}

bool valid_c_ident(const char *s)
{
    if (!(isalpha((unsigned char)*s) || *s == '_'))
        return false;
    for (s++; *s; s++)
        if (!(isalnum((unsigned char)*s) || *s == '_'))
            return false;
    return true;
}

char *arg_field(const char *name)
{
    char *f = xstrdup(name);
    for (char *p = f; *p; p++)
        if (*p == '-')
            *p = '_';
    return f;
}

static const char *version_of(struct schema *s, const struct ynode *n,
                              struct version *v, const char *key)
{
    if (!sc_kind(s, n, YN_SCALAR, key))
        return NULL;
    if (!version_parse(n->val, v)) {
        diag_error(s->d, n->line, n->col, EXIT_CONFIG,
                   "%s: expected a version such as 0.1 or 1.2.3, found '%s'",
                   key, n->val);
        return NULL;
    }
    return n->val;
}

/* The bound comes first: nothing else in the file is trusted until this
 * mirleft is known to be one the file was written for. Each bound that is
 * present and readable is checked against this mirleft before anything
 * else counts, a missing min-version or an empty range included. */
static int check_version_bound(struct schema *s, const struct ynode *root,
                               struct config *c)
{
    struct version self, min, max;
    version_parse(tool_version(), &self);
    const struct ynode *mn = ymap_get(root, "min-version");
    const struct ynode *mx = ymap_get(root, "max-version");
    bool have_min = mn && mn->kind == YN_SCALAR && version_parse(mn->val, &min);
    bool have_max = mx && mx->kind == YN_SCALAR && version_parse(mx->val, &max);
    bool excluded = false;
    if (have_min && version_cmp(&self, &min) < 0) {
        diag_error(s->d, mn->line, mn->col, EXIT_VERSION,
                   "this project needs mirleft >= %s, this is %s; upgrade mirleft",
                   mn->val, tool_version());
        excluded = true;
    }
    if (have_max && version_cmp(&self, &max) >= 0) {
        diag_error(s->d, mx->line, mx->col, EXIT_VERSION,
                   "this project needs mirleft < %s, this is %s; use an older mirleft",
                   mx->val, tool_version());
        excluded = true;
    }
    /* An empty range always excludes this mirleft, so it is reported
     * here, as what to fix beside the bound. */
    if (excluded && have_min && have_max && version_cmp(&max, &min) <= 0)
        diag_hint(s->d, mx->line, mx->col,
                  "max-version %s is not greater than min-version %s: no "
                  "mirleft fits this range", mx->val, mn->val);
    if (excluded)
        return EXIT_VERSION;
    if (!mn) {
        diag_error(s->d, root->line, root->col, EXIT_CONFIG,
                   "missing required key 'min-version'");
        diag_hint(s->d, root->line, root->col,
                  "add 'min-version: %s' (this mirleft's version)",
                  tool_version());
        return EXIT_CONFIG;
    }
    if (!version_of(s, mn, &min, "min-version"))
        return EXIT_CONFIG;
    if (mx && !version_of(s, mx, &max, "max-version"))
        return EXIT_CONFIG;
    c->min_version = xstrdup(mn->val);
    if (mx)
        c->max_version = xstrdup(mx->val);
    return 0;
}

/* A top-level key every project needs; the hint shows what to write, as
 * for min-version, since the file-level "what" would only repeat the
 * file name that starts the line. */
static const struct ynode *require_top(struct schema *s,
                                       const struct ynode *root,
                                       const char *key, const char *example)
{
    const struct ynode *n = ymap_get(root, key);
    if (n)
        return n;
    diag_error(s->d, root->line, root->col, EXIT_CONFIG,
               "missing required key '%s'", key);
    diag_hint(s->d, root->line, root->col, "add '%s: %s'", key, example);
    return NULL;
}

static void load_name(struct schema *s, const struct ynode *root,
                      struct config *c)
{
    const struct ynode *n = require_top(s, root, "name", "my-unikernel");
    const char *v = n ? sc_str(s, n, "name") : NULL;
    if (!v)
        return;
    if (!valid_project_name(v)) {
        diag_error(s->d, n->line, n->col, EXIT_CONFIG,
                   "name '%s': expected a lower-case letter followed by up to 62 "
                   "lower-case letters, digits or '-'", v);
        return;
    }
    c->name = xstrdup(v);
}

static void load_sources(struct schema *s, const struct ynode *root,
                         struct config *c, const char *dir)
{
    const struct ynode *n = require_top(s, root, "sources", "[unikernel.c]");
    if (!n)
        return;
    c->sources_pos = (struct pos){n->line, n->col};
    const struct ynode *const *items = (const struct ynode *const *)&n;
    size_t count = 1;
    if (n->kind == YN_SEQ) {
        items = (const struct ynode *const *)n->items;
        count = n->n;
        if (!count)
            diag_error(s->d, n->line, n->col, EXIT_CONFIG,
                       "sources: expected at least one C file");
    }
    for (size_t i = 0; i < count; i++) {
        const char *f = sc_str(s, items[i], "sources");
        if (!f)
            continue;
        size_t len = strlen(f);
        if (f[0] == '/' || strstr(f, "..") || len < 3 ||
            strcmp(f + len - 2, ".c")) {
            diag_error(s->d, items[i]->line, items[i]->col, EXIT_CONFIG,
                       "sources: '%s': expected a .c file relative to the "
                       "project directory, inside it", f);
            continue;
        }
        if (f[strspn(f, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                        "0123456789._+-/")]) {
            /* make cannot quote spaces, '$', '#', ':' and friends in a
             * target name: refuse here rather than fail at link time. */
            diag_error(s->d, items[i]->line, items[i]->col, EXIT_CONFIG,
                       "sources: '%s': a file name may only use letters, "
                       "digits and . _ + - /", f);
            continue;
        }
        if (sl_contains(&c->sources, f)) {
            diag_error(s->d, items[i]->line, items[i]->col, EXIT_CONFIG,
                       "sources: '%s' is listed twice", f);
            continue;
        }
        if (dir) {
            char *p = path_join(dir, f);
            if (!is_file(p))
                diag_error(s->d, items[i]->line, items[i]->col, EXIT_CONFIG,
                           "sources: '%s' does not exist", f);
            free(p);
        }
        sl_push(&c->sources, xstrdup(f));
    }
}

static bool load_arg(struct schema *s, const char *name, const struct ynode *v,
                     struct arg_decl *a)
{
    static const char *const keys[] = {"type", "default", "doc", NULL};
    const struct ynode *ty = v;
    a->name = xstrdup(name);
    a->pos = (struct pos){v->line, v->col};
    if (v->kind == YN_MAP) {
        if (!sc_keys(s, v, keys, "argument key"))
            return false;
        char *what = xasprintf("argument '%s'", name);
        ty = sc_require(s, v, "type", what);
        free(what);
        if (!ty)
            return false;
    }
    const char *tn = sc_str(s, ty, "argument type");
    if (!tn)
        return false;
    if (!vtype_parse(tn, &a->type) || a->type == VT_PATH) {
        sc_unknown(s, ty, "argument type", tn, vtype_names, vtype_count - 1);
        return false;
    }
    if (v->kind != YN_MAP)
        return true;
    const struct ynode *n;
    bool ok = true;
    if ((n = ymap_get(v, "default"))) {
        char *what = xasprintf("default of argument '%s' (%s)", name, tn);
        ok = sc_value(s, n, a->type, what);
        free(what);
        if (ok)
            a->def = xstrdup(n->val);
    }
    if ((n = ymap_get(v, "doc")) && sc_str(s, n, "doc"))
        a->doc = xstrdup(n->val);
    return ok;
}

static void load_args(struct schema *s, const struct ynode *m,
                      struct config *c)
{
    if (!sc_kind(s, m, YN_MAP, "args"))
        return;
    c->args = xcalloc(m->n, sizeof *c->args);
    for (size_t i = 0; i < m->n; i++) {
        const struct ynode *k = m->keys[i];
        if (!valid_arg_name(k->val)) {
            diag_error(s->d, k->line, k->col, EXIT_CONFIG,
                       "argument name '%s': expected a lower-case letter "
                       "followed by lower-case letters, digits or '-'", k->val);
            continue;
        }
        if (!strcmp(k->val, "help") || !strcmp(k->val, "log")) {
            diag_error(s->d, k->line, k->col, EXIT_CONFIG,
                       "argument name '%s' is reserved: every unikernel has "
                       "--help and --log", k->val);
            continue;
        }
        char *field = arg_field(k->val);
        bool kw = is_c_keyword(field);
        free(field);
        if (kw) {
            diag_error(s->d, k->line, k->col, EXIT_CONFIG,
                       "argument name '%s' is a C keyword and cannot name a "
                       "field of struct args", k->val);
            continue;
        }
        if (load_arg(s, k->val, m->items[i], &c->args[c->nargs]))
            c->nargs++;
        else {
            free(c->args[c->nargs].name);
            free(c->args[c->nargs].def);
            free(c->args[c->nargs].doc);
            memset(&c->args[c->nargs], 0, sizeof c->args[0]);
        }
    }
}

static void load_devices(struct schema *s, const struct ynode *m,
                         struct config *c)
{
    if (!sc_kind(s, m, YN_MAP, "devices"))
        return;
    c->devs = xcalloc(m->n, sizeof *c->devs);
    for (size_t i = 0; i < m->n; i++) {
        const struct ynode *k = m->keys[i], *v = m->items[i], *ty = v;
        if (!valid_device_name(k->val)) {
            diag_error(s->d, k->line, k->col, EXIT_CONFIG,
                       "device name '%s': expected a C identifier in lower "
                       "case ([a-z][a-z0-9_]*, at most 63 characters, not a "
                       "C keyword)", k->val);
            continue;
        }
        if (v->kind == YN_MAP) {
            char *what = xasprintf("device '%s'", k->val);
            ty = sc_require(s, v, "type", what);
            free(what);
            if (!ty)
                continue;
        } else if (v->kind != YN_SCALAR) {
            diag_error(s->d, v->line, v->col, EXIT_CONFIG,
                       "device '%s': expected a type name or a mapping, found %s",
                       k->val, ykind_name(v->kind));
            continue;
        }
        if (!sc_str(s, ty, "device type"))
            continue;
        struct dev_decl *dd = &c->devs[c->ndevs++];
        dd->name = xstrdup(k->val);
        dd->pos = (struct pos){k->line, k->col};
        dd->type = xstrdup(ty->val);
        dd->type_pos = (struct pos){ty->line, ty->col};
        dd->body = v->kind == YN_MAP ? (struct ynode *)v : NULL;
    }
}

static bool hex64(const char *s)
{
    size_t n = 0;
    for (; s[n]; n++)
        if (!isxdigit((unsigned char)s[n]))
            return false;
    return n == 64;
}

/* A relative path or glob that stays inside the directory it is read in. */
static bool inner_path(const char *p)
{
    return *p && *p != '/' && !strstr(p, "..");
}

/* Every item of a string-or-list n goes into the generated Makefile on
 * one line: a control character (a newline above all) cannot. */
static bool one_line_items(struct schema *s, const struct ynode *n,
                           const char *what)
{
    bool ok = true;
    for (size_t i = 0; i < sc_list_len(n); i++) {
        const struct ynode *it = sc_list_item(n, i);
        const char *bad = it->val ? mk_control_char(it->val) : NULL;
        if (bad) {
            diag_error(s->d, it->line, it->col, EXIT_CONFIG,
                       "%s: item %zu holds a control character (0x%02x); "
                       "write it on one line", what, i + 1, (unsigned char)*bad);
            ok = false;
        }
    }
    return ok;
}

static bool load_library(struct schema *s, const struct ynode *m,
                         struct library *l)
{
    static const char *const keys[] = {"name", "url", "sha256", "git", "rev",
                                       "path", "sources", "include", "cflags",
                                       NULL};
    if (!sc_kind(s, m, YN_MAP, "library") || !sc_keys(s, m, keys, "library key"))
        return false;
    l->pos = (struct pos){m->line, m->col};
    const struct ynode *n = sc_require(s, m, "name", "library");
    if (!n || !sc_str(s, n, "name"))
        return false;
    if (!name_ok(n->val, "-_")) {
        diag_error(s->d, n->line, n->col, EXIT_CONFIG,
                   "library name '%s': expected a lower-case letter followed "
                   "by lower-case letters, digits, '-' or '_'", n->val);
        return false;
    }
    l->name = xstrdup(n->val);
    const struct ynode *url = ymap_get(m, "url"), *git = ymap_get(m, "git"),
                       *path = ymap_get(m, "path");
    if (!!url + !!git + !!path != 1) {
        diag_error(s->d, m->line, m->col, EXIT_CONFIG,
                   "library '%s': give exactly one of url (with sha256), git "
                   "(with rev) or path", l->name);
        return false;
    }
    bool ok = true;
    const struct ynode *v;
    if (url) {
        l->kind = LIB_URL;
        v = sc_require(s, m, "sha256", "library with a url");
        ok = sc_str(s, url, "url") && v && sc_str(s, v, "sha256");
        if (ok && !hex64(v->val)) {
            diag_error(s->d, v->line, v->col, EXIT_CONFIG,
                       "sha256: expected 64 hexadecimal digits, found '%s'", v->val);
            ok = false;
        }
        if (ok) {
            l->url = xstrdup(url->val);
            l->sha256 = xstrdup(v->val);
            for (char *p = l->sha256; *p; p++)
                *p = (char)tolower((unsigned char)*p);
        }
    } else if (git) {
        l->kind = LIB_GIT;
        v = sc_require(s, m, "rev", "library from git");
        ok = sc_str(s, git, "git") && v && sc_str(s, v, "rev");
        if (ok) {
            l->git = xstrdup(git->val);
            l->rev = xstrdup(v->val);
        }
    } else {
        l->kind = LIB_PATH;
        ok = sc_str(s, path, "path") != NULL;
        if (ok)
            l->path = xstrdup(path->val);
    }
    if (!git && (v = ymap_get(m, "rev"))) {
        diag_error(s->d, v->line, v->col, EXIT_CONFIG, "rev belongs to git libraries");
        ok = false;
    }
    if (!url && (v = ymap_get(m, "sha256"))) {
        diag_error(s->d, v->line, v->col, EXIT_CONFIG, "sha256 belongs to url libraries");
        ok = false;
    }
    static const char *const scalars[] = {"url", "git", "rev", "path"};
    for (int i = 0; i < 4; i++)
        if ((v = ymap_get(m, scalars[i])))
            ok &= one_line_items(s, v, scalars[i]);
    const char *lists[] = {"sources", "include", "cflags"};
    struct strlist *dst[] = {&l->sources, &l->include, &l->cflags};
    for (int i = 0; i < 3; i++) {
        if (!(v = ymap_get(m, lists[i])))
            continue;
        l->have_build = true;
        ok &= sc_strlist(s, v, lists[i], dst[i]) && one_line_items(s, v, lists[i]);
        for (size_t j = 0; i < 2 && j < dst[i]->n; j++)
            if (!inner_path(dst[i]->v[j])) {
                diag_error(s->d, v->line, v->col, EXIT_CONFIG,
                           "%s: '%s' must stay inside the library", lists[i],
                           dst[i]->v[j]);
                ok = false;
            }
    }
    return ok;
}

static void load_libraries(struct schema *s, const struct ynode *n,
                           struct config *c)
{
    if (!sc_kind(s, n, YN_SEQ, "libraries"))
        return;
    c->libs = xcalloc(n->n + 1, sizeof *c->libs);
    for (size_t i = 0; i < n->n; i++) {
        struct library *l = &c->libs[c->nlibs];
        if (!load_library(s, n->items[i], l)) {
            library_free(l);
            continue;
        }
        for (size_t j = 0; j < c->nlibs; j++)
            if (!strcmp(c->libs[j].name, l->name)) {
                diag_error(s->d, l->pos.line, l->pos.col, EXIT_CONFIG,
                           "library '%s' is declared twice", l->name);
                diag_hint(s->d, c->libs[j].pos.line, c->libs[j].pos.col,
                          "first declared here");
            }
        c->nlibs++;
    }
}

void library_free(struct library *l)
{
    free(l->name);
    free(l->url);
    free(l->sha256);
    free(l->git);
    free(l->rev);
    free(l->path);
    free(l->commit);
    free(l->root);
    sl_free(&l->sources);
    sl_free(&l->include);
    sl_free(&l->cflags);
    sl_free(&l->files);
    memset(l, 0, sizeof *l);
}

int config_load(struct config *c, const char *buf, size_t len,
                const char *project_dir, struct diag *d)
{
    struct schema s = {d, EXIT_CONFIG};
    memset(c, 0, sizeof *c);
    c->dir = project_dir ? xstrdup(project_dir) : NULL;
    c->root = yaml_load(buf, len, d);
    if (!c->root)
        return d->code;
    if (!sc_kind(&s, c->root, YN_MAP, "unikernel.yml"))
        return d->code;
    int r = check_version_bound(&s, c->root, c);
    if (r)
        return r;
    sc_keys(&s, c->root, top_keys, "key");
    load_name(&s, c->root, c);
    load_sources(&s, c->root, c, project_dir);
    const struct ynode *n;
    c->entry = xstrdup("start");
    if ((n = ymap_get(c->root, "entry")) && sc_str(&s, n, "entry")) {
        if (!valid_c_ident(n->val) || is_c_keyword(n->val))
            diag_error(d, n->line, n->col, EXIT_CONFIG,
                       "entry '%s': expected a C function name", n->val);
        free(c->entry);
        c->entry = xstrdup(n->val);
        c->entry_pos = (struct pos){n->line, n->col};
    }
    if ((n = ymap_get(c->root, "cflags")) && sc_strlist(&s, n, "cflags", &c->cflags))
        one_line_items(&s, n, "cflags");
    if ((n = ymap_get(c->root, "printf-float")))
        sc_bool(&s, n, "printf-float", &c->printf_float);
    if ((n = ymap_get(c->root, "args")))
        load_args(&s, n, c);
    if ((n = ymap_get(c->root, "devices")))
        load_devices(&s, n, c);
    if ((n = ymap_get(c->root, "libraries")))
        load_libraries(&s, n, c);
    if ((n = ymap_get(c->root, "targets")))
        if (sc_kind(&s, n, YN_MAP, "targets"))
            c->targets = (struct ynode *)n;
    return d->errors ? d->code : 0;
}

void config_free(struct config *c)
{
    for (size_t i = 0; i < c->ndevs; i++) {
        free(c->devs[i].name);
        free(c->devs[i].type);
    }
    for (size_t i = 0; i < c->nargs; i++) {
        free(c->args[i].name);
        free(c->args[i].def);
        free(c->args[i].doc);
    }
    for (size_t i = 0; i < c->nlibs; i++)
        library_free(&c->libs[i]);
    free(c->libs);
    free(c->devs);
    free(c->args);
    free(c->name);
    free(c->min_version);
    free(c->max_version);
    free(c->entry);
    free(c->dir);
    sl_free(&c->sources);
    sl_free(&c->cflags);
    ynode_free(c->root);
    memset(c, 0, sizeof *c);
}

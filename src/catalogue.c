/* Device types are data: adding share/devices/TYPE.yml adds a type. */
#include "catalogue.h"

#include <string.h>

#include "fsutil.h"
#include "schema.h"

static bool load_params(struct schema *s, const struct ynode *m,
                        struct devtype *t)
{
    static const char *const keys[] = {"type", "default", "host", "doc",
                                       "backends", "embed", "claim", NULL};
    bool ok = true;
    t->params = xcalloc(m->n, sizeof *t->params);
    for (size_t i = 0; i < m->n; i++) {
        struct param_def *p = &t->params[t->nparams++];
        const struct ynode *b = m->items[i];
        p->name = xstrdup(m->keys[i]->val);
        if (!sc_kind(s, b, YN_MAP, "parameter") || !sc_keys(s, b, keys, "parameter key")) {
            ok = false;
            continue;
        }
        const struct ynode *ty = sc_require(s, b, "type", "parameter");
        const char *tn = ty ? sc_str(s, ty, "parameter type") : NULL;
        if (tn && !vtype_parse(tn, &p->type)) {
            sc_unknown(s, ty, "parameter type", tn, vtype_names, vtype_count);
            tn = NULL;
        }
        if (!tn) {
            ok = false;
            continue;
        }
        const struct ynode *v;
        if ((v = ymap_get(b, "default"))) {
            ok &= sc_value(s, v, p->type, "parameter default");
            p->def = xstrdup(v->val ? v->val : "");
        }
        if ((v = ymap_get(b, "host")))
            ok &= sc_bool(s, v, "host", &p->host);
        if ((v = ymap_get(b, "doc")) && sc_str(s, v, "doc"))
            p->doc = xstrdup(v->val);
        if ((v = ymap_get(b, "backends")))
            ok &= sc_strlist(s, v, "backends", &p->backends);
        /* a resource name, as a project's error messages show it */
        if ((v = ymap_get(b, "claim")) && sc_str(s, v, "claim"))
            p->claim = xstrdup(v->val);
        if ((v = ymap_get(b, "embed")) && sc_str(s, v, "embed")) {
            static const char *const kinds[] = {"tree"};
            if (strcmp(v->val, "tree")) {
                sc_unknown(s, v, "embed kind", v->val, kinds, 1);
                ok = false;
            } else if (p->type != VT_PATH) {
                diag_error(s->d, v->line, v->col, s->code,
                           "only a path parameter can be embedded");
                ok = false;
            }
            /* the generated code gives a device one embedded tree */
            for (size_t j = 0; j + 1 < t->nparams; j++)
                if (t->params[j].embed_tree) {
                    diag_error(s->d, v->line, v->col, s->code,
                               "only one parameter of a type can be embedded "
                               "('%s' is already)", t->params[j].name);
                    ok = false;
                    break;
                }
            p->embed_tree = true;
        }
        if (p->type == VT_PATH && !p->host) {
            diag_error(s->d, b->line, b->col, s->code,
                       "a path parameter must be host: true");
            ok = false;
        }
    }
    return ok;
}

static bool load_deps(struct schema *s, const struct ynode *m,
                      struct devtype *t)
{
    static const char *const keys[] = {"type", "optional", "doc", "backends",
                                       NULL};
    bool ok = true;
    t->deps = xcalloc(m->n, sizeof *t->deps);
    for (size_t i = 0; i < m->n; i++) {
        struct dep_def *dp = &t->deps[t->ndeps++];
        const struct ynode *b = m->items[i], *v;
        dp->name = xstrdup(m->keys[i]->val);
        if (!sc_kind(s, b, YN_MAP, "dependency") ||
            !sc_keys(s, b, keys, "dependency key")) {
            ok = false;
            continue;
        }
        if ((v = sc_require(s, b, "type", "dependency")) &&
            sc_str(s, v, "dependency type")) {
            dp->type = xstrdup(v->val);
            dp->type_pos = (struct pos){v->line, v->col};
        } else
            ok = false;
        if ((v = ymap_get(b, "optional")))
            ok &= sc_bool(s, v, "optional", &dp->optional);
        if ((v = ymap_get(b, "doc")) && sc_str(s, v, "doc"))
            dp->doc = xstrdup(v->val);
        if ((v = ymap_get(b, "backends")))
            ok &= sc_strlist(s, v, "backends", &dp->backends);
    }
    return ok;
}

static bool load_type(struct schema *s, const struct ynode *r,
                      struct devtype *t, const char *stem, const char *root)
{
    static const char *const keys[] = {"type", "doc", "header", "solo5",
                                       "backends", "params", "deps",
                                       "sources", NULL};
    if (!sc_kind(s, r, YN_MAP, "device type") ||
        !sc_keys(s, r, keys, "device-type key"))
        return false;
    bool ok = true;
    const struct ynode *v;
    const char *str;
    if ((v = sc_require(s, r, "type", "device type")) &&
        (str = sc_str(s, v, "type"))) {
        t->name = xstrdup(str);
        /* it names C things: ml_TYPE_init, struct ml_TYPE_config */
        bool ident = str[0] >= 'a' && str[0] <= 'z';
        for (const char *c = str; ident && *c; c++)
            ident = (*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9') || *c == '_';
        if (!ident) {
            diag_error(s->d, v->line, v->col, s->code,
                       "type '%s' must be a lowercase C identifier "
                       "([a-z][a-z0-9_]*): it names C types and functions", str);
            ok = false;
        } else if (strcmp(str, stem)) {
            diag_error(s->d, v->line, v->col, s->code,
                       "type '%s' must match its file name '%s.yml'", str, stem);
            ok = false;
        }
    } else
        ok = false;
    if ((v = sc_require(s, r, "doc", "device type")) && sc_str(s, v, "doc"))
        t->doc = xstrdup(v->val);
    else
        ok = false;
    if ((v = sc_require(s, r, "header", "device type")) && sc_str(s, v, "header"))
        t->header = xstrdup(v->val);
    else
        ok = false;
    if ((v = ymap_get(r, "solo5")) && (str = sc_str(s, v, "solo5"))) {
        static const char *const kinds[] = {"BLOCK_BASIC", "NET_BASIC"};
        if (strcmp(str, kinds[0]) && strcmp(str, kinds[1])) {
            sc_unknown(s, v, "Solo5 device kind", str, kinds, 2);
            ok = false;
        }
        t->solo5 = xstrdup(str);
    }
    if ((v = ymap_get(r, "backends")))
        ok &= sc_strlist(s, v, "backends", &t->backends);
    if ((v = ymap_get(r, "params")))
        ok &= sc_kind(s, v, YN_MAP, "params") && load_params(s, v, t);
    if ((v = ymap_get(r, "deps")))
        ok &= sc_kind(s, v, YN_MAP, "deps") && load_deps(s, v, t);
    if ((v = ymap_get(r, "sources")))
        /* a pattern matching nothing would compile nothing and fail at
         * link time, far from here */
        ok &= sc_strlist(s, v, "sources", &t->sources) &&
              sc_globs_match(s, v, root, s->code);
    return ok;
}

const char **catalogue_names(const struct catalogue *c)
{
    const char **names = xcalloc(c->n + 1, sizeof *names);
    for (size_t i = 0; i < c->n; i++)
        names[i] = c->types[i].name ? c->types[i].name : "";
    return names;
}

/* Once every type is loaded: each dependency names a type that exists. */
static bool check_deps(const struct catalogue *c, FILE *out)
{
    bool ok = true;
    const char **names = catalogue_names(c);
    for (size_t i = 0; i < c->n; i++)
        for (size_t j = 0; j < c->types[i].ndeps; j++) {
            const struct dep_def *dp = &c->types[i].deps[j];
            if (!dp->type || catalogue_find(c, dp->type))
                continue;
            size_t len;
            char *text = read_file(c->types[i].path, &len);
            struct diag d;
            diag_init(&d, c->types[i].path, text, text ? len : 0, out);
            diag_error(&d, dp->type_pos.line, dp->type_pos.col, EXIT_FAIL,
                       "dependency '%s': unknown device type '%s'", dp->name,
                       dp->type);
            const char *near = nearest(dp->type, names, c->n);
            if (near)
                diag_hint(&d, dp->type_pos.line, dp->type_pos.col,
                          "did you mean '%s'?", near);
            free(text);
            ok = false;
        }
    free(names);
    return ok;
}

bool catalogue_load(struct catalogue *c, const char *root, FILE *out)
{
    char *dir = path_join(root, "share/devices");
    struct strlist files = {0};
    bool ok = true;
    memset(c, 0, sizeof *c);
    if (!list_dir(dir, &files)) {
        die_msg("cannot read the device catalogue %s", dir);
        free(dir);
        return false;
    }
    c->types = xcalloc(files.n, sizeof *c->types);
    for (size_t i = 0; i < files.n; i++) {
        size_t n = strlen(files.v[i]);
        if (n < 5 || strcmp(files.v[i] + n - 4, ".yml"))
            continue;
        struct devtype *t = &c->types[c->n++];
        t->path = path_join(dir, files.v[i]);
        size_t len;
        char *text = read_file(t->path, &len);
        struct diag d;
        diag_init(&d, t->path, text, len, out);
        struct schema s = {&d, EXIT_FAIL};
        char *stem = xstrndup(files.v[i], n - 4);
        struct ynode *r = text ? yaml_load(text, len, &d) : NULL;
        if (!text)
            diag_error(&d, 0, 0, EXIT_FAIL, "cannot read the file");
        if (r)
            ok &= load_type(&s, r, t, stem, root);
        ok &= d.errors == 0;
        ynode_free(r);
        free(stem);
        free(text);
    }
    sl_free(&files);
    free(dir);
    return ok && check_deps(c, out);
}

const struct devtype *catalogue_find(const struct catalogue *c,
                                     const char *name)
{
    for (size_t i = 0; i < c->n; i++)
        if (c->types[i].name && !strcmp(c->types[i].name, name))
            return &c->types[i];
    return NULL;
}

static void free_type(struct devtype *t)
{
    for (size_t i = 0; i < t->nparams; i++) {
        free(t->params[i].name);
        free(t->params[i].def);
        free(t->params[i].doc);
        sl_free(&t->params[i].backends);
        free(t->params[i].claim);
    }
    for (size_t i = 0; i < t->ndeps; i++) {
        free(t->deps[i].name);
        free(t->deps[i].type);
        free(t->deps[i].doc);
        sl_free(&t->deps[i].backends);
    }
    free(t->params);
    free(t->deps);
    free(t->name);
    free(t->doc);
    free(t->header);
    free(t->solo5);
    free(t->path);
    sl_free(&t->backends);
    sl_free(&t->sources);
}

void catalogue_free(struct catalogue *c)
{
    for (size_t i = 0; i < c->n; i++)
        free_type(&c->types[i]);
    free(c->types);
    memset(c, 0, sizeof *c);
}

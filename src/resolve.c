#include "resolve.h"

#include <ctype.h>
#include <string.h>

#include "catalogue.h"
#include "claims.h"
#include "config.h"
#include "fsutil.h"
#include "schema.h"
#include "target.h"

struct ctx {
    struct schema s;
    struct graph *g;
    const struct config *c;
    const struct catalogue *cat;
    const struct target *t;
    const struct ynode *overrides; /* targets.T.devices, or NULL */
};

const struct rdev *graph_find(const struct graph *g, const char *name)
{
    for (size_t i = 0; i < g->n; i++)
        if (!strcmp(g->devs[i].name, name))
            return &g->devs[i];
    return NULL;
}

static bool in_list(const struct strlist *l, const char *s)
{
    return l->n == 0 || sl_contains(l, s);
}

/* targets: { NAME: { devices: { DEV: {...} } } } — checked for every target
 * named, so a typo under another target is still caught. */
static void check_overrides(struct ctx *x, const struct strlist *all)
{
    const struct ynode *m = x->c->targets;
    if (!m)
        return;
    for (size_t i = 0; i < m->n; i++) {
        const struct ynode *k = m->keys[i], *v = m->items[i];
        if (!sl_contains(all, k->val)) {
            sc_unknown(&x->s, k, "target", k->val,
                       (const char *const *)all->v, all->n);
            continue;
        }
        static const char *const keys[] = {"devices", NULL};
        if (!sc_kind(&x->s, v, YN_MAP, "target override") ||
            !sc_keys(&x->s, v, keys, "target-override key"))
            continue;
        const struct ynode *devs = ymap_get(v, "devices");
        if (!devs || !sc_kind(&x->s, devs, YN_MAP, "devices"))
            continue;
        for (size_t j = 0; j < devs->n; j++) {
            const struct ynode *dk = devs->keys[j];
            bool found = false;
            for (size_t n = 0; n < x->c->ndevs; n++)
                found |= !strcmp(x->c->devs[n].name, dk->val);
            if (!found) {
                const char **names = xcalloc(x->c->ndevs + 1, sizeof *names);
                for (size_t n = 0; n < x->c->ndevs; n++)
                    names[n] = x->c->devs[n].name;
                sc_unknown(&x->s, dk, "device", dk->val, names, x->c->ndevs);
                free(names);
                continue;
            }
            if (!sc_kind(&x->s, devs->items[j], YN_MAP, "device override"))
                continue;
            if (ymap_get(devs->items[j], "type")) {
                const struct ynode *ty = ymap_get(devs->items[j], "type");
                diag_error(x->s.d, ty->line, ty->col, EXIT_CONFIG,
                           "a target override cannot change a device's type");
            }
            if (!strcmp(k->val, x->t->name) && !x->overrides)
                x->overrides = devs;
        }
    }
}

static const struct ynode *override_of(struct ctx *x, const struct dev_decl *dd)
{
    return x->overrides ? ymap_get(x->overrides, dd->name) : NULL;
}

/* The effective value of key for a device: the target override wins. */
static const struct ynode *dev_value(struct ctx *x, const struct dev_decl *dd,
                                     const char *key)
{
    const struct ynode *o = override_of(x, dd), *v;
    if (o && (v = ymap_get(o, key)))
        return v;
    return dd->body ? ymap_get(dd->body, key) : NULL;
}

static void check_dev_keys(struct ctx *x, const struct dev_decl *dd,
                           const struct devtype *ty)
{
    struct strlist allowed = {0};
    sl_push(&allowed, xstrdup("type"));
    sl_push(&allowed, xstrdup("name"));
    if (ty->backends.n)
        sl_push(&allowed, xstrdup("backend"));
    for (size_t i = 0; i < ty->nparams; i++)
        sl_push(&allowed, xstrdup(ty->params[i].name));
    for (size_t i = 0; i < ty->ndeps; i++)
        sl_push(&allowed, xstrdup(ty->deps[i].name));
    sl_push(&allowed, NULL);
    char *what = xasprintf("key for a %s device", ty->name);
    const struct ynode *maps[2] = {dd->body, override_of(x, dd)};
    for (int m = 0; m < 2; m++)
        if (maps[m])
            sc_keys(&x->s, maps[m], (const char *const *)allowed.v, what);
    free(what);
    allowed.n--; /* the NULL terminator is not a string to free */
    sl_free(&allowed);
}

static bool solo5_name_ok(const char *s)
{
    size_t n = 0;
    for (; s[n]; n++)
        if (!isalnum((unsigned char)s[n]))
            return false;
    return n >= 1 && n <= 67;
}

static void resolve_host_name(struct ctx *x, struct rdev *rd)
{
    const struct dev_decl *dd = rd->decl;
    const struct ynode *v = dev_value(x, dd, "name");
    rd->host_name = dd->name;
    if (v && sc_str(&x->s, v, "name"))
        rd->host_name = v->val;
    if (!rd->type->solo5 || solo5_name_ok(rd->host_name))
        return;
    if (v) {
        diag_error(x->s.d, v->line, v->col, EXIT_CONFIG,
                   "host-side name '%s': expected 1 to 67 letters or digits "
                   "(the Solo5 manifest rule)", rd->host_name);
        return;
    }
    diag_error(x->s.d, dd->pos.line, dd->pos.col, EXIT_CONFIG,
               "device '%s' needs a host-side name of letters and digits only "
               "(the Solo5 manifest rule)", dd->name);
    char *sugg = xstrdup(dd->name);
    char *w = sugg;
    for (char *p = sugg; *p; p++)
        if (isalnum((unsigned char)*p))
            *w++ = *p;
    *w = 0;
    diag_hint(x->s.d, dd->pos.line, dd->pos.col, "add 'name: %s'", sugg);
    free(sugg);
}

static void resolve_backend(struct ctx *x, struct rdev *rd)
{
    const struct devtype *ty = rd->type;
    if (!ty->backends.n)
        return;
    const struct ynode *v = dev_value(x, rd->decl, "backend");
    if (v) {
        if (!sc_str(&x->s, v, "backend"))
            return;
        if (!sl_contains(&ty->backends, v->val)) {
            sc_unknown(&x->s, v, "backend", v->val,
                       (const char *const *)ty->backends.v, ty->backends.n);
            return;
        }
        rd->backend = v->val;
    } else if (rd->impl && rd->impl->backend)
        rd->backend = rd->impl->backend;
    else
        rd->backend = ty->backends.v[0];
}

static struct arg_decl *find_arg(struct graph *g, const char *name)
{
    for (size_t i = 0; i < g->nargs; i++)
        if (!strcmp(g->args[i].name, name))
            return &g->args[i];
    return NULL;
}

/* `param: { arg: NAME, default: V, doc: D }` binds a parameter to a runtime
 * argument, declaring the argument if args: does not. */
static void bind_arg(struct ctx *x, struct rdev *rd, struct rparam *rp,
                     const struct ynode *v)
{
    static const char *const keys[] = {"arg", "default", "doc", NULL};
    const struct param_def *p = rp->def;
    if (!sc_keys(&x->s, v, keys, "argument-binding key"))
        return;
    if (p->host) {
        diag_error(x->s.d, v->line, v->col, EXIT_CONFIG,
                   "parameter '%s' is read at build time and cannot come from "
                   "a runtime argument", p->name);
        return;
    }
    const struct ynode *an = sc_require(&x->s, v, "arg", "argument binding");
    const struct ynode *def = ymap_get(v, "default");
    const struct ynode *doc = ymap_get(v, "doc");
    if (!an || !sc_str(&x->s, an, "arg"))
        return;
    if (!valid_arg_name(an->val)) {
        diag_error(x->s.d, an->line, an->col, EXIT_CONFIG,
                   "argument name '%s': expected a lower-case letter followed "
                   "by lower-case letters, digits or '-'", an->val);
        return;
    }
    if (def && !sc_value(&x->s, def, p->type, "default"))
        return;
    struct arg_decl *a = find_arg(x->g, an->val);
    if (a && a->type != p->type) {
        diag_error(x->s.d, an->line, an->col, EXIT_CONFIG,
                   "argument '%s' is %s but parameter '%s' of device '%s' is %s",
                   an->val, vtype_name(a->type), p->name, rd->name,
                   vtype_name(p->type));
        return;
    }
    if (a && def && !a->implicit) {
        diag_error(x->s.d, def->line, def->col, EXIT_CONFIG,
                   "argument '%s' is declared in args:, so its default belongs "
                   "there", an->val);
        return;
    }
    if (a && def && a->def && strcmp(a->def, def->val)) {
        diag_error(x->s.d, def->line, def->col, EXIT_CONFIG,
                   "argument '%s' already has the default '%s'", an->val, a->def);
        return;
    }
    if (!a) {
        a = &x->g->args[x->g->nargs++];
        a->name = xstrdup(an->val);
        a->type = p->type;
        a->implicit = true;
        a->pos = (struct pos){an->line, an->col};
        a->def = def ? xstrdup(def->val) : p->def ? xstrdup(p->def) : NULL;
        a->doc = xstrdup(doc && doc->kind == YN_SCALAR ? doc->val
                         : p->doc ? p->doc : "");
    }
    rp->arg = a;
    rp->value = a->def;
}

/* An embedded directory must exist inside the project. */
static void check_tree_dir(struct ctx *x, const struct rdev *rd,
                           const struct rparam *rp)
{
    if (!x->c->dir)
        return;
    if (rp->value[0] == '/' || strstr(rp->value, "..")) {
        diag_error(x->s.d, rp->pos.line, rp->pos.col, EXIT_CONFIG,
                   "%s of device '%s': '%s' must be a directory inside the "
                   "project", rp->def->name, rd->name, rp->value);
        return;
    }
    char *p = path_join(x->c->dir, rp->value);
    if (!is_dir(p)) {
        diag_error(x->s.d, rp->pos.line, rp->pos.col, EXIT_CONFIG,
                   "%s of device '%s': directory '%s' does not exist",
                   rp->def->name, rd->name, rp->value);
        struct strlist l = {0}, dirs = {0};
        list_dir(x->c->dir, &l);
        for (size_t i = 0; i < l.n; i++) {
            char *c = path_join(x->c->dir, l.v[i]);
            if (l.v[i][0] != '.' && l.v[i][0] != '_' && is_dir(c))
                sl_push(&dirs, xstrdup(l.v[i]));
            free(c);
        }
        const char *near = nearest(rp->value, (const char *const *)dirs.v, dirs.n);
        if (near)
            diag_hint(x->s.d, rp->pos.line, rp->pos.col, "did you mean '%s'?", near);
        sl_free(&l);
        sl_free(&dirs);
    }
    free(p);
}

static void resolve_params(struct ctx *x, struct rdev *rd)
{
    const struct devtype *ty = rd->type;
    rd->params = xcalloc(ty->nparams + 1, sizeof *rd->params);
    for (size_t i = 0; i < ty->nparams; i++) {
        const struct param_def *p = &ty->params[i];
        struct rparam *rp = &rd->params[i];
        const struct ynode *v = dev_value(x, rd->decl, p->name);
        bool applies = !rd->backend || in_list(&p->backends, rd->backend);
        rp->def = p;
        if (v && !applies) {
            diag_error(x->s.d, v->line, v->col, EXIT_CONFIG,
                       "parameter '%s' does not apply to the %s backend",
                       p->name, rd->backend);
            continue;
        }
        if (!applies)
            continue;
        if (v && v->kind == YN_MAP) {
            bind_arg(x, rd, rp, v);
        } else if (v) {
            char *what = xasprintf("parameter '%s' of device '%s' (%s)",
                                   p->name, rd->name, vtype_name(p->type));
            if (sc_value(&x->s, v, p->type, what)) {
                rp->value = v->val;
                rp->pos = (struct pos){v->line, v->col};
                if (p->embed_tree)
                    check_tree_dir(x, rd, rp);
            }
            free(what);
        } else if (p->def) {
            rp->value = p->def;
            rp->pos = rd->decl->pos;
            if (p->embed_tree)
                check_tree_dir(x, rd, rp);
        } else {
            struct pos at = rd->decl->pos;
            diag_error(x->s.d, at.line, at.col, EXIT_CONFIG,
                       "device '%s' (%s%s%s) needs parameter '%s'%s%s",
                       rd->name, ty->name, rd->backend ? ", backend " : "",
                       rd->backend ? rd->backend : "", p->name,
                       p->doc ? ": " : "", p->doc ? p->doc : "");
        }
    }
}

static void resolve_deps(struct ctx *x, struct rdev *rd)
{
    const struct devtype *ty = rd->type;
    struct graph *g = x->g;
    rd->deps = xcalloc(ty->ndeps + 1, sizeof *rd->deps);
    for (size_t i = 0; i < ty->ndeps; i++) {
        const struct dep_def *dp = &ty->deps[i];
        const struct ynode *v = dev_value(x, rd->decl, dp->name);
        bool applies = !rd->backend || in_list(&dp->backends, rd->backend);
        struct pos at = rd->decl->pos;
        if (v && !applies) {
            diag_error(x->s.d, v->line, v->col, EXIT_CONFIG,
                       "dependency '%s' does not apply to the %s backend",
                       dp->name, rd->backend);
            continue;
        }
        if (!applies)
            continue;
        if (v) {
            if (!sc_str(&x->s, v, "dependency"))
                continue;
            struct rdev *dep = (struct rdev *)graph_find(g, v->val);
            if (!dep) {
                const char **names = xcalloc(g->n + 1, sizeof *names);
                for (size_t n = 0; n < g->n; n++)
                    names[n] = g->devs[n].name;
                diag_error(x->s.d, v->line, v->col, EXIT_CONFIG,
                           "device '%s' depends on '%s', which is not declared",
                           rd->name, v->val);
                const char *near = nearest(v->val, names, g->n);
                if (near)
                    diag_hint(x->s.d, v->line, v->col, "did you mean '%s'?", near);
                free(names);
                continue;
            }
            if (dep->type && strcmp(dep->decl->type, dp->type)) {
                diag_error(x->s.d, v->line, v->col, EXIT_CONFIG,
                           "'%s' of device '%s' must be a %s device, but '%s' "
                           "is a %s", dp->name, rd->name, dp->type, v->val,
                           dep->decl->type);
                continue;
            }
            rd->deps[i] = dep;
            continue;
        }
        /* Not given: bind the only device of the right type, if there is
         * exactly one. A dependency on the device's own type is a link
         * between peers and is never guessed: two such devices would each
         * pick the other and make a cycle nobody wrote. An optional
         * dependency is never guessed either: it is set only when named. */
        if (dp->optional)
            continue;
        struct rdev *only = NULL;
        size_t count = 0;
        bool peer = !strcmp(dp->type, ty->name);
        for (size_t n = 0; n < g->n && !peer; n++)
            if (&g->devs[n] != rd && !strcmp(g->devs[n].decl->type, dp->type)) {
                only = &g->devs[n];
                count++;
            }
        if (count == 1) {
            rd->deps[i] = only;
        } else if (count > 1) {
            diag_error(x->s.d, at.line, at.col, EXIT_CONFIG,
                       "device '%s' needs a %s device for '%s' and there are "
                       "%zu: say which with '%s: NAME'", rd->name, dp->type,
                       dp->name, count, dp->name);
        } else if (peer && !dp->optional) {
            diag_error(x->s.d, at.line, at.col, EXIT_CONFIG,
                       "device '%s' needs another %s device for '%s': name "
                       "it with '%s: NAME'", rd->name, dp->type, dp->name,
                       dp->name);
        } else if (!dp->optional) {
            diag_error(x->s.d, at.line, at.col, EXIT_CONFIG,
                       "device '%s' needs a %s device for '%s' and none is "
                       "declared", rd->name, dp->type, dp->name);
            diag_hint(x->s.d, at.line, at.col,
                      "declare one under devices:, e.g. '%s: { type: %s }'",
                      dp->type, dp->type);
        }
    }
}

/* Depth-first search for cycles and the initialisation order. */
enum { WHITE, GREY, BLACK };

static bool visit(struct ctx *x, size_t i, int *colour, size_t *stack,
                  size_t depth, size_t *order, size_t *norder)
{
    struct graph *g = x->g;
    struct rdev *rd = &g->devs[i];
    colour[i] = GREY;
    stack[depth] = i;
    for (size_t k = 0; rd->type && k < rd->type->ndeps; k++) {
        struct rdev *dep = rd->deps[k];
        if (!dep)
            continue;
        size_t j = (size_t)(dep - g->devs);
        if (colour[j] == GREY) {
            struct strbuf sb;
            sb_init(&sb);
            size_t from = 0;
            while (stack[from] != j)
                from++;
            for (size_t s = from; s <= depth; s++)
                sb_printf(&sb, "%s -> ", g->devs[stack[s]].name);
            sb_puts(&sb, dep->name);
            struct pos at = g->devs[j].decl->pos;
            diag_error(x->s.d, at.line, at.col, EXIT_CONFIG,
                       "the device graph has a cycle: %s", sb.buf);
            sb_free(&sb);
            return false;
        }
        if (colour[j] == WHITE &&
            !visit(x, j, colour, stack, depth + 1, order, norder))
            return false;
    }
    colour[i] = BLACK;
    order[(*norder)++] = i;
    return true;
}

static void order_graph(struct ctx *x)
{
    struct graph *g = x->g;
    int *colour = xcalloc(g->n + 1, sizeof *colour);
    size_t *stack = xcalloc(g->n + 1, sizeof *stack);
    size_t norder = 0;
    g->order = xcalloc(g->n + 1, sizeof *g->order);
    for (size_t i = 0; i < g->n; i++)
        if (colour[i] == WHITE &&
            !visit(x, i, colour, stack, 0, g->order, &norder))
            break;
    free(colour);
    free(stack);
}

static void provided_list(const struct target *t, struct strbuf *sb)
{
    for (size_t i = 0; i < t->ndevs; i++)
        sb_printf(sb, "%s%s", i ? ", " : "", t->devs[i].type);
    if (!t->ndevs)
        sb_puts(sb, "(none)");
}

static void resolve_type(struct ctx *x, struct rdev *rd)
{
    const struct dev_decl *dd = rd->decl;
    rd->type = catalogue_find(x->cat, dd->type);
    if (!rd->type) {
        const char **names = xcalloc(x->cat->n + 1, sizeof *names);
        for (size_t i = 0; i < x->cat->n; i++)
            names[i] = x->cat->types[i].name;
        struct ynode at = {.line = dd->type_pos.line, .col = dd->type_pos.col};
        sc_unknown(&x->s, &at, "device type", dd->type, names, x->cat->n);
        free(names);
        return;
    }
    rd->impl = target_dev_find(x->t, dd->type);
    if (!rd->impl) {
        struct strbuf sb;
        sb_init(&sb);
        provided_list(x->t, &sb);
        diag_error(x->s.d, dd->type_pos.line, dd->type_pos.col, EXIT_TARGET,
                   "target '%s' does not provide device type '%s' (device '%s')",
                   x->t->name, dd->type, dd->name);
        diag_hint(x->s.d, dd->type_pos.line, dd->type_pos.col,
                  "target '%s' provides: %s", x->t->name, sb.buf);
        sb_free(&sb);
    }
}

/* Handles number the Solo5 manifest's entries from 1. The target's limit
 * (target.yml solo5: max-devices) is reported once, at the first device
 * past it, naming the target, the limit and the count. */
static void assign_handles(struct ctx *x)
{
    unsigned next = 1, count = 0, limit = x->g->target->max_devices;
    const struct rdev *first_over = NULL;
    for (size_t i = 0; i < x->g->n; i++) {
        const struct rdev *rd = &x->g->devs[i];
        if (rd->type && rd->type->solo5 && ++count == limit + 1 && limit)
            first_over = rd;
    }
    if (first_over) {
        diag_error(x->s.d, first_over->decl->pos.line, first_over->decl->pos.col,
                   EXIT_TARGET, "target '%s' allows at most %u block and net "
                   "devices (its Solo5 manifest), this project declares %u",
                   x->g->target->name, limit, count);
        diag_hint(x->s.d, first_over->decl->pos.line, first_over->decl->pos.col,
                  "'%s' is device %u of that kind; the limit is max-devices "
                  "in %s", first_over->name, limit + 1, x->g->target->path);
        return;
    }
    for (size_t i = 0; i < x->g->n; i++) {
        struct rdev *rd = &x->g->devs[i];
        if (!rd->type || !rd->type->solo5)
            continue;
        for (size_t j = 0; j < i; j++) {
            struct rdev *o = &x->g->devs[j];
            if (o->type && o->type->solo5 && !strcmp(o->host_name, rd->host_name))
                diag_error(x->s.d, rd->decl->pos.line, rd->decl->pos.col,
                           EXIT_CONFIG,
                           "devices '%s' and '%s' have the same host-side name '%s'",
                           o->name, rd->name, rd->host_name);
        }
        rd->handle = next++;
    }
}

int resolve(struct graph *g, const struct config *c,
            const struct catalogue *cat, const struct target *t,
            const struct strlist *all_targets, struct diag *d)
{
    struct ctx x = {{d, EXIT_CONFIG}, g, c, cat, t, NULL};
    int before = d->errors;
    memset(g, 0, sizeof *g);
    g->cfg = c;
    g->target = t;
    g->devs = xcalloc(c->ndevs + 1, sizeof *g->devs);
    g->n = c->ndevs;
    /* Room for the declared arguments plus one implicit per parameter. */
    size_t maxargs = c->nargs;
    for (size_t i = 0; i < cat->n; i++)
        maxargs += cat->types[i].nparams * c->ndevs;
    g->args = xcalloc(maxargs + 1, sizeof *g->args);
    for (size_t i = 0; i < c->nargs; i++) {
        g->args[i] = c->args[i];
        g->args[i].name = xstrdup(c->args[i].name);
        g->args[i].def = c->args[i].def ? xstrdup(c->args[i].def) : NULL;
        g->args[i].doc = c->args[i].doc ? xstrdup(c->args[i].doc) : NULL;
    }
    g->nargs = c->nargs;

    check_overrides(&x, all_targets);
    for (size_t i = 0; i < g->n; i++) {
        g->devs[i].decl = &c->devs[i];
        g->devs[i].name = c->devs[i].name;
        resolve_type(&x, &g->devs[i]);
    }
    for (size_t i = 0; i < g->n; i++) {
        struct rdev *rd = &g->devs[i];
        /* A type the target lacks was reported once: its parameters and
         * dependencies would only add errors with the same cause. */
        if (!rd->type || !rd->impl)
            continue;
        check_dev_keys(&x, rd->decl, rd->type);
        resolve_host_name(&x, rd);
        resolve_backend(&x, rd);
        resolve_params(&x, rd);
        resolve_deps(&x, rd);
    }
    claims_check(g, d);
    allowed_check(g, d);
    if (d->errors == before)
        order_graph(&x);
    if (d->errors == before)
        assign_handles(&x);
    return d->errors > before ? d->code : 0;
}

void graph_free(struct graph *g)
{
    for (size_t i = 0; i < g->n; i++) {
        free(g->devs[i].params);
        free(g->devs[i].deps);
    }
    for (size_t i = 0; i < g->nargs; i++) {
        free(g->args[i].name);
        free(g->args[i].def);
        free(g->args[i].doc);
    }
    free(g->devs);
    free(g->order);
    free(g->args);
    memset(g, 0, sizeof *g);
}

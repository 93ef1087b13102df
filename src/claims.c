/* Claims: a device parameter with `claim: KIND` (share/devices/TYPE.yml)
 * names a resource of that kind - a pin, a peripheral - that only one
 * device may use, and that the target may keep for itself (`reserved:` in
 * target.yml). Checked after the parameters are resolved, in declaration
 * order, so the second claimant is the one reported, at its value.
 * Then each device's values against the ones its target allows. */
#include "claims.h"

#include <stdlib.h>
#include <string.h>

#include "fsutil.h"

struct claim {
    const char *kind;
    char *value;              /* canonical: integers in decimal */
    const struct rdev *dev;
    struct pos pos;
};

/* "0x19" and "25" are the same pin. */
static char *canonical(const struct rparam *rp)
{
    if (rp->def->type == VT_INT) {
        char *end;
        long long v = strtoll(rp->value, &end, 0);
        if (*rp->value && !*end)
            return xasprintf("%lld", v);
    }
    return xstrdup(rp->value);
}

static const struct reserved *reserved_find(const struct target *t,
                                            const char *kind, const char *value)
{
    for (size_t i = 0; i < t->nreserved; i++) {
        const struct reserved *r = &t->reserved[i];
        if (!strcmp(r->kind, kind) && !strcmp(r->value, value))
            return r;
    }
    return NULL;
}

void claims_check(const struct graph *g, struct diag *d)
{
    size_t max = 0, n = 0;
    for (size_t i = 0; i < g->n; i++)
        if (g->devs[i].type)
            max += g->devs[i].type->nparams;
    struct claim *c = xcalloc(max + 1, sizeof *c);
    for (size_t i = 0; i < g->n; i++) {
        const struct rdev *rd = &g->devs[i];
        for (size_t j = 0; rd->type && rd->params && j < rd->type->nparams; j++) {
            const struct rparam *rp = &rd->params[j];
            /* a value from a runtime argument is known only at boot */
            if (!rp->def->claim || !rp->value || rp->arg)
                continue;
            struct pos at = rp->pos.line ? rp->pos : rd->decl->pos;
            char *value = canonical(rp);
            const struct reserved *r = reserved_find(g->target, rp->def->claim, value);
            const struct claim *prev = NULL;
            /* "device 'led'", or "tx of device 'serial'" */
            char *who = strcmp(rp->def->name, rp->def->claim)
                            ? xasprintf("%s of device '%s'", rp->def->name, rd->name)
                            : xasprintf("device '%s'", rd->name);
            for (size_t k = 0; k < n && !prev; k++)
                if (!strcmp(c[k].kind, rp->def->claim) && !strcmp(c[k].value, value))
                    prev = &c[k];
            if (r) {
                diag_error(d, at.line, at.col, EXIT_CONFIG,
                           "%s %s (%s) is reserved on target '%s': %s",
                           rp->def->claim, value, who, g->target->name, r->why);
            } else if (prev) {
                diag_error(d, at.line, at.col, EXIT_CONFIG,
                           "%s %s (%s) is already used by device '%s'",
                           rp->def->claim, value, who, prev->dev->name);
                diag_hint(d, prev->pos.line, prev->pos.col,
                          "device '%s' claims %s %s here", prev->dev->name,
                          rp->def->claim, value);
            }
            free(who);
            if (r || prev) {
                free(value);
                continue;
            }
            c[n++] = (struct claim){rp->def->claim, value, rd, at};
        }
    }
    for (size_t k = 0; k < n; k++)
        free(c[k].value);
    free(c);
}

/* "25" in "2..29", or equal to one value; integers by value. */
static bool value_in(const char *v, const struct strlist *vals, bool is_int)
{
    char *end;
    long long x = strtoll(v, &end, 0);
    is_int = is_int && *v && !*end;
    for (size_t i = 0; i < vals->n; i++) {
        const char *a = vals->v[i], *dots = strstr(a, "..");
        if (is_int && dots) {
            long long lo = strtoll(a, NULL, 0), hi = strtoll(dots + 2, NULL, 0);
            if (x >= lo && x <= hi)
                return true;
        } else if (is_int && strtoll(a, &end, 0) == x && !*end) {
            return true;
        } else if (!strcmp(a, v)) {
            return true;
        }
    }
    return false;
}

static const struct rparam *param_of(const struct rdev *rd, const char *name)
{
    for (size_t i = 0; i < rd->type->nparams; i++)
        if (!strcmp(rd->type->params[i].name, name))
            return &rd->params[i];
    return NULL;
}

/* How many of entry a's parameters rd satisfies; *bad: the first not. */
static size_t matches(const struct rdev *rd, const struct allowed *a,
                      const struct allowed_param **bad)
{
    size_t n = 0;
    *bad = NULL;
    for (size_t k = 0; k < a->n; k++) {
        const struct rparam *rp = param_of(rd, a->params[k].param);
        if (!rp || !rp->value || rp->arg ||
            value_in(rp->value, &a->params[k].values, rp->def->type == VT_INT))
            n++;
        else if (!*bad)
            *bad = &a->params[k];
    }
    return n;
}

/* Whether the entries allow different values for param. */
static bool discriminates(const struct target_dev *td, const char *param)
{
    const struct strlist *first = NULL;
    for (size_t j = 0; j < td->nallowed; j++)
        for (size_t k = 0; k < td->allowed[j].n; k++) {
            const struct allowed_param *ap = &td->allowed[j].params[k];
            if (strcmp(ap->param, param))
                continue;
            if (!first)
                first = &ap->values;
            else if (first->n != ap->values.n)
                return true;
            else
                for (size_t i = 0; i < first->n; i++)
                    if (strcmp(first->v[i], ap->values.v[i]))
                        return true;
        }
    return false;
}

void allowed_check(const struct graph *g, struct diag *d)
{
    for (size_t i = 0; i < g->n; i++) {
        const struct rdev *rd = &g->devs[i];
        if (!rd->type || !rd->impl || !rd->params || !rd->impl->nallowed)
            continue;
        const struct allowed *best = NULL;
        const struct allowed_param *bad = NULL;
        size_t best_n = 0;
        for (size_t j = 0; j < rd->impl->nallowed; j++) {
            const struct allowed_param *b;
            size_t n = matches(rd, &rd->impl->allowed[j], &b);
            if (!b) {
                best = NULL;
                bad = NULL;
                break;
            }
            if (!best || n > best_n) {
                best = &rd->impl->allowed[j];
                best_n = n;
                bad = b;
            }
        }
        if (!bad)
            continue;
        const struct rparam *rp = param_of(rd, bad->param);
        struct pos at = rp->pos.line ? rp->pos : rd->decl->pos;
        struct strbuf vals, with;
        sb_init(&vals);
        sb_init(&with);
        for (size_t k = 0; k < bad->values.n; k++)
            sb_printf(&vals, "%s%s", k ? ", " : "", bad->values.v[k]);
        /* When the entries differ in this parameter, the values it may
         * take depend on the others that differ: name the device's. */
        if (discriminates(rd->impl, bad->param))
            for (size_t k = 0; k < best->n; k++) {
                const struct allowed_param *o = &best->params[k];
                const struct rparam *orp = param_of(rd, o->param);
                if (o != bad && orp && orp->value && discriminates(rd->impl, o->param))
                    sb_printf(&with, "%s %s %s", with.len ? "," : " with", o->param,
                              orp->value);
            }
        diag_error(d, at.line, at.col, EXIT_CONFIG,
                   "%s %s of device '%s': target '%s' allows %s%s", bad->param,
                   rp->value, rd->name, g->target->name, vals.buf, with.len ? with.buf : "");
        sb_free(&vals);
        sb_free(&with);
    }
}

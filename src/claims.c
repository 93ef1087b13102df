/* Claims: a device parameter with `claim: KIND` (share/devices/TYPE.yml)
 * names a resource of that kind - a pin, a peripheral - that only one
 * device may use, and that the target may keep for itself (`reserved:` in
 * target.yml). Checked after the parameters are resolved, in declaration
 * order, so the second claimant is the one reported, at its value. */
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

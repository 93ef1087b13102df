/* Resolution: a configuration, the catalogue and a target give a typed,
 * ordered device graph — or precise errors. */
#ifndef MIRLEFT_RESOLVE_H
#define MIRLEFT_RESOLVE_H

#include "diag.h"
#include "model.h"

/* all_targets: names of every known target (to check `targets:` keys).
 * Returns 0 or the exit code of the first error. */
int resolve(struct graph *g, const struct config *c,
            const struct catalogue *cat, const struct target *t,
            const struct strlist *all_targets, struct diag *d);
void graph_free(struct graph *g);
const struct rdev *graph_find(const struct graph *g, const char *name);

#endif

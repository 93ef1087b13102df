/* Target descriptions: targets/NAME/target.yml. */
#ifndef MIRLEFT_TARGET_H
#define MIRLEFT_TARGET_H

#include <stdio.h>

#include "model.h"

/* Loads targets/name/target.yml under root; errors go to out. With cat
 * (may be NULL), each device type it provides must be in the catalogue and
 * a default backend one its type lists. Returns 0,
 * or the exit code of the first error: EXIT_TARGET for a bindings path
 * that leaves the data root or names no file, EXIT_FAIL otherwise. */
int target_load(struct target *t, const char *root, const char *name,
                const struct catalogue *cat, FILE *out);
void target_free(struct target *t);
/* Names of every directory under root/targets holding a target.yml. */
void target_names(const char *root, struct strlist *out);
const struct target_dev *target_dev_find(const struct target *t,
                                         const char *type);
bool target_ready(const struct target *t);

#endif

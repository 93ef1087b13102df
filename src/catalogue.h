/* The device-type catalogue: one YAML file per type in share/devices. */
#ifndef MIRLEFT_CATALOGUE_H
#define MIRLEFT_CATALOGUE_H

#include "diag.h"
#include "model.h"

/* Loads every YAML file in share/devices under root. Errors go to out; returns
 * false if any file is invalid. */
bool catalogue_load(struct catalogue *c, const char *root, FILE *out);
const struct devtype *catalogue_find(const struct catalogue *c,
                                     const char *name);
/* The type names, in catalogue order, for did-you-mean hints (c->n of
 * them, then NULL); the caller frees the array, not the names. */
const char **catalogue_names(const struct catalogue *c);
void catalogue_free(struct catalogue *c);

#endif

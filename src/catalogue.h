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
void catalogue_free(struct catalogue *c);

#endif

/* unikernel.yml → struct config. The version bound is checked before
 * anything else, so a project written for a newer mirleft says so instead of
 * failing on keys this version does not know. */
#ifndef MIRLEFT_CONFIG_H
#define MIRLEFT_CONFIG_H

#include "diag.h"
#include "model.h"

/* Parses and validates buf. project_dir, when not NULL, is where sources
 * must exist. Returns 0 or the exit code of the first error. */
int config_load(struct config *c, const char *buf, size_t len,
                const char *project_dir, struct diag *d);
void config_free(struct config *c);
void library_free(struct library *l);

/* Name rules shared with the resolver. */
bool is_c_keyword(const char *s);
bool valid_project_name(const char *s);
bool valid_device_name(const char *s);
bool valid_arg_name(const char *s);
bool valid_c_ident(const char *s);
/* The C field for an argument: '-' becomes '_'. Caller frees. */
char *arg_field(const char *name);

#endif

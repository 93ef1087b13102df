/* Strict checks on YAML nodes: the expected kind, the allowed keys (with a
 * "did you mean" for the nearest), required keys, typed scalars. Every
 * failure is reported through the diag with code d_code. */
#ifndef MIRLEFT_SCHEMA_H
#define MIRLEFT_SCHEMA_H

#include "diag.h"
#include "model.h"
#include "yaml_tree.h"

struct schema {
    struct diag *d;
    int code;   /* exit code for errors found by these checks */
};

bool sc_kind(struct schema *s, const struct ynode *n, enum ynode_kind k,
             const char *what);
/* Reports every key of map not in allowed[] (NULL-terminated). */
bool sc_keys(struct schema *s, const struct ynode *map,
             const char *const *allowed, const char *what);
/* Returns the value of key, reporting its absence at the map. */
struct ynode *sc_require(struct schema *s, const struct ynode *map,
                         const char *key, const char *what);
/* A scalar's text (borrowed), or NULL after an error. */
const char *sc_str(struct schema *s, const struct ynode *n, const char *what);
/* A scalar that is exactly true or false. */
bool sc_bool(struct schema *s, const struct ynode *n, const char *what,
             bool *out);
/* A sequence of scalars (or one scalar), appended to l as copies. */
bool sc_strlist(struct schema *s, const struct ynode *n, const char *what,
                struct strlist *l);
/* The i-th item of a string-or-list node n (as sc_strlist read it), for
 * reporting at the item's position; sc_list_len is how many there are. */
size_t sc_list_len(const struct ynode *n);
const struct ynode *sc_list_item(const struct ynode *n, size_t i);
/* Each glob pattern of the string-or-list n must match a file under base;
 * one that matches nothing is reported at its position with code. */
bool sc_globs_match(struct schema *s, const struct ynode *n, const char *base,
                    int code);
/* A value of the given type; reports what was expected. */
bool sc_value(struct schema *s, const struct ynode *n, enum vtype t,
              const char *what);
/* Reports an unknown name with the nearest of cands as a hint. */
void sc_unknown(struct schema *s, const struct ynode *at, const char *kind,
                const char *name, const char *const *cands, size_t n);

#endif

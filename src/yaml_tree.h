/* A YAML document as a tree of nodes that remember where they were written,
 * so that every later check can point at file:line:col. */
#ifndef MIRLEFT_YAML_TREE_H
#define MIRLEFT_YAML_TREE_H

#include <stdbool.h>
#include <stddef.h>

#include "diag.h"

enum ynode_kind { YN_SCALAR, YN_SEQ, YN_MAP };

struct ynode {
    enum ynode_kind kind;
    int line, col;          /* 1-based */
    char *val;              /* scalar text as written (NUL-terminated) */
    bool quoted;            /* scalar was quoted or a block scalar */
    size_t n;               /* number of items or pairs */
    struct ynode **items;   /* sequence items, or mapping values */
    struct ynode **keys;    /* mapping keys (always scalars) */
};

/* Parses one YAML document. Returns NULL after reporting through d on any
 * syntax error, duplicate key, alias, non-scalar key or excessive nesting.
 * An empty document yields NULL with an error too. */
struct ynode *yaml_load(const char *buf, size_t len, struct diag *d);
void ynode_free(struct ynode *n);

struct ynode *ymap_get(const struct ynode *map, const char *key);
const char *ykind_name(enum ynode_kind k);

#endif

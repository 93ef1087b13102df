#include "schema.h"

#include <string.h>

#include "fsutil.h"

const char *const vtype_names[] = {
    "string", "int", "bool", "size", "ipv4", "ipv4-addr", "mac", "path",
};
const size_t vtype_count = sizeof vtype_names / sizeof vtype_names[0];

static const enum vtype vtype_values[] = {
    VT_STRING, VT_INT, VT_BOOL, VT_SIZE, VT_IPV4, VT_IPV4_ADDR, VT_MAC, VT_PATH,
};

bool vtype_parse(const char *s, enum vtype *t)
{
    for (size_t i = 0; i < vtype_count; i++)
        if (!strcmp(s, vtype_names[i])) {
            *t = vtype_values[i];
            return true;
        }
    return false;
}

const char *vtype_name(enum vtype t)
{
    for (size_t i = 0; i < vtype_count; i++)
        if (vtype_values[i] == t)
            return vtype_names[i];
    return "?";
}

const char *vtype_ctype(enum vtype t)
{
    switch (t) {
    case VT_STRING: return "const char *";
    case VT_INT: return "int64_t";
    case VT_BOOL: return "bool";
    case VT_SIZE: return "uint64_t";
    case VT_IPV4: return "struct ml_ipv4_prefix";
    case VT_IPV4_ADDR: return "ml_ipv4_addr_t";
    case VT_MAC: return "struct ml_mac";
    case VT_PATH: return "const char *";
    }
    return "void";
}

const char *vtype_check(enum vtype t, const char *text)
{
    union vvalue out;
    if (t == VT_PATH)
        return *text ? NULL : "expected a non-empty path";
    return ml_arg_value_parse((enum ml_arg_type)t, text, &out);
}

bool sc_kind(struct schema *s, const struct ynode *n, enum ynode_kind k,
             const char *what)
{
    if (n->kind == k)
        return true;
    diag_error(s->d, n->line, n->col, s->code, "%s: expected %s, found %s",
               what, ykind_name(k), ykind_name(n->kind));
    return false;
}

bool sc_keys(struct schema *s, const struct ynode *map,
             const char *const *allowed, const char *what)
{
    size_t na = 0;
    bool ok = true;
    while (allowed[na])
        na++;
    for (size_t i = 0; i < map->n; i++) {
        const char *k = map->keys[i]->val;
        size_t j;
        for (j = 0; j < na && strcmp(k, allowed[j]); j++)
            ;
        if (j < na)
            continue;
        sc_unknown(s, map->keys[i], what, k, allowed, na);
        ok = false;
    }
    return ok;
}

void sc_unknown(struct schema *s, const struct ynode *at, const char *kind,
                const char *name, const char *const *cands, size_t n)
{
    diag_error(s->d, at->line, at->col, s->code, "unknown %s '%s'", kind,
               name);
    const char *near = nearest(name, cands, n);
    if (near) {
        diag_hint(s->d, at->line, at->col, "did you mean '%s'?", near);
        return;
    }
    struct strbuf sb;
    sb_init(&sb);
    for (size_t i = 0; i < n && i < 24; i++)
        sb_printf(&sb, "%s%s", i ? ", " : "", cands[i]);
    if (n)
        diag_hint(s->d, at->line, at->col, "expected one of: %s", sb.buf);
    else
        diag_hint(s->d, at->line, at->col, "none are defined here");
    sb_free(&sb);
}

struct ynode *sc_require(struct schema *s, const struct ynode *map,
                         const char *key, const char *what)
{
    struct ynode *v = ymap_get(map, key);
    if (!v)
        diag_error(s->d, map->line, map->col, s->code,
                   "%s: missing required key '%s'", what, key);
    return v;
}

const char *sc_str(struct schema *s, const struct ynode *n, const char *what)
{
    if (!sc_kind(s, n, YN_SCALAR, what))
        return NULL;
    return n->val;
}

bool sc_bool(struct schema *s, const struct ynode *n, const char *what,
             bool *out)
{
    if (!sc_kind(s, n, YN_SCALAR, what))
        return false;
    if (!n->quoted && !strcmp(n->val, "true"))
        return *out = true, true;
    if (!n->quoted && !strcmp(n->val, "false"))
        return *out = false, true;
    diag_error(s->d, n->line, n->col, s->code,
               "%s: expected true or false, found '%s'", what, n->val);
    return false;
}

bool sc_strlist(struct schema *s, const struct ynode *n, const char *what,
                struct strlist *l)
{
    if (n->kind == YN_SCALAR) {
        sl_push(l, xstrdup(n->val));
        return true;
    }
    if (!sc_kind(s, n, YN_SEQ, what))
        return false;
    bool ok = true;
    for (size_t i = 0; i < n->n; i++) {
        const char *v = sc_str(s, n->items[i], what);
        if (v)
            sl_push(l, xstrdup(v));
        else
            ok = false;
    }
    return ok;
}

size_t sc_list_len(const struct ynode *n)
{
    return n->kind == YN_SCALAR ? 1 : n->kind == YN_SEQ ? n->n : 0;
}

const struct ynode *sc_list_item(const struct ynode *n, size_t i)
{
    return n->kind == YN_SCALAR ? n : n->items[i];
}

bool sc_globs_match(struct schema *s, const struct ynode *n, const char *base,
                    int code)
{
    bool ok = true;
    for (size_t i = 0; i < sc_list_len(n); i++) {
        const struct ynode *it = sc_list_item(n, i);
        struct strlist found = {0};
        if (it->val && (!glob_rel(base, it->val, &found) || !found.n)) {
            diag_error(s->d, it->line, it->col, code,
                       "sources pattern '%s' names no file under %s",
                       it->val, base);
            ok = false;
        }
        sl_free(&found);
    }
    return ok;
}

bool sc_value(struct schema *s, const struct ynode *n, enum vtype t,
              const char *what)
{
    if (!sc_kind(s, n, YN_SCALAR, what))
        return false;
    const char *why = vtype_check(t, n->val);
    if (!why)
        return true;
    diag_error(s->d, n->line, n->col, s->code, "%s: %s, found '%s'", what,
               why, n->val);
    return false;
}

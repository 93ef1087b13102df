/* libyaml's event stream turned into a position-carrying tree. Built with an
 * explicit stack, so hostile nesting cannot exhaust the C stack. */
#include "yaml_tree.h"

#include <string.h>
#include <yaml.h>

#include "util.h"

#define MAX_DEPTH 64

const char *ykind_name(enum ynode_kind k)
{
    switch (k) {
    case YN_SCALAR: return "a scalar";
    case YN_SEQ: return "a sequence";
    case YN_MAP: return "a mapping";
    }
    return "?";
}

static struct ynode *node_new(enum ynode_kind kind, yaml_mark_t m)
{
    struct ynode *n = xcalloc(1, sizeof *n);
    n->kind = kind;
    n->line = (int)m.line + 1;
    n->col = (int)m.column + 1;
    return n;
}

void ynode_free(struct ynode *n)
{
    if (!n)
        return;
    for (size_t i = 0; i < n->n; i++) {
        ynode_free(n->items[i]);
        if (n->keys)
            ynode_free(n->keys[i]);
    }
    free(n->items);
    free(n->keys);
    free(n->val);
    free(n);
}

struct ynode *ymap_get(const struct ynode *map, const char *key)
{
    if (!map || map->kind != YN_MAP)
        return NULL;
    for (size_t i = 0; i < map->n; i++)
        if (!strcmp(map->keys[i]->val, key))
            return map->items[i];
    return NULL;
}

/* One open collection on the build stack; for a mapping, `key` holds the
 * key read but whose value has not arrived yet. */
struct frame {
    struct ynode *node;
    struct ynode *key;
    size_t cap;
};

/* Adds child to the collection on top of the stack (or makes it the root).
 * Returns false after reporting an error; child is then freed. */
static bool attach(struct frame *top, struct ynode **root, struct ynode *child,
                   struct diag *d)
{
    if (!top) {
        *root = child;
        return true;
    }
    struct ynode *p = top->node;
    if (p->kind == YN_MAP && !top->key) {
        if (child->kind != YN_SCALAR) {
            diag_error(d, child->line, child->col, EXIT_CONFIG,
                       "mapping keys must be plain scalars, not %s",
                       ykind_name(child->kind));
            ynode_free(child);
            return false;
        }
        struct ynode *dup = NULL;
        for (size_t i = 0; i < p->n; i++)
            if (!strcmp(p->keys[i]->val, child->val))
                dup = p->keys[i];
        if (dup) {
            diag_error(d, child->line, child->col, EXIT_CONFIG,
                       "duplicate key '%s'", child->val);
            diag_hint(d, dup->line, dup->col, "'%s' was first given here",
                      child->val);
            ynode_free(child);
            return false;
        }
        top->key = child;
        return true;
    }
    if (p->n == top->cap) {
        top->cap = top->cap ? top->cap * 2 : 4;
        p->items = xrealloc(p->items, top->cap * sizeof *p->items);
        if (p->kind == YN_MAP)
            p->keys = xrealloc(p->keys, top->cap * sizeof *p->keys);
    }
    if (p->kind == YN_MAP) {
        p->keys[p->n] = top->key;
        top->key = NULL;
    }
    p->items[p->n++] = child;
    return true;
}

/* libyaml's reader (encoding, control characters) gives a byte offset and
 * leaves the mark at 0:0: the position is counted here, in characters. */
static void reader_error(yaml_parser_t *p, const char *buf, size_t len,
                         struct diag *d)
{
    size_t off = p->problem_offset < len ? p->problem_offset : len;
    int line = 1, col = 1;
    for (size_t i = 0; i < off; i++) {
        if (buf[i] == '\n')
            line++, col = 1;
        else if (((unsigned char)buf[i] & 0xc0) != 0x80)
            col++;
    }
    const char *problem = p->problem ? p->problem : "unreadable input";
    if (p->problem_value >= 0 && p->problem_value < 0x110000)
        diag_error(d, line, col, EXIT_CONFIG, "YAML syntax: %s (byte 0x%02x)",
                   problem, off < len ? (unsigned char)buf[off] : 0);
    else
        diag_error(d, line, col, EXIT_CONFIG, "YAML syntax: %s", problem);
}

static void syntax_error(yaml_parser_t *p, struct diag *d)
{
    yaml_mark_t m = p->problem_mark;
    const char *problem = p->problem ? p->problem : "malformed YAML";
    if (p->context)
        diag_error(d, (int)m.line + 1, (int)m.column + 1, EXIT_CONFIG,
                   "YAML syntax: %s %s (line %d)", problem, p->context,
                   (int)p->context_mark.line + 1);
    else
        diag_error(d, (int)m.line + 1, (int)m.column + 1, EXIT_CONFIG,
                   "YAML syntax: %s", problem);
}

struct ynode *yaml_load(const char *buf, size_t len, struct diag *d)
{
    yaml_parser_t parser;
    yaml_event_t ev;
    struct frame stack[MAX_DEPTH];
    int depth = 0, docs = 0;
    struct ynode *root = NULL;
    bool ok = true, done = false;

    if (!yaml_parser_initialize(&parser)) {
        diag_error(d, 0, 0, EXIT_FAIL, "cannot initialise the YAML parser");
        return NULL;
    }
    yaml_parser_set_input_string(&parser, (const unsigned char *)buf, len);
    while (ok && !done) {
        if (!yaml_parser_parse(&parser, &ev)) {
            if (parser.error == YAML_READER_ERROR)
                reader_error(&parser, buf, len, d);
            else
                syntax_error(&parser, d);
            ok = false;
            break;
        }
        yaml_mark_t m = ev.start_mark;
        struct frame *top = depth ? &stack[depth - 1] : NULL;
        switch (ev.type) {
        case YAML_STREAM_END_EVENT:
            done = true;
            break;
        case YAML_DOCUMENT_START_EVENT:
            if (++docs > 1) {
                diag_error(d, (int)m.line + 1, (int)m.column + 1, EXIT_CONFIG,
                           "expected one YAML document, found a second");
                ok = false;
            }
            break;
        case YAML_ALIAS_EVENT:
            diag_error(d, (int)m.line + 1, (int)m.column + 1, EXIT_CONFIG,
                       "YAML aliases (*%s) are not supported: write the value out",
                       (const char *)ev.data.alias.anchor);
            ok = false;
            break;
        case YAML_SCALAR_EVENT: {
            size_t n = ev.data.scalar.length;
            if (memchr(ev.data.scalar.value, 0, n)) {
                diag_error(d, (int)m.line + 1, (int)m.column + 1, EXIT_CONFIG,
                           "NUL character in a scalar");
                ok = false;
                break;
            }
            struct ynode *s = node_new(YN_SCALAR, m);
            s->val = xstrndup((const char *)ev.data.scalar.value, n);
            s->quoted = ev.data.scalar.style != YAML_PLAIN_SCALAR_STYLE &&
                        ev.data.scalar.style != YAML_ANY_SCALAR_STYLE;
            ok = attach(top, &root, s, d);
            break;
        }
        case YAML_SEQUENCE_START_EVENT:
        case YAML_MAPPING_START_EVENT:
            if (depth == MAX_DEPTH) {
                diag_error(d, (int)m.line + 1, (int)m.column + 1, EXIT_CONFIG,
                           "nesting deeper than %d levels", MAX_DEPTH);
                ok = false;
                break;
            }
            stack[depth].node = node_new(ev.type == YAML_SEQUENCE_START_EVENT
                                             ? YN_SEQ : YN_MAP, m);
            stack[depth].key = NULL;
            stack[depth].cap = 0;
            depth++;
            break;
        case YAML_SEQUENCE_END_EVENT:
        case YAML_MAPPING_END_EVENT: {
            struct ynode *n = stack[--depth].node;
            ok = attach(depth ? &stack[depth - 1] : NULL, &root, n, d);
            break;
        }
        default:
            break;
        }
        yaml_event_delete(&ev);
    }
    yaml_parser_delete(&parser);
    if (!ok) {
        /* Unwind: the open collections are not yet attached to anything. */
        while (depth > 0) {
            depth--;
            ynode_free(stack[depth].key);
            ynode_free(stack[depth].node);
        }
        ynode_free(root);
        return NULL;
    }
    if (!root)
        diag_error(d, 1, 1, EXIT_CONFIG,
                   "the file is empty: expected a mapping with at least "
                   "'name' and 'min-version'");
    return root;
}

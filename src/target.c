/* Targets are data: adding targets/NAME/target.yml adds a target. */
#include "target.h"

#include <stdlib.h>
#include <string.h>

#include "catalogue.h"
#include "fsutil.h"
#include "schema.h"

static const char *opt_str(struct schema *s, const struct ynode *m,
                           const char *key, bool required)
{
    const struct ynode *v = required ? sc_require(s, m, key, "target")
                                     : ymap_get(m, key);
    const char *r = v ? sc_str(s, v, key) : NULL;
    return r ? r : NULL;
}

static char *dup_or_null(const char *s)
{
    return s ? xstrdup(s) : NULL;
}

#define SOLO5_MAX_DEVICES 63

static bool opt_uint(struct schema *s, const struct ynode *m, const char *key,
                     long *out)
{
    const struct ynode *v = ymap_get(m, key);
    if (!v)
        return true;
    if (!sc_value(s, v, VT_INT, key))
        return false;
    char *end;
    *out = strtol(v->val, &end, 0);
    if (*out < 0) {
        diag_error(s->d, v->line, v->col, s->code, "%s: must not be negative",
                   key);
        return false;
    }
    return true;
}

static bool load_toolchain(struct schema *s, const struct ynode *m,
                           struct target *t)
{
    static const char *const keys[] = {"cc", "cflags", "ldflags", "ldscript",
                                       "objcopy", "post-link", NULL};
    if (!sc_kind(s, m, YN_MAP, "toolchain") || !sc_keys(s, m, keys, "toolchain key"))
        return false;
    bool ok = true;
    const struct ynode *v;
    t->cc = dup_or_null(opt_str(s, m, "cc", true));
    t->ldscript = dup_or_null(opt_str(s, m, "ldscript", false));
    t->post_link = dup_or_null(opt_str(s, m, "post-link", false));
    /* relative to the target's folder, like bindings; a planned target
     * is a description whose files may not be written yet */
    if (t->ldscript && target_ready(t)) {
        char *full = path_join(t->dir, t->ldscript);
        if (!is_file(full)) {
            v = ymap_get(m, "ldscript");
            diag_error(s->d, v->line, v->col, EXIT_TARGET,
                       "ldscript '%s' does not exist (no file %s)",
                       t->ldscript, full);
            ok = false;
        }
        free(full);
    }
    t->objcopy = xstrdup(opt_str(s, m, "objcopy", false) ? opt_str(s, m, "objcopy", false)
                                                         : "objcopy");
    if ((v = ymap_get(m, "cflags")))
        ok &= sc_strlist(s, v, "cflags", &t->cflags);
    if ((v = ymap_get(m, "ldflags")))
        ok &= sc_strlist(s, v, "ldflags", &t->ldflags);
    return ok && t->cc;
}

/* runner.emulate: how `mirleft run --emulate` gives the runner what it
 * needs from the host, inside mirleft-vm's emulated VM. */
static bool load_emulate(struct schema *s, const struct ynode *m,
                         struct target *t)
{
    static const char *const keys[] = {"device", "modules", "mem", NULL};
    if (!sc_kind(s, m, YN_MAP, "emulate") || !sc_keys(s, m, keys, "emulate key"))
        return false;
    t->emulate_device = dup_or_null(opt_str(s, m, "device", true));
    const struct ynode *v = ymap_get(m, "modules");
    bool ok = !v || sc_strlist(s, v, "modules", &t->emulate_modules);
    return opt_uint(s, m, "mem", &t->emulate_mem) && ok && t->emulate_device;
}

static bool load_runner(struct schema *s, const struct ynode *m,
                        struct target *t)
{
    static const char *const keys[] = {"program", "mem", "block-option",
                                       "net-option", "reports-start",
                                       "emulate", NULL};
    if (!sc_kind(s, m, YN_MAP, "runner") || !sc_keys(s, m, keys, "runner key"))
        return false;
    t->runner = dup_or_null(opt_str(s, m, "program", true));
    /* a program with a '/' is a file of the target's own folder */
    if (t->runner && strchr(t->runner, '/')) {
        char *full = path_join(t->dir, t->runner);
        free(t->runner);
        t->runner = full;
    }
    t->block_option = dup_or_null(opt_str(s, m, "block-option", false));
    t->net_option = dup_or_null(opt_str(s, m, "net-option", false));
    bool ok = true;
    const struct ynode *v;
    if ((v = ymap_get(m, "reports-start")))
        ok &= sc_bool(s, v, "reports-start", &t->reports_start);
    if ((v = ymap_get(m, "emulate")))
        ok &= load_emulate(s, v, t);
    return opt_uint(s, m, "mem", &t->runner_mem) && ok && t->runner;
}

/* With the catalogue: each type must exist and a default backend must be
 * one the type lists (else a project would fail later, far from here). */
static bool check_device(struct schema *s, const struct ynode *key,
                         const struct ynode *backend, const char *type,
                         const struct catalogue *cat)
{
    const struct devtype *dt = catalogue_find(cat, type);
    if (!dt) {
        const char **names = catalogue_names(cat);
        sc_unknown(s, key, "device type", type, names, cat->n);
        free(names);
        return false;
    }
    if (backend && backend->val && !sl_contains(&dt->backends, backend->val)) {
        if (!dt->backends.n)
            diag_error(s->d, backend->line, backend->col, s->code,
                       "device type '%s' has no backends", type);
        else
            sc_unknown(s, backend, "backend", backend->val,
                       (const char *const *)dt->backends.v, dt->backends.n);
        return false;
    }
    return true;
}

/* allowed: a list of mappings PARAM: VALUE or [VALUE, ...]. */
static bool load_allowed(struct schema *s, const struct ynode *v,
                         struct target_dev *td)
{
    if (!sc_kind(s, v, YN_SEQ, "allowed"))
        return false;
    bool ok = true;
    td->allowed = xcalloc(v->n + 1, sizeof *td->allowed);
    for (size_t i = 0; i < v->n; i++) {
        const struct ynode *m = v->items[i];
        if (!sc_kind(s, m, YN_MAP, "allowed entry")) {
            ok = false;
            continue;
        }
        struct allowed *a = &td->allowed[td->nallowed++];
        a->params = xcalloc(m->n + 1, sizeof *a->params);
        for (size_t j = 0; j < m->n; j++) {
            struct allowed_param *ap = &a->params[a->n++];
            ap->param = xstrdup(m->keys[j]->val);
            ok &= sc_strlist(s, m->items[j], "allowed values", &ap->values);
        }
    }
    return ok;
}

static bool load_devices(struct schema *s, const struct ynode *m,
                         struct target *t, const struct catalogue *cat)
{
    static const char *const keys[] = {"backend", "sources", "allowed", NULL};
    if (!sc_kind(s, m, YN_MAP, "devices"))
        return false;
    bool ok = true;
    t->devs = xcalloc(m->n, sizeof *t->devs);
    for (size_t i = 0; i < m->n; i++) {
        struct target_dev *td = &t->devs[t->ndevs++];
        const struct ynode *b = m->items[i], *v;
        td->type = xstrdup(m->keys[i]->val);
        if (!sc_kind(s, b, YN_MAP, "device implementation") ||
            !sc_keys(s, b, keys, "device implementation key")) {
            ok = false;
            continue;
        }
        if ((v = ymap_get(b, "backend")) && sc_str(s, v, "backend"))
            td->backend = xstrdup(v->val);
        /* a ready target's patterns (relative to its folder) must name
         * files: one matching nothing would fail only at link time */
        if ((v = ymap_get(b, "sources")))
            ok &= sc_strlist(s, v, "sources", &td->sources) &&
                  (!target_ready(t) || sc_globs_match(s, v, t->dir, EXIT_TARGET));
        if ((v = ymap_get(b, "allowed")))
            ok &= load_allowed(s, v, td);
        if (cat)
            ok &= check_device(s, m->keys[i], ymap_get(b, "backend"), td->type, cat);
    }
    return ok;
}

/* reserved: KIND: { VALUE: "why", ... }: resources a project's devices may
 * not claim (a parameter with claim: KIND), because the target uses them. */
static bool load_reserved(struct schema *s, const struct ynode *m,
                          struct target *t)
{
    if (!sc_kind(s, m, YN_MAP, "reserved"))
        return false;
    size_t n = 0;
    for (size_t i = 0; i < m->n; i++)
        if (m->items[i]->kind == YN_MAP)
            n += m->items[i]->n;
    t->reserved = xcalloc(n + 1, sizeof *t->reserved);
    bool ok = true;
    for (size_t i = 0; i < m->n; i++) {
        const struct ynode *vals = m->items[i];
        if (!sc_kind(s, vals, YN_MAP, "reserved resources")) {
            ok = false;
            continue;
        }
        for (size_t j = 0; j < vals->n; j++) {
            const char *why = sc_str(s, vals->items[j], "reason");
            if (!why) {
                ok = false;
                continue;
            }
            struct reserved *r = &t->reserved[t->nreserved++];
            r->kind = xstrdup(m->keys[i]->val);
            r->value = xstrdup(vals->keys[j]->val);
            r->why = xstrdup(why);
        }
    }
    return ok;
}

/* Each path is relative to targets/NAME/ and may name a shared file
 * (../../share/solo5/guest/start.c): kept relative to the data root and
 * normalised, so that object names stay clean; one that leaves the data
 * root or names no file is refused here, at its position. */
static bool load_bindings(struct schema *s, const struct ynode *v,
                          struct target *t, const char *root)
{
    if (v->kind != YN_SCALAR && !sc_kind(s, v, YN_SEQ, "bindings"))
        return false;
    bool ok = true;
    for (size_t i = 0; i < sc_list_len(v); i++) {
        const struct ynode *it = sc_list_item(v, i);
        const char *b = sc_str(s, it, "bindings");
        if (!b) {
            ok = false;
            continue;
        }
        char *rel = xasprintf("targets/%s/%s", t->name, b);
        char *norm = path_normalize(rel);
        char *full = path_join(root, norm);
        free(rel);
        if (norm[0] == '/' || !strcmp(norm, "..") || !strncmp(norm, "../", 3)) {
            diag_error(s->d, it->line, it->col, EXIT_TARGET,
                       "bindings path '%s' leaves the data root", b);
            ok = false;
        } else if (!is_file(full)) {
            diag_error(s->d, it->line, it->col, EXIT_TARGET,
                       "bindings file '%s' does not exist (no file %s)", b,
                       full);
            ok = false;
        } else {
            sl_push(&t->bindings, norm);
            norm = NULL;
        }
        free(norm);
        free(full);
    }
    return ok;
}

static bool load_target(struct schema *s, const struct ynode *r,
                        struct target *t, const char *name, const char *root,
                        const struct catalogue *cat)
{
    static const char *const keys[] = {"name", "doc", "status", "arch",
                                       "image", "solo5", "toolchain",
                                       "bindings", "bindings-exports",
                                       "runner", "devices", "reserved", NULL};
    if (!sc_kind(s, r, YN_MAP, "target") || !sc_keys(s, r, keys, "target key"))
        return false;
    bool ok = true;
    const struct ynode *v;
    const char *str = opt_str(s, r, "name", true);
    if (str && strcmp(str, name)) {
        v = ymap_get(r, "name");
        diag_error(s->d, v->line, v->col, s->code,
                   "name '%s' must match the directory name '%s'", str, name);
        ok = false;
    }
    t->doc = dup_or_null(opt_str(s, r, "doc", true));
    t->status = dup_or_null(opt_str(s, r, "status", true));
    if (t->status && strcmp(t->status, "ready") && strcmp(t->status, "planned")) {
        static const char *const st[] = {"ready", "planned"};
        sc_unknown(s, ymap_get(r, "status"), "status", t->status, st, 2);
        ok = false;
    }
    t->arch = dup_or_null(opt_str(s, r, "arch", true));
    if ((v = sc_require(s, r, "image", "target")) && sc_kind(s, v, YN_MAP, "image")) {
        static const char *const ik[] = {"suffix", "report", NULL};
        ok &= sc_keys(s, v, ik, "image key");
        t->suffix = dup_or_null(opt_str(s, v, "suffix", true));
        t->report = dup_or_null(opt_str(s, v, "report", false));
    }
    if ((v = ymap_get(r, "solo5")) && sc_kind(s, v, YN_MAP, "solo5")) {
        static const char *const sk[] = {"abi-target", "abi-version",
                                         "max-devices", NULL};
        long at = 0, av = 0, md = SOLO5_MAX_DEVICES;
        ok &= sc_keys(s, v, sk, "solo5 key") && opt_uint(s, v, "abi-target", &at) &&
              opt_uint(s, v, "abi-version", &av) && opt_uint(s, v, "max-devices", &md);
        /* The manifest has 64 entries, the first reserved: no target can
         * name more devices in it, whatever its file says. */
        const struct ynode *mdn = ymap_get(v, "max-devices");
        if (mdn && (md < 1 || md > SOLO5_MAX_DEVICES)) {
            diag_error(s->d, mdn->line, mdn->col, s->code,
                       "max-devices: expected 1 to %d (the Solo5 manifest's "
                       "64 entries, less the reserved first), found %ld",
                       SOLO5_MAX_DEVICES, md);
            ok = false;
        }
        t->solo5 = true;
        t->abi_target = (unsigned)at;
        t->abi_version = (unsigned)av;
        t->max_devices = (unsigned)md;
    }
    if ((v = sc_require(s, r, "toolchain", "target")))
        ok &= load_toolchain(s, v, t);
    if ((v = ymap_get(r, "bindings")))
        ok &= load_bindings(s, v, t, root);
    if ((v = ymap_get(r, "bindings-exports")))
        ok &= sc_strlist(s, v, "bindings-exports", &t->exports);
    if ((v = ymap_get(r, "runner")))
        ok &= load_runner(s, v, t);
    if ((v = ymap_get(r, "devices")))
        ok &= load_devices(s, v, t, cat);
    if ((v = ymap_get(r, "reserved")))
        ok &= load_reserved(s, v, t);
    return ok && t->doc && t->status && t->arch && t->suffix;
}

int target_load(struct target *t, const char *root, const char *name,
                const struct catalogue *cat, FILE *out)
{
    memset(t, 0, sizeof *t);
    char *rel = xasprintf("targets/%s", name);
    t->dir = path_join(root, rel);
    free(rel);
    t->path = path_join(t->dir, "target.yml");
    t->name = xstrdup(name);
    size_t len;
    char *text = read_file(t->path, &len);
    if (!text)
        return EXIT_FAIL;
    struct diag d;
    diag_init(&d, t->path, text, len, out);
    struct schema s = {&d, EXIT_FAIL};
    struct ynode *r = yaml_load(text, len, &d);
    bool ok = r && load_target(&s, r, t, name, root, cat) && !d.errors;
    ynode_free(r);
    free(text);
    /* The YAML reader reports with the configuration's status; here the
     * data is mirleft's, whose errors are 1 (bindings paths: 5). */
    return ok ? 0 : d.code && d.code != EXIT_CONFIG ? d.code : EXIT_FAIL;
}

void target_names(const char *root, struct strlist *out)
{
    char *dir = path_join(root, "targets");
    struct strlist l = {0};
    list_dir(dir, &l);
    for (size_t i = 0; i < l.n; i++) {
        char *rel = xasprintf("%s/target.yml", l.v[i]);
        char *p = path_join(dir, rel);
        if (is_file(p))
            sl_push(out, xstrdup(l.v[i]));
        free(p);
        free(rel);
    }
    sl_free(&l);
    free(dir);
}

const struct target_dev *target_dev_find(const struct target *t,
                                         const char *type)
{
    for (size_t i = 0; i < t->ndevs; i++)
        if (!strcmp(t->devs[i].type, type))
            return &t->devs[i];
    return NULL;
}

bool target_ready(const struct target *t)
{
    return t->status && !strcmp(t->status, "ready");
}

void target_free(struct target *t)
{
    for (size_t i = 0; i < t->ndevs; i++) {
        free(t->devs[i].type);
        free(t->devs[i].backend);
        sl_free(&t->devs[i].sources);
        for (size_t j = 0; j < t->devs[i].nallowed; j++) {
            struct allowed *a = &t->devs[i].allowed[j];
            for (size_t k = 0; k < a->n; k++) {
                free(a->params[k].param);
                sl_free(&a->params[k].values);
            }
            free(a->params);
        }
        free(t->devs[i].allowed);
    }
    free(t->devs);
    for (size_t i = 0; i < t->nreserved; i++) {
        free(t->reserved[i].kind);
        free(t->reserved[i].value);
        free(t->reserved[i].why);
    }
    free(t->reserved);
    free(t->name);
    free(t->doc);
    free(t->status);
    free(t->arch);
    free(t->dir);
    free(t->path);
    free(t->suffix);
    free(t->cc);
    free(t->ldscript);
    free(t->objcopy);
    free(t->post_link);
    free(t->report);
    sl_free(&t->exports);
    free(t->runner);
    free(t->block_option);
    free(t->net_option);
    free(t->emulate_device);
    sl_free(&t->emulate_modules);
    sl_free(&t->cflags);
    sl_free(&t->ldflags);
    sl_free(&t->bindings);
    memset(t, 0, sizeof *t);
}

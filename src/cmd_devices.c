#include <stdio.h>
#include <stdlib.h>

#include "catalogue.h"
#include "cmd.h"
#include "diag.h"
#include "json.h"
#include "paths.h"

/* Which backends a parameter or dependency applies to, if not all. */
static void print_backends(const struct strlist *l)
{
    for (size_t i = 0; i < l->n; i++)
        printf("%s%s", i ? ", " : " [only with backend ", l->v[i]);
    if (l->n)
        printf("]");
}

static void show_type(const struct devtype *t)
{
    printf("%s: %s\n  header: <%s>, C type: struct ml_%s\n", t->name, t->doc,
           t->header, t->name);
    if (t->solo5)
        printf("  Solo5 manifest kind: %s\n", t->solo5);
    if (t->backends.n) {
        printf("  backends:");
        for (size_t i = 0; i < t->backends.n; i++)
            printf(" %s", t->backends.v[i]);
        printf("\n");
    }
    for (size_t i = 0; i < t->nparams; i++) {
        const struct param_def *p = &t->params[i];
        printf("  param %s: %s", p->name, vtype_name(p->type));
        if (p->def)
            printf(" = %s", p->def);
        if (p->host)
            printf(" (build time)");
        print_backends(&p->backends);
        if (p->doc)
            printf("  # %s", p->doc);
        printf("\n");
    }
    for (size_t i = 0; i < t->ndeps; i++) {
        const struct dep_def *d = &t->deps[i];
        printf("  dep %s: %s device%s", d->name, d->type,
               d->optional ? " (optional)" : "");
        print_backends(&d->backends);
        if (d->doc)
            printf("  # %s", d->doc);
        printf("\n");
    }
}

const struct option devices_options[] = {
    {"help", no_argument, 0, 'h'}, JSON_LONGOPT, {0, 0, 0, 0}};

static void json_strings(struct json *j, const char *key,
                         const struct strlist *l)
{
    json_open(j, key, '[');
    for (size_t i = 0; i < l->n; i++)
        json_string(j, NULL, l->v[i]);
    json_close(j, ']');
}

static void json_type(struct json *j, const struct devtype *t)
{
    json_open(j, NULL, '{');
    json_string(j, "name", t->name);
    json_string(j, "doc", t->doc);
    json_string(j, "header", t->header);
    char *ctype = xasprintf("struct ml_%s", t->name);
    json_string(j, "c_type", ctype);
    free(ctype);
    json_string(j, "solo5", t->solo5);
    json_strings(j, "backends", &t->backends);
    json_open(j, "params", '[');
    for (size_t i = 0; i < t->nparams; i++) {
        const struct param_def *p = &t->params[i];
        json_open(j, NULL, '{');
        json_string(j, "name", p->name);
        json_string(j, "type", vtype_name(p->type));
        json_string(j, "default", p->def);
        json_bool(j, "build_time", p->host);
        json_strings(j, "backends", &p->backends);
        json_string(j, "doc", p->doc);
        json_close(j, '}');
    }
    json_close(j, ']');
    json_open(j, "deps", '[');
    for (size_t i = 0; i < t->ndeps; i++) {
        const struct dep_def *d = &t->deps[i];
        json_open(j, NULL, '{');
        json_string(j, "name", d->name);
        json_string(j, "type", d->type);
        json_bool(j, "optional", d->optional);
        json_strings(j, "backends", &d->backends);
        json_string(j, "doc", d->doc);
        json_close(j, '}');
    }
    json_close(j, ']');
    json_close(j, '}');
}

static int run(int argc, char **argv)
{
    bool json;
    int r = json_only(&cmd_devices, devices_options, argc, argv, &json);
    if (r >= 0)
        return r;
    if (argc - optind > 1)
        return usage_error(&cmd_devices, "expected at most one device type");
    char *root = data_root();
    if (!root)
        return EXIT_FAIL;
    struct catalogue cat;
    int rc = catalogue_load(&cat, root, stderr) ? 0 : EXIT_FAIL;
    if (!rc && optind < argc) {
        const struct devtype *t = catalogue_find(&cat, argv[optind]);
        struct json j;
        json_init(&j, stdout);
        if (t && json) {
            json_type(&j, t);
            json_end(&j);
        } else if (t)
            show_type(t);
        else {
            const char *names[128];
            size_t n = 0;
            for (; n < cat.n && n < 128; n++)
                names[n] = cat.types[n].name;
            rc = unknown_name("mirleft devices", "device type", argv[optind],
                              names, n, "", "mirleft devices");
        }
    } else if (!rc && json) {
        struct json j;
        json_init(&j, stdout);
        json_open(&j, NULL, '{');
        json_open(&j, "devices", '[');
        for (size_t i = 0; i < cat.n; i++)
            json_type(&j, &cat.types[i]);
        json_close(&j, ']');
        json_close(&j, '}');
        json_end(&j);
    } else if (!rc) {
        for (size_t i = 0; i < cat.n; i++)
            printf("%-10s %s\n", cat.types[i].name, cat.types[i].doc);
    }
    catalogue_free(&cat);
    free(root);
    return rc;
}

const struct command cmd_devices = {
    "devices", run, "list the device types",
    "usage: mirleft devices [--json] [TYPE]\n"
    "\n"
    "List the device types of the catalogue (share/devices/TYPE.yml), or show\n"
    "one type's C interface, backends, parameters and dependencies.\n"
    "\n"
    "      --json   one JSON object (see JSON OUTPUT in mirleft(1))\n"
    "  -h, --help   show this help\n",
};

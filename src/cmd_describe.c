#include <stdio.h>
#include <string.h>

#include "cmd.h"
#include "config.h"
#include "diag.h"
#include "json.h"

static void print_text(const struct graph *g)
{
    printf("%s for %s: %zu device%s, %zu argument%s\n", g->cfg->name,
           g->target->name, g->n, g->n == 1 ? "" : "s", g->nargs,
           g->nargs == 1 ? "" : "s");
    for (size_t k = 0; k < g->n; k++) {
        const struct rdev *d = &g->devs[g->order[k]];
        printf("  %s: %s", d->name, d->type->name);
        if (d->backend)
            printf(" (backend %s)", d->backend);
        if (strcmp(d->host_name, d->name))
            printf(" host name %s", d->host_name);
        if (d->handle)
            printf(" [%s, handle %u]", d->type->solo5, d->handle);
        putchar('\n');
        for (size_t i = 0; i < d->type->nparams; i++) {
            const struct rparam *p = &d->params[i];
            if (!p->value && !p->arg)
                continue;
            printf("    %s = ", p->def->name);
            if (p->arg)
                printf("--%s (default %s)\n", p->arg->name,
                       p->arg->def ? p->arg->def : "none: required");
            else
                printf("%s\n", p->value);
        }
        for (size_t i = 0; i < d->type->ndeps; i++)
            if (d->deps[i])
                printf("    %s -> %s\n", d->type->deps[i].name, d->deps[i]->name);
    }
    for (size_t i = 0; i < g->nargs; i++) {
        const struct arg_decl *a = &g->args[i];
        printf("  --%s: %s", a->name, vtype_name(a->type));
        if (a->def)
            printf(" = %s", a->def);
        else
            printf(" (required)");
        if (a->doc && *a->doc)
            printf("  # %s", a->doc);
        putchar('\n');
    }
}

static void dot_str(const char *s)
{
    putchar('"');
    for (; *s; s++) {
        if (*s == '"' || *s == '\\')
            putchar('\\');
        putchar(*s);
    }
    putchar('"');
}

static void print_dot(const struct graph *g)
{
    printf("digraph ");
    dot_str(g->cfg->name);
    printf(" {\n  rankdir=LR;\n  node [shape=box];\n");
    for (size_t i = 0; i < g->n; i++) {
        const struct rdev *d = &g->devs[i];
        printf("  ");
        dot_str(d->name);
        printf(" [label=\"%s\\n%s%s%s\"];\n", d->name, d->type->name,
               d->backend ? " / " : "", d->backend ? d->backend : "");
    }
    for (size_t i = 0; i < g->n; i++) {
        const struct rdev *d = &g->devs[i];
        for (size_t k = 0; k < d->type->ndeps; k++) {
            if (!d->deps[k])
                continue;
            printf("  ");
            dot_str(d->name);
            printf(" -> ");
            dot_str(d->deps[k]->name);
            printf(" [label=\"%s\"];\n", d->type->deps[k].name);
        }
    }
    printf("}\n");
}

static void print_json(const struct graph *g)
{
    struct json j;
    json_init(&j, stdout);
    json_open(&j, NULL, '{');
    json_string(&j, "name", g->cfg->name);
    json_string(&j, "target", g->target->name);
    json_open(&j, "devices", '[');
    for (size_t k = 0; k < g->n; k++) {
        const struct rdev *d = &g->devs[g->order[k]];
        json_open(&j, NULL, '{');
        json_string(&j, "name", d->name);
        json_string(&j, "type", d->type->name);
        json_string(&j, "backend", d->backend);
        json_string(&j, "host_name", d->host_name);
        json_string(&j, "solo5", d->handle ? d->type->solo5 : NULL);
        if (d->handle)
            json_uint(&j, "handle", d->handle);
        else
            json_null(&j, "handle");
        json_open(&j, "params", '[');
        for (size_t i = 0; i < d->type->nparams; i++) {
            const struct rparam *p = &d->params[i];
            json_open(&j, NULL, '{');
            json_string(&j, "name", p->def->name);
            json_string(&j, "type", vtype_name(p->def->type));
            json_string(&j, "value", p->arg ? NULL : p->value);
            json_string(&j, "arg", p->arg ? p->arg->name : NULL);
            json_close(&j, '}');
        }
        json_close(&j, ']');
        json_open(&j, "deps", '[');
        for (size_t i = 0; i < d->type->ndeps; i++) {
            json_open(&j, NULL, '{');
            json_string(&j, "name", d->type->deps[i].name);
            json_string(&j, "device", d->deps[i] ? d->deps[i]->name : NULL);
            json_close(&j, '}');
        }
        json_close(&j, ']');
        json_close(&j, '}');
    }
    json_close(&j, ']');
    json_open(&j, "args", '[');
    for (size_t i = 0; i < g->nargs; i++) {
        const struct arg_decl *a = &g->args[i];
        json_open(&j, NULL, '{');
        json_string(&j, "name", a->name);
        json_string(&j, "type", vtype_name(a->type));
        json_string(&j, "default", a->def);
        json_bool(&j, "required", !a->def);
        json_string(&j, "doc", a->doc && *a->doc ? a->doc : NULL);
        json_close(&j, '}');
    }
    json_close(&j, ']');
    json_close(&j, '}');
    json_end(&j);
}

const struct option describe_options[] = {
    COMMON_LONGOPTS, {"dot", no_argument, 0, 'd'}, JSON_LONGOPT,
    {0, 0, 0, 0}};

static int run(int argc, char **argv)
{
    struct common co;
    bool dot = false, json = false;
    int c, r;
    common_init(&co);
    reset_getopt();
    while ((c = getopt_long(argc, argv, COMMON_SHORTOPTS, describe_options, NULL)) != -1) {
        if ((r = common_opt(&cmd_describe, c, &co)) >= 0)
            return r;
        dot |= c == 'd';
        json |= c == 'J';
    }
    if (dot && json)
        return usage_error(&cmd_describe, "give --dot or --json, not both");
    if (optind < argc)
        return usage_error(&cmd_describe, "unexpected argument '%s'", argv[optind]);
    struct project p;
    struct resolved res = {0};
    r = project_load(&p, co.file);
    if (!r)
        r = project_resolve(&p, co.target, &res);
    if (!r)
        dot ? print_dot(&res.graph) : json ? print_json(&res.graph)
                                           : print_text(&res.graph);
    resolved_free(&res);
    project_free(&p);
    return r;
}

const struct command cmd_describe = {
    "describe", run, "print the resolved device graph",
    "usage: mirleft describe [-t TARGET] [-f FILE] [--dot | --json]\n"
    "\n"
    "Print the devices as resolved for TARGET, in initialisation order, with\n"
    "their parameters, dependencies and runtime arguments. --dot prints the\n"
    "graph for Graphviz (mirleft describe --dot | dot -Tsvg > graph.svg).\n"
    "\n"
    "  -t, --target TARGET  target to resolve for (default: spt)\n"
    "  -f, --file FILE      configuration file (default: unikernel.yml)\n"
    "      --dot            print Graphviz instead of text\n"
    "      --json           one JSON object (see JSON OUTPUT in mirleft(1))\n"
    "  -h, --help           show this help\n",
};

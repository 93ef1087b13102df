#include <stdio.h>
#include <string.h>

#include "cmd.h"
#include "config.h"
#include "diag.h"

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

const struct option describe_options[] = {
    COMMON_LONGOPTS, {"dot", no_argument, 0, 'd'}, {0, 0, 0, 0}};

static int run(int argc, char **argv)
{
    struct common co;
    bool dot = false;
    int c, r;
    common_init(&co);
    reset_getopt();
    while ((c = getopt_long(argc, argv, COMMON_SHORTOPTS, describe_options, NULL)) != -1) {
        if ((r = common_opt(&cmd_describe, c, &co)) >= 0)
            return r;
        dot |= c == 'd';
    }
    if (optind < argc)
        return usage_error(&cmd_describe, "unexpected argument '%s'", argv[optind]);
    struct project p;
    struct resolved res = {0};
    r = project_load(&p, co.file);
    if (!r)
        r = project_resolve(&p, co.target, &res);
    if (!r)
        dot ? print_dot(&res.graph) : print_text(&res.graph);
    resolved_free(&res);
    project_free(&p);
    return r;
}

const struct command cmd_describe = {
    "describe", run, "print the resolved device graph",
    "usage: mirleft describe [-t TARGET] [-f FILE] [--dot]\n"
    "\n"
    "Print the devices as resolved for TARGET, in initialisation order, with\n"
    "their parameters, dependencies and runtime arguments. --dot prints the\n"
    "graph for Graphviz (mirleft describe --dot | dot -Tsvg > graph.svg).\n"
    "\n"
    "  -t, --target TARGET  target to resolve for (default: spt)\n"
    "  -f, --file FILE      configuration file (default: unikernel.yml)\n"
    "      --dot            print Graphviz instead of text\n"
    "  -h, --help           show this help\n",
};

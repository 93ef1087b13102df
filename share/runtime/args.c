/* The runtime-argument parser: the command line against the table the tool
 * generated. See <mirleft/args.h> for the command-line convention. */
#include <mirleft/args.h>
#include <mirleft/log.h>
#include <mirleft/runtime.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const log_levels = "error, warn, info, debug";

static void print_help(const struct ml_arg_table *t)
{
    printf("usage: %s [--NAME=VALUE ...]\n", t->app);
    for (size_t i = 0; i < t->n; i++) {
        const struct ml_arg_spec *s = &t->specs[i];
        printf("  --%s=%s", s->name, ml_arg_type_name(s->type));
        if (s->doc && *s->doc)
            printf("  %s", s->doc);
        if (s->def)
            printf(" (default: %s)", s->def);
        else
            printf(" (required)");
        printf("\n");
    }
    printf("  --log=LEVEL  log level: %s (default: info)\n", log_levels);
    printf("  --help  show this help and exit\n");
}

static int unknown(const struct ml_arg_table *t, const char *name, size_t len)
{
    const char *best = NULL;
    size_t bd = 3;
    for (size_t i = 0; i < t->n; i++) {
        size_t d = ml_edit_distance(name, len, t->specs[i].name,
                                     strlen(t->specs[i].name));
        if (d < bd) {
            bd = d;
            best = t->specs[i].name;
        }
    }
    printf("%s: unknown argument --%.*s", t->app, (int)len, name);
    if (best)
        printf("; did you mean --%s?", best);
    printf(" (--help lists the arguments)\n");
    return -1;
}

static const struct ml_arg_spec *find(const struct ml_arg_table *t,
                                      const char *name, size_t len)
{
    for (size_t i = 0; i < t->n; i++)
        if (strlen(t->specs[i].name) == len &&
            !memcmp(t->specs[i].name, name, len))
            return &t->specs[i];
    return NULL;
}

/* One option, "--name[=value]" with value already NUL-terminated. */
static int apply(const struct ml_arg_table *t, char *opt, void *args,
                 unsigned char *seen)
{
    char *name = opt + 2, *value = strchr(name, '=');
    size_t len = value ? (size_t)(value - name) : strlen(name);
    if (value)
        value++;
    if (len == 4 && !memcmp(name, "help", 4)) {
        print_help(t);
        ml_exit(0);
    }
    if (len == 3 && !memcmp(name, "log", 3)) {
        if (!value || ml_log_set_level(value) < 0) {
            printf("%s: --log: expected one of %s\n", t->app, log_levels);
            return -1;
        }
        return 0;
    }
    const struct ml_arg_spec *s = find(t, name, len);
    bool negated = false;
    if (!s && !value && len > 3 && !memcmp(name, "no-", 3)) {
        s = find(t, name + 3, len - 3);
        negated = s && s->type == ML_ARG_BOOL;
        if (!negated)
            s = NULL;
    }
    if (!s)
        return unknown(t, name, len);
    seen[s - t->specs] = 1;
    void *field = (char *)args + s->offset;
    if (!value && s->type == ML_ARG_BOOL) {
        *(bool *)field = !negated;
        return 0;
    }
    if (!value) {
        printf("%s: --%s needs a value: --%s=%s\n", t->app, s->name, s->name,
               ml_arg_type_name(s->type));
        return -1;
    }
    const char *why = ml_arg_value_parse(s->type, value, field);
    if (why) {
        printf("%s: --%s=%s: %s\n", t->app, s->name, value, why);
        return -1;
    }
    return 0;
}

int ml_args_parse(const char *cmdline, const struct ml_arg_table *t,
                  void *args)
{
    unsigned char *seen = calloc(t->n + 1, 1);
    char *buf = strdup(cmdline ? cmdline : "");
    int rc = 0;
    if (!seen || !buf)
        ml_fatal("out of memory parsing the command line");
    for (size_t i = 0; i < t->n; i++)
        if (t->specs[i].def)
            ml_arg_value_parse(t->specs[i].type, t->specs[i].def,
                               (char *)args + t->specs[i].offset);
    char *p = buf;
    while (*p == ' ')
        p++;
    if (*p && strncmp(p, "--", 2)) {
        char *end = strchr(p, ' ');
        printf("%s: unexpected argument '%.*s': arguments are --NAME=VALUE\n",
               t->app, (int)(end ? end - p : (long)strlen(p)), p);
        rc = -1;
    }
    while (!rc && *p) {
        /* The option runs until the next word that starts with "--". */
        char *next = strstr(p + 2, " --");
        char *end = next ? next : p + strlen(p);
        while (end > p && end[-1] == ' ')
            end--;
        char *after = next ? next + 1 : end;
        *end = 0;
        rc = apply(t, p, args, seen);
        p = after;
        while (*p == ' ')
            p++;
    }
    for (size_t i = 0; !rc && i < t->n; i++)
        if (!t->specs[i].def && !seen[i]) {
            printf("%s: missing required argument --%s=%s\n", t->app,
                   t->specs[i].name, ml_arg_type_name(t->specs[i].type));
            rc = -1;
        }
    /* String values point into buf, which therefore lives on. */
    free(seen);
    return rc;
}

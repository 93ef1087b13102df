/* devices.h: the application's typed view of its devices and arguments. */
#include <string.h>

#include "config.h"
#include "gen.h"

char *gen_devices_h(const struct graph *g, const struct gen_env *env)
{
    struct strbuf sb;
    struct strlist headers = {0};
    sb_init(&sb);
    gen_banner(&sb, g, env, "/*", " */");
    sb_puts(&sb, "#ifndef MLGEN_DEVICES_H\n#define MLGEN_DEVICES_H\n\n");
    sb_puts(&sb, "#include <stdbool.h>\n#include <stdint.h>\n\n"
                 "#include <mirleft/args.h>\n");
    for (size_t i = 0; i < g->n; i++)
        if (!sl_contains(&headers, g->devs[i].type->header))
            sl_push(&headers, xstrdup(g->devs[i].type->header));
    sl_sort(&headers);
    for (size_t i = 0; i < headers.n; i++)
        sb_printf(&sb, "#include <%s>\n", headers.v[i]);
    sl_free(&headers);

    sb_puts(&sb, "\n/* One field per device declared in unikernel.yml. */\n"
                 "struct devices {\n");
    for (size_t i = 0; i < g->n; i++) {
        const struct rdev *d = &g->devs[i];
        sb_printf(&sb, "    struct ml_%s %s; /* %s", d->type->name, d->name,
                  d->type->name);
        if (d->backend)
            sb_printf(&sb, ", backend %s", d->backend);
        if (strcmp(d->host_name, d->name))
            sb_printf(&sb, ", host name \"%s\"", d->host_name);
        sb_puts(&sb, " */\n");
    }
    if (!g->n)
        sb_puts(&sb, "    char mlgen_none; /* no devices declared */\n");
    sb_puts(&sb, "};\n\n/* One field per runtime argument (--NAME=VALUE). */\n"
                 "struct args {\n");
    for (size_t i = 0; i < g->nargs; i++) {
        const struct arg_decl *a = &g->args[i];
        char *field = arg_field(a->name);
        const char *ct = vtype_ctype(a->type);
        size_t l = strlen(ct);
        sb_printf(&sb, "    %s%s%s;", ct, ct[l - 1] == '*' ? "" : " ", field);
        if (a->doc && *a->doc) {
            sb_puts(&sb, " /* ");
            /* keep the comment closed whatever the doc says */
            for (const char *p = a->doc; *p; p++)
                if (!(p[0] == '*' && p[1] == '/') && *p != '\n')
                    sb_add(&sb, p, 1);
            sb_puts(&sb, " */");
        }
        sb_puts(&sb, "\n");
        free(field);
    }
    if (!g->nargs)
        sb_puts(&sb, "    char mlgen_none; /* no arguments declared */\n");
    sb_puts(&sb, "};\n\n");
    sb_printf(&sb, "/* The application's entry: register work and return 0 to "
                   "run the event loop,\n * or return an exit status. */\n"
                   "int %s(struct devices *devices, const struct args *args);\n",
              g->cfg->entry);
    sb_puts(&sb, "\n#endif\n");
    return sb_detach(&sb);
}

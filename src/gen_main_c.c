/* main.c: argument parsing, device initialisation in dependency order, and
 * the call to the application's entry. The runtime calls mlgen_boot. */
#include "config.h"
#include "gen.h"

static void gen_device_init(struct strbuf *sb, const struct rdev *d)
{
    const struct devtype *t = d->type;
    sb_printf(sb, "    {\n        struct ml_%s_config cfg = { .name = \"",
              t->name);
    sb_c_escape(sb, d->host_name);
    sb_puts(sb, "\" };\n");
    for (size_t i = 0; i < t->nparams; i++) {
        const struct rparam *p = &d->params[i];
        if (p->def->embed_tree && p->value) {
            sb_printf(sb, "        cfg.%s = &mlgen_tree_%s;\n", p->def->name,
                      d->name);
            continue;
        }
        if (p->def->host || (!p->value && !p->arg))
            continue;
        sb_printf(sb, "        cfg.%s = ", p->def->name);
        if (p->arg) {
            char *field = arg_field(p->arg->name);
            sb_printf(sb, "a->%s;\n", field);
            free(field);
        } else {
            gen_c_value(sb, p->def->type, p->value);
            sb_puts(sb, ";\n");
        }
    }
    for (size_t i = 0; i < t->ndeps; i++)
        if (d->deps[i])
            sb_printf(sb, "        cfg.%s = &d->%s;\n", t->deps[i].name,
                      d->deps[i]->name);
    /* A device type's backend NAME is the runtime object
     * ml_TYPE_backend_NAME: naming it links that backend and no other. */
    if (d->backend)
        sb_printf(sb, "        cfg.backend = &ml_%s_backend_%s;\n", t->name,
                  d->backend);
    sb_printf(sb, "        if (ml_%s_init(&d->%s, &cfg) != 0)\n"
                  "            return -1;\n    }\n",
              t->name, d->name);
}

char *gen_main_c(const struct graph *g, const struct gen_env *env)
{
    struct strbuf sb;
    sb_init(&sb);
    gen_banner(&sb, g, env, "/*", " */");
    sb_puts(&sb, "#include \"devices.h\"\n\n");
    for (size_t i = 0; i < g->n; i++)
        if (gen_tree_param(&g->devs[i]))
            sb_printf(&sb, "extern const struct ml_kv_tree mlgen_tree_%s;\n",
                      g->devs[i].name);
    sb_puts(&sb, "int mlgen_boot(const char *cmdline);\n"
                 "int mlgen_args_parse(const char *cmdline, struct args *a);\n\n"
                 "static struct devices mlgen_devices;\n"
                 "static struct args mlgen_args;\n\n");
    sb_puts(&sb, "/* Dependencies first: each device's config may point at "
                 "devices\n * initialised before it. */\n"
                 "static int mlgen_devices_init(struct devices *d, "
                 "const struct args *a)\n{\n    (void)d;\n    (void)a;\n");
    for (size_t i = 0; i < g->n; i++)
        gen_device_init(&sb, &g->devs[g->order[i]]);
    sb_puts(&sb, "    return 0;\n}\n\n");
    sb_printf(&sb,
              "int mlgen_boot(const char *cmdline)\n{\n"
              "    if (mlgen_args_parse(cmdline, &mlgen_args) != 0)\n"
              "        return 2;\n"
              "    if (mlgen_devices_init(&mlgen_devices, &mlgen_args) != 0)\n"
              "        return 1;\n"
              "    return %s(&mlgen_devices, &mlgen_args);\n}\n",
              g->cfg->entry);
    return sb_detach(&sb);
}

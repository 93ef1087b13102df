/* args.c: the table of runtime arguments; the runtime's parser reads it. */
#include "config.h"
#include "gen.h"

static void c_str_or_null(struct strbuf *sb, const char *s)
{
    if (!s) {
        sb_puts(sb, "NULL");
        return;
    }
    sb_puts(sb, "\"");
    sb_c_escape(sb, s);
    sb_puts(sb, "\"");
}

char *gen_args_c(const struct graph *g, const struct gen_env *env)
{
    struct strbuf sb;
    sb_init(&sb);
    gen_banner(&sb, g, env, "/*", " */");
    sb_puts(&sb, "#include <stddef.h>\n\n#include \"devices.h\"\n\n"
                 "int mlgen_args_parse(const char *cmdline, struct args *a);\n\n");
    sb_printf(&sb, "static const struct ml_arg_spec mlgen_arg_specs[%zu] = {\n",
              g->nargs ? g->nargs : 1);
    for (size_t i = 0; i < g->nargs; i++) {
        const struct arg_decl *a = &g->args[i];
        char *field = arg_field(a->name);
        sb_printf(&sb, "    { \"%s\", ML_ARG_", a->name);
        for (const char *p = vtype_name(a->type); *p; p++)
            sb_printf(&sb, "%c", *p == '-' ? '_' : *p - 32 * (*p >= 'a' && *p <= 'z'));
        sb_printf(&sb, ", offsetof(struct args, %s), ", field);
        c_str_or_null(&sb, a->def);
        sb_puts(&sb, ", ");
        c_str_or_null(&sb, a->doc ? a->doc : "");
        sb_puts(&sb, " },\n");
        free(field);
    }
    sb_puts(&sb, "};\n\n");
    sb_printf(&sb, "static const struct ml_arg_table mlgen_arg_table = {\n"
                   "    \"%s\", mlgen_arg_specs, %zu\n};\n\n",
              g->cfg->name, g->nargs);
    sb_puts(&sb, "int mlgen_args_parse(const char *cmdline, struct args *a)\n{\n"
                 "    return ml_args_parse(cmdline, &mlgen_arg_table, a);\n}\n");
    return sb_detach(&sb);
}

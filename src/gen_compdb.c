/* compile_commands.json: how each of the application's, the libraries'
 * and the generated sources is compiled, for clangd and other tools of
 * the editor. The flags are the Makefile's, but with -nostdlibinc, not
 * -nostdinc and the compiler's include directory: clangd keeps its own
 * <stddef.h> and <stdint.h> and drops only the host's headers, as the
 * build does; that keeps generation free of running the compiler. */
#include <string.h>

#include "gen.h"

static void json_word(struct strbuf *sb, const char *s)
{
    sb_puts(sb, "\"");
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\')
            sb_printf(sb, "\\%c", c);
        else if (c < 0x20)
            sb_printf(sb, "\\u%04x", c);
        else
            sb_add(sb, s, 1);
    }
    sb_puts(sb, "\"");
}

struct entry_flags {
    const struct graph *g;
    const struct gen_env *env;
    const char *build_dir;
};

/* One entry: dir, file (relative to dir or absolute), extra flags. */
static void entry(struct strbuf *sb, const struct entry_flags *f,
                  const char *dir, const char *file,
                  const struct strlist *extra, bool *first)
{
    const struct target *t = f->g->target;
    sb_puts(sb, *first ? "\n  {" : ",\n  {");
    *first = false;
    sb_puts(sb, "\"directory\": ");
    json_word(sb, dir);
    sb_puts(sb, ", \"file\": ");
    json_word(sb, file);
    sb_puts(sb, ",\n   \"arguments\": [");
    json_word(sb, t->cc);
    for (size_t i = 0; i < t->cflags.n; i++) {
        sb_puts(sb, ", ");
        json_word(sb, t->cflags.v[i]);
    }
    if (f->g->cfg->printf_float)
        sb_puts(sb, ", \"-DML_PRINTF_FLOAT\"");
    char *libc = xasprintf("%s/share/include/libc", f->env->root);
    char *inc = xasprintf("-I%s/share/include", f->env->root);
    char *here = xasprintf("-I%s", f->build_dir);
    sb_puts(sb, ", \"-nostdlibinc\", \"-isystem\", ");
    json_word(sb, libc);
    sb_puts(sb, ", ");
    json_word(sb, inc);
    if (t->solo5) {
        char *solo5 = xasprintf("-I%s/share/solo5/include", f->env->root);
        sb_puts(sb, ", ");
        json_word(sb, solo5);
        free(solo5);
    }
    sb_puts(sb, ", ");
    json_word(sb, here);
    for (size_t i = 0; extra && i < extra->n; i++) {
        sb_puts(sb, ", ");
        json_word(sb, extra->v[i]);
    }
    free(libc);
    free(inc);
    free(here);
    sb_puts(sb, ", \"-c\", ");
    json_word(sb, file);
    sb_puts(sb, "]}");
}

/* The application's flags: its cflags and every library's include
 * directories, as the Makefile's APP_CFLAGS. */
static void app_flags(const struct config *c, struct strlist *out)
{
    for (size_t i = 0; i < c->cflags.n; i++)
        sl_push(out, xstrdup(c->cflags.v[i]));
    for (size_t i = 0; i < c->nlibs; i++)
        for (size_t j = 0; c->libs[i].root && j < c->libs[i].include.n; j++)
            sl_push(out, xasprintf("-I%s/%s", c->libs[i].root,
                                   c->libs[i].include.v[j]));
}

char *gen_compdb(const struct graph *g, const struct gen_env *env)
{
    const char *build_dir = env->build_dir;
    const struct config *c = g->cfg;
    struct strbuf sb;
    struct strlist app = {0};
    struct entry_flags f = {g, env, build_dir};
    bool first = true;
    sb_init(&sb);
    sb_puts(&sb, "[");
    app_flags(c, &app);
    for (size_t i = 0; i < c->sources.n; i++)
        entry(&sb, &f, env->project_dir, c->sources.v[i], &app, &first);
    for (size_t i = 0; i < c->nlibs; i++) {
        const struct library *l = &c->libs[i];
        if (!l->root)
            continue;
        struct strlist lf = {0};
        for (size_t j = 0; j < l->include.n; j++)
            sl_push(&lf, xasprintf("-I%s/%s", l->root, l->include.v[j]));
        for (size_t j = 0; j < l->cflags.n; j++)
            sl_push(&lf, xstrdup(l->cflags.v[j]));
        for (size_t j = 0; j < l->files.n; j++)
            entry(&sb, &f, l->root, l->files.v[j], &lf, &first);
        sl_free(&lf);
    }
    static const char *const generated[] = {"main.c", "args.c"};
    for (size_t i = 0; i < 2; i++)
        entry(&sb, &f, build_dir, generated[i], NULL, &first);
    sb_puts(&sb, "\n]\n");
    sl_free(&app);
    return sb_detach(&sb);
}

/* Makefile: compiles the runtime, the target's bindings, the device
 * implementations, the generated glue and the application into one image,
 * with -MMD dependency tracking so a no-op rebuild does nothing. */
#include <string.h>

#include "fsutil.h"
#include "gen.h"
#include "mkquote.h"

/* Every source the image needs, relative to the data root, sorted. */
static void ml_sources(const struct graph *g, const struct gen_env *env,
                       struct strlist *out)
{
    const struct target *t = g->target;
    struct strlist all = {0};
    char *tdir = xasprintf("targets/%s", t->name);
    find_sources(env->root, "share/runtime", &all);
    for (size_t i = 0; i < t->bindings.n; i++)
        sl_push(&all, xstrdup(t->bindings.v[i]));
    for (size_t i = 0; i < g->n; i++) {
        const struct rdev *d = &g->devs[i];
        for (size_t j = 0; j < d->type->sources.n; j++)
            glob_rel(env->root, d->type->sources.v[j], &all);
        for (size_t j = 0; d->impl && j < d->impl->sources.n; j++) {
            char *rel = path_join(tdir, d->impl->sources.v[j]);
            glob_rel(env->root, rel, &all);
            free(rel);
        }
    }
    free(tdir);
    sl_sort(&all);
    for (size_t i = 0; i < all.n; i++)
        if (!out->n || strcmp(out->v[out->n - 1], all.v[i]))
            sl_push(out, xstrdup(all.v[i]));
    sl_free(&all);
}

/* Per library: its root, its flags (its own include directories first),
 * the application's view of its headers, and a compile rule that names the
 * library when the compiler fails. */
static void gen_library_rules(struct strbuf *sb, const struct graph *g)
{
    for (size_t i = 0; i < g->cfg->nlibs; i++) {
        const struct library *l = &g->cfg->libs[i];
        const char *n = l->name;
        sb_printf(sb, "\n# Library %s", n);
        if (l->kind == LIB_GIT)
            sb_printf(sb, " (%s at %s)", l->git, l->commit ? l->commit : "?");
        else if (l->kind == LIB_URL)
            sb_printf(sb, " (%s)", l->url);
        sb_printf(sb, "\nLIB_ROOT_%s := %s\nLIB_CFLAGS_%s :=", n,
                  l->root ? l->root : "/nonexistent", n);
        for (size_t j = 0; j < l->include.n; j++) {
            sb_printf(sb, " -I$(LIB_ROOT_%s)/", n);
            mk_sh_word(sb, l->include.v[j]);
        }
        for (size_t j = 0; j < l->cflags.n; j++) {
            sb_puts(sb, " ");
            mk_sh_word(sb, l->cflags.v[j]);
        }
        sb_printf(sb, " -ffile-prefix-map=$(LIB_ROOT_%s)=lib/%s\n", n, n);
        for (size_t j = 0; j < l->include.n; j++) {
            sb_printf(sb, "APP_CFLAGS += -I$(LIB_ROOT_%s)/", n);
            mk_sh_word(sb, l->include.v[j]);
            sb_puts(sb, "\n");
        }
        sb_printf(sb, "obj/lib/%s/%%.o: $(LIB_ROOT_%s)/%%.c\n"
                      "\t@mkdir -p $(@D)\n"
                      "\t@echo '  CC      [%s] $*.c'\n"
                      "\t$(Q)$(CC) $(CPPFLAGS) $(CFLAGS) $(LIB_CFLAGS_%s) -MMD -MP -c $< -o $@ $(DIAG) || \\\n"
                      "\t  { echo \"mirleft: the error above is in library '%s' ($*.c)\" >&2; exit 1; }\n",
                  n, n, n, n, n);
    }
}

/* The target's flags are mirleft's own data, written as make words; the
 * project's arrive at the compiler as exactly the words in the file. */
static void flags(struct strbuf *sb, const char *var,
                  const struct strlist *l, bool quote)
{
    sb_printf(sb, "%s :=", var);
    for (size_t i = 0; i < l->n; i++) {
        sb_puts(sb, " ");
        if (quote)
            mk_sh_word(sb, l->v[i]);
        else
            sb_puts(sb, l->v[i]);
    }
    sb_puts(sb, "\n");
}

static void objs(struct strbuf *sb, const char *var, const char *prefix,
                 const struct strlist *srcs)
{
    sb_printf(sb, "%s :=", var);
    for (size_t i = 0; i < srcs->n; i++) {
        size_t n = strlen(srcs->v[i]);
        sb_printf(sb, " \\\n\t%s%.*s.o", prefix, (int)(n - 2), srcs->v[i]);
    }
    sb_puts(sb, "\n");
}

char *gen_makefile(const struct graph *g, const struct gen_env *env)
{
    const struct target *t = g->target;
    struct strbuf sb;
    struct strlist all = {0}, ml = {0}, bind = {0}, gen = {0};
    sb_init(&sb);
    ml_sources(g, env, &all);
    /* With exports, the bindings become one partially linked object whose
     * other symbols are local, so applications cannot collide with them. */
    for (size_t i = 0; i < all.n; i++) {
        bool is_binding = t->exports.n && sl_contains(&t->bindings, all.v[i]);
        sl_push(is_binding ? &bind : &ml, xstrdup(all.v[i]));
    }
    sl_free(&all);
    sl_push(&gen, xstrdup("args.c"));
    sl_push(&gen, xstrdup("buildinfo.c"));
    sl_push(&gen, xstrdup("main.c"));
    if (t->solo5)
        sl_push(&gen, xstrdup("manifest.c"));
    for (size_t i = 0; i < g->n; i++)
        if (gen_tree_param(&g->devs[i]))
            sl_push(&gen, xasprintf("tree_%s.c", g->devs[i].name));

    gen_banner(&sb, g, env, "#", "");
    sb_puts(&sb, "# Run from this directory: `make` (or `mirleft build`); "
                 "V=1 shows commands.\n\n");
    sb_puts(&sb, "# A '#' inside a quoted value (make would read it as a comment).\n"
                 "ML_HASH := \\#\n");
    sb_printf(&sb, "MLROOT := %s\nPROJECT := %s\nTARGET_DIR := $(MLROOT)/targets/%s\n",
              env->root, env->project_rel, t->name);
    sb_printf(&sb, "IMAGE := $(PROJECT)/dist/%s%s\n\n", g->cfg->name, t->suffix);
    sb_printf(&sb, "CC := %s\n", t->cc);
    sb_puts(&sb, "CC_INCLUDE := $(shell $(CC) -print-file-name=include)\n"
                 "# A cross compiler keeps <limits.h> in include-fixed.\n"
                 "CC_INCLUDE_FIXED := $(wildcard $(shell $(CC) -print-file-name=include-fixed))\n");
    flags(&sb, "CFLAGS", &t->cflags, false);
    flags(&sb, "APP_CFLAGS", &g->cfg->cflags, true);
    if (g->cfg->printf_float)
        sb_puts(&sb, "# printf-float: the runtime's printf formats %f, %e and %g.\n"
                     "CFLAGS += -DML_PRINTF_FLOAT\n");
    sb_puts(&sb, "# Paths inside the image name the project and mirleft, not "
                 "this machine.\n"
                 "CFLAGS += -ffile-prefix-map=$(MLROOT)=mirleft "
                 "-ffile-prefix-map=$(abspath $(PROJECT))=.\n");
    sb_puts(&sb, "CPPFLAGS := -nostdinc -isystem $(CC_INCLUDE) "
                 "$(addprefix -isystem ,$(CC_INCLUDE_FIXED)) "
                 "-isystem $(MLROOT)/share/include/libc \\\n"
                 "\t-I$(MLROOT)/share/include");
    if (t->solo5)
        sb_puts(&sb, " -I$(MLROOT)/share/solo5/include");
    sb_puts(&sb, " -I.\n");
    flags(&sb, "LDFLAGS", &t->ldflags, false);
    if (t->ldscript)
        sb_printf(&sb, "LDSCRIPT := $(TARGET_DIR)/%s\nLDFLAGS += -T $(LDSCRIPT)\n",
                  t->ldscript);
    sb_puts(&sb, "\n");
    objs(&sb, "ML_OBJS", "obj/ml/", &ml);
    objs(&sb, "APP_OBJS", "obj/app/", &g->cfg->sources);
    objs(&sb, "GEN_OBJS", "obj/gen/", &gen);
    struct strbuf libobjs;
    sb_init(&libobjs);
    for (size_t i = 0; i < g->cfg->nlibs; i++) {
        const struct library *l = &g->cfg->libs[i];
        char *var = xasprintf("LIB_OBJS_%s", l->name);
        char *pre = xasprintf("obj/lib/%s/", l->name);
        objs(&sb, var, pre, &l->files);
        sb_printf(&libobjs, " $(%s)", var);
        free(var);
        free(pre);
    }
    sb_printf(&sb, "LIB_OBJS :=%s\n", libobjs.buf ? libobjs.buf : "");
    sb_free(&libobjs);
    if (bind.n) {
        objs(&sb, "BINDINGS_OBJS", "obj/ml/", &bind);
        sb_printf(&sb, "OBJCOPY := %s\nBINDINGS_EXPORTS :=", t->objcopy);
        for (size_t i = 0; i < t->exports.n; i++)
            sb_printf(&sb, " --keep-global-symbol='%s'", t->exports.v[i]);
        sb_puts(&sb, "\nOBJS := $(ML_OBJS) $(BINDINGS_OBJS) $(LIB_OBJS) $(APP_OBJS) $(GEN_OBJS)\n"
                     "LINK_OBJS := $(ML_OBJS) obj/bindings.o $(LIB_OBJS) $(APP_OBJS) $(GEN_OBJS)\n");
    } else {
        sb_puts(&sb, "OBJS := $(ML_OBJS) $(LIB_OBJS) $(APP_OBJS) $(GEN_OBJS)\n"
                     "LINK_OBJS := $(OBJS)\n");
    }
    sb_printf(&sb,
              "\n# Diagnostics name files as seen from the project root, where an\n"
              "# editor's jump-to-error works: a file of this directory becomes\n"
              "# _build/%s/FILE; $(PROJECT)/FILE, and the linker's\n"
              "# ./_build/%s/$(PROJECT)/FILE, become FILE; the linker's\n"
              "# ./_build/%s/./_build/%s/FILE is _build/%s/FILE. The messages are\n"
              "# shown when the command ends; its status is kept.\n"
              "FROM_ROOT := sed -e 's/\\(^\\|[ ,(]\\)\\([A-Za-z0-9_.+-]*\\.[chS]:\\)/\\1_build\\/%s\\/\\2/g' \\\n"
              "\t-e 's/\\.\\/_build\\/%s\\/\\.\\.\\/\\.\\.\\///g' \\\n"
              "\t-e 's/\\(^\\|[ ,(]\\)\\.\\.\\/\\.\\.\\//\\1/g' \\\n"
              "\t-e 's/\\.\\/_build\\/%s\\/\\.\\/_build\\/%s\\//_build\\/%s\\//g' \\\n"
              "\t-e 's/\\(^\\|[ ,(]\\)\\.\\/\\([^ ]\\)/\\1\\2/g'\n"
              "DIAG = 2>$@.diag; s=$$?; $(FROM_ROOT) $@.diag >&2; rm -f $@.diag; (exit $$s)\n",
              t->name, t->name, t->name, t->name, t->name, t->name, t->name,
              t->name, t->name, t->name);
    sb_puts(&sb, "\nQ := @\nifeq ($(V),1)\nQ :=\nendif\n\n"
                 ".PHONY: all objs\nall: $(IMAGE)\n");
    if (t->report)      /* facts about the image, even when nothing was redone */
        sb_printf(&sb, "\t$(Q)%s\n", t->report);
    sb_puts(&sb, "# Every object, not linked: mirleft build checks the entry\n"
                 "# function is defined before the linker runs.\n"
                 "objs: $(OBJS)\n\n");
    sb_printf(&sb,
              "$(IMAGE): $(LINK_OBJS)%s\n"
              "\t@mkdir -p $(@D)\n"
              "\t@echo '  LD      $(notdir $@)'\n"
              "\t$(Q)$(CC) $(CFLAGS) $(LDFLAGS) -o $@.tmp $(LINK_OBJS) -lgcc 2>obj/link.diag; \\\n"
              "\t  s=$$?; $(FROM_ROOT) obj/link.diag >&2; rm -f obj/link.diag; \\\n"
              "\t  [ $$s = 0 ] && mv -f $@.tmp $@\n",
              t->ldscript ? " $(LDSCRIPT)" : "");
    /* the target's step after the link (a format conversion, a check, a
     * size report): an image it fails on is removed, not left half-done */
    if (t->post_link)
        sb_printf(&sb, "\t$(Q)%s || { rm -f $@; exit 1; }\n", t->post_link);
    sb_puts(&sb, "\n");
    if (bind.n)
        sb_puts(&sb, "obj/bindings.o: $(BINDINGS_OBJS)\n"
                     "\t@echo '  LD      bindings.o'\n"
                     "\t$(Q)$(CC) -nostdlib -r -o $@.tmp $(BINDINGS_OBJS) && "
                     "$(OBJCOPY) -w $(BINDINGS_EXPORTS) $@.tmp $@ && rm -f $@.tmp\n\n");
    sb_puts(&sb,
            "# The Makefile itself carries the flags: a change rebuilds.\n"
            "$(OBJS): Makefile\n\n"
            "obj/ml/%.o: $(MLROOT)/%.c\n"
            "\t@mkdir -p $(@D)\n"
            "\t@echo '  CC      $*.c'\n"
            "\t$(Q)$(CC) $(CPPFLAGS) $(CFLAGS) -MMD -MP -c $< -o $@ $(DIAG)\n\n"
            "obj/app/%.o: $(PROJECT)/%.c\n"
            "\t@mkdir -p $(@D)\n"
            "\t@echo '  CC      $*.c'\n"
            "\t$(Q)$(CC) $(CPPFLAGS) $(CFLAGS) $(APP_CFLAGS) -MMD -MP -c $< -o $@ $(DIAG)\n\n"
            "obj/gen/%.o: %.c\n"
            "\t@mkdir -p $(@D)\n"
            "\t@echo '  CC      $*.c (generated)'\n"
            "\t$(Q)$(CC) $(CPPFLAGS) $(CFLAGS) -MMD -MP -c $< -o $@ $(DIAG)\n\n"
            "-include $(OBJS:.o=.d)\n");
    gen_library_rules(&sb, g);
    for (size_t i = 0; i < g->n; i++) {
        const struct rparam *p = gen_tree_param(&g->devs[i]);
        if (!p)
            continue;
        sb_puts(&sb, "\n# Embedded files: .incbin is invisible to -MMD.\n");
        gen_tree_deps(&sb, g, &g->devs[i], p);
    }
    sl_free(&ml);
    sl_free(&bind);
    sl_free(&gen);
    return sb_detach(&sb);
}

/* Generation: a pure function of (graph, catalogue, target, tool version)
 * to a set of named files. Nothing here touches the file system. */
#ifndef MIRLEFT_GEN_H
#define MIRLEFT_GEN_H

#include "model.h"

struct genfile {
    char *name;   /* relative to _build/TARGET */
    char *data;
    size_t len;
};

struct genset {
    struct genfile *f;
    size_t n;
};

struct gen_env {
    const char *root;        /* mirleft's data root (absolute) */
    const char *project_rel; /* the project directory, from _build/TARGET */
    const char *project_dir; /* the project directory, absolute */
    const char *build_dir;   /* _build/TARGET, absolute; NULL: no
                              * compile_commands.json */
    const char *config_name; /* e.g. unikernel.yml, for the header comment */
    /* Provenance for buildinfo.c; NULL/false when unknown. */
    const char *config_sha256, *lock_sha256, *git_commit, *build_time;
    bool git_dirty;
};

/* Returns false (after printing why) if an input file could not be read. */
bool generate(struct genset *out, const struct graph *g,
              const struct gen_env *env);
const struct genfile *genset_find(const struct genset *s, const char *name);
void genset_free(struct genset *s);

/* One per generated file; each returns the file's text. */
char *gen_devices_h(const struct graph *g, const struct gen_env *env);
char *gen_main_c(const struct graph *g, const struct gen_env *env);
char *gen_args_c(const struct graph *g, const struct gen_env *env);
char *gen_manifest_c(const struct graph *g, const struct gen_env *env);
char *gen_makefile(const struct graph *g, const struct gen_env *env);
char *gen_buildinfo_c(const struct graph *g, const struct gen_env *env);
/* compile_commands.json, for clangd (needs env->build_dir). */
char *gen_compdb(const struct graph *g, const struct gen_env *env);
/* tree_DEVICE.c for a parameter with embed: tree; *ok = false on error. */
char *gen_tree_c(const struct graph *g, const struct gen_env *env,
                 const struct rdev *d, const struct rparam *p, bool *ok);
/* The Makefile lines making tree_DEVICE.o depend on the embedded files. */
void gen_tree_deps(struct strbuf *mk, const struct graph *g,
                   const struct rdev *d, const struct rparam *p);
/* The embedded-tree parameter of d, or NULL. */
const struct rparam *gen_tree_param(const struct rdev *d);

/* Shared by the generators. */
void gen_banner(struct strbuf *sb, const struct graph *g,
                const struct gen_env *env, const char *comment_start,
                const char *comment_end);
/* Appends the C expression for a literal value of type t. */
void gen_c_value(struct strbuf *sb, enum vtype t, const char *text);

#endif

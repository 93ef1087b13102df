/* buildinfo.c: the image's provenance as an ELF note (name "mirleft",
 * type 1) whose descriptor is "key=value" lines: mirleft's version, the
 * target, the SHA-256 of the configuration and of the lock, the project's
 * git commit and whether its tree was dirty, and the build time — only
 * from SOURCE_DATE_EPOCH, so that builds stay reproducible. */
#include <string.h>

#include "gen.h"
#include "version.h"

char *gen_buildinfo_c(const struct graph *g, const struct gen_env *env)
{
    struct strbuf desc, sb;
    sb_init(&desc);
    sb_init(&sb);
    sb_printf(&desc, "mirleft=%s\nname=%s\ntarget=%s\nconfig-sha256=%s\n"
                     "lock-sha256=%s\n",
              tool_version(), g->cfg->name, g->target->name,
              env->config_sha256 ? env->config_sha256 : "none",
              env->lock_sha256 ? env->lock_sha256 : "none");
    if (env->git_commit)
        sb_printf(&desc, "git-commit=%s\ngit-dirty=%s\n", env->git_commit,
                  env->git_dirty ? "true" : "false");
    else
        sb_puts(&desc, "git-commit=none\n");
    sb_printf(&desc, "build-time=%s\n", env->build_time ? env->build_time : "none");
    for (size_t i = 0; i < g->cfg->nlibs; i++) {
        const struct library *l = &g->cfg->libs[i];
        sb_printf(&desc, "library=%s %s\n", l->name,
                  l->kind == LIB_URL ? l->sha256 : l->kind == LIB_GIT
                      ? (l->commit ? l->commit : l->rev) : "path");
    }
    size_t n = desc.len + 1; /* with its NUL */
    gen_banner(&sb, g, env, "/*", " */");
    sb_printf(&sb,
              "struct mlgen_buildinfo_note {\n"
              "    unsigned int namesz, descsz, type;\n"
              "    char name[8];\n"
              "    char desc[%zu];\n"
              "};\n\n"
              "/* retain needs a GNU ELF OSABI; Arm EABI objects have none, and\n"
              " * their linker script keeps the note instead. */\n"
              "#ifdef __ARM_EABI__\n#define MLGEN_RETAIN\n#else\n"
              "#define MLGEN_RETAIN , retain\n#endif\n"
              "__attribute__((section(\".note.mirleft.buildinfo\"), aligned(4), "
              "used MLGEN_RETAIN))\n"
              "const struct mlgen_buildinfo_note mlgen_buildinfo = {\n"
              "    8, %zu, 1, \"mirleft\",\n    \"",
              (n + 3) & ~(size_t)3, n);
    sb_c_escape(&sb, desc.buf);
    sb_puts(&sb, "\"\n};\n");
    sb_free(&desc);
    return sb_detach(&sb);
}

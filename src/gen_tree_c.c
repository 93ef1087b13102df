/* tree_DEVICE.c: a directory embedded in the image (the kv_ro crunch
 * backend): every regular file under it, sorted by key, with its size and
 * SHA-256. The bytes go in with the assembler's .incbin, so a 16 MiB file
 * costs no C parsing; the keys, sizes and digests are plain C data. */
#include <errno.h>
#include <string.h>
#include <sys/stat.h>

#include "digest.h"
#include "fsutil.h"
#include "gen.h"
#include "mkquote.h"

#define MAX_FILES 100000

/* Collects keys ('/'-separated, relative to base) of regular files under
 * base/rel, skipping dot-files. */
static bool walk(const char *base, const char *rel, struct strlist *keys)
{
    char *dir = rel[0] ? path_join(base, rel) : xstrdup(base);
    struct strlist l = {0};
    bool ok = list_dir(dir, &l);
    for (size_t i = 0; ok && i < l.n; i++) {
        if (l.v[i][0] == '.')
            continue;
        char *key = rel[0] ? xasprintf("%s/%s", rel, l.v[i]) : xstrdup(l.v[i]);
        char *full = path_join(base, key);
        struct stat st;
        if (stat(full, &st) == 0 && S_ISDIR(st.st_mode))
            ok = walk(base, key, keys);
        else if (stat(full, &st) == 0 && S_ISREG(st.st_mode) && keys->n < MAX_FILES)
            sl_push(keys, xstrdup(key));
        free(full);
        free(key);
    }
    sl_free(&l);
    free(dir);
    return ok;
}

/* The string s, escaped for a GNU as string, then for a C string. */
static void asm_c_string(struct strbuf *sb, const char *s)
{
    struct strbuf as;
    sb_init(&as);
    for (; *s; s++) {
        if (*s == '"' || *s == '\\')
            sb_add(&as, "\\", 1);
        sb_add(&as, s, 1);
    }
    sb_c_escape(sb, as.buf ? as.buf : "");
    sb_free(&as);
}

char *gen_tree_c(const struct graph *g, const struct gen_env *env,
                 const struct rdev *d, const struct rparam *p, bool *ok)
{
    struct strbuf sb, table;
    struct strlist keys = {0};
    char *base = g->cfg->dir ? path_join(g->cfg->dir, p->value) : NULL;
    sb_init(&sb);
    sb_init(&table);
    if (base && !walk(base, "", &keys)) {
        fprintf(stderr, "mirleft: cannot read %s: %s\n", base, strerror(errno));
        *ok = false;
    }
    sl_sort(&keys);
    gen_banner(&sb, g, env, "/*", " */");
    sb_printf(&sb, "/* The files of %s/ for device '%s'. */\n", p->value, d->name);
    sb_puts(&sb, "#include <mirleft/kv_tree.h>\n\n");
    for (size_t i = 0; i < keys.n; i++)
        if (strpbrk(keys.v[i], " \t\n$#:%*?[]\\\"'")) {
            fprintf(stderr, "mirleft: cannot embed '%s/%s': file names with "
                    "spaces or make and shell metacharacters are not supported\n",
                    p->value, keys.v[i]);
            *ok = false;
        }
    if (keys.n)
        sb_printf(&sb, "__asm__(\"\\t.section .rodata.mlgen_tree_%s,\\\"a\\\"\\n\"\n",
                  d->name);
    for (size_t i = 0; i < keys.n; i++) {
        char *path = xasprintf("%s/%s/%s", env->project_rel, p->value, keys.v[i]);
        sb_printf(&sb, "        \"\\t.balign 16\\nmlgen_tree_%s_%zu:\\n\"\n"
                       "        \"\\t.incbin \\\"", d->name, i);
        asm_c_string(&sb, path);
        sb_puts(&sb, "\\\"\\n\"\n");
        free(path);
    }
    if (keys.n)
        sb_puts(&sb, "        \"\\t.previous\\n\");\n\n");
    for (size_t i = 0; i < keys.n; i++) {
        char *full = path_join(base, keys.v[i]);
        unsigned char dg[32];
        uint64_t size = 0;
        if (sha256_file(full, dg, &size) < 0) {
            fprintf(stderr, "mirleft: cannot read %s: %s\n", full, strerror(errno));
            *ok = false;
            memset(dg, 0, sizeof dg);
        }
        sb_printf(&sb, "extern const unsigned char mlgen_tree_%s_%zu[];\n", d->name, i);
        sb_puts(&table, "    { \"");
        sb_c_escape(&table, keys.v[i]);
        sb_printf(&table, "\", mlgen_tree_%s_%zu, %llu,\n      {", d->name, i,
                  (unsigned long long)size);
        for (int b = 0; b < 32; b++)
            sb_printf(&table, "%s0x%02x", b % 8 ? ", " : b ? ",\n       " : " ", dg[b]);
        sb_puts(&table, " } },\n");
        free(full);
    }
    if (!keys.n) /* C has no empty arrays: one unused zero entry */
        sb_puts(&table, "    { 0, 0, 0, { 0 } },\n");
    sb_printf(&sb, "\nstatic const struct ml_kv_file mlgen_tree_%s_files[%zu] = {\n%s};\n\n",
              d->name, keys.n ? keys.n : 1, table.buf);
    sb_printf(&sb, "const struct ml_kv_tree mlgen_tree_%s = { mlgen_tree_%s_files, %zu };\n",
              d->name, d->name, keys.n);
    sl_free(&keys);
    sb_free(&table);
    free(base);
    return sb_detach(&sb);
}

void gen_tree_deps(struct strbuf *mk, const struct graph *g,
                   const struct rdev *d, const struct rparam *p)
{
    struct strlist keys = {0};
    char *base = g->cfg->dir ? path_join(g->cfg->dir, p->value) : NULL;
    if (base)
        walk(base, "", &keys);
    sl_sort(&keys);
    sb_printf(mk, "obj/gen/tree_%s.o:", d->name);
    /* File names are data: escaped so make reads each as one name; one
     * with a newline cannot be named on a Makefile line at all. */
    for (size_t i = 0; i < keys.n; i++) {
        if (mk_control_char(keys.v[i]) || mk_control_char(p->value))
            continue;
        sb_puts(mk, " \\\n\t$(PROJECT)/");
        mk_prereq(mk, p->value);
        sb_puts(mk, "/");
        mk_prereq(mk, keys.v[i]);
    }
    sb_puts(mk, "\n");
    sl_free(&keys);
    free(base);
}

/* manifest.c: the Solo5 ABI1 note (shared/specs/solo5-abi.md §2.2), which
 * tenders check against their own target and version, from target.yml's
 * solo5: { abi-target, abi-version }; and the MFT1 note (§2.3), so that
 * Solo5 tenders — ours and the stock ones — know the image's devices. Entry
 * 0 is reserved; device h has manifest index h. The linker script gives
 * each note its own PT_NOTE. */
#include "gen.h"

char *gen_manifest_c(const struct graph *g, const struct gen_env *env)
{
    struct strbuf sb;
    unsigned n = 1;
    sb_init(&sb);
    for (size_t i = 0; i < g->n; i++)
        if (g->devs[i].handle)
            n++;
    gen_banner(&sb, g, env, "/*", " */");
    sb_puts(&sb, "#include <solo5_mft.h>\n\n");
    sb_puts(&sb,
            "struct mlgen_abi1_note {\n"
            "    struct solo5_note_hdr h;\n"
            "    struct solo5_abi_desc d;\n"
            "};\n\n"
            "_Static_assert(sizeof(struct mlgen_abi1_note) == 36, \"ABI1 note size\");\n\n"
            "__attribute__((section(\".note.solo5.abi\"), aligned(4), used))\n"
            "static const struct mlgen_abi1_note mlgen_abi1_note = {\n"
            "    .h = { SOLO5_NOTE_NAMESZ, sizeof(struct solo5_abi_desc),\n"
            "           SOLO5_NOTE_ABI, SOLO5_NOTE_NAME },\n");
    sb_printf(&sb, "    .d = { .abi_target = %uu, .abi_version = %uu },\n};\n\n",
              g->target->abi_target, g->target->abi_version);
    sb_printf(&sb,
              "struct mlgen_mft1_note {\n"
              "    struct solo5_note_hdr h;\n"
              "    uint32_t align;   /* the manifest is 8-aligned in the note */\n"
              "    uint32_t version;\n"
              "    uint32_t entries;\n"
              "    struct mft_entry e[%u];\n"
              "};\n\n", n);
    sb_puts(&sb,
            "_Static_assert(sizeof(struct mlgen_mft1_note) == 32 + 104 * ");
    sb_printf(&sb, "%u,\n               \"MFT1 note size\");\n\n", n);
    sb_puts(&sb,
            "/* aligned(8): keep gcc from padding the note out to 32 bytes */\n"
            "__attribute__((section(\".note.solo5.manifest\"), aligned(8), used))\n"
            "const struct mlgen_mft1_note __solo5_mft1_note = {\n"
            "    .h = { SOLO5_NOTE_NAMESZ, sizeof(struct mlgen_mft1_note) - 20,\n"
            "           SOLO5_NOTE_MFT, SOLO5_NOTE_NAME },\n");
    sb_printf(&sb, "    .version = MFT_VERSION,\n    .entries = %u,\n", n);
    sb_puts(&sb, "    .e = {\n        { .name = \"\", .type = MFT_RESERVED_FIRST },\n");
    for (size_t i = 0; i < g->n; i++) {
        const struct rdev *d = &g->devs[i];
        if (!d->handle)
            continue;
        sb_printf(&sb, "        { .name = \"%s\", .type = MFT_DEV_%s }, /* %s */\n",
                  d->host_name, d->type->solo5, d->name);
    }
    sb_puts(&sb, "    },\n};\n");
    return sb_detach(&sb);
}

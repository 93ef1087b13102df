/*
 * The fixed notes of every Solo5 image (spec §2.1-2.5): the OpenBSD note
 * and the PT_INTERP path that make a host kernel refuse to exec the image
 * directly. The linker script gives each note its own PT_NOTE, OpenBSD
 * first. The ABI note (it names the target) and the manifest note are
 * generated per unikernel into manifest.c, from target.yml's solo5: key.
 */
#include <stdint.h>

struct openbsd_note {
    uint32_t namesz, descsz, type;
    char name[8];
    uint32_t desc;
};
_Static_assert(sizeof(struct openbsd_note) == 24, "OpenBSD note is 24 bytes");

__attribute__((section(".note.solo5.not_openbsd"), aligned(4), used))
static const struct openbsd_note openbsd_note = {
    .namesz = 8, .descsz = 4, .type = 1, .name = "OpenBSD", .desc = 0,
};

/* Executing the image on the host fails: this interpreter does not exist. */
__attribute__((section(".interp"), aligned(8), used))
static const char interp[24] = "/nonexistent/solo5/";

/*
 * The fixed parts of every hvt image (spec §2.1-2.5): the ABI note that
 * tenders check, the OpenBSD note and the PT_INTERP path that make a host
 * kernel refuse to exec the image directly. hvt.ld gives each note its own
 * PT_NOTE, OpenBSD first; the manifest note is generated per unikernel.
 */
#include <stdint.h>

#include "solo5_mft.h"
#include "solo5_hvt.h"

struct abi1_note {
    struct solo5_note_hdr h;
    struct solo5_abi_desc d;
};
_Static_assert(sizeof(struct abi1_note) == 36, "ABI1 note is 36 bytes");

__attribute__((section(".note.solo5.abi"), aligned(4), used))
static const struct abi1_note abi1_note = {
    .h = { .namesz = SOLO5_NOTE_NAMESZ, .descsz = sizeof(struct solo5_abi_desc),
           .type = SOLO5_NOTE_ABI, .name = SOLO5_NOTE_NAME },
    .d = { .abi_target = SOLO5_ABI_TARGET_HVT, .abi_version = HVT_ABI_VERSION },
};

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

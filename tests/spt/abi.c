/* The Solo5 ABI note that mirleft generates into manifest.c for real
 * images, for the test guests: tests.mk gives ABI_TARGET per target. */
#include "solo5_mft.h"

struct abi1_note {
    struct solo5_note_hdr h;
    struct solo5_abi_desc d;
};

__attribute__((section(".note.solo5.abi"), aligned(4), used))
static const struct abi1_note abi1_note = {
    .h = { SOLO5_NOTE_NAMESZ, sizeof(struct solo5_abi_desc), SOLO5_NOTE_ABI,
           SOLO5_NOTE_NAME },
    .d = { .abi_target = ABI_TARGET, .abi_version = SOLO5_ABI_VERSION },
};

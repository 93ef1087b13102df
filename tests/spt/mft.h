/*
 * Hand-written Solo5 manifest notes for the test guests (spec §2.3): the
 * real tool generates these later. MFT_NOTE(N, entries...) defines
 * __solo5_mft1_note with N entries, the reserved entry 0 included; the
 * object is exactly 20 + 4 + 8 + 104 * N bytes.
 */
#ifndef TESTS_SPT_MFT_H
#define TESTS_SPT_MFT_H

#include "solo5_mft.h"

#define MFT_NOTE_TYPE(N)                                                      \
    struct mft_note_##N {                                                     \
        struct solo5_note_hdr h;                                              \
        uint32_t pad;          /* the manifest is 8-aligned */               \
        uint32_t version, entries;                                            \
        struct mft_entry e[N];                                                \
    };                                                                        \
    _Static_assert(sizeof(struct mft_note_##N) == 32 + 104 * (N), "size")

#define MFT_NOTE(N, ...)                                                      \
    MFT_NOTE_TYPE(N);                                                         \
    __attribute__((section(".note.solo5.manifest"), aligned(4), used))       \
    const struct mft_note_##N __solo5_mft1_note = {                           \
        .h = { .namesz = SOLO5_NOTE_NAMESZ,                                   \
               .descsz = sizeof(struct mft_note_##N) - 20,                    \
               .type = SOLO5_NOTE_MFT, .name = SOLO5_NOTE_NAME },             \
        .version = MFT_VERSION, .entries = (N),                               \
        .e = { { .name = "", .type = MFT_RESERVED_FIRST }, __VA_ARGS__ },     \
    }

#define MFT_BLOCK(n) { .name = n, .type = MFT_DEV_BLOCK_BASIC }
#define MFT_NET(n) { .name = n, .type = MFT_DEV_NET_BASIC }

#endif

/*
 * Solo5 manifest (MFT1) and ABI (ABI1) note layouts: ABI facts from
 * shared/specs/solo5-abi.md §2, in our own definitions. Shared by the guest
 * (generated manifest, bindings) and the host tenders. Freestanding-safe.
 */
#ifndef MIRLEFT_SOLO5_MFT_H
#define MIRLEFT_SOLO5_MFT_H

#include <stdint.h>
#include <stdbool.h>

#define SOLO5_NOTE_NAME "Solo5"
#define SOLO5_NOTE_NAMESZ 6
#define SOLO5_NOTE_ABI 0x31494241u /* "ABI1" */
#define SOLO5_NOTE_MFT 0x3154464du /* "MFT1" */

#define SOLO5_ABI_TARGET_HVT 1u
#define SOLO5_ABI_TARGET_SPT 2u
#define SOLO5_ABI_TARGET_XEN 6u
#define SOLO5_ABI_VERSION 2u

#define MFT_VERSION 1u
#define MFT_MAX_ENTRIES 64u      /* including reserved entry 0 */
#define MFT_NAME_SIZE 68u        /* including the NUL */
#define MFT_NAME_MAX 67u

enum mft_type {
    MFT_DEV_BLOCK_BASIC = 1,
    MFT_DEV_NET_BASIC = 2,
    MFT_RESERVED_FIRST = 1 << 30
};

struct mft_block_basic {
    uint64_t capacity;
    uint16_t block_size;
};

struct mft_net_basic {
    uint8_t mac[6];
    uint16_t mtu;
};

struct mft_entry {
    char name[MFT_NAME_SIZE];
    uint32_t type;              /* enum mft_type */
    union {
        struct mft_block_basic block_basic;
        struct mft_net_basic net_basic;
    } u;
    union {
        int hostfd;
        void *data;
        uint64_t pad;
    } b;
    bool attached;
};

struct mft {
    uint32_t version;
    uint32_t entries;
    struct mft_entry e[];
};

/* The 20-byte note header shared by Solo5 notes. */
struct solo5_note_hdr {
    uint32_t namesz;
    uint32_t descsz;
    uint32_t type;
    char name[8];
};

struct solo5_abi_desc {
    uint32_t abi_target;
    uint32_t abi_version;
    uint32_t reserved0;
    uint32_t reserved1;
};

_Static_assert(sizeof(struct mft_entry) == 104, "mft_entry is 104 bytes");
_Static_assert(__builtin_offsetof(struct mft_entry, type) == 68, "type@68");
_Static_assert(__builtin_offsetof(struct mft_entry, u) == 72, "u@72");
_Static_assert(__builtin_offsetof(struct mft_entry, b) == 88, "b@88");
_Static_assert(__builtin_offsetof(struct mft_entry, attached) == 96, "@96");
_Static_assert(sizeof(struct mft) == 8, "mft header is 8 bytes");
_Static_assert(sizeof(struct solo5_note_hdr) == 20, "note header is 20");

#endif

/* An invalid manifest: an entry claims to be attached at build time. */
#include "mft.h"
MFT_NOTE(2, { .name = "storage", .type = MFT_DEV_BLOCK_BASIC,
              .attached = 1 });

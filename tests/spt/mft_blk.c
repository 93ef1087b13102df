/* Manifest: one block device, "storage". */
#include "mft.h"
MFT_NOTE(2, MFT_BLOCK("storage"));

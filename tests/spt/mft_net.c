/* Manifest: one network device, "service0", and one block device. */
#include "mft.h"
MFT_NOTE(3, MFT_NET("service0"), MFT_BLOCK("storage"));

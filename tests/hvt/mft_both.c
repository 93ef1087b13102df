/* Manifest: a block device "storage" and a network device "service0". */
#include "mft.h"
MFT_NOTE(3, MFT_BLOCK("storage"), MFT_NET("service0"));

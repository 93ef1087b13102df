/* Manifest: no devices. */
#include "mft.h"
MFT_NOTE(1);

/* The largest manifest: 63 block devices, storage0 .. storage62. */
#include "mft.h"
#define B(i) MFT_BLOCK("storage" #i)
#define B10(t) B(t##0), B(t##1), B(t##2), B(t##3), B(t##4), B(t##5),          \
               B(t##6), B(t##7), B(t##8), B(t##9)
MFT_NOTE(64, B(0), B(1), B(2), B(3), B(4), B(5), B(6), B(7), B(8), B(9),
         B10(1), B10(2), B10(3), B10(4), B10(5), B(60), B(61), B(62));

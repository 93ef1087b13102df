/* rand: a 32-bit LCG with the top bits returned. Not for secrets. */
#include <stdlib.h>

int rand_r(unsigned *seed)
{
    *seed = *seed * 1103515245u + 12345u;
    return (int)((*seed >> 1) & RAND_MAX);
}

static unsigned rand_seed = 1;

int rand(void)
{
    return rand_r(&rand_seed);
}

void srand(unsigned seed)
{
    rand_seed = seed;
}

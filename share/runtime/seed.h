/* Between the generator (random.c) and its seeding (seed.c). */
#ifndef MIRLEFT_RUNTIME_SEED_H
#define MIRLEFT_RUNTIME_SEED_H

#include <stdint.h>

/* Writes a fresh 32-byte key; returns 1 if it came from a hardware source
 * that passed its health test, 0 if from the fallback (after printing the
 * warning). *what names the source. */
int ml_seed_key(uint8_t key[32], const char **what);

#endif

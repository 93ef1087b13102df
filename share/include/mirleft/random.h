/*
 * Random numbers for secrets: a ChaCha20 generator (RFC 8439's block
 * function) seeded once, at first use, from the target's entropy source.
 *
 * Seeding: the runtime asks the target for raw bytes (ml_plat_entropy in
 * mirleft/platform.h: RDSEED, else RDRAND, on x86; the ROSC random bit on
 * rp2040), runs them through a repetition-count test (NIST SP 800-90B
 * 4.4.1) and folds them into the key. A source that is absent or fails
 * the test is not trusted: the key then comes from clock jitter (many
 * timing samples of the platform clock, plus the wall clock), and the
 * console says so with a line starting "mirleft: WARNING: no hardware
 * entropy". Secrets drawn after that warning are only as good as the
 * jitter: an attacker who can time the boot closely may guess them.
 *
 * Generation ("fast key erasure"): each refill runs ChaCha20 with the
 * current key, a zero nonce and counters 0..3; the first 32 bytes become
 * the next key, the other 224 are handed out once and wiped as they go.
 * A captured state therefore reveals nothing already handed out.
 *
 * Only images that call these functions contain the generator (the
 * linker drops it otherwise), and only they print the warning.
 */
#ifndef MIRLEFT_RANDOM_H
#define MIRLEFT_RANDOM_H

#include <stddef.h>
#include <stdint.h>

/* Fills buf with len random bytes. Never fails; seeds on first use. */
void ml_random_bytes(void *buf, size_t len);
/* A uniformly random 32-bit value. */
uint32_t ml_random_u32(void);
/* Uniform in [0, bound); 0 when bound is 0. No modulo bias. */
uint32_t ml_random_below(uint32_t bound);
/* Forgets the key and seeds again from the source, as at first use
 * (warning again if it has to fall back). */
void ml_random_reseed(void);
/* Sets the key instead of seeding from the source: for reproducible
 * runs (simulations, fuzzing, known-answer tests), never for secrets. */
void ml_random_seed(const uint8_t key[32]);
/* What seeded the generator, e.g. "RDSEED", "RDRAND", or "clock jitter
 * (fallback: ...)"; seeds first if nothing has yet. */
const char *ml_random_source(void);
/* Whether the seed came from a hardware source that passed its health
 * test (1) or from the fallback (0); seeds first if nothing has yet. */
int ml_random_hardware(void);

/* ---- building blocks, public for tests and for applications ---------- */

/* RFC 8439 2.3: the ChaCha20 block function. key is 32 bytes, nonce 12;
 * writes the 64-byte serialized block. */
void ml_chacha20_block(const uint8_t key[32], uint32_t counter,
                       const uint8_t nonce[12], uint8_t out[64]);

/* NIST SP 800-90B 4.4.1, the repetition count test over samples of
 * `width` bytes (1..8): returns 0 if no sample repeats `cutoff` or more
 * times in a row, -1 if one does (a stuck source). The cutoff for a
 * false-alarm rate of 2^-40 is 1 + ceil(40 / H), H being the claimed
 * min-entropy per sample in bits. */
int ml_entropy_rct(const void *buf, size_t len, size_t width,
                   unsigned cutoff);

#endif

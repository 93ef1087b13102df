/* SHA-256 (FIPS 180-4): incremental or one-shot. Used by kv_ro for value
 * digests; small and freestanding, usable by applications too. */
#ifndef MIRLEFT_SHA256_H
#define MIRLEFT_SHA256_H

#include <stddef.h>
#include <stdint.h>

#define ML_SHA256_LEN 32

struct ml_sha256 {
    /* Private. */
    uint32_t h[8];
    uint64_t bytes;     /* message length so far */
    uint8_t block[64];  /* the partial block */
    size_t fill;        /* bytes in block */
};

/* Hosted x86-64 builds (the tool): whether blocks go through the CPU's
 * SHA extensions (-1: decided at first use; tests set 0 for the portable
 * code). Unikernels always use the portable code. */
extern int ml_sha256_shani;

void ml_sha256_init(struct ml_sha256 *c);
void ml_sha256_update(struct ml_sha256 *c, const void *data, size_t len);
/* Writes the digest and leaves c unusable until ml_sha256_init. */
void ml_sha256_final(struct ml_sha256 *c, uint8_t out[ML_SHA256_LEN]);
void ml_sha256(const void *data, size_t len, uint8_t out[ML_SHA256_LEN]);
/* Writes 64 lowercase hex digits and a NUL to hex (65 bytes); returns hex. */
char *ml_sha256_hex(const uint8_t digest[ML_SHA256_LEN], char hex[65]);

#endif

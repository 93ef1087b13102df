/*
 * SipHash-2-4 (Aumasson and Bernstein, "SipHash: a fast short-input
 * PRF", 2012): a keyed 64-bit pseudorandom function for short inputs.
 * The network stack keys its TCP initial sequence numbers (RFC 6528) and
 * SYN cookies with it; applications may use it for hash tables that
 * face untrusted keys. Keep the key secret (ml_random_bytes).
 */
#ifndef MIRLEFT_SIPHASH_H
#define MIRLEFT_SIPHASH_H

#include <stddef.h>
#include <stdint.h>

#define ML_SIPHASH_KEY_LEN 16

/* The 64-bit tag of msg under key; its little-endian bytes are the
 * paper's output bytes. */
uint64_t ml_siphash24(const uint8_t key[ML_SIPHASH_KEY_LEN], const void *msg,
                      size_t len);

#endif

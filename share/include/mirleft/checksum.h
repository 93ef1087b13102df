/* The Internet checksum (RFC 1071) and its incremental update (RFC 1624).
 *
 * Sums are kept in the "big-endian numeric" domain: the value returned by
 * ml_csum_fold is what goes into a header with a big-endian 16-bit store,
 * and pseudo-header fields can be added as host-order numbers
 * (ml_csum_add32). Data may sit at any alignment and have any length; when
 * a checksum covers several pieces, every piece but the last must have an
 * even length (the pairing of bytes into 16-bit words must not shift). */
#ifndef MIRLEFT_CHECKSUM_H
#define MIRLEFT_CHECKSUM_H

#include <stddef.h>
#include <stdint.h>

/* x86-64: whether ml_csum_add uses AVX2 (-1: decided at the first call
 * from CPUID and XCR0; tests set 0 to check the SSE2 path). */
extern int ml_csum_avx2;

/* Adds len bytes at p to a running sum (start from 0); never overflows. */
uint32_t ml_csum_add(uint32_t sum, const void *p, size_t len);
/* Adds a host-order 32-bit value as two 16-bit words (pseudo-headers). */
static inline uint32_t ml_csum_add32(uint32_t sum, uint32_t v)
{
    uint64_t s = (uint64_t)sum + (v >> 16) + (v & 0xffff);
    return (uint32_t)((s & 0xffffffff) + (s >> 32));
}
/* Folds a running sum to 16 bits and complements it: the checksum field. */
static inline uint16_t ml_csum_fold(uint32_t sum)
{
    sum = (sum & 0xffff) + (sum >> 16);
    sum = (sum & 0xffff) + (sum >> 16);
    return (uint16_t)~sum;
}
/* The checksum of one buffer; 0 over data that carries a correct one. */
static inline uint16_t ml_csum(const void *p, size_t len)
{
    return ml_csum_fold(ml_csum_add(0, p, len));
}
/* RFC 1624, eqn. 3: the checksum hc after a 16-bit field changed from
 * old to new, HC' = ~(~HC + ~m + m'), without touching the rest. Exact
 * unless the covered data becomes all zero bytes (then 0x0000 comes out
 * where 0xffff is right): use it only where some field is never zero,
 * e.g. an IPv4 header (version and length), not an ICMP message. */
static inline uint16_t ml_csum_update16(uint16_t hc, uint16_t old,
                                        uint16_t new_)
{
    uint32_t s = (uint32_t)(uint16_t)~hc + (uint16_t)~old + new_;
    return ml_csum_fold(s);
}
/* The same for a 32-bit field (an address), as two 16-bit words. */
static inline uint16_t ml_csum_update32(uint16_t hc, uint32_t old,
                                        uint32_t new_)
{
    uint32_t s = (uint32_t)(uint16_t)~hc + (uint16_t)~(old >> 16) +
                 (uint16_t)~(old & 0xffff) + (new_ >> 16) + (new_ & 0xffff);
    return ml_csum_fold(s);
}

#endif

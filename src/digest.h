/* SHA-256 of files, for the digests mirleft embeds and verifies. */
#ifndef MIRLEFT_DIGEST_H
#define MIRLEFT_DIGEST_H

#include <stddef.h>
#include <stdint.h>

/* Returns 0, or -1 with errno set. */
int sha256_file(const char *path, unsigned char out[32], uint64_t *size);
void sha256_hex(const unsigned char d[32], char hex[65]);
/* The hex SHA-256 of a buffer. */
void sha256_buf_hex(const void *buf, size_t len, char hex[65]);

#endif

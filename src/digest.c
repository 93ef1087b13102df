/* SHA-256 of files and buffers for the tool, with the runtime's own
 * share/runtime/sha256.c (the code unikernels use for kv_ro digests),
 * which the tool builds with the CPU's SHA extensions where there are
 * any: as fast as libcrypto on large embedded files, without loading
 * libcrypto (~0.9 ms) on every command. */
#include "digest.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>

#include <mirleft/sha256.h>

int sha256_file(const char *path, unsigned char out[32], uint64_t *size)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return -1;
    struct ml_sha256 c;
    unsigned char buf[65536];
    uint64_t total = 0;
    ml_sha256_init(&c);
    for (;;) {
        ssize_t n = read(fd, buf, sizeof buf);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            int e = errno;
            close(fd);
            errno = e;
            return -1;
        }
        if (n == 0)
            break;
        total += (uint64_t)n;
        ml_sha256_update(&c, buf, (size_t)n);
    }
    close(fd);
    ml_sha256_final(&c, out);
    *size = total;
    return 0;
}

void sha256_buf_hex(const void *buf, size_t len, char hex[65])
{
    unsigned char d[32];
    ml_sha256(buf, len, d);
    sha256_hex(d, hex);
}

void sha256_hex(const unsigned char d[32], char hex[65])
{
    ml_sha256_hex(d, hex);
}

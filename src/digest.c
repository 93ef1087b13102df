/* SHA-256 through OpenSSL's libcrypto (Debian's libssl-dev): a library
 * well kept by others rather than a hand-written hash. */
#include "digest.h"

#include <errno.h>
#include <fcntl.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <unistd.h>

int sha256_file(const char *path, unsigned char out[32], uint64_t *size)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return -1;
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    int ok = ctx && EVP_DigestInit_ex(ctx, EVP_sha256(), NULL);
    unsigned char buf[65536];
    uint64_t total = 0;
    while (ok) {
        ssize_t n = read(fd, buf, sizeof buf);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            ok = 0;
            break;
        }
        if (n == 0)
            break;
        total += (uint64_t)n;
        ok = EVP_DigestUpdate(ctx, buf, (size_t)n);
    }
    unsigned int len = 0;
    if (ok)
        ok = EVP_DigestFinal_ex(ctx, out, &len) && len == 32;
    int e = errno;
    EVP_MD_CTX_free(ctx);
    close(fd);
    if (!ok) {
        errno = e ? e : EIO;
        return -1;
    }
    *size = total;
    return 0;
}

void sha256_buf_hex(const void *buf, size_t len, char hex[65])
{
    unsigned char d[32];
    unsigned int n = 0;
    EVP_Digest(buf, len, d, &n, EVP_sha256(), NULL);
    sha256_hex(d, hex);
}

void sha256_hex(const unsigned char d[32], char hex[65])
{
    for (int i = 0; i < 32; i++)
        snprintf(hex + 2 * i, 3, "%02x", d[i]);
}

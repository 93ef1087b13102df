/* The i2c device type: a bus master. Each call is one transaction, start
 * to stop, and returns when it is over (the _sync suffix: a transaction of
 * a few bytes takes tens of µs at 400 kHz). Errors are negative errno
 * values: -ENXIO when no device acknowledges the address, -EIO when a data
 * byte is not acknowledged, -ETIMEDOUT when the bus is stuck, -EINVAL for
 * an address above 0x7F or no bytes. Targets: rp2040. */
#ifndef MIRLEFT_I2C_H
#define MIRLEFT_I2C_H

#include <stddef.h>
#include <stdint.h>

struct ml_i2c {
    const char *name;
    uintptr_t base;
    unsigned khz;
};

struct ml_i2c_config {
    const char *name;
    int64_t bus, sda, scl, khz;
};

int ml_i2c_init(struct ml_i2c *b, const struct ml_i2c_config *cfg);
/* addr is the 7-bit address. */
int ml_i2c_write_sync(struct ml_i2c *b, unsigned addr, const void *buf,
                      size_t len);
int ml_i2c_read_sync(struct ml_i2c *b, unsigned addr, void *buf, size_t len);
/* Writes wlen bytes (a register number, say), then a repeated start and
 * reads rlen bytes, in one transaction. */
int ml_i2c_write_read_sync(struct ml_i2c *b, unsigned addr, const void *w,
                           size_t wlen, void *r, size_t rlen);

#endif

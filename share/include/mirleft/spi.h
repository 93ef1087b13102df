/* The spi device type: a bus master sending and receiving 8-bit frames at
 * once (full duplex). Chip select is the application's: drive it with a
 * gpio device around a transfer. Errors are negative errno values: -EBUSY
 * while a transfer is in flight, -EINVAL for no bytes. Targets: rp2040. */
#ifndef MIRLEFT_SPI_H
#define MIRLEFT_SPI_H

#include <stddef.h>
#include <stdint.h>

struct ml_spi;
/* status: 0, or a negative errno value */
typedef void (*ml_spi_done_fn)(struct ml_spi *s, int status, void *arg);

struct ml_spi {
    const char *name;
    uintptr_t base;
    unsigned irq;
    uint32_t hz;                 /* the rate in use */
    int handle;                  /* loop handle, -1 before the first */
    const uint8_t *tx;
    uint8_t *rx;
    size_t len;
    volatile size_t sent, got;
    volatile int busy;
    ml_spi_done_fn cb;
    void *arg;
};

struct ml_spi_config {
    const char *name;
    int64_t bus, sck, tx, rx, mode, hz;
};

int ml_spi_init(struct ml_spi *s, const struct ml_spi_config *cfg);
/* Sends len bytes of tx (zeros if NULL) while receiving len bytes into rx
 * (dropped if NULL); returns when done. */
int ml_spi_transfer_sync(struct ml_spi *s, const void *tx, void *rx, size_t len);
/* The same, driven by the SPI interrupt: returns at once, and done runs
 * from the event loop when the last byte is in. The buffers must live
 * until then; the loop stays alive meanwhile. */
int ml_spi_transfer(struct ml_spi *s, const void *tx, void *rx, size_t len,
                    ml_spi_done_fn done, void *arg);

#endif

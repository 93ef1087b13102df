/* {{name}}: with MOSI (GPIO 19) wired to MISO (GPIO 16), every byte sent
 * on SPI0 comes back. It sends a pattern synchronously, then the reverse
 * pattern with the interrupt-driven transfer, and checks both received
 * buffers; it prints the rate in use and the transfer times, and exits 0
 * when both match, 1 at the first byte that does not. */
#include <mirleft/loop.h>
#include <mirleft/spi.h>
#include <stdio.h>
#include <string.h>

#include "devices.h"

static uint8_t out[1024], in[1024];
static size_t size;
static ml_time_t t0;

static int check(const char *what, struct devices *dev)
{
    unsigned long us = (unsigned long)((ml_clock_now(&dev->clock) - t0) / ML_US);
    for (size_t i = 0; i < size; i++)
        if (in[i] != out[i]) {
            printf("%s: byte %u sent 0x%02x, received 0x%02x\n", what,
                   (unsigned)i, out[i], in[i]);
            return 1;
        }
    printf("%s: %u bytes back in %lu us\n", what, (unsigned)size, us);
    return 0;
}

static void async_done(struct ml_spi *s, int status, void *arg)
{
    (void)s;
    if (status < 0 || check("async", arg))
        ml_loop_stop(1);
}

int start(struct devices *dev, const struct args *args)
{
    if (args->size < 1 || args->size > 1024) {
        printf("--size must be 1-1024\n");
        return 2;
    }
    size = (size_t)args->size;
    printf("spi %s at %lu Hz\n", dev->bus.name, (unsigned long)dev->bus.hz);
    for (size_t i = 0; i < size; i++)
        out[i] = (uint8_t)(i * 7 + 1);
    t0 = ml_clock_now(&dev->clock);
    if (ml_spi_transfer_sync(&dev->bus, out, in, size) < 0 || check("sync", dev))
        return 1;
    for (size_t i = 0; i < size; i++)
        out[i] = (uint8_t)~out[i];
    memset(in, 0, sizeof in);
    t0 = ml_clock_now(&dev->clock);
    return ml_spi_transfer(&dev->bus, out, in, size, async_done, dev) < 0;
}

/* {{name}}: reads register 0 of a TMP102-style temperature sensor on
 * I2C0 (SDA GPIO 4, SCL GPIO 5, 400 kHz) once a second: two bytes, a
 * 12-bit two's complement value in 1/16 degree C, left-justified. A sensor
 * that does not answer is reported with its error code (-ENXIO: no
 * acknowledge at that address) and the unikernel exits 1. */
#include <errno.h>
#include <mirleft/i2c.h>
#include <mirleft/runtime.h>
#include <mirleft/timer.h>
#include <stdio.h>

#include "devices.h"

static struct ml_timer every_second;
static int64_t reads_left;
static unsigned addr;

static void read_temp(struct ml_timer *t, void *arg)
{
    struct devices *dev = arg;
    uint8_t reg = 0, v[2];
    int rc = ml_i2c_write_read_sync(&dev->sensor, addr, &reg, 1, v, 2);
    if (rc < 0) {
        printf("sensor at 0x%02x: error %d%s\n", addr, rc,
               rc == -ENXIO ? " (no acknowledge: nothing at that address)" : "");
        ml_exit(1);
    }
    int raw = (int16_t)((v[0] << 8) | v[1]) / 16;   /* 1/16 degree C */
    int centi = raw * 100 / 16;
    printf("%llu ms: %s%d.%02d C\n",
           (unsigned long long)(ml_clock_now(&dev->clock) / ML_MS),
           centi < 0 ? "-" : "", (centi < 0 ? -centi : centi) / 100,
           (centi < 0 ? -centi : centi) % 100);
    if (--reads_left <= 0)
        ml_timer_stop(t);
}

int start(struct devices *dev, const struct args *args)
{
    if (args->addr < 0 || args->addr > 0x7F || args->reads < 1) {
        printf("--addr must be 0-0x7f and --reads >= 1\n");
        return 2;
    }
    addr = (unsigned)args->addr;
    reads_left = args->reads;
    printf("reading the sensor at 0x%02x on i2c %s\n", addr, dev->sensor.name);
    ml_timer_init(&every_second, read_temp, dev);
    ml_timer_start(&every_second, 0, ML_SEC);
    return 0;
}

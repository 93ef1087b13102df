/*
 * i2c on the RP2040: the DW_apb_i2c controllers I2C0/I2C1 as masters,
 * polled. A transaction queues one command a byte in IC_DATA_CMD (bit 8
 * read, bit 9 stop after it, bit 10 restart before it) and waits for each
 * read byte or an abort; IC_TX_ABRT_SOURCE says whether the address or a
 * data byte was not acknowledged.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "mirleft/clock.h"
#include "mirleft/i2c.h"
#include "../bindings/rp2040.h"

#define I2C0_BASE 0x40044000u
#define I2C1_BASE 0x40048000u
#define IC_CON 0x00u
#define IC_TAR 0x04u
#define IC_DATA_CMD 0x10u
#define IC_SS_SCL_HCNT 0x14u
#define IC_SS_SCL_LCNT 0x18u
#define IC_FS_SCL_HCNT 0x1Cu
#define IC_FS_SCL_LCNT 0x20u
#define IC_RAW_INTR_STAT 0x34u
#define IC_CLR_TX_ABRT 0x54u
#define IC_CLR_STOP_DET 0x60u
#define IC_ENABLE 0x6Cu
#define IC_STATUS 0x70u
#define IC_SDA_HOLD 0x7Cu
#define IC_TX_ABRT_SOURCE 0x80u
#define IC_FS_SPKLEN 0xA0u
#define CON_MASTER (1u << 0)
#define CON_RESTART_EN (1u << 5)
#define CON_SLAVE_DISABLE (1u << 6)
#define CON_TX_EMPTY_CTRL (1u << 8)
#define CMD_READ (1u << 8)
#define CMD_STOP (1u << 9)
#define CMD_RESTART (1u << 10)
#define INTR_TX_ABRT (1u << 6)
#define INTR_STOP_DET (1u << 9)
#define ST_TFNF (1u << 1)
#define ST_RFNE (1u << 3)
#define ABRT_7B_ADDR_NOACK (1u << 0)
#define FUNCSEL_I2C 3u
#define TIMEOUT_NS (10 * ML_MS)

static bool taken[2];

int ml_i2c_init(struct ml_i2c *b, const struct ml_i2c_config *cfg)
{
    memset(b, 0, sizeof *b);
    b->name = cfg->name;
    if (cfg->bus != 0 && cfg->bus != 1) {
        printf("i2c %s: I2C%lld does not exist (0 or 1)\n", cfg->name, (long long)cfg->bus);
        return -1;
    }
    /* I2C0 SDA on 0, 4, 8, ..., I2C1 SDA on 2, 6, 10, ...; SCL next */
    if (cfg->sda < 0 || cfg->sda > 28 || cfg->sda % 2 || (cfg->sda / 2) % 2 != cfg->bus ||
        cfg->scl != cfg->sda + 1) {
        printf("i2c %s: I2C%lld cannot use pins %lld (sda) and %lld (scl)\n", cfg->name,
               (long long)cfg->bus, (long long)cfg->sda, (long long)cfg->scl);
        return -1;
    }
    if (cfg->khz != 100 && cfg->khz != 400) {
        printf("i2c %s: khz %lld: expected 100 or 400\n", cfg->name, (long long)cfg->khz);
        return -1;
    }
    if (taken[cfg->bus]) {
        printf("i2c %s: I2C%lld is taken\n", cfg->name, (long long)cfg->bus);
        return -1;
    }
    taken[cfg->bus] = true;
    b->base = cfg->bus ? I2C1_BASE : I2C0_BASE;
    b->khz = (unsigned)cfg->khz;
    uint32_t reset_bit = cfg->bus ? 1u << 4 : 1u << 3;
    REG_SET(RESETS_BASE) = reset_bit;
    ml_rp2040_unreset(reset_bit);
    /* SCL period in clk_sys cycles, 40 % high and 60 % low */
    uint32_t period = ML_RP2040_CLK_SYS_HZ / (b->khz * 1000u);
    uint32_t lcnt = period * 3 / 5, hcnt = period - lcnt;
    REG(b->base + IC_ENABLE) = 0;
    REG(b->base + IC_CON) = CON_MASTER | (b->khz == 400 ? 2u : 1u) << 1 |
                            CON_RESTART_EN | CON_SLAVE_DISABLE | CON_TX_EMPTY_CTRL;
    REG(b->base + (b->khz == 400 ? IC_FS_SCL_HCNT : IC_SS_SCL_HCNT)) = hcnt;
    REG(b->base + (b->khz == 400 ? IC_FS_SCL_LCNT : IC_SS_SCL_LCNT)) = lcnt;
    REG(b->base + IC_FS_SPKLEN) = lcnt < 16 ? 1 : lcnt / 16;
    REG(b->base + IC_SDA_HOLD) = ML_RP2040_CLK_SYS_HZ * 3u / 10000000u + 1u; /* 300 ns */
    for (int64_t pin = cfg->sda; pin <= cfg->scl; pin++) {
        /* open drain with the pad's pull-up, as I2C wants */
        REG(PADS_BANK0_BASE + 4u + 4u * (uint32_t)pin) = (1u << 6) | (1u << 3) | (1u << 1);
        REG(IO_BANK0_BASE + 8u * (uint32_t)pin + 4u) = FUNCSEL_I2C;
    }
    return 0;
}

static bool expired(ml_time_t start)
{
    return ml_clock_monotonic() - start > TIMEOUT_NS;
}

/* The end of a transaction: its stop condition, and why it aborted. */
static int finish(struct ml_i2c *b, ml_time_t start)
{
    uint32_t raw;
    while (!((raw = REG(b->base + IC_RAW_INTR_STAT)) & INTR_STOP_DET))
        if (expired(start))
            return -ETIMEDOUT;
    (void)REG(b->base + IC_CLR_STOP_DET);
    if (!(raw & INTR_TX_ABRT))
        return 0;
    uint32_t why = REG(b->base + IC_TX_ABRT_SOURCE);
    (void)REG(b->base + IC_CLR_TX_ABRT);
    return why & ABRT_7B_ADDR_NOACK ? -ENXIO : -EIO;
}

static int transfer(struct ml_i2c *b, unsigned addr, const uint8_t *w,
                    size_t wlen, uint8_t *r, size_t rlen)
{
    if (addr > 0x7F || wlen + rlen == 0)
        return -EINVAL;
    ml_time_t start = ml_clock_monotonic();
    REG(b->base + IC_ENABLE) = 0;
    REG(b->base + IC_TAR) = addr;
    REG(b->base + IC_ENABLE) = 1;
    (void)REG(b->base + IC_CLR_TX_ABRT);
    size_t total = wlen + rlen;
    for (size_t k = 0, got = 0; k < total; k++) {
        uint32_t cmd = k < wlen ? w[k] : CMD_READ;
        if (k == wlen && wlen)
            cmd |= CMD_RESTART;
        if (k + 1 == total)
            cmd |= CMD_STOP;
        while (!(REG(b->base + IC_STATUS) & ST_TFNF))
            if (expired(start))
                return -ETIMEDOUT;
        REG(b->base + IC_DATA_CMD) = cmd;
        if (k < wlen)
            continue;
        while (!(REG(b->base + IC_STATUS) & ST_RFNE)) {
            if (REG(b->base + IC_RAW_INTR_STAT) & INTR_TX_ABRT)
                return finish(b, start);
            if (expired(start))
                return -ETIMEDOUT;
        }
        r[got++] = (uint8_t)REG(b->base + IC_DATA_CMD);
    }
    return finish(b, start);
}

int ml_i2c_write_sync(struct ml_i2c *b, unsigned addr, const void *buf, size_t len)
{
    return transfer(b, addr, buf, len, NULL, 0);
}

int ml_i2c_read_sync(struct ml_i2c *b, unsigned addr, void *buf, size_t len)
{
    return transfer(b, addr, NULL, 0, buf, len);
}

int ml_i2c_write_read_sync(struct ml_i2c *b, unsigned addr, const void *w,
                           size_t wlen, void *r, size_t rlen)
{
    return transfer(b, addr, w, wlen, r, rlen);
}

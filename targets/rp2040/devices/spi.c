/*
 * spi on the RP2040: the PL022 controllers SPI0/SPI1 as masters, Motorola
 * frames of 8 bits. The clock is clk_peri / (CPSDVSR x (1 + SCR)) with
 * CPSDVSR even in 2..254 and SCR in 0..255: the smallest prescale that
 * reaches the rate, then the largest SCR not above it. Transfers keep at
 * most 8 frames (the FIFO depth) in flight so the receive FIFO never
 * overflows; the asynchronous form refills from the RX/RT interrupt.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "mirleft/loop.h"
#include "mirleft/spi.h"
#include "../bindings/rp2040.h"
#include "../bindings/rp2040_irq.h"

#define SPI0_BASE 0x4003C000u
#define SPI1_BASE 0x40040000u
#define SSPCR0 0x00u
#define SSPCR1 0x04u
#define SSPDR 0x08u
#define SSPSR 0x0Cu
#define SSPCPSR 0x10u
#define SSPIMSC 0x14u
#define SSPICR 0x20u
#define CR0_SPO (1u << 6)
#define CR0_SPH (1u << 7)
#define CR1_SSE (1u << 1)
#define SR_TNF (1u << 1)
#define SR_RNE (1u << 2)
#define IM_RT (1u << 1)
#define IM_RX (1u << 2)
#define FIFO_DEPTH 8u
#define FUNCSEL_SPI 1u

static struct ml_spi *owner[2];

/* SPIn has RX/CSn/SCK/TX on pins 4k..4k+3 where k is 0, 1, 4, 5 (SPI0)
 * or 2, 3, 6, 7 (SPI1): role is pin % 4, the bus is bit 3 of the pin. */
static bool spi_pin(int64_t pin, int64_t bus, unsigned role)
{
    return pin >= 0 && pin <= 29 && pin % 4 == role && (pin / 8) % 2 == bus;
}

static uint32_t set_rate(uint32_t base, uint32_t hz)
{
    uint32_t clk = ML_RP2040_CLK_SYS_HZ, pre, scr;
    for (pre = 2; pre < 254; pre += 2)
        if ((uint64_t)pre * 256u * hz >= clk)
            break;
    scr = (clk + pre * hz - 1) / (pre * hz);      /* divisor 1 + SCR, rounded up */
    scr = scr ? scr - 1 : 0;
    if (scr > 255)
        scr = 255;
    REG(base + SSPCPSR) = pre;
    REG(base + SSPCR0) = (REG(base + SSPCR0) & ~0xFF00u) | scr << 8;
    return clk / (pre * (scr + 1));
}

int ml_spi_init(struct ml_spi *s, const struct ml_spi_config *cfg)
{
    memset(s, 0, sizeof *s);
    s->name = cfg->name;
    s->handle = -1;
    if (cfg->bus != 0 && cfg->bus != 1) {
        printf("spi %s: SPI%lld does not exist (0 or 1)\n", cfg->name, (long long)cfg->bus);
        return -1;
    }
    if (!spi_pin(cfg->sck, cfg->bus, 2) || !spi_pin(cfg->tx, cfg->bus, 3) ||
        !spi_pin(cfg->rx, cfg->bus, 0)) {
        printf("spi %s: SPI%lld cannot use pins %lld (sck), %lld (tx), %lld (rx)\n",
               cfg->name, (long long)cfg->bus, (long long)cfg->sck,
               (long long)cfg->tx, (long long)cfg->rx);
        return -1;
    }
    if (cfg->mode < 0 || cfg->mode > 3 || cfg->hz < 3815 || cfg->hz > 62500000) {
        printf("spi %s: mode %lld, hz %lld: expected mode 0-3 and 3815-62500000 Hz\n",
               cfg->name, (long long)cfg->mode, (long long)cfg->hz);
        return -1;
    }
    if (owner[cfg->bus]) {
        printf("spi %s: SPI%lld is taken\n", cfg->name, (long long)cfg->bus);
        return -1;
    }
    owner[cfg->bus] = s;
    s->base = cfg->bus ? SPI1_BASE : SPI0_BASE;
    s->irq = cfg->bus ? 19u : 18u;
    uint32_t reset_bit = cfg->bus ? 1u << 17 : 1u << 16;
    REG_SET(RESETS_BASE) = reset_bit;
    ml_rp2040_unreset(reset_bit);
    REG(s->base + SSPCR0) = 7u | (cfg->mode & 2 ? CR0_SPO : 0) | (cfg->mode & 1 ? CR0_SPH : 0);
    s->hz = set_rate(s->base, (uint32_t)cfg->hz);
    REG(s->base + SSPCR1) = CR1_SSE;              /* master, enabled */
    REG(IO_BANK0_BASE + 8u * (uint32_t)cfg->sck + 4u) = FUNCSEL_SPI;
    REG(IO_BANK0_BASE + 8u * (uint32_t)cfg->tx + 4u) = FUNCSEL_SPI;
    REG(IO_BANK0_BASE + 8u * (uint32_t)cfg->rx + 4u) = FUNCSEL_SPI;
    return 0;
}

/* Moves what the FIFOs allow: receive what arrived, send while fewer than
 * FIFO_DEPTH frames are in flight. */
static void pump(struct ml_spi *s)
{
    while (REG(s->base + SSPSR) & SR_RNE) {
        uint8_t b = (uint8_t)REG(s->base + SSPDR);
        if (s->rx && s->got < s->len)
            s->rx[s->got] = b;
        s->got++;
    }
    while (s->sent < s->len && s->sent - s->got < FIFO_DEPTH &&
           (REG(s->base + SSPSR) & SR_TNF)) {
        REG(s->base + SSPDR) = s->tx ? s->tx[s->sent] : 0;
        s->sent++;
    }
}

static int begin(struct ml_spi *s, const void *tx, void *rx, size_t len)
{
    if (s->busy)
        return -EBUSY;
    if (!len)
        return -EINVAL;
    s->tx = tx;
    s->rx = rx;
    s->len = len;
    s->sent = s->got = 0;
    return 0;
}

int ml_spi_transfer_sync(struct ml_spi *s, const void *tx, void *rx, size_t len)
{
    int rc = begin(s, tx, rx, len);
    if (rc)
        return rc;
    while (s->got < s->len)
        pump(s);
    return 0;
}

static void spi_irq_of(struct ml_spi *s)
{
    pump(s);
    REG(s->base + SSPICR) = IM_RT;
    if (s->got >= s->len) {
        REG(s->base + SSPIMSC) = 0;
        ml_rp2040_event_raise((ml_handle_t)s->handle);
    }
}

static void spi0_irq(void) { spi_irq_of(owner[0]); }
static void spi1_irq(void) { spi_irq_of(owner[1]); }

static void done(ml_handle_t h, void *arg)
{
    struct ml_spi *s = arg;
    if (!s->busy || s->got < s->len)
        return;
    ml_loop_unwatch(h);
    s->busy = 0;
    if (s->cb)
        s->cb(s, 0, s->arg);
}

int ml_spi_transfer(struct ml_spi *s, const void *tx, void *rx, size_t len,
                    ml_spi_done_fn cb, void *arg)
{
    int rc = begin(s, tx, rx, len);
    if (rc)
        return rc;
    if (s->handle < 0) {
        if ((s->handle = ml_rp2040_handle_alloc()) < 0)
            return -EBUSY;
        ml_rp2040_irq_set(s->irq, s->base == SPI0_BASE ? spi0_irq : spi1_irq);
    }
    s->cb = cb;
    s->arg = arg;
    s->busy = 1;
    ml_loop_watch((ml_handle_t)s->handle, done, s);
    __asm__ volatile("cpsid i" ::: "memory");
    pump(s);
    REG(s->base + SSPIMSC) = IM_RX | IM_RT;
    __asm__ volatile("cpsie i" ::: "memory");
    return 0;
}

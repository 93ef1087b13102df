/*
 * uart on the RP2040: UART1 (a PL011) on the configured pins. The receive
 * interrupt (FIFO at 1/8 full, or the receive timeout after 32 bit times
 * of silence) drains the 32-byte FIFO into the device's ring and marks its
 * loop handle, so a callback that runs once per burst loses nothing at
 * 115200 baud. UART0 stays the console's.
 */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "mirleft/loop.h"
#include "mirleft/uart.h"
#include "../bindings/rp2040.h"
#include "../bindings/rp2040_irq.h"

#define UART_IFLS 0x34u
#define UART_IMSC 0x38u
#define UART_ICR 0x44u
#define IM_RX (1u << 4)
#define IM_RT (1u << 6)
#define RESET_UART1 (1u << 23)
#define IRQ_UART1 21
#define FUNCSEL_UART 2u

static struct ml_uart *uart1;

/* UART1 TX is on pins 4, 8, 20, 24 and RX on the next one; the pin
 * function table also allows UART1 on 4n+0/4n+1 for n = 1, 2, 5, 6. */
static bool uart1_pin(int64_t pin, unsigned role)
{
    return pin >= 4 && pin <= 25 && pin % 4 == role &&
           (pin / 4 == 1 || pin / 4 == 2 || pin / 4 == 5 || pin / 4 == 6);
}

int ml_uart_init(struct ml_uart *u, const struct ml_uart_config *cfg)
{
    memset(u, 0, sizeof *u);
    u->name = cfg->name;
    u->handle = -1;
    if (cfg->instance != 1) {
        printf("uart %s: UART%lld %s\n", cfg->name, (long long)cfg->instance,
               cfg->instance == 0 ? "is the console's" : "does not exist (UART1)");
        return -1;
    }
    if (uart1) {
        printf("uart %s: UART1 is already uart %s\n", cfg->name, uart1->name);
        return -1;
    }
    if (!uart1_pin(cfg->tx, 0) || !uart1_pin(cfg->rx, 1)) {
        printf("uart %s: UART1 cannot use pins %lld (tx) and %lld (rx): "
               "tx 4, 8, 20 or 24 and rx 5, 9, 21 or 25\n", cfg->name,
               (long long)cfg->tx, (long long)cfg->rx);
        return -1;
    }
    if (cfg->baud < 300 || cfg->baud > 921600) {
        printf("uart %s: baud %lld out of range (300-921600)\n", cfg->name,
               (long long)cfg->baud);
        return -1;
    }
    uart1 = u;
    u->base = UART1_BASE;
    u->irq = IRQ_UART1;
    ml_rp2040_unreset(RESET_UART1);
    ml_rp2040_uart_setup(UART1_BASE, (uint32_t)cfg->baud);
    REG(IO_BANK0_BASE + 8u * (uint32_t)cfg->tx + 4u) = FUNCSEL_UART;
    REG(IO_BANK0_BASE + 8u * (uint32_t)cfg->rx + 4u) = FUNCSEL_UART;
    return 0;
}

void ml_uart_write_sync(struct ml_uart *u, const void *buf, size_t len)
{
    const uint8_t *p = buf;
    for (size_t i = 0; i < len; i++) {
        while (REG(u->base + UART_FR) & UART_FR_TXFF)
            ;
        REG(u->base + UART_DR) = p[i];
    }
}

size_t ml_uart_read(struct ml_uart *u, void *buf, size_t size)
{
    uint8_t *p = buf;
    size_t n = 0;
    while (n < size && u->tail != u->head) {
        p[n++] = u->ring[u->tail % ML_UART_RING];
        u->tail++;
    }
    return n;
}

static void uart1_irq(void)
{
    struct ml_uart *u = uart1;
    while (!(REG(u->base + UART_FR) & UART_FR_RXFE)) {
        uint32_t dr = REG(u->base + UART_DR);
        if (u->head - u->tail < ML_UART_RING) {
            u->ring[u->head % ML_UART_RING] = (uint8_t)dr;
            u->head++;
        } else {
            u->overruns++;
        }
        if (dr & (1u << 11))       /* OE: the FIFO overflowed before */
            u->overruns++;
    }
    REG(u->base + UART_ICR) = IM_RX | IM_RT;
    if (u->handle >= 0)
        ml_rp2040_event_raise((ml_handle_t)u->handle);
}

static void rx_ready(ml_handle_t h, void *arg)
{
    struct ml_uart *u = arg;
    (void)h;
    if (u->cb && u->tail != u->head)
        u->cb(u, u->arg);
}

int ml_uart_on_receive(struct ml_uart *u, ml_uart_rx_fn cb, void *arg)
{
    u->cb = cb;
    u->arg = arg;
    if (!cb) {
        REG(u->base + UART_IMSC) = 0;
        if (u->handle >= 0)
            ml_loop_unwatch((ml_handle_t)u->handle);
        return 0;
    }
    if (u->handle < 0 && (u->handle = ml_rp2040_handle_alloc()) < 0)
        return -1;
    ml_loop_watch((ml_handle_t)u->handle, rx_ready, u);
    REG(u->base + UART_IFLS) = 0;            /* RX interrupt at 1/8 full */
    REG(u->base + UART_IMSC) = IM_RX | IM_RT;
    ml_rp2040_irq_set(u->irq, uart1_irq);
    return 0;
}

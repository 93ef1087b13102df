/* The uart device type: a serial port, 8N1 at the configured baud rate.
 * Received bytes go from the interrupt into a ring buffer; the receive
 * callback runs from the event loop when there are some, and keeps the
 * loop alive while registered. Targets: rp2040. */
#ifndef MIRLEFT_UART_H
#define MIRLEFT_UART_H

#include <stddef.h>
#include <stdint.h>

#define ML_UART_RING 256 /* bytes the ring holds between two callbacks */

struct ml_uart;
typedef void (*ml_uart_rx_fn)(struct ml_uart *u, void *arg);

struct ml_uart {
    const char *name;
    uintptr_t base;
    unsigned irq;
    int handle;                      /* loop handle, -1 before the first */
    uint8_t ring[ML_UART_RING];
    volatile uint32_t head, tail;    /* head: written by the interrupt */
    volatile uint32_t overruns;      /* bytes dropped: ring or FIFO full */
    ml_uart_rx_fn cb;
    void *arg;
};

struct ml_uart_config {
    const char *name;
    int64_t instance, tx, rx, baud;
};

/* Sets the UART up on its pins. Returns 0, or -1 (after saying why) for a
 * UART that is the console's or does not exist, pins it cannot use, or a
 * baud rate out of range. */
int ml_uart_init(struct ml_uart *u, const struct ml_uart_config *cfg);
/* Queues len bytes for transmission, waiting while the transmit FIFO is
 * full (a byte takes 10 bit times). */
void ml_uart_write_sync(struct ml_uart *u, const void *buf, size_t len);
/* Copies up to size received bytes out of the ring; returns how many. */
size_t ml_uart_read(struct ml_uart *u, void *buf, size_t size);
/* Calls cb from the event loop whenever received bytes wait in the ring;
 * cb NULL stops. Returns 0, or -1 when out of loop handles. */
int ml_uart_on_receive(struct ml_uart *u, ml_uart_rx_fn cb, void *arg);

#endif

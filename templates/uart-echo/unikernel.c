/* {{name}}: every byte received on the serial port (UART1, GPIO 4 TX,
 * GPIO 5 RX) is sent back; the --stop byte (Ctrl-D) ends it with a count
 * on the console. Reception is interrupt-driven into a ring buffer, and
 * the callback runs from the event loop.
 * Try: printf 'hi\004' > in; MIRLEFT_RP2040_OPTS="--uart1-in=in --uart1-out=out" mirleft run -t rp2040 */
#include <mirleft/uart.h>
#include <stdio.h>

#include "devices.h"

static unsigned long echoed;
static int stop_byte;

static void received(struct ml_uart *u, void *arg)
{
    uint8_t buf[64];
    size_t n;
    (void)arg;
    while ((n = ml_uart_read(u, buf, sizeof buf)) > 0) {
        for (size_t i = 0; i < n; i++) {
            if (buf[i] == stop_byte) {
                printf("echoed %lu bytes, %lu lost\n", echoed,
                       (unsigned long)u->overruns);
                ml_uart_on_receive(u, NULL, NULL); /* nothing pending: exit */
                return;
            }
            ml_uart_write_sync(u, &buf[i], 1);
            echoed++;
        }
    }
}

int start(struct devices *dev, const struct args *args)
{
    stop_byte = (int)args->stop;
    printf("echoing on uart %s\n", dev->serial.name);
    return ml_uart_on_receive(&dev->serial, received, NULL);
}

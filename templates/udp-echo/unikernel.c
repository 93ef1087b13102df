/* {{name}}: a UDP echo service on the stack device.
 *
 * start() binds a socket to --port; the stack calls on_datagram for every
 * datagram to it, and we send the same bytes back to where they came from.
 * A datagram whose payload is exactly "!stats" is answered with counters
 * instead (heap in use, datagrams echoed), for tests.
 *
 * Try: mirleft run --net service=tap0 -- --ipv4=10.0.0.2/24 --port=7 */
#include <mirleft/heap.h>
#include <mirleft/log.h>
#include <mirleft/udp.h>
#include <stdio.h>
#include <string.h>

#include "devices.h"

static struct ml_udp_sock sock;
static uint64_t echoed;
static long long port;

static void on_datagram(struct ml_udp_sock *s, ml_ipv4_addr_t src,
                        uint16_t sport, const uint8_t *data, size_t len,
                        void *arg)
{
    (void)arg;
    if (len == 6 && memcmp(data, "!stats", 6) == 0) {
        struct ml_heap_stats hs;
        char msg[128];
        int n;
        ml_heap_stats(&hs);
        n = snprintf(msg, sizeof msg, "echoed %llu heap_in_use %zu\n",
                     (unsigned long long)echoed, hs.in_use);
        ml_udp_sendto(s, src, sport, msg, (size_t)n);
        return;
    }
    if (ml_udp_sendto(s, src, sport, data, len) == 0)
        echoed++;
}

/* Says where we answer: at once with a static address, when the lease
 * comes with DHCP. */
static void on_address(struct ml_stack *st, ml_ipv4_addr_t addr, void *arg)
{
    char a[16];

    (void)st;
    (void)arg;
    if (addr)
        printf("{{name}}: echoing UDP on %s port %lld\n",
               ml_ipv4_format(addr, a), port);
    else
        printf("{{name}}: address lost, waiting for a new lease\n");
    fflush(stdout);
}

int start(struct devices *dev, const struct args *args)
{
    int r;

    if (args->port < 1 || args->port > 65535) {
        printf("--port must be 1..65535\n");
        return 2;
    }
    r = ml_udp_bind(&sock, &dev->stack, (uint16_t)args->port, on_datagram,
                    NULL);
    if (r != 0) {
        printf("cannot bind UDP port %lld: %d\n", (long long)args->port, r);
        return 1;
    }
    port = (long long)args->port;
    ml_stack_on_address(&dev->stack, on_address, NULL);
    return 0;
}

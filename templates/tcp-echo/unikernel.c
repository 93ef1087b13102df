/* {{name}}: a TCP echo service on the stack device.
 *
 * start() listens on --port. Every accepted connection gets the same
 * callbacks: on_recv writes what arrived back and tells the stack how much
 * the send buffer took; what it could not take stays in the stack's
 * receive buffer (the peer's window closes) until on_writable resumes
 * reading. On the peer's EOF we close: the stack sends FIN after the
 * queued data and frees the connection when the handshake is over.
 *
 * --debug-port=N opens a second port that answers one line of counters
 * (heap in use, connections) and closes when the client does: tests
 * watch memory through it.
 *
 * Try: mirleft run --net service=tap0 -- --ipv4=10.0.0.2/24
 *      nc 10.0.0.2 7 */
#include <mirleft/heap.h>
#include <mirleft/log.h>
#include <mirleft/tcp.h>
#include <stdio.h>

#include "devices.h"

static struct ml_tcp_listener echo, debug;
static struct ml_stack *stack;

static size_t on_recv(struct ml_tcp_conn *c, const uint8_t *data, size_t len,
                      void *arg)
{
    long n = ml_tcp_write(c, data, len);

    (void)arg;
    return n < 0 ? len : (size_t)n; /* a write error: drop the data */
}

static void on_writable(struct ml_tcp_conn *c, void *arg)
{
    (void)arg;
    ml_tcp_read_resume(c);
}

static void on_eof(struct ml_tcp_conn *c, void *arg)
{
    (void)arg;
    ml_tcp_close(c);
}

static void on_closed(struct ml_tcp_conn *c, int err, void *arg)
{
    (void)c;
    (void)arg;
    if (err)
        ML_DEBUG("connection ended: %d", err);
}

static const struct ml_tcp_callbacks echo_cb = {
    .recv = on_recv,
    .eof = on_eof,
    .writable = on_writable,
    .closed = on_closed,
};

static void on_accept(struct ml_tcp_listener *l, struct ml_tcp_conn *c,
                      void *arg)
{
    (void)l;
    (void)arg;
    ml_tcp_set_callbacks(c, &echo_cb, NULL);
}

static const struct ml_tcp_callbacks debug_cb = {
    .eof = on_eof, /* recv NULL: whatever the client sends is dropped */
};

static void on_debug(struct ml_tcp_listener *l, struct ml_tcp_conn *c,
                     void *arg)
{
    const struct ml_stack_stats *s = ml_stack_stats(stack);
    struct ml_heap_stats hs;
    char line[160];
    int n;

    (void)l;
    (void)arg;
    ml_heap_stats(&hs);
    n = snprintf(line, sizeof line,
                 "heap_in_use %zu heap_peak %zu conns %llu timewait %llu\n",
                 hs.in_use, hs.peak, (unsigned long long)s->tcp_conns,
                 (unsigned long long)s->tcp_timewait);
    /* The client closes first (after reading the line), so this side
     * never holds a TIME-WAIT entry that the next reading would count. */
    ml_tcp_set_callbacks(c, &debug_cb, NULL);
    ml_tcp_write(c, line, (size_t)n);
}

static long long port;

/* Says where we answer: at once with a static address, when the lease
 * comes with DHCP. */
static void on_address(struct ml_stack *st, ml_ipv4_addr_t addr, void *arg)
{
    char a[16];

    (void)st;
    (void)arg;
    if (addr)
        printf("{{name}}: echoing TCP on %s port %lld\n",
               ml_ipv4_format(addr, a), port);
    else
        printf("{{name}}: address lost, waiting for a new lease\n");
    fflush(stdout);
}

int start(struct devices *dev, const struct args *args)
{
    int r;

    stack = &dev->stack;
    if (args->port < 1 || args->port > 65535 || args->debug_port < 0 ||
        args->debug_port > 65535 || args->backlog < 1) {
        printf("--port and --debug-port must be ports, --backlog >= 1\n");
        return 2;
    }
    r = ml_tcp_listen(&echo, stack, (uint16_t)args->port,
                      (unsigned)args->backlog, on_accept, NULL);
    if (r == 0 && args->debug_port)
        r = ml_tcp_listen(&debug, stack, (uint16_t)args->debug_port, 4,
                          on_debug, NULL);
    if (r != 0) {
        printf("cannot listen: %d\n", r);
        return 1;
    }
    port = (long long)args->port;
    ml_stack_on_address(stack, on_address, NULL);
    return 0;
}

/*
 * TCP (RFC 9293) on the stack device, through callbacks.
 *
 * Passive open: ml_tcp_listen on a caller-owned struct ml_tcp_listener;
 * each connection whose handshake completes is handed to the accept
 * callback, which sets its callbacks with ml_tcp_set_callbacks. At most
 * `backlog` connections wait in the handshake per listener; beyond that
 * SYNs are answered with SYN cookies (no state until the client's ACK), so
 * a SYN flood costs no memory and cannot lock real clients out.
 * Active open: ml_tcp_connect; `connected` is called once established.
 *
 * A connection (struct ml_tcp_conn) belongs to the stack. The application
 * holds it until it calls ml_tcp_close or ml_tcp_abort, or until the
 * `closed` callback: after any of these the pointer is invalid, and no
 * callback, timer or buffer of the connection remains.
 *
 * Receiving: `recv` gets in-order data and returns how much it consumed;
 * what it leaves stays in the receive buffer, the advertised window
 * shrinks, and delivery pauses until ml_tcp_read_resume. `eof` says the
 * peer sent FIN, once all data before it was consumed.
 * Sending: ml_tcp_write copies what fits in the send buffer and returns
 * how much; when it took less than offered or filled the buffer,
 * `writable` is called once there is room again (back-pressure).
 *
 * Callbacks may call any function here, on any connection.
 */
#ifndef MIRLEFT_TCP_H
#define MIRLEFT_TCP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <mirleft/stack.h>

#define ML_TCP_SNDBUF (64 * 1024)   /* default send buffer per connection */
#define ML_TCP_RCVBUF (64 * 1024)   /* default receive buffer */
#define ML_TCP_TIMEWAIT_MAX 256     /* TIME-WAIT connections kept at most */
#define ML_TCP_TIMEWAIT_S 60        /* 2 MSL, seconds */

struct ml_tcp_conn;
struct ml_tcp_listener;

struct ml_tcp_callbacks {
    /* ml_tcp_connect succeeded: the connection is established. */
    void (*connected)(struct ml_tcp_conn *c, void *arg);
    /* In-order data (valid during the call); returns bytes consumed. NULL:
     * everything is consumed and dropped. */
    size_t (*recv)(struct ml_tcp_conn *c, const uint8_t *data, size_t len,
                   void *arg);
    /* The peer finished sending (after all its data was consumed). */
    void (*eof)(struct ml_tcp_conn *c, void *arg);
    /* Room in the send buffer after a write that was short or filled it. */
    void (*writable)(struct ml_tcp_conn *c, void *arg);
    /* The connection ended without ml_tcp_close/abort: err 0 when both
     * sides finished, else -ECONNREFUSED (a RST, or an ICMP port or
     * protocol unreachable while connecting: -ENOPROTOOPT for the latter,
     * -EACCES if administratively prohibited), -ECONNRESET, -ECONNABORTED,
     * or -ETIMEDOUT, which becomes -EHOSTUNREACH or -ENETUNREACH when an
     * ICMP error said why. c is freed when it returns. */
    void (*closed)(struct ml_tcp_conn *c, int err, void *arg);
};

typedef void (*ml_tcp_accept_fn)(struct ml_tcp_listener *l,
                                 struct ml_tcp_conn *c, void *arg);

struct ml_tcp_listener {
    /* Private. */
    struct ml_stack *st;
    uint16_t port;
    unsigned backlog, pending;
    ml_tcp_accept_fn accept;
    void *arg;
    struct ml_tcp_listener *next;
};

/* Listens on port. Returns 0, -EADDRINUSE, or -EINVAL. */
int ml_tcp_listen(struct ml_tcp_listener *l, struct ml_stack *st,
                  uint16_t port, unsigned backlog, ml_tcp_accept_fn accept,
                  void *arg);
/* Stops listening; handshakes in progress on it are reset. Established
 * connections are not affected. */
void ml_tcp_unlisten(struct ml_tcp_listener *l);

/* Opens a connection to dst:port. Returns 0 and sets *out, or -EINVAL,
 * -ENOMEM, -EADDRINUSE (no free local port). */
int ml_tcp_connect(struct ml_stack *st, ml_ipv4_addr_t dst, uint16_t port,
                   const struct ml_tcp_callbacks *cb, void *arg,
                   struct ml_tcp_conn **out);

void ml_tcp_set_callbacks(struct ml_tcp_conn *c,
                          const struct ml_tcp_callbacks *cb, void *arg);

/* Queues up to len bytes; returns how many were taken (0 when the buffer
 * is full), or -ENOTCONN before the connection is established, -EPIPE
 * after shutdown. */
long ml_tcp_write(struct ml_tcp_conn *c, const void *data, size_t len);
/* Free bytes in the send buffer. */
size_t ml_tcp_send_space(const struct ml_tcp_conn *c);
/* Resumes delivery after recv consumed less than it was given. */
void ml_tcp_read_resume(struct ml_tcp_conn *c);
/* Sends FIN after the queued data; receiving continues. */
int ml_tcp_shutdown(struct ml_tcp_conn *c);
/* Shutdown, and give the connection up: the stack finishes the closing
 * handshake by itself (unread or later data resets it). */
void ml_tcp_close(struct ml_tcp_conn *c);
/* Resets the connection and frees it now. */
void ml_tcp_abort(struct ml_tcp_conn *c);

/* Nagle's algorithm (on by default): off sends small segments at once. */
void ml_tcp_nodelay(struct ml_tcp_conn *c, bool on);
/* Keepalive probes after idle_s seconds of silence, every interval_s,
 * `count` unanswered ones end the connection (-ETIMEDOUT). idle_s 0: off
 * (the default). */
void ml_tcp_keepalive(struct ml_tcp_conn *c, unsigned idle_s,
                      unsigned interval_s, unsigned count);

void ml_tcp_peer(const struct ml_tcp_conn *c, ml_ipv4_addr_t *addr,
                 uint16_t *port);
uint16_t ml_tcp_local_port(const struct ml_tcp_conn *c);

/* Send and receive buffer sizes of connections created from now on
 * (1 KiB .. 1 MiB each). */
void ml_tcp_set_buffers(struct ml_stack *st, size_t snd, size_t rcv);

#endif

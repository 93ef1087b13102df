/*
 * UDP on the stack device: a socket is a port and a receive callback.
 *
 * The socket struct belongs to the caller (embed it in your own state);
 * binding registers it, ml_udp_close unregisters it. Datagrams larger than
 * the MTU are fragmented on send and reassembled on receive (up to 65507
 * bytes of payload).
 */
#ifndef MIRLEFT_UDP_H
#define MIRLEFT_UDP_H

#include <stddef.h>
#include <stdint.h>
#include <mirleft/stack.h>

#define ML_UDP_MAX_PAYLOAD 65507

struct ml_udp_sock;
/* One datagram from src:sport; data is valid until the callback returns.
 * The callback may send, and close the socket. */
typedef void (*ml_udp_recv_fn)(struct ml_udp_sock *s, ml_ipv4_addr_t src,
                               uint16_t sport, const uint8_t *data,
                               size_t len, void *arg);

/* An ICMP error about a datagram this socket sent to dst:dport: err is
 * -ECONNREFUSED (port unreachable), -EHOSTUNREACH, -ENETUNREACH,
 * -ENOPROTOOPT or -EACCES. The callback may send, and close the socket. */
typedef void (*ml_udp_error_fn)(struct ml_udp_sock *s, ml_ipv4_addr_t dst,
                                uint16_t dport, int err, void *arg);

struct ml_udp_sock {
    /* Private. */
    struct ml_stack *st;
    uint16_t port;
    ml_udp_recv_fn recv;
    ml_udp_error_fn error;
    void *arg;
    struct ml_udp_sock *next;
};

/* Binds s to port (0: a free ephemeral port) on st. Returns 0, -EADDRINUSE
 * if another socket has the port, -EINVAL on NULL arguments. */
int ml_udp_bind(struct ml_udp_sock *s, struct ml_stack *st, uint16_t port,
                ml_udp_recv_fn recv, void *arg);
/* Errors reported by ICMP go to fn (same arg as recv); without one, they
 * are dropped. Set it after binding (binding clears it). */
void ml_udp_on_error(struct ml_udp_sock *s, ml_udp_error_fn fn);
/* The bound port. */
uint16_t ml_udp_port(const struct ml_udp_sock *s);
/* Sends len bytes to dst:dport. Returns 0 (sent, or queued while the
 * neighbour's address is resolved), -EMSGSIZE, -ENETUNREACH (no route),
 * -ENOBUFS (no room to queue), -EINVAL. */
int ml_udp_sendto(struct ml_udp_sock *s, ml_ipv4_addr_t dst, uint16_t dport,
                  const void *data, size_t len);
/* Unbinds; harmless on a socket that is not bound. Callable from the
 * socket's own callback. */
void ml_udp_close(struct ml_udp_sock *s);

#endif

/*
 * The stack device: an IPv4 host (Ethernet, ARP, IPv4, ICMP, UDP, TCP) on
 * one net device. Declared in unikernel.yml as
 *     stack: { type: stack, net: service, ipv4: { arg: ipv4, default: 10.0.0.2/24 } }
 * and used through mirleft/udp.h and mirleft/tcp.h.
 *
 * Everything runs on the event loop: ml_stack_init starts listening on the
 * net device and announces the address with a gratuitous ARP; frames are
 * handled as they arrive and timers do the rest. Memory is bounded by the
 * limits below, whatever peers send.
 */
#ifndef MIRLEFT_STACK_H
#define MIRLEFT_STACK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <mirleft/args.h>
#include <mirleft/net.h>

/* Limits (memory stays bounded whatever arrives). */
#define ML_ARP_CACHE 64          /* neighbour entries */
#define ML_ARP_QUEUE 32          /* packets waiting for resolution, in all */
#define ML_ARP_QUEUE_PER 8       /* ... for one address */
#define ML_IP_REASM_SLOTS 4      /* datagrams being reassembled at once */
#define ML_IP_REASM_TIMEOUT_S 30 /* seconds a partial datagram is kept */

struct ml_stack_priv;

struct ml_stack {
    const char *name;
    struct ml_stack_priv *p;     /* private */
};

struct ml_stack_config {
    const char *name;
    struct ml_ipv4_prefix ipv4;  /* address and prefix length */
    ml_ipv4_addr_t gateway;      /* 0.0.0.0: no gateway, on-link only */
    bool dhcp;                   /* address, mask, gateway by DHCP instead */
    struct ml_net *net;
};

/* Counters since ml_stack_init. */
struct ml_stack_stats {
    uint64_t rx_frames, rx_dropped;  /* dropped: malformed or not for us */
    uint64_t arp_requests, arp_replies, arp_queued, arp_queue_drops;
    uint64_t ip_rx, ip_bad, ip_frags, ip_reassembled, ip_reasm_drops;
    uint64_t ip_tx, ip_tx_frags, ip_no_route;
    uint64_t icmp_echo, icmp_unreach_sent;
    uint64_t icmp_errors;            /* unreachable/time exceeded, for us */
    uint64_t udp_rx, udp_bad, udp_no_port, udp_tx;
    uint64_t tcp_rx, tcp_bad, tcp_tx, tcp_rst_sent, tcp_retransmits;
    uint64_t tcp_ooo_dropped, tcp_accepts;
    uint64_t tcp_backlog_drops;  /* SYNs past the backlog (sent a cookie) */
    uint64_t tcp_challenge_acks, tcp_timeouts, tcp_resets_rcvd;
    uint64_t tcp_syncookies_ok;  /* connections made from SYN cookies */
    uint64_t tcp_conns, tcp_timewait;  /* now: connections, in TIME-WAIT */
};

/* Starts the stack on cfg->net. Returns 0, or -1 after printing why. */
int ml_stack_init(struct ml_stack *st, const struct ml_stack_config *cfg);

/* Stops the stack: stops listening, resets every TCP connection without
 * callbacks, and frees all it holds. UDP sockets and TCP listeners are
 * left unbound (their structs are the caller's). */
void ml_stack_fini(struct ml_stack *st);

/* The stack's address: the static one, or the DHCP lease's; 0.0.0.0
 * while DHCP has none. */
ml_ipv4_addr_t ml_stack_addr(const struct ml_stack *st);

/* Address changes, for applications that must know when they are
 * reachable (with DHCP, start() runs before any lease). fn is called
 * at once if the stack has an address already, then each time a DHCP
 * lease is taken, comes back with another address, or is lost (addr
 * 0.0.0.0; sockets and listeners stay bound). One per stack: a second
 * call replaces the first; fn NULL removes it. */
typedef void (*ml_stack_addr_fn)(struct ml_stack *st, ml_ipv4_addr_t addr,
                                 void *arg);
void ml_stack_on_address(struct ml_stack *st, ml_stack_addr_fn fn, void *arg);

const struct ml_stack_stats *ml_stack_stats(const struct ml_stack *st);

/* Feeds one received Ethernet frame to the stack (what the net device's
 * callback does; for tests and fuzzing). The frame may be modified. */
void ml_stack_input(struct ml_stack *st, uint8_t *frame, size_t len);

/* Formats a host-order address as a.b.c.d into buf (16 bytes); returns
 * buf. */
char *ml_ipv4_format(ml_ipv4_addr_t a, char buf[16]);

#endif

/* The stack's private state and the calls between its protocol files
 * (eth.c, arp.c, ipv4.c, icmp.c, udp.c, tcp.c, stack.c). */
#ifndef MIRLEFT_NET_STACK_PRIV_H
#define MIRLEFT_NET_STACK_PRIV_H

#include <mirleft/checksum.h>
#include <mirleft/clock.h>
#include <mirleft/random.h>
#include <mirleft/siphash.h>
#include <mirleft/stack.h>
#include <mirleft/timer.h>
#include <mirleft/udp.h>

#define ETHERTYPE_IPV4 0x0800
#define ETHERTYPE_ARP 0x0806
#define ETH_MIN_FRAME 60   /* without FCS; shorter frames are padded */
#define IP_HLEN 20         /* the header we send: no options */
#define IPPROTO_ICMP 1
#define IPPROTO_TCP 6
#define IPPROTO_UDP 17
#define IP_TTL 64
#define IP_BROADCAST 0xffffffffu
#define ICMP_ERR_BURST 50  /* ICMP errors sent back to back at most */

/* ---- big-endian fields ---- */
static inline uint16_t get16(const uint8_t *p)
{
    return (uint16_t)(p[0] << 8 | p[1]);
}
static inline uint32_t get32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
           (uint32_t)p[2] << 8 | p[3];
}
static inline void put16(uint8_t *p, uint16_t v)
{
    p[0] = (uint8_t)(v >> 8);
    p[1] = (uint8_t)v;
}
static inline void put32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)(v >> 24);
    p[1] = (uint8_t)(v >> 16);
    p[2] = (uint8_t)(v >> 8);
    p[3] = (uint8_t)v;
}

/* Copies n bytes. Packet data sits at odd offsets (14 + 20 + 20 bytes of
 * headers) and rings at any position, so source and destination are
 * rarely aligned alike, which sends the runtime's memcpy down its byte
 * loop; fixed-size __builtin_memcpy is one unaligned load or store where
 * the target allows it (and byte moves where it does not). */
static inline void net_copy(uint8_t *d, const uint8_t *s, size_t n)
{
    uint64_t a, b, c, e;

    for (; n >= 32; n -= 32, d += 32, s += 32) {
        __builtin_memcpy(&a, s, 8);
        __builtin_memcpy(&b, s + 8, 8);
        __builtin_memcpy(&c, s + 16, 8);
        __builtin_memcpy(&e, s + 24, 8);
        __builtin_memcpy(d, &a, 8);
        __builtin_memcpy(d + 8, &b, 8);
        __builtin_memcpy(d + 16, &c, 8);
        __builtin_memcpy(d + 24, &e, 8);
    }
    for (; n >= 8; n -= 8, d += 8, s += 8) {
        __builtin_memcpy(&a, s, 8);
        __builtin_memcpy(d, &a, 8);
    }
    while (n--)
        *d++ = *s++;
}

/* A packet waiting for ARP resolution: an IPv4 packet, header included. */
struct arp_pkt {
    struct arp_pkt *next;
    size_t len;
    uint8_t data[];
};

enum { ARP_FREE, ARP_PENDING, ARP_VALID };

struct arp_entry {
    ml_ipv4_addr_t ip;
    uint8_t mac[6];
    uint8_t state;
    uint8_t tries;        /* requests sent while pending */
    ml_time_t expires;    /* valid: then stale; pending: next retry */
    ml_time_t used;       /* last lookup, for replacement */
    struct arp_pkt *q, *qtail;
    unsigned qlen;
};

struct reasm_slot {
    bool used;
    ml_ipv4_addr_t src, dst;
    uint16_t id;
    uint8_t proto;
    size_t total;         /* payload length once the last fragment came; 0 before */
    size_t maxend;        /* highest end offset received */
    size_t cap;
    uint8_t *buf;
    ml_time_t expires;
    uint8_t map[65536 / 8 / 8]; /* one bit per 8-byte unit */
};

struct tcp_state;
struct dhcp;

struct ml_stack_priv {
    struct ml_stack *pub;
    struct ml_net *net;
    uint8_t mac[6];
    size_t mtu;
    ml_ipv4_addr_t addr, mask, gateway;
    uint8_t *tx;          /* mtu + 14 bytes: the frame being built */

    struct arp_entry arp[ML_ARP_CACHE];
    unsigned arp_queued;
    struct ml_timer arp_timer;

    struct reasm_slot reasm[ML_IP_REASM_SLOTS];
    struct ml_timer reasm_timer;

    ml_time_t icmp_tokens_at; /* rate limit of ICMP errors */
    unsigned icmp_tokens;

    struct ml_udp_sock *udp;
    struct tcp_state *tcp;
    struct dhcp *dhcp;    /* NULL: static address */
    ml_stack_addr_fn on_addr;
    void *on_addr_arg;
    struct ml_stack_stats stats;
};

/* stack.c */
uint16_t stack_ephemeral_port(void);
bool ip_is_local_bcast(const struct ml_stack_priv *p, ml_ipv4_addr_t a);
bool ip_is_unicast(const struct ml_stack_priv *p, ml_ipv4_addr_t a);
/* Tells the application the address changed from old (DHCP), if it did;
 * call once the new configuration is complete. */
void stack_addr_changed(struct ml_stack_priv *p, ml_ipv4_addr_t old);

/* eth.c */
void eth_input(struct ml_stack_priv *p, uint8_t *f, size_t len);
/* Fills the Ethernet header at p->tx... and sends f (len bytes with the
 * header), padding short frames. */
int eth_send(struct ml_stack_priv *p, uint8_t *f, size_t len,
             const uint8_t *dst, uint16_t type);
extern const uint8_t eth_broadcast[6];

/* arp.c */
void arp_init(struct ml_stack_priv *p);
void arp_input(struct ml_stack_priv *p, const uint8_t *a, size_t len);
void arp_announce(struct ml_stack_priv *p);
/* Sends the IPv4 packet pkt (len bytes, in p->tx at offset 14) to the
 * neighbour `hop`: now if its address is known, else queued (copied) and a
 * request goes out. Returns 0, -ENOBUFS or -EIO. */
int arp_output(struct ml_stack_priv *p, ml_ipv4_addr_t hop, size_t len);
void arp_fini(struct ml_stack_priv *p);

/* ipv4.c */
void ipv4_init(struct ml_stack_priv *p);
void ipv4_input(struct ml_stack_priv *p, uint8_t *ip, size_t len);
/* The transport payload is at p->tx + 14 + IP_HLEN, plen bytes (already
 * built there, plen <= mtu - IP_HLEN): adds the IPv4 header and sends. */
int ipv4_send_tx(struct ml_stack_priv *p, ml_ipv4_addr_t dst, uint8_t proto,
                 size_t plen);
/* The same for a payload anywhere (fragmented if it does not fit). */
int ipv4_send(struct ml_stack_priv *p, ml_ipv4_addr_t dst, uint8_t proto,
              const uint8_t *payload, size_t plen);
/* Largest transport payload in one unfragmented packet. */
static inline size_t ipv4_mtu_payload(const struct ml_stack_priv *p)
{
    return p->mtu - IP_HLEN;
}
/* The pseudo-header sum for UDP and TCP checksums. */
uint32_t ipv4_pseudo(ml_ipv4_addr_t src, ml_ipv4_addr_t dst, uint8_t proto,
                     size_t len);
void ipv4_fini(struct ml_stack_priv *p);

/* icmp.c */
void icmp_input(struct ml_stack_priv *p, const uint8_t *ip, uint8_t *icmp,
                size_t len, bool bcast);
/* Destination unreachable (code) about the datagram with header ip and
 * payload (plen bytes; the first 8 are quoted). */
void icmp_unreachable(struct ml_stack_priv *p, const uint8_t *ip,
                      const uint8_t *payload, size_t plen, uint8_t code);

/* udp.c */
void udp_input(struct ml_stack_priv *p, const uint8_t *ip, uint8_t *udp,
               size_t len, bool bcast);
/* An ICMP error about a datagram we sent from lport to raddr:rport. */
void udp_icmp_error(struct ml_stack_priv *p, ml_ipv4_addr_t raddr,
                    uint16_t lport, uint16_t rport, int err);

/* dhcp.c */
int dhcp_start(struct ml_stack_priv *p);
bool dhcp_bound(const struct ml_stack_priv *p);
void dhcp_fini(struct ml_stack_priv *p);

/* tcp.c */
int tcp_init(struct ml_stack_priv *p);
void tcp_input(struct ml_stack_priv *p, const uint8_t *ip, uint8_t *seg,
               size_t len);
void tcp_fini(struct ml_stack_priv *p);
/* An ICMP error about a segment we sent (sequence number seq) from lport
 * to raddr:rport; hard errors end a connection still opening. */
void tcp_icmp_error(struct ml_stack_priv *p, ml_ipv4_addr_t raddr,
                    uint16_t lport, uint16_t rport, uint32_t seq, int err,
                    bool hard);

#endif

/* {{name}}: answers ARP and ICMP echo on its net device, with no stack.
 *
 * start() announces the address with a gratuitous ARP and registers
 * on_frame; the event loop then calls on_frame for every received frame.
 * A request that deserves an answer is rewritten in place, in the device's
 * receive buffer, into its reply and sent back; everything else is
 * ignored. Nothing allocates after start.
 *
 * Try: mirleft run --net service=tap0 -- --ipv4=10.0.0.2/24 --log=debug */
#include <mirleft/log.h>
#include <mirleft/net.h>
#include <stdio.h>
#include <string.h>

#include "devices.h"

#define ETHERTYPE_IPV4 0x0800
#define ETHERTYPE_ARP 0x0806
#define ARP_LEN 28          /* Ethernet/IPv4 ARP body */
#define ARP_REQUEST 1
#define ARP_REPLY 2
#define IPV4_MIN_HLEN 20
#define IPPROTO_ICMP 1
#define ICMP_ECHO_REPLY 0
#define ICMP_ECHO_REQUEST 8
#define ICMP_HLEN 8
#define ETH_MIN_FRAME 60    /* without the FCS: shorter frames get padding */

static struct ml_net *net;
static uint8_t mac[ML_NET_ALEN];
static ml_ipv4_addr_t my_ip;   /* host byte order */
static int64_t limit, replies;

static const uint8_t broadcast[ML_NET_ALEN] = {
    0xff, 0xff, 0xff, 0xff, 0xff, 0xff
};

/* ---- big-endian fields and the Internet checksum (RFC 1071) ---------- */

static unsigned get16(const uint8_t *p)
{
    return (unsigned)p[0] << 8 | p[1];
}

static uint32_t get32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
           (uint32_t)p[2] << 8 | p[3];
}

static void put16(uint8_t *p, unsigned v)
{
    p[0] = (uint8_t)(v >> 8);
    p[1] = (uint8_t)v;
}

static void put32(uint8_t *p, uint32_t v)
{
    put16(p, v >> 16);
    put16(p + 2, v & 0xffff);
}

/* The ones'-complement sum of len bytes, folded to 16 bits and inverted:
 * 0 over data that carries a correct checksum. */
static unsigned checksum(const uint8_t *p, size_t len)
{
    uint32_t sum = 0;
    size_t i;

    for (i = 0; i + 1 < len; i += 2)
        sum += get16(p + i);
    if (len & 1)
        sum += (uint32_t)p[len - 1] << 8;
    while (sum >> 16)
        sum = (sum & 0xffff) + (sum >> 16);
    return ~sum & 0xffff;
}

/* ---- sending --------------------------------------------------------- */

static void eth_header(uint8_t *f, const uint8_t *dst, unsigned type)
{
    memcpy(f, dst, ML_NET_ALEN);
    memcpy(f + ML_NET_ALEN, mac, ML_NET_ALEN);
    put16(f + 12, type);
}

/* Pads short frames to the Ethernet minimum (f has room: the device's
 * buffer is at least 68 + 14 bytes) and sends. */
static void send(uint8_t *f, size_t len)
{
    if (len < ETH_MIN_FRAME) {
        memset(f + len, 0, ETH_MIN_FRAME - len);
        len = ETH_MIN_FRAME;
    }
    if (ml_net_write(net, f, len) != 0)
        ML_WARN("could not send a %zu-byte frame", len);
}

/* An ARP packet from us: op, target hardware and protocol addresses. */
static void arp_fill(uint8_t *a, unsigned op, const uint8_t *tha,
                     ml_ipv4_addr_t tpa)
{
    put16(a, 1);                    /* hardware: Ethernet */
    put16(a + 2, ETHERTYPE_IPV4);   /* protocol: IPv4 */
    a[4] = ML_NET_ALEN;
    a[5] = 4;
    put16(a + 6, op);
    memcpy(a + 8, mac, ML_NET_ALEN);
    put32(a + 14, my_ip);
    memcpy(a + 18, tha, ML_NET_ALEN);
    put32(a + 24, tpa);
}

/* Tells the segment who has our address (and checks nobody else does, in
 * spirit): an ARP request for our own address, broadcast. */
static void gratuitous_arp(void)
{
    static const uint8_t zero[ML_NET_ALEN];
    uint8_t f[ETH_MIN_FRAME];

    eth_header(f, broadcast, ETHERTYPE_ARP);
    arp_fill(f + ML_NET_HLEN, ARP_REQUEST, zero, my_ip);
    send(f, ML_NET_HLEN + ARP_LEN);
}

/* ---- receiving ------------------------------------------------------- */

static const char *on_arp(uint8_t *f, size_t len)
{
    uint8_t *a = f + ML_NET_HLEN;
    uint8_t sha[ML_NET_ALEN];
    ml_ipv4_addr_t spa;

    if (len < ML_NET_HLEN + ARP_LEN)
        return "truncated ARP";
    if (get16(a) != 1 || get16(a + 2) != ETHERTYPE_IPV4 ||
        a[4] != ML_NET_ALEN || a[5] != 4)
        return "ARP not for Ethernet/IPv4";
    if (get16(a + 6) != ARP_REQUEST)
        return "ARP other than a request";
    if (get32(a + 24) != my_ip)
        return "ARP request for another address";
    if (a[8] & 1)
        return "ARP request from a multicast hardware address";
    memcpy(sha, a + 8, ML_NET_ALEN);
    spa = get32(a + 14);
    eth_header(f, sha, ETHERTYPE_ARP);
    arp_fill(a, ARP_REPLY, sha, spa);
    send(f, ML_NET_HLEN + ARP_LEN);
    return NULL;
}

static const char *on_icmp(uint8_t *f, uint8_t *ip, size_t hlen, size_t total)
{
    uint8_t *icmp = ip + hlen;
    size_t ilen = total - hlen;
    uint8_t dst[ML_NET_ALEN];
    uint32_t src = get32(ip + 12);

    if (ilen < ICMP_HLEN)
        return "truncated ICMP";
    if (icmp[0] != ICMP_ECHO_REQUEST || icmp[1] != 0)
        return "ICMP other than an echo request";
    if (checksum(icmp, ilen) != 0)
        return "bad ICMP checksum";
    if (src == 0 || src == 0xffffffffu || (src >> 28) == 0xe)
        return "echo request from a non-unicast address";

    /* The reply: the request's ICMP message right after a fresh 20-byte
     * IPv4 header (options are not echoed), with the addresses swapped. */
    if (hlen > IPV4_MIN_HLEN) {
        memmove(ip + IPV4_MIN_HLEN, icmp, ilen);
        icmp = ip + IPV4_MIN_HLEN;
    }
    icmp[0] = ICMP_ECHO_REPLY;
    put16(icmp + 2, 0);
    put16(icmp + 2, checksum(icmp, ilen));

    ip[0] = 0x45;                  /* version 4, 5 words */
    ip[1] = 0;                     /* DSCP/ECN */
    put16(ip + 2, IPV4_MIN_HLEN + ilen);
    put16(ip + 6, 0);              /* flags, fragment offset */
    ip[8] = 64;                    /* TTL */
    put32(ip + 16, src);
    put32(ip + 12, my_ip);
    put16(ip + 10, 0);
    put16(ip + 10, checksum(ip, IPV4_MIN_HLEN));

    memcpy(dst, f + ML_NET_ALEN, ML_NET_ALEN);
    eth_header(f, dst, ETHERTYPE_IPV4);
    send(f, ML_NET_HLEN + IPV4_MIN_HLEN + ilen);

    replies++;
    if (limit > 0 && replies >= limit) {
        printf("%lld echo replies sent, exiting\n", (long long)replies);
        ml_net_stop(net); /* nothing pending: the loop ends, exit 0 */
    }
    return NULL;
}

static const char *on_ipv4(uint8_t *f, size_t len)
{
    uint8_t *ip = f + ML_NET_HLEN;
    size_t hlen, total;

    if (len < ML_NET_HLEN + IPV4_MIN_HLEN)
        return "truncated IPv4 header";
    if (ip[0] >> 4 != 4)
        return "IP version other than 4";
    hlen = (size_t)(ip[0] & 0xf) * 4;
    total = get16(ip + 2);
    if (hlen < IPV4_MIN_HLEN || total < hlen || total > len - ML_NET_HLEN)
        return "bad IPv4 lengths";
    if (checksum(ip, hlen) != 0)
        return "bad IPv4 header checksum";
    if (get32(ip + 16) != my_ip)
        return "IPv4 for another address";
    if (get16(ip + 6) & 0x3fff)
        return "IPv4 fragment";
    if (ip[9] != IPPROTO_ICMP)
        return "IPv4 protocol other than ICMP";
    return on_icmp(f, ip, hlen, total);
}

/* Returns NULL if the frame was answered, else why it was not. */
static const char *handle(uint8_t *f, size_t len)
{
    switch (get16(f + 12)) {
    case ETHERTYPE_ARP:
        if (memcmp(f, mac, ML_NET_ALEN) && memcmp(f, broadcast, ML_NET_ALEN))
            return "ARP for another hardware address";
        return on_arp(f, len);
    case ETHERTYPE_IPV4:
        if (memcmp(f, mac, ML_NET_ALEN))
            return "IPv4 for another hardware address";
        return on_ipv4(f, len);
    default:
        return "neither ARP nor IPv4";
    }
}

static void on_frame(struct ml_net *dev, uint8_t *f, size_t len, void *arg)
{
    const char *why = handle(f, len);

    (void)dev;
    (void)arg;
    if (why)
        ML_DEBUG("ignored a %zu-byte frame: %s", len, why);
}

int start(struct devices *dev, const struct args *args)
{
    const uint8_t *m;

    net = &dev->service;
    m = ml_net_mac(net);
    memcpy(mac, m, ML_NET_ALEN);
    my_ip = args->ipv4.addr;
    limit = args->limit;
    replies = 0;
    if (my_ip == 0 || (my_ip >> 28) >= 0xe) {
        printf("--ipv4 must be a unicast address\n");
        return 2;
    }
    if (limit < 0) {
        printf("--limit must be >= 0\n");
        return 2;
    }
    printf("{{name}}: %u.%u.%u.%u/%u on %s, MAC %02x:%02x:%02x:%02x:%02x:%02x, "
           "MTU %zu\n", (unsigned)(my_ip >> 24),
           (unsigned)(my_ip >> 16 & 0xff), (unsigned)(my_ip >> 8 & 0xff),
           (unsigned)(my_ip & 0xff), (unsigned)args->ipv4.prefix, net->name,
           m[0], m[1], m[2], m[3], m[4], m[5], ml_net_mtu(net));
    fflush(stdout);
    if (ml_net_listen(net, on_frame, NULL) != 0) {
        printf("cannot listen on %s\n", net->name);
        return 1;
    }
    gratuitous_arp();
    return 0;
}

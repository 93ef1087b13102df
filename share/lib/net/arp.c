/* ARP (RFC 826) for IPv4 over Ethernet: a fixed cache of neighbours with
 * expiry, and a bounded queue of packets waiting for an address.
 *
 * Entries are learnt the RFC 826 way: a packet's sender updates an entry
 * we already have, and creates one only when the packet is meant for us
 * (a request for our address, or a reply). A valid entry is trusted for
 * ARP_TTL; after that the next packet to the neighbour asks again. A
 * pending entry is asked for ARP_TRIES times, a second apart, then given
 * up with the packets waiting on it. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <mirleft/log.h>
#include "stack_priv.h"

#define ARP_LEN 28
#define ARP_REQUEST 1
#define ARP_REPLY 2
#define ARP_TTL (60 * ML_SEC)
#define ARP_RETRY ML_SEC
#define ARP_TRIES 3

static void arp_tick(struct ml_timer *t, void *arg);

void arp_init(struct ml_stack_priv *p)
{
    ml_timer_init(&p->arp_timer, arp_tick, p);
}

/* Builds and sends an ARP packet from us in p->tx. */
static void arp_send(struct ml_stack_priv *p, uint16_t op,
                     const uint8_t *eth_dst, const uint8_t *tha,
                     ml_ipv4_addr_t tpa)
{
    uint8_t *a = p->tx + ML_NET_HLEN;

    put16(a, 1);              /* hardware: Ethernet */
    put16(a + 2, ETHERTYPE_IPV4);
    a[4] = 6;
    a[5] = 4;
    put16(a + 6, op);
    memcpy(a + 8, p->mac, 6);
    put32(a + 14, p->addr);
    memcpy(a + 18, tha, 6);
    put32(a + 24, tpa);
    if (op == ARP_REQUEST)
        p->stats.arp_requests++;
    else
        p->stats.arp_replies++;
    eth_send(p, p->tx, ML_NET_HLEN + ARP_LEN, eth_dst, ETHERTYPE_ARP);
}

/* A request for our own address (RFC 5227's announcement): neighbours
 * that already know us update their caches. */
void arp_announce(struct ml_stack_priv *p)
{
    static const uint8_t zero[6];

    arp_send(p, ARP_REQUEST, eth_broadcast, zero, p->addr);
}

static void request(struct ml_stack_priv *p, struct arp_entry *e)
{
    static const uint8_t zero[6];

    arp_send(p, ARP_REQUEST, eth_broadcast, zero, e->ip);
    e->tries++;
    e->expires = ml_clock_monotonic() + ARP_RETRY;
    if (!ml_timer_armed(&p->arp_timer))
        ml_timer_start(&p->arp_timer, ARP_RETRY, ARP_RETRY);
}

static void drop_queue(struct ml_stack_priv *p, struct arp_entry *e)
{
    while (e->q) {
        struct arp_pkt *k = e->q;
        e->q = k->next;
        free(k);
        p->arp_queued--;
        p->stats.arp_queue_drops++;
    }
    e->qtail = NULL;
    e->qlen = 0;
}

/* Sends what waited on e, now that its MAC is known. */
static void flush_queue(struct ml_stack_priv *p, struct arp_entry *e)
{
    while (e->q) {
        struct arp_pkt *k = e->q;
        e->q = k->next;
        if (k->len <= p->mtu) {
            net_copy(p->tx + ML_NET_HLEN, k->data, k->len);
            eth_send(p, p->tx, ML_NET_HLEN + k->len, e->mac, ETHERTYPE_IPV4);
        }
        free(k);
        p->arp_queued--;
    }
    e->qtail = NULL;
    e->qlen = 0;
}

static struct arp_entry *find(struct ml_stack_priv *p, ml_ipv4_addr_t ip)
{
    for (int i = 0; i < ML_ARP_CACHE; i++)
        if (p->arp[i].state != ARP_FREE && p->arp[i].ip == ip)
            return &p->arp[i];
    return NULL;
}

/* A free entry, else the least recently used valid one. Pending entries
 * are never evicted (their packets would be lost); NULL if all are. */
static struct arp_entry *take(struct ml_stack_priv *p)
{
    struct arp_entry *best = NULL;

    for (int i = 0; i < ML_ARP_CACHE; i++) {
        struct arp_entry *e = &p->arp[i];
        if (e->state == ARP_FREE)
            return e;
        if (e->state == ARP_VALID && (!best || e->used < best->used))
            best = e;
    }
    if (best)
        memset(best, 0, sizeof *best);
    return best;
}

static void arp_tick(struct ml_timer *t, void *arg)
{
    struct ml_stack_priv *p = arg;
    ml_time_t now = ml_clock_monotonic();
    bool pending = false;

    (void)t;
    for (int i = 0; i < ML_ARP_CACHE; i++) {
        struct arp_entry *e = &p->arp[i];
        if (e->state != ARP_PENDING)
            continue;
        if (e->expires <= now) {
            if (e->tries >= ARP_TRIES) {
                drop_queue(p, e);
                memset(e, 0, sizeof *e);
                continue;
            }
            request(p, e);
        }
        pending = true;
    }
    if (!pending)
        ml_timer_stop(&p->arp_timer);
}

static void update(struct ml_stack_priv *p, struct arp_entry *e,
                   ml_ipv4_addr_t ip, const uint8_t *mac)
{
    ml_time_t now = ml_clock_monotonic();

    e->ip = ip;
    memcpy(e->mac, mac, 6);
    e->state = ARP_VALID;
    e->tries = 0;
    e->expires = now + ARP_TTL;
    if (!e->used)
        e->used = now;
    flush_queue(p, e);
}

void arp_input(struct ml_stack_priv *p, const uint8_t *a, size_t len)
{
    ml_ipv4_addr_t spa, tpa;
    uint16_t op;
    struct arp_entry *e;
    uint8_t sha[6];

    if (p->addr == 0) /* no address yet (DHCP): nothing to answer */
        return;
    if (len < ARP_LEN || get16(a) != 1 || get16(a + 2) != ETHERTYPE_IPV4 ||
        a[4] != 6 || a[5] != 4) {
        p->stats.rx_dropped++;
        return;
    }
    op = get16(a + 6);
    spa = get32(a + 14);
    tpa = get32(a + 24);
    memcpy(sha, a + 8, 6);
    if ((op != ARP_REQUEST && op != ARP_REPLY) || (sha[0] & 1) ||
        !memcmp(sha, p->mac, 6)) {
        p->stats.rx_dropped++;
        return;
    }
    if (spa == p->addr) {
        ML_WARN("stack: another host (%02x:%02x:%02x:%02x:%02x:%02x) "
                "claims our address", sha[0], sha[1], sha[2], sha[3],
                sha[4], sha[5]);
        return;
    }
    e = ip_is_unicast(p, spa) ? find(p, spa) : NULL;
    if (e)
        update(p, e, spa, sha);
    if (tpa != p->addr)
        return;
    if (!e && ip_is_unicast(p, spa) && (e = take(p)))
        update(p, e, spa, sha);
    if (op == ARP_REQUEST)
        arp_send(p, ARP_REPLY, sha, sha, spa);
}

int arp_output(struct ml_stack_priv *p, ml_ipv4_addr_t hop, size_t len)
{
    ml_time_t now = ml_clock_monotonic();
    struct arp_entry *e = find(p, hop);
    struct arp_pkt *k;
    bool ask = false;

    if (hop == IP_BROADCAST || ip_is_local_bcast(p, hop))
        return eth_send(p, p->tx, ML_NET_HLEN + len, eth_broadcast,
                        ETHERTYPE_IPV4);
    if (e && e->state == ARP_VALID && e->expires > now) {
        e->used = now;
        return eth_send(p, p->tx, ML_NET_HLEN + len, e->mac, ETHERTYPE_IPV4);
    }
    if (!e || e->state == ARP_VALID) { /* unknown, or stale: ask */
        if (!e && !(e = take(p))) {
            p->stats.arp_queue_drops++;
            return -ENOBUFS;
        }
        e->ip = hop;
        e->state = ARP_PENDING;
        e->tries = 0;
        e->used = now;
        ask = true;
    }
    /* The packet is copied out of p->tx before the request reuses it. */
    if (e->qlen >= ML_ARP_QUEUE_PER || p->arp_queued >= ML_ARP_QUEUE ||
        !(k = malloc(sizeof *k + len))) {
        p->stats.arp_queue_drops++;
        if (ask)
            request(p, e);
        return -ENOBUFS;
    }
    k->next = NULL;
    k->len = len;
    net_copy(k->data, p->tx + ML_NET_HLEN, len);
    if (e->qtail)
        e->qtail->next = k;
    else
        e->q = k;
    e->qtail = k;
    e->qlen++;
    p->arp_queued++;
    p->stats.arp_queued++;
    if (ask)
        request(p, e);
    return 0;
}

void arp_fini(struct ml_stack_priv *p)
{
    ml_timer_stop(&p->arp_timer);
    for (int i = 0; i < ML_ARP_CACHE; i++)
        drop_queue(p, &p->arp[i]);
}

/* IPv4 (RFC 791, RFC 1122 §3.2 for hosts): header validation, delivery to
 * the transports, fragment reassembly with bounded memory, and output with
 * routing (on-link or through the gateway) and fragmentation.
 *
 * Reassembly keeps at most ML_IP_REASM_SLOTS datagrams (at most 64 KiB of
 * payload each) and forgets one ML_IP_REASM_TIMEOUT_S seconds after its
 * first fragment; when the slots are full the oldest datagram is evicted,
 * so a peer sending endless partial datagrams delays others but cannot
 * exhaust memory or starve them for good. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "stack_priv.h"

/* RFC 6864 and RFC 7739: a fresh random identification per datagram, so
 * that the field counts nothing an observer could use (no idle scans). */
static uint16_t ip_id(void)
{
    return (uint16_t)ml_random_u32();
}

#define IP_MF 0x2000
#define IP_DF 0x4000
#define IP_OFFMASK 0x1fff
#define IP_MAXPACKET 65535

static void reasm_tick(struct ml_timer *t, void *arg);

void ipv4_init(struct ml_stack_priv *p)
{
    ml_timer_init(&p->reasm_timer, reasm_tick, p);
}

uint32_t ipv4_pseudo(ml_ipv4_addr_t src, ml_ipv4_addr_t dst, uint8_t proto,
                     size_t len)
{
    uint32_t s = ml_csum_add32(0, src);

    s = ml_csum_add32(s, dst);
    return s + proto + (uint32_t)len;
}

/* ---- reassembly ---- */

static void slot_free(struct reasm_slot *s)
{
    free(s->buf);
    memset(s, 0, sizeof *s);
}

static void reasm_tick(struct ml_timer *t, void *arg)
{
    struct ml_stack_priv *p = arg;
    ml_time_t now = ml_clock_monotonic();
    bool any = false;

    (void)t;
    for (int i = 0; i < ML_IP_REASM_SLOTS; i++) {
        struct reasm_slot *s = &p->reasm[i];
        if (s->used && s->expires <= now) {
            slot_free(s);
            p->stats.ip_reasm_drops++;
        }
        any |= s->used;
    }
    if (!any)
        ml_timer_stop(t);
}

static struct reasm_slot *slot_for(struct ml_stack_priv *p, const uint8_t *ip)
{
    ml_ipv4_addr_t src = get32(ip + 12), dst = get32(ip + 16);
    uint16_t id = get16(ip + 4);
    struct reasm_slot *s, *oldest = NULL;

    for (int i = 0; i < ML_IP_REASM_SLOTS; i++) {
        s = &p->reasm[i];
        if (s->used && s->src == src && s->dst == dst && s->id == id &&
            s->proto == ip[9])
            return s;
    }
    for (int i = 0; i < ML_IP_REASM_SLOTS; i++) {
        s = &p->reasm[i];
        if (!s->used)
            break;
        if (!oldest || s->expires < oldest->expires)
            oldest = s;
        s = NULL;
    }
    if (!s) {
        slot_free(oldest);
        p->stats.ip_reasm_drops++;
        s = oldest;
    }
    s->used = true;
    s->src = src;
    s->dst = dst;
    s->id = id;
    s->proto = ip[9];
    s->expires = ml_clock_monotonic() + ML_IP_REASM_TIMEOUT_S * ML_SEC;
    if (!ml_timer_armed(&p->reasm_timer))
        ml_timer_start(&p->reasm_timer, ML_SEC, ML_SEC);
    return s;
}

static bool complete(const struct reasm_slot *s)
{
    size_t units = (s->total + 7) / 8;

    if (!s->total)
        return false;
    for (size_t u = 0; u < units; u++)
        if (!(s->map[u / 8] >> (u % 8) & 1))
            return false;
    return true;
}

/* Adds a fragment; returns its slot when the datagram is complete (the
 * caller delivers it and frees the slot), else NULL. */
static struct reasm_slot *reassemble(struct ml_stack_priv *p,
                                     const uint8_t *ip, const uint8_t *data,
                                     size_t len, size_t off, bool more)
{
    struct reasm_slot *s = slot_for(p, ip);
    size_t end = off + len;

    if (end > IP_MAXPACKET - IP_HLEN || (more && (len % 8 || !len)) ||
        (s->total && end > s->total) || (!more && s->total && end != s->total) ||
        (!more && s->maxend > end)) {
        slot_free(s); /* inconsistent: give the whole datagram up */
        p->stats.ip_reasm_drops++;
        return NULL;
    }
    if (!more)
        s->total = end;
    if (end > s->cap) {
        size_t cap = end < 2048 ? 2048 : end;
        uint8_t *b;
        if (cap < s->cap * 2)
            cap = s->cap * 2;
        if (cap > IP_MAXPACKET)
            cap = IP_MAXPACKET;
        if (!(b = realloc(s->buf, cap))) {
            slot_free(s);
            p->stats.ip_reasm_drops++;
            return NULL;
        }
        s->buf = b;
        s->cap = cap;
    }
    net_copy(s->buf + off, data, len);
    for (size_t u = off / 8; u < (end + 7) / 8; u++)
        s->map[u / 8] |= (uint8_t)(1u << (u % 8));
    if (end > s->maxend)
        s->maxend = end;
    return complete(s) ? s : NULL;
}

/* ---- input ---- */

static void deliver(struct ml_stack_priv *p, const uint8_t *ip,
                    uint8_t *data, size_t len, bool bcast)
{
    switch (ip[9]) {
    case IPPROTO_ICMP:
        icmp_input(p, ip, data, len, bcast);
        break;
    case IPPROTO_UDP:
        udp_input(p, ip, data, len, bcast);
        break;
    case IPPROTO_TCP:
        if (!bcast)
            tcp_input(p, ip, data, len);
        else
            p->stats.ip_bad++;
        break;
    default:
        if (!bcast) /* RFC 1122 3.2.2.1: protocol unreachable */
            icmp_unreachable(p, ip, data, len, 2);
        break;
    }
}

void ipv4_input(struct ml_stack_priv *p, uint8_t *ip, size_t len)
{
    size_t hlen, total, off;
    ml_ipv4_addr_t src, dst;
    uint16_t frag;
    bool bcast;

    if (len < IP_HLEN || ip[0] >> 4 != 4)
        goto bad;
    hlen = (size_t)(ip[0] & 0xf) * 4;
    total = get16(ip + 2);
    if (hlen < IP_HLEN || total < hlen || total > len ||
        ml_csum(ip, hlen) != 0)
        goto bad;
    src = get32(ip + 12);
    dst = get32(ip + 16);
    bcast = ip_is_local_bcast(p, dst);
    if (p->addr == 0) { /* no address yet (DHCP): only UDP, to anyone */
        if (ip[9] != IPPROTO_UDP || !ip_is_unicast(p, src))
            goto bad;
    } else if ((dst != p->addr && !bcast) || !ip_is_unicast(p, src) ||
               src == p->addr)
        goto bad;
    p->stats.ip_rx++;
    frag = get16(ip + 6);
    off = (size_t)(frag & IP_OFFMASK) * 8;
    if (!(frag & IP_MF) && off == 0) {
        deliver(p, ip, ip + hlen, total - hlen, bcast);
        return;
    }
    p->stats.ip_frags++;
    struct reasm_slot *s = reassemble(p, ip, ip + hlen, total - hlen, off,
                                      frag & IP_MF);
    if (s) {
        p->stats.ip_reassembled++;
        deliver(p, ip, s->buf, s->total, bcast);
        slot_free(s);
    }
    return;
bad:
    p->stats.ip_bad++;
}

/* ---- output ---- */

static int route(struct ml_stack_priv *p, ml_ipv4_addr_t dst,
                 ml_ipv4_addr_t *hop)
{
    if ((dst & p->mask) == (p->addr & p->mask) || dst == IP_BROADCAST)
        *hop = dst;
    else if (p->gateway)
        *hop = p->gateway;
    else {
        p->stats.ip_no_route++;
        return -ENETUNREACH;
    }
    return 0;
}

static void header(struct ml_stack_priv *p, uint8_t *ip, ml_ipv4_addr_t dst,
                   uint8_t proto, size_t plen, uint16_t id, uint16_t frag)
{
    ip[0] = 0x45;
    ip[1] = 0;
    put16(ip + 2, (uint16_t)(IP_HLEN + plen));
    put16(ip + 4, id);
    put16(ip + 6, frag);
    ip[8] = IP_TTL;
    ip[9] = proto;
    put16(ip + 10, 0);
    put32(ip + 12, p->addr);
    put32(ip + 16, dst);
    put16(ip + 10, ml_csum(ip, IP_HLEN));
}

int ipv4_send_tx(struct ml_stack_priv *p, ml_ipv4_addr_t dst, uint8_t proto,
                 size_t plen)
{
    ml_ipv4_addr_t hop;
    int r = route(p, dst, &hop);

    if (r)
        return r;
    header(p, p->tx + ML_NET_HLEN, dst, proto, plen, ip_id(), 0);
    p->stats.ip_tx++;
    return arp_output(p, hop, IP_HLEN + plen);
}

int ipv4_send(struct ml_stack_priv *p, ml_ipv4_addr_t dst, uint8_t proto,
              const uint8_t *payload, size_t plen)
{
    uint8_t *room = p->tx + ML_NET_HLEN + IP_HLEN;
    size_t step = (ipv4_mtu_payload(p)) & ~(size_t)7, off;
    ml_ipv4_addr_t hop;
    uint16_t id;
    int r;

    if (plen <= ipv4_mtu_payload(p)) {
        if (payload != room) /* never overlapping: rx, reassembly or heap */
            net_copy(room, payload, plen);
        return ipv4_send_tx(p, dst, proto, plen);
    }
    if (plen > IP_MAXPACKET - IP_HLEN)
        return -EMSGSIZE;
    if ((r = route(p, dst, &hop)))
        return r;
    id = ip_id();
    p->stats.ip_tx++;
    for (off = 0; off < plen; off += step) {
        size_t n = plen - off < step ? plen - off : step;
        uint16_t frag = (uint16_t)(off / 8) | (off + n < plen ? IP_MF : 0);
        net_copy(room, payload + off, n);
        header(p, p->tx + ML_NET_HLEN, dst, proto, n, id, frag);
        p->stats.ip_tx_frags++;
        if ((r = arp_output(p, hop, IP_HLEN + n)))
            return r;
    }
    return 0;
}

void ipv4_fini(struct ml_stack_priv *p)
{
    ml_timer_stop(&p->reasm_timer);
    for (int i = 0; i < ML_IP_REASM_SLOTS; i++)
        if (p->reasm[i].used)
            slot_free(&p->reasm[i]);
}

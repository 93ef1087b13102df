/* DHCP client (RFC 2131, options RFC 2132): discover, request, bound,
 * renew at T1 (unicast to the server), rebind at T2 (broadcast), and back
 * to discovery when the lease runs out or a NAK comes.
 *
 * Until the first ACK the stack has no address (0.0.0.0): it sends from
 * 0.0.0.0 to the broadcast address with the broadcast flag set, and
 * accepts datagrams to any address (only port 68 listens then).
 * Retransmissions back off from 2 to 64 seconds (RFC 2131 4.1). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <mirleft/log.h>
#include "stack_priv.h"

#define BOOTREQUEST 1
#define BOOTREPLY 2
#define MSG_LEN 300               /* BOOTP's minimum */
#define OPT_OFF 240               /* after the fixed part and the cookie */
enum { DISCOVER = 1, OFFER, REQUEST, DECLINE, ACK, NAK, RELEASE };
enum { INIT, SELECTING, REQUESTING, BOUND, RENEWING, REBINDING };

struct dhcp {
    struct ml_stack_priv *p;
    struct ml_udp_sock sock;
    struct ml_timer timer;        /* retransmission or the lease's times */
    int state;
    uint32_t xid;
    ml_ipv4_addr_t offered, server;
    ml_time_t backoff, t1, t2, expiry;
};

static void dhcp_send(struct dhcp *d, int type)
{
    struct ml_stack_priv *p = d->p;
    uint8_t m[MSG_LEN];
    uint8_t *o = m + OPT_OFF;
    bool renew = d->state == RENEWING || d->state == REBINDING;

    memset(m, 0, sizeof m);
    m[0] = BOOTREQUEST;
    m[1] = 1;                     /* Ethernet */
    m[2] = 6;
    put32(m + 4, d->xid);
    if (renew)
        put32(m + 12, p->addr);   /* ciaddr */
    else
        put16(m + 10, 0x8000);    /* broadcast the reply: we have no address */
    memcpy(m + 28, p->mac, 6);
    put32(m + 236, 0x63825363);   /* magic cookie */
    *o++ = 53;
    *o++ = 1;
    *o++ = (uint8_t)type;
    if (type == REQUEST && d->state == REQUESTING) {
        *o++ = 50;                /* requested address */
        *o++ = 4;
        put32(o, d->offered);
        o += 4;
        *o++ = 54;                /* the server we chose */
        *o++ = 4;
        put32(o, d->server);
        o += 4;
    }
    *o++ = 55;                    /* parameters: mask, router, lease, server */
    *o++ = 4;
    *o++ = 1;
    *o++ = 3;
    *o++ = 51;
    *o++ = 54;
    *o++ = 255;
    ml_udp_sendto(&d->sock, d->state == RENEWING ? d->server : IP_BROADCAST,
                  67, m, sizeof m);
}

static void retry(struct dhcp *d)
{
    ml_timer_start(&d->timer, d->backoff, 0);
    if (d->backoff < 64 * ML_SEC)
        d->backoff *= 2;
}

static void discover(struct dhcp *d)
{
    d->state = SELECTING;
    d->xid = ml_random_u32();
    d->backoff = 2 * ML_SEC;
    dhcp_send(d, DISCOVER);
    retry(d);
}

static void unconfigure(struct ml_stack_priv *p)
{
    ml_ipv4_addr_t old = p->addr;

    p->addr = p->mask = p->gateway = 0;
    stack_addr_changed(p, old);
}

static void on_timer(struct ml_timer *t, void *arg)
{
    struct dhcp *d = arg;
    ml_time_t now = ml_clock_monotonic();

    (void)t;
    switch (d->state) {
    case SELECTING:
        dhcp_send(d, DISCOVER);
        retry(d);
        break;
    case REQUESTING:
        if (d->backoff > 16 * ML_SEC) { /* no answer: start over */
            discover(d);
            break;
        }
        dhcp_send(d, REQUEST);
        retry(d);
        break;
    case BOUND:
    case RENEWING:
    case REBINDING:
        if (now >= d->expiry) {
            ML_WARN("stack: DHCP lease expired");
            unconfigure(d->p);
            discover(d);
            break;
        }
        d->state = now >= d->t2 ? REBINDING : RENEWING;
        dhcp_send(d, REQUEST);
        /* RFC 2131 4.4.5: retry at half the time left, at least 60 s */
        ml_time_t next = ((d->state == RENEWING ? d->t2 : d->expiry) - now) / 2;
        if (next < 60 * ML_SEC)
            next = 60 * ML_SEC;
        if (now + next > d->expiry)
            next = d->expiry - now;
        ml_timer_start(&d->timer, next ? next : ML_SEC, 0);
        break;
    default:
        discover(d);
        break;
    }
}

/* The option `code` of the reply's options [o, end), or NULL. */
static const uint8_t *option(const uint8_t *o, const uint8_t *end,
                             uint8_t code, uint8_t len)
{
    while (o < end && *o != 255) {
        if (*o == 0) {
            o++;
            continue;
        }
        if (o + 2 > end || o + 2 + o[1] > end)
            return NULL;
        if (o[0] == code && o[1] >= len)
            return o + 2;
        o += 2 + o[1];
    }
    return NULL;
}

static unsigned mask_prefix(ml_ipv4_addr_t m)
{
    unsigned n = 0;

    while (n < 32 && (m & (0x80000000u >> n)))
        n++;
    return n;
}

static void bound(struct dhcp *d, ml_ipv4_addr_t yiaddr, const uint8_t *o,
                  const uint8_t *end)
{
    struct ml_stack_priv *p = d->p;
    const uint8_t *v;
    uint32_t lease = 3600;
    ml_time_t now = ml_clock_monotonic();
    ml_ipv4_addr_t old = p->addr;
    char a[16];

    if ((v = option(o, end, 51, 4)))
        lease = get32(v);
    if (lease < 60)
        lease = 60;
    p->addr = yiaddr;
    p->mask = (v = option(o, end, 1, 4)) ? get32(v) : 0xffffff00u;
    /* a contiguous mask of /8 to /32 (the order avoids a shift by 32) */
    if (mask_prefix(p->mask) < 8 ||
        p->mask != (0xffffffffu << (32 - mask_prefix(p->mask))))
        p->mask = 0xffffff00u;
    p->gateway = 0;
    if ((v = option(o, end, 3, 4)) &&
        (get32(v) & p->mask) == (yiaddr & p->mask))
        p->gateway = get32(v);
    if ((v = option(o, end, 54, 4)))
        d->server = get32(v);
    d->state = BOUND;
    d->t1 = now + (ml_time_t)lease * ML_SEC / 2;
    d->t2 = now + (ml_time_t)lease * ML_SEC / 8 * 7;
    d->expiry = now + (ml_time_t)lease * ML_SEC;
    ml_timer_start(&d->timer, d->t1 - now, 0);
    ML_INFO("stack: DHCP lease %s/%u for %u s", ml_ipv4_format(yiaddr, a),
            mask_prefix(p->mask), (unsigned)lease);
    arp_announce(p);
    stack_addr_changed(p, old);
}

static void on_reply(struct ml_udp_sock *s, ml_ipv4_addr_t src, uint16_t sport,
                     const uint8_t *m, size_t len, void *arg)
{
    struct dhcp *d = arg;
    const uint8_t *end = m + len, *v;
    ml_ipv4_addr_t yiaddr;

    (void)s;
    (void)src;
    if (sport != 67 || len < OPT_OFF + 3 || m[0] != BOOTREPLY ||
        get32(m + 4) != d->xid || memcmp(m + 28, d->p->mac, 6) ||
        get32(m + 236) != 0x63825363 ||
        !(v = option(m + OPT_OFF, end, 53, 1)))
        return;
    yiaddr = get32(m + 16);
    switch (*v) {
    case OFFER:
        if (d->state != SELECTING || !ip_is_unicast(d->p, yiaddr) ||
            !(v = option(m + OPT_OFF, end, 54, 4)))
            return;
        d->offered = yiaddr;
        d->server = get32(v);
        d->state = REQUESTING;
        d->backoff = 2 * ML_SEC;
        dhcp_send(d, REQUEST);
        retry(d);
        break;
    case ACK:
        if (d->state != REQUESTING && d->state != RENEWING &&
            d->state != REBINDING)
            return;
        if (!ip_is_unicast(d->p, yiaddr))
            return;
        bound(d, yiaddr, m + OPT_OFF, end);
        break;
    case NAK:
        if (d->state == REQUESTING || d->state == RENEWING ||
            d->state == REBINDING) {
            unconfigure(d->p);
            discover(d);
        }
        break;
    }
}

int dhcp_start(struct ml_stack_priv *p)
{
    struct dhcp *d = calloc(1, sizeof *d);

    if (!d)
        return -1;
    d->p = p;
    p->dhcp = d;
    ml_timer_init(&d->timer, on_timer, d);
    if (ml_udp_bind(&d->sock, p->pub, 68, on_reply, d) != 0)
        return -1;
    discover(d);
    return 0;
}

bool dhcp_bound(const struct ml_stack_priv *p)
{
    return p->dhcp && p->dhcp->state >= BOUND;
}

void dhcp_fini(struct ml_stack_priv *p)
{
    if (!p->dhcp)
        return;
    ml_timer_stop(&p->dhcp->timer);
    ml_udp_close(&p->dhcp->sock);
    free(p->dhcp);
    p->dhcp = NULL;
}

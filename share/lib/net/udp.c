/* UDP (RFC 768): sockets are caller-owned structs on a list; datagrams to
 * an unbound port get an ICMP port unreachable (RFC 1122 4.1.3.1). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "stack_priv.h"

#define UDP_HLEN 8

static struct ml_udp_sock *lookup(struct ml_stack_priv *p, uint16_t port)
{
    for (struct ml_udp_sock *s = p->udp; s; s = s->next)
        if (s->port == port)
            return s;
    return NULL;
}

int ml_udp_bind(struct ml_udp_sock *s, struct ml_stack *st, uint16_t port,
                ml_udp_recv_fn recv, void *arg)
{
    struct ml_stack_priv *p;

    if (!s || !st || !st->p || !recv)
        return -EINVAL;
    p = st->p;
    if (port == 0) { /* the next free ephemeral port (RFC 6335 range) */
        uint16_t c = stack_ephemeral_port();
        for (int i = 0; i < 16384 && !port; i++) {
            if (!lookup(p, c))
                port = c;
            c = c == 65535 ? 49152 : (uint16_t)(c + 1);
        }
        if (!port)
            return -EADDRINUSE;
    } else if (lookup(p, port))
        return -EADDRINUSE;
    s->st = st;
    s->port = port;
    s->recv = recv;
    s->error = NULL;
    s->arg = arg;
    s->next = p->udp;
    p->udp = s;
    return 0;
}

void ml_udp_on_error(struct ml_udp_sock *s, ml_udp_error_fn fn)
{
    if (s)
        s->error = fn;
}

void udp_icmp_error(struct ml_stack_priv *p, ml_ipv4_addr_t raddr,
                    uint16_t lport, uint16_t rport, int err)
{
    struct ml_udp_sock *s = lookup(p, lport);

    if (s && s->error)
        s->error(s, raddr, rport, err, s->arg);
}

uint16_t ml_udp_port(const struct ml_udp_sock *s)
{
    return s->port;
}

void ml_udp_close(struct ml_udp_sock *s)
{
    struct ml_udp_sock **pp;

    if (!s || !s->st)
        return;
    for (pp = &s->st->p->udp; *pp; pp = &(*pp)->next)
        if (*pp == s) {
            *pp = s->next;
            break;
        }
    s->st = NULL;
    s->next = NULL;
}

int ml_udp_sendto(struct ml_udp_sock *s, ml_ipv4_addr_t dst, uint16_t dport,
                  const void *data, size_t len)
{
    struct ml_stack_priv *p;
    uint8_t *u, *big = NULL;
    uint32_t sum;
    uint16_t c;
    int r;

    if (!s || !s->st || (!data && len) || dport == 0)
        return -EINVAL;
    if (len > ML_UDP_MAX_PAYLOAD)
        return -EMSGSIZE;
    p = s->st->p;
    if (dst == 0 || (dst >> 28) == 0xe)
        return -EINVAL;
    /* Small datagrams are built where they are sent from; larger ones in a
     * temporary buffer that ipv4_send fragments. */
    if (UDP_HLEN + len <= ipv4_mtu_payload(p))
        u = p->tx + ML_NET_HLEN + IP_HLEN;
    else if (!(u = big = malloc(UDP_HLEN + len)))
        return -ENOBUFS;
    put16(u, s->port);
    put16(u + 2, dport);
    put16(u + 4, (uint16_t)(UDP_HLEN + len));
    put16(u + 6, 0);
    if (len)
        net_copy(u + UDP_HLEN, data, len);
    sum = ipv4_pseudo(p->addr, dst, IPPROTO_UDP, UDP_HLEN + len);
    c = ml_csum_fold(ml_csum_add(sum, u, UDP_HLEN + len));
    put16(u + 6, c ? c : 0xffff); /* 0 means "no checksum" */
    r = ipv4_send(p, dst, IPPROTO_UDP, u, UDP_HLEN + len);
    free(big);
    if (r == 0)
        p->stats.udp_tx++;
    return r;
}

void udp_input(struct ml_stack_priv *p, const uint8_t *ip, uint8_t *udp,
               size_t len, bool bcast)
{
    ml_ipv4_addr_t src = get32(ip + 12), dst = get32(ip + 16);
    struct ml_udp_sock *s;
    size_t ulen;

    if (len < UDP_HLEN || (ulen = get16(udp + 4)) < UDP_HLEN || ulen > len)
        goto bad;
    if (get16(udp + 6) != 0 &&
        ml_csum_fold(ml_csum_add(ipv4_pseudo(src, dst, IPPROTO_UDP, ulen),
                                 udp, ulen)) != 0)
        goto bad;
    if (get16(udp + 2) == 0) /* the source port may be 0 (no replies) */
        goto bad;
    s = lookup(p, get16(udp + 2));
    if (!s) {
        p->stats.udp_no_port++;
        if (!bcast)
            icmp_unreachable(p, ip, udp, len, 3);
        return;
    }
    p->stats.udp_rx++;
    s->recv(s, src, get16(udp), udp + UDP_HLEN, ulen - UDP_HLEN, s->arg);
    return;
bad:
    p->stats.udp_bad++;
}

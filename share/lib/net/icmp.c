/* ICMP (RFC 792, RFC 1122 §3.2.2): echo replies; the destination
 * unreachable errors a host sends (protocol and port unreachable), rate
 * limited so a flood of stray datagrams cannot turn us into an amplifier;
 * and the errors we receive, passed to the TCP connection or UDP socket
 * whose datagram they quote (RFC 1122 §3.2.2.1, §4.2.3.9). */
#include <errno.h>
#include <string.h>
#include "stack_priv.h"

#define ICMP_ECHO_REPLY 0
#define ICMP_UNREACH 3
#define ICMP_ECHO 8
#define ICMP_TIME_EXCEEDED 11
#define ICMP_HLEN 8
#define ERR_BURST ICMP_ERR_BURST
#define ERR_REFILL (10 * ML_MS)      /* one token per */

/* The errno an unreachable code means, and whether it is hard: RFC 1122
 * 4.2.3.9 names protocol and port unreachable (2, 3), we add the
 * administratively prohibited ones (9, 10, 13) as Linux does; the rest
 * (no route, host down, ...) may be transient. Fragmentation needed (4)
 * is 0: we never set DF, so it cannot be about us. */
static int unreach_errno(uint8_t code, bool *hard)
{
    *hard = code == 2 || code == 3 || code == 9 || code == 10 || code == 13;
    switch (code) {
    case 0: case 6: case 11:
        return -ENETUNREACH;
    case 2:
        return -ENOPROTOOPT;
    case 3:
        return -ECONNREFUSED;
    case 4:
        return 0;
    case 9: case 10: case 13:
        return -EACCES;
    default:
        return -EHOSTUNREACH;
    }
}

/* An error quoting a datagram we sent: its IP header and at least the
 * first 8 bytes of its payload (ports, and TCP's sequence number). */
static void icmp_error(struct ml_stack_priv *p, const uint8_t *icmp,
                       size_t len)
{
    const uint8_t *in = icmp + ICMP_HLEN, *l4;
    size_t hl;
    bool hard = false;
    int err;

    if (len < ICMP_HLEN + IP_HLEN + 8 || (in[0] >> 4) != 4 ||
        (hl = (size_t)(in[0] & 0xf) * 4) < IP_HLEN ||
        len < ICMP_HLEN + hl + 8 || p->addr == 0 || get32(in + 12) != p->addr ||
        (get16(in + 6) & 0x1fff) != 0) /* not the first fragment: no ports */
        return;
    err = icmp[0] == ICMP_UNREACH ? unreach_errno(icmp[1], &hard)
                                  : -EHOSTUNREACH;
    if (!err)
        return;
    l4 = in + hl;
    p->stats.icmp_errors++;
    if (in[9] == IPPROTO_TCP)
        tcp_icmp_error(p, get32(in + 16), get16(l4), get16(l4 + 2),
                       get32(l4 + 4), err, hard);
    else if (in[9] == IPPROTO_UDP)
        udp_icmp_error(p, get32(in + 16), get16(l4), get16(l4 + 2), err);
}

void icmp_input(struct ml_stack_priv *p, const uint8_t *ip, uint8_t *icmp,
                size_t len, bool bcast)
{
    if (len < ICMP_HLEN || ml_csum(icmp, len) != 0) {
        p->stats.ip_bad++;
        return;
    }
    if ((icmp[0] == ICMP_UNREACH || icmp[0] == ICMP_TIME_EXCEEDED) && !bcast) {
        icmp_error(p, icmp, len);
        return;
    }
    /* RFC 1122 3.2.2.6 lets a host ignore echo requests to a broadcast
     * address; we do (smurf amplification). */
    if (icmp[0] != ICMP_ECHO || icmp[1] != 0 || bcast)
        return;
    /* A full sum rather than RFC 1624's update: a reply whose bytes are
     * all zero (type 0, code 0, id 0, seq 0, zero payload) must carry
     * 0xffff, and the update yields 0x0000 there (found by fuzz_net). */
    icmp[0] = ICMP_ECHO_REPLY;
    put16(icmp + 2, 0);
    put16(icmp + 2, ml_csum(icmp, len));
    p->stats.icmp_echo++;
    ipv4_send(p, get32(ip + 12), IPPROTO_ICMP, icmp, len);
}

static bool take_token(struct ml_stack_priv *p)
{
    ml_time_t now = ml_clock_monotonic();

    if (now >= p->icmp_tokens_at + ERR_REFILL) {
        uint64_t n = (now - p->icmp_tokens_at) / ERR_REFILL;
        p->icmp_tokens = n + p->icmp_tokens > ERR_BURST
                             ? ERR_BURST : (unsigned)(n + p->icmp_tokens);
        p->icmp_tokens_at = now;
    }
    if (!p->icmp_tokens)
        return false;
    p->icmp_tokens--;
    return true;
}

void icmp_unreachable(struct ml_stack_priv *p, const uint8_t *ip,
                      const uint8_t *payload, size_t plen, uint8_t code)
{
    size_t hlen = (size_t)(ip[0] & 0xf) * 4;
    size_t q = plen < 8 ? plen : 8;
    uint8_t *m = p->tx + ML_NET_HLEN + IP_HLEN;

    if (p->addr == 0 || !take_token(p))
        return;
    m[0] = ICMP_UNREACH;
    m[1] = code;
    put16(m + 2, 0);
    put32(m + 4, 0);
    memcpy(m + ICMP_HLEN, ip, hlen);
    memcpy(m + ICMP_HLEN + hlen, payload, q);
    put16(m + 2, ml_csum(m, ICMP_HLEN + hlen + q));
    p->stats.icmp_unreach_sent++;
    ipv4_send_tx(p, get32(ip + 12), IPPROTO_ICMP, ICMP_HLEN + hlen + q);
}

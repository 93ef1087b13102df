/* ICMP (RFC 792, RFC 1122 §3.2.2): echo replies, and the destination
 * unreachable errors a host sends (protocol and port unreachable), rate
 * limited so a flood of stray datagrams cannot turn us into an amplifier. */
#include <string.h>
#include "stack_priv.h"

#define ICMP_ECHO_REPLY 0
#define ICMP_UNREACH 3
#define ICMP_ECHO 8
#define ICMP_HLEN 8
#define ERR_BURST ICMP_ERR_BURST
#define ERR_REFILL (10 * ML_MS)      /* one token per */

void icmp_input(struct ml_stack_priv *p, const uint8_t *ip, uint8_t *icmp,
                size_t len, bool bcast)
{
    if (len < ICMP_HLEN || ml_csum(icmp, len) != 0) {
        p->stats.ip_bad++;
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

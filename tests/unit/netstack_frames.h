/* Frame builders and readers for the stack's unit tests (host code). */
#ifndef NETSTACK_FRAMES_H
#define NETSTACK_FRAMES_H

#include <stdint.h>
#include <string.h>

static const uint8_t NS_MAC[6] = { 0x02, 0x11, 0x22, 0x33, 0x44, 0x55 };
static const uint8_t NS_PEER[6] = { 0x02, 0xaa, 0xbb, 0xcc, 0xdd, 0xee };
#define NS_IP 0x0a000002u   /* 10.0.0.2: the stack */
#define NS_PEER_IP 0x0a000001u

static inline unsigned g16(const uint8_t *p) { return (unsigned)p[0] << 8 | p[1]; }
static inline uint32_t g32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}
static inline void p16(uint8_t *p, unsigned v) { p[0] = (uint8_t)(v >> 8); p[1] = (uint8_t)v; }
static inline void p32(uint8_t *p, uint32_t v) { p16(p, v >> 16); p16(p + 2, v & 0xffff); }

static inline uint16_t ns_csum(const uint8_t *p, size_t len, uint32_t s)
{
    for (size_t i = 0; i + 1 < len; i += 2)
        s += (uint32_t)p[i] << 8 | p[i + 1];
    if (len & 1)
        s += (uint32_t)p[len - 1] << 8;
    while (s >> 16)
        s = (s & 0xffff) + (s >> 16);
    return (uint16_t)~s;
}

static inline uint32_t ns_pseudo(uint32_t src, uint32_t dst, unsigned proto, size_t len)
{
    return (src >> 16) + (src & 0xffff) + (dst >> 16) + (dst & 0xffff) + proto + (uint32_t)len;
}

/* Ethernet + IPv4 header (no options) around a payload already at f+34.
 * Returns the frame length. */
static inline size_t ns_ip(uint8_t *f, uint32_t src, uint32_t dst, unsigned proto,
                           size_t plen, unsigned id, unsigned frag)
{
    memcpy(f, NS_MAC, 6);
    memcpy(f + 6, NS_PEER, 6);
    p16(f + 12, 0x0800);
    uint8_t *ip = f + 14;
    ip[0] = 0x45; ip[1] = 0;
    p16(ip + 2, (unsigned)(20 + plen));
    p16(ip + 4, id);
    p16(ip + 6, frag);
    ip[8] = 64; ip[9] = (uint8_t)proto;
    p16(ip + 10, 0);
    p32(ip + 12, src);
    p32(ip + 16, dst);
    p16(ip + 10, ns_csum(ip, 20, 0));
    return 34 + plen;
}

static inline size_t ns_udp(uint8_t *f, uint16_t sport, uint16_t dport,
                            const void *data, size_t len)
{
    uint8_t *u = f + 34;
    p16(u, sport); p16(u + 2, dport); p16(u + 4, (unsigned)(8 + len)); p16(u + 6, 0);
    memcpy(u + 8, data, len);
    p16(u + 6, ns_csum(u, 8 + len, ns_pseudo(NS_PEER_IP, NS_IP, 17, 8 + len)));
    return ns_ip(f, NS_PEER_IP, NS_IP, 17, 8 + len, 1, 0);
}

/* An ICMP error (type, code) from router about the frame sent (quoting
 * its IP header and the first 8 bytes of its payload, as routers do). */
static inline size_t ns_icmp_error(uint8_t *f, uint32_t router, unsigned type,
                                   unsigned code, const uint8_t *sent)
{
    uint8_t *m = f + 34;
    m[0] = (uint8_t)type;
    m[1] = (uint8_t)code;
    p16(m + 2, 0);
    p32(m + 4, 0);
    memcpy(m + 8, sent + 14, 20 + 8);
    p16(m + 2, ns_csum(m, 8 + 28, 0));
    return ns_ip(f, router, NS_IP, 1, 8 + 28, 7, 0);
}

static inline size_t ns_arp(uint8_t *f, unsigned op, const uint8_t *sha, uint32_t spa,
                            uint32_t tpa, const uint8_t *dst)
{
    memcpy(f, dst, 6);
    memcpy(f + 6, sha, 6);
    p16(f + 12, 0x0806);
    uint8_t *a = f + 14;
    p16(a, 1); p16(a + 2, 0x0800); a[4] = 6; a[5] = 4; p16(a + 6, op);
    memcpy(a + 8, sha, 6); p32(a + 14, spa);
    memset(a + 18, 0, 6); p32(a + 24, tpa);
    return 42;
}

#endif

/* The stack's lower layers on stubs.c's fake NIC: the gratuitous ARP at
 * start, ARP replies and learning, echo replies, UDP receive, send and
 * port unreachable, the ARP queue (bounded, flushed on the reply, dropped
 * after the retries), routing through the gateway, fragment reassembly
 * (any order, bounded, timed out), fragmentation on send, malformed frames
 * ignored, and the heap back where it started; the DHCP client through
 * discover, request, renewal, rebinding, expiry and NAK, and ml_stack_fini
 * freeing everything.
 *
 * usage: test_stack [RANDOM_FRAMES] */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "mlt.h"
#include "fake_nic.h"
#include "netstack.h"
#include "netstack_frames.h"

#define ML_SEC 1000000000ULL

static unsigned long long rng = 0x9e3779b97f4a7c15ULL;
static unsigned long long rnd(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}

static uint8_t region[8 << 20] __attribute__((aligned(64)));
static struct ml_net net;
static struct ml_stack st;
static uint8_t f[70000];

static void advance(ml_time_t dt)
{
    fake_now += dt;
    mlt_ml_timer_run_due(fake_now);
}

static void setup(ml_ipv4_addr_t gw)
{
    struct ml_net_config nc = { .name = "service" };
    struct ml_stack_config sc = { .name = "stack",
                                  .ipv4 = { NS_IP, 24 }, .gateway = gw };

    memset(&fake_nic, 0, sizeof fake_nic);
    fake_nic.name = "service";
    memcpy(fake_nic.mac, NS_MAC, 6);
    fake_nic.mtu = 1500;
    sc.net = &net;
    CHECK(mlt_ml_net_init(&net, &nc) == 0, "net init");
    CHECK(mlt_ml_stack_init(&st, &sc) == 0, "stack init: %s", console);
}

static void input(size_t len)
{
    fake_nic.tx_n = 0;
    mlt_ml_stack_input(&st, f, len);
}

/* received UDP datagrams */
static int got;
static size_t got_len;
static uint8_t got_data[70000];
static uint32_t got_src;
static uint16_t got_port;
static void on_udp(struct ml_udp_sock *s, ml_ipv4_addr_t src, uint16_t sport,
                   const uint8_t *d, size_t len, void *arg)
{
    (void)s;
    (void)arg;
    got++;
    got_src = src;
    got_port = sport;
    got_len = len;
    memcpy(got_data, d, len);
}

static void test_arp_icmp(void)
{
    uint8_t *t;

    /* the gratuitous ARP */
    CHECK(fake_nic.tx_n == 1, "one frame at start, got %d", fake_nic.tx_n);
    t = fake_nic.tx[0];
    CHECK(memcmp(t, "\xff\xff\xff\xff\xff\xff", 6) == 0 && g16(t + 12) == 0x0806 &&
          g16(t + 20) == 1 && g32(t + 28) == NS_IP && g32(t + 38) == NS_IP,
          "gratuitous ARP");
    /* a request for us: a reply to the asker */
    input(ns_arp(f, 1, NS_PEER, NS_PEER_IP, NS_IP, (const uint8_t *)"\xff\xff\xff\xff\xff\xff"));
    CHECK(fake_nic.tx_n == 1, "ARP reply");
    t = fake_nic.tx[0];
    CHECK(memcmp(t, NS_PEER, 6) == 0 && g16(t + 20) == 2 &&
          memcmp(t + 22, NS_MAC, 6) == 0 && g32(t + 28) == NS_IP &&
          memcmp(t + 32, NS_PEER, 6) == 0 && g32(t + 38) == NS_PEER_IP &&
          fake_nic.tx_len[0] == 60, "ARP reply fields");
    /* for another address: nothing */
    input(ns_arp(f, 1, NS_PEER, NS_PEER_IP, NS_IP + 5, (const uint8_t *)"\xff\xff\xff\xff\xff\xff"));
    CHECK(fake_nic.tx_n == 0, "ARP for another address answered");

    /* ping */
    uint8_t *ic = f + 34;
    ic[0] = 8; ic[1] = 0; p16(ic + 2, 0); p16(ic + 4, 0x1234); p16(ic + 6, 1);
    for (int i = 0; i < 56; i++)
        ic[8 + i] = (uint8_t)i;
    p16(ic + 2, ns_csum(ic, 64, 0));
    input(ns_ip(f, NS_PEER_IP, NS_IP, 1, 64, 9, 0));
    CHECK(fake_nic.tx_n == 1, "echo reply");
    t = fake_nic.tx[0];
    CHECK(memcmp(t, NS_PEER, 6) == 0 && g16(t + 12) == 0x0800 &&
          ns_csum(t + 14, 20, 0) == 0 && g32(t + 26) == NS_IP &&
          g32(t + 30) == NS_PEER_IP && t[23] == 1 && t[34] == 0 &&
          ns_csum(t + 34, 64, 0) == 0 && g16(t + 38) == 0x1234 &&
          memcmp(t + 42, f + 42, 56) == 0, "echo reply fields");
    /* bad checksum: nothing */
    ic[8] ^= 1;
    input(ns_ip(f, NS_PEER_IP, NS_IP, 1, 64, 9, 0));
    CHECK(fake_nic.tx_n == 0, "bad ICMP checksum answered");
}

/* What the UDP error callback saw. */
static int uerr_n, uerr_err;
static uint32_t uerr_dst;
static uint16_t uerr_port;
static void on_udp_error(struct ml_udp_sock *s, ml_ipv4_addr_t dst,
                         uint16_t dport, int err, void *arg)
{
    (void)s;
    (void)arg;
    uerr_n++;
    uerr_dst = dst;
    uerr_port = dport;
    uerr_err = err;
}

static void test_udp(void)
{
    struct ml_udp_sock s, s2;
    uint8_t *t, sent[64];

    CHECK(mlt_ml_udp_bind(&s, &st, 7, on_udp, NULL) == 0, "bind 7");
    CHECK(mlt_ml_udp_bind(&s2, &st, 7, on_udp, NULL) == -EADDRINUSE, "bind 7 twice");
    CHECK(mlt_ml_udp_bind(&s2, &st, 0, on_udp, NULL) == 0 && s2.port >= 49152,
          "ephemeral port %u", s2.port);
    got = 0;
    input(ns_udp(f, 5555, 7, "hello", 5));
    CHECK(got == 1 && got_len == 5 && memcmp(got_data, "hello", 5) == 0 &&
          got_src == NS_PEER_IP && got_port == 5555, "datagram received");
    /* a bad checksum, a short length: dropped */
    ns_udp(f, 5555, 7, "hello", 5);
    f[42] ^= 0x40;
    input(34 + 13);
    CHECK(got == 1, "bad UDP checksum delivered");
    ns_udp(f, 5555, 7, "hello", 5);
    p16(f + 38, 40);
    input(34 + 13);
    CHECK(got == 1, "UDP length past the datagram delivered");
    /* send: the peer is known from its ARP request */
    CHECK(mlt_ml_udp_sendto(&s, NS_PEER_IP, 5555, "world!", 6) == 0, "sendto");
    CHECK(fake_nic.tx_n == 1, "datagram sent");
    t = fake_nic.tx[0];
    CHECK(memcmp(t, NS_PEER, 6) == 0 && t[23] == 17 && g16(t + 34) == 7 &&
          g16(t + 36) == 5555 && g16(t + 38) == 14 && memcmp(t + 42, "world!", 6) == 0 &&
          ns_csum(t + 34, 14, ns_pseudo(NS_IP, NS_PEER_IP, 17, 14)) == 0,
          "datagram fields");
    /* an ICMP error about it: to the error callback, once there is one */
    memcpy(sent, t, sizeof sent);
    input(ns_icmp_error(f, 0x0a0000fe, 3, 3, sent));
    mlt_ml_udp_on_error(&s, on_udp_error);
    input(ns_icmp_error(f, 0x0a0000fe, 3, 3, sent));
    CHECK(uerr_n == 1 && uerr_err == -ECONNREFUSED && uerr_dst == NS_PEER_IP &&
          uerr_port == 5555, "port unreachable reported: %d %d", uerr_n, uerr_err);
    input(ns_icmp_error(f, 0x0a0000fe, 11, 0, sent));
    CHECK(uerr_n == 2 && uerr_err == -EHOSTUNREACH, "time exceeded reported");
    input(ns_icmp_error(f, 0x0a0000fe, 3, 4, sent));
    CHECK(uerr_n == 2, "fragmentation needed (we never set DF) reported");
    sent[14 + 12] ^= 1; /* quoting a datagram from another source */
    input(ns_icmp_error(f, 0x0a0000fe, 3, 3, sent));
    CHECK(uerr_n == 2, "an error about someone else's datagram reported");
    fake_nic.tx_n = 0;
    /* unbound port: ICMP port unreachable quoting the datagram */
    input(ns_udp(f, 5555, 9, "x", 1));
    CHECK(fake_nic.tx_n == 1, "port unreachable");
    t = fake_nic.tx[0];
    CHECK(t[23] == 1 && t[34] == 3 && t[35] == 3 && ns_csum(t + 34, 8 + 28, 0) == 0 &&
          g32(t + 42 + 16) == NS_IP && g16(t + 42 + 22) == 9, "unreachable fields");
    /* fragmentation on send and reassembly on receive, out of order */
    static uint8_t big[5000];
    for (size_t i = 0; i < sizeof big; i++)
        big[i] = (uint8_t)rnd();
    fake_nic.tx_n = 0;
    CHECK(mlt_ml_udp_sendto(&s, NS_PEER_IP, 5555, big, sizeof big) == 0, "big sendto");
    CHECK(fake_nic.tx_n == 4, "4 fragments, got %d", fake_nic.tx_n);
    int order[4] = { 2, 0, 3, 1 };
    got = 0;
    for (int k = 0; k < 4; k++) {
        uint8_t *fr = fake_nic.tx[order[k]];
        size_t n = fake_nic.tx_len[order[k]];
        /* swap addresses and MACs: it comes back as from the peer */
        memcpy(f, fr, n);
        memcpy(f, NS_MAC, 6);
        memcpy(f + 6, NS_PEER, 6);
        p32(f + 26, NS_PEER_IP);
        p32(f + 30, NS_IP);
        p16(f + 24, 0);
        p16(f + 24, ns_csum(f + 14, 20, 0));
        if (order[k] == 0) { /* the UDP header: recompute the checksum */
            p16(f + 34, 5555);
            p16(f + 36, 7);
        }
        mlt_ml_stack_input(&st, f, n);
    }
    /* swapping both addresses and both ports keeps the UDP checksum */
    CHECK(mlt_ml_stack_stats(&st)->ip_reassembled == 1, "reassembled");
    CHECK(got == 1 && got_len == sizeof big && memcmp(got_data, big, sizeof big) == 0,
          "reassembled datagram delivered intact (%d, %zu)", got, got_len);

    /* a fragment that never completes: freed after the timeout */
    struct ml_heap_stats h0, h1;
    mlt_ml_heap_stats(&h0);
    memset(f + 34, 0xab, 1480);
    input(ns_ip(f, NS_PEER_IP, NS_IP, 17, 1480, 77, 0x2000));
    mlt_ml_heap_stats(&h1);
    CHECK(h1.in_use > h0.in_use, "partial datagram held");
    advance(31 * ML_SEC);
    mlt_ml_heap_stats(&h1);
    CHECK(h1.in_use == h0.in_use, "partial datagram freed after the timeout");
    /* many different partial datagrams: memory bounded by the slots */
    for (int i = 0; i < 100; i++)
        input(ns_ip(f, NS_PEER_IP, NS_IP, 17, 1480, 1000 + i, 0x2000 | 2));
    mlt_ml_heap_stats(&h1);
    CHECK(h1.in_use - h0.in_use < ML_IP_REASM_SLOTS * 65536 + 4096,
          "reassembly memory %zu", h1.in_use - h0.in_use);
    advance(31 * ML_SEC);
    mlt_ml_heap_stats(&h1);
    CHECK(h1.in_use == h0.in_use, "all partial datagrams freed");
    mlt_ml_udp_close(&s2);
    mlt_ml_udp_close(&s);
    CHECK(mlt_ml_udp_sendto(&s, NS_PEER_IP, 5555, "x", 1) == -EINVAL, "send on closed");
}

static void test_arp_queue(void)
{
    struct ml_udp_sock s;
    struct ml_heap_stats h0, h1;
    int ok = 0, nobufs = 0;

    mlt_ml_heap_stats(&h0);
    CHECK(mlt_ml_udp_bind(&s, &st, 0, on_udp, NULL) == 0, "bind");
    fake_nic.tx_n = 0;
    for (int i = 0; i < 20; i++) {
        int r = mlt_ml_udp_sendto(&s, NS_IP + 7, 99, "q", 1);
        ok += r == 0;
        nobufs += r == -ENOBUFS;
    }
    CHECK(ok == ML_ARP_QUEUE_PER && nobufs == 20 - ML_ARP_QUEUE_PER,
          "queue bounded: %d queued, %d refused", ok, nobufs);
    CHECK(fake_nic.tx_n == 1 && g16(fake_nic.tx[0] + 12) == 0x0806 &&
          g32(fake_nic.tx[0] + 38) == NS_IP + 7, "one ARP request");
    /* the reply flushes the queue */
    static const uint8_t other[6] = { 2, 9, 9, 9, 9, 9 };
    input(ns_arp(f, 2, other, NS_IP + 7, NS_IP, NS_MAC));
    CHECK(fake_nic.tx_n == ML_ARP_QUEUE_PER && memcmp(fake_nic.tx[0], other, 6) == 0,
          "queue flushed: %d", fake_nic.tx_n);
    /* what waited is the datagram itself (the request did not clobber it) */
    CHECK(g16(fake_nic.tx[0] + 12) == 0x0800 && fake_nic.tx[0][23] == 17 &&
          g32(fake_nic.tx[0] + 30) == NS_IP + 7 && g16(fake_nic.tx[0] + 36) == 99 &&
          fake_nic.tx[0][42] == 'q' && ns_csum(fake_nic.tx[0] + 14, 20, 0) == 0,
          "queued datagram intact");
    /* an address nobody has: 3 requests, then the packets go */
    fake_nic.tx_n = 0;
    CHECK(mlt_ml_udp_sendto(&s, NS_IP + 8, 99, "q", 1) == 0, "queued");
    for (int i = 0; i < 5; i++)
        advance(ML_SEC);
    CHECK(fake_nic.tx_n == 3, "3 requests, got %d", fake_nic.tx_n);
    mlt_ml_udp_close(&s);
    mlt_ml_heap_stats(&h1);
    CHECK(h1.in_use == h0.in_use, "queue memory freed");
    /* no gateway: off-subnet is unreachable */
    CHECK(mlt_ml_udp_bind(&s, &st, 0, on_udp, NULL) == 0, "bind");
    CHECK(mlt_ml_udp_sendto(&s, 0x08080808, 53, "q", 1) == -ENETUNREACH, "no route");
    mlt_ml_udp_close(&s);
}

static void test_gateway(void)
{
    struct ml_udp_sock s;

    mlt_ml_stack_fini(&st); /* its timers must not outlive it either */
    setup(NS_IP + 252); /* 10.0.0.254 */
    CHECK(mlt_ml_udp_bind(&s, &st, 0, on_udp, NULL) == 0, "bind");
    fake_nic.tx_n = 0;
    CHECK(mlt_ml_udp_sendto(&s, 0x08080808, 53, "q", 1) == 0, "via the gateway");
    CHECK(fake_nic.tx_n == 1 && g32(fake_nic.tx[0] + 38) == NS_IP + 252,
          "ARP for the gateway");
    mlt_ml_udp_close(&s);
}

static void test_garbage(long n)
{
    const struct ml_stack_stats *ss = mlt_ml_stack_stats(&st);
    uint64_t rx0 = ss->rx_frames;

    for (long i = 0; i < n; i++) {
        size_t len = rnd() % 1515;
        for (size_t k = 0; k < len; k++)
            f[k] = (uint8_t)rnd();
        if (len >= 14 && rnd() % 2) {
            memcpy(f, NS_MAC, 6);
            p16(f + 12, rnd() % 2 ? 0x0800 : 0x0806);
        }
        if (len >= 34 && rnd() % 2) { /* a valid IP header, random rest */
            size_t pl = len - 34;
            ns_ip(f, NS_PEER_IP, NS_IP, (unsigned)(rnd() % 3 == 0 ? 17 : rnd() % 2 ? 1 : 6),
                  pl, (unsigned)rnd(), rnd() % 4 ? 0 : (unsigned)rnd() & 0x3fff);
        }
        mlt_ml_stack_input(&st, f, len);
    }
    CHECK(ss->rx_frames == rx0 + (uint64_t)n, "frames counted");
}

/* ---- DHCP ---- */


/* The last DHCP message the client sent: its type, xid, ciaddr, IP
 * destination and options 50/54; -1 if none. */
static int last_dhcp(uint32_t *xid, uint32_t *ciaddr, uint32_t *dst,
                     uint32_t *req, uint32_t *srv)
{
    for (int i = fake_nic.tx_n - 1; i >= 0; i--) {
        const uint8_t *t = fake_nic.tx[i];
        if (g16(t + 12) != 0x0800 || t[23] != 17 || g16(t + 34) != 68)
            continue;
        const uint8_t *m = t + 42, *o = m + 240;
        int type = -1;
        *xid = g32(m + 4);
        *ciaddr = g32(m + 12);
        *dst = g32(t + 30);
        *req = *srv = 0;
        while (o < t + fake_nic.tx_len[i] && *o != 255) {
            if (*o == 53) type = o[2];
            if (*o == 50) *req = g32(o + 2);
            if (*o == 54) *srv = g32(o + 2);
            o += 2 + o[1];
        }
        return type;
    }
    return -1;
}

static void dhcp_reply(uint32_t xid, unsigned type, uint32_t yiaddr, uint32_t lease)
{
    uint8_t *m = f + 42;
    memset(f, 0, 42 + 300);
    m[0] = 2; m[1] = 1; m[2] = 6;
    p32(m + 4, xid);
    p32(m + 16, yiaddr);
    memcpy(m + 28, NS_MAC, 6);
    p32(m + 236, 0x63825363);
    uint8_t *o = m + 240;
    *o++ = 53; *o++ = 1; *o++ = (uint8_t)type;
    *o++ = 54; *o++ = 4; p32(o, NS_PEER_IP); o += 4;
    *o++ = 1; *o++ = 4; p32(o, 0xffffff00); o += 4;
    *o++ = 3; *o++ = 4; p32(o, NS_PEER_IP); o += 4;
    *o++ = 51; *o++ = 4; p32(o, lease); o += 4;
    *o++ = 255;
    size_t len = 300;
    uint8_t *u = f + 34;
    p16(u, 67); p16(u + 2, 68); p16(u + 4, (unsigned)(8 + len)); p16(u + 6, 0);
    memcpy(f, "\xff\xff\xff\xff\xff\xff", 6);
    memcpy(f + 6, NS_PEER, 6);
    p16(f + 12, 0x0800);
    uint8_t *ip = f + 14;
    ip[0] = 0x45; p16(ip + 2, (unsigned)(20 + 8 + len)); ip[8] = 64; ip[9] = 17;
    p32(ip + 12, NS_PEER_IP); p32(ip + 16, 0xffffffff);
    p16(ip + 10, ns_csum(ip, 20, 0));
    fake_nic.tx_n = 0;
    mlt_ml_stack_input(&st, f, 14 + 20 + 8 + len);
}

/* What the address callback saw: calls, in order. */
static uint32_t addr_seen[8];
static int addr_calls;
static void on_address(struct ml_stack *s, ml_ipv4_addr_t a, void *arg)
{
    CHECK(s == &st && arg == &addr_calls, "callback arguments");
    if (addr_calls < 8)
        addr_seen[addr_calls] = a;
    addr_calls++;
}

static void test_dhcp(void)
{
    struct ml_net_config nc = { .name = "service" };
    struct ml_stack_config sc = { .name = "stack", .dhcp = true };
    struct ml_heap_stats h0, h1;
    uint32_t xid, ci, dst, req, srv;
    const uint32_t LEASED = 0x0a000042;

    memset(&fake_nic, 0, sizeof fake_nic);
    fake_nic.name = "service";
    memcpy(fake_nic.mac, NS_MAC, 6);
    fake_nic.mtu = 1500;
    sc.net = &net;
    CHECK(mlt_ml_net_init(&net, &nc) == 0, "net init");
    mlt_ml_heap_stats(&h0);
    CHECK(mlt_ml_stack_init(&st, &sc) == 0, "stack init with dhcp");
    CHECK(mlt_ml_stack_addr(&st) == 0, "no address before the lease");
    addr_calls = 0;
    mlt_ml_stack_on_address(&st, on_address, &addr_calls);
    CHECK(addr_calls == 0, "no address: not called at registration");
    CHECK(last_dhcp(&xid, &ci, &dst, &req, &srv) == 1 && dst == 0xffffffff,
          "DISCOVER broadcast");
    /* unanswered: retransmitted with backoff */
    fake_nic.tx_n = 0;
    advance(3 * ML_SEC);
    CHECK(last_dhcp(&xid, &ci, &dst, &req, &srv) == 1, "DISCOVER again");
    dhcp_reply(xid + 1, 2, LEASED, 120); /* wrong xid: ignored */
    CHECK(last_dhcp(&xid, &ci, &dst, &req, &srv) == -1, "wrong xid answered");
    dhcp_reply(xid, 2, LEASED, 120);
    CHECK(last_dhcp(&xid, &ci, &dst, &req, &srv) == 3 && req == LEASED &&
          srv == NS_PEER_IP && dst == 0xffffffff, "REQUEST for the offer");
    dhcp_reply(xid, 5, LEASED, 120);
    CHECK(mlt_ml_stack_addr(&st) == LEASED, "bound: %08x", mlt_ml_stack_addr(&st));
    CHECK(addr_calls == 1 && addr_seen[0] == LEASED, "told of the lease: %d calls", addr_calls);
    /* T1 (60 s): a unicast REQUEST to the server, with ciaddr */
    fake_nic.tx_n = 0;
    advance(61 * ML_SEC);
    /* the unicast waits for the server's MAC: ARP asked, answered */
    CHECK(fake_nic.tx_n == 1 && g16(fake_nic.tx[0] + 12) == 0x0806 &&
          g32(fake_nic.tx[0] + 38) == NS_PEER_IP, "ARP for the server");
    mlt_ml_stack_input(&st, f, ns_arp(f, 2, NS_PEER, NS_PEER_IP, LEASED, NS_MAC));
    int t = last_dhcp(&xid, &ci, &dst, &req, &srv);
    CHECK(t == 3 && ci == LEASED && dst == NS_PEER_IP && req == 0,
          "renewing: type %d ciaddr %08x dst %08x", t, ci, dst);
    dhcp_reply(xid, 5, LEASED, 120);
    CHECK(mlt_ml_stack_addr(&st) == LEASED, "renewed");
    CHECK(addr_calls == 1, "a renewal to the same address is not a change");
    /* no answers: rebinding by broadcast at T2, then the lease ends */
    fake_nic.tx_n = 0;
    advance(106 * ML_SEC);
    t = last_dhcp(&xid, &ci, &dst, &req, &srv);
    CHECK(t == 3 && dst == 0xffffffff && ci == LEASED, "rebinding: %d %08x", t, dst);
    advance(20 * ML_SEC);
    CHECK(mlt_ml_stack_addr(&st) == 0, "lease expired: %08x", mlt_ml_stack_addr(&st));
    CHECK(addr_calls == 2 && addr_seen[1] == 0, "told of the loss: %d calls", addr_calls);
    CHECK(last_dhcp(&xid, &ci, &dst, &req, &srv) == 1, "discovering again");
    /* a NAK while requesting: back to discovery */
    dhcp_reply(xid, 2, LEASED, 120);
    dhcp_reply(xid, 6, 0, 0);
    CHECK(last_dhcp(&xid, &ci, &dst, &req, &srv) == 1 && mlt_ml_stack_addr(&st) == 0,
          "NAK: discover");
    /* a lease for another address, then a late registration */
    dhcp_reply(xid, 2, LEASED + 1, 120);
    last_dhcp(&xid, &ci, &dst, &req, &srv);
    dhcp_reply(xid, 5, LEASED + 1, 120);
    CHECK(addr_calls == 3 && addr_seen[2] == LEASED + 1, "told of the new address");
    mlt_ml_stack_on_address(&st, NULL, NULL);
    mlt_ml_stack_on_address(&st, on_address, &addr_calls);
    CHECK(addr_calls == 4 && addr_seen[3] == LEASED + 1, "told at once when registered late");
    mlt_ml_stack_on_address(&st, NULL, NULL);
    mlt_ml_stack_fini(&st);
    mlt_ml_heap_stats(&h1);
    CHECK(h1.in_use == h0.in_use, "fini frees everything: %zu -> %zu", h0.in_use, h1.in_use);
}

int main(int argc, char **argv)
{
    long n = argc > 1 ? atol(argv[1]) : 3000;

    mlt_ml_heap_init((uintptr_t)region, sizeof region);
    setup(0);
    test_arp_icmp();
    test_udp();
    test_arp_queue();
    test_garbage(n);
    test_gateway();
    mlt_ml_stack_fini(&st);
    test_dhcp();
    CHECK(mlt_ml_heap_check() == 0, "heap consistent");
    return report("stack");
}

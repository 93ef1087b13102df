/* TCP on stubs.c's fake NIC, against a scripted peer (10.0.0.1): the
 * handshakes (passive with options, active, simultaneous open), data both
 * ways with delayed ACKs and Nagle, retransmission timing (RFC 6298
 * backoff), fast retransmit, out-of-order data (reordered, and a hole with
 * thousands of future segments: memory flat), RFC 5961 RST and SYN
 * checks, the backlog, back-pressure and the writable callback, zero
 * window and persist probes, keepalive, simultaneous close and TIME-WAIT
 * (bounded), data after close, abort; and after everything the heap and
 * the timer count back where they started.
 *
 * usage: test_tcp */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "mlt.h"
#include "fake_nic.h"
#include "netstack.h"
#include "netstack_frames.h"

#define MS 1000000ULL
#define SEC 1000000000ULL
#define F_FIN 0x01
#define F_SYN 0x02
#define F_RST 0x04
#define F_PSH 0x08
#define F_ACK 0x10

static uint8_t region[16 << 20] __attribute__((aligned(64)));
static struct ml_net net;
static struct ml_stack st;
static uint8_t f[70000];
static const struct ml_stack_stats *ss;

static void advance(ml_time_t dt)
{
    ml_time_t end = fake_now + dt;
    /* step through timers in order, so each fires at its own time */
    while (mlt_ml_timer_first() && mlt_ml_timer_first()->deadline <= end) {
        fake_now = mlt_ml_timer_first()->deadline;
        mlt_ml_timer_run_due(fake_now);
    }
    fake_now = end;
}

/* ---- the peer ---- */

struct peer {
    uint16_t port, myport;
    uint32_t seq;   /* next sequence number the peer sends */
    uint32_t ack;   /* what it acknowledges (our next) */
    uint16_t wnd;
};

/* A parsed segment the stack sent. */
struct out {
    uint16_t sport, dport;
    uint32_t seq, ack;
    uint8_t flags;
    uint16_t wnd;
    const uint8_t *data;
    size_t len;
    int mss, ws;
    bool sackp;             /* SACK-permitted */
    int nsack;              /* SACK blocks */
    uint32_t sack[8];       /* their edges: start, end, ... */
};

static int parse(int i, struct out *o)
{
    const uint8_t *t = fake_nic.tx[i], *h;
    size_t hl, tot;

    if (g16(t + 12) != 0x0800 || t[23] != 6)
        return -1;
    tot = g16(t + 16);
    h = t + 34;
    hl = (size_t)(h[12] >> 4) * 4;
    CHECK(ns_csum(h, tot - 20, ns_pseudo(NS_IP, g32(t + 30), 6, tot - 20)) == 0,
          "TCP checksum of a sent segment");
    o->sport = (uint16_t)g16(h);
    o->dport = (uint16_t)g16(h + 2);
    o->seq = g32(h + 4);
    o->ack = g32(h + 8);
    o->flags = h[13];
    o->wnd = (uint16_t)g16(h + 14);
    o->data = h + hl;
    o->len = tot - 20 - hl;
    o->mss = o->ws = -1;
    o->sackp = false;
    o->nsack = 0;
    for (size_t k = 20; k < hl;) {
        if (h[k] == 0)
            break;
        if (h[k] == 1) {
            k++;
            continue;
        }
        if (h[k] == 2)
            o->mss = (int)g16(h + k + 2);
        if (h[k] == 3)
            o->ws = h[k + 2];
        if (h[k] == 4)
            o->sackp = h[k + 1] == 2;
        if (h[k] == 5)
            for (int b = 0; b < (h[k + 1] - 2) / 8 && b < 4; b++, o->nsack++) {
                o->sack[2 * b] = g32(h + k + 2 + 8 * b);
                o->sack[2 * b + 1] = g32(h + k + 6 + 8 * b);
            }
        k += h[k + 1];
    }
    return 0;
}

/* TCP segments sent since the last clear. */
static int ntx(void)
{
    int n = 0;
    struct out o;
    for (int i = 0; i < fake_nic.tx_n; i++)
        n += parse(i, &o) == 0;
    return n;
}

static int last(struct out *o)
{
    for (int i = fake_nic.tx_n - 1; i >= 0; i--)
        if (parse(i, o) == 0)
            return 0;
    memset(o, 0, sizeof *o);
    return -1;
}

static void clear(void)
{
    fake_nic.tx_n = 0;
}

/* Sends a segment from the peer; opts: SYN options. */
static void psend(struct peer *p, uint8_t flags, const void *data, size_t len,
                  const uint8_t *opts, size_t olen)
{
    uint8_t *h = f + 34;
    size_t hl = 20 + olen;

    p16(h, p->port);
    p16(h + 2, p->myport);
    p32(h + 4, p->seq);
    p32(h + 8, (flags & F_ACK) ? p->ack : 0);
    h[12] = (uint8_t)((hl / 4) << 4);
    h[13] = flags;
    p16(h + 14, p->wnd);
    p16(h + 16, 0);
    p16(h + 18, 0);
    memcpy(h + 20, opts, olen);
    memcpy(h + hl, data, len);
    p16(h + 16, ns_csum(h, hl + len, ns_pseudo(NS_PEER_IP, NS_IP, 6, hl + len)));
    mlt_ml_stack_input(&st, f, ns_ip(f, NS_PEER_IP, NS_IP, 6, hl + len, 1, 0));
}

/* The peer's MAC, (re)learnt from its ARP request: entries expire. */
static void learn_peer(void)
{
    mlt_ml_stack_input(&st, f, ns_arp(f, 1, NS_PEER, NS_PEER_IP, NS_IP,
                                      (const uint8_t *)"\xff\xff\xff\xff\xff\xff"));
}

static const uint8_t SYN_OPTS[12] = { 2, 4, 0x05, 0xb4, 1, 3, 3, 2, 4, 2, 1, 1 };

/* ---- the application ---- */

static struct ml_tcp_conn *accepted, *conn;
static int n_accept, n_connected, n_eof, n_writable, n_closed, closed_err;
static size_t take = (size_t)-1; /* how much recv consumes */
static uint8_t rx[1 << 20];
static size_t rx_len;

static size_t app_recv(struct ml_tcp_conn *c, const uint8_t *d, size_t len,
                       void *arg)
{
    size_t n = len < take ? len : take;
    (void)c;
    (void)arg;
    if (rx_len + n <= sizeof rx)
        memcpy(rx + rx_len, d, n);
    rx_len += n;
    return n;
}
static void app_eof(struct ml_tcp_conn *c, void *arg) { (void)c; (void)arg; n_eof++; }
static void app_writable(struct ml_tcp_conn *c, void *arg) { (void)c; (void)arg; n_writable++; }
static void app_connected(struct ml_tcp_conn *c, void *arg) { (void)c; (void)arg; n_connected++; }
static void app_closed(struct ml_tcp_conn *c, int err, void *arg)
{
    (void)arg;
    n_closed++;
    closed_err = err;
    if (c == accepted)
        accepted = NULL;
    if (c == conn)
        conn = NULL;
}
static const struct ml_tcp_callbacks cbs = {
    .connected = app_connected, .recv = app_recv, .eof = app_eof,
    .writable = app_writable, .closed = app_closed,
};
static void app_accept(struct ml_tcp_listener *l, struct ml_tcp_conn *c, void *arg)
{
    (void)l;
    (void)arg;
    n_accept++;
    accepted = c;
    mlt_ml_tcp_set_callbacks(c, &cbs, NULL);
}

static void reset_app(void)
{
    n_accept = n_connected = n_eof = n_writable = n_closed = closed_err = 0;
    take = (size_t)-1;
    rx_len = 0;
}

/* Completes a passive open on port 80 from peer port `port`; returns the
 * connection (NULL on failure). */
static struct ml_tcp_conn *open_passive(struct peer *p, uint16_t port)
{
    struct out o;

    memset(p, 0, sizeof *p);
    p->port = port;
    p->myport = 80;
    p->seq = 1000000;
    p->wnd = 65535;
    accepted = NULL;
    learn_peer();
    clear();
    psend(p, F_SYN, NULL, 0, SYN_OPTS, sizeof SYN_OPTS);
    if (last(&o) != 0 || o.flags != (F_SYN | F_ACK) || o.ack != p->seq + 1)
        return NULL;
    p->seq++;
    p->ack = o.seq + 1;
    psend(p, F_ACK, NULL, 0, NULL, 0);
    return accepted;
}

static struct ml_tcp_listener lis;


static void test_handshake_and_data(void)
{
    struct peer p;
    struct out o;

    reset_app();
    learn_peer();
    memset(&p, 0, sizeof p);
    p.port = 40000;
    p.myport = 80;
    p.seq = 5000;
    p.wnd = 65535;
    clear();
    psend(&p, F_SYN, NULL, 0, SYN_OPTS, sizeof SYN_OPTS);
    CHECK(last(&o) == 0 && o.flags == (F_SYN | F_ACK) && o.ack == 5001 &&
          o.mss == 1460 && o.ws >= 0 && o.dport == 40000 && o.sport == 80,
          "SYN-ACK: flags %x ack %u mss %d ws %d", o.flags, o.ack, o.mss, o.ws);
    CHECK(n_accept == 0, "accepted before the handshake completed");
    /* the SYN retransmitted: the same SYN-ACK again */
    clear();
    psend(&p, F_SYN, NULL, 0, SYN_OPTS, sizeof SYN_OPTS);
    struct out o2;
    CHECK(last(&o2) == 0 && o2.flags == (F_SYN | F_ACK) && o2.seq == o.seq,
          "SYN-ACK again for a retransmitted SYN");
    p.seq = 5001;
    p.ack = o.seq + 1;
    psend(&p, F_ACK, NULL, 0, NULL, 0);
    CHECK(n_accept == 1 && accepted, "accepted");
    struct ml_tcp_conn *c = accepted;

    /* one small segment: delivered, ACK delayed */
    clear();
    psend(&p, F_ACK | F_PSH, "hello", 5, NULL, 0);
    p.seq += 5;
    CHECK(rx_len == 5 && memcmp(rx, "hello", 5) == 0, "data delivered");
    CHECK(ntx() == 0, "ACK not delayed");
    advance(50 * MS);
    CHECK(ntx() == 1 && last(&o) == 0 && o.ack == p.seq && o.flags == F_ACK,
          "delayed ACK after 40 ms");
    /* two full segments: ACK at once */
    static uint8_t big[3000];
    memset(big, 'b', sizeof big);
    clear();
    psend(&p, F_ACK, big, 1460, NULL, 0);
    p.seq += 1460;
    psend(&p, F_ACK, big, 1460, NULL, 0);
    p.seq += 1460;
    CHECK(ntx() == 1 && last(&o) == 0 && o.ack == p.seq, "ACK every second full segment");
    /* the window: the peer's scale (2) applies */
    CHECK(o.ws < 0 && o.wnd * 2u >= 60000u && o.wnd <= 32768u,
          "our window, scaled by our shift (1): %u", o.wnd);

    /* sending: 3000 bytes = 1460 + 1460 + 80; Nagle holds the 80 */
    clear();
    CHECK(mlt_ml_tcp_write(c, big, 3000) == 3000, "write");
    CHECK(ntx() == 2, "two full segments, got %d", ntx());
    uint32_t first = 0;
    parse(0, &o);
    first = o.seq;
    CHECK(o.len == 1460 && o.seq == p.ack, "first segment");
    p.ack += 2920;
    clear();
    psend(&p, F_ACK, NULL, 0, NULL, 0);
    CHECK(ntx() == 1 && last(&o) == 0 && o.len == 80 && o.seq == first + 2920,
          "the small rest after the ACK (Nagle)");
    p.ack += 80;
    psend(&p, F_ACK, NULL, 0, NULL, 0);
    /* with nodelay, small writes go at once */
    mlt_ml_tcp_nodelay(c, true);
    clear();
    mlt_ml_tcp_write(c, "a", 1);
    mlt_ml_tcp_write(c, "b", 1);
    CHECK(ntx() == 2, "nodelay: two segments, got %d", ntx());
    p.ack += 2;
    psend(&p, F_ACK, NULL, 0, NULL, 0);
    mlt_ml_tcp_nodelay(c, false);

    /* fast retransmit: 6 segments, three duplicate ACKs of the first */
    clear();
    mlt_ml_tcp_nodelay(c, true);
    for (int i = 0; i < 6; i++)
        mlt_ml_tcp_write(c, big, 1460);
    CHECK(ntx() == 6, "six segments in flight, got %d", ntx());
    clear();
    for (int i = 0; i < 3; i++)
        psend(&p, F_ACK, NULL, 0, NULL, 0);
    CHECK(ntx() >= 1 && (parse(0, &o), o.seq == p.ack && o.len == 1460),
          "fast retransmit of the first segment after 3 dupacks");
    p.ack += 6 * 1460;
    psend(&p, F_ACK, NULL, 0, NULL, 0);
    mlt_ml_tcp_nodelay(c, false);

    /* retransmission: RTO then doubled (Karn: no RTT sample from it) */
    clear();
    mlt_ml_tcp_write(c, big, 100);
    CHECK(ntx() == 1, "sent");
    clear();
    advance(150 * MS);
    CHECK(ntx() == 0, "no retransmission before the RTO");
    ml_time_t t0 = fake_now;
    int seen = 0;
    ml_time_t at[3];
    while (seen < 3 && fake_now - t0 < 30 * SEC) {
        advance(10 * MS);
        if (ntx()) {
            at[seen++] = fake_now;
            clear();
        }
    }
    CHECK(seen == 3, "three retransmissions");
    if (seen == 3) {
        ml_time_t d1 = at[1] - at[0], d2 = at[2] - at[1];
        CHECK(d2 >= 2 * d1 - 20 * MS && d2 <= 2 * d1 + 20 * MS,
              "backoff doubles: %llu then %llu ms", (unsigned long long)(d1 / MS),
              (unsigned long long)(d2 / MS));
    }
    p.ack += 100;
    psend(&p, F_ACK, NULL, 0, NULL, 0);
    CHECK(ss->tcp_retransmits >= 3, "retransmits counted");

    /* out of order: a hole, then the rest, delivered in order */
    rx_len = 0;
    clear();
    psend(&(struct peer){ p.port, 80, p.seq + 10, p.ack, p.wnd }, F_ACK, "klmnopqrst", 10, NULL, 0);
    CHECK(rx_len == 0 && ntx() == 1 && last(&o) == 0 && o.ack == p.seq,
          "out-of-order data held, duplicate ACK at once");
    psend(&(struct peer){ p.port, 80, p.seq + 25, p.ack, p.wnd }, F_ACK, "zzzzz", 5, NULL, 0);
    psend(&(struct peer){ p.port, 80, p.seq + 20, p.ack, p.wnd }, F_ACK, "uvwxy", 5, NULL, 0);
    clear();
    psend(&p, F_ACK, "abcdefghij", 10, NULL, 0);
    p.seq += 30;
    CHECK(rx_len == 30 && memcmp(rx, "abcdefghijklmnopqrstuvwxyzzzzz", 30) == 0,
          "reassembled in order: %zu", rx_len);
    CHECK(last(&o) == 0 && o.ack == p.seq, "ACK of everything at once");

    /* a hole and 10,000 future segments: memory does not grow */
    struct ml_heap_stats h0, h1;
    mlt_ml_heap_stats(&h0);
    for (int i = 0; i < 10000; i++) {
        uint32_t off = 1 + (uint32_t)(i % 200) * 700 + (uint32_t)i * 13;
        psend(&(struct peer){ p.port, 80, p.seq + off, p.ack, p.wnd }, F_ACK, big, 500, NULL, 0);
    }
    mlt_ml_heap_stats(&h1);
    CHECK(h1.in_use == h0.in_use, "heap grew with future segments: %zu -> %zu",
          h0.in_use, h1.in_use);
    CHECK(ss->tcp_ooo_dropped > 0, "segments beyond the window dropped");
    /* fill the hole: one byte; what was held in the window follows */
    rx_len = 0;
    psend(&p, F_ACK, "!", 1, NULL, 0);
    CHECK(rx_len >= 1 && rx[0] == '!', "hole filled");
    p.seq += (uint32_t)rx_len;

    /* RFC 5961: RST in the window but not exact: challenge ACK */
    clear();
    psend(&(struct peer){ p.port, 80, p.seq + 100, p.ack, p.wnd }, F_RST, NULL, 0, NULL, 0);
    CHECK(accepted == c && ntx() == 1 && last(&o) == 0 && o.flags == F_ACK &&
          o.ack == p.seq, "challenge ACK for an inexact RST");
    clear();
    psend(&(struct peer){ p.port, 80, p.seq + 10000000, p.ack, p.wnd }, F_RST, NULL, 0, NULL, 0);
    CHECK(accepted == c && ntx() == 0, "RST outside the window ignored");
    /* a SYN on an established connection: challenge ACK, no reset */
    clear();
    psend(&(struct peer){ p.port, 80, 12345, 0, p.wnd }, F_SYN, NULL, 0, SYN_OPTS, sizeof SYN_OPTS);
    CHECK(accepted == c && ntx() == 1 && last(&o) == 0 && o.flags == F_ACK,
          "challenge ACK for a SYN");
    /* an ACK for data never sent: ACK back, dropped */
    clear();
    size_t before = rx_len;
    psend(&(struct peer){ p.port, 80, p.seq, p.ack + 100000, p.wnd }, F_ACK, "x", 1, NULL, 0);
    CHECK(accepted == c && rx_len == before && ntx() == 1 && last(&o) == 0 &&
          o.ack == p.seq, "an ACK of unsent data: ACKed back, its data dropped");
    /* the exact RST: reset */
    psend(&p, F_RST, NULL, 0, NULL, 0);
    CHECK(n_closed == 1 && closed_err == -ECONNRESET && accepted == NULL,
          "reset: closed %d err %d", n_closed, closed_err);
}

static void test_backpressure_persist(void)
{
    struct peer p;
    struct out o;
    static uint8_t blob[200000];
    struct ml_tcp_conn *c;

    reset_app();
    c = open_passive(&p, 40001);
    CHECK(c != NULL, "open");
    if (!c)
        return;
    for (size_t i = 0; i < sizeof blob; i++)
        blob[i] = (uint8_t)(i * 7);
    /* the peer's window: 0 */
    p.wnd = 0;
    psend(&p, F_ACK, NULL, 0, NULL, 0);
    clear();
    long n = mlt_ml_tcp_write(c, blob, sizeof blob);
    CHECK(n == ML_TCP_SNDBUF, "write took %ld (the buffer)", n);
    CHECK(mlt_ml_tcp_write(c, blob, 10) == 0, "a full buffer takes nothing");
    CHECK(ntx() == 0, "nothing sent into a zero window");
    /* persist: probes of one byte, backing off, never giving up */
    int probes = 0;
    for (int i = 0; i < 300; i++) {
        advance(100 * MS);
        if (ntx()) {
            last(&o);
            CHECK(o.len == 1 && o.seq == p.ack, "a one-byte probe: len %zu seq %u (%u)",
                  o.len, o.seq, p.ack);
            probes++;
            clear();
            psend(&p, F_ACK, NULL, 0, NULL, 0); /* still zero */
        }
    }
    CHECK(probes >= 3 && probes <= 8, "probes in 30 s: %d", probes);
    CHECK(n_closed == 0, "persist gave up");
    /* the window opens: data flows, ACKs free room, writable is called */
    p.wnd = 16384; /* x4 with the peer's scale */
    clear();
    psend(&p, F_ACK, NULL, 0, NULL, 0);
    size_t got = 0;
    uint32_t expect = p.ack;
    for (int round = 0; round < 400 && got < (size_t)n; round++) {
        int k = fake_nic.tx_n;
        for (int i = 0; i < k; i++) {
            if (parse(i, &o) || !o.len)
                continue;
            if (o.seq == expect) {
                CHECK(memcmp(o.data, blob + got, o.len) == 0, "data at %zu", got);
                expect += (uint32_t)o.len;
                got += o.len;
            }
        }
        clear();
        p.ack = expect;
        psend(&p, F_ACK, NULL, 0, NULL, 0);
        if (!fake_nic.tx_n)
            advance(300 * MS);
    }
    CHECK(got == (size_t)n, "all buffered data sent: %zu of %ld", got, n);
    CHECK(n_writable >= 1, "writable called");
    /* the window closes under data in flight: persist, never a timeout */
    clear();
    CHECK(mlt_ml_tcp_write(c, blob, 1000) == 1000 && ntx() >= 1, "in flight");
    p.wnd = 0;
    psend(&p, F_ACK, NULL, 0, NULL, 0);
    for (int i = 0; i < 600; i++) {
        advance(1 * SEC);
        if (fake_nic.tx_n) {
            clear();
            learn_peer(); /* the ARP entry would go stale in 10 minutes */
            psend(&p, F_ACK, NULL, 0, NULL, 0);
        }
    }
    CHECK(n_closed == 0, "a shrunk window timed the connection out: %d", closed_err);
    p.wnd = 16384;
    learn_peer();
    clear();
    psend(&p, F_ACK, NULL, 0, NULL, 0);
    advance(2 * SEC);
    CHECK(ntx() >= 1 && last(&o) == 0 && o.seq + o.len == p.ack + 1000,
          "the data goes once the window reopens: %d segs, last seq %u len %zu, ack %u", ntx(), o.seq, o.len, p.ack);
    mlt_ml_tcp_abort(c);
}

static void test_receive_pause(void)
{
    struct peer p;
    struct out o;
    static uint8_t blob[70000];
    struct ml_tcp_conn *c;

    reset_app();
    c = open_passive(&p, 40002);
    if (!c)
        return;
    take = 0; /* the application takes nothing */
    memset(blob, 'q', sizeof blob);
    clear();
    size_t sent = 0;
    for (int i = 0; i < 100; i++) {
        psend(&p, F_ACK, blob, 1460, NULL, 0);
        p.seq += 1460;
        sent += 1460;
    }
    last(&o);
    CHECK(o.wnd == 0, "window closed: %u", o.wnd);
    CHECK(rx_len == 0, "nothing consumed");
    /* resume: everything comes, the window reopens */
    take = (size_t)-1;
    clear();
    mlt_ml_tcp_read_resume(c);
    CHECK(rx_len == ML_TCP_RCVBUF, "delivered %zu", rx_len);
    CHECK(last(&o) == 0 && o.wnd > 0, "window update sent");
    /* EOF after the data */
    p.seq = o.ack;
    psend(&p, F_ACK | F_FIN, NULL, 0, NULL, 0);
    CHECK(n_eof == 1, "eof");
    clear();
    mlt_ml_tcp_close(c);
    CHECK(last(&o) == 0 && (o.flags & F_FIN), "FIN after close");
    p.seq++;
    p.ack = o.seq + 1;
    psend(&p, F_ACK, NULL, 0, NULL, 0);
    CHECK(ss->tcp_conns == 0, "LAST-ACK done: freed (%llu)", (unsigned long long)ss->tcp_conns);
    (void)sent;
}

static void test_backlog(void)
{
    struct peer p[6];
    struct out o;
    int synacks = 0;

    reset_app();
    learn_peer();
    for (int i = 0; i < 6; i++) {
        memset(&p[i], 0, sizeof p[i]);
        p[i].port = (uint16_t)(41000 + i);
        p[i].myport = 81;
        p[i].seq = 777;
        p[i].wnd = 1000;
        clear();
        psend(&p[i], F_SYN, NULL, 0, NULL, 0);
        if (last(&o) == 0 && o.flags == (F_SYN | F_ACK))
            synacks++;
    }
    CHECK(synacks == 6, "backlog 2, then SYN cookies: %d SYN-ACKs", synacks);
    CHECK(ss->tcp_conns == 2, "two handshakes kept: %llu", (unsigned long long)ss->tcp_conns);
    /* the last SYN-ACK was a cookie: its ACK makes the connection */
    CHECK(o.mss > 0 && o.ws < 0, "cookie SYN-ACK: MSS %d, no window scale", o.mss);
    p[5].seq = 778;
    p[5].ack = o.seq + 1;
    psend(&p[5], F_ACK, NULL, 0, NULL, 0);
    CHECK(n_accept == 1 && accepted && ss->tcp_syncookies_ok == 1, "accepted from a cookie");
    clear();
    mlt_ml_tcp_write(accepted, "cookie", 6);
    CHECK(last(&o) == 0 && o.len == 6 && o.ack == 778, "data on a cookie connection");
    mlt_ml_tcp_abort(accepted);
    accepted = NULL;
    /* a forged ACK (wrong cookie) gets a reset, makes nothing */
    p[4].seq = 778;
    p[4].ack = 0x12345678;
    clear();
    psend(&p[4], F_ACK, NULL, 0, NULL, 0);
    CHECK(n_accept == 1 && last(&o) == 0 && (o.flags & F_RST), "forged cookie: RST");
    CHECK(ss->tcp_backlog_drops >= 4, "drops counted");
    /* the embryonic connections time out and are freed */
    advance(200 * SEC);
    CHECK(ss->tcp_conns == 0, "half-open connections freed: %llu",
          (unsigned long long)ss->tcp_conns);
}

static void test_active_simultaneous(void)
{
    struct peer p;
    struct out o;
    const ml_ipv4_addr_t peer = NS_PEER_IP;

    /* active open */
    reset_app();
    learn_peer();
    clear();
    CHECK(mlt_ml_tcp_connect(&st, peer, 9000, &cbs, NULL, &conn) == 0, "connect");
    CHECK(last(&o) == 0 && o.flags == F_SYN && o.mss == 1460 && o.ws >= 0, "SYN");
    memset(&p, 0, sizeof p);
    p.port = 9000;
    p.myport = o.sport;
    p.seq = 424242;
    p.ack = o.seq + 1;
    p.wnd = 8192;
    clear();
    psend(&p, F_SYN | F_ACK, NULL, 0, SYN_OPTS, sizeof SYN_OPTS);
    p.seq++;
    CHECK(n_connected == 1 && last(&o) == 0 && o.flags == F_ACK && o.ack == p.seq,
          "established, ACK sent");
    /* simultaneous close: both FIN, then each ACKs */
    clear();
    mlt_ml_tcp_shutdown(conn);
    CHECK(last(&o) == 0 && (o.flags & F_FIN), "our FIN");
    psend(&p, F_ACK | F_FIN, NULL, 0, NULL, 0); /* not acking our FIN */
    p.seq++;
    CHECK(last(&o) == 0 && o.ack == p.seq, "their FIN acked (CLOSING)");
    p.ack++;
    psend(&p, F_ACK, NULL, 0, NULL, 0);
    CHECK(n_eof == 1 && n_closed == 1 && closed_err == 0, "closed cleanly");
    CHECK(ss->tcp_timewait == 1, "TIME-WAIT");
    /* TIME-WAIT answers a retransmitted FIN */
    clear();
    p.seq--;
    psend(&p, F_ACK | F_FIN, NULL, 0, NULL, 0);
    p.seq++;
    CHECK(ntx() == 1, "FIN in TIME-WAIT re-acked");
    advance(61 * SEC);
    CHECK(ss->tcp_timewait == 0 && ss->tcp_conns == 0, "TIME-WAIT over");

    /* refused */
    reset_app();
    learn_peer();
    clear();
    mlt_ml_tcp_connect(&st, peer, 9001, &cbs, NULL, &conn);
    last(&o);
    memset(&p, 0, sizeof p);
    p.port = 9001;
    p.myport = o.sport;
    p.ack = o.seq + 1;
    psend(&p, F_RST | F_ACK, NULL, 0, NULL, 0);
    CHECK(n_closed == 1 && closed_err == -ECONNREFUSED, "refused: %d", closed_err);

    /* simultaneous open */
    reset_app();
    learn_peer();
    clear();
    mlt_ml_tcp_connect(&st, peer, 9002, &cbs, NULL, &conn);
    last(&o);
    memset(&p, 0, sizeof p);
    p.port = 9002;
    p.myport = o.sport;
    p.seq = 99;
    p.wnd = 8192;
    uint32_t our = o.seq;
    clear();
    psend(&p, F_SYN, NULL, 0, SYN_OPTS, sizeof SYN_OPTS); /* their SYN crosses ours */
    CHECK(last(&o) == 0 && o.flags == (F_SYN | F_ACK) && o.seq == our && o.ack == 100,
          "SYN-ACK on a crossing SYN");
    p.ack = our + 1;
    psend(&p, F_SYN | F_ACK, NULL, 0, SYN_OPTS, sizeof SYN_OPTS);
    p.seq = 100;
    CHECK(n_connected == 1, "simultaneous open established");
    clear();
    CHECK(mlt_ml_tcp_write(conn, "hi", 2) == 2 && last(&o) == 0 && o.len == 2,
          "data after simultaneous open");
    mlt_ml_tcp_abort(conn);
    conn = NULL;

    /* connect timeout: SYNs with backoff, then -ETIMEDOUT */
    reset_app();
    learn_peer();
    mlt_ml_tcp_connect(&st, peer, 9003, &cbs, NULL, &conn);
    advance(300 * SEC);
    CHECK(n_closed == 1 && closed_err == -ETIMEDOUT, "connect timed out: %d", closed_err);
}

/* ICMP errors about our segments (RFC 1122 4.2.3.9, RFC 5927, RFC 5461). */
static void test_icmp_errors(void)
{
    struct peer p;
    struct out o;
    const ml_ipv4_addr_t peer = NS_PEER_IP, router = 0x0a0000fe; /* 10.0.0.254 */
    uint8_t syn[64];
    uint64_t before;

    /* port unreachable while connecting: refused at once */
    reset_app();
    learn_peer();
    clear();
    mlt_ml_tcp_connect(&st, peer, 9100, &cbs, NULL, &conn);
    CHECK(last(&o) == 0 && o.flags == F_SYN, "SYN");
    memcpy(syn, fake_nic.tx[fake_nic.tx_n - 1], sizeof syn);
    before = ss->icmp_errors;
    /* one quoting a sequence number we never sent: ignored (forged) */
    p32(syn + 38, o.seq + 1000);
    mlt_ml_stack_input(&st, f, ns_icmp_error(f, router, 3, 3, syn));
    CHECK(n_closed == 0 && ss->tcp_conns == 1, "an error with a wrong sequence number ends it");
    p32(syn + 38, o.seq);
    mlt_ml_stack_input(&st, f, ns_icmp_error(f, router, 3, 3, syn));
    CHECK(n_closed == 1 && closed_err == -ECONNREFUSED && ss->tcp_conns == 0,
          "port unreachable: %d", closed_err);
    CHECK(ss->icmp_errors == before + 2, "counted");

    /* protocol unreachable and administratively prohibited: hard too */
    reset_app();
    clear();
    mlt_ml_tcp_connect(&st, peer, 9101, &cbs, NULL, &conn);
    memcpy(syn, fake_nic.tx[fake_nic.tx_n - 1], sizeof syn);
    mlt_ml_stack_input(&st, f, ns_icmp_error(f, router, 3, 13, syn));
    CHECK(n_closed == 1 && closed_err == -EACCES, "prohibited: %d", closed_err);

    /* host unreachable is soft: the SYN is retried, and the error
     * explains the timeout; a checksum error in the ICMP is dropped */
    reset_app();
    clear();
    mlt_ml_tcp_connect(&st, peer, 9102, &cbs, NULL, &conn);
    memcpy(syn, fake_nic.tx[fake_nic.tx_n - 1], sizeof syn);
    mlt_ml_stack_input(&st, f, ns_icmp_error(f, router, 3, 1, syn));
    CHECK(n_closed == 0, "host unreachable ended the connect");
    clear();
    advance(2 * SEC);
    CHECK(ntx() >= 1, "SYN retried after a soft error");
    advance(300 * SEC);
    CHECK(n_closed == 1 && closed_err == -EHOSTUNREACH, "timed out, why: %d", closed_err);

    /* an established connection survives even a hard error (RFC 5461) */
    reset_app();
    learn_peer();
    clear();
    mlt_ml_tcp_connect(&st, peer, 9103, &cbs, NULL, &conn);
    last(&o);
    memset(&p, 0, sizeof p);
    p.port = 9103;
    p.myport = o.sport;
    p.seq = 5000;
    p.ack = o.seq + 1;
    p.wnd = 8192;
    psend(&p, F_SYN | F_ACK, NULL, 0, SYN_OPTS, sizeof SYN_OPTS);
    p.seq++;
    CHECK(n_connected == 1, "established");
    clear();
    CHECK(mlt_ml_tcp_write(conn, "data", 4) == 4 && last(&o) == 0 && o.len == 4, "data sent");
    memcpy(syn, fake_nic.tx[fake_nic.tx_n - 1], sizeof syn);
    mlt_ml_stack_input(&st, f, ns_icmp_error(f, router, 3, 3, syn));
    mlt_ml_stack_input(&st, f, ns_icmp_error(f, router, 11, 0, syn));
    CHECK(n_closed == 0, "an established connection ended on an ICMP error");
    p.ack += 4;
    psend(&p, F_ACK, NULL, 0, NULL, 0);
    clear();
    CHECK(mlt_ml_tcp_write(conn, "more", 4) == 4 && last(&o) == 0 && o.len == 4,
          "still sending");
    mlt_ml_tcp_abort(conn);
    conn = NULL;
}

/* SACK (RFC 2018): offered back only to a SYN that offered it; out-of-
 * order data reported in blocks, the newest first, shrinking as holes
 * fill; none without SACK-permitted. */
static void test_sack(void)
{
    struct peer p;
    struct out o;
    struct ml_tcp_conn *c;
    static uint8_t chunk[1000];
    static const uint8_t NO_SACK_OPTS[8] = { 2, 4, 0x05, 0xb4, 1, 3, 3, 2 };
    uint32_t s0;

    reset_app();
    memset(&p, 0, sizeof p);
    p.port = 40200;
    p.myport = 80;
    p.seq = 7000;
    p.wnd = 65535;
    learn_peer();
    clear();
    psend(&p, F_SYN, NULL, 0, SYN_OPTS, sizeof SYN_OPTS);
    CHECK(last(&o) == 0 && o.flags == (F_SYN | F_ACK) && o.sackp,
          "SACK-permitted answered");
    p.seq++;
    p.ack = o.seq + 1;
    psend(&p, F_ACK, NULL, 0, NULL, 0);
    c = accepted;
    CHECK(c != NULL, "accepted");
    s0 = p.seq;
    /* [s0+1000, s0+2000) then [s0+3000, s0+4000): two blocks, newest first */
    clear();
    p.seq = s0 + 1000;
    psend(&p, F_ACK, chunk, sizeof chunk, NULL, 0);
    CHECK(last(&o) == 0 && o.ack == s0 && o.nsack == 1 &&
          o.sack[0] == s0 + 1000 && o.sack[1] == s0 + 2000, "one block: %d", o.nsack);
    p.seq = s0 + 3000;
    psend(&p, F_ACK, chunk, sizeof chunk, NULL, 0);
    CHECK(last(&o) == 0 && o.ack == s0 && o.nsack == 2 &&
          o.sack[0] == s0 + 3000 && o.sack[1] == s0 + 4000 &&
          o.sack[2] == s0 + 1000 && o.sack[3] == s0 + 2000, "two blocks, newest first");
    /* the first hole filled: one block left */
    p.seq = s0;
    psend(&p, F_ACK, chunk, sizeof chunk, NULL, 0);
    CHECK(last(&o) == 0 && o.ack == s0 + 2000 && o.nsack == 1 &&
          o.sack[0] == s0 + 3000, "hole filled: ack %u, %d blocks", o.ack - s0, o.nsack);
    /* all filled: no SACK any more */
    p.seq = s0 + 2000;
    psend(&p, F_ACK, chunk, sizeof chunk, NULL, 0);
    advance(SEC);
    CHECK(last(&o) == 0 && o.ack == s0 + 4000 && o.nsack == 0, "in order: no blocks");
    CHECK(rx_len == 4000, "all delivered: %zu", rx_len);
    mlt_ml_tcp_abort(c);

    /* a SYN without SACK-permitted: none offered, none sent */
    reset_app();
    p.port = 40201;
    p.seq = 9000;
    clear();
    psend(&p, F_SYN, NULL, 0, NO_SACK_OPTS, sizeof NO_SACK_OPTS);
    CHECK(last(&o) == 0 && o.flags == (F_SYN | F_ACK) && !o.sackp,
          "SACK-permitted offered to a SYN without it");
    p.seq++;
    p.ack = o.seq + 1;
    psend(&p, F_ACK, NULL, 0, NULL, 0);
    c = accepted;
    clear();
    p.seq += 1000;
    psend(&p, F_ACK, chunk, sizeof chunk, NULL, 0);
    CHECK(last(&o) == 0 && o.nsack == 0 && o.ack == p.seq - 1000,
          "SACK blocks sent without SACK-permitted");
    mlt_ml_tcp_abort(c);

    /* our own SYN offers it */
    reset_app();
    clear();
    mlt_ml_tcp_connect(&st, NS_PEER_IP, 9200, &cbs, NULL, &conn);
    CHECK(last(&o) == 0 && o.flags == F_SYN && o.sackp, "our SYN offers SACK");
    mlt_ml_tcp_abort(conn);
    conn = NULL;
}

/* A duplicate ACK from the peer carrying SACK blocks [a0, a1) ... */
static void psend_sack(struct peer *p, const uint32_t *edges, int nblocks)
{
    uint8_t o[36] = { 1, 1, 5, (uint8_t)(2 + 8 * nblocks) };
    for (int b = 0; b < 2 * nblocks; b++)
        p32(o + 4 + 4 * b, edges[b]);
    psend(p, F_ACK, NULL, 0, o, 4 + 8 * (size_t)nblocks);
}

/* Sending with SACK: segments 1 and 4 of 8 lost. Three duplicate ACKs
 * resend 1; the next, whose blocks show 4 missing below held data, resends
 * 4 at once instead of a round trip later; blocks outside what was sent
 * are ignored; a full ACK ends it. */
static void test_sack_sender(void)
{
    struct peer p;
    struct out o;
    struct ml_tcp_conn *c;
    static uint8_t big[1460];
    uint32_t s[9];

    reset_app();
    c = open_passive(&p, 40210);
    CHECK(c != NULL, "open");
    if (!c)
        return;
    mlt_ml_tcp_nodelay(c, true);
    clear();
    for (int i = 0; i < 8; i++)
        mlt_ml_tcp_write(c, big, sizeof big);
    CHECK(ntx() == 8, "eight segments in flight, got %d", ntx());
    for (int i = 0; i < 9; i++)
        s[i] = p.ack + (uint32_t)i * 1460;
    /* segment 0 acknowledged; then 2, 3, 5 arrive: duplicate ACKs with SACK */
    p.ack = s[1];
    psend(&p, F_ACK, NULL, 0, NULL, 0);
    clear();
    uint32_t d1[] = { s[2], s[3] }, d2[] = { s[2], s[4] }, d3[] = { s[5], s[6], s[2], s[4] };
    psend_sack(&p, d1, 1);
    psend_sack(&p, d2, 1);
    psend_sack(&p, d3, 2);
    CHECK(ntx() >= 1 && (parse(0, &o), o.seq == s[1] && o.len == 1460),
          "fast retransmit of segment 1");
    /* segment 6 arrives: the blocks show 4 lost below held data */
    clear();
    uint32_t d4[] = { s[5], s[7], s[2], s[4] };
    psend_sack(&p, d4, 2);
    CHECK(ntx() == 1 && (parse(0, &o), o.seq == s[4] && o.len == 1460),
          "segment 4 resent on the next duplicate ACK: %d sent, seq +%u",
          ntx(), ntx() ? (parse(0, &o), o.seq - s[0]) : 0);
    /* blocks beyond what was sent, or below snd_una: ignored */
    clear();
    uint32_t junk[] = { s[8] + 5000, s[8] + 9000, s[0], s[1] };
    psend_sack(&p, junk, 2);
    CHECK(ntx() == 0, "a junk block acted on: %d sent", ntx());
    /* nothing else known lost: the next duplicate ACK resends nothing */
    clear();
    uint32_t d5[] = { s[5], s[8], s[2], s[4] };
    psend_sack(&p, d5, 2);
    for (int i = 0; i < fake_nic.tx_n; i++)
        if (parse(i, &o) == 0 && o.len)
            CHECK(o.seq != s[1] && o.seq != s[4], "resent again");
    /* everything acknowledged */
    p.ack = s[8];
    psend(&p, F_ACK, NULL, 0, NULL, 0);
    CHECK(n_closed == 0, "still open");
    mlt_ml_tcp_abort(c);
}

static void test_keepalive_close(void)
{
    struct peer p;
    struct out o;
    struct ml_tcp_conn *c;

    reset_app();
    c = open_passive(&p, 40003);
    if (!c)
        return;
    mlt_ml_tcp_keepalive(c, 10, 2, 3);
    clear();
    advance(9 * SEC);
    CHECK(ntx() == 0, "quiet before the idle time");
    advance(2 * SEC);
    CHECK(ntx() == 1 && last(&o) == 0 && o.seq == p.ack - 1 && o.len == 0,
          "keepalive probe");
    psend(&p, F_ACK, NULL, 0, NULL, 0); /* answered */
    clear();
    advance(5 * SEC);
    CHECK(ntx() == 0 && n_closed == 0, "answered: quiet again");
    advance(60 * SEC);
    CHECK(n_closed == 1 && closed_err == -ETIMEDOUT, "unanswered probes: %d", closed_err);

    /* data after close resets */
    reset_app();
    c = open_passive(&p, 40004);
    if (!c)
        return;
    mlt_ml_tcp_close(c);
    clear();
    psend(&p, F_ACK, "late", 4, NULL, 0);
    CHECK(last(&o) == 0 && (o.flags & F_RST), "data after close: RST");
    CHECK(ss->tcp_conns == 0, "freed");

    /* TIME-WAIT is bounded */
    for (int i = 0; i < ML_TCP_TIMEWAIT_MAX + 40; i++) {
        reset_app();
        c = open_passive(&p, (uint16_t)(20000 + i));
        if (!c)
            break;
        clear();
        mlt_ml_tcp_shutdown(c);
        last(&o);
        p.ack = o.seq + 1;
        psend(&p, F_ACK | F_FIN, NULL, 0, NULL, 0);
    }
    CHECK(ss->tcp_timewait == ML_TCP_TIMEWAIT_MAX, "TIME-WAIT bounded: %llu",
          (unsigned long long)ss->tcp_timewait);
    advance(61 * SEC);
    CHECK(ss->tcp_timewait == 0 && ss->tcp_conns == 0, "all gone");
}

static void test_random(int n)
{
    struct peer p;
    static uint8_t junk[1600];
    unsigned long long r = 88172645463325252ULL;

    for (int i = 0; i < n; i++) {
        r ^= r << 13;
        r ^= r >> 7;
        r ^= r << 17;
        memset(&p, 0, sizeof p);
        p.port = (uint16_t)(30000 + r % 4);
        p.myport = (uint16_t)(r >> 8) % 3 == 0 ? 80 : 81;
        p.seq = (uint32_t)(r >> 16);
        p.ack = (uint32_t)(r >> 24);
        p.wnd = (uint16_t)(r >> 40);
        size_t len = (r >> 50) % 3 == 0 ? 0 : (size_t)(r >> 33) % 1400;
        uint8_t fl = (uint8_t)(r >> 56) & 0x3f;
        psend(&p, fl, junk, len, (r & 1) ? SYN_OPTS : NULL, (r & 1) ? sizeof SYN_OPTS : 0);
        if (i % 100 == 0)
            advance(1 * SEC);
    }
    advance(400 * SEC);
    CHECK(ss->tcp_conns == 0, "random segments: connections left %llu",
          (unsigned long long)ss->tcp_conns);
}

int main(void)
{
    struct ml_net_config nc = { .name = "service" };
    struct ml_stack_config sc = { .name = "stack", .ipv4 = { NS_IP, 24 } };
    struct ml_tcp_listener lis2;
    struct ml_heap_stats h0, h1;
    size_t timers0;

    mlt_ml_heap_init((uintptr_t)region, sizeof region);
    memset(&fake_nic, 0, sizeof fake_nic);
    fake_nic.name = "service";
    memcpy(fake_nic.mac, NS_MAC, 6);
    fake_nic.mtu = 1500;
    sc.net = &net;
    CHECK(mlt_ml_net_init(&net, &nc) == 0, "net");
    CHECK(mlt_ml_stack_init(&st, &sc) == 0, "stack");
    ss = mlt_ml_stack_stats(&st);
    /* the peer's MAC is learnt from its ARP request */
    mlt_ml_stack_input(&st, f, ns_arp(f, 1, NS_PEER, NS_PEER_IP, NS_IP,
                                      (const uint8_t *)"\xff\xff\xff\xff\xff\xff"));
    advance(2 * SEC);
    mlt_ml_heap_stats(&h0);
    timers0 = mlt_ml_timer_count();
    CHECK(mlt_ml_tcp_listen(&lis, &st, 80, 8, app_accept, NULL) == 0, "listen");
    CHECK(mlt_ml_tcp_listen(&lis2, &st, 80, 8, app_accept, NULL) == -EADDRINUSE,
          "listen twice");
    CHECK(mlt_ml_tcp_listen(&lis2, &st, 81, 2, app_accept, NULL) == 0, "listen 81");

    test_handshake_and_data();
    test_backpressure_persist();
    test_receive_pause();
    test_backlog();
    test_active_simultaneous();
    test_icmp_errors();
    test_sack();
    test_sack_sender();
    test_keepalive_close();
    test_random(20000);

    mlt_ml_tcp_unlisten(&lis);
    mlt_ml_tcp_unlisten(&lis2);
    advance(400 * SEC); /* the ARP entry goes stale; nothing else pending */
    mlt_ml_heap_stats(&h1);
    CHECK(h1.in_use == h0.in_use, "heap back to %zu, is %zu", h0.in_use, h1.in_use);
    CHECK(mlt_ml_timer_count() == timers0, "timers back to %zu, are %zu", timers0,
          mlt_ml_timer_count());
    CHECK(ss->tcp_conns == 0, "no connection left");
    CHECK(mlt_ml_heap_check() == 0, "heap consistent");
    return report("tcp");
}

/* The net device on stubs.c's fake net device, and the net-ping template's
 * packet handling through it.
 *
 * Device: init (missing device, MAC, MTU), the write checks that must
 * never reach the platform, transmit drops, receive driven by the loop
 * with its per-readiness budget, runts and read errors counted, stopping
 * from the callback.
 *
 * net-ping: the gratuitous ARP at start, ARP and echo replies checked
 * field by field (IP options, odd and maximal payloads), every truncation
 * and single-byte corruption of valid requests ignored, random frames
 * ignored, --limit, and the argument checks.
 *
 * usage: test_net [RANDOM_FRAMES] */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "mlt.h"
#include "fake_nic.h"
#include "netping/devices.h"

int mlt_ml_net_init(struct ml_net *, const struct ml_net_config *);
const uint8_t *mlt_ml_net_mac(const struct ml_net *);
size_t mlt_ml_net_mtu(const struct ml_net *);
int mlt_ml_net_write(struct ml_net *, const void *, size_t);
int mlt_ml_net_listen(struct ml_net *, ml_net_rx_fn, void *);
void mlt_ml_net_stop(struct ml_net *);
const struct ml_net_stats *mlt_ml_net_stats(const struct ml_net *);
int mlt_start(struct devices *, const struct args *);

static unsigned long long rng = 0x9e3779b97f4a7c15ULL;
static unsigned long long rnd(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}

static uint8_t region[1 << 20] __attribute__((aligned(64)));
static const uint8_t MAC[6] = { 0x02, 0x11, 0x22, 0x33, 0x44, 0x55 };
static const uint8_t PEER[6] = { 0x02, 0xaa, 0xbb, 0xcc, 0xdd, 0xee };
#define MY_IP 0x0a000002u   /* 10.0.0.2 */
#define PEER_IP 0x0a000001u /* 10.0.0.1 */

static void nic_reset(size_t mtu)
{
    memset(&fake_nic, 0, sizeof fake_nic);
    fake_nic.name = "service";
    memcpy(fake_nic.mac, MAC, 6);
    fake_nic.mtu = mtu;
}

/* Runs the loop through one readiness report of the fake NIC, then stops
 * it with a timer. */
static struct ml_timer stopper;
static void stop_loop(struct ml_timer *t, void *arg)
{
    (void)t;
    (void)arg;
    mlt_ml_loop_stop(0);
}

static void pump(void)
{
    fake_event(fake_now + 1, 1ull << FAKE_NIC_HANDLE);
    mlt_ml_timer_init(&stopper, stop_loop, NULL);
    mlt_ml_timer_start(&stopper, 2, 0);
    mlt_ml_loop_run();
}

/* ---- the device --------------------------------------------------- */

static struct ml_net dev;
static long delivered, stop_after;
static size_t last_len;

static void count_rx(struct ml_net *d, uint8_t *f, size_t len, void *arg)
{
    CHECK(d == &dev && arg == &delivered, "callback arguments");
    CHECK(len >= 14 && len <= d->mtu + 14, "frame length %zu", len);
    CHECK(f[0] == (uint8_t)len, "frame content");
    last_len = len;
    if (++delivered == stop_after)
        mlt_ml_net_stop(d);
}

static void test_device(void)
{
    struct ml_net_config cfg = { .name = "service" };
    struct ml_net_config other = { .name = "nope" };
    const struct ml_net_stats *st;
    uint8_t f[9014];
    unsigned long pending;
    int i;

    mlt_ml_heap_init((uintptr_t)region, sizeof region);
    nic_reset(1500);
    console_reset();
    CHECK(mlt_ml_net_init(&dev, &other) == -1, "unknown device accepted");
    CHECK(strstr(console, "net nope: no such net device") != NULL,
          "message: %s", console);
    fake_nic.name = NULL;
    CHECK(mlt_ml_net_init(&dev, &cfg) == -1, "no device accepted");
    nic_reset(1500);
    CHECK(mlt_ml_net_init(&dev, &cfg) == 0, "init");
    CHECK(memcmp(mlt_ml_net_mac(&dev), MAC, 6) == 0, "MAC");
    CHECK(mlt_ml_net_mtu(&dev) == 1500, "MTU %zu", mlt_ml_net_mtu(&dev));
    CHECK(strcmp(dev.name, "service") == 0, "name");
    st = mlt_ml_net_stats(&dev);

    /* writes: refusals never reach the platform */
    memset(f, 0, sizeof f);
    CHECK(mlt_ml_net_write(&dev, f, 13) == -EINVAL, "13-byte frame");
    CHECK(mlt_ml_net_write(&dev, f, 1515) == -EINVAL, "1515-byte frame");
    CHECK(mlt_ml_net_write(&dev, NULL, 60) == -EINVAL, "NULL frame");
    CHECK(fake_nic.writes == 0, "refused writes reached the platform");
    CHECK(mlt_ml_net_write(&dev, f, 14) == 0, "14-byte frame");
    CHECK(mlt_ml_net_write(&dev, f, 1514) == 0, "1514-byte frame");
    fake_nic.fail_writes = 1;
    CHECK(mlt_ml_net_write(&dev, f, 100) == -EIO, "failed write");
    CHECK(st->tx_frames == 2 && st->tx_bytes == 1528 && st->tx_drops == 1,
          "tx stats %llu %llu %llu", (unsigned long long)st->tx_frames,
          (unsigned long long)st->tx_bytes, (unsigned long long)st->tx_drops);
    CHECK(fake_nic.tx_n == 2 && fake_nic.tx_len[1] == 1514, "frames sent");

    /* receive: nothing before listen; listen keeps the loop alive */
    CHECK(mlt_ml_net_listen(&dev, NULL, NULL) == -EINVAL, "NULL callback");
    pending = mlt_ml_loop_pending();
    CHECK(mlt_ml_net_listen(&dev, count_rx, &delivered) == 0, "listen");
    CHECK(mlt_ml_loop_pending() == pending + 1, "listening is pending");
    for (i = 0; i < 62; i++) {
        size_t len = 14 + (size_t)(rnd() % 1501);
        memset(f, 0, len);
        f[0] = (uint8_t)len;
        fake_nic_push(f, len);
    }
    /* runts are dropped, not delivered */
    f[0] = 5;
    fake_nic_push(f, 5);
    f[0] = 13;
    fake_nic_push(f, 13);
    for (i = 0; i < 2; i++) {
        f[0] = (uint8_t)1514;
        fake_nic_push(f, 1514);
    }
    delivered = 0;
    stop_after = -1;
    pump();
    /* 64 reads per readiness: 62 + 2 runts; 2 left for the next one */
    CHECK(delivered == 62 && fake_nic.rx_n == 2,
          "budget: delivered %ld, left %d", delivered, fake_nic.rx_n);
    pump();
    CHECK(delivered == 64 && fake_nic.rx_n == 0 && last_len == 1514,
          "second readiness: delivered %ld, left %d", delivered,
          fake_nic.rx_n);
    CHECK(st->rx_frames == 64 && st->rx_drops == 2 && st->rx_errors == 0,
          "rx stats %llu %llu", (unsigned long long)st->rx_frames,
          (unsigned long long)st->rx_drops);
    /* a failed read ends this round; the frame waits for the next one */
    f[0] = 60;
    fake_nic_push(f, 60);
    fake_nic.fail_reads = 1;
    pump();
    CHECK(st->rx_errors == 1 && delivered == 64 && fake_nic.rx_n == 1,
          "read error: %llu errors, %ld delivered",
          (unsigned long long)st->rx_errors, delivered);
    pump();
    CHECK(delivered == 65 && fake_nic.rx_n == 0, "after the error");
    /* stopping from the callback: no more reads, the loop may end */
    for (i = 0; i < 10; i++) {
        f[0] = 60;
        fake_nic_push(f, 60);
    }
    stop_after = 68;
    pump();
    CHECK(delivered == 68 && fake_nic.rx_n == 7, "stopped at %ld, left %d",
          delivered, fake_nic.rx_n);
    CHECK(mlt_ml_loop_pending() == pending, "stopped is not pending");
    pump();
    CHECK(delivered == 68, "delivered after stop");
    mlt_ml_net_stop(&dev); /* harmless twice */
    CHECK(mlt_ml_loop_pending() == pending, "second stop");
    CHECK(fake_nic.refused == 0, "the platform refused %ld calls",
          fake_nic.refused);
}

/* ---- net-ping --------------------------------------------------------- */

static unsigned get16(const uint8_t *p) { return (unsigned)p[0] << 8 | p[1]; }
static uint32_t get32(const uint8_t *p)
{
    return (uint32_t)get16(p) << 16 | get16(p + 2);
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

static unsigned csum(const uint8_t *p, size_t len)
{
    unsigned long sum = 0;
    for (size_t i = 0; i < len; i++)
        sum += i & 1 ? p[i] : (unsigned)p[i] << 8;
    while (sum >> 16)
        sum = (sum & 0xffff) + (sum >> 16);
    return (unsigned)~sum & 0xffff;
}

static size_t arp_request(uint8_t *f, uint32_t tpa)
{
    memset(f, 0xff, 6);
    memcpy(f + 6, PEER, 6);
    put16(f + 12, 0x0806);
    put16(f + 14, 1);
    put16(f + 16, 0x0800);
    f[18] = 6;
    f[19] = 4;
    put16(f + 20, 1);
    memcpy(f + 22, PEER, 6);
    put32(f + 28, PEER_IP);
    memset(f + 32, 0, 6);
    put32(f + 38, tpa);
    return 42;
}

/* An echo request with optlen bytes of IP options and n payload bytes. */
static size_t echo_request(uint8_t *f, size_t optlen, size_t n, unsigned seq)
{
    uint8_t *ip = f + 14, *ic;
    size_t hlen = 20 + optlen;

    memcpy(f, MAC, 6);
    memcpy(f + 6, PEER, 6);
    put16(f + 12, 0x0800);
    ip[0] = (uint8_t)(0x40 | hlen / 4);
    ip[1] = 0;
    put16(ip + 2, (unsigned)(hlen + 8 + n));
    put16(ip + 4, 0x1234);
    put16(ip + 6, 0x4000);   /* DF */
    ip[8] = 17;
    ip[9] = 1;
    put16(ip + 10, 0);
    put32(ip + 12, PEER_IP);
    put32(ip + 16, MY_IP);
    memset(ip + 20, 1, optlen);  /* NOPs */
    put16(ip + 10, csum(ip, hlen));
    ic = ip + hlen;
    ic[0] = 8;
    ic[1] = 0;
    put16(ic + 2, 0);
    put16(ic + 4, 0xbeef);
    put16(ic + 6, seq);
    for (size_t i = 0; i < n; i++)
        ic[8 + i] = (uint8_t)(i * 7 + seq);
    put16(ic + 2, csum(ic, 8 + n));
    return 14 + hlen + 8 + n;
}

static int check_arp_reply(const uint8_t *r, size_t len, const uint8_t *req)
{
    int before = (int)failures;
    CHECK(len == 60, "ARP reply length %zu", len);
    CHECK(memcmp(r, req + 6, 6) == 0 && memcmp(r + 6, MAC, 6) == 0,
          "ARP reply Ethernet addresses");
    CHECK(get16(r + 12) == 0x0806 && get16(r + 14) == 1 &&
          get16(r + 16) == 0x0800 && r[18] == 6 && r[19] == 4 &&
          get16(r + 20) == 2, "ARP reply header");
    CHECK(memcmp(r + 22, MAC, 6) == 0 && get32(r + 28) == MY_IP,
          "ARP reply sender");
    CHECK(memcmp(r + 32, req + 22, 6) == 0 &&
          memcmp(r + 38, req + 28, 4) == 0, "ARP reply target");
    return (int)failures == before;
}

static int check_echo_reply(const uint8_t *r, size_t len, const uint8_t *req,
                            size_t reqlen)
{
    int before = (int)failures;
    size_t rhlen = (size_t)(req[14] & 15) * 4;
    size_t ilen = reqlen - 14 - rhlen;
    const uint8_t *ip = r + 14, *ic = r + 34;

    CHECK(len == (34 + ilen < 60 ? 60 : 34 + ilen), "echo reply length %zu",
          len);
    CHECK(memcmp(r, req + 6, 6) == 0 && memcmp(r + 6, MAC, 6) == 0 &&
          get16(r + 12) == 0x0800, "echo reply Ethernet header");
    CHECK(ip[0] == 0x45 && get16(ip + 2) == 20 + ilen && ip[9] == 1 &&
          ip[8] == 64 && (get16(ip + 6) & 0x3fff) == 0,
          "echo reply IPv4 header");
    CHECK(csum(ip, 20) == 0, "echo reply IPv4 checksum");
    CHECK(get32(ip + 12) == MY_IP && get32(ip + 16) == PEER_IP,
          "echo reply addresses");
    CHECK(ic[0] == 0 && ic[1] == 0 && csum(ic, ilen) == 0,
          "echo reply ICMP type/checksum");
    CHECK(memcmp(ic + 4, req + 14 + rhlen + 4, ilen - 4) == 0,
          "echo reply id, sequence, data");
    return (int)failures == before;
}

static struct devices devs;
static struct args args;

static int ping_start(uint32_t ip, int64_t limit)
{
    struct ml_net_config cfg = { .name = "service" };
    mlt_ml_heap_init((uintptr_t)region, sizeof region);
    nic_reset(1500);
    CHECK(mlt_ml_net_init(&devs.service, &cfg) == 0, "init");
    args.ipv4.addr = ip;
    args.ipv4.prefix = 24;
    args.limit = limit;
    return mlt_start(&devs, &args);
}

/* Leaves the len bytes of f in the device's receive buffer, behind an
 * ethertype nothing answers: a truncated copy fed next then finds the
 * rest of itself there, so only the length checks can refuse it. */
static void prime(const uint8_t *f, size_t len)
{
    static uint8_t p[1600];
    memcpy(p, f, len);
    put16(p + 12, 0x88b5);  /* local experimental */
    fake_nic_push(p, len);
    pump();
}

/* Feeds one frame through the loop; returns how many frames it sent. */
static int feed(const uint8_t *f, size_t len)
{
    int before = fake_nic.tx_n;
    fake_nic_push(f, len);
    pump();
    return fake_nic.tx_n - before;
}

static void test_ping(long nrandom)
{
    static uint8_t f[1600], g[1600];
    size_t len, cut;
    int replies, i;

    console_reset();
    CHECK(ping_start(MY_IP, 0) == 0, "start");
    CHECK(strstr(console, "10.0.0.2/24 on service, MAC "
                          "02:11:22:33:44:55, MTU 1500") != NULL,
          "start-up line: %s", console);
    /* the gratuitous ARP */
    CHECK(fake_nic.tx_n == 1, "gratuitous ARP: %d frames", fake_nic.tx_n);
    {
        const uint8_t *r = fake_nic.tx[0];
        static const uint8_t zero[6], bc[6] = { 255, 255, 255, 255, 255, 255 };
        CHECK(fake_nic.tx_len[0] == 60 && memcmp(r, bc, 6) == 0 &&
              memcmp(r + 6, MAC, 6) == 0 && get16(r + 12) == 0x0806 &&
              get16(r + 20) == 1 && memcmp(r + 22, MAC, 6) == 0 &&
              get32(r + 28) == MY_IP && memcmp(r + 32, zero, 6) == 0 &&
              get32(r + 38) == MY_IP, "gratuitous ARP content");
    }

    /* ARP */
    len = arp_request(f, MY_IP);
    CHECK(feed(f, len) == 1, "ARP request not answered");
    check_arp_reply(fake_nic.tx[fake_nic.tx_n - 1],
                    fake_nic.tx_len[fake_nic.tx_n - 1], f);
    memset(f + len, 0, 18);
    CHECK(feed(f, 60) == 1, "padded ARP request not answered");
    memcpy(f, MAC, 6);
    CHECK(feed(f, 60) == 1, "unicast ARP request not answered");
    len = arp_request(f, MY_IP + 1);
    CHECK(feed(f, len) == 0, "ARP for another address answered");
    for (cut = 0; cut < 42; cut++) {
        arp_request(f, MY_IP);
        prime(f, 42);
        CHECK(feed(f, cut) == 0, "ARP truncated to %zu answered", cut);
    }
    for (i = 0; i < 42; i++) {
        if (i >= 6 && i < 12)
            continue;   /* the Ethernet source does not matter */
        arp_request(f, MY_IP);
        f[i] ^= 0x5a;   /* keeps the sender MAC unicast */
        replies = feed(f, 42);
        if (i >= 22 && i < 32)
            CHECK(replies == 1, "ARP sender changed at %d not answered", i);
        else if (i >= 32 && i < 38)
            CHECK(replies == 1, "ARP target MAC changed at %d not answered", i);
        else
            CHECK(replies == 0, "ARP corrupted at byte %d answered", i);
    }
    arp_request(f, MY_IP);
    f[22] |= 1;
    CHECK(feed(f, 42) == 0, "ARP from a multicast sender answered");

    /* echo */
    {
        static const struct { size_t opt, n; } cases[] = {
            { 0, 56 }, { 0, 0 }, { 0, 1 }, { 0, 57 }, { 4, 56 }, { 40, 3 },
            { 0, 1472 }, { 8, 1464 },
        };
        for (i = 0; i < (int)(sizeof cases / sizeof cases[0]); i++) {
            len = echo_request(f, cases[i].opt, cases[i].n, (unsigned)i);
            CHECK(feed(f, len) == 1, "echo %zu+%zu not answered",
                  cases[i].opt, cases[i].n);
            CHECK(check_echo_reply(fake_nic.tx[fake_nic.tx_n - 1],
                                   fake_nic.tx_len[fake_nic.tx_n - 1], f,
                                   len),
                  "echo reply %d", i);
        }
    }
    /* Ethernet padding after the IPv4 packet is fine */
    len = echo_request(f, 0, 4, 9);
    memset(f + len, 0, 60 - len);
    CHECK(feed(f, 60) == 1, "padded echo not answered");
    check_echo_reply(fake_nic.tx[fake_nic.tx_n - 1],
                     fake_nic.tx_len[fake_nic.tx_n - 1], f, len);

    /* every truncation and every single-byte corruption is ignored,
     * except in the Ethernet source and the ICMP identifier/sequence/data
     * with the checksum fixed up (those are a different valid request) */
    len = echo_request(g, 4, 33, 1);
    for (cut = 0; cut < len; cut++) {
        memcpy(f, g, len);
        prime(f, len);
        CHECK(feed(f, cut) == 0, "echo truncated to %zu answered", cut);
    }
    for (i = 0; i < (int)len; i++) {
        if (i >= 6 && i < 12)
            continue;
        memcpy(f, g, len);
        f[i] ^= (uint8_t)(1u << (i % 8));
        CHECK(feed(f, len) == 0, "echo corrupted at byte %d answered", i);
    }
    /* valid checksums, wrong content */
    {
        struct { int at; uint8_t v; const char *what; } bad[] = {
            { 14, 0x44, "ihl 4" }, { 14, 0x65, "version 6" },
            { 20, 0x20, "MF" }, { 21, 0x08, "fragment offset" },
            { 23, 17, "UDP" }, { 26, 0xe0, "multicast source" },
            { 26, 0, "zero source" }, { 30, 10, "another destination" },
            { 34, 13, "ICMP type 13" }, { 34, 0, "an echo reply" },
            { 35, 1, "ICMP code 1" },
        };
        for (i = 0; i < (int)(sizeof bad / sizeof bad[0]); i++) {
            size_t hl;
            len = echo_request(f, 0, 20, 2);
            f[bad[i].at] = bad[i].v;
            if (bad[i].at == 26 && bad[i].v == 0)
                put32(f + 26, 0);
            if (bad[i].at == 30)
                put32(f + 30, MY_IP + 1);
            hl = (size_t)(f[14] & 15) * 4;
            put16(f + 24, 0);
            put16(f + 24, csum(f + 14, hl < 20 ? 20 : hl));
            put16(f + 36, 0);
            put16(f + 36, csum(f + 34, len - 34));
            CHECK(feed(f, len) == 0, "echo with %s answered", bad[i].what);
        }
        len = echo_request(f, 0, 20, 2);
        put16(f + 16, (unsigned)(len - 14 + 1));   /* total beyond frame */
        put16(f + 24, 0);
        put16(f + 24, csum(f + 14, 20));
        CHECK(feed(f, len) == 0, "IPv4 total length beyond the frame answered");
        len = echo_request(f, 0, 0, 2);
        put16(f + 16, 20 + 4);    /* ICMP of 4 bytes, checksum right */
        put16(f + 24, 0);
        put16(f + 24, csum(f + 14, 20));
        put16(f + 36, 0);
        put16(f + 36, csum(f + 34, 4));
        CHECK(feed(f, len) == 0, "4-byte ICMP answered");
        len = echo_request(f, 0, 20, 2);
        memset(f, 0xff, 6);
        CHECK(feed(f, len) == 0, "broadcast echo answered");
    }
    /* random frames: to us or broadcast, ARP, IPv4 or other */
    for (long k = 0; k < nrandom; k++) {
        size_t n = 14 + (size_t)(rnd() % 1501);
        for (size_t j = 0; j < n; j++)
            f[j] = (uint8_t)rnd();
        if (k & 1)
            memcpy(f, MAC, 6);
        else
            memset(f, 0xff, 6);
        put16(f + 12, k % 3 == 0 ? 0x0800 : k % 3 == 1 ? 0x0806 : 0x86dd);
        CHECK(feed(f, n) == 0, "random frame %ld answered", k);
    }
    CHECK(fake_nic.refused == 0, "the platform refused %ld calls",
          fake_nic.refused);
    CHECK(devs.service.stats.tx_drops == 0, "tx drops");
    mlt_ml_net_stop(&devs.service);

    /* --limit=2: two replies, then it stops listening */
    console_reset();
    {
        unsigned long pending;
        CHECK(ping_start(MY_IP, 2) == 0, "start with --limit");
        pending = mlt_ml_loop_pending();
        len = echo_request(f, 0, 8, 1);
        CHECK(feed(f, len) == 1, "first echo");
        len = arp_request(f, MY_IP);
        CHECK(feed(f, len) == 1, "ARP does not count");
        len = echo_request(f, 0, 8, 2);
        fake_nic_push(f, len);
        fake_nic_push(f, len);
        pump();
        CHECK(fake_nic.tx_n == 4, "after the limit: %d frames", fake_nic.tx_n);
        CHECK(fake_nic.rx_n == 1, "read after the limit");
        CHECK(mlt_ml_loop_pending() == pending - 1, "still listening");
        CHECK(strstr(console, "2 echo replies sent, exiting") != NULL,
              "limit message: %s", console);
    }

    /* argument checks */
    CHECK(ping_start(0, 0) == 2, "0.0.0.0 accepted");
    CHECK(ping_start(0xe0000001u, 0) == 2, "multicast address accepted");
    CHECK(ping_start(0xffffffffu, 0) == 2, "broadcast address accepted");
    CHECK(ping_start(MY_IP, -1) == 2, "negative limit accepted");
    CHECK(mlt_ml_loop_pending() == 0, "refused starts left work pending");
}

int main(int argc, char **argv)
{
    long nrandom = argc > 1 ? strtol(argv[1], NULL, 0) : 1000;

    test_device();
    test_ping(nrandom);
    return report("net");
}

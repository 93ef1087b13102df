/* libFuzzer target: the network stack's receive path (share/lib/net),
 * with frames straight into ml_stack_input on a fake net device and a
 * fake clock, under ASan/UBSan (and LeakSanitizer).
 *
 * Each input runs a fresh stack (10.0.0.2/24, gateway 10.0.0.254) with a
 * TCP echo listener on port 80 (backlog 4), a TCP sink on 81 that stops
 * reading, a UDP echo socket on 7, and one active connection to
 * 10.0.0.1:9000. The input is a list of operations:
 *   0x00-0xef  a frame: 2 bytes of length, then the frame; an odd
 *              opcode first fixes the IPv4 header and the TCP/UDP/ICMP
 *              checksums, so inputs reach past them; with bit 1 set, a
 *              TCP segment's ACK field is taken as relative to the last
 *              SYN the stack sent, as are the edges of SACK blocks, and a
 *              destination port 0 becomes that SYN's source port (so seeds
 *              can complete handshakes and acknowledge selectively with
 *              sequence numbers they cannot know); a UDP datagram to
 *              port 68 gets the transaction id of the stack's last DHCP
 *              message
 * An input starting with 0xdc runs the stack with DHCP instead of a static
 * address (the byte is not an operation).
 *   0xf0-0xfe  time passes: 2^(op & 15) ms
 *   0xff       the application acts: write, shutdown, close or abort
 *              on the newest connection, by the next byte
 * At the end time runs on for 10 minutes and the stack is torn down:
 * every timer must be stopped and (LeakSanitizer) every byte freed.
 * Oracles besides the sanitizers: no frame sent is longer than the MTU,
 * every IPv4 packet sent has a valid header and (unfragmented) a valid
 * TCP/UDP/ICMP checksum, and ml_timer_count() is 0 after ml_stack_fini. */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <mirleft/clock.h>
#include <mirleft/log.h>
#include <mirleft/random.h>
#include <mirleft/net.h>
#include <mirleft/stack.h>
#include <mirleft/tcp.h>
#include <mirleft/timer.h>
#include <mirleft/udp.h>

/* ---- the fake platform and runtime ---- */

static ml_time_t now_ns = 1;
enum ml_log_level ml_log_threshold = ML_LOG_ERROR;

void ml_log(enum ml_log_level level, const char *fmt, ...)
{
    (void)level;
    (void)fmt;
}

ml_time_t ml_plat_clock_monotonic(void) { return now_ns; }
ml_time_t ml_clock_monotonic(void) { return now_ns; }
ml_time_t ml_clock_wall(void) { return 1700000000ULL * ML_SEC + now_ns; }

/* The random generator (share/runtime/random.c is seeded from hardware):
 * here a fixed sequence restarted for every input, so that an input
 * replays the same run (same ISNs, ports, ids) every time. */
static uint64_t rnd_state;

void ml_random_bytes(void *buf, size_t len)
{
    uint8_t *p = buf;
    while (len--) {
        uint64_t z = (rnd_state += 0x9e3779b97f4a7c15ULL);
        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
        z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
        *p++ = (uint8_t)(z ^ (z >> 31));
    }
}
uint32_t ml_random_u32(void)
{
    uint32_t x;
    ml_random_bytes(&x, sizeof x);
    return x;
}
uint32_t ml_random_below(uint32_t bound) { return bound ? ml_random_u32() % bound : 0; }
int ml_random_hardware(void) { return 1; }

static const uint8_t MAC[6] = { 2, 0, 0, 0, 0, 2 };
static const uint8_t PEER[6] = { 2, 0, 0, 0, 0, 1 };
#define MTU 1500
static unsigned long frames_out;
static uint32_t last_iss, last_xid;
static uint16_t last_sport;

static void check_sent(const uint8_t *f, size_t len);

const uint8_t *ml_net_mac(const struct ml_net *dev) { (void)dev; return MAC; }
size_t ml_net_mtu(const struct ml_net *dev) { (void)dev; return MTU; }
int ml_net_listen(struct ml_net *dev, ml_net_rx_fn rx, void *arg)
{
    dev->rx = rx;
    dev->rx_arg = arg;
    dev->listening = true;
    return 0;
}
void ml_net_stop(struct ml_net *dev) { dev->listening = false; }
int ml_net_write(struct ml_net *dev, const void *frame, size_t len)
{
    (void)dev;
    if (len < ML_NET_HLEN || len > MTU + ML_NET_HLEN) {
        fprintf(stderr, "fuzz_net: a %zu-byte frame sent\n", len);
        abort();
    }
    const uint8_t *f = frame;
    volatile uint8_t sink = f[len - 1]; /* ASan: all of it readable */
    (void)sink;
    if (len >= 54 && f[12] == 8 && f[13] == 0 && f[23] == 6 && (f[14 + 20 + 13] & 2)) {
        const uint8_t *t = f + 34;
        last_iss = (uint32_t)t[4] << 24 | (uint32_t)t[5] << 16 | (uint32_t)t[6] << 8 | t[7];
        last_sport = (uint16_t)(t[0] << 8 | t[1]);
    }
    if (len >= 14 + 20 + 8 + 8 && f[12] == 8 && f[13] == 0 && f[23] == 17 &&
        f[34] == 0 && f[35] == 68) /* a DHCP message from the client */
        last_xid = (uint32_t)f[46] << 24 | (uint32_t)f[47] << 16 |
                   (uint32_t)f[48] << 8 | f[49];
    check_sent(f, len);
    frames_out++;
    return 0;
}

static uint16_t sum16(const uint8_t *p, size_t n, uint32_t s);

/* An IPv4 packet the stack sends must be well formed. */
static void check_sent(const uint8_t *f, size_t len)
{
    const uint8_t *ip = f + 14;
    size_t hl, tot;

    if (len < 14 || f[12] != 8 || f[13] != 0)
        return;
    if (len < 34 || ip[0] != 0x45 || sum16(ip, 20, 0) != 0)
        goto bad;
    hl = 20;
    tot = (size_t)ip[2] << 8 | ip[3];
    if (tot < hl || 14 + tot > len)
        goto bad;
    if ((ip[6] & 0x3f) || ip[7])
        return; /* a fragment: the transport checksum spans several */
    const uint8_t *l4 = ip + hl;
    size_t n = tot - hl;
    uint32_t ph = ((uint32_t)ip[12] << 8 | ip[13]) + ((uint32_t)ip[14] << 8 | ip[15]) +
                  ((uint32_t)ip[16] << 8 | ip[17]) + ((uint32_t)ip[18] << 8 | ip[19]) +
                  ip[9] + (uint32_t)n;
    if ((ip[9] == 6 || ip[9] == 17) && sum16(l4, n, ph) != 0)
        goto bad;
    if (ip[9] == 1 && sum16(l4, n, 0) != 0)
        goto bad;
    return;
bad:
    fprintf(stderr, "fuzz_net: a malformed IPv4 packet sent (%zu bytes)\n", len);
    abort();
}

static void advance(ml_time_t dt)
{
    ml_time_t end = now_ns + dt;
    struct ml_timer *t;

    while ((t = ml_timer_first()) && ml_timer_deadline(t) <= end) {
        now_ns = ml_timer_deadline(t);
        ml_timer_run_due(now_ns);
    }
    now_ns = end;
}

/* ---- checksum fix-ups, so mutations get past them ---- */

static uint16_t sum16(const uint8_t *p, size_t n, uint32_t s)
{
    for (size_t i = 0; i + 1 < n; i += 2)
        s += (uint32_t)p[i] << 8 | p[i + 1];
    if (n & 1)
        s += (uint32_t)p[n - 1] << 8;
    while (s >> 16)
        s = (s & 0xffff) + (s >> 16);
    return (uint16_t)~s;
}

static void relative(uint8_t *f, size_t len)
{
    uint8_t *ip = f + 14, *t;
    size_t hl;
    uint32_t ack;

    if (len < 34 || f[12] != 8 || f[13] != 0)
        return;
    hl = (size_t)(ip[0] & 15) * 4;
    if (ip[9] == 17 && hl >= 20 && 14 + hl + 8 + 8 <= len &&
        ip[hl + 2] == 0 && ip[hl + 3] == 68) {
        uint8_t *x = ip + hl + 8 + 4;
        x[0] = (uint8_t)(last_xid >> 24);
        x[1] = (uint8_t)(last_xid >> 16);
        x[2] = (uint8_t)(last_xid >> 8);
        x[3] = (uint8_t)last_xid;
        return;
    }
    if (ip[9] != 6)
        return;
    if (hl < 20 || 14 + hl + 20 > len)
        return;
    t = ip + hl;
    ack = ((uint32_t)t[8] << 24 | (uint32_t)t[9] << 16 | (uint32_t)t[10] << 8 | t[11]) + last_iss;
    t[8] = (uint8_t)(ack >> 24);
    t[9] = (uint8_t)(ack >> 16);
    t[10] = (uint8_t)(ack >> 8);
    t[11] = (uint8_t)ack;
    if (t[2] == 0 && t[3] == 0) {
        t[2] = (uint8_t)(last_sport >> 8);
        t[3] = (uint8_t)last_sport;
    }
    /* SACK block edges (option 5), relative like the ACK */
    size_t thl = (size_t)(t[12] >> 4) * 4;
    if (thl < 20 || 14 + hl + thl > len)
        return;
    for (size_t k = 20; k + 1 < thl && t[k] != 0;) {
        if (t[k] == 1) {
            k++;
            continue;
        }
        if (t[k + 1] < 2 || k + t[k + 1] > thl)
            break;
        if (t[k] == 5)
            for (size_t e = k + 2; e + 4 <= k + t[k + 1]; e += 4) {
                uint32_t v = ((uint32_t)t[e] << 24 | (uint32_t)t[e + 1] << 16 |
                              (uint32_t)t[e + 2] << 8 | t[e + 3]) + last_iss;
                t[e] = (uint8_t)(v >> 24);
                t[e + 1] = (uint8_t)(v >> 16);
                t[e + 2] = (uint8_t)(v >> 8);
                t[e + 3] = (uint8_t)v;
            }
        k += t[k + 1];
    }
}

static void fix(uint8_t *f, size_t len)
{
    uint8_t *ip = f + 14;
    size_t hl, tot;

    if (len < 34 || f[12] != 8 || f[13] != 0)
        return;
    hl = (size_t)(ip[0] & 15) * 4;
    tot = (size_t)ip[2] << 8 | ip[3];
    if (hl < 20 || 14 + hl > len)
        return;
    ip[10] = ip[11] = 0;
    uint16_t c = sum16(ip, hl, 0);
    ip[10] = (uint8_t)(c >> 8);
    ip[11] = (uint8_t)c;
    if (tot < hl || 14 + tot > len || (ip[6] & 0x3f) || ip[7])
        return; /* fragments: leave the payload alone */
    uint8_t *l4 = ip + hl;
    size_t n = tot - hl;
    uint32_t ph = ((uint32_t)ip[12] << 8 | ip[13]) + ((uint32_t)ip[14] << 8 | ip[15]) +
                  ((uint32_t)ip[16] << 8 | ip[17]) + ((uint32_t)ip[18] << 8 | ip[19]) +
                  ip[9] + (uint32_t)n;
    size_t at;
    if (ip[9] == 6 && n >= 20)
        at = 16;
    else if (ip[9] == 17 && n >= 8)
        at = 6;
    else if (ip[9] == 1 && n >= 4) {
        l4[2] = l4[3] = 0;
        c = sum16(l4, n, 0);
        l4[2] = (uint8_t)(c >> 8);
        l4[3] = (uint8_t)c;
        return;
    } else
        return;
    l4[at] = l4[at + 1] = 0;
    c = sum16(l4, n, ph);
    l4[at] = (uint8_t)(c >> 8);
    l4[at + 1] = (uint8_t)c;
}

/* ---- the applications ---- */

static struct ml_tcp_conn *newest;

static size_t echo_recv(struct ml_tcp_conn *c, const uint8_t *d, size_t n, void *a)
{
    (void)a;
    long w = ml_tcp_write(c, d, n);
    return w < 0 ? n : (size_t)w;
}
static size_t sink_recv(struct ml_tcp_conn *c, const uint8_t *d, size_t n, void *a)
{
    (void)c;
    (void)d;
    (void)a;
    return n > 100 ? 100 : 0; /* a slow reader */
}
static void on_eof(struct ml_tcp_conn *c, void *a) { (void)a; if (c == newest) newest = NULL; ml_tcp_close(c); }
static void on_writable(struct ml_tcp_conn *c, void *a) { (void)a; ml_tcp_read_resume(c); }
static void on_closed(struct ml_tcp_conn *c, int e, void *a) { (void)e; (void)a; if (c == newest) newest = NULL; }
static void on_connected(struct ml_tcp_conn *c, void *a) { (void)a; ml_tcp_write(c, "hello", 5); }

static const struct ml_tcp_callbacks echo_cb = {
    .connected = on_connected, .recv = echo_recv, .eof = on_eof,
    .writable = on_writable, .closed = on_closed,
};
static const struct ml_tcp_callbacks sink_cb = {
    .recv = sink_recv, .eof = on_eof, .closed = on_closed,
};

static void on_accept(struct ml_tcp_listener *l, struct ml_tcp_conn *c, void *a)
{
    ml_tcp_set_callbacks(c, a ? &sink_cb : &echo_cb, NULL);
    ml_tcp_keepalive(c, 30, 5, 3);
    newest = c;
    (void)l;
}

static void udp_echo(struct ml_udp_sock *s, ml_ipv4_addr_t src, uint16_t sport,
                     const uint8_t *d, size_t n, void *a)
{
    (void)a;
    ml_udp_sendto(s, src, sport, d, n);
}

/* An ICMP error about a datagram we sent: answer it, which must be safe. */
static void udp_error(struct ml_udp_sock *s, ml_ipv4_addr_t dst, uint16_t dport,
                      int err, void *a)
{
    (void)err;
    (void)a;
    ml_udp_sendto(s, dst, dport, "?", 1);
}

static void app_act(uint8_t how)
{
    static const uint8_t blob[3000];

    if (!newest)
        return;
    switch (how % 5) {
    case 0:
        ml_tcp_write(newest, blob, 1 + how * 11u);
        break;
    case 1:
        ml_tcp_shutdown(newest);
        break;
    case 2:
        ml_tcp_close(newest);
        newest = NULL;
        break;
    case 3:
        ml_tcp_abort(newest);
        newest = NULL;
        break;
    case 4:
        ml_tcp_nodelay(newest, how & 8);
        ml_tcp_read_resume(newest);
        break;
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct ml_net net = { .name = "service" };
    struct ml_stack st;
    struct ml_stack_config cfg = {
        .name = "stack", .ipv4 = { 0x0a000002, 24 }, .gateway = 0x0a0000fe,
        .net = &net,
    };
    struct ml_tcp_listener l80, l81;
    struct ml_udp_sock u7;
    struct ml_tcp_conn *active;
    size_t i = 0;

    now_ns = 1;
    rnd_state = 1;
    newest = NULL;
    last_xid = 0;
    if (size && data[0] == 0xdc) {
        cfg.dhcp = true;
        i = 1;
    }
    last_iss = 0;
    last_sport = 0;
    if (ml_stack_init(&st, &cfg) != 0)
        abort();
    /* the peer's MAC, so replies go out instead of waiting on ARP */
    uint8_t arp[42] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 2, 0, 0, 0, 0, 1,
                        8, 6, 0, 1, 8, 0, 6, 4, 0, 1, 2, 0, 0, 0, 0, 1,
                        10, 0, 0, 1, 0, 0, 0, 0, 0, 0, 10, 0, 0, 2 };
    (void)PEER;
    ml_stack_input(&st, arp, sizeof arp);
    ml_tcp_set_buffers(&st, 4096, 4096); /* small: window edges are reachable */
    ml_tcp_listen(&l80, &st, 80, 4, on_accept, NULL);
    ml_tcp_listen(&l81, &st, 81, 4, on_accept, &l81);
    ml_udp_bind(&u7, &st, 7, udp_echo, NULL);
    ml_udp_on_error(&u7, udp_error);
    ml_tcp_connect(&st, 0x0a000001, 9000, &echo_cb, NULL, &active);

    while (i < size) {
        uint8_t op = data[i++];
        if (op == 0xff) {
            if (i < size)
                app_act(data[i++]);
        } else if (op >= 0xf0) {
            advance(((ml_time_t)1 << (op & 15)) * ML_MS);
        } else {
            size_t n;
            if (i + 2 > size)
                break;
            n = ((size_t)data[i] << 8 | data[i + 1]) % (MTU + ML_NET_HLEN + 1);
            i += 2;
            if (n > size - i)
                n = size - i;
            uint8_t *f = malloc(n ? n : 1); /* exact size: ASan sees overreads */
            memcpy(f, data + i, n);
            i += n;
            if (op & 2)
                relative(f, n);
            if (op & 1)
                fix(f, n);
            ml_stack_input(&st, f, n);
            if (getenv("FUZZ_NET_VERBOSE"))
                fprintf(stderr, "fuzz_net: frame of %zu, address %08x, udp rx %llu, ip bad %llu\n", n, (unsigned)ml_stack_addr(&st), (unsigned long long)ml_stack_stats(&st)->udp_rx, (unsigned long long)ml_stack_stats(&st)->ip_bad);
            free(f);
        }
    }
    advance(600 * ML_SEC);
    if (getenv("FUZZ_NET_VERBOSE")) {
        const struct ml_stack_stats *ss = ml_stack_stats(&st);
        fprintf(stderr, "fuzz_net: frames out %lu, tcp rx %llu accepts %llu "
                "retransmits %llu rst sent %llu, udp rx %llu, reassembled %llu, echo %llu\n",
                frames_out, (unsigned long long)ss->tcp_rx,
                (unsigned long long)ss->tcp_accepts,
                (unsigned long long)ss->tcp_retransmits,
                (unsigned long long)ss->tcp_rst_sent,
                (unsigned long long)ss->udp_rx,
                (unsigned long long)ss->ip_reassembled,
                (unsigned long long)ss->icmp_echo);
        fprintf(stderr, "fuzz_net: address %08x, ip rx %llu bad %llu, icmp errors %llu\n", (unsigned)ml_stack_addr(&st), (unsigned long long)ss->ip_rx, (unsigned long long)ss->ip_bad, (unsigned long long)ss->icmp_errors);
    }
    ml_tcp_unlisten(&l80);
    ml_tcp_unlisten(&l81);
    ml_udp_close(&u7);
    ml_stack_fini(&st);
    if (ml_timer_count() != 0) {
        fprintf(stderr, "fuzz_net: %zu timers outlive the stack\n", ml_timer_count());
        abort();
    }
    return 0;
}

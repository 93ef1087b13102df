/* TCP (RFC 9293) with RFC 6298 retransmission timing, RFC 5681/6582
 * congestion control (slow start, fast retransmit, NewReno recovery),
 * RFC 7323 window scaling, RFC 2018 SACK (blocks for the out-of-order
 * data we hold; the peer's blocks let recovery resend each known hole on
 * the next duplicate ACK, a simplified RFC 6675),
 * RFC 5961 reset/SYN/ACK validation, RFC 1122 delayed ACKs, Nagle,
 * persist and keepalive.
 *
 * Memory: a connection in the handshake is one struct tcb (no buffers);
 * established, it gets a send and a receive ring. Out-of-order data is
 * written straight into the receive ring at its place, with the ranges
 * kept in a small fixed array, so whatever a peer sends the connection
 * never holds more than its receive buffer. TIME-WAIT connections drop
 * their buffers, and at most ML_TCP_TIMEWAIT_MAX are kept (oldest first
 * out).
 *
 * Lifetime: a tcb is freed by tcb_destroy, but only once no caller up the
 * stack still uses it (c->busy); entry points hold the tcb around their
 * work, and after every application callback check c->dead. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <mirleft/log.h>
#include <mirleft/tcp.h>
#include "stack_priv.h"

#define TCP_HLEN 20
#define F_FIN 0x01
#define F_SYN 0x02
#define F_RST 0x04
#define F_PSH 0x08
#define F_ACK 0x10
#define F_URG 0x20

#define SEQ_LT(a, b) ((int32_t)((a) - (b)) < 0)
#define SEQ_LEQ(a, b) ((int32_t)((a) - (b)) <= 0)
#define SEQ_GT(a, b) ((int32_t)((a) - (b)) > 0)
#define SEQ_GEQ(a, b) ((int32_t)((a) - (b)) >= 0)

#define RTO_INIT ML_SEC
/* RFC 6298 2.4 says 1 s; like deployed stacks we use less, since our
 * links are short and a 1 s stall per loss would dominate. */
#define RTO_MIN (200 * ML_MS)
#define RTO_MAX (60 * ML_SEC)
#define SYN_RETRIES 6
#define DATA_RETRIES 12
#define DACK_DELAY (40 * ML_MS)       /* RFC 9293: at most 0.5 s */
#define FIN_WAIT_2_TIMEOUT (60 * ML_SEC)
#define OOO_RANGES 8
#define HASH_SIZE 512
#define WSCALE_MAX 14
#define DEFAULT_MSS 536
#define CHALLENGE_PER_S 100

enum state {
    CLOSED, SYN_SENT, SYN_RCVD, ESTABLISHED, FIN_WAIT_1, FIN_WAIT_2,
    CLOSE_WAIT, CLOSING, LAST_ACK, TIME_WAIT
};

enum tmode { T_NONE, T_RTX, T_PERSIST, T_TIMEWAIT, T_FINWAIT2 };

struct range {
    uint32_t start, end; /* sequence numbers, [start, end) */
};

struct ml_tcp_conn {
    struct ml_tcp_conn *hnext;          /* hash chain */
    struct ml_tcp_conn *prev, *next;    /* all connections */
    struct ml_tcp_conn *twnext;         /* TIME-WAIT FIFO */
    struct ml_stack_priv *p;
    struct ml_tcp_listener *listener;   /* in SYN-RCVD from a listener */
    ml_ipv4_addr_t raddr;
    uint16_t lport, rport;
    enum state state;

    /* send side */
    uint32_t iss, snd_una, snd_nxt, snd_max, snd_wl1, snd_wl2;
    uint32_t snd_wnd, snd_maxwnd;
    uint32_t snd_data;          /* sequence number of sbuf[shead] */
    uint8_t *sbuf;
    size_t scap, shead, slen;
    uint16_t mss;               /* largest segment we send */
    uint8_t snd_shift, rcv_shift;
    bool ws_ok, fin_queued, syn_acked;
    bool sack_ok;               /* both sides sent SACK-permitted */
    /* congestion control */
    uint32_t cwnd, ssthresh, recover;
    unsigned dupacks;
    bool in_recovery;
    /* RTT */
    ml_time_t srtt, rttvar, rto;
    bool timing;
    uint32_t rtt_seq;
    ml_time_t rtt_start;
    unsigned retries;
    int soft_err;               /* the last ICMP error: why, on a timeout */

    /* receive side */
    uint32_t irs, rcv_nxt, rcv_adv;
    uint8_t *rbuf;
    size_t rcap, rhead, rlen;   /* rlen: in-order bytes not yet consumed */
    struct range ooo[OOO_RANGES];
    unsigned nooo;
    uint32_t sack_recent;       /* start of the newest out-of-order segment */
    /* what the peer says it holds beyond snd_una (its SACK blocks), and
     * where the search for the next hole to resend resumes in recovery */
    struct range sacked[4];
    unsigned nsacked;
    uint32_t rtx_next;
    unsigned unacked_segs;
    bool fin_rcvd, eof_told, paused, delivering, ack_now;

    /* timers */
    struct ml_timer rtx, dack, keep;
    enum tmode tmode;
    ml_time_t last_rx;
    unsigned keep_idle, keep_intvl, keep_count, keep_sent;

    /* the application */
    struct ml_tcp_callbacks cb;
    void *arg;
    bool released;              /* close/abort/closed: no more callbacks */
    bool want_writable;
    bool nodelay;
    bool dead;
    unsigned busy;
};

struct tcp_state {
    struct ml_tcp_conn *hash[HASH_SIZE];
    struct ml_tcp_conn *all;
    struct ml_tcp_conn *tw_head, *tw_tail;
    struct ml_tcp_listener *listeners;
    size_t sndbuf, rcvbuf;
    uint8_t isn_key[ML_SIPHASH_KEY_LEN];    /* RFC 6528's secretkey */
    uint8_t cookie_key[ML_SIPHASH_KEY_LEN]; /* a separate one for cookies */
    ml_time_t challenge_at;
    unsigned challenge_n;
};

/* The message the keyed hashes take: local address and port, then the
 * peer's, big-endian (RFC 6528's F(localip, localport, remoteip,
 * remoteport, secretkey)). */
static void tuple_bytes(uint8_t m[12], ml_ipv4_addr_t laddr, uint16_t lport,
                        ml_ipv4_addr_t raddr, uint16_t rport)
{
    put32(m, laddr);
    put16(m + 4, lport);
    put32(m + 6, raddr);
    put16(m + 10, rport);
}

/* A parsed incoming segment. */
struct seg {
    ml_ipv4_addr_t src;
    uint16_t sport, dport;
    uint32_t seq, ack;
    uint8_t flags;
    uint32_t wnd;
    const uint8_t *data;
    size_t len;                 /* data bytes */
    uint16_t mss;               /* options (SYN only) */
    int wscale;                 /* -1: absent */
    bool sack_perm;             /* SACK-permitted (RFC 2018) */
    struct range sack[4];       /* SACK blocks (any segment) */
    unsigned nsack;
};

static void tcp_output(struct ml_tcp_conn *c);
static void rtx_fire(struct ml_timer *t, void *arg);
static void dack_fire(struct ml_timer *t, void *arg);
static void keep_fire(struct ml_timer *t, void *arg);

/* ---- lifetime ---- */

static void hold(struct ml_tcp_conn *c)
{
    c->busy++;
}

static void unhold(struct ml_tcp_conn *c)
{
    if (--c->busy == 0 && c->dead)
        free(c);
}

static unsigned hash4(ml_ipv4_addr_t a, uint16_t rport, uint16_t lport)
{
    uint32_t h = a ^ ((uint32_t)rport << 16 | lport);
    h ^= h >> 16;
    h *= 0x7feb352d;
    h ^= h >> 15;
    return h % HASH_SIZE;
}

static struct ml_tcp_conn *lookup(struct tcp_state *t, ml_ipv4_addr_t a,
                                  uint16_t rport, uint16_t lport)
{
    struct ml_tcp_conn *c = t->hash[hash4(a, rport, lport)];

    for (; c; c = c->hnext)
        if (c->raddr == a && c->rport == rport && c->lport == lport)
            return c;
    return NULL;
}

static void tw_unlink(struct tcp_state *t, struct ml_tcp_conn *c)
{
    struct ml_tcp_conn **pp;

    for (pp = &t->tw_head; *pp; pp = &(*pp)->twnext)
        if (*pp == c) {
            *pp = c->twnext;
            if (t->tw_tail == c) {
                t->tw_tail = NULL;
                for (struct ml_tcp_conn *x = t->tw_head; x; x = x->twnext)
                    t->tw_tail = x;
            }
            c->twnext = NULL;
            return;
        }
}

/* Unlinks the tcb, stops its timers and frees its buffers; the struct
 * itself goes when the last holder lets go. No callback. */
static void tcb_destroy(struct ml_tcp_conn *c)
{
    struct tcp_state *t = c->p->tcp;
    struct ml_tcp_conn **pp;

    if (c->dead)
        return;
    c->dead = true;
    c->released = true;
    for (pp = &t->hash[hash4(c->raddr, c->rport, c->lport)]; *pp;
         pp = &(*pp)->hnext)
        if (*pp == c) {
            *pp = c->hnext;
            break;
        }
    if (c->prev)
        c->prev->next = c->next;
    else
        t->all = c->next;
    if (c->next)
        c->next->prev = c->prev;
    if (c->state == TIME_WAIT) {
        tw_unlink(t, c);
        c->p->stats.tcp_timewait--;
    }
    if (c->listener)
        c->listener->pending--;
    c->listener = NULL;
    ml_timer_stop(&c->rtx);
    ml_timer_stop(&c->dack);
    ml_timer_stop(&c->keep);
    free(c->sbuf);
    free(c->rbuf);
    c->sbuf = c->rbuf = NULL;
    c->state = CLOSED;
    c->p->stats.tcp_conns--;
    hold(c);
    unhold(c); /* frees now unless someone holds it */
}

/* The connection ended by itself: tell the application (once), free. */
static void tcb_end(struct ml_tcp_conn *c, int err)
{
    if (c->dead)
        return;
    hold(c);
    if (!c->released) {
        c->released = true; /* close/abort from the callback: no-ops */
        if (c->cb.closed)
            c->cb.closed(c, err, c->arg);
    }
    tcb_destroy(c);
    unhold(c);
}

static struct ml_tcp_conn *tcb_new(struct ml_stack_priv *p,
                                   ml_ipv4_addr_t raddr, uint16_t rport,
                                   uint16_t lport)
{
    struct tcp_state *t = p->tcp;
    struct ml_tcp_conn *c = calloc(1, sizeof *c);
    unsigned h;

    if (!c)
        return NULL;
    c->p = p;
    c->raddr = raddr;
    c->rport = rport;
    c->lport = lport;
    c->scap = t->sndbuf;
    c->rcap = t->rcvbuf;
    c->rto = RTO_INIT;
    c->mss = DEFAULT_MSS;
    c->ssthresh = 0xffffffffu;
    ml_timer_init(&c->rtx, rtx_fire, c);
    ml_timer_init(&c->dack, dack_fire, c);
    ml_timer_init(&c->keep, keep_fire, c);
    h = hash4(raddr, rport, lport);
    c->hnext = t->hash[h];
    t->hash[h] = c;
    c->next = t->all;
    if (t->all)
        t->all->prev = c;
    t->all = c;
    p->stats.tcp_conns++;
    /* RFC 6528: ISN = M + F(localip, localport, remoteip, remoteport,
     * secretkey), M a 4 us clock, F SipHash-2-4 under a boot-time key. */
    uint8_t tuple[12];
    tuple_bytes(tuple, p->addr, lport, raddr, rport);
    c->iss = (uint32_t)ml_siphash24(t->isn_key, tuple, sizeof tuple) +
             (uint32_t)(ml_clock_monotonic() / (4 * ML_US));
    c->snd_una = c->snd_nxt = c->snd_max = c->iss;
    c->snd_data = c->iss + 1;
    return c;
}

static int tcb_buffers(struct ml_tcp_conn *c)
{
    if (c->sbuf) /* an active open has them from the start */
        return 0;
    c->sbuf = malloc(c->scap);
    c->rbuf = malloc(c->rcap);
    if (!c->sbuf || !c->rbuf) {
        free(c->sbuf);
        free(c->rbuf);
        c->sbuf = c->rbuf = NULL;
        return -1;
    }
    return 0;
}

/* ---- sending segments ---- */

static uint32_t rcv_window(const struct ml_tcp_conn *c)
{
    size_t free_ = c->rbuf ? c->rcap - c->rlen : c->rcap;
    uint32_t w = (uint32_t)(free_ >> c->rcv_shift);

    return w > 65535 ? 65535 : w;
}

/* The SACK option (RFC 2018) for the out-of-order data held: NOP, NOP,
 * then up to 4 blocks (at most room bytes in all), the one holding the
 * newest segment first as 4.2 asks. Returns its length (0: none). */
static size_t sack_option(const struct ml_tcp_conn *c, uint8_t *o,
                          size_t room)
{
    unsigned n = 0, first = 0;

    if (!c->sack_ok || !c->nooo || room < 12)
        return 0;
    for (unsigned i = 0; i < c->nooo; i++)
        if (SEQ_LEQ(c->ooo[i].start, c->sack_recent) &&
            SEQ_LT(c->sack_recent, c->ooo[i].end))
            first = i;
    o[0] = 1;
    o[1] = 1;
    o[2] = 5;
    for (unsigned k = 0; k < c->nooo && n < 4 && 4 + 8 * (n + 1) <= room; k++) {
        unsigned i = k == 0 ? first : (k == first ? 0 : k);
        put32(o + 4 + 8 * n, c->ooo[i].start);
        put32(o + 8 + 8 * n, c->ooo[i].end);
        n++;
    }
    o[3] = (uint8_t)(2 + 8 * n);
    return 4 + 8 * n;
}

/* Sends one segment from c: flags, sequence seq, len bytes of the send
 * ring starting at seq (data) -- or none. */
static void send_segment(struct ml_tcp_conn *c, uint32_t seq, size_t len,
                         uint8_t flags)
{
    struct ml_stack_priv *p = c->p;
    uint8_t *h = p->tx + ML_NET_HLEN + IP_HLEN;
    size_t hl = TCP_HLEN;
    uint32_t wnd;

    if (flags & F_SYN) { /* our options: MSS and window scale */
        uint8_t *o = h + TCP_HLEN;
        o[0] = 2;
        o[1] = 4;
        put16(o + 2, (uint16_t)(p->mtu - IP_HLEN - TCP_HLEN));
        hl += 4;
        /* a SYN-ACK carries window scale only if the SYN did (RFC 7323),
         * and SACK-permitted likewise (RFC 2018) */
        if (!(flags & F_ACK) || c->ws_ok) {
            o[4] = 1; /* NOP */
            o[5] = 3;
            o[6] = 3;
            o[7] = c->rcv_shift;
            hl += 4;
        }
        if (!(flags & F_ACK) || c->sack_ok) {
            o = h + hl;
            o[0] = 1;
            o[1] = 1;
            o[2] = 4;
            o[3] = 2;
            hl += 4;
        }
    } else if (flags & F_ACK) {
        /* where it fits beside the data: always on a bare ACK */
        size_t max = p->mtu - IP_HLEN - TCP_HLEN;
        size_t room = len < max ? max - len : 0;
        hl += sack_option(c, h + TCP_HLEN, room < 40 ? room : 40);
    }
    put16(h, c->lport);
    put16(h + 2, c->rport);
    put32(h + 4, seq);
    put32(h + 8, (flags & F_ACK) ? c->rcv_nxt : 0);
    h[12] = (uint8_t)(hl / 4) << 4;
    h[13] = flags;
    /* The window in a SYN is never scaled (RFC 7323 2.2). */
    wnd = (flags & F_SYN) ? (c->rcap > 65535 ? 65535 : (uint32_t)c->rcap)
                          : rcv_window(c);
    put16(h + 14, (uint16_t)wnd);
    put16(h + 16, 0);
    put16(h + 18, 0);
    if (len) {
        size_t off = (c->shead + (seq - c->snd_data)) % c->scap;
        size_t first = c->scap - off < len ? c->scap - off : len;
        net_copy(h + hl, c->sbuf + off, first);
        net_copy(h + hl + first, c->sbuf, len - first);
    }
    if (flags & F_ACK) {
        c->rcv_adv = c->rcv_nxt + ((flags & F_SYN) ? wnd : wnd << c->rcv_shift);
        c->ack_now = false;
        c->unacked_segs = 0;
        ml_timer_stop(&c->dack);
    }
    put16(h + 16, ml_csum_fold(ml_csum_add(
                      ipv4_pseudo(p->addr, c->raddr, IPPROTO_TCP, hl + len),
                      h, hl + len)));
    p->stats.tcp_tx++;
    ipv4_send_tx(p, c->raddr, IPPROTO_TCP, hl + len);
}

/* A reset or ACK from no connection (RFC 9293 3.10.7.1 and others). */
static void send_bare(struct ml_stack_priv *p, ml_ipv4_addr_t dst,
                      uint16_t sport, uint16_t dport, uint32_t seq,
                      uint32_t ack, uint8_t flags)
{
    uint8_t *h = p->tx + ML_NET_HLEN + IP_HLEN;

    put16(h, sport);
    put16(h + 2, dport);
    put32(h + 4, seq);
    put32(h + 8, ack);
    h[12] = 5 << 4;
    h[13] = flags;
    put16(h + 14, 0);
    put16(h + 16, 0);
    put16(h + 18, 0);
    put16(h + 16, ml_csum_fold(ml_csum_add(
                      ipv4_pseudo(p->addr, dst, IPPROTO_TCP, TCP_HLEN), h,
                      TCP_HLEN)));
    if (flags & F_RST)
        p->stats.tcp_rst_sent++;
    p->stats.tcp_tx++;
    ipv4_send_tx(p, dst, IPPROTO_TCP, TCP_HLEN);
}

static void send_rst(struct ml_tcp_conn *c)
{
    send_bare(c->p, c->raddr, c->lport, c->rport, c->snd_nxt, c->rcv_nxt,
              F_RST | F_ACK);
}

static void send_ack(struct ml_tcp_conn *c)
{
    send_segment(c, c->snd_nxt, 0, F_ACK);
}

/* RFC 5961 challenge ACKs, limited across the stack. */
static void challenge_ack(struct ml_tcp_conn *c)
{
    struct tcp_state *t = c->p->tcp;
    ml_time_t now = ml_clock_monotonic();

    if (now - t->challenge_at >= ML_SEC) {
        t->challenge_at = now;
        t->challenge_n = 0;
    }
    if (t->challenge_n++ >= CHALLENGE_PER_S)
        return;
    c->p->stats.tcp_challenge_acks++;
    send_ack(c);
}

/* ---- timers ---- */

static void arm(struct ml_tcp_conn *c, enum tmode m, ml_time_t delay)
{
    c->tmode = m;
    ml_timer_start(&c->rtx, delay, 0);
}

static void disarm(struct ml_tcp_conn *c)
{
    c->tmode = T_NONE;
    ml_timer_stop(&c->rtx);
}

static ml_time_t backed_off(const struct ml_tcp_conn *c)
{
    ml_time_t r = c->rto;

    for (unsigned i = 0; i < c->retries && r < RTO_MAX; i++)
        r *= 2;
    return r > RTO_MAX ? RTO_MAX : r;
}

static void enter_time_wait(struct ml_tcp_conn *c)
{
    struct tcp_state *t = c->p->tcp;

    c->state = TIME_WAIT;
    c->p->stats.tcp_timewait++;
    ml_timer_stop(&c->dack);
    ml_timer_stop(&c->keep);
    arm(c, T_TIMEWAIT, ML_TCP_TIMEWAIT_S * ML_SEC);
    if (t->tw_tail)
        t->tw_tail->twnext = c;
    else
        t->tw_head = c;
    t->tw_tail = c;
    if (c->p->stats.tcp_timewait > ML_TCP_TIMEWAIT_MAX)
        tcb_destroy(t->tw_head);
    /* Both sides are done: the application is, too. TIME-WAIT itself
     * needs no buffers. */
    if (!c->dead && !c->released) {
        c->released = true;
        if (c->cb.closed) {
            hold(c);
            c->cb.closed(c, 0, c->arg);
            unhold(c);
        }
    }
    if (!c->dead) {
        free(c->sbuf);
        free(c->rbuf);
        c->sbuf = c->rbuf = NULL;
        c->rlen = c->slen = 0;
    }
}

static void rtx_fire(struct ml_timer *tm, void *arg)
{
    struct ml_tcp_conn *c = arg;
    enum tmode m = c->tmode;

    (void)tm;
    c->tmode = T_NONE;
    hold(c);
    if (m == T_TIMEWAIT || m == T_FINWAIT2) {
        tcb_end(c, 0);
    } else if (m == T_PERSIST) {
        /* A zero-window probe: one byte past the window (RFC 9293
         * 3.8.6.1); the ACK tells us the window. Never gives up while the
         * peer answers. */
        if (c->snd_data + c->slen != c->snd_nxt) {
            send_segment(c, c->snd_nxt, 1, F_ACK);
            if (SEQ_GT(c->snd_nxt + 1, c->snd_max))
                c->snd_max = c->snd_nxt + 1;
        }
        if (c->retries < 16)
            c->retries++;
        if (!c->dead && c->snd_wnd == 0)
            arm(c, T_PERSIST, backed_off(c));
    } else if (m == T_RTX && c->snd_wnd == 0 && c->state >= ESTABLISHED &&
               c->state != TIME_WAIT) {
        /* The window closed under data in flight: that is for the persist
         * timer, which never gives up on a peer that answers. */
        c->snd_nxt = c->snd_una;
        c->retries = 0;
        arm(c, T_PERSIST, backed_off(c));
    } else if (m == T_RTX) {
        unsigned limit = c->state == SYN_SENT || c->state == SYN_RCVD
                             ? SYN_RETRIES : DATA_RETRIES;
        if (++c->retries > limit) {
            c->p->stats.tcp_timeouts++;
            if (c->state != SYN_RCVD || !c->listener)
                send_rst(c);
            tcb_end(c, c->soft_err ? c->soft_err : -ETIMEDOUT);
        } else {
            uint32_t flight = c->snd_max - c->snd_una;
            c->p->stats.tcp_retransmits++;
            c->timing = false; /* Karn: no sample from a retransmission */
            if (c->state == SYN_SENT)
                send_segment(c, c->iss, 0, F_SYN);
            else if (c->state == SYN_RCVD)
                send_segment(c, c->iss, 0, F_SYN | F_ACK);
            else {
                /* RFC 5681 (4): loss window of one segment, go back N */
                c->ssthresh = flight / 2 > 2u * c->mss ? flight / 2
                                                       : 2u * c->mss;
                c->cwnd = c->mss;
                c->in_recovery = false;
                c->dupacks = 0;
                c->snd_nxt = c->snd_una;
                c->nsacked = 0; /* go back N: resend it all */
                c->rtx_next = c->snd_una;
                tcp_output(c);
            }
            if (!c->dead)
                arm(c, T_RTX, backed_off(c));
        }
    }
    unhold(c);
}

static void dack_fire(struct ml_timer *tm, void *arg)
{
    struct ml_tcp_conn *c = arg;

    (void)tm;
    hold(c);
    send_ack(c);
    unhold(c);
}

static void keep_arm(struct ml_tcp_conn *c)
{
    if (c->keep_idle && !c->dead && c->state != TIME_WAIT)
        ml_timer_start(&c->keep,
                       (c->keep_sent ? c->keep_intvl : c->keep_idle) * ML_SEC,
                       0);
}

static void keep_fire(struct ml_timer *tm, void *arg)
{
    struct ml_tcp_conn *c = arg;

    (void)tm;
    hold(c);
    ml_time_t quiet = ml_clock_monotonic() - c->last_rx;
    if (!c->keep_sent && quiet < c->keep_idle * ML_SEC) {
        ml_timer_start(&c->keep, c->keep_idle * ML_SEC - quiet, 0);
    } else if (c->keep_sent >= c->keep_count) {
        c->p->stats.tcp_timeouts++;
        send_rst(c);
        tcb_end(c, -ETIMEDOUT);
    } else {
        /* RFC 1122 4.2.3.6: an old sequence number elicits an ACK */
        send_segment(c, c->snd_una - 1, 0, F_ACK);
        c->keep_sent++;
        keep_arm(c);
    }
    unhold(c);
}

/* ---- output ---- */

static void tcp_output(struct ml_tcp_conn *c)
{
    bool sent = false;

    if (c->dead || c->state < ESTABLISHED || c->state == TIME_WAIT ||
        !c->sbuf)
        goto ack;
    for (;;) {
        uint32_t end = c->snd_data + (uint32_t)c->slen; /* FIN goes here */
        size_t unsent = SEQ_LT(c->snd_nxt, end) ? end - c->snd_nxt : 0;
        uint32_t flight = c->snd_nxt - c->snd_una;
        uint32_t win = c->snd_wnd < c->cwnd ? c->snd_wnd : c->cwnd;
        size_t can = win > flight ? win - flight : 0;
        size_t n = unsent < can ? unsent : can;
        bool fin;

        if (n > c->mss)
            n = c->mss;
        fin = c->fin_queued && c->snd_nxt + n == end &&
              (c->state == FIN_WAIT_1 || c->state == CLOSING ||
               c->state == LAST_ACK);
        if (n == 0 && !fin)
            break;
        if (n < c->mss && n < unsent) {
            /* window-limited: sender SWS avoidance (RFC 1122 4.2.3.4) */
            if (n < c->snd_maxwnd / 2 && flight > 0)
                break;
        } else if (n < c->mss && !c->nodelay && flight > 0 && !fin)
            break; /* Nagle: one small segment in flight at a time */
        send_segment(c, c->snd_nxt, n,
                     F_ACK | (fin ? F_FIN : 0) | (n && n == unsent ? F_PSH : 0));
        sent = true;
        if (!c->timing && n) {
            c->timing = true;
            c->rtt_seq = c->snd_nxt + (uint32_t)n;
            c->rtt_start = ml_clock_monotonic();
        }
        c->snd_nxt += (uint32_t)n + (fin ? 1 : 0);
        if (SEQ_GT(c->snd_nxt, c->snd_max))
            c->snd_max = c->snd_nxt;
        if (c->tmode != T_RTX)
            arm(c, T_RTX, backed_off(c));
        if (fin)
            break;
    }
    /* Data waits on a zero window with nothing in flight: probe. */
    if (c->snd_wnd == 0 && c->snd_nxt == c->snd_una &&
        SEQ_LT(c->snd_nxt, c->snd_data + (uint32_t)c->slen) &&
        c->tmode != T_PERSIST) {
        c->retries = 0;
        arm(c, T_PERSIST, backed_off(c));
    }
ack:
    if (!sent && c->ack_now && !c->dead && c->state >= ESTABLISHED)
        send_ack(c);
}

/* ---- receiving ---- */

static void ring_put(uint8_t *ring, size_t cap, size_t pos, const uint8_t *d,
                     size_t n)
{
    size_t first;

    pos %= cap;
    first = cap - pos < n ? cap - pos : n;
    net_copy(ring + pos, d, first);
    net_copy(ring, d + first, n - first);
}

/* Hands buffered in-order data to the application until it stops taking
 * it; then EOF if the peer's FIN was reached. */
static void deliver(struct ml_tcp_conn *c)
{
    if (c->delivering)
        return; /* read_resume from inside recv: the outer loop goes on */
    c->delivering = true;
    while (c->rlen && !c->paused && !c->dead && !c->released) {
        size_t chunk = c->rcap - c->rhead < c->rlen ? c->rcap - c->rhead
                                                    : c->rlen;
        size_t n = c->cb.recv ? c->cb.recv(c, c->rbuf + c->rhead, chunk,
                                           c->arg)
                              : chunk;
        if (c->dead)
            break;
        if (n > chunk)
            n = chunk;
        c->rhead = (c->rhead + n) % c->rcap;
        c->rlen -= n;
        if (n < chunk)
            c->paused = true;
    }
    if (c->released && !c->dead) { /* closed: unread data is dropped */
        c->rlen = 0;
    }
    c->delivering = false;
    if (!c->dead && c->fin_rcvd && !c->rlen && !c->eof_told &&
        !c->released) {
        c->eof_told = true;
        if (c->cb.eof)
            c->cb.eof(c, c->arg);
    }
}

/* The window opened enough since the last advertisement to tell the
 * peer (receiver SWS avoidance, RFC 1122 4.2.3.3). */
static void maybe_window_update(struct ml_tcp_conn *c)
{
    uint32_t edge = c->rcv_nxt + (uint32_t)(c->rcap - c->rlen);
    uint32_t step = c->rcap / 2 < 2u * c->mss ? (uint32_t)c->rcap / 2
                                              : 2u * c->mss;

    if (SEQ_GEQ(edge, c->rcv_adv + step))
        c->ack_now = true;
}

/* Moves rcv_nxt over out-of-order ranges that now touch it. */
static void ooo_merge(struct ml_tcp_conn *c)
{
    bool again = true;

    while (again) {
        again = false;
        for (unsigned i = 0; i < c->nooo; i++) {
            struct range *r = &c->ooo[i];
            if (SEQ_LEQ(r->start, c->rcv_nxt)) {
                if (SEQ_GT(r->end, c->rcv_nxt)) {
                    c->rlen += r->end - c->rcv_nxt;
                    c->rcv_nxt = r->end;
                }
                c->ooo[i] = c->ooo[--c->nooo];
                again = true;
                break;
            }
        }
    }
}

/* Records [s, e) as held out of order, merging overlapping ranges.
 * Returns false if there is no room for another range. */
static bool ooo_add(struct ml_tcp_conn *c, uint32_t s, uint32_t e)
{
    for (unsigned i = 0; i < c->nooo; i++) {
        struct range *r = &c->ooo[i];
        if (SEQ_LEQ(s, r->end) && SEQ_GEQ(e, r->start)) {
            if (SEQ_LT(s, r->start))
                r->start = s;
            if (SEQ_GT(e, r->end))
                r->end = e;
            /* it may now touch another range: fold them */
            for (unsigned j = 0; j < c->nooo; j++) {
                struct range *q = &c->ooo[j];
                if (j != i && SEQ_LEQ(q->start, r->end) &&
                    SEQ_GEQ(q->end, r->start)) {
                    if (SEQ_LT(q->start, r->start))
                        r->start = q->start;
                    if (SEQ_GT(q->end, r->end))
                        r->end = q->end;
                    *q = c->ooo[--c->nooo];
                    if (i == c->nooo)
                        i = j;
                    r = &c->ooo[i];
                    j = (unsigned)-1;
                }
            }
            return true;
        }
    }
    if (c->nooo == OOO_RANGES)
        return false;
    c->ooo[c->nooo].start = s;
    c->ooo[c->nooo].end = e;
    c->nooo++;
    return true;
}

/* Data of an acceptable segment already trimmed to the window. */
static void data_in(struct ml_tcp_conn *c, uint32_t seq, const uint8_t *d,
                    size_t n, bool full_sized)
{
    if (c->released) { /* RFC 1122 4.2.2.13: data after close: reset */
        send_rst(c);
        tcb_destroy(c);
        return;
    }
    if (seq != c->rcv_nxt) {
        /* Out of order: store it in place; ACK at once (dupack). */
        size_t off = seq - c->rcv_nxt;
        if (off + n <= c->rcap - c->rlen && ooo_add(c, seq, seq + (uint32_t)n)) {
            ring_put(c->rbuf, c->rcap, c->rhead + c->rlen + off, d, n);
            c->sack_recent = seq;
        } else
            c->p->stats.tcp_ooo_dropped++;
        c->ack_now = true;
        return;
    }
    if (c->nooo)
        c->ack_now = true; /* filling a hole: ACK at once (RFC 5681 4.2) */
    c->unacked_segs++; /* before delivery: a reply's ACK clears it */
    /* The common case: nothing buffered, deliver from the frame itself and
     * keep only what the application leaves. */
    if (!c->rlen && !c->nooo && !c->paused && c->cb.recv) {
        size_t used;
        c->rcv_nxt += (uint32_t)n;
        c->delivering = true;
        used = c->cb.recv(c, d, n, c->arg);
        c->delivering = false;
        if (c->dead)
            return;
        if (used > n)
            used = n;
        if (used < n) {
            c->paused = true;
            ring_put(c->rbuf, c->rcap, c->rhead, d + used, n - used);
            c->rlen = n - used;
        }
    } else {
        ring_put(c->rbuf, c->rcap, c->rhead + c->rlen, d, n);
        c->rlen += n;
        c->rcv_nxt += (uint32_t)n;
        ooo_merge(c);
        deliver(c);
        if (c->dead)
            return;
    }
    /* RFC 1122 4.2.3.2 / RFC 5681: ACK at least every second full-sized
     * segment, else within DACK_DELAY. */
    if (c->unacked_segs >= 2 && full_sized)
        c->ack_now = true;
    else if (c->unacked_segs >= 4)
        c->ack_now = true;
    if (c->unacked_segs && !c->ack_now && !ml_timer_armed(&c->dack))
        ml_timer_start(&c->dack, DACK_DELAY, 0);
}

static void rtt_sample(struct ml_tcp_conn *c, ml_time_t r)
{
    if (!c->srtt) {
        c->srtt = r;
        c->rttvar = r / 2;
    } else {
        ml_time_t d = c->srtt > r ? c->srtt - r : r - c->srtt;
        c->rttvar = (3 * c->rttvar + d) / 4;
        c->srtt = (7 * c->srtt + r) / 8;
    }
    c->rto = c->srtt + (4 * c->rttvar > ML_MS ? 4 * c->rttvar : ML_MS);
    if (c->rto < RTO_MIN)
        c->rto = RTO_MIN;
    if (c->rto > RTO_MAX)
        c->rto = RTO_MAX;
}

/* An ACK that acknowledges something new. */
/* The peer's SACK blocks: what it holds beyond snd_una. Only blocks
 * within what we sent count (a confused or hostile peer cannot make us
 * resend outside it); they are merged into at most four ranges, the
 * lowest dropped when a fifth comes (resending held data is harmless). */
static void sack_note(struct ml_tcp_conn *c, const struct seg *s)
{
    for (unsigned b = 0; b < s->nsack; b++) {
        struct range r = s->sack[b];
        if (!SEQ_LT(c->snd_una, r.start) || !SEQ_LT(r.start, r.end) ||
            SEQ_GT(r.end, c->snd_max))
            continue;
        for (unsigned i = 0; i < c->nsacked;) {
            struct range *q = &c->sacked[i];
            if (SEQ_LEQ(q->start, r.end) && SEQ_GEQ(q->end, r.start)) {
                if (SEQ_LT(q->start, r.start))
                    r.start = q->start;
                if (SEQ_GT(q->end, r.end))
                    r.end = q->end;
                *q = c->sacked[--c->nsacked];
            } else
                i++;
        }
        if (c->nsacked == 4) {
            unsigned lo = 0;
            for (unsigned i = 1; i < 4; i++)
                if (SEQ_LT(c->sacked[i].start, c->sacked[lo].start))
                    lo = i;
            c->sacked[lo] = c->sacked[--c->nsacked];
        }
        c->sacked[c->nsacked++] = r;
    }
}

/* Forgets what snd_una has passed. */
static void sack_prune(struct ml_tcp_conn *c)
{
    for (unsigned i = 0; i < c->nsacked;) {
        struct range *q = &c->sacked[i];
        if (SEQ_LEQ(q->end, c->snd_una)) {
            *q = c->sacked[--c->nsacked];
            continue;
        }
        if (SEQ_LT(q->start, c->snd_una))
            q->start = c->snd_una;
        i++;
    }
}

/* In recovery, per duplicate ACK: resends the next hole, from rtx_next on
 * the first bytes the peer does not hold that lie below bytes it does hold
 * (so they are known lost: RFC 6675's rule, in short), at most one
 * segment. Without this NewReno finds one hole per round trip. Returns
 * whether a segment went. */
static bool sack_resend(struct ml_tcp_conn *c)
{
    uint32_t h = SEQ_GT(c->rtx_next, c->snd_una) ? c->rtx_next : c->snd_una;
    uint32_t hole_end = 0, ring_end = c->snd_data + (uint32_t)c->slen, n;
    bool moved = true, below = false;

    if (!c->sack_ok || !c->nsacked)
        return false;
    while (moved) { /* step over held ranges */
        moved = false;
        for (unsigned i = 0; i < c->nsacked; i++)
            if (SEQ_LEQ(c->sacked[i].start, h) && SEQ_LT(h, c->sacked[i].end)) {
                h = c->sacked[i].end;
                moved = true;
            }
    }
    for (unsigned i = 0; i < c->nsacked; i++)
        if (SEQ_GT(c->sacked[i].start, h) &&
            (!below || SEQ_LT(c->sacked[i].start, hole_end))) {
            hole_end = c->sacked[i].start;
            below = true;
        }
    if (!below)
        return false;
    if (SEQ_GT(hole_end, ring_end))
        hole_end = ring_end;
    if (!SEQ_LT(h, hole_end) || SEQ_LT(h, c->snd_data))
        return false;
    n = hole_end - h < c->mss ? hole_end - h : c->mss;
    send_segment(c, h, n, F_ACK);
    c->p->stats.tcp_retransmits++;
    c->rtx_next = h + n;
    return true;
}

static void ack_new(struct ml_tcp_conn *c, uint32_t ack)
{
    uint32_t acked = ack - c->snd_una;
    uint32_t end = c->snd_data + (uint32_t)c->slen;
    size_t bytes;

    if (c->timing && SEQ_GEQ(ack, c->rtt_seq)) {
        c->timing = false;
        rtt_sample(c, ml_clock_monotonic() - c->rtt_start);
    }
    c->retries = 0;
    /* bytes of the send ring now acknowledged (not SYN, not FIN) */
    bytes = SEQ_GT(ack, end) ? c->slen : ack - c->snd_data;
    if (SEQ_LT(ack, c->snd_data))
        bytes = 0;
    c->shead = (c->shead + bytes) % (c->scap ? c->scap : 1);
    c->slen -= bytes;
    c->snd_data += (uint32_t)bytes;
    c->snd_una = ack;
    if (SEQ_LT(c->snd_nxt, ack))
        c->snd_nxt = ack;
    sack_prune(c);
    /* congestion control */
    if (c->in_recovery) {
        if (SEQ_GEQ(ack, c->recover)) { /* full ACK: leave recovery */
            c->in_recovery = false;
            c->cwnd = c->ssthresh;
        } else { /* partial ACK (RFC 6582): resend the next hole */
            uint32_t n = c->slen < c->mss ? (uint32_t)c->slen : c->mss;
            if (n)
                send_segment(c, c->snd_una, n, F_ACK);
            if (SEQ_LT(c->rtx_next, c->snd_una + n))
                c->rtx_next = c->snd_una + n;
            c->cwnd = c->cwnd > acked ? c->cwnd - acked + c->mss : c->mss;
        }
    } else if (c->cwnd < c->ssthresh)
        c->cwnd += acked < c->mss ? acked : c->mss;
    else
        c->cwnd += c->mss * c->mss / (c->cwnd ? c->cwnd : 1) + 1;
    c->dupacks = 0;
    if (c->snd_una == c->snd_max)
        disarm(c);
    else
        arm(c, T_RTX, backed_off(c));
    if (c->want_writable && bytes && !c->released && c->cb.writable &&
        c->scap - c->slen >= c->scap / 4) {
        c->want_writable = false;
        c->cb.writable(c, c->arg);
    }
}

static void dupack(struct ml_tcp_conn *c)
{
    uint32_t flight = c->snd_max - c->snd_una;

    if (++c->dupacks == 3 && !c->in_recovery) {
        /* fast retransmit (RFC 5681 3.2) and NewReno recovery */
        uint32_t n = c->slen < c->mss ? (uint32_t)c->slen : c->mss;
        c->ssthresh = flight / 2 > 2u * c->mss ? flight / 2 : 2u * c->mss;
        c->recover = c->snd_max;
        c->in_recovery = true;
        c->timing = false;
        if (n)
            send_segment(c, c->snd_una, n, F_ACK);
        c->rtx_next = c->snd_una + n;
        c->p->stats.tcp_retransmits++;
        c->cwnd = c->ssthresh + 3u * c->mss;
    } else if (c->in_recovery && !sack_resend(c))
        c->cwnd += c->mss; /* a segment left: room for a new one */
}

/* MSS, window scale and SACK-permitted count on a SYN only; SACK blocks
 * on any segment. */
static void parse_options(struct seg *s, const uint8_t *o, size_t n, bool syn)
{
    size_t i = 0;

    while (i < n) {
        uint8_t kind = o[i];
        if (kind == 0)
            break;
        if (kind == 1) {
            i++;
            continue;
        }
        if (i + 1 >= n || o[i + 1] < 2 || i + o[i + 1] > n)
            break;
        if (syn && kind == 2 && o[i + 1] == 4)
            s->mss = get16(o + i + 2);
        else if (syn && kind == 3 && o[i + 1] == 3)
            s->wscale = o[i + 2] > WSCALE_MAX ? WSCALE_MAX : o[i + 2];
        else if (syn && kind == 4 && o[i + 1] == 2)
            s->sack_perm = true;
        else if (kind == 5 && o[i + 1] >= 10 && (o[i + 1] - 2) % 8 == 0)
            for (size_t b = i + 2; b < i + o[i + 1] && s->nsack < 4; b += 8) {
                s->sack[s->nsack].start = get32(o + b);
                s->sack[s->nsack++].end = get32(o + b + 4);
            }
        i += o[i + 1];
    }
}

/* Options of the peer's SYN. */
static void syn_options(struct ml_tcp_conn *c, const struct seg *s)
{
    struct ml_stack_priv *p = c->p;
    uint32_t mss = s->mss ? s->mss : DEFAULT_MSS;
    uint32_t mine = (uint32_t)(p->mtu - IP_HLEN - TCP_HLEN);

    c->mss = (uint16_t)(mss < mine ? mss : mine);
    if (c->mss < 64)
        c->mss = 64;
    c->ws_ok = s->wscale >= 0;
    c->sack_ok = s->sack_perm;
    if (c->ws_ok) {
        c->snd_shift = (uint8_t)s->wscale;
        /* ours: the smallest shift that makes the buffer fit 16 bits */
        while ((c->rcap >> c->rcv_shift) > 65535 && c->rcv_shift < WSCALE_MAX)
            c->rcv_shift++;
    } else {
        c->snd_shift = c->rcv_shift = 0;
    }
    /* RFC 6928 initial window */
    c->cwnd = 4u * c->mss > 14600 ? 4u * c->mss
              : 10u * c->mss < 14600 ? 10u * c->mss : 14600;
}

static void established(struct ml_tcp_conn *c, const struct seg *s)
{
    /* a shutdown during a simultaneous open sends its FIN now */
    c->state = c->fin_queued ? FIN_WAIT_1 : ESTABLISHED;
    c->syn_acked = true;
    c->snd_una = s->ack;
    c->snd_wnd = s->wnd << c->snd_shift;
    c->snd_maxwnd = c->snd_wnd;
    c->snd_wl1 = s->seq;
    c->snd_wl2 = s->ack;
    c->retries = 0;
    disarm(c);
    c->last_rx = ml_clock_monotonic();
    keep_arm(c);
}

/* A segment for a connection in SYN-SENT (RFC 9293 3.10.7.3). */
static void syn_sent_input(struct ml_tcp_conn *c, struct seg *s)
{
    bool ack_ok = (s->flags & F_ACK) && SEQ_GT(s->ack, c->iss) &&
                  SEQ_LEQ(s->ack, c->snd_max);

    if ((s->flags & F_ACK) && !ack_ok) {
        if (!(s->flags & F_RST))
            send_bare(c->p, c->raddr, c->lport, c->rport, s->ack, 0, F_RST);
        return;
    }
    if (s->flags & F_RST) {
        if (ack_ok) {
            c->p->stats.tcp_resets_rcvd++;
            tcb_end(c, -ECONNREFUSED);
        }
        return;
    }
    if (!(s->flags & F_SYN))
        return;
    c->irs = s->seq;
    c->rcv_nxt = s->seq + 1;
    syn_options(c, s);
    if (ack_ok) {
        established(c, s);
        send_ack(c);
        if (c->cb.connected && !c->released)
            c->cb.connected(c, c->arg);
        if (!c->dead)
            tcp_output(c);
    } else { /* simultaneous open */
        c->state = SYN_RCVD;
        send_segment(c, c->iss, 0, F_SYN | F_ACK);
        arm(c, T_RTX, backed_off(c));
    }
}

/* RFC 9293 3.10.7.4, first check: is any of the segment in the window?
 * Trims it to the window and returns true, or false. */
static bool acceptable(struct ml_tcp_conn *c, struct seg *s)
{
    uint32_t wnd = (uint32_t)(c->rbuf ? c->rcap - c->rlen : c->rcap);
    uint32_t seglen = (uint32_t)s->len + !!(s->flags & F_SYN) +
                      !!(s->flags & F_FIN);
    uint32_t end = c->rcv_nxt + wnd;

    if (seglen == 0)
        return wnd == 0 ? s->seq == c->rcv_nxt
                        : SEQ_GEQ(s->seq, c->rcv_nxt) && SEQ_LT(s->seq, end);
    if (wnd == 0) {
        /* keep processing ACK, RST (and URG) of a segment with data */
        if (s->seq != c->rcv_nxt && !(s->flags & F_RST))
            return false;
        s->len = 0;
        s->flags &= (uint8_t)~F_FIN;
        return true;
    }
    if (!(SEQ_GEQ(s->seq, c->rcv_nxt) && SEQ_LT(s->seq, end)) &&
        !(SEQ_GEQ(s->seq + seglen - 1, c->rcv_nxt) &&
          SEQ_LT(s->seq + seglen - 1, end)))
        return false;
    /* trim the front (already received) */
    if (SEQ_LT(s->seq, c->rcv_nxt)) {
        uint32_t cut = c->rcv_nxt - s->seq;
        if (s->flags & F_SYN) {
            s->flags &= (uint8_t)~F_SYN;
            cut--;
            s->seq++;
        }
        if (cut > s->len)
            cut = (uint32_t)s->len;
        s->data += cut;
        s->len -= cut;
        s->seq += cut;
    }
    /* trim the back (beyond the window) */
    if (SEQ_GT(s->seq + (uint32_t)s->len, end)) {
        s->len = end - s->seq;
        s->flags &= (uint8_t)~F_FIN;
    }
    return true;
}

static void fin_in(struct ml_tcp_conn *c)
{
    c->rcv_nxt++;
    c->fin_rcvd = true;
    c->ack_now = true;
    /* The state moves first: the EOF callback may close, which must see
     * CLOSE-WAIT (-> LAST-ACK), not ESTABLISHED (-> FIN-WAIT-1). */
    switch (c->state) {
    case ESTABLISHED:
        c->state = CLOSE_WAIT;
        break;
    case FIN_WAIT_1: /* our FIN not yet acknowledged: simultaneous close */
        c->state = CLOSING;
        break;
    case FIN_WAIT_2:
        deliver(c);
        if (c->dead)
            return;
        send_ack(c);
        enter_time_wait(c);
        return;
    default:
        break;
    }
    deliver(c); /* EOF, if all data was consumed */
}

static void conn_input(struct ml_tcp_conn *c, struct seg *s)
{
    bool full = s->len >= c->mss;

    c->last_rx = ml_clock_monotonic();
    c->keep_sent = 0;
    if (c->state == SYN_SENT) {
        syn_sent_input(c, s);
        return;
    }
    if (c->state == SYN_RCVD && !c->listener && s->seq == c->irs &&
        (s->flags & (F_SYN | F_ACK)) == (F_SYN | F_ACK)) {
        /* simultaneous open (RFC 9293 figure 7, line 6): the peer's
         * SYN-ACK repeats its SYN; what matters is its ACK of ours */
        s->flags &= (uint8_t)~F_SYN;
        s->seq++;
        c->ack_now = true;
    }
    if (!acceptable(c, s)) {
        if (c->state == SYN_RCVD && !(s->flags & F_RST))
            send_segment(c, c->iss, 0, F_SYN | F_ACK);
        else if (c->state == TIME_WAIT && (s->flags & F_FIN) &&
                 !(s->flags & F_RST)) {
            send_ack(c); /* the peer lost our ACK of its FIN */
            arm(c, T_TIMEWAIT, ML_TCP_TIMEWAIT_S * ML_SEC);
        } else if (!(s->flags & F_RST))
            send_ack(c);
        return;
    }
    if (s->flags & F_RST) { /* RFC 5961 3.2 */
        if (s->seq != c->rcv_nxt) {
            challenge_ack(c);
            return;
        }
        c->p->stats.tcp_resets_rcvd++;
        if (c->state == SYN_RCVD && c->listener)
            tcb_destroy(c); /* back to listening, nobody to tell */
        else
            tcb_end(c, c->state == SYN_RCVD ? -ECONNREFUSED
                       : c->state >= CLOSING ? 0 : -ECONNRESET);
        return;
    }
    if (s->flags & F_SYN) { /* RFC 5961 4.2: never reset on a SYN */
        if (c->state == SYN_RCVD)
            send_segment(c, c->iss, 0, F_SYN | F_ACK);
        else
            challenge_ack(c);
        return;
    }
    if (!(s->flags & F_ACK))
        return;
    if (c->state == SYN_RCVD) {
        struct ml_tcp_listener *l = c->listener;
        if (!(SEQ_GT(s->ack, c->snd_una) && SEQ_LEQ(s->ack, c->snd_max))) {
            send_bare(c->p, c->raddr, c->lport, c->rport, s->ack, 0, F_RST);
            return;
        }
        if (tcb_buffers(c) != 0) {
            send_rst(c);
            tcb_end(c, -ENOMEM);
            return;
        }
        established(c, s);
        c->snd_data = c->snd_una;
        if (l) {
            c->listener = NULL;
            l->pending--;
            c->p->stats.tcp_accepts++;
            l->accept(l, c, l->arg);
        } else if (c->cb.connected && !c->released)
            c->cb.connected(c, c->arg);
        if (c->dead)
            return;
    } else {
        /* RFC 5961 5.2: ACK validation */
        if (SEQ_GT(s->ack, c->snd_max)) {
            send_ack(c);
            return;
        }
        if (SEQ_LT(s->ack, c->snd_una - c->snd_maxwnd) &&
            c->snd_maxwnd < 0x7fffffff) {
            challenge_ack(c);
            return;
        }
        if (c->sack_ok && s->nsack)
            sack_note(c, s);
        if (SEQ_GT(s->ack, c->snd_una)) {
            ack_new(c, s->ack);
            if (c->dead)
                return;
        } else if (s->ack == c->snd_una && s->len == 0 &&
                   !(s->flags & F_FIN) && c->snd_max != c->snd_una &&
                   c->snd_wnd != 0 && c->tmode != T_PERSIST &&
                   (s->wnd << c->snd_shift) == c->snd_wnd)
            dupack(c);
        /* window update (RFC 9293 3.10.7.4, fifth check) */
        if (SEQ_LT(c->snd_wl1, s->seq) ||
            (c->snd_wl1 == s->seq && SEQ_LEQ(c->snd_wl2, s->ack))) {
            uint32_t was = c->snd_wnd;
            c->snd_wnd = s->wnd << c->snd_shift;
            if (c->snd_wnd > c->snd_maxwnd)
                c->snd_maxwnd = c->snd_wnd;
            c->snd_wl1 = s->seq;
            c->snd_wl2 = s->ack;
            if (was == 0 && c->snd_wnd && c->tmode == T_PERSIST) {
                disarm(c);
                c->retries = 0;
                c->snd_nxt = c->snd_una; /* resend the probe byte if lost */
            }
        }
        uint32_t fin_seq = c->snd_data + (uint32_t)c->slen;
        bool fin_acked = c->fin_queued && SEQ_GT(s->ack, fin_seq);
        switch (c->state) {
        case FIN_WAIT_1:
            if (fin_acked) {
                c->state = FIN_WAIT_2;
                if (c->released) /* nobody will ever close it */
                    arm(c, T_FINWAIT2, FIN_WAIT_2_TIMEOUT);
            }
            break;
        case CLOSING:
            if (fin_acked) {
                enter_time_wait(c);
                return;
            }
            break;
        case LAST_ACK:
            if (fin_acked) {
                tcb_end(c, 0);
                return;
            }
            break;
        case TIME_WAIT:
            return;
        default:
            break;
        }
    }
    if (s->len && (c->state == ESTABLISHED || c->state == FIN_WAIT_1 ||
                   c->state == FIN_WAIT_2)) {
        data_in(c, s->seq, s->data, s->len, full);
        if (c->dead)
            return;
    }
    if ((s->flags & F_FIN) && s->seq + (uint32_t)s->len == c->rcv_nxt &&
        !c->fin_rcvd)
        fin_in(c);
    else if (s->flags & F_FIN)
        c->ack_now = true;
    if (!c->dead)
        tcp_output(c);
}

/* ---- SYN cookies ----
 * When a listener's backlog is full, the SYN-ACK's sequence number carries
 * the state instead of a tcb: 28 bits of a keyed hash of the 4-tuple, the
 * client's ISN and a 64-second time slot, then 2 bits of the slot and 2
 * bits indexing the MSS. An ACK acknowledging a valid cookie (this slot or
 * the previous one) creates the connection. Window scaling is not offered
 * in a cookie SYN-ACK, so the connection runs unscaled. */
static const uint16_t cookie_mss[4] = { 536, 1220, 1440, 1460 };

static uint32_t cookie_hash(struct ml_stack_priv *p, ml_ipv4_addr_t a,
                            uint16_t rport, uint16_t lport, uint32_t isn,
                            uint32_t slot)
{
    uint8_t m[20];
    tuple_bytes(m, p->addr, lport, a, rport);
    put32(m + 12, isn);
    put32(m + 16, slot);
    return (uint32_t)ml_siphash24(p->tcp->cookie_key, m, sizeof m) & ~0xfu;
}

static uint32_t cookie_slot(void)
{
    return (uint32_t)(ml_clock_monotonic() / (64 * ML_SEC));
}

static void send_cookie(struct ml_stack_priv *p, const struct seg *s)
{
    uint32_t slot = cookie_slot(), m = 0, iss;
    uint16_t peer = s->mss ? s->mss : DEFAULT_MSS;
    uint8_t *h = p->tx + ML_NET_HLEN + IP_HLEN;
    uint16_t mine = (uint16_t)(p->mtu - IP_HLEN - TCP_HLEN);

    while (m < 3 && cookie_mss[m + 1] <= peer && cookie_mss[m + 1] <= mine)
        m++;
    iss = cookie_hash(p, s->src, s->sport, s->dport, s->seq, slot) |
          (slot & 3) << 2 | m;
    put16(h, s->dport);
    put16(h + 2, s->sport);
    put32(h + 4, iss);
    put32(h + 8, s->seq + 1);
    h[12] = 6 << 4;
    h[13] = F_SYN | F_ACK;
    put16(h + 14, 65535);
    put16(h + 16, 0);
    put16(h + 18, 0);
    h[20] = 2;
    h[21] = 4;
    put16(h + 22, cookie_mss[m]);
    put16(h + 16, ml_csum_fold(ml_csum_add(
                      ipv4_pseudo(p->addr, s->src, IPPROTO_TCP, 24), h, 24)));
    p->stats.tcp_tx++;
    ipv4_send_tx(p, s->src, IPPROTO_TCP, 24);
}

/* An ACK to a listener with no connection: a valid cookie makes one (in
 * SYN-RECEIVED, which the ACK then completes). */
static struct ml_tcp_conn *cookie_accept(struct ml_stack_priv *p,
                                         struct ml_tcp_listener *l,
                                         const struct seg *s)
{
    uint32_t iss = s->ack - 1, isn = s->seq - 1, now = cookie_slot();
    uint32_t slot = now;
    struct ml_tcp_conn *c;

    if ((slot & 3) != (iss >> 2 & 3))
        slot = now - 1;
    if ((slot & 3) != (iss >> 2 & 3) ||
        cookie_hash(p, s->src, s->sport, s->dport, isn, slot) !=
            (iss & ~0xfu))
        return NULL;
    if (!(c = tcb_new(p, s->src, s->sport, s->dport)))
        return NULL;
    c->listener = l;
    l->pending++;
    c->state = SYN_RCVD;
    c->iss = iss;
    c->snd_una = iss;
    c->snd_nxt = c->snd_max = iss + 1;
    c->snd_data = iss + 1;
    c->irs = isn;
    c->rcv_nxt = s->seq;
    c->mss = cookie_mss[iss & 3];
    c->cwnd = 4u * c->mss;
    p->stats.tcp_syncookies_ok++;
    return c;
}

/* A SYN for a listener (RFC 9293 3.10.7.2). */
static void listen_input(struct ml_stack_priv *p, struct ml_tcp_listener *l,
                         struct seg *s)
{
    struct ml_tcp_conn *c;

    if (s->flags & F_RST)
        return;
    if (s->flags & F_ACK) {
        send_bare(p, s->src, s->dport, s->sport, s->ack, 0, F_RST);
        return;
    }
    if (!(s->flags & F_SYN))
        return;
    if (l->pending >= l->backlog) {
        /* Full: answer statelessly with a SYN cookie; a real client's ACK
         * brings the connection back (cookie_accept). */
        p->stats.tcp_backlog_drops++;
        send_cookie(p, s);
        return;
    }
    if (!(c = tcb_new(p, s->src, s->sport, s->dport)))
        return;
    c->listener = l;
    l->pending++;
    c->state = SYN_RCVD;
    c->irs = s->seq;
    c->rcv_nxt = s->seq + 1;
    syn_options(c, s);
    c->snd_nxt = c->snd_max = c->iss + 1;
    send_segment(c, c->iss, 0, F_SYN | F_ACK);
    arm(c, T_RTX, backed_off(c));
}

void tcp_input(struct ml_stack_priv *p, const uint8_t *ip, uint8_t *h,
               size_t len)
{
    struct tcp_state *t = p->tcp;
    struct ml_tcp_conn *c;
    struct seg s;
    size_t hl;

    if (len < TCP_HLEN || (hl = (size_t)(h[12] >> 4) * 4) < TCP_HLEN ||
        hl > len)
        goto bad;
    s.src = get32(ip + 12);
    if (ml_csum_fold(ml_csum_add(ipv4_pseudo(s.src, get32(ip + 16),
                                             IPPROTO_TCP, len), h, len)))
        goto bad;
    p->stats.tcp_rx++;
    s.sport = get16(h);
    s.dport = get16(h + 2);
    s.seq = get32(h + 4);
    s.ack = get32(h + 8);
    s.flags = h[13] & 0x3f;
    s.wnd = get16(h + 14);
    s.data = h + hl;
    s.len = len - hl;
    s.mss = 0;
    s.wscale = -1;
    s.sack_perm = false;
    s.nsack = 0;
    if (s.sport == 0 || s.dport == 0)
        goto bad;
    if (hl > TCP_HLEN)
        parse_options(&s, h + TCP_HLEN, hl - TCP_HLEN, s.flags & F_SYN);
    c = lookup(t, s.src, s.sport, s.dport);
    if (c) {
        hold(c);
        conn_input(c, &s);
        unhold(c);
        return;
    }
    for (struct ml_tcp_listener *l = t->listeners; l; l = l->next)
        if (l->port == s.dport) {
            if ((s.flags & (F_SYN | F_RST | F_ACK)) == F_ACK &&
                (c = cookie_accept(p, l, &s))) {
                hold(c);
                conn_input(c, &s);
                unhold(c);
            } else
                listen_input(p, l, &s);
            return;
        }
    /* CLOSED (RFC 9293 3.10.7.1): reset everything but a reset */
    if (s.flags & F_RST)
        return;
    if (s.flags & F_ACK)
        send_bare(p, s.src, s.dport, s.sport, s.ack, 0, F_RST);
    else
        send_bare(p, s.src, s.dport, s.sport, 0,
                  s.seq + (uint32_t)s.len + !!(s.flags & F_SYN) +
                      !!(s.flags & F_FIN),
                  F_RST | F_ACK);
    return;
bad:
    p->stats.tcp_bad++;
}

/* ---- the API ---- */

/* RFC 5927 4.1: an error must quote a sequence number we have sent and
 * not had acknowledged, or anyone could reset connections with forged
 * errors. RFC 5461: only a connection still opening ends on a hard error
 * (the peer's port is closed); an established one keeps going, and the
 * error only explains a later timeout. */
void tcp_icmp_error(struct ml_stack_priv *p, ml_ipv4_addr_t raddr,
                    uint16_t lport, uint16_t rport, uint32_t seq, int err,
                    bool hard)
{
    struct ml_tcp_conn *c = lookup(p->tcp, raddr, rport, lport);

    if (!c || c->dead || c->state == TIME_WAIT ||
        SEQ_LT(seq, c->snd_una) || SEQ_GEQ(seq, c->snd_max))
        return;
    if (hard && c->state == SYN_SENT) {
        tcb_end(c, err);
        return;
    }
    c->soft_err = err;
}

int tcp_init(struct ml_stack_priv *p)
{
    struct tcp_state *t = calloc(1, sizeof *t);

    if (!t)
        return -1;
    t->sndbuf = ML_TCP_SNDBUF;
    t->rcvbuf = ML_TCP_RCVBUF;
    ml_random_bytes(t->isn_key, sizeof t->isn_key);
    ml_random_bytes(t->cookie_key, sizeof t->cookie_key);
    p->tcp = t;
    return 0;
}

void tcp_fini(struct ml_stack_priv *p)
{
    while (p->tcp->all)
        tcb_destroy(p->tcp->all);
    for (struct ml_tcp_listener *l = p->tcp->listeners; l; l = l->next)
        l->st = NULL;
    free(p->tcp);
    p->tcp = NULL;
}

void ml_tcp_set_buffers(struct ml_stack *st, size_t snd, size_t rcv)
{
    struct tcp_state *t = st->p->tcp;

    if (snd >= 1024 && snd <= (1 << 20))
        t->sndbuf = snd;
    if (rcv >= 1024 && rcv <= (1 << 20))
        t->rcvbuf = rcv;
}

int ml_tcp_listen(struct ml_tcp_listener *l, struct ml_stack *st,
                  uint16_t port, unsigned backlog, ml_tcp_accept_fn accept,
                  void *arg)
{
    struct tcp_state *t;

    if (!l || !st || !st->p || !accept || port == 0)
        return -EINVAL;
    t = st->p->tcp;
    for (struct ml_tcp_listener *x = t->listeners; x; x = x->next)
        if (x->port == port)
            return -EADDRINUSE;
    l->st = st;
    l->port = port;
    l->backlog = backlog ? backlog : 1;
    l->pending = 0;
    l->accept = accept;
    l->arg = arg;
    l->next = t->listeners;
    t->listeners = l;
    return 0;
}

void ml_tcp_unlisten(struct ml_tcp_listener *l)
{
    struct tcp_state *t;
    struct ml_tcp_listener **pp;
    struct ml_tcp_conn *c, *n;

    if (!l || !l->st)
        return;
    t = l->st->p->tcp;
    for (pp = &t->listeners; *pp; pp = &(*pp)->next)
        if (*pp == l) {
            *pp = l->next;
            break;
        }
    for (c = t->all; c; c = n) {
        n = c->next;
        if (c->listener == l) {
            send_rst(c);
            tcb_destroy(c);
        }
    }
    l->st = NULL;
}

int ml_tcp_connect(struct ml_stack *st, ml_ipv4_addr_t dst, uint16_t port,
                   const struct ml_tcp_callbacks *cb, void *arg,
                   struct ml_tcp_conn **out)
{
    struct ml_stack_priv *p;
    struct tcp_state *t;
    struct ml_tcp_conn *c;
    uint16_t lport = 0;

    if (!st || !st->p || !cb || !out || port == 0 ||
        !ip_is_unicast(st->p, dst) || dst == st->p->addr)
        return -EINVAL;
    p = st->p;
    t = p->tcp;
    uint16_t cand = stack_ephemeral_port();
    for (int i = 0; i < 16384 && !lport; i++) {
        if (!lookup(t, dst, port, cand))
            lport = cand;
        cand = cand == 65535 ? 49152 : (uint16_t)(cand + 1);
    }
    if (!lport)
        return -EADDRINUSE;
    if (!(c = tcb_new(p, dst, port, lport)))
        return -ENOMEM;
    if (tcb_buffers(c) != 0) {
        tcb_destroy(c);
        return -ENOMEM;
    }
    c->cb = *cb;
    c->arg = arg;
    c->state = SYN_SENT;
    while ((c->rcap >> c->rcv_shift) > 65535 && c->rcv_shift < WSCALE_MAX)
        c->rcv_shift++;
    c->snd_nxt = c->snd_max = c->iss + 1;
    send_segment(c, c->iss, 0, F_SYN);
    arm(c, T_RTX, backed_off(c));
    *out = c;
    return 0;
}

void ml_tcp_set_callbacks(struct ml_tcp_conn *c,
                          const struct ml_tcp_callbacks *cb, void *arg)
{
    if (!c || c->dead || c->released)
        return;
    if (cb)
        c->cb = *cb;
    else
        memset(&c->cb, 0, sizeof c->cb);
    c->arg = arg;
}

long ml_tcp_write(struct ml_tcp_conn *c, const void *data, size_t len)
{
    size_t room, n;

    if (!c || c->dead || c->released || (!data && len))
        return -EINVAL;
    if (c->state == SYN_SENT || c->state == SYN_RCVD)
        return -ENOTCONN;
    if (c->fin_queued || (c->state != ESTABLISHED && c->state != CLOSE_WAIT))
        return -EPIPE;
    room = c->scap - c->slen;
    n = len < room ? len : room;
    if (n < len || n == room) /* short, or it filled the buffer */
        c->want_writable = true;
    if (!n)
        return 0;
    ring_put(c->sbuf, c->scap, c->shead + c->slen, data, n);
    c->slen += n;
    hold(c);
    tcp_output(c);
    unhold(c);
    return (long)n;
}

size_t ml_tcp_send_space(const struct ml_tcp_conn *c)
{
    return c && c->sbuf && !c->fin_queued ? c->scap - c->slen : 0;
}

void ml_tcp_read_resume(struct ml_tcp_conn *c)
{
    if (!c || c->dead || c->released)
        return;
    c->paused = false;
    hold(c);
    deliver(c);
    if (!c->dead) {
        maybe_window_update(c);
        tcp_output(c);
    }
    unhold(c);
}

int ml_tcp_shutdown(struct ml_tcp_conn *c)
{
    if (!c || c->dead)
        return -EINVAL;
    if (c->fin_queued)
        return 0;
    hold(c);
    switch (c->state) {
    case SYN_SENT:
        tcb_destroy(c);
        break;
    case SYN_RCVD:
    case ESTABLISHED:
        /* In SYN-RCVD (simultaneous open) the FIN waits for ESTABLISHED,
         * which tcp_output's state check ensures. */
        c->fin_queued = true;
        c->state = c->state == ESTABLISHED ? FIN_WAIT_1 : c->state;
        break;
    case CLOSE_WAIT:
        c->fin_queued = true;
        c->state = LAST_ACK;
        break;
    default:
        break;
    }
    tcp_output(c);
    unhold(c);
    return 0;
}

void ml_tcp_close(struct ml_tcp_conn *c)
{
    if (!c || c->dead || c->released)
        return;
    hold(c);
    c->released = true;
    memset(&c->cb, 0, sizeof c->cb);
    if (c->rlen) { /* unread data: reset (RFC 1122 4.2.2.13) */
        send_rst(c);
        tcb_destroy(c);
    } else {
        ml_tcp_shutdown(c);
        if (!c->dead && c->state == FIN_WAIT_2)
            arm(c, T_FINWAIT2, FIN_WAIT_2_TIMEOUT);
    }
    unhold(c);
}

void ml_tcp_abort(struct ml_tcp_conn *c)
{
    if (!c || c->dead)
        return;
    hold(c);
    if (c->state != SYN_SENT && c->state != TIME_WAIT)
        send_rst(c);
    tcb_destroy(c);
    unhold(c);
}

void ml_tcp_nodelay(struct ml_tcp_conn *c, bool on)
{
    if (c && !c->dead)
        c->nodelay = on;
}

void ml_tcp_keepalive(struct ml_tcp_conn *c, unsigned idle_s,
                      unsigned interval_s, unsigned count)
{
    if (!c || c->dead)
        return;
    c->keep_idle = idle_s;
    c->keep_intvl = interval_s ? interval_s : 1;
    c->keep_count = count ? count : 1;
    c->keep_sent = 0;
    if (idle_s && c->state >= ESTABLISHED)
        keep_arm(c);
    else
        ml_timer_stop(&c->keep);
}

void ml_tcp_peer(const struct ml_tcp_conn *c, ml_ipv4_addr_t *addr,
                 uint16_t *port)
{
    if (addr)
        *addr = c->raddr;
    if (port)
        *port = c->rport;
}

uint16_t ml_tcp_local_port(const struct ml_tcp_conn *c)
{
    return c->lport;
}

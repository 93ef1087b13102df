/* The stack device: set-up, the net device's receive callback, and the
 * small helpers the protocol files share. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <mirleft/log.h>
#include "stack_priv.h"

char *ml_ipv4_format(ml_ipv4_addr_t a, char buf[16])
{
    snprintf(buf, 16, "%u.%u.%u.%u", (unsigned)(a >> 24),
             (unsigned)(a >> 16 & 0xff), (unsigned)(a >> 8 & 0xff),
             (unsigned)(a & 0xff));
    return buf;
}

/* RFC 6056 algorithm 1's spirit: a random place in the RFC 6335
 * dynamic range for each new port, then the next free one from there. */
uint16_t stack_ephemeral_port(void)
{
    return (uint16_t)(49152 + ml_random_below(16384));
}

/* The limited broadcast, or the directed broadcast of our subnet. */
bool ip_is_local_bcast(const struct ml_stack_priv *p, ml_ipv4_addr_t a)
{
    return a == IP_BROADCAST ||
           (p->mask != 0xffffffffu && a == (p->addr | ~p->mask));
}

/* An address a peer may legitimately use as its own. */
bool ip_is_unicast(const struct ml_stack_priv *p, ml_ipv4_addr_t a)
{
    return a != 0 && (a >> 28) < 0xe && (a >> 24) != 127 &&
           !ip_is_local_bcast(p, a);
}

static void on_frame(struct ml_net *dev, uint8_t *f, size_t len, void *arg)
{
    (void)dev;
    ml_stack_input(arg, f, len);
}

void ml_stack_input(struct ml_stack *st, uint8_t *frame, size_t len)
{
    struct ml_stack_priv *p = st->p;

    p->stats.rx_frames++;
    eth_input(p, frame, len);
}

static ml_ipv4_addr_t prefix_mask(unsigned prefix)
{
    return prefix == 0 ? 0 : 0xffffffffu << (32 - prefix);
}

static int check_config(const struct ml_stack_config *cfg, const char *name)
{
    ml_ipv4_addr_t a = cfg->ipv4.addr, m = prefix_mask(cfg->ipv4.prefix);

    if (!cfg->net) {
        printf("stack %s: no net device\n", name);
        return -1;
    }
    if (cfg->dhcp)
        return 0; /* the address comes from the lease */
    if (cfg->ipv4.prefix > 32 || a == 0 || (a >> 28) >= 0xe ||
        (a >> 24) == 127 || (cfg->ipv4.prefix < 31 && (a & ~m) == ~m)) {
        printf("stack %s: %u.%u.%u.%u/%u is not a usable host address\n",
               name, (unsigned)(a >> 24), (unsigned)(a >> 16 & 0xff),
               (unsigned)(a >> 8 & 0xff), (unsigned)(a & 0xff),
               (unsigned)cfg->ipv4.prefix);
        return -1;
    }
    if (cfg->gateway && (cfg->gateway & m) != (a & m)) {
        printf("stack %s: the gateway is not on the subnet\n", name);
        return -1;
    }
    return 0;
}

int ml_stack_init(struct ml_stack *st, const struct ml_stack_config *cfg)
{
    const char *name = cfg && cfg->name ? cfg->name : "stack";
    struct ml_stack_priv *p;

    if (!st || !cfg || check_config(cfg, name) != 0)
        return -1;
    st->name = cfg->name;
    p = calloc(1, sizeof *p);
    if (!p) {
        printf("stack %s: out of memory\n", name);
        return -1;
    }
    p->pub = st;
    p->net = cfg->net;
    memcpy(p->mac, ml_net_mac(cfg->net), 6);
    p->mtu = ml_net_mtu(cfg->net);
    if (p->mtu < 576 - 14) {
        printf("stack %s: MTU %zu is too small\n", name, p->mtu);
        free(p);
        return -1;
    }
    if (p->mtu > 65535)
        p->mtu = 65535;
    p->tx = malloc(p->mtu + ML_NET_HLEN);
    p->addr = cfg->ipv4.addr;
    p->mask = prefix_mask(cfg->ipv4.prefix);
    p->gateway = cfg->gateway;
    /* Seeds the generator now, at boot: without a (working) hardware
     * source it warns on the console, naming the fallback it used. */
    (void)ml_random_hardware();
    p->icmp_tokens = ICMP_ERR_BURST;
    p->icmp_tokens_at = ml_clock_monotonic();
    st->p = p;
    if (!p->tx || tcp_init(p) != 0) {
        printf("stack %s: out of memory\n", name);
        free(p->tx);
        free(p);
        st->p = NULL;
        return -1;
    }
    arp_init(p);
    ipv4_init(p);
    if (ml_net_listen(cfg->net, on_frame, st) != 0) {
        printf("stack %s: cannot listen on %s\n", name, cfg->net->name);
        return -1;
    }
    if (cfg->dhcp) {
        p->addr = p->mask = p->gateway = 0;
        if (dhcp_start(p) != 0) {
            printf("stack %s: cannot start DHCP\n", name);
            return -1;
        }
    } else
        arp_announce(p);
    return 0;
}

ml_ipv4_addr_t ml_stack_addr(const struct ml_stack *st)
{
    return st->p->addr;
}

void ml_stack_on_address(struct ml_stack *st, ml_stack_addr_fn fn, void *arg)
{
    st->p->on_addr = fn;
    st->p->on_addr_arg = arg;
    if (fn && st->p->addr)
        fn(st, st->p->addr, arg);
}

void stack_addr_changed(struct ml_stack_priv *p, ml_ipv4_addr_t old)
{
    if (p->addr != old && p->on_addr)
        p->on_addr(p->pub, p->addr, p->on_addr_arg);
}

const struct ml_stack_stats *ml_stack_stats(const struct ml_stack *st)
{
    return &st->p->stats;
}

void ml_stack_fini(struct ml_stack *st)
{
    struct ml_stack_priv *p;

    if (!st || !(p = st->p))
        return;
    ml_net_stop(p->net);
    dhcp_fini(p);
    tcp_fini(p);
    arp_fini(p);
    ipv4_fini(p);
    for (struct ml_udp_sock *s = p->udp, *n; s; s = n) {
        n = s->next;
        s->st = NULL;
        s->next = NULL;
    }
    free(p->tx);
    free(p);
    st->p = NULL;
}

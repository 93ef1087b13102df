/* Ethernet II: demultiplexing by EtherType, and framing on the way out. */
#include <errno.h>
#include <string.h>
#include "stack_priv.h"

const uint8_t eth_broadcast[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };

void eth_input(struct ml_stack_priv *p, uint8_t *f, size_t len)
{
    bool to_us, bcast;

    if (len < ML_NET_HLEN) {
        p->stats.rx_dropped++;
        return;
    }
    to_us = memcmp(f, p->mac, 6) == 0;
    bcast = memcmp(f, eth_broadcast, 6) == 0;
    switch (get16(f + 12)) {
    case ETHERTYPE_ARP:
        if (to_us || bcast) {
            arp_input(p, f + ML_NET_HLEN, len - ML_NET_HLEN);
            return;
        }
        break;
    case ETHERTYPE_IPV4:
        /* Broadcast frames may carry UDP broadcasts (DHCP); ipv4_input
         * checks the IP destination. Multicast we do not join. */
        if (to_us || bcast) {
            ipv4_input(p, f + ML_NET_HLEN, len - ML_NET_HLEN);
            return;
        }
        break;
    }
    p->stats.rx_dropped++;
}

int eth_send(struct ml_stack_priv *p, uint8_t *f, size_t len,
             const uint8_t *dst, uint16_t type)
{
    memcpy(f, dst, 6);
    memcpy(f + 6, p->mac, 6);
    put16(f + 12, type);
    if (len < ETH_MIN_FRAME) { /* f is p->tx or as large: room to pad */
        memset(f + len, 0, ETH_MIN_FRAME - len);
        len = ETH_MIN_FRAME;
    }
    return ml_net_write(p->net, f, len) == 0 ? 0 : -EIO;
}

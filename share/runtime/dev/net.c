/* The net device: MAC and MTU from the platform, one receive buffer
 * allocated at init, frames read from the loop's readiness callback and
 * handed to the application one at a time. Nothing allocates after init. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <mirleft/loop.h>
#include <mirleft/net.h>

/* Frames read per readiness report before the loop gets a turn (timers,
 * other devices). The ready set is level-triggered - a device with input
 * still waiting is reported again at the next yield - so the rest are read
 * then, without delay. */
#define RX_BUDGET 64

int ml_net_init(struct ml_net *dev, const struct ml_net_config *cfg)
{
    struct ml_net_info info;
    const char *name = cfg && cfg->name ? cfg->name : "";

    memset(dev, 0, sizeof *dev);
    dev->name = name;
    if (ml_plat_net_acquire(name, &dev->handle, &info) != ML_R_OK) {
        fprintf(stderr, "net %s: no such net device is attached "
                        "(mirleft run --net %s=TAP)\n", name, name);
        return -1;
    }
    if (info.mtu < 68 || info.mtu > 65535) {
        fprintf(stderr, "net %s: unusable MTU %zu\n", name, info.mtu);
        return -1;
    }
    dev->buf = malloc(info.mtu + ML_NET_HLEN);
    if (dev->buf == NULL) {
        fprintf(stderr, "net %s: no memory for a %zu-byte receive buffer\n",
                name, info.mtu + ML_NET_HLEN);
        return -1;
    }
    memcpy(dev->mac, info.mac, ML_NET_ALEN);
    dev->mtu = info.mtu;
    return 0;
}

const uint8_t *ml_net_mac(const struct ml_net *dev)
{
    return dev->mac;
}

size_t ml_net_mtu(const struct ml_net *dev)
{
    return dev->mtu;
}

const struct ml_net_stats *ml_net_stats(const struct ml_net *dev)
{
    return &dev->stats;
}

int ml_net_write(struct ml_net *dev, const void *frame, size_t len)
{
    if (frame == NULL || len < ML_NET_HLEN || len > dev->mtu + ML_NET_HLEN)
        return -EINVAL;
    if (ml_plat_net_write(dev->handle, frame, len) != ML_R_OK) {
        dev->stats.tx_drops++;
        return -EIO;
    }
    dev->stats.tx_frames++;
    dev->stats.tx_bytes += len;
    return 0;
}

/* The loop's watcher: read what is waiting, within the budget, and deliver
 * it. The callback may stop the device, so that is checked per frame. */
static void on_ready(ml_handle_t h, void *arg)
{
    struct ml_net *dev = arg;
    size_t size = dev->mtu + ML_NET_HLEN, len;
    int n;

    (void)h;
    for (n = 0; n < RX_BUDGET && dev->listening; n++) {
        ml_result_t r = ml_plat_net_read(dev->handle, dev->buf, size, &len);
        if (r == ML_R_AGAIN)
            return;
        if (r != ML_R_OK) {
            dev->stats.rx_errors++;
            return;
        }
        if (len < ML_NET_HLEN || len > size) {
            dev->stats.rx_drops++;
            continue;
        }
        dev->stats.rx_frames++;
        dev->stats.rx_bytes += len;
        dev->rx(dev, dev->buf, len, dev->rx_arg);
    }
}

int ml_net_listen(struct ml_net *dev, ml_net_rx_fn rx, void *arg)
{
    if (rx == NULL || dev->buf == NULL)
        return -EINVAL;
    dev->rx = rx;
    dev->rx_arg = arg;
    if (ml_loop_watch(dev->handle, on_ready, dev) != 0)
        return -EINVAL;
    dev->listening = true;
    return 0;
}

void ml_net_stop(struct ml_net *dev)
{
    if (dev->listening)
        ml_loop_unwatch(dev->handle);
    dev->listening = false;
}

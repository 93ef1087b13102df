/*
 * The net device: Ethernet frames on a host interface (a tap device on
 * spt). MAC address and MTU come from the platform; the MTU excludes the
 * 14-byte Ethernet header, so a frame is at most mtu + 14 bytes.
 *
 * Receiving is driven by the event loop: ml_net_listen registers a
 * callback, and each time the platform reports the device readable the
 * device reads the waiting frames one by one into its own buffer
 * (mtu + 14 bytes, allocated once by ml_net_init) and calls the callback
 * with each. The frame is the device's and is valid until the callback
 * returns; the callback may change it in place, for instance to turn a
 * request into its reply and pass it to ml_net_write. While listening, the
 * device keeps the loop alive; ml_net_stop lets it end.
 *
 * Sending never blocks and never allocates: the frame is handed to the
 * platform or dropped (counted in tx_drops), as on a real wire.
 */
#ifndef MIRLEFT_NET_H
#define MIRLEFT_NET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <mirleft/platform.h>

#define ML_NET_ALEN 6    /* bytes in a MAC address */
#define ML_NET_HLEN 14   /* Ethernet header: destination, source, type */

struct ml_net;
/* A received frame of len bytes (header included, ML_NET_HLEN <= len <=
 * mtu + ML_NET_HLEN). */
typedef void (*ml_net_rx_fn)(struct ml_net *dev, uint8_t *frame, size_t len,
                             void *arg);

struct ml_net_stats {
    uint64_t rx_frames, rx_bytes; /* delivered to the callback */
    uint64_t rx_drops;            /* read but not delivered (runts) */
    uint64_t rx_errors;           /* the platform failed a read */
    uint64_t tx_frames, tx_bytes; /* handed to the platform */
    uint64_t tx_drops;            /* the platform refused them */
};

struct ml_net {
    const char *name;          /* host-side name */
    /* Private: use the accessors. */
    uint8_t mac[ML_NET_ALEN];
    size_t mtu;
    ml_handle_t handle;
    uint8_t *buf;              /* mtu + ML_NET_HLEN bytes, for receiving */
    ml_net_rx_fn rx;
    void *rx_arg;
    bool listening;
    struct ml_net_stats stats;
};

struct ml_net_config {
    const char *name;
};

/* Acquires the platform's net device called cfg->name and allocates its
 * receive buffer. Returns 0, or -1 after printing why. */
int ml_net_init(struct ml_net *dev, const struct ml_net_config *cfg);

/* The interface's MAC address (ML_NET_ALEN bytes) and MTU. */
const uint8_t *ml_net_mac(const struct ml_net *dev);
size_t ml_net_mtu(const struct ml_net *dev);

/* Sends one frame (header included). Returns 0; -EINVAL if len is below
 * ML_NET_HLEN or above mtu + ML_NET_HLEN, or frame is NULL (nothing sent,
 * nothing counted); -EIO if the platform dropped it (counted in tx_drops). */
int ml_net_write(struct ml_net *dev, const void *frame, size_t len);

/* Starts delivering received frames to rx(dev, frame, len, arg) from the
 * event loop; calling it again replaces the callback. Returns 0, or
 * -EINVAL if rx is NULL or the loop cannot watch the device. */
int ml_net_listen(struct ml_net *dev, ml_net_rx_fn rx, void *arg);
/* Stops delivering frames (harmless if not listening): frames that arrive
 * meanwhile wait on the host side. Callable from the callback. */
void ml_net_stop(struct ml_net *dev);

/* Counters since ml_net_init. */
const struct ml_net_stats *ml_net_stats(const struct ml_net *dev);

#endif

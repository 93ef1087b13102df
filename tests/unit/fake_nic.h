/* The fake net device of stubs.c (handle 2): frames queued for the guest
 * to read, and a log of what it wrote. Tests set it up and inspect it. */
#ifndef FAKE_NIC_H
#define FAKE_NIC_H

#include <stddef.h>
#include <stdint.h>

#define FAKE_NIC_HANDLE 2
#define FAKE_NIC_FRAMES 128
#define FAKE_NIC_MAX 9100

struct fake_nic {
    const char *name;              /* NULL: no net device attached */
    uint8_t mac[6];
    size_t mtu;
    /* queued for ml_plat_net_read, oldest first */
    uint8_t rx[FAKE_NIC_FRAMES][FAKE_NIC_MAX];
    size_t rx_len[FAKE_NIC_FRAMES];
    int rx_head, rx_n;
    /* written by ml_plat_net_write */
    uint8_t tx[FAKE_NIC_FRAMES][FAKE_NIC_MAX];
    size_t tx_len[FAKE_NIC_FRAMES];
    int tx_n;
    long reads, writes, refused;   /* platform calls; refused: EINVAL */
    int fail_reads, fail_writes;   /* this many next calls give EUNSPEC */
};
extern struct fake_nic fake_nic;

/* Queues a frame for the guest; returns 0, or -1 if the queue is full. */
int fake_nic_push(const void *frame, size_t len);

#endif

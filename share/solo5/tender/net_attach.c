/*
 * Attaching a network device (spec §3.1): an existing, UP tap interface
 * (never created here) or an already-open fd, plus a MAC address.
 */
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/if_tun.h>
#include <net/if.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <unistd.h>

#include "tender.h"

/* An fd (@FD) has no interface to ask for its MTU: assume Ethernet. */
#define DEFAULT_MTU 1500

/* Flags and MTU of an interface; exits if it does not exist. */
static void iface_query(const char *iface, short *flags, int *mtu)
{
    struct ifreq ifr;
    int s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (s < 0)
        err(1, "socket");
    memset(&ifr, 0, sizeof ifr);
    strcpy(ifr.ifr_name, iface);        /* length checked by the caller */
    if (ioctl(s, SIOCGIFFLAGS, &ifr) < 0) {
        if (errno == ENODEV)
            errx(1, "Could not attach interface: %s: No such device (create "
                 "it: ip tuntap add dev %s mode tap user $USER; ip link set "
                 "dev %s up)", iface, iface, iface);
        err(1, "Could not attach interface: %s", iface);
    }
    *flags = ifr.ifr_flags;
    if (ioctl(s, SIOCGIFMTU, &ifr) < 0)
        err(1, "Could not get MTU of interface: %s", iface);
    *mtu = ifr.ifr_mtu;
    close(s);
}

static int tap_attach(const char *iface, int *mtu)
{
    struct ifreq ifr;
    short flags;

    if (strlen(iface) > IFNAMSIZ - 1)
        errx(1, "Interface name too long (max %d characters): %s",
             IFNAMSIZ - 1, iface);
    /* Check first: TUNSETIFF would create a missing interface. */
    iface_query(iface, &flags, mtu);
    if (!(flags & IFF_UP))
        errx(1, "Interface %s is down (ip link set %s up)", iface, iface);
    int fd = open("/dev/net/tun", O_RDWR | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0)
        err(1, "Could not open /dev/net/tun");
    memset(&ifr, 0, sizeof ifr);
    ifr.ifr_flags = IFF_TAP | IFF_NO_PI;
    strcpy(ifr.ifr_name, iface);
    if (ioctl(fd, TUNSETIFF, &ifr) < 0) {
        if (errno == EBUSY)
            errx(1, "Could not attach interface: %s: it is in use (by "
                 "another tender?) or is not a tap device", iface);
        err(1, "Could not attach interface: %s", iface);
    }
    if (strncmp(ifr.ifr_name, iface, IFNAMSIZ) != 0)
        errx(1, "Could not attach interface %s: got %.*s instead", iface,
             IFNAMSIZ, ifr.ifr_name);
    /* No offloads: the guest must never see frames larger than the MTU. */
    (void)ioctl(fd, TUNSETOFFLOAD, 0);
    return fd;
}

static int fd_attach(const char *spec)
{
    uint64_t n;
    if (!parse_u64(spec, &n) || n > INT_MAX)
        errx(1, "Invalid file descriptor: @%s", spec);
    int fd = (int)n;
    int fl = fcntl(fd, F_GETFL);
    if (fl < 0 || fcntl(fd, F_SETFL, fl | O_NONBLOCK) < 0)
        err(1, "Could not use file descriptor @%d", fd);
    return fd;
}

void net_attach(struct mft_entry *e, const struct dev_opt *o)
{
    int mtu = DEFAULT_MTU;
    int fd = o->net_spec[0] == '@' ? fd_attach(o->net_spec + 1)
                                   : tap_attach(o->net_spec, &mtu);
    if (mtu < 68 || mtu > UINT16_MAX)
        errx(1, "%s: unsupported MTU %d", o->net_spec, mtu);
    if (o->mac_set) {
        memcpy(e->u.net_basic.mac, o->mac, 6);
    } else {
        if (getrandom(e->u.net_basic.mac, 6, 0) != 6)
            err(1, "getrandom");
        /* A unicast, locally administered address. */
        e->u.net_basic.mac[0] = (uint8_t)((e->u.net_basic.mac[0] & ~1u) | 2u);
    }
    e->u.net_basic.mtu = (uint16_t)mtu;
    e->b.hostfd = fd;
    e->attached = true;
}

/* What `mirleft configure` generates for the net-ping template, by hand:
 * the unit test compiles templates/net-ping/unikernel.c against it. */
#ifndef MLGEN_DEVICES_H
#define MLGEN_DEVICES_H

#include <stdbool.h>
#include <stdint.h>

#include <mirleft/args.h>
#include <mirleft/net.h>

struct devices {
    struct ml_net service;
};

struct args {
    struct ml_ipv4_prefix ipv4;
    int64_t limit;
};

#endif

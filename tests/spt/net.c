/*
 * Network device checks: acquire "service0" and print its MTU and MAC;
 * with "wait", sleep in ml_plat_yield until a frame arrives (at most 5 s),
 * read it, and send one broadcast frame back.
 */
#include "guest.h"

static uint8_t frame[65536 + 14];

static void say_mac(const uint8_t *m)
{
    static const char hex[] = "0123456789abcdef";
    char s[18];
    for (int i = 0; i < 6; i++) {
        s[3 * i] = hex[m[i] >> 4];
        s[3 * i + 1] = hex[m[i] & 15];
        s[3 * i + 2] = i < 5 ? ':' : '\0';
    }
    say(s);
}

static int wait_frame(ml_handle_t h, const struct ml_net_info *ni)
{
    ml_time_t end = ml_plat_clock_monotonic() + 5000000000ull;
    size_t len = 0;
    ml_result_t r;
    while ((r = ml_plat_net_read(h, frame, sizeof frame, &len)) == ML_R_AGAIN) {
        ml_handle_set_t ready = 0;
        CHECK(10, ml_plat_clock_monotonic() < end);
        ml_plat_yield(end, &ready);
        CHECK(11, ready == 0 || ready == (1ull << h));
    }
    CHECK(12, r == ML_R_OK && len >= 14 && len <= ni->mtu + 14);
    say("frame ");
    say_u64(len);
    say(" bytes, ethertype ");
    say_hex((uint64_t)frame[12] << 8 | frame[13]);
    say("\n");
    /* A broadcast frame with an unused ethertype, from our MAC. */
    for (int i = 0; i < 6; i++) {
        frame[i] = 0xff;
        frame[6 + i] = ni->mac[i];
    }
    frame[12] = 0x88;
    frame[13] = 0xb5;             /* local experimental ethertype */
    CHECK(13, ml_plat_net_write(h, frame, 60) == ML_R_OK);
    CHECK(14, ml_plat_net_write(h, frame, ni->mtu + 15) == ML_R_EINVAL);
    size_t small;
    CHECK(15, ml_plat_net_read(h, frame, 100, &small) == ML_R_EINVAL);
    return 0;
}

int ml_plat_main(const struct ml_start_info *si)
{
    ml_handle_t h;
    struct ml_net_info ni;
    CHECK(1, ml_plat_net_acquire("service0", &h, &ni) == ML_R_OK);
    CHECK(2, h == 1);
    say("MTU is ");
    say_u64(ni.mtu);
    say("\nMAC is ");
    say_mac(ni.mac);
    say("\n");
    if (cmd_is(si->cmdline, "wait")) {
        int rc = wait_frame(h, &ni);
        if (rc)
            return rc;
    }
    say("SUCCESS\n");
    return 0;
}

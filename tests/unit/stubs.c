/* A fake platform for the runtime under test: the console is a buffer, the
 * clock is a variable, yield jumps the clock to the deadline (or to the
 * next scripted device event), exit and abort longjmp back to the test. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "mlt.h"

ml_time_t fake_now;
char console[1 << 16];
size_t console_len;
int console_writes, console_echo, yields;
jmp_buf exit_jmp;
int exit_armed;
long checks, failures;

#define MAX_EVENTS 64
static struct { ml_time_t at; ml_handle_set_t h; } events[MAX_EVENTS];
static int nevents;

void console_reset(void)
{
    console_len = 0;
    console_writes = 0;
    console[0] = 0;
}

void mlt_ml_plat_console_write(const char *buf, size_t len)
{
    console_writes++;
    if (console_echo && write(2, buf, len) < 0)
        abort();
    if (console_len + len < sizeof console) {
        memcpy(console + console_len, buf, len);
        console_len += len;
        console[console_len] = 0;
    }
}

ml_time_t mlt_ml_plat_clock_monotonic(void) { return fake_now; }
ml_time_t mlt_ml_plat_clock_wall(void) { return 1700000000ULL * 1000000000ULL + fake_now; }

void fake_event(ml_time_t at, ml_handle_set_t handles)
{
    events[nevents].at = at;
    events[nevents].h = handles;
    nevents++;
}

void mlt_ml_plat_yield(ml_time_t deadline, ml_handle_set_t *ready)
{
    int i, best = -1;

    yields++;
    for (i = 0; i < nevents; i++)
        if (events[i].at <= deadline && (best < 0 || events[i].at < events[best].at))
            best = i;
    if (best >= 0) {
        if (events[best].at > fake_now)
            fake_now = events[best].at;
        if (ready)
            *ready = events[best].h;
        events[best] = events[--nevents];
        return;
    }
    if (deadline == (ml_time_t)-1) {
        fprintf(stderr, "yield: would sleep forever\n");
        exit(99);
    }
    if (deadline > fake_now)
        fake_now = deadline;
    if (ready)
        *ready = 0;
}

void mlt_ml_plat_exit(int status)
{
    if (exit_armed)
        longjmp(exit_jmp, status + 1);
    _exit(status);
}

void mlt_ml_plat_abort(void)
{
    if (exit_armed)
        longjmp(exit_jmp, 256 + 1);
    _exit(134);
}

/* The generated boot, for the boot test: the test sets what it does. */
int (*fake_boot)(const char *cmdline);
int mlt_mlgen_boot(const char *cmdline)
{
    return fake_boot ? fake_boot(cmdline) : 0;
}

int report(const char *name)
{
    printf("%s: %ld checks, %ld failures\n", name, checks, failures);
    return failures != 0;
}

/* A fake block device for the device tests (tests/unit/fake_disk.h): one
 * disk, handle 1, backed by memory the test provides. The runtime's own
 * checks come first; these repeat the bindings' (whole blocks, in range)
 * and count what reaches the "host". */
struct fake_disk {
    const char *name;
    uint8_t *data;
    uint64_t capacity, block_size;
    long reads, writes, refused; /* platform calls */
    long fail_after;             /* >= 0: calls after this many fail */
} fake_disk = { .fail_after = -1 };

ml_result_t mlt_ml_plat_block_acquire(const char *name, ml_handle_t *h,
                                      struct ml_block_info *info)
{
    if (!fake_disk.name || !name || strcmp(name, fake_disk.name) != 0)
        return ML_R_EINVAL;
    *h = 1;
    info->capacity = fake_disk.capacity;
    info->block_size = fake_disk.block_size;
    return ML_R_OK;
}

static ml_result_t fake_block_io(ml_handle_t h, uint64_t off, size_t len)
{
    uint64_t bs = fake_disk.block_size;
    if (h != 1 || !bs || off % bs || len % bs || off > fake_disk.capacity ||
        len > fake_disk.capacity - off) {
        fake_disk.refused++;
        return ML_R_EINVAL;
    }
    if (fake_disk.fail_after >= 0 &&
        fake_disk.reads + fake_disk.writes >= fake_disk.fail_after)
        return ML_R_EUNSPEC;
    return ML_R_OK;
}

ml_result_t mlt_ml_plat_block_read(ml_handle_t h, uint64_t off, uint8_t *buf,
                                   size_t len)
{
    ml_result_t r = fake_block_io(h, off, len);
    if (r == ML_R_OK)
        memcpy(buf, fake_disk.data + off, len);
    fake_disk.reads++;
    return r;
}

ml_result_t mlt_ml_plat_block_write(ml_handle_t h, uint64_t off,
                                    const uint8_t *buf, size_t len)
{
    ml_result_t r = fake_block_io(h, off, len);
    if (r == ML_R_OK)
        memcpy(fake_disk.data + off, buf, len);
    fake_disk.writes++;
    return r;
}

/* A fake net device for the net tests (tests/unit/fake_nic.h): handle 2,
 * the bindings' checks (frame size against the MTU), frames from a queue
 * the test fills, writes logged for the test to read. */
#include "fake_nic.h"

struct fake_nic fake_nic;

int fake_nic_push(const void *frame, size_t len)
{
    int i = (fake_nic.rx_head + fake_nic.rx_n) % FAKE_NIC_FRAMES;
    if (fake_nic.rx_n == FAKE_NIC_FRAMES || len > FAKE_NIC_MAX)
        return -1;
    memcpy(fake_nic.rx[i], frame, len);
    fake_nic.rx_len[i] = len;
    fake_nic.rx_n++;
    return 0;
}

ml_result_t mlt_ml_plat_net_acquire(const char *name, ml_handle_t *h,
                                    struct ml_net_info *info)
{
    if (!fake_nic.name || !name || strcmp(name, fake_nic.name) != 0)
        return ML_R_EINVAL;
    *h = FAKE_NIC_HANDLE;
    memcpy(info->mac, fake_nic.mac, 6);
    info->mtu = fake_nic.mtu;
    return ML_R_OK;
}

ml_result_t mlt_ml_plat_net_read(ml_handle_t h, uint8_t *buf, size_t size,
                                 size_t *read_size)
{
    fake_nic.reads++;
    if (h != FAKE_NIC_HANDLE || size < fake_nic.mtu + 14) {
        fake_nic.refused++;
        return ML_R_EINVAL;
    }
    if (fake_nic.fail_reads > 0) {
        fake_nic.fail_reads--;
        return ML_R_EUNSPEC;
    }
    if (fake_nic.rx_n == 0)
        return ML_R_AGAIN;
    size_t len = fake_nic.rx_len[fake_nic.rx_head];
    if (len > size)
        len = size;     /* a tap truncates what does not fit */
    memcpy(buf, fake_nic.rx[fake_nic.rx_head], len);
    *read_size = len;
    fake_nic.rx_head = (fake_nic.rx_head + 1) % FAKE_NIC_FRAMES;
    fake_nic.rx_n--;
    return ML_R_OK;
}

ml_result_t mlt_ml_plat_net_write(ml_handle_t h, const uint8_t *buf,
                                  size_t len)
{
    fake_nic.writes++;
    if (h != FAKE_NIC_HANDLE || len > fake_nic.mtu + 14) {
        fake_nic.refused++;
        return ML_R_EINVAL;
    }
    if (fake_nic.fail_writes > 0) {
        fake_nic.fail_writes--;
        return ML_R_EUNSPEC;
    }
    if (fake_nic.tx_n < FAKE_NIC_FRAMES && len <= FAKE_NIC_MAX) {
        memcpy(fake_nic.tx[fake_nic.tx_n], buf, len);
        fake_nic.tx_len[fake_nic.tx_n] = len;
        fake_nic.tx_n++;
    }
    return ML_R_OK;
}

/* A fake entropy source (mlt.h's struct fake_entropy): by default a
 * conditioned source giving a fixed, non-repeating byte stream, so the
 * stack tests are reproducible; tests of the seeding switch it to no
 * source, a stuck one (every byte `stuck`), or raw noise. */
struct fake_entropy fake_entropy = { .kind = ML_ENTROPY_FULL, .state = 1 };

ml_entropy_t mlt_ml_plat_entropy(void *buf, size_t len, const char **what)
{
    uint8_t *p = buf;

    fake_entropy.calls++;
    *what = fake_entropy.name ? fake_entropy.name : "fake source";
    if (fake_entropy.kind == ML_ENTROPY_NONE)
        return ML_ENTROPY_NONE;
    for (size_t i = 0; i < len; i++) {
        uint64_t z = (fake_entropy.state += 0x9e3779b97f4a7c15ULL);
        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
        z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
        p[i] = fake_entropy.stuck_on ? fake_entropy.stuck
                                     : (uint8_t)(z ^ (z >> 31));
    }
    return fake_entropy.kind;
}

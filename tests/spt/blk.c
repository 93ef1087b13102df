/*
 * Block device checks through the platform interface, plus hostile calls.
 * The first word of the command line picks the mode:
 *   rw        write/read-back, bounds and pointer checks; prints SUCCESS
 *   persist   writes "MIRLEFT!" at the start of block 1
 *   raw-count, raw-beyond, raw-fd
 *             raw pwrite64/pread64 calls that the seccomp filter must kill
 *   maxdev    (63-device manifest) acquires storage0 and storage62
 */
#include "guest.h"
#include "solo5_mft.h"
#include "solo5_spt.h"

#define MAXBS 32768

static uint8_t buf[4 * MAXBS];
static uint8_t buf2[4 * MAXBS];

static void fill(uint8_t *p, size_t n, uint64_t seed)
{
    for (size_t i = 0; i < n; i++)
        p[i] = (uint8_t)(seed * 31 + i * 7 + (i >> 8));
}

static int same(const uint8_t *a, const uint8_t *b, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (a[i] != b[i])
            return 0;
    return 1;
}

static int rw(const struct ml_start_info *si)
{
    ml_handle_t h;
    struct ml_block_info bi;
    CHECK(1, ml_plat_block_acquire("storage", &h, &bi) == ML_R_OK);
    uint64_t bs = bi.block_size, cap = bi.capacity;
    say("capacity ");
    say_u64(cap);
    say(" block size ");
    say_u64(bs);
    say("\n");
    CHECK(2, bs >= 512 && bs <= MAXBS && cap % bs == 0);

    /* Every 10th block, then the last one: write, read back, compare. */
    for (uint64_t off = 0; off < cap; off += 10 * bs) {
        fill(buf, bs, off / bs);
        CHECK(3, ml_plat_block_write(h, off, buf, bs) == ML_R_OK);
        CHECK(4, ml_plat_block_read(h, off, buf2, bs) == ML_R_OK);
        CHECK(5, same(buf, buf2, bs));
    }
    fill(buf, bs, 12345);
    CHECK(6, ml_plat_block_write(h, cap - bs, buf, bs) == ML_R_OK);
    CHECK(7, ml_plat_block_read(h, cap - bs, buf2, bs) == ML_R_OK);
    CHECK(8, same(buf, buf2, bs));

    /* Multi-block requests are split by the bindings. */
    if (cap >= 4 * bs) {
        fill(buf, 4 * bs, 777);
        CHECK(9, ml_plat_block_write(h, 0, buf, 4 * bs) == ML_R_OK);
        CHECK(10, ml_plat_block_read(h, 0, buf2, 4 * bs) == ML_R_OK);
        CHECK(11, same(buf, buf2, 4 * bs));
    }

    /* Out of range or misaligned: refused before any system call. */
    CHECK(20, ml_plat_block_write(h, cap, buf, bs) == ML_R_EINVAL);
    CHECK(21, ml_plat_block_read(h, cap, buf, bs) == ML_R_EINVAL);
    CHECK(22, ml_plat_block_write(h, 0, buf, bs + 1) == ML_R_EINVAL);
    CHECK(23, ml_plat_block_write(h, 0, buf, bs - 1) == ML_R_EINVAL);
    CHECK(24, ml_plat_block_read(h, bs - 1, buf, bs) == ML_R_EINVAL);
    CHECK(25, ml_plat_block_write(h, cap - bs, buf, 2 * bs) == ML_R_EINVAL);
    CHECK(26, ml_plat_block_read(h, UINT64_MAX - bs + 1, buf, bs) == ML_R_EINVAL);
    CHECK(27, ml_plat_block_write(h, 0, buf, SIZE_MAX - bs + 1) == ML_R_EINVAL);

    /* Bad handles and names. */
    CHECK(30, ml_plat_block_read(0, 0, buf, bs) == ML_R_EINVAL);
    CHECK(31, ml_plat_block_read(h + 1, 0, buf, bs) == ML_R_EINVAL);
    CHECK(32, ml_plat_block_read(UINT64_MAX, 0, buf, bs) == ML_R_EINVAL);
    ml_handle_t h2;
    CHECK(33, ml_plat_block_acquire("nosuch", &h2, &bi) == ML_R_EINVAL);
    CHECK(34, ml_plat_block_acquire(NULL, &h2, &bi) == ML_R_EINVAL);
    struct ml_net_info ni;
    CHECK(35, ml_plat_net_acquire("storage", &h2, &ni) == ML_R_EINVAL);
    CHECK(36, ml_plat_net_write(h, buf, 60) == ML_R_EINVAL);

    /* Hostile buffers: outside guest memory, wrapping, or read-only. */
    uintptr_t top = si->heap_start + si->heap_size;    /* = mem_size */
    CHECK(40, ml_plat_block_read(h, 0, NULL, bs) == ML_R_EINVAL);
    CHECK(41, ml_plat_block_read(h, 0, (uint8_t *)8, bs) == ML_R_EINVAL);
    CHECK(42, ml_plat_block_read(h, 0, (uint8_t *)(top - bs / 2), bs)
                  == ML_R_EINVAL);
    CHECK(43, ml_plat_block_read(h, 0, (uint8_t *)top, bs) == ML_R_EINVAL);
    CHECK(44, ml_plat_block_read(h, 0, (uint8_t *)0x7ff000000000ull, bs)
                  == ML_R_EINVAL);
    CHECK(45, ml_plat_block_read(h, 0, (uint8_t *)(UINTPTR_MAX - 16), bs)
                  == ML_R_EINVAL);
    CHECK(46, ml_plat_block_write(h, 0, (const uint8_t *)(UINTPTR_MAX - 16),
                                  bs) == ML_R_EINVAL);
    /* Text is mapped read-only: the host refuses (EFAULT), the guest lives. */
    uint8_t *text = (uint8_t *)(uintptr_t)ml_plat_main;
    uint8_t before = *text;
    CHECK(47, ml_plat_block_read(h, 0, text, bs) == ML_R_EUNSPEC);
    CHECK(48, *text == before);
    say("SUCCESS\n");
    return 0;
}

static int persist(void)
{
    ml_handle_t h;
    struct ml_block_info bi;
    CHECK(1, ml_plat_block_acquire("storage", &h, &bi) == ML_R_OK);
    for (uint64_t i = 0; i < bi.block_size; i++)
        buf[i] = (uint8_t)"MIRLEFT!"[i % 8];
    CHECK(2, ml_plat_block_write(h, bi.block_size, buf, bi.block_size)
                 == ML_R_OK);
    say("SUCCESS\n");
    return 0;
}

/* Bypass the bindings: the seccomp filter is the last line of defence. */
static int raw(const char *mode)
{
    const struct mft *m = (const struct mft *)(SPT_BOOT_INFO_BASE +
                                               sizeof(struct spt_boot_info));
    const struct mft_entry *e = &m->e[1];
    long fd = e->b.hostfd, bs = e->u.block_basic.block_size;
    long cap = (long)e->u.block_basic.capacity;
    if (cmd_is(mode, "raw-count"))
        raw_syscall4(18, fd, (long)buf, 2 * bs, 0);   /* pwrite64, 2 blocks */
    else if (cmd_is(mode, "raw-beyond"))
        raw_syscall4(18, fd, (long)buf, bs, cap);     /* pwrite64 past end */
    else if (cmd_is(mode, "raw-fd"))
        raw_syscall4(17, 0, (long)buf, bs, 0);        /* pread64 on stdin */
    else if (cmd_is(mode, "raw-ok")) {
        CHECK(1, raw_syscall4(17, fd, (long)buf, bs, cap - bs) == bs);
        say("SUCCESS\n");
        return 0;
    }
    say("still alive\n");
    return 1;
}

static int maxdev(void)
{
    ml_handle_t h;
    struct ml_block_info bi;
    CHECK(1, ml_plat_block_acquire("storage0", &h, &bi) == ML_R_OK);
    CHECK(2, h == 1);
    CHECK(3, ml_plat_block_acquire("storage62", &h, &bi) == ML_R_OK);
    CHECK(4, h == 63);
    CHECK(5, ml_plat_block_read(h, 0, buf, bi.block_size) == ML_R_OK);
    say("SUCCESS\n");
    return 0;
}

int ml_plat_main(const struct ml_start_info *si)
{
    const char *c = si->cmdline;
    if (cmd_is(c, "rw"))
        return rw(si);
    if (cmd_is(c, "persist"))
        return persist();
    if (starts_with(c, "raw-"))
        return raw(c);
    if (cmd_is(c, "maxdev"))
        return maxdev();
    say("unknown mode\n");
    return 1;
}

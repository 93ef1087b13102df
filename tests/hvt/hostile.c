/*
 * A hostile hvt guest: it makes raw hypercalls with bad arguments, which
 * the tender must refuse (exit 1, "Invalid guest access" and the like)
 * without touching memory outside the guest. Manifest: "storage" (block,
 * handle 1) and "service0" (net, handle 2). The first word picks:
 *   hc NR GPA         OUT of GPA to port 0x500 + NR
 *   puts GPA LEN      PUTS with data = GPA, len = LEN
 *   bread GPA LEN     BLOCK_READ of block 0 into GPA
 *   bwrite GPA LEN    BLOCK_WRITE of block 0 from GPA
 *   nread GPA LEN     NET_READ into GPA
 *   nwrite GPA LEN    NET_WRITE from GPA
 *   halt GPA          HALT 7 with cookie GPA
 *   handles           block and net calls on bad handles: EINVAL
 *   outb PORT, outw PORT, inl PORT     wrong sizes or direction
 * GPA and LEN are decimal or 0x-hex; "top" is mem_size, "text" a
 * function's address, "ok" a scratch buffer.
 */
#include "guest.h"
#include "solo5_hvt.h"
#include "solo5_mft.h"

static uint8_t scratch[4096];
static uint64_t mem_size;

static void hc(unsigned nr, uint64_t gpa)
{
    __asm__ volatile("outl %0, %1"
                     :
                     : "a"((uint32_t)gpa), "Nd"((uint16_t)(0x500 + nr))
                     : "memory");
}

static const char *num(const char *c, uint64_t *v)
{
    while (*c == ' ')
        c++;
    *v = 0;
    if (starts_with(c, "top"))
        *v = mem_size;
    else if (starts_with(c, "text"))
        *v = (uint64_t)(uintptr_t)hc;
    else if (starts_with(c, "ok"))
        *v = (uint64_t)(uintptr_t)scratch;
    else if (c[0] == '0' && c[1] == 'x')
        for (c += 2; (*c >= '0' && *c <= '9') || (*c >= 'a' && *c <= 'f');
             c++)
            *v = *v * 16 + (uint64_t)(*c <= '9' ? *c - '0' : *c - 'a' + 10);
    else
        *v = parse_num(c);
    while (*c && *c != ' ')
        c++;
    return c;
}

static void result(int32_t ret)
{
    say("ret ");
    say_u64((uint64_t)(uint32_t)ret);
    say("\n");
}

int ml_plat_main(const struct ml_start_info *si)
{
    uint64_t a = 0, b = 0;
    mem_size = si->heap_start + si->heap_size;
    const char *w = si->cmdline;
    while (*w && *w != ' ')
        w++;
    w = num(w, &a);
    num(w, &b);

    if (cmd_is(si->cmdline, "hc")) {
        hc((unsigned)a, b);
    } else if (cmd_is(si->cmdline, "puts")) {
        volatile struct hvt_hc_puts p = { .data = a, .len = b };
        hc(HVT_HYPERCALL_PUTS, (uintptr_t)&p);
    } else if (cmd_is(si->cmdline, "bread") || cmd_is(si->cmdline, "bwrite")) {
        volatile struct hvt_hc_block_read p = {
            .handle = 1, .offset = 0, .data = a, .len = b };
        hc(cmd_is(si->cmdline, "bread") ? HVT_HYPERCALL_BLOCK_READ
                                         : HVT_HYPERCALL_BLOCK_WRITE,
           (uintptr_t)&p);
        result(p.ret);
    } else if (cmd_is(si->cmdline, "nread")) {
        volatile struct hvt_hc_net_read p = { .handle = 2, .data = a, .len = b };
        hc(HVT_HYPERCALL_NET_READ, (uintptr_t)&p);
        result(p.ret);
    } else if (cmd_is(si->cmdline, "nwrite")) {
        volatile struct hvt_hc_net_write p = { .handle = 2, .data = a, .len = b };
        hc(HVT_HYPERCALL_NET_WRITE, (uintptr_t)&p);
        result(p.ret);
    } else if (cmd_is(si->cmdline, "halt")) {
        volatile struct hvt_hc_halt p = { .cookie = a, .exit_status = 7 };
        hc(HVT_HYPERCALL_HALT, (uintptr_t)&p);
    } else if (cmd_is(si->cmdline, "handles")) {
        static const uint64_t bad[] = { 0, 2, 3, 64, UINT64_MAX };
        for (unsigned i = 0; i < sizeof bad / sizeof bad[0]; i++) {
            volatile struct hvt_hc_block_read p = {
                .handle = bad[i] == 2 ? 2 : bad[i], .offset = 0,
                .data = (uintptr_t)scratch, .len = 512 };
            hc(HVT_HYPERCALL_BLOCK_READ, (uintptr_t)&p);
            CHECK(1, p.ret == 2);
            volatile struct hvt_hc_net_write q = {
                .handle = bad[i] == 2 ? 1 : bad[i],
                .data = (uintptr_t)scratch, .len = 60 };
            hc(HVT_HYPERCALL_NET_WRITE, (uintptr_t)&q);
            CHECK(2, q.ret == 2);
        }
        /* Past the end of the device, and wrapping. */
        volatile struct hvt_hc_block_read p = {
            .handle = 1, .offset = 4096, .data = (uintptr_t)scratch,
            .len = 512 };
        hc(HVT_HYPERCALL_BLOCK_READ, (uintptr_t)&p);
        CHECK(3, p.ret == 2);
        p.offset = UINT64_MAX - 100;
        p.ret = 0;
        hc(HVT_HYPERCALL_BLOCK_READ, (uintptr_t)&p);
        CHECK(4, p.ret == 2);
        p.offset = 0;
        p.len = UINT64_MAX;
        p.ret = 0;
        hc(HVT_HYPERCALL_BLOCK_READ, (uintptr_t)&p);
        CHECK(5, p.ret == 2);
        say("SUCCESS\n");
        return 0;
    } else if (cmd_is(si->cmdline, "bootinfo")) {
        /* The 56-byte boot info of spec §4.6, as the tender wrote it. */
        const struct hvt_boot_info *bi =
            (const struct hvt_boot_info *)HVT_BOOT_INFO_BASE;
        extern char _erodata[];
        CHECK(1, bi->mem_size == mem_size);
        CHECK(2, bi->kernel_end % 4096 == 0 &&
                 bi->kernel_end > (uintptr_t)_erodata);
        CHECK(3, bi->cpu_cycle_freq > 100000000ull);
        CHECK(4, bi->mft == 0x10038);
        CHECK(5, bi->cmdline == 0x10038 + 8 + 104 * 3);
        CHECK(6, bi->host_features == 0 && bi->guest_features == 0);
        CHECK(7, bi->net_ring == 0);
        const struct mft *m = (const struct mft *)(uintptr_t)bi->mft;
        CHECK(8, m->version == 1 && m->entries == 3);
        CHECK(9, m->e[1].attached && m->e[1].u.block_basic.capacity == 4096 &&
                 m->e[1].u.block_basic.block_size == 512);
        CHECK(10, m->e[2].attached && m->e[2].u.net_basic.mtu == 1500);
        say("mem_size ");
        say_hex(bi->mem_size);
        say(" kernel_end ");
        say_hex(bi->kernel_end);
        say(" tsc ");
        say_u64(bi->cpu_cycle_freq);
        say("\nSUCCESS\n");
        return 0;
    } else if (cmd_is(si->cmdline, "outb")) {
        __asm__ volatile("outb %%al, %%dx" : : "a"(0), "d"((uint16_t)a));
    } else if (cmd_is(si->cmdline, "outw")) {
        __asm__ volatile("outw %%ax, %%dx" : : "a"(0), "d"((uint16_t)a));
    } else if (cmd_is(si->cmdline, "inl")) {
        uint32_t v;
        __asm__ volatile("inl %%dx, %%eax" : "=a"(v) : "d"((uint16_t)a));
    } else {
        say("unknown mode\n");
    }
    say("still alive\n");
    return 1;
}

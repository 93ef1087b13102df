/*
 * The tender command line (spec §3.1):
 *   PROG [CORE OPTIONS] [MODULE OPTIONS] [--] KERNEL [ARGS...]
 * The first pass runs before the image is opened (it only needs to find
 * KERNEL); the second needs the manifest, because module options name
 * manifest entries.
 */
#include <err.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tender.h"

#ifndef MIRLEFT_VERSION
#define MIRLEFT_VERSION "unknown"
#endif

#define MIB (1024ull * 1024ull)
/* Guest memory must sit below the tender's own image (at >= 4 GiB under
 * ASLR) and in the 47-bit user address space; the target checks the exact
 * limit, this only keeps the arithmetic far from overflow. */
#define MAX_MEM_MIB (1ull << 26)    /* 64 TiB */

_Noreturn void options_usage(const struct tender_target *t)
{
    fprintf(stderr,
        "usage: %s [ CORE OPTIONS ] [ MODULE OPTIONS ] [ -- ] KERNEL [ ARGS ]\n"
        "KERNEL is the filename of the unikernel to run.\n"
        "ARGS are optional arguments passed to the unikernel.\n"
        "Core options:\n"
        "  [ --mem=512 ] (guest memory in MiB)\n"
        "    --help (display this help)\n"
        "    --version (display version information)\n"
        "%s"
        "Compiled-in module options:\n"
        "    --block:NAME=PATH (attach block device/file)\n"
        "    --block-sector-size:NAME=SIZE (set the block device sector size)\n"
        "    --net:NAME=IFACE | @NN (attach tap at IFACE or at fd @NN as network NAME)\n"
        "    --net-mac:NAME=HWADDR (set HWADDR for network NAME)\n",
        t->prog, t->extra_usage ? t->extra_usage : "");
    exit(1);
}

static _Noreturn void invalid_option(const struct tender_target *t,
                                     const char *opt)
{
    warnx("Invalid option: `%s'", opt);
    options_usage(t);
}

bool parse_u64(const char *s, uint64_t *out)
{
    uint64_t v = 0;
    if (*s == '\0')
        return false;
    for (; *s; s++) {
        if (*s < '0' || *s > '9')
            return false;
        unsigned d = (unsigned)(*s - '0');
        if (v > (UINT64_MAX - d) / 10)
            return false;
        v = v * 10 + d;
    }
    *out = v;
    return true;
}

bool valid_dev_name(const char *s, size_t len)
{
    if (len == 0 || len > MFT_NAME_MAX)
        return false;
    for (size_t i = 0; i < len; i++) {
        char c = s[i];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
              (c >= '0' && c <= '9')))
            return false;
    }
    return true;
}

/* Join ARGS with single spaces; the guest gets at most 8191 characters. */
static void join_args(int argc, char **argv, char *out)
{
    size_t len = 0;
    for (int i = 0; i < argc; i++) {
        size_t n = strlen(argv[i]);
        size_t sep = i > 0;
        if (sep + n > TENDER_CMDLINE_SIZE - 1 - len)
            errx(1, "Guest command line too long (max=%u characters)",
                 TENDER_CMDLINE_SIZE - 1);
        if (sep)
            out[len++] = ' ';
        memcpy(out + len, argv[i], n);
        len += n;
    }
    out[len] = '\0';
}

void options_split(const struct tender_target *t, int argc, char **argv,
                   struct tender_args *a)
{
    int i;
    memset(a, 0, sizeof *a);
    a->opts = argv + 1;
    for (i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--") == 0) {
            a->nopts = i - 1;
            i++;
            goto found;
        }
        if (argv[i][0] != '-')
            break;
        if (strcmp(argv[i], "--help") == 0)
            options_usage(t);
        if (strcmp(argv[i], "--version") == 0) {
            fprintf(stderr, "%s tender, version %s\nABI version %u\n",
                    t->prog, MIRLEFT_VERSION, t->abi_version);
            exit(0);
        }
    }
    a->nopts = i - 1;
found:
    if (i >= argc) {
        warnx("Missing KERNEL operand");
        options_usage(t);
    }
    a->kernel = argv[i];
    join_args(argc - i - 1, argv + i + 1, a->cmdline);
    a->mem_size = TENDER_DEFAULT_MEM_MIB * MIB;
}

static void parse_mem(const char *opt, const char *val, struct tender_args *a)
{
    uint64_t mib;
    if (!parse_u64(val, &mib))
        errx(1, "Invalid memory size in `%s': expected a number of MiB", opt);
    if (mib < TENDER_MIN_MEM_MIB)
        errx(1, "Invalid memory size in `%s': at least %u MiB are needed",
             opt, TENDER_MIN_MEM_MIB);
    if (mib > MAX_MEM_MIB)
        errx(1, "Invalid memory size in `%s': at most %llu MiB", opt,
             (unsigned long long)MAX_MEM_MIB);
    a->mem_size = mib * MIB;
}

/* Parse "xx:xx:xx:xx:xx:xx" (hex, case-insensitive) strictly. */
static bool parse_mac(const char *s, uint8_t mac[6])
{
    for (int i = 0; i < 6; i++) {
        unsigned v = 0;
        for (int j = 0; j < 2; j++, s++) {
            char c = *s;
            unsigned d;
            if (c >= '0' && c <= '9')
                d = (unsigned)(c - '0');
            else if (c >= 'a' && c <= 'f')
                d = (unsigned)(c - 'a' + 10);
            else if (c >= 'A' && c <= 'F')
                d = (unsigned)(c - 'A' + 10);
            else
                return false;
            v = v * 16 + d;
        }
        mac[i] = (uint8_t)v;
        if (*s != (i < 5 ? ':' : '\0'))
            return false;
        if (i < 5)
            s++;
    }
    return true;
}

static void parse_sector_size(const char *val, struct dev_opt *d)
{
    uint64_t n;
    if (!parse_u64(val, &n) || n < TENDER_BLOCK_MIN || (n & (n - 1)) != 0)
        errx(1, "Block size must be a multiple of 2 greater than or equal %u",
             TENDER_BLOCK_MIN);
    if (n > TENDER_BLOCK_MAX)
        errx(1, "Block size must be at most %u", TENDER_BLOCK_MAX);
    d->sector_size = (unsigned)n;
}

/* The module options and the manifest type their NAME must have. */
enum modopt { MOD_BLOCK, MOD_SECTOR, MOD_NET, MOD_MAC };
static const struct {
    const char *prefix;
    uint32_t type;
} modopts[] = {
    [MOD_BLOCK] = { "--block:", MFT_DEV_BLOCK_BASIC },
    [MOD_SECTOR] = { "--block-sector-size:", MFT_DEV_BLOCK_BASIC },
    [MOD_NET] = { "--net:", MFT_DEV_NET_BASIC },
    [MOD_MAC] = { "--net-mac:", MFT_DEV_NET_BASIC },
};

/* "--PREFIX:NAME=VALUE": resolve NAME in the manifest and store VALUE. */
static void apply_module(const struct tender_target *t, struct tender_args *a,
                         const struct mft *m, enum modopt k, const char *opt)
{
    const char *name = opt + strlen(modopts[k].prefix);
    const char *eq = strchr(name, '=');
    char buf[MFT_NAME_SIZE];

    if (eq == NULL || eq[1] == '\0' || !valid_dev_name(name, (size_t)(eq - name)))
        invalid_option(t, opt);
    memcpy(buf, name, (size_t)(eq - name));
    buf[eq - name] = '\0';
    int idx = mft_find(m, buf, modopts[k].type);
    if (idx < 0) {
        warnx("Resource not declared in manifest: '%s'", buf);
        invalid_option(t, opt);
    }
    struct dev_opt *d = &a->dev[idx];
    const char *val = eq + 1;
    switch (k) {
    case MOD_BLOCK:
        if (d->block_path)
            errx(1, "Block device '%s' attached twice", buf);
        d->block_path = val;
        break;
    case MOD_SECTOR:
        parse_sector_size(val, d);
        break;
    case MOD_NET:
        if (d->net_spec)
            errx(1, "Network device '%s' attached twice", buf);
        d->net_spec = val;
        break;
    case MOD_MAC:
        if (!parse_mac(val, d->mac))
            errx(1, "Malformed MAC address for '%s': `%s'", buf, val);
        d->mac_set = true;
        break;
    }
}

void options_apply(const struct tender_target *t, struct tender_args *a,
                   const struct mft *m)
{
    for (int i = 0; i < a->nopts; i++) {
        const char *opt = a->opts[i];
        if (strncmp(opt, "--mem=", 6) == 0) {
            parse_mem(opt, opt + 6, a);
            continue;
        }
        if (t->hide_cpu_rng_option && strcmp(opt, "--hide-cpu-rng") == 0) {
            a->hide_cpu_rng = true;
            continue;
        }
        size_t k;
        for (k = 0; k < sizeof modopts / sizeof modopts[0]; k++)
            if (strncmp(opt, modopts[k].prefix, strlen(modopts[k].prefix)) == 0)
                break;
        if (k == sizeof modopts / sizeof modopts[0])
            invalid_option(t, opt);
        apply_module(t, a, m, (enum modopt)k, opt);
    }
}

/* The resolver and the generators, against a toy data root written to a
 * temporary directory: device types with dependencies (for order, auto
 * binding, cycles, wrong types) and a target that lacks one of them. */
#include <stdlib.h>
#include <unistd.h>

#include "catalogue.h"
#include "config.h"
#include "fsutil.h"
#include "gen.h"
#include "resolve.h"
#include "target.h"
#include "tool_check.h"

static char root[] = "/tmp/mirleft-unit-XXXXXX";
static struct catalogue cat;
static struct target toy;
static struct strlist names;
static char *out;
static size_t outlen;

static void put(const char *rel, const char *text)
{
    char *p = path_join(root, rel);
    char *dir = xstrdup(p);
    *strrchr(dir, '/') = 0;
    mkdir_p(dir);
    CHECK(write_atomic(p, text, strlen(text)) == 1);
    free(dir);
    free(p);
}

static void make_root(void)
{
    CHECK(mkdtemp(root) != NULL);
    put("share/devices/a.yml",
        "type: a\ndoc: an a\nheader: toy/a.h\n"
        "params:\n  level: { type: int, default: 1 }\n"
        "  where: { type: path, host: true, default: files }\n"
        "  addr: { type: ipv4 }\n"
        "deps:\n  peer: { type: b }\n");
    put("share/devices/b.yml",
        "type: b\ndoc: a b\nheader: toy/b.h\nsolo5: BLOCK_BASIC\n"
        "deps:\n  back: { type: a, optional: true }\n");
    put("share/devices/c.yml", "type: c\ndoc: a c\nheader: toy/c.h\n");
    put("targets/toy/target.yml",
        "name: toy\ndoc: toy\nstatus: ready\narch: x86_64\nimage: { suffix: .toy }\n"
        "solo5: { abi-target: 2, abi-version: 2 }\n"
        "toolchain: { cc: cc }\ndevices: { a: {}, b: {} }\n");
    CHECK(catalogue_load(&cat, root, stderr));
    CHECK(cat.n == 3);
    CHECK(target_load(&toy, root, "toy", NULL, stderr) == 0);
    target_names(root, &names);
    CHECK(names.n == 1);
}

/* Loads and resolves text; returns the exit code, messages in `out`. */
static int resolve_text(const char *text, struct config *c, struct graph *g)
{
    struct diag d;
    free(out);
    FILE *f = open_memstream(&out, &outlen);
    diag_init(&d, "u.yml", text, strlen(text), f);
    int r = config_load(c, text, strlen(text), NULL, &d);
    memset(g, 0, sizeof *g);
    if (!r)
        r = resolve(g, c, &cat, &toy, &names, &d);
    fclose(f);
    return r;
}

static void expect(const char *text, int code, const char *msg)
{
    struct config c;
    struct graph g;
    int r = resolve_text(text, &c, &g);
    if (r != code) {
        fprintf(stderr, "expected %d, got %d for:\n%s\n%s\n", code, r, text, out);
        check_failures++;
    }
    CHECK_STR_CONTAINS(out, msg);
    graph_free(&g);
    config_free(&c);
}

#define HEAD "name: x\nmin-version: 0.1\nsources: [a.c]\n"

static void test_order_and_generation(void)
{
    struct config c;
    struct graph g;
    const char *text = HEAD "devices:\n"
        "  first: { type: a, level: 7, addr: { arg: ip, default: 10.0.0.2/24 } }\n"
        "  disk: { type: b, back: first, name: disk0 }\n"
        "  other: { type: b }\n"
        "  third: { type: a, peer: other, addr: 192.168.1.1/16 }\n"
        "args:\n  n: { type: int, default: 3 }\n";
    /* first needs a b: two exist, so it must say which */
    CHECK(resolve_text(text, &c, &g) == EXIT_CONFIG);
    CHECK_STR_CONTAINS(out, "device 'first' needs a b device for 'peer' and there are 2");
    graph_free(&g);
    config_free(&c);

    text = HEAD "devices:\n"
        "  first: { type: a, level: 7, peer: disk, addr: { arg: ip, default: 10.0.0.2/24 } }\n"
        "  disk: { type: b, name: disk0 }\n"
        "  other: { type: b, back: first }\n"
        "args:\n  n: { type: int, default: 3 }\n";
    CHECK(resolve_text(text, &c, &g) == 0);
    if (check_failures)
        fprintf(stderr, "%s", out);
    CHECK(g.n == 3);
    /* dependencies first: disk before first before other */
    CHECK(g.order[0] == 1 && g.order[1] == 0 && g.order[2] == 2);
    CHECK(g.devs[1].handle == 1 && g.devs[2].handle == 2 && g.devs[0].handle == 0);
    CHECK(!strcmp(g.devs[1].host_name, "disk0"));
    CHECK(g.nargs == 2 && !strcmp(g.args[1].name, "ip") && g.args[1].implicit);
    CHECK(g.devs[0].params[2].arg == &g.args[1]);

    struct gen_env env = {.root = root, .project_rel = "../..", .config_name = "u.yml"};
    struct genset a, b;
    generate(&a, &g, &env);
    generate(&b, &g, &env);
    CHECK(a.n == b.n && a.n == 6); /* with buildinfo.c */
    for (size_t i = 0; i < a.n && i < b.n; i++)
        CHECK(a.f[i].len == b.f[i].len && !memcmp(a.f[i].data, b.f[i].data, a.f[i].len));
    const struct genfile *m = genset_find(&a, "main.c");
    CHECK_STR_CONTAINS(m->data, "cfg.level = INT64_C(7);");
    CHECK_STR_CONTAINS(m->data, "cfg.addr = a->ip;");
    CHECK_STR_CONTAINS(m->data, "cfg.peer = &d->disk;");
    CHECK(strstr(m->data, "ml_b_init(&d->disk") < strstr(m->data, "ml_a_init(&d->first"));
    CHECK(strstr(m->data, "where") == NULL); /* host-only parameter */
    const struct genfile *h = genset_find(&a, "devices.h");
    CHECK_STR_CONTAINS(h->data, "struct ml_a first;");
    CHECK_STR_CONTAINS(h->data, "struct ml_ipv4_prefix ip;");
    CHECK_STR_CONTAINS(h->data, "#include <toy/a.h>");
    const struct genfile *ar = genset_find(&a, "args.c");
    CHECK_STR_CONTAINS(ar->data, "{ \"ip\", ML_ARG_IPV4, offsetof(struct args, ip), \"10.0.0.2/24\"");
    const struct genfile *mf = genset_find(&a, "manifest.c");
    CHECK_STR_CONTAINS(mf->data, "{ .name = \"disk0\", .type = MFT_DEV_BLOCK_BASIC }");
    CHECK_STR_CONTAINS(mf->data, ".entries = 3,");
    genset_free(&a);
    genset_free(&b);
    graph_free(&g);
    config_free(&c);
}

static void test_values(void)
{
    struct strbuf sb;
    sb_init(&sb);
    gen_c_value(&sb, VT_IPV4, "10.0.0.2/24");
    gen_c_value(&sb, VT_MAC, "02:aa:00:00:00:01");
    gen_c_value(&sb, VT_SIZE, "4K");
    gen_c_value(&sb, VT_STRING, "a\"b\\c\n?" "?=");
    gen_c_value(&sb, VT_INT, "-9223372036854775808");
    CHECK_STR_CONTAINS(sb.buf, "(struct ml_ipv4_prefix){ 0x0a000002u, 24 }");
    CHECK_STR_CONTAINS(sb.buf, "(struct ml_mac){ { 0x02, 0xaa, 0x00, 0x00, 0x00, 0x01 } }");
    CHECK_STR_CONTAINS(sb.buf, "UINT64_C(4096)");
    CHECK_STR_CONTAINS(sb.buf, "\"a\\\"b\\\\c\\n?\\?=\"");
    CHECK_STR_CONTAINS(sb.buf, "INT64_MIN");
    sb_free(&sb);
}

int main(void)
{
    make_root();
    test_values();
    test_order_and_generation();
    expect(HEAD "devices:\n  x: { type: a, peer: y, addr: 1.2.3.4/8 }\n  y: { type: b, back: x }\n",
           EXIT_CONFIG, "u.yml:5:3: error: the device graph has a cycle: x -> y -> x");
    expect(HEAD "devices:\n  x: { type: a, peer: nope }\n  nopf: b\n", EXIT_CONFIG,
           "device 'x' depends on 'nope', which is not declared");
    expect(HEAD "devices:\n  x: { type: a, peer: nope }\n  nopf: b\n", EXIT_CONFIG,
           "hint: did you mean 'nopf'?");
    expect(HEAD "devices:\n  x: { type: a, peer: z, addr: 1.2.3.4/8 }\n  z: { type: a, peer: w, addr: 1.2.3.4/8 }\n  w: b\n",
           EXIT_CONFIG, "'peer' of device 'x' must be a b device, but 'z' is a a");
    expect(HEAD "devices:\n  x: { type: a }\n", EXIT_CONFIG,
           "device 'x' needs a b device for 'peer' and none is declared");
    expect(HEAD "devices:\n  x: c\n", EXIT_TARGET,
           "u.yml:5:6: error: target 'toy' does not provide device type 'c' (device 'x')");
    expect(HEAD "devices:\n  x: c\n", EXIT_TARGET, "hint: target 'toy' provides: a, b");
    expect(HEAD "devices:\n  x: bb\n", EXIT_CONFIG, "unknown device type 'bb'");
    expect(HEAD "devices:\n  my_disk: b\n", EXIT_CONFIG, "hint: add 'name: mydisk'");
    expect(HEAD "devices:\n  d: { type: b, nmae: q }\n", EXIT_CONFIG, "did you mean 'name'?");
    expect(HEAD "devices:\n  y: b\n  x: { type: a, level: high }\n", EXIT_CONFIG,
           "parameter 'level' of device 'x' (int): expected an integer, found 'high'");
    expect(HEAD "devices:\n  y: b\n  x: { type: a, where: { arg: w } }\n", EXIT_CONFIG,
           "read at build time and cannot come from a runtime argument");
    expect(HEAD "args:\n  ip: string\ndevices:\n  y: b\n  x: { type: a, addr: { arg: ip } }\n",
           EXIT_CONFIG, "argument 'ip' is string but parameter 'addr' of device 'x' is ipv4");
    expect(HEAD "devices:\n  y: b\n  x: { type: a }\n", EXIT_CONFIG, "needs parameter 'addr'");
    expect(HEAD "devices:\n  a1: { type: b, name: s }\n  a2: { type: b, name: s }\n",
           EXIT_CONFIG, "the same host-side name 's'");
    expect(HEAD "targets:\n  tyo: {}\n", EXIT_CONFIG, "did you mean 'toy'?");
    expect(HEAD "devices: { y: b }\ntargets:\n  toy: { devices: { z: {} } }\n",
           EXIT_CONFIG, "unknown device 'z'");
    expect(HEAD "devices: { y: b }\ntargets:\n  toy: { devices: { y: { type: a } } }\n",
           EXIT_CONFIG, "cannot change a device's type");
    free(out);
    catalogue_free(&cat);
    target_free(&toy);
    sl_free(&names);
    rm_rf(root);
    return check_failures != 0;
}

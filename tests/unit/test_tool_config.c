/* The config loader: every error class reported at the right place with
 * the right exit code, and a valid file loaded fully. Messages go to a
 * memory stream so their exact shape can be checked. */
#include <stdlib.h>

#include "config.h"
#include "tool_check.h"

static char *out;
static size_t outlen;

/* Loads text; returns the exit code and leaves the messages in `out`. */
static int load(const char *text, struct config *c)
{
    struct diag d;
    free(out);
    FILE *f = open_memstream(&out, &outlen);
    diag_init(&d, "u.yml", text, strlen(text), f);
    int r = config_load(c, text, strlen(text), NULL, &d);
    fclose(f);
    return r;
}

static void expect(const char *text, int code, const char *msg)
{
    struct config c;
    int r = load(text, &c);
    if (r != code) {
        fprintf(stderr, "expected exit %d, got %d for:\n%s\nmessages:\n%s\n",
                code, r, text, out);
        check_failures++;
    }
    CHECK_STR_CONTAINS(out, msg);
    config_free(&c);
}

#define HEAD "name: x\nmin-version: 0.1\nsources: [a.c]\n"

int main(void)
{
    struct config c;
    CHECK(load(HEAD "devices:\n  console: console\n  disk: { type: block, size: 1M }\n"
               "args:\n  n: { type: int, default: 3, doc: count }\n  s: string\n", &c) == 0);
    CHECK(c.ndevs == 2 && !strcmp(c.devs[1].name, "disk") &&
          !strcmp(c.devs[1].type, "block") && c.devs[1].type_pos.line == 6);
    CHECK(c.nargs == 2 && c.args[0].type == VT_INT && !strcmp(c.args[0].def, "3"));
    CHECK(c.args[1].type == VT_STRING && c.args[1].def == NULL);
    CHECK(!strcmp(c.entry, "start") && c.sources.n == 1);
    config_free(&c);

    /* The version bound comes first, before unknown keys. */
    expect("name: x\nmin-version: 99.0\nfuture-key: 1\n", EXIT_VERSION,
           "u.yml:2:14: error: this project needs mirleft >= 99.0, this is");
    expect("name: x\nmin-version: 0.1\nmax-version: 0.1.0.0\n", EXIT_CONFIG,
           "u.yml:3:14: error: max-version: expected a version");
    expect("name: x\nmin-version: 0.0.1\nmax-version: 0.1\n", EXIT_VERSION,
           "needs mirleft < 0.1");
    expect("name: x\nmin-version: 0.2\nmax-version: 0.1\n", EXIT_VERSION,
           "max-version 0.1 is not greater than min-version 0.2");
    expect("name: x\nmax-version: 0.1\n", EXIT_VERSION, "needs mirleft < 0.1");
    expect("name: x\nsources: [a.c]\n", EXIT_CONFIG,
           "missing required key 'min-version'");
    /* Syntax, duplicates, aliases, documents. */
    expect("name: [x\n", EXIT_CONFIG, "u.yml:2:1: error: YAML syntax:");
    expect(HEAD "name: y\n", EXIT_CONFIG, "u.yml:4:1: error: duplicate key 'name'");
    expect(HEAD "devices:\n  a: console\n  a: clock\n", EXIT_CONFIG,
           "u.yml:6:3: error: duplicate key 'a'");
    expect("a: &x 1\nb: *x\n", EXIT_CONFIG, "aliases");
    expect("", EXIT_CONFIG, "the file is empty");
    expect("- 1\n", EXIT_CONFIG, "expected a mapping, found a sequence");
    /* Schema. */
    expect(HEAD "devcies: {}\n", EXIT_CONFIG, "unknown key 'devcies'");
    expect(HEAD "devcies: {}\n", EXIT_CONFIG, "hint: did you mean 'devices'?");
    expect(HEAD "entry: [a]\n", EXIT_CONFIG, "entry: expected a scalar, found a sequence");
    expect("name: Bad_Name\nmin-version: 0.1\nsources: a.c\n", EXIT_CONFIG,
           "u.yml:1:7: error: name 'Bad_Name'");
    expect("name: x\nmin-version: 0.1\nsources: [../a.c]\n", EXIT_CONFIG,
           "expected a .c file relative to the project directory");
    expect(HEAD "devices:\n  int: console\n", EXIT_CONFIG, "device name 'int'");
    expect(HEAD "devices:\n  d: { size: 1 }\n", EXIT_CONFIG,
           "u.yml:5:6: error: device 'd': missing required key 'type'");
    expect(HEAD "args:\n  n: { type: int, default: abc }\n", EXIT_CONFIG,
           "u.yml:5:28: error: default of argument 'n' (int): expected an integer, found 'abc'");
    expect(HEAD "args:\n  n: { type: integer }\n", EXIT_CONFIG,
           "unknown argument type 'integer'");
    expect(HEAD "args:\n  help: bool\n", EXIT_CONFIG, "argument name 'help' is reserved");
    expect(HEAD "args:\n  a: { type: ipv4, default: 10.0.0.300/24 }\n", EXIT_CONFIG,
           "expected an IPv4 address with prefix");
    free(out);
    return check_failures != 0;
}

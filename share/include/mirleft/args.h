/*
 * Runtime arguments: `--name=value` on the unikernel's command line, parsed
 * against a table the tool generates from unikernel.yml's `args:`.
 *
 * The command line arrives as one string (tenders join their arguments with
 * single spaces), so a word that does not start with "--" continues the
 * value of the option before it: `--hello=Hello World` sets hello to
 * "Hello World". Built in: --help (list the arguments, exit 0) and
 * --log=LEVEL (error, warn, info, debug).
 */
#ifndef MIRLEFT_ARGS_H
#define MIRLEFT_ARGS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum ml_arg_type {
    ML_ARG_STRING,    /* const char * */
    ML_ARG_INT,       /* int64_t, decimal or 0x hex, optional sign */
    ML_ARG_BOOL,      /* bool: true/false, yes/no, on/off, 1/0 */
    ML_ARG_SIZE,      /* uint64_t bytes, optional K/M/G/T suffix (x1024) */
    ML_ARG_IPV4,      /* struct ml_ipv4_prefix: a.b.c.d/len */
    ML_ARG_IPV4_ADDR, /* ml_ipv4_addr_t: a.b.c.d */
    ML_ARG_MAC,       /* struct ml_mac: xx:xx:xx:xx:xx:xx */
    ML_ARG_TYPE_COUNT
};

typedef uint32_t ml_ipv4_addr_t; /* host byte order */

struct ml_ipv4_prefix {
    ml_ipv4_addr_t addr;
    uint8_t prefix;   /* 0..32 */
};

struct ml_mac {
    uint8_t b[6];
};

struct ml_arg_spec {
    const char *name;      /* without the leading "--" */
    enum ml_arg_type type;
    size_t offset;         /* of the field in the generated struct args */
    const char *def;       /* default value as text; NULL: required */
    const char *doc;
};

struct ml_arg_table {
    const char *app;       /* the unikernel's name, for messages */
    const struct ml_arg_spec *specs;
    size_t n;
};

/* Parses text as a value of type t into *out (whose C type the enum names).
 * A string value points into text. Returns NULL on success, or a phrase
 * saying what was expected ("expected an integer"). Used by the guest and,
 * to check defaults at configure time, by the tool. */
const char *ml_arg_value_parse(enum ml_arg_type t, const char *text,
                               void *out);
const char *ml_arg_type_name(enum ml_arg_type t);

/* Levenshtein distance between a[0..la) and b[0..lb), for "did you
 * mean" hints; names longer than ML_EDIT_DISTANCE_MAX count as far apart
 * (the longer length). Shared by the guest and the tool. */
#define ML_EDIT_DISTANCE_MAX 64
size_t ml_edit_distance(const char *a, size_t la, const char *b, size_t lb);

/* Parses cmdline into args. Returns 0 on success; on a bad argument prints
 * why and returns -1. --help prints the table and exits 0. */
int ml_args_parse(const char *cmdline, const struct ml_arg_table *t,
                  void *args);

#endif

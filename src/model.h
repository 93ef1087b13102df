/* The data the tool works on: the device catalogue (share/devices), a
 * target description (targets/NAME/target.yml), a project's configuration
 * (unikernel.yml) and the device graph resolved from the three. */
#ifndef MIRLEFT_MODEL_H
#define MIRLEFT_MODEL_H

#include <stdbool.h>
#include <stddef.h>

#include <mirleft/args.h>

#include "util.h"
#include "yaml_tree.h"

struct pos {
    int line, col;
};

/* Value types of device parameters and runtime arguments: the runtime's
 * argument types plus those only the tool reads. */
enum vtype {
    VT_STRING = ML_ARG_STRING,
    VT_INT = ML_ARG_INT,
    VT_BOOL = ML_ARG_BOOL,
    VT_SIZE = ML_ARG_SIZE,
    VT_IPV4 = ML_ARG_IPV4,
    VT_IPV4_ADDR = ML_ARG_IPV4_ADDR,
    VT_MAC = ML_ARG_MAC,
    VT_PATH = 100, /* a path on the build host; tool-side parameters only */
};
/* Room for any parsed value (what ml_arg_value_parse writes). */
union vvalue {
    const char *s;
    int64_t i;
    uint64_t u;
    bool b;
    struct ml_ipv4_prefix p;
    ml_ipv4_addr_t a;
    struct ml_mac m;
};
bool vtype_parse(const char *s, enum vtype *t);
const char *vtype_name(enum vtype t);
const char *vtype_ctype(enum vtype t); /* C type of the field */
/* Checks text against t; returns NULL or what was expected. */
const char *vtype_check(enum vtype t, const char *text);
extern const char *const vtype_names[];
extern const size_t vtype_count;

/* --- the device catalogue ------------------------------------------- */

struct param_def {
    char *name;
    enum vtype type;
    char *def;            /* default as text, NULL if required */
    bool host;            /* read by the tool, not passed to the guest */
    bool embed_tree;      /* a path whose files the tool embeds in the image;
                           * the guest gets `const struct ml_kv_tree *` */
    char *doc;
    struct strlist backends; /* applies only to these backends (empty: all) */
    char *claim;          /* resource kind its value claims (pin), or NULL */
};

struct dep_def {
    char *name;
    char *type;           /* device type the dependency must have */
    struct pos type_pos;  /* where, for the check against the catalogue */
    bool optional;
    char *doc;
    struct strlist backends;
};

struct devtype {
    char *name;
    char *doc;
    char *header;         /* e.g. mirleft/block.h */
    char *solo5;          /* manifest entry kind, or NULL */
    struct strlist backends;
    struct param_def *params;
    size_t nparams;
    struct dep_def *deps;
    size_t ndeps;
    struct strlist sources; /* implementation sources, relative to the data root */
    char *path;           /* the YAML file it came from */
};

struct catalogue {
    struct devtype *types;
    size_t n;
};

/* --- a target ------------------------------------------------------- */

/* One way a device's parameters may be set on a target: each listed
 * parameter's value must be one of its values ("A..B": a range). */
struct allowed_param {
    char *param;
    struct strlist values;
};
struct allowed {
    struct allowed_param *params;
    size_t n;
};

struct target_dev {
    char *type;
    char *backend;          /* default backend for types that have several */
    struct strlist sources; /* relative to the target directory */
    struct allowed *allowed; /* a device must match one (none: anything) */
    size_t nallowed;
};

/* A resource the target keeps for itself (rp2040: pins 0 and 1, UART0). */
struct reserved {
    char *kind, *value, *why;
};

struct target {
    char *name, *doc, *status, *arch;
    char *dir;              /* absolute path of targets/NAME */
    char *path;             /* target.yml */
    char *suffix;
    bool solo5;
    unsigned abi_target, abi_version;
    unsigned max_devices;   /* most devices with a Solo5 manifest kind an
                             * image may declare; 0: no limit */
    char *cc, *ldscript;
    struct strlist cflags, ldflags;
    struct strlist bindings; /* relative to the data root, normalised */
    struct strlist exports; /* bindings symbols left global (globs); the
                             * rest are made local, as Solo5 does */
    char *objcopy;
    char *post_link;        /* shell command run on the linked image, or NULL */
    char *report;           /* shell command run after every build, or NULL */
    char *runner;           /* program, or NULL when not runnable */
    long runner_mem;
    char *block_option, *net_option;
    bool reports_start;     /* the runner says when the guest starts */
    char *emulate_device;   /* what the runner needs from the host (/dev/kvm) */
    struct strlist emulate_modules; /* mirleft-vm modules that provide it */
    long emulate_mem;       /* MiB for the emulated VM, 0: mirleft-vm's */
    struct target_dev *devs;
    size_t ndevs;
    struct reserved *reserved;
    size_t nreserved;
};

/* --- a project's configuration -------------------------------------- */

struct arg_decl {
    char *name;           /* as written: [a-z][a-z0-9-]* */
    enum vtype type;
    char *def;            /* NULL: required */
    char *doc;
    struct pos pos;
    bool implicit;        /* declared by a device parameter's `arg:` */
};

struct dev_decl {
    char *name;
    struct pos pos;       /* of the key */
    char *type;
    struct pos type_pos;
    struct ynode *body;   /* the mapping, or NULL for the `name: type` form */
};

enum lib_kind { LIB_URL, LIB_GIT, LIB_PATH };

/* An external C library: where it comes from, what to compile from it,
 * and (once prepared) where its files are. */
struct library {
    char *name;
    struct pos pos;
    enum lib_kind kind;
    char *url, *sha256;     /* LIB_URL */
    char *git, *rev;        /* LIB_GIT */
    char *path;             /* LIB_PATH, relative to the project */
    bool have_build;        /* sources/include/cflags given in unikernel.yml */
    struct strlist sources, include, cflags;
    /* filled in by libs_prepare */
    char *commit;           /* LIB_GIT: the resolved commit */
    char *root;             /* absolute directory of the library's files */
    struct strlist files;   /* sources expanded, relative to root, sorted */
};

struct config {
    struct ynode *root;
    char *name;
    char *min_version, *max_version;
    struct strlist sources;
    struct pos sources_pos;
    char *entry;
    struct pos entry_pos;  /* of the entry key's value; 0 when defaulted */
    struct strlist cflags;
    bool printf_float;     /* compile %f/%e/%g into the runtime's printf */
    struct dev_decl *devs;
    size_t ndevs;
    struct arg_decl *args;
    size_t nargs;
    struct ynode *targets; /* per-target overrides, validated at resolve */
    char *dir;            /* the project directory, or NULL (no file checks) */
    struct library *libs;
    size_t nlibs;
};

/* --- the resolved device graph -------------------------------------- */

struct rparam {
    const struct param_def *def;
    const char *value;        /* literal text, or the bound argument's default */
    const struct arg_decl *arg; /* set when bound to a runtime argument */
    struct pos pos;           /* where the value was written (0 if default) */
};

struct rdev {
    const struct dev_decl *decl;
    const struct devtype *type;
    const struct target_dev *impl;
    const char *name;         /* C field and key */
    const char *host_name;    /* name the tender knows it by */
    const char *backend;      /* NULL for types without backends */
    struct rparam *params;    /* one per type->params */
    struct rdev **deps;       /* one per type->deps; NULL if absent */
    unsigned handle;          /* Solo5 manifest index, 0 if none */
};

struct graph {
    const struct config *cfg;
    const struct target *target;
    struct rdev *devs;        /* declaration order */
    size_t n;
    size_t *order;            /* initialisation order (dependencies first) */
    struct arg_decl *args;    /* declared plus implicit; owned */
    size_t nargs;
};

#endif

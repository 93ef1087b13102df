/* A project as the commands see it: its unikernel.yml loaded and checked,
 * the catalogue, and per target the resolved graph. */
#ifndef MIRLEFT_PROJECT_H
#define MIRLEFT_PROJECT_H

#include "diag.h"
#include "gen.h"
#include "libs.h"
#include "lockfile.h"
#include "model.h"

struct project {
    char *root;           /* mirleft's data root */
    char *file;           /* the config path as given */
    char *dir;            /* the project directory (absolute) */
    char *text;
    size_t len;
    struct diag d;
    struct config cfg;
    struct catalogue cat;
    struct strlist targets; /* every known target's name */
    struct libs_opts libs_opts; /* set by the command before configuring */
    struct lockfile lock;
    bool libs_ready;
};

struct resolved {
    struct target target;
    struct graph graph;
    bool have_target, have_graph;
};

/* Loads, checks the version bound, validates. Returns 0 or an exit code
 * (errors already reported). */
int project_load(struct project *p, const char *file);
/* Loads target `name` and resolves the graph for it. */
int project_resolve(struct project *p, const char *name, struct resolved *r);
/* Reads the lock and prepares the libraries (once). 0 or an exit code. */
int project_libs(struct project *p);
/* The build directory of a target, absolute. Caller frees. */
char *project_build_dir(const struct project *p, const char *target);
/* Generates the files for a resolved target (pure, in memory). */
/* false (after printing why) when an embedded file cannot be read. */
bool project_generate(const struct project *p, const struct resolved *r,
                      struct genset *out);
void resolved_free(struct resolved *r);
void project_free(struct project *p);

#endif

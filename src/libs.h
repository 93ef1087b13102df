/* Preparing a project's libraries: each one's files made available (from
 * the cache, fetched if needed and allowed), pinned by the lock when there
 * is one, and what to compile read from unikernel.yml or the library's own
 * mirleft-lib.yml (whose min-version is checked like the project's). */
#ifndef MIRLEFT_LIBS_H
#define MIRLEFT_LIBS_H

#include <stdbool.h>

#include "fetch.h"
#include "lockfile.h"
#include "model.h"

struct libs_opts {
    bool offline;             /* the cache only */
    enum progress_mode progress;
    bool update_all;          /* ignore the lock (mirleft lock --update) */
    const char *update;       /* ignore the lock for this library only */
};

/* Returns 0 or an exit code after reporting. lock may be absent. */
int libs_prepare(struct config *c, const struct lockfile *lock,
                 const struct libs_opts *o);
/* The lock file that belongs with a configuration file. Caller frees. */
char *lock_path_for(const char *config_file);

#endif

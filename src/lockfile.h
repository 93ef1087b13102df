/* unikernel.lock: for every library, where it came from and exactly what
 * was used (the archive's digest, the git commit). Written by `mirleft
 * lock`, read by configure, build and pull. */
#ifndef MIRLEFT_LOCKFILE_H
#define MIRLEFT_LOCKFILE_H

#include <stdbool.h>

#include "diag.h"
#include "model.h"

struct lock_entry {
    char *name;
    enum lib_kind kind;
    char *source;   /* the url, git URL or path */
    char *sha256;   /* LIB_URL */
    char *rev;      /* LIB_GIT: the rev as written when locked */
    char *commit;   /* LIB_GIT: what it resolved to */
    struct pos pos;
};

struct lockfile {
    bool present;
    struct lock_entry *e;
    size_t n;
};

/* Reads path; a missing file gives an empty, absent lock. Returns 0 or an
 * exit code after reporting errors (file:line:col). */
int lock_read(const char *path, struct lockfile *l);
const struct lock_entry *lock_find(const struct lockfile *l, const char *name);
/* The lock text for prepared libraries (deterministic). */
char *lock_render(const struct config *c);
void lock_free(struct lockfile *l);

#endif

/* The content-addressed cache of fetched libraries and templates:
 * $MIRLEFT_CACHE, else $XDG_CACHE_HOME/mirleft, else ~/.cache/mirleft.
 *
 *   blobs/sha256-HEX          downloaded archives, named by their digest
 *   trees/sha256-HEX/         an archive's extracted tree
 *   trees/git-COMMIT/         a git commit's checked-out tree
 *   git/URLHASH.git           a bare clone per repository URL
 *   locks/KEY.lock            flock()s serialising work on one entry
 *   tmp/                      staging; entries appear by rename() only
 *
 * An entry exists only once fully written: a killed fetch leaves debris in
 * tmp/, never a half entry. */
#ifndef MIRLEFT_CACHE_H
#define MIRLEFT_CACHE_H

#include <stdbool.h>

/* The cache root, created if needed; NULL after printing why. */
char *cache_root(void);
/* root/SUB/NAME. Caller frees. */
char *cache_path(const char *root, const char *sub, const char *name);
/* Takes an exclusive lock for key (blocking); returns the fd to pass to
 * cache_unlock, or -1 after printing why. */
int cache_lock(const char *root, const char *key);
void cache_unlock(int fd);
/* A fresh empty directory under root/tmp. Caller frees. */
char *cache_tmpdir(const char *root);
/* Moves tmp to dest atomically; if dest appeared meanwhile, keeps it and
 * discards tmp. Returns 0 or -1 after printing why. */
int cache_install(const char *tmp, const char *dest);

#endif

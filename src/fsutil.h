/* File-system helpers. Writes are atomic (temporary file, then rename) and
 * skip files whose content is already identical, so make sees no change. */
#ifndef MIRLEFT_FSUTIL_H
#define MIRLEFT_FSUTIL_H

#include <stdbool.h>
#include <stddef.h>

#include "util.h"

/* The whole file, NUL-terminated; NULL with errno set on failure. */
char *read_file(const char *path, size_t *len);
/* 1 written, 0 unchanged, -1 error (errno set; nothing left behind). */
int write_atomic(const char *path, const char *data, size_t len);
/* Removes the NAME.tmp.PID files of write_atomic left in dir by a process
 * that no longer exists (one killed mid-write). */
void remove_stale_tmp(const char *dir);
int mkdir_p(const char *path);
int rm_rf(const char *path);
bool is_dir(const char *path);
bool is_file(const char *path);
char *path_join(const char *a, const char *b);
/* path with "." and empty components removed and each ".." folded into
 * the component before it, by text alone (no symbolic links followed):
 * "targets/spt/../../share/x.c" is "share/x.c". A relative path that
 * climbs above its start keeps its leading ".."s; "" gives ".". */
char *path_normalize(const char *path);
/* Entries of dir (excluding . and ..), sorted; false if unreadable. */
bool list_dir(const char *dir, struct strlist *out);
/* Expands a glob relative to base into sorted paths relative to base. */
bool glob_rel(const char *base, const char *pattern, struct strlist *out);
/* Every regular *.c file under dir/rel, recursively, sorted, relative to dir. */
void find_sources(const char *dir, const char *rel, struct strlist *out);

#endif

/* Git with libgit2: a bare clone per repository URL in the cache, revs
 * (tag, branch or commit) resolved to commit ids, and a commit's tree
 * written out as a plain directory. Also the project's own state, for the
 * build-info note. */
#ifndef MIRLEFT_GIT_H
#define MIRLEFT_GIT_H

#include <stdbool.h>

/* Fetches url into the cache (unless offline) and resolves rev there.
 * Returns 0 with the 40-hex commit; 1, quietly, when offline and the cache
 * lacks the repository or the rev; -1 after printing why. */
int git_resolve(const char *cache, const char *url, const char *rev,
                bool offline, char commit[41], const char *label);
/* Where rev points in the remote right now (ls-remote; a commit id is
 * itself). 0, 1 if the remote has no such tag or branch, -1 on error. */
int git_remote_rev(const char *url, const char *rev, char commit[41],
                   const char *label);
/* Writes commit's tree from url's cached clone into dir (which exists).
 * Returns 0 or -1 after printing why. */
int git_export(const char *cache, const char *url, const char *commit,
               const char *dir, const char *label);
/* The project at dir: HEAD's commit and whether tracked files differ from
 * it. Returns -1 (quietly) when dir is not in a git repository. */
int git_project_state(const char *dir, char commit[41], bool *dirty);
/* The cache key of a repository URL (hex, 16 characters). */
void git_url_key(const char *url, char key[17]);

#endif

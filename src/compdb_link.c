/* The project root's compile_commands.json, where clangd looks for it: a
 * symbolic link to _build/TARGET/compile_commands.json of the target
 * configured last. Only such a link (or nothing) is ever replaced or
 * removed: a file or a link of the user's stays as it is. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cmd.h"
#include "diag.h"
#include "fsutil.h"

#define COMPDB "compile_commands.json"

/* 1: mirleft's link ("_build/T/compile_commands.json" for one T), 0:
 * nothing there, -1: something of the user's. */
static int state(const char *path, char *have, size_t size)
{
    struct stat st;
    if (lstat(path, &st))
        return 0;
    ssize_t n = S_ISLNK(st.st_mode) ? readlink(path, have, size - 1) : -1;
    if (n < 0)
        return -1;
    have[n] = 0;
    const char *slash = n > 7 ? strchr(have + 7, '/') : NULL;
    bool ours = !strncmp(have, "_build/", 7) && slash && slash > have + 7 &&
                !strcmp(slash, "/" COMPDB);
    return ours ? 1 : -1;
}

void compdb_link(const char *project_dir, const char *target, bool quiet)
{
    char *path = path_join(project_dir, COMPDB);
    char *want = xasprintf("_build/%s/" COMPDB, target);
    char have[4096];
    int s = state(path, have, sizeof have);
    if (s < 0 && !quiet)
        printf("note: %s in the project is not mirleft's link: left alone "
               "(%s is this target's)\n", COMPDB, want);
    if (s == 0 || (s > 0 && strcmp(have, want))) {
        char *tmp = xasprintf("%s.tmp.%ld", path, (long)getpid());
        if (symlink(want, tmp) < 0 || rename(tmp, path) < 0) {
            warn_msg("cannot link %s: %s", path, strerror(errno));
            unlink(tmp);
        }
        free(tmp);
    }
    free(want);
    free(path);
}

void compdb_unlink(const char *project_dir)
{
    char *path = path_join(project_dir, COMPDB);
    char have[4096];
    if (state(path, have, sizeof have) > 0 && unlink(path) < 0)
        warn_msg("cannot remove %s: %s", path, strerror(errno));
    free(path);
}

/* Forwarders to libmirleft-net.so, loaded on the first call (see netlib.h).
 * Failing to load it is fatal: the command needed it. */
#include "netlib.h"

#include <dlfcn.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "diag.h"
#include "fsutil.h"
#include "git.h"
#include "paths.h"
#include "unpack.h"

static const struct netlib_api *api(void)
{
    /* Loaded once per process, like the dynamic loader's own state. */
    static const struct netlib_api *loaded;
    if (loaded)
        return loaded;
    char *path = private_lib_path(NETLIB_SONAME);
    void *h = dlopen(path, RTLD_NOW | RTLD_LOCAL);
    if (h)
        loaded = dlsym(h, NETLIB_SYMBOL);
    if (!loaded) {
        die_msg("cannot load %s (needed to fetch libraries and read git "
                "repositories): %s", path, dlerror());
        exit(EXIT_FAIL);
    }
    free(path);
    return loaded;
}

int fetch_url(const char *url, const char *dest, const struct fetch_opts *o,
              const char *label)
{
    return api()->fetch_url(url, dest, o, label);
}

int archive_extract_safe(const char *path, const char *dir, const char *label)
{
    return api()->archive_extract_safe(path, dir, label);
}

int git_resolve(const char *cache, const char *url, const char *rev,
                bool offline, char commit[41], const char *label)
{
    return api()->git_resolve(cache, url, rev, offline, commit, label);
}

int git_remote_rev(const char *url, const char *rev, char commit[41],
                   const char *label)
{
    return api()->git_remote_rev(url, rev, commit, label);
}

int git_export(const char *cache, const char *url, const char *commit,
               const char *dir, const char *label)
{
    return api()->git_export(cache, url, commit, dir, label);
}

/* Most projects outside a git work tree need no libgit2 at all: look for
 * a .git entry upwards first. */
int git_project_state(const char *dir, char commit[41], bool *dirty)
{
    char *d = realpath(dir, NULL);
    bool found = false;
    for (char *end = d; d && !found;) {
        char *g = path_join(d, ".git");
        struct stat st;
        found = stat(g, &st) == 0;
        free(g);
        end = strrchr(d, '/');
        if (!end || end == d)
            break;
        *end = 0;
    }
    if (!found && d) {
        struct stat st;
        found = stat("/.git", &st) == 0;
    }
    free(d);
    return found ? api()->git_project_state(dir, commit, dirty) : -1;
}

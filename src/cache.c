#include "cache.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#include "diag.h"
#include "fsutil.h"
#include "util.h"

char *cache_root(void)
{
    const char *env = getenv("MIRLEFT_CACHE");
    char *root;
    if (env && *env)
        root = xstrdup(env);
    else if ((env = getenv("XDG_CACHE_HOME")) && *env == '/')
        root = xasprintf("%s/mirleft", env);
    else if ((env = getenv("HOME")) && *env)
        root = xasprintf("%s/.cache/mirleft", env);
    else {
        die_msg("no cache directory: set MIRLEFT_CACHE or HOME");
        return NULL;
    }
    const char *subs[] = {"blobs", "trees", "git", "locks", "tmp"};
    for (size_t i = 0; i < sizeof subs / sizeof *subs; i++) {
        char *d = path_join(root, subs[i]);
        int r = mkdir_p(d);
        free(d);
        if (r < 0) {
            die_msg("cannot create the cache %s: %s", root, strerror(errno));
            free(root);
            return NULL;
        }
    }
    return root;
}

char *cache_path(const char *root, const char *sub, const char *name)
{
    return xasprintf("%s/%s/%s", root, sub, name);
}

int cache_lock(const char *root, const char *key)
{
    char *p = xasprintf("%s/locks/%s.lock", root, key);
    int fd = open(p, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (fd < 0 || flock(fd, LOCK_EX) < 0) {
        die_msg("cannot lock %s: %s", p, strerror(errno));
        if (fd >= 0)
            close(fd);
        fd = -1;
    }
    free(p);
    return fd;
}

void cache_unlock(int fd)
{
    if (fd >= 0)
        close(fd); /* releases the flock */
}

char *cache_tmpdir(const char *root)
{
    char *t = xasprintf("%s/tmp/XXXXXX", root);
    if (!mkdtemp(t)) {
        die_msg("cannot create a directory in %s/tmp: %s", root, strerror(errno));
        free(t);
        return NULL;
    }
    return t;
}

int cache_install(const char *tmp, const char *dest)
{
    if (rename(tmp, dest) == 0)
        return 0;
    if (errno == EEXIST || errno == ENOTEMPTY) {
        rm_rf(tmp); /* another process installed the same content */
        return 0;
    }
    die_msg("cannot install %s: %s", dest, strerror(errno));
    rm_rf(tmp);
    return -1;
}

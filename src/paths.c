#include "paths.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "diag.h"
#include "fsutil.h"
#include "util.h"

static char *self_dir(void)
{
    char buf[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", buf, sizeof buf - 1);
    if (n <= 0)
        return NULL;
    buf[n] = 0;
    char *slash = strrchr(buf, '/');
    if (!slash)
        return NULL;
    *slash = 0;
    return xstrdup(buf);
}

static bool looks_like_root(const char *dir)
{
    char *a = path_join(dir, "share/devices");
    char *b = path_join(dir, "targets");
    bool ok = is_dir(a) && is_dir(b);
    free(a);
    free(b);
    return ok;
}

char *data_root(void)
{
    const char *env = getenv("MIRLEFT_DATADIR");
    if (env && *env) {
        char *r = realpath(env, NULL);
        if (r && looks_like_root(r))
            return r;
        die_msg("MIRLEFT_DATADIR=%s does not hold share/devices and targets/",
                env);
        free(r);
        return NULL;
    }
    char *self = self_dir();
    if (!self) {
        die_msg("cannot find my own location (/proc/self/exe)");
        return NULL;
    }
    const char *cands[] = {"..", "../share/mirleft"};
    for (size_t i = 0; i < 2; i++) {
        char *p = path_join(self, cands[i]);
        char *r = realpath(p, NULL);
        free(p);
        if (r && looks_like_root(r)) {
            free(self);
            return r;
        }
        free(r);
    }
    die_msg("cannot find mirleft's data (share/devices, targets/) near %s; "
            "set MIRLEFT_DATADIR", self);
    free(self);
    return NULL;
}

char *private_lib_path(const char *name)
{
    char *self = self_dir();
    if (!self)
        return xstrdup(name);
    char *p = path_join(self, name);
    if (!is_file(p)) {
        free(p);
        char *rel = xasprintf("../lib/mirleft/%s", name);
        p = path_join(self, rel);
        free(rel);
    }
    free(self);
    return p;
}

char *helper_path(const char *name)
{
    if (strchr(name, '/'))
        return xstrdup(name);
    char *self = self_dir();
    if (self) {
        char *p = path_join(self, name);
        free(self);
        if (access(p, X_OK) == 0)
            return p;
        free(p);
    }
    return xstrdup(name);
}

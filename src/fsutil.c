#include "fsutil.h"

#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <fcntl.h>
#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

char *read_file(const char *path, size_t *len)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return NULL;
    struct strbuf sb;
    sb_init(&sb);
    char buf[65536];
    for (;;) {
        ssize_t n = read(fd, buf, sizeof buf);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            int e = errno;
            close(fd);
            sb_free(&sb);
            errno = e;
            return NULL;
        }
        if (n == 0)
            break;
        sb_add(&sb, buf, (size_t)n);
    }
    close(fd);
    if (len)
        *len = sb.len;
    return sb_detach(&sb);
}

static bool same_content(const char *path, const char *data, size_t len)
{
    size_t have;
    char *old = read_file(path, &have);
    bool same = old && have == len && !memcmp(old, data, len);
    free(old);
    return same;
}

int write_atomic(const char *path, const char *data, size_t len)
{
    if (same_content(path, data, len))
        return 0;
    char *tmp = xasprintf("%s.tmp.%ld", path, (long)getpid());
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) {
        free(tmp);
        return -1;
    }
    size_t off = 0;
    while (off < len) {
        ssize_t n = write(fd, data + off, len - off);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            goto fail;
        off += (size_t)n;
    }
    if (close(fd) < 0) {
        fd = -1;
        goto fail;
    }
    if (rename(tmp, path) < 0) {
        fd = -1;
        goto fail;
    }
    free(tmp);
    return 1;
fail:;
    int e = errno;
    if (fd >= 0)
        close(fd);
    unlink(tmp);
    free(tmp);
    errno = e;
    return -1;
}

void remove_stale_tmp(const char *dir)
{
    struct strlist l = {0};
    list_dir(dir, &l);
    for (size_t i = 0; i < l.n; i++) {
        const char *t = strstr(l.v[i], ".tmp.");
        while (t && strstr(t + 1, ".tmp."))
            t = strstr(t + 1, ".tmp.");
        if (!t || !t[5] || t[5 + strspn(t + 5, "0123456789")])
            continue;
        long pid = strtol(t + 5, NULL, 10);
        /* A live writer's file is its own; only a dead one's is stale. */
        if (pid <= 0 || pid == (long)getpid() ||
            !(kill((pid_t)pid, 0) < 0 && errno == ESRCH))
            continue;
        char *p = path_join(dir, l.v[i]);
        unlink(p);
        free(p);
    }
    sl_free(&l);
}

int mkdir_p(const char *path)
{
    char *p = xstrdup(path);
    for (char *s = p + 1; *s; s++) {
        if (*s != '/')
            continue;
        *s = 0;
        if (mkdir(p, 0755) < 0 && errno != EEXIST) {
            free(p);
            return -1;
        }
        *s = '/';
    }
    int r = mkdir(p, 0755);
    free(p);
    return r < 0 && errno != EEXIST ? -1 : 0;
}

int rm_rf(const char *path)
{
    struct stat st;
    if (lstat(path, &st) < 0)
        return errno == ENOENT ? 0 : -1;
    if (!S_ISDIR(st.st_mode))
        return unlink(path);
    struct strlist l = {0};
    if (!list_dir(path, &l))
        return -1;
    int r = 0;
    for (size_t i = 0; i < l.n && !r; i++) {
        char *c = path_join(path, l.v[i]);
        r = rm_rf(c);
        free(c);
    }
    sl_free(&l);
    return r ? r : rmdir(path);
}

bool is_dir(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

bool is_file(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

char *path_join(const char *a, const char *b)
{
    if (b[0] == '/' || !a[0])
        return xstrdup(b);
    size_t la = strlen(a);
    return xasprintf("%s%s%s", a, a[la - 1] == '/' ? "" : "/", b);
}

char *path_normalize(const char *path)
{
    char *out = xmalloc(strlen(path) + 2);
    size_t o = 0;    /* length of out */
    size_t keep = 0; /* out's prefix that ".." cannot undo: "/" or "../.." */
    if (path[0] == '/')
        out[o++] = '/', keep = 1;
    for (const char *p = path; *p;) {
        while (*p == '/')
            p++;
        const char *c = p;
        while (*p && *p != '/')
            p++;
        size_t len = (size_t)(p - c);
        bool dotdot = len == 2 && c[0] == '.' && c[1] == '.';
        if (len == 0 || (len == 1 && c[0] == '.'))
            continue;
        if (dotdot && o > keep) {       /* drop the last component */
            while (o > keep && out[o - 1] != '/')
                o--;
            if (o > keep)
                o--;
            continue;
        }
        if (dotdot && keep == 1 && out[0] == '/')
            continue;                   /* "/.." is "/" */
        if (o > 0 && out[o - 1] != '/')
            out[o++] = '/';
        memcpy(out + o, c, len);
        o += len;
        if (dotdot)
            keep = o;
    }
    if (o == 0)
        out[o++] = '.';
    out[o] = '\0';
    return out;
}

bool list_dir(const char *dir, struct strlist *out)
{
    DIR *d = opendir(dir);
    if (!d)
        return false;
    struct dirent *e;
    while ((e = readdir(d)))
        if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
            sl_push(out, xstrdup(e->d_name));
    closedir(d);
    sl_sort(out);
    return true;
}

bool glob_rel(const char *base, const char *pattern, struct strlist *out)
{
    char *full = path_join(base, pattern);
    glob_t g;
    int r = glob(full, 0, NULL, &g);
    free(full);
    if (r == GLOB_NOMATCH)
        return false;
    if (r)
        return false;
    size_t bl = strlen(base);
    for (size_t i = 0; i < g.gl_pathc; i++) {
        const char *p = g.gl_pathv[i];
        if (!strncmp(p, base, bl) && p[bl] == '/')
            p += bl + 1;
        sl_push(out, xstrdup(p));
    }
    globfree(&g);
    return true;
}

void find_sources(const char *dir, const char *rel, struct strlist *out)
{
    char *full = path_join(dir, rel);
    struct strlist l = {0};
    if (list_dir(full, &l)) {
        for (size_t i = 0; i < l.n; i++) {
            char *r = path_join(rel, l.v[i]);
            char *f = path_join(dir, r);
            size_t n = strlen(r);
            if (is_dir(f))
                find_sources(dir, r, out);
            else if (n > 2 && !strcmp(r + n - 2, ".c"))
                sl_push(out, xstrdup(r));
            free(r);
            free(f);
        }
    }
    sl_free(&l);
    free(full);
}

#include "git.h"
#include "digest.h"

#include <errno.h>
#include <fcntl.h>
#include <git2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cache.h"
#include "diag.h"
#include "fsutil.h"
#include "util.h"

static void init(void)
{
    static bool done;
    if (!done) {
        git_libgit2_init();
        done = true;
    }
}

static const char *git_why(void)
{
    const git_error *e = git_error_last();
    return e && e->message ? e->message : "unknown error";
}

void git_url_key(const char *url, char key[17])
{
    char hex[65];
    sha256_buf_hex(url, strlen(url), hex);
    memcpy(key, hex, 16);
    key[16] = 0;
}

static bool is_hex(const char *s, size_t min)
{
    size_t n = 0;
    for (; s[n]; n++)
        if (!((s[n] >= '0' && s[n] <= '9') || (s[n] >= 'a' && s[n] <= 'f')))
            return false;
    return n >= min && n <= 40;
}

/* The bare clone for url, created if needed. */
static git_repository *open_cache_repo(const char *cache, const char *url,
                                       bool create, const char *label)
{
    char key[17];
    git_url_key(url, key);
    char *name = xasprintf("%s.git", key);
    char *path = cache_path(cache, "git", name);
    git_repository *repo = NULL;
    if (git_repository_open_bare(&repo, path) < 0) {
        if (!create || git_repository_init(&repo, path, 1) < 0) {
            if (create)
                die_msg("%s: cannot create %s: %s", label, path, git_why());
            repo = NULL;
        }
    }
    free(name);
    free(path);
    return repo;
}

static int fetch(git_repository *repo, const char *url, const char *label)
{
    git_remote *remote = NULL;
    char *specs[] = {"+refs/heads/*:refs/remotes/origin/*",
                     "+refs/tags/*:refs/tags/*"};
    git_strarray refspecs = {specs, 2};
    git_fetch_options fo;
    git_fetch_options_init(&fo, GIT_FETCH_OPTIONS_VERSION);
    fo.download_tags = GIT_REMOTE_DOWNLOAD_TAGS_ALL;
    int rc = 0;
    if (git_remote_create_anonymous(&remote, repo, url) < 0 ||
        git_remote_fetch(remote, &refspecs, &fo, NULL) < 0) {
        die_msg("%s: cannot fetch %s: %s", label, url, git_why());
        rc = -1;
    }
    git_remote_free(remote);
    return rc;
}

static int peel(git_repository *repo, const char *spec, char commit[41])
{
    git_object *o = NULL;
    char *full = xasprintf("%s^{commit}", spec);
    int r = git_revparse_single(&o, repo, full);
    free(full);
    if (r < 0)
        return -1;
    git_oid_tostr(commit, 41, git_object_id(o));
    git_object_free(o);
    return 0;
}

int git_resolve(const char *cache, const char *url, const char *rev,
                bool offline, char commit[41], const char *label)
{
    init();
    char key[17];
    git_url_key(url, key);
    int lk = cache_lock(cache, key);
    if (lk < 0)
        return -1;
    int rc = -1;
    git_repository *repo = open_cache_repo(cache, url, !offline, label);
    if (!repo) {
        rc = offline ? 1 : -1;
        goto out;
    }
    /* A full commit id already here needs no network. */
    if (!(is_hex(rev, 40) && peel(repo, rev, commit) == 0)) {
        if (!offline && fetch(repo, url, label) < 0)
            goto out;
        char *tag = xasprintf("refs/tags/%s", rev);
        char *branch = xasprintf("refs/remotes/origin/%s", rev);
        int r = peel(repo, tag, commit);
        if (r < 0)
            r = peel(repo, branch, commit);
        if (r < 0 && is_hex(rev, 7))
            r = peel(repo, rev, commit);
        free(tag);
        free(branch);
        if (r < 0 && offline) {
            rc = 1;
            goto out;
        }
        if (r < 0) {
            die_msg("%s: no tag, branch or commit '%s' in %s", label, rev, url);
            goto out;
        }
    }
    rc = 0;
out:
    git_repository_free(repo);
    cache_unlock(lk);
    return rc;
}

int git_remote_rev(const char *url, const char *rev, char commit[41],
                   const char *label)
{
    init();
    if (is_hex(rev, 40)) {
        memcpy(commit, rev, 41);
        return 0;
    }
    git_remote *remote = NULL;
    const git_remote_head **heads;
    size_t n;
    int rc = -1;
    if (git_remote_create_detached(&remote, url) < 0 ||
        git_remote_connect(remote, GIT_DIRECTION_FETCH, NULL, NULL, NULL) < 0 ||
        git_remote_ls(&heads, &n, remote) < 0) {
        die_msg("%s: cannot list %s: %s", label, url, git_why());
        goto out;
    }
    char *tag = xasprintf("refs/tags/%s", rev);
    char *peeled = xasprintf("refs/tags/%s^{}", rev);
    char *branch = xasprintf("refs/heads/%s", rev);
    rc = 1;
    if (!strcmp(rev, "HEAD"))
        for (size_t i = 0; i < n && rc == 1; i++)
            if (!strcmp(heads[i]->name, "HEAD")) {
                git_oid_tostr(commit, 41, &heads[i]->oid);
                rc = 0;
            }
    /* An annotated tag lists its commit as TAG^{}: prefer that. */
    for (int pass = 0; pass < 3 && rc == 1; pass++) {
        const char *want = pass == 0 ? peeled : pass == 1 ? tag : branch;
        for (size_t i = 0; i < n; i++)
            if (!strcmp(heads[i]->name, want)) {
                git_oid_tostr(commit, 41, &heads[i]->oid);
                rc = 0;
                break;
            }
    }
    free(tag);
    free(peeled);
    free(branch);
out:
    git_remote_free(remote);
    return rc;
}

struct export {
    git_repository *repo;
    const char *dir;
    const char *label;
    int rc;
};

static int write_entry(const char *root, const git_tree_entry *e, void *arg)
{
    struct export *x = arg;
    char *path = xasprintf("%s/%s%s", x->dir, root, git_tree_entry_name(e));
    git_filemode_t mode = git_tree_entry_filemode(e);
    int rc = 0;
    if (mode == GIT_FILEMODE_TREE) {
        rc = mkdir(path, 0755) < 0 && errno != EEXIST ? -1 : 0;
    } else if (mode == GIT_FILEMODE_BLOB || mode == GIT_FILEMODE_BLOB_EXECUTABLE ||
               mode == GIT_FILEMODE_LINK) {
        git_blob *b = NULL;
        if (git_blob_lookup(&b, x->repo, git_tree_entry_id(e)) < 0) {
            rc = -1;
        } else if (mode == GIT_FILEMODE_LINK) {
            char *target = xstrndup(git_blob_rawcontent(b), (size_t)git_blob_rawsize(b));
            /* A link may not leave the tree: refuse absolute or climbing ones. */
            if (target[0] == '/' || strstr(target, "..")) {
                die_msg("%s: refusing symbolic link %s%s -> %s", x->label, root,
                        git_tree_entry_name(e), target);
                rc = -2;
            } else if (symlink(target, path) < 0) {
                rc = -1;
            }
            free(target);
        } else {
            int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC,
                          mode == GIT_FILEMODE_BLOB_EXECUTABLE ? 0755 : 0644);
            size_t len = (size_t)git_blob_rawsize(b);
            if (fd < 0 || (len && write(fd, git_blob_rawcontent(b), len) != (ssize_t)len))
                rc = -1;
            if (fd >= 0 && close(fd) < 0)
                rc = -1;
        }
        git_blob_free(b);
    } /* submodules (commits) are skipped: the library must be whole */
    if (rc == -1)
        die_msg("%s: cannot write %s: %s", x->label, path, strerror(errno));
    free(path);
    if (rc) {
        x->rc = -1;
        return -1; /* stop the walk */
    }
    return 0;
}

int git_export(const char *cache, const char *url, const char *commit,
               const char *dir, const char *label)
{
    init();
    git_repository *repo = open_cache_repo(cache, url, false, label);
    git_oid oid;
    git_commit *c = NULL;
    git_tree *tree = NULL;
    struct export x = {repo, dir, label, 0};
    if (!repo || git_oid_fromstr(&oid, commit) < 0 ||
        git_commit_lookup(&c, repo, &oid) < 0 || git_commit_tree(&tree, c) < 0) {
        die_msg("%s: commit %s is not in the cached clone of %s", label, commit, url);
        x.rc = -1;
    } else if (git_tree_walk(tree, GIT_TREEWALK_PRE, write_entry, &x) < 0 && !x.rc) {
        die_msg("%s: cannot read commit %s: %s", label, commit, git_why());
        x.rc = -1;
    }
    git_tree_free(tree);
    git_commit_free(c);
    git_repository_free(repo);
    return x.rc;
}

int git_project_state(const char *dir, char commit[41], bool *dirty)
{
    init();
    git_repository *repo = NULL;
    git_reference *head = NULL;
    git_status_list *st = NULL;
    int rc = -1;
    if (git_repository_open_ext(&repo, dir, 0, NULL) < 0 ||
        git_repository_head(&head, repo) < 0)
        goto out;
    const git_oid *oid = git_reference_target(head);
    if (!oid)
        goto out;
    git_oid_tostr(commit, 41, oid);
    git_status_options so;
    git_status_options_init(&so, GIT_STATUS_OPTIONS_VERSION);
    so.show = GIT_STATUS_SHOW_INDEX_AND_WORKDIR;
    so.flags = GIT_STATUS_OPT_EXCLUDE_SUBMODULES; /* untracked files don't count */
    if (git_status_list_new(&st, repo, &so) < 0)
        goto out;
    *dirty = git_status_list_entrycount(st) > 0;
    rc = 0;
out:
    git_status_list_free(st);
    git_reference_free(head);
    git_repository_free(repo);
    return rc;
}

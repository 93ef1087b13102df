#include "unpack.h"

#include <archive.h>
#include <archive_entry.h>
#include <stdbool.h>
#include <string.h>
#include <sys/stat.h>

#include "diag.h"
#include "util.h"

static struct archive *open_reader(const char *path)
{
    struct archive *a = archive_read_new();
    archive_read_support_filter_all(a);
    archive_read_support_format_all(a);
    if (archive_read_open_filename(a, path, 65536) != ARCHIVE_OK) {
        archive_read_free(a);
        return NULL;
    }
    return a;
}

/* A relative path with no ".." component and no empty name. */
static bool inside(const char *p)
{
    if (!*p || *p == '/')
        return false;
    for (const char *s = p; *s;) {
        const char *e = strchr(s, '/');
        size_t n = e ? (size_t)(e - s) : strlen(s);
        if (n == 2 && s[0] == '.' && s[1] == '.')
            return false;
        s += n + (e != NULL);
    }
    return true;
}

/* Where a symlink at entry path `at` pointing at `target` lands: it must
 * stay under the root, so count directory depth as we walk. */
static bool link_inside(const char *at, const char *target)
{
    if (*target == '/')
        return false;
    int depth = 0;
    for (const char *s = at; (s = strchr(s, '/')); s++)
        depth++; /* the directories the link sits in */
    for (const char *s = target; *s;) {
        const char *e = strchr(s, '/');
        size_t n = e ? (size_t)(e - s) : strlen(s);
        if (n == 2 && s[0] == '.' && s[1] == '.') {
            if (--depth < 0)
                return false;
        } else if (n && !(n == 1 && s[0] == '.')) {
            depth++;
        }
        s += n + (e != NULL);
    }
    return true;
}

static const char *check_entry(struct archive_entry *e)
{
    const char *p = archive_entry_pathname(e);
    if (!p)
        return "an entry without a name";
    if (*p == '/')
        return "an absolute path";
    if (!inside(p))
        return "a path with a '..' component";
    switch (archive_entry_filetype(e)) {
    case AE_IFREG:
    case AE_IFDIR:
        break;
    case AE_IFLNK: {
        const char *t = archive_entry_symlink(e);
        if (!t || !link_inside(p, t))
            return "a symbolic link pointing outside the library";
        break;
    }
    default:
        return "a device node, fifo or socket";
    }
    const char *h = archive_entry_hardlink(e);
    if (h && !inside(h))
        return "a hard link pointing outside the library";
    return NULL;
}

/* Pass one: read every header, write nothing. */
static int check_all(const char *path, const char *label)
{
    struct archive *a = open_reader(path);
    if (!a) {
        die_msg("%s: not an archive libarchive can read", label);
        return -1;
    }
    struct archive_entry *e;
    int r, rc = 0;
    while ((r = archive_read_next_header(a, &e)) == ARCHIVE_OK) {
        const char *why = check_entry(e);
        if (why) {
            die_msg("%s: refusing the archive: entry '%s' is %s; nothing "
                    "was extracted", label, archive_entry_pathname(e)
                    ? archive_entry_pathname(e) : "?", why);
            rc = -1;
            break;
        }
    }
    if (!rc && r != ARCHIVE_EOF) {
        die_msg("%s: corrupt archive: %s", label, archive_error_string(a));
        rc = -1;
    }
    archive_read_free(a);
    return rc;
}

static int copy_data(struct archive *in, struct archive *out)
{
    const void *buf;
    size_t size;
    la_int64_t off;
    int r;
    while ((r = archive_read_data_block(in, &buf, &size, &off)) == ARCHIVE_OK)
        if (archive_write_data_block(out, buf, size, off) != ARCHIVE_OK)
            return -1;
    return r == ARCHIVE_EOF ? 0 : -1;
}

int archive_extract_safe(const char *path, const char *dir, const char *label)
{
    if (check_all(path, label) < 0)
        return -1;
    struct archive *a = open_reader(path);
    struct archive *w = archive_write_disk_new();
    /* Belt and braces: libarchive's own guards too (not NOABSOLUTEPATHS:
     * we write under dir by giving absolute names ourselves). */
    archive_write_disk_set_options(w, ARCHIVE_EXTRACT_SECURE_NODOTDOT |
                                          ARCHIVE_EXTRACT_SECURE_SYMLINKS);
    struct archive_entry *e;
    int r, rc = a ? 0 : -1;
    while (!rc && (r = archive_read_next_header(a, &e)) == ARCHIVE_OK) {
        char *full = xasprintf("%s/%s", dir, archive_entry_pathname(e));
        archive_entry_set_pathname(e, full);
        free(full);
        const char *h = archive_entry_hardlink(e);
        if (h) {
            char *hf = xasprintf("%s/%s", dir, h);
            archive_entry_set_hardlink(e, hf);
            free(hf);
        }
        /* Files become owner-writable, not executable unless they were. */
        archive_entry_set_perm(e, (archive_entry_perm(e) & 0755) | 0600);
        if (archive_write_header(w, e) != ARCHIVE_OK ||
            (archive_entry_size(e) > 0 && copy_data(a, w) < 0))
            rc = -1;
    }
    if (rc)
        die_msg("%s: cannot extract: %s", label,
                archive_error_string(w) ? archive_error_string(w)
                : a && archive_error_string(a) ? archive_error_string(a) : "error");
    archive_write_close(w);
    archive_write_free(w);
    if (a)
        archive_read_free(a);
    return rc;
}

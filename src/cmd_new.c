/* mirleft new: scaffold a project from a template: a built-in one
 * (templates/NAME), a local directory, or a git repository (URL#REV). A
 * template is a directory holding a unikernel.yml; {{name}} and
 * {{version}} are filled in, in file contents and names. The project is
 * assembled in a hidden sibling directory and renamed into place, so an
 * interrupted `new` leaves nothing half-written, and an existing non-empty
 * directory is never touched. Nothing may point outside the template. */
#include <errno.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sys/stat.h>

#include "cache.h"
#include "cmd.h"
#include "config.h"
#include "git.h"
#include "diag.h"
#include "fsutil.h"
#include "paths.h"
#include "version.h"

/* Replaces {{name}} and {{version}}. */
static char *fill(const char *text, const char *name)
{
    struct strbuf sb;
    sb_init(&sb);
    for (const char *p = text; *p;) {
        if (!strncmp(p, "{{name}}", 8)) {
            sb_puts(&sb, name);
            p += 8;
        } else if (!strncmp(p, "{{version}}", 11)) {
            sb_puts(&sb, tool_version());
            p += 11;
        } else {
            sb_add(&sb, p++, 1);
        }
    }
    return sb_detach(&sb);
}

/* Copies the template tree. Version-control and build directories stay
 * behind; a symbolic link is refused (it could reach outside the
 * template); binary files are copied as they are. */
static int copy_tree(const char *from, const char *to, const char *name)
{
    struct strlist l = {0};
    int rc = 0;
    if (!list_dir(from, &l) || mkdir_p(to) < 0)
        return -1;
    for (size_t i = 0; i < l.n && !rc; i++) {
        if (!strcmp(l.v[i], ".git") || !strcmp(l.v[i], "_build") ||
            !strcmp(l.v[i], "dist"))
            continue;
        char *src = path_join(from, l.v[i]);
        char *fname = fill(l.v[i], name);
        char *dst = path_join(to, fname);
        struct stat st;
        if (lstat(src, &st) < 0) {
            rc = -1;
        } else if (S_ISLNK(st.st_mode)) {
            die_msg("template file %s is a symbolic link: refused, a template "
                    "may not point outside itself", src);
            errno = 0;
            rc = -2;
        } else if (S_ISDIR(st.st_mode)) {
            rc = copy_tree(src, dst, name);
        } else if (S_ISREG(st.st_mode)) {
            size_t len;
            char *text = read_file(src, &len);
            bool binary = text && memchr(text, 0, len);
            char *out = text && !binary ? fill(text, name) : NULL;
            rc = text && write_atomic(dst, binary ? text : out,
                                      binary ? len : strlen(out)) >= 0 ? 0 : -1;
            if (!rc && (st.st_mode & 0111))
                chmod(dst, 0755);
            free(text);
            free(out);
        }
        free(src);
        free(fname);
        free(dst);
    }
    sl_free(&l);
    return rc;
}

/* How the user runs this mirleft: "mirleft" when that name on PATH is this
 * program, else its full path (build/mirleft before it is on PATH). */
static char *self_command(void)
{
    char *self = realpath("/proc/self/exe", NULL);
    const char *path = getenv("PATH");
    char *dirs = xstrdup(path ? path : ""), *save = NULL;
    bool on_path = false;
    for (char *d = strtok_r(dirs, ":", &save); d && self && !on_path;
         d = strtok_r(NULL, ":", &save)) {
        char *cand = path_join(*d ? d : ".", "mirleft");
        char *real = realpath(cand, NULL);
        on_path = real && !strcmp(real, self) && access(cand, X_OK) == 0;
        free(real);
        free(cand);
    }
    free(dirs);
    if (on_path || !self) {
        free(self);
        return xstrdup("mirleft");
    }
    return self;
}

/* The first paragraph of prose after the heading, its lines joined: a
 * description wrapped in the README is still one sentence here. */
static char *template_summary(const char *dir)
{
    char *readme = path_join(dir, "README.md");
    char *text = read_file(readme, NULL);
    free(readme);
    if (!text)
        return xstrdup("");
    struct strbuf sb;
    sb_init(&sb);
    bool in_para = false;
    for (char *line = text; line && *line;) {
        char *nl = strchr(line, '\n');
        if (nl)
            *nl = 0;
        bool prose = *line && *line != '#' && *line != ' ' && *line != '\t';
        if (prose) {
            if (in_para)
                sb_puts(&sb, " ");
            sb_puts(&sb, line);
            in_para = true;
        } else if (in_para) {
            break;
        }
        line = nl ? nl + 1 : NULL;
    }
    free(text);
    return sb.buf ? sb_detach(&sb) : xstrdup("");
}

static int list_templates(const char *root)
{
    char *dir = path_join(root, "templates");
    struct strlist l = {0};
    list_dir(dir, &l);
    for (size_t i = 0; i < l.n; i++) {
        char *t = path_join(dir, l.v[i]);
        char *s = template_summary(t);
        printf("%-10s %s\n", l.v[i], s);
        free(s);
        free(t);
    }
    sl_free(&l);
    free(dir);
    return 0;
}

static bool dir_is_empty(const char *dir)
{
    struct strlist l = {0};
    bool empty = list_dir(dir, &l) && l.n == 0;
    sl_free(&l);
    return empty;
}

static bool looks_like_git_url(const char *s)
{
    return strstr(s, "://") || !strncmp(s, "git@", 4);
}

/* The directory to scaffold from. A git template is exported into the
 * cache's staging area; *cleanup names what to remove afterwards. */
static int template_dir(const char *root, const char *src, char **dir,
                        char **cleanup)
{
    *cleanup = NULL;
    if (looks_like_git_url(src)) {
        char *url = xstrdup(src), *hash = strrchr(url, '#');
        const char *rev = "HEAD";
        char commit[41], remote[41];
        if (hash && hash > strstr(url, "://")) {
            *hash = 0;
            rev = hash + 1;
        }
        char *cache = cache_root();
        char *label = xasprintf("template %s", src);
        int rc = EXIT_FAIL;
        /* HEAD is no tag or branch: ask the remote what it points at. */
        if (cache && (strcmp(rev, "HEAD") || git_remote_rev(url, rev, remote, label) == 0) &&
            git_resolve(cache, url, strcmp(rev, "HEAD") ? rev : remote, false,
                        commit, label) == 0 &&
            (*cleanup = cache_tmpdir(cache)) &&
            git_export(cache, url, commit, *cleanup, label) == 0) {
            *dir = xstrdup(*cleanup);
            rc = 0;
        }
        free(cache);
        free(label);
        free(url);
        return rc;
    }
    if (strchr(src, '/') || src[0] == '.') {
        if (!is_dir(src)) {
            die_msg("template directory %s does not exist", src);
            return EXIT_FAIL;
        }
        *dir = xstrdup(src);
        return 0;
    }
    *dir = xasprintf("%s/templates/%s", root, src);
    if (is_dir(*dir))
        return 0;
    struct strlist l = {0};
    char *all = path_join(root, "templates");
    list_dir(all, &l);
    unknown_name("mirleft new", "template", src, (const char *const *)l.v, l.n,
                 "", "mirleft new --list");
    sl_free(&l);
    free(all);
    free(*dir);
    *dir = NULL;
    return EXIT_USAGE;
}

static int scaffold(const char *root, const char *tmpl, const char *dest,
                    const char *name)
{
    if (access(dest, F_OK) == 0 && !(is_dir(dest) && dir_is_empty(dest))) {
        die_msg("%s already exists and is not an empty directory; "
                "nothing was written", dest);
        return EXIT_FAIL;
    }
    char *tdir = NULL, *cleanup = NULL;
    int trc = template_dir(root, tmpl, &tdir, &cleanup);
    if (trc) {
        if (cleanup)
            rm_rf(cleanup);
        free(cleanup);
        return trc;
    }
    char *yml = path_join(tdir, "unikernel.yml");
    bool is_template = is_file(yml);
    free(yml);
    if (!is_template) {
        die_msg("%s is not a template: it has no unikernel.yml", tmpl);
        if (cleanup)
            rm_rf(cleanup);
        free(cleanup);
        free(tdir);
        return EXIT_FAIL;
    }
    char *copy = xstrdup(dest);
    char *parent = dirname(copy);
    char *base_copy = xstrdup(dest);
    char *tmp = xasprintf("%s/.%s.mirleft-new.%ld", parent, basename(base_copy),
                          (long)getpid());
    int rc = 0, cr = copy_tree(tdir, tmp, name);
    /* What mirleft generates and builds (clangd's link included) is never
     * the project's source; a template's own .gitignore wins. */
    char *ignore = path_join(tmp, ".gitignore");
    if (cr == 0 && !is_file(ignore) &&
        write_atomic(ignore, "_build/\ndist/\ncompile_commands.json\n", 36) < 0)
        cr = -1;
    free(ignore);
    if (cr < 0 || rename(tmp, dest) < 0) {
        if (cr != -2)
            die_msg("cannot create %s: %s", dest, strerror(errno));
        rm_rf(tmp);
        rc = EXIT_FAIL;
    } else {
        char *self = self_command();
        printf("created %s from template '%s'\n", dest, tmpl);
        printf("next: cd %s && %s build && %s run\n", dest, self, self);
        free(self);
    }
    free(tmp);
    free(copy);
    free(base_copy);
    free(tdir);
    if (cleanup)
        rm_rf(cleanup);
    free(cleanup);
    return rc;
}

const struct option new_options[] = {
    {"help", no_argument, 0, 'h'}, {"template", required_argument, 0, 'T'},
    {"name", required_argument, 0, 'n'}, {"list", no_argument, 0, 'l'},
    {0, 0, 0, 0}};

static int run(int argc, char **argv)
{
    const char *tmpl = "hello", *name = NULL;
    bool list = false;
    int c;
    reset_getopt();
    while ((c = getopt_long(argc, argv, "hT:n:l", new_options, NULL)) != -1) {
        switch (c) {
        case 'h':
            fputs(cmd_new.usage, stdout);
            return 0;
        case 'T': tmpl = optarg; break;
        case 'n': name = optarg; break;
        case 'l': list = true; break;
        default:
            return bad_option(&cmd_new);
        }
    }
    char *root = data_root();
    if (!root)
        return EXIT_FAIL;
    int rc;
    if (list) {
        rc = optind < argc ? usage_error(&cmd_new, "--list takes no directory")
                           : list_templates(root);
    } else if (argc - optind != 1) {
        rc = usage_error(&cmd_new, "expected one directory to create");
    } else {
        const char *dest = argv[optind];
        char *copy = xstrdup(dest);
        size_t n = strlen(copy);
        while (n > 1 && copy[n - 1] == '/')
            copy[--n] = 0;
        const char *pname = name ? name : basename(copy);
        if (!valid_project_name(pname))
            rc = usage_error(&cmd_new,
                             "'%s' is not a valid project name (a lower-case "
                             "letter, then lower-case letters, digits or '-')%s",
                             pname, name ? "" : "; pass --name NAME");
        else
            rc = scaffold(root, tmpl, dest, pname);
        free(copy);
    }
    free(root);
    return rc;
}

const struct command cmd_new = {
    "new", run, "create a project from a template",
    "usage: mirleft new [--template SOURCE] [--name NAME] DIR\n"
    "       mirleft new --list\n"
    "\n"
    "Create DIR from a template (default: hello): a built-in template name, a\n"
    "local directory (a path with a '/'), or a git repository URL with an\n"
    "optional #REV (tag, branch or commit; default: the remote's HEAD). A\n"
    "template is a directory with a unikernel.yml; {{name}} and {{version}}\n"
    "are filled in, in file names and contents. The project is named after\n"
    "DIR unless --name is given. An existing non-empty DIR is never\n"
    "overwritten; a template with a symbolic link is refused.\n"
    "\n"
    "  -T, --template SOURCE    template to start from (default: hello)\n"
    "  -n, --name NAME          project name (default: DIR's last component)\n"
    "  -l, --list               list the templates\n"
    "  -h, --help               show this help\n",
};

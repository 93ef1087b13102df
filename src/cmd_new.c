/* mirleft new: scaffold a project from templates/NAME. The project is
 * assembled in a hidden sibling directory and renamed into place, so an
 * interrupted `new` leaves nothing half-written, and an existing non-empty
 * directory is never touched. */
#include <errno.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd.h"
#include "config.h"
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

static int copy_tree(const char *from, const char *to, const char *name)
{
    struct strlist l = {0};
    int rc = 0;
    if (!list_dir(from, &l) || mkdir_p(to) < 0)
        return -1;
    for (size_t i = 0; i < l.n && !rc; i++) {
        char *src = path_join(from, l.v[i]);
        char *dst = path_join(to, l.v[i]);
        if (is_dir(src)) {
            rc = copy_tree(src, dst, name);
        } else {
            size_t len;
            char *text = read_file(src, &len);
            char *out = text ? fill(text, name) : NULL;
            rc = out && write_atomic(dst, out, strlen(out)) >= 0 ? 0 : -1;
            free(text);
            free(out);
        }
        free(src);
        free(dst);
    }
    sl_free(&l);
    return rc;
}

static char *template_summary(const char *dir)
{
    char *readme = path_join(dir, "README.md");
    char *text = read_file(readme, NULL);
    free(readme);
    if (!text)
        return xstrdup("");
    /* The first line of prose after the heading. */
    char *line = text, *found = NULL;
    while (line && *line) {
        char *nl = strchr(line, '\n');
        if (nl)
            *nl = 0;
        if (*line && *line != '#') {
            found = line;
            break;
        }
        line = nl ? nl + 1 : NULL;
    }
    char *r = xstrdup(found ? found : "");
    free(text);
    return r;
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

static int scaffold(const char *root, const char *tmpl, const char *dest,
                    const char *name)
{
    char *tdir = xasprintf("%s/templates/%s", root, tmpl);
    if (!is_dir(tdir)) {
        struct strlist l = {0};
        char *all = path_join(root, "templates");
        list_dir(all, &l);
        unknown_name("mirleft new", "template", tmpl,
                     (const char *const *)l.v, l.n, "", "mirleft new --list");
        sl_free(&l);
        free(all);
        free(tdir);
        return EXIT_USAGE;
    }
    if (access(dest, F_OK) == 0 && !(is_dir(dest) && dir_is_empty(dest))) {
        die_msg("%s already exists and is not an empty directory; "
                "nothing was written", dest);
        free(tdir);
        return EXIT_FAIL;
    }
    char *copy = xstrdup(dest);
    char *parent = dirname(copy);
    char *base_copy = xstrdup(dest);
    char *tmp = xasprintf("%s/.%s.mirleft-new.%ld", parent, basename(base_copy),
                          (long)getpid());
    int rc = 0;
    if (copy_tree(tdir, tmp, name) < 0 || rename(tmp, dest) < 0) {
        die_msg("cannot create %s: %s", dest, strerror(errno));
        rm_rf(tmp);
        rc = EXIT_FAIL;
    } else {
        printf("created %s from template '%s'\n", dest, tmpl);
        printf("next: cd %s && mirleft build && mirleft run\n", dest);
    }
    free(tmp);
    free(copy);
    free(base_copy);
    free(tdir);
    return rc;
}

static int run(int argc, char **argv)
{
    static const struct option lo[] = {
        {"help", no_argument, 0, 'h'}, {"template", required_argument, 0, 'T'},
        {"name", required_argument, 0, 'n'}, {"list", no_argument, 0, 'l'},
        {0, 0, 0, 0}};
    const char *tmpl = "hello", *name = NULL;
    bool list = false;
    int c;
    reset_getopt();
    while ((c = getopt_long(argc, argv, "hT:n:l", lo, NULL)) != -1) {
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
    "usage: mirleft new [--template TEMPLATE] [--name NAME] DIR\n"
    "       mirleft new --list\n"
    "\n"
    "Create DIR with a unikernel.yml, a unikernel.c and a README from a\n"
    "template (default: hello). The project is named after DIR unless\n"
    "--name is given. An existing non-empty DIR is never overwritten.\n"
    "\n"
    "  -T, --template TEMPLATE  template to start from (default: hello)\n"
    "  -n, --name NAME          project name (default: DIR's last component)\n"
    "  -l, --list               list the templates\n"
    "  -h, --help               show this help\n",
};

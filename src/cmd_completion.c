/* Shell completion: `mirleft completion bash|zsh` prints a script whose
 * function asks the hidden `mirleft __complete` for the candidates, so the
 * commands and options come from the command table and the options
 * getopt parses, and targets, templates and device types from the data,
 * at completion time. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "diag.h"
#include "fsutil.h"
#include "paths.h"
#include "target.h"

/* One option of a command, from its table or its usage text. */
struct opt {
    char *name;
    int letter; /* its short form, or 0 */
    bool arg;
};

struct opts {
    struct opt v[64];
    size_t n;
};

static void opts_add(struct opts *o, const char *name, size_t len, int letter,
                     bool arg)
{
    if (o->n < sizeof o->v / sizeof o->v[0])
        o->v[o->n++] = (struct opt){xstrndup(name, len), letter, arg};
}

/* "  -t, --target TARGET  ..." and "      --mem MIB  ...": the usage's
 * option lines, for a command without a table. */
static void opts_from_usage(struct opts *o, const char *usage)
{
    for (const char *l = usage, *nl; *l; l = nl + 1) {
        if (!(nl = strchr(l, '\n')))
            nl = l + strlen(l) - 1;
        const char *p = l;
        while (*p == ' ')
            p++;
        int letter = 0;
        if (p[0] == '-' && isalpha((unsigned char)p[1]) && p[2] == ',') {
            letter = p[1];
            p += 3;
            while (*p == ' ')
                p++;
        }
        if (p == l || strncmp(p, "--", 2) || !isalpha((unsigned char)p[2]))
            continue;
        size_t len = strcspn(p, " =\n");
        bool arg = (p[len] == ' ' || p[len] == '=') && isupper((unsigned char)p[len + 1]);
        opts_add(o, p, len, letter, arg);
    }
}

/* Per command, the table its getopt_long parses and what its operands
 * are; a command not here (run) has its usage's option lines read. */
static const struct {
    const struct command *cmd;
    const struct option *options;
    enum operand operand;
} tables[] = {
    {&cmd_new, new_options, OPERAND_DIR},
    {&cmd_configure, configure_options, OPERAND_NONE},
    {&cmd_build, build_options, OPERAND_NONE},
    {&cmd_check, check_options, OPERAND_NONE},
    {&cmd_describe, describe_options, OPERAND_NONE},
    {&cmd_query, common_options, OPERAND_NONE},
    {&cmd_clean, common_options, OPERAND_NONE},
    {&cmd_targets, targets_options, OPERAND_NONE},
    {&cmd_devices, devices_options, OPERAND_DEVICE_TYPE},
    {&cmd_pull, pull_options, OPERAND_NONE},
    {&cmd_lock, lock_options, OPERAND_NONE},
    {&cmd_inspect, inspect_options, OPERAND_FILE},
    {&cmd_completion, help_options, OPERAND_SHELL},
    {&cmd_version, help_options, OPERAND_NONE},
    {&cmd_help, help_options, OPERAND_COMMAND},
};

static const struct option *options_of(const struct command *c,
                                       enum operand *operand)
{
    for (size_t i = 0; i < sizeof tables / sizeof tables[0]; i++)
        if (tables[i].cmd == c) {
            *operand = tables[i].operand;
            return tables[i].options;
        }
    *operand = OPERAND_NONE;
    return NULL;
}

static void opts_of(struct opts *o, const struct command *c,
                    enum operand *operand)
{
    const struct option *options = options_of(c, operand);
    o->n = 0;
    if (!options) {
        opts_from_usage(o, c->usage);
        return;
    }
    for (const struct option *x = options; x->name; x++) {
        char *dashed = xasprintf("--%s", x->name);
        opts_add(o, dashed, strlen(dashed), isalpha(x->val) ? x->val : 0,
                 x->has_arg == required_argument);
        free(dashed);
    }
}

static void opts_free(struct opts *o)
{
    for (size_t i = 0; i < o->n; i++)
        free(o->v[i].name);
}

/* The option a word names ("--target", "--target=", "-t"), or NULL. */
static const struct opt *opt_named(const struct opts *o, const char *w)
{
    for (size_t i = 0; i < o->n; i++) {
        size_t len = strlen(o->v[i].name);
        if (!strncmp(w, o->v[i].name, len) && (!w[len] || w[len] == '='))
            return &o->v[i];
        if (w[0] == '-' && w[1] && w[1] == o->v[i].letter && !w[2])
            return &o->v[i];
    }
    return NULL;
}

/* What is being completed: the word so far (after any "--opt="), what
 * each candidate is to be prefixed with ("--opt=" when the shell did not
 * split there), and whether zsh wants "name:description". */
struct query {
    const char *cur, *prefix;
    bool describe;
};

static void offer(const struct query *q, const char *cand, const char *desc)
{
    if (strncmp(cand, q->cur, strlen(q->cur)))
        return;
    if (q->describe && desc)
        printf("%s%s:%s\n", q->prefix, cand, desc);
    else
        printf("%s%s\n", q->prefix, cand);
}

/* The names of a data directory's entries (targets, templates, device
 * types), without the suffix strip. */
static void offer_data(const struct query *q, const char *sub,
                       const char *strip)
{
    char *root = data_root();
    if (!root)
        return;
    struct strlist l = {0};
    if (!strcmp(sub, "targets"))
        target_names(root, &l);
    else {
        char *dir = path_join(root, sub);
        list_dir(dir, &l);
        free(dir);
    }
    sl_sort(&l);
    for (size_t i = 0; i < l.n; i++) {
        size_t n = strlen(l.v[i]), s = strip ? strlen(strip) : 0;
        if (strip && (n <= s || strcmp(l.v[i] + n - s, strip)))
            continue;
        l.v[i][n - s] = 0;
        offer(q, l.v[i], NULL);
    }
    sl_free(&l);
    free(root);
}

/* The values of an option's argument, by the option's name. */
static void offer_value(const struct query *q, const char *opt)
{
    if (!strcmp(opt, "--target"))
        offer_data(q, "targets", NULL);
    else if (!strcmp(opt, "--template"))
        offer_data(q, "templates", NULL);
    else if (!strcmp(opt, "--color")) {
        offer(q, "always", NULL);
        offer(q, "auto", NULL);
        offer(q, "never", NULL);
    } else if (!strcmp(opt, "--file"))
        puts("::file");
}

static void offer_commands(const struct query *q)
{
    for (size_t i = 0; commands[i]; i++)
        offer(q, commands[i]->name, commands[i]->summary);
}

static void offer_operand(const struct query *q, enum operand operand)
{
    switch (operand) {
    case OPERAND_COMMAND:
        offer_commands(q);
        break;
    case OPERAND_DEVICE_TYPE:
        offer_data(q, "share/devices", ".yml");
        break;
    case OPERAND_FILE:
        puts("::file");
        break;
    case OPERAND_DIR:
        puts("::dir");
        break;
    case OPERAND_SHELL:
        offer(q, "bash", NULL);
        offer(q, "zsh", NULL);
        break;
    case OPERAND_NONE:
        break;
    }
}

/* The command: the first word after mirleft that is not an option (nor
 * --color's value). */
static const struct command *command_of(char **w, int cword)
{
    for (int i = 1; i < cword; i++)
        if (w[i][0] != '-' && strcmp(w[i], "=") &&
            !(i > 1 && !strcmp(w[i - 1], "--color")))
            return command_find(w[i]);
    return NULL;
}

int complete_words(int argc, char **argv)
{
    struct query q = {"", "", false};
    if (argc > 0 && !strcmp(argv[0], "--describe")) {
        q.describe = true;
        argc--;
        argv++;
    }
    if (argc < 2)
        return EXIT_USAGE;
    int cword = atoi(argv[0]), nw = argc - 1;
    char **w = argv + 1;
    if (cword < 1 || cword > nw)
        return 0;
    q.cur = cword < nw ? w[cword] : "";
    const char *prev = w[cword - 1], *opt_word = prev;
    char name[64], prefix[80];
    /* bash splits "--color=al" at '=' (words --color, =, al); zsh does not */
    if (!strcmp(q.cur, "=") && cword >= 2)
        q.cur = "";
    else if (!strcmp(prev, "=") && cword >= 3)
        opt_word = w[cword - 2];
    else if (q.cur[0] == '-' && strchr(q.cur, '=')) {
        int len = (int)(strchr(q.cur, '=') - q.cur);
        snprintf(name, sizeof name, "%.*s", len, q.cur);
        snprintf(prefix, sizeof prefix, "%.*s", len + 1, q.cur);
        opt_word = name;
        q.prefix = prefix;
        q.cur += len + 1;
    }
    const struct command *c = command_of(w, cword);
    if (!strcmp(opt_word, "--color")) {
        offer_value(&q, "--color");
        return 0;
    }
    if (!c) {
        if (q.cur[0] == '-') {
            offer(&q, "--help", NULL);
            offer(&q, "--version", NULL);
            offer(&q, "--color", NULL);
        } else
            offer_commands(&q);
        return 0;
    }
    struct opts o;
    enum operand operand;
    opts_of(&o, c, &operand);
    const struct opt *value_of = opt_named(&o, opt_word);
    if (value_of && value_of->arg && opt_word[0] == '-')
        offer_value(&q, value_of->name);
    else if (q.cur[0] == '-') {
        for (size_t i = 0; i < o.n; i++)
            offer(&q, o.v[i].name, NULL);
        offer(&q, "--color", NULL);
    } else
        offer_operand(&q, operand);
    opts_free(&o);
    return 0;
}

static const char bash_script[] =
    "# bash completion for mirleft, printed by `mirleft completion bash`.\n"
    "# The candidates come from `mirleft __complete CWORD WORD...`.\n"
    "_mirleft()\n"
    "{\n"
    "    local cur=\"${COMP_WORDS[COMP_CWORD]}\" out IFS=$'\\n'\n"
    "    out=$(\"${COMP_WORDS[0]}\" __complete \"$COMP_CWORD\" \"${COMP_WORDS[@]}\" 2>/dev/null) || return 0\n"
    "    [ \"$cur\" = = ] && cur=\n"
    "    case $out in\n"
    "    ::file*) COMPREPLY=($(compgen -f -- \"$cur\")) ;;\n"
    "    ::dir*) COMPREPLY=($(compgen -d -- \"$cur\")) ;;\n"
    "    *) COMPREPLY=($out) ;;\n"
    "    esac\n"
    "}\n"
    "complete -F _mirleft mirleft\n";

static const char zsh_script[] =
    "#compdef mirleft\n"
    "# zsh completion for mirleft, printed by `mirleft completion zsh`.\n"
    "# The candidates come from `mirleft __complete --describe CWORD WORD...`.\n"
    "_mirleft() {\n"
    "    local -a out\n"
    "    out=(\"${(@f)$(\"${words[1]}\" __complete --describe $((CURRENT - 1)) \"${words[@]}\" 2>/dev/null)}\")\n"
    "    case ${out[1]} in\n"
    "    ::file) _files ;;\n"
    "    ::dir) _files -/ ;;\n"
    "    *) _describe -t values mirleft out ;;\n"
    "    esac\n"
    "}\n"
    "_mirleft \"$@\"\n";

static int run(int argc, char **argv)
{
    int r = help_only(&cmd_completion, argc, argv);
    if (r >= 0)
        return r;
    if (argc - optind != 1)
        return usage_error(&cmd_completion, "expected a shell: bash or zsh");
    const char *sh = argv[optind];
    if (!strcmp(sh, "bash"))
        fputs(bash_script, stdout);
    else if (!strcmp(sh, "zsh"))
        fputs(zsh_script, stdout);
    else {
        static const char *const shells[] = {"bash", "zsh"};
        return unknown_name("mirleft completion", "shell", sh, shells, 2, "",
                            "mirleft help completion");
    }
    return 0;
}

const struct command cmd_completion = {
    "completion", run, "print the shell completion script",
    "usage: mirleft completion bash|zsh\n"
    "\n"
    "Print the completion script for bash or zsh: commands, options,\n"
    "targets, templates and device types. `make install` installs both;\n"
    "to try it in a shell: source <(mirleft completion bash).\n"
    "\n"
    "  -h, --help   show this help\n",
};

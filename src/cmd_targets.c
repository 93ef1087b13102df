#include <stdio.h>
#include <stdlib.h>

#include "catalogue.h"
#include "cmd.h"
#include "diag.h"
#include "json.h"
#include "paths.h"
#include "target.h"

const struct option targets_options[] = {
    {"help", no_argument, 0, 'h'}, JSON_LONGOPT, {0, 0, 0, 0}};

static void print_text(const struct target *t)
{
    printf("%-8s %-9s %-7s %s\n", t->name,
           target_ready(t) ? "buildable" : "planned", t->arch, t->doc);
    printf("%-8s devices:", "");
    for (size_t d = 0; d < t->ndevs; d++)
        printf(" %s", t->devs[d].type);
    printf("\n");
}

static void print_json(struct json *j, const struct target *t)
{
    json_open(j, NULL, '{');
    json_string(j, "name", t->name);
    json_bool(j, "buildable", target_ready(t));
    json_string(j, "status", t->status);
    json_string(j, "arch", t->arch);
    json_string(j, "doc", t->doc);
    json_string(j, "suffix", t->suffix);
    json_bool(j, "solo5", t->solo5);
    json_bool(j, "runnable", t->runner != NULL);
    json_open(j, "devices", '[');
    for (size_t d = 0; d < t->ndevs; d++) {
        json_open(j, NULL, '{');
        json_string(j, "type", t->devs[d].type);
        json_string(j, "backend", t->devs[d].backend);
        json_close(j, '}');
    }
    json_close(j, ']');
    json_close(j, '}');
}

static int run(int argc, char **argv)
{
    bool json;
    int r = json_only(&cmd_targets, targets_options, argc, argv, &json);
    if (r >= 0)
        return r;
    if (optind < argc)
        return usage_error(&cmd_targets, "unexpected argument '%s'", argv[optind]);
    char *root = data_root();
    if (!root)
        return EXIT_FAIL;
    struct strlist names = {0};
    struct catalogue cat = {0};
    /* with the catalogue, so a target naming a type or backend that does
     * not exist is reported here */
    bool have_cat = catalogue_load(&cat, root, stderr);
    int rc = have_cat ? 0 : EXIT_FAIL;
    target_names(root, &names);
    struct json j;
    json_init(&j, stdout);
    if (json) {
        json_open(&j, NULL, '{');
        json_open(&j, "targets", '[');
    }
    for (size_t i = 0; i < names.n; i++) {
        struct target t;
        int trc = target_load(&t, root, names.v[i], have_cat ? &cat : NULL, stderr);
        if (trc) {
            rc = rc ? rc : trc;
            target_free(&t);
            continue;
        }
        json ? print_json(&j, &t) : print_text(&t);
        target_free(&t);
    }
    if (json) {
        json_close(&j, ']');
        json_close(&j, '}');
        json_end(&j);
    }
    sl_free(&names);
    catalogue_free(&cat);
    free(root);
    return rc;
}

const struct command cmd_targets = {
    "targets", run, "list the targets",
    "usage: mirleft targets [--json]\n"
    "\n"
    "List every target (targets/NAME/target.yml): whether this mirleft can\n"
    "build it yet, its architecture, what it is, and the device types it\n"
    "provides.\n"
    "\n"
    "      --json   one JSON object (see JSON OUTPUT in mirleft(1))\n"
    "  -h, --help   show this help\n",
};

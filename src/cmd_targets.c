#include <stdio.h>
#include <stdlib.h>

#include "catalogue.h"
#include "cmd.h"
#include "diag.h"
#include "paths.h"
#include "target.h"

static int run(int argc, char **argv)
{
    int r = help_only(&cmd_targets, argc, argv);
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
    for (size_t i = 0; i < names.n; i++) {
        struct target t;
        int trc = target_load(&t, root, names.v[i], have_cat ? &cat : NULL, stderr);
        if (trc) {
            rc = rc ? rc : trc;
            target_free(&t);
            continue;
        }
        printf("%-8s %-9s %-7s %s\n", t.name,
               target_ready(&t) ? "buildable" : "planned", t.arch, t.doc);
        printf("%-8s devices:", "");
        for (size_t d = 0; d < t.ndevs; d++)
            printf(" %s", t.devs[d].type);
        printf("\n");
        target_free(&t);
    }
    sl_free(&names);
    catalogue_free(&cat);
    free(root);
    return rc;
}

const struct command cmd_targets = {
    "targets", run, "list the targets",
    "usage: mirleft targets\n"
    "\n"
    "List every target (targets/NAME/target.yml): whether this mirleft can\n"
    "build it yet, its architecture, what it is, and the device types it\n"
    "provides.\n",
};

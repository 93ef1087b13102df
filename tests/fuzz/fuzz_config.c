/* libFuzzer target: arbitrary bytes as unikernel.yml through the loader,
 * the resolver (against the real catalogue and spt target) and every
 * generator. Any crash, leak, or undefined behaviour is a bug; error
 * returns are fine. MIRLEFT_DATADIR (default: the source tree this was
 * built from) says where the catalogue lives. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "catalogue.h"
#include "config.h"
#include "gen.h"
#include "resolve.h"
#include "target.h"

static struct catalogue cat;
static struct target spt;
static struct strlist names;
static const char *root;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    root = getenv("MIRLEFT_DATADIR");
    if (!root)
        root = MIRLEFT_SRC_ROOT;
    if (!catalogue_load(&cat, root, stderr) ||
        target_load(&spt, root, "spt", &cat, stderr) != 0) {
        fprintf(stderr, "fuzz_config: cannot load the data under %s\n", root);
        exit(1);
    }
    target_names(root, &names);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct diag d;
    struct config c;
    diag_init(&d, "fuzz.yml", (const char *)data, size, NULL);
    if (config_load(&c, (const char *)data, size, NULL, &d) == 0) {
        struct graph g;
        if (resolve(&g, &c, &cat, &spt, &names, &d) == 0) {
            struct genset gs;
            struct gen_env env = {.root = root, .project_rel = "../..", .config_name = "fuzz.yml"};
            generate(&gs, &g, &env);
            genset_free(&gs);
        }
        graph_free(&g);
    }
    config_free(&c);
    return 0;
}

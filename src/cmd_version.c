#include <stdio.h>
#include <string.h>

#include "cmd.h"
#include "version.h"

static int run(int argc, char **argv)
{
    if (argc == 2 && (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help"))) {
        fputs(cmd_version.usage, stdout);
        return 0;
    }
    if (argc > 1)
        return usage_error(&cmd_version, "unexpected argument '%s'", argv[1]);
    printf("mirleft %s\n", tool_version());
    return 0;
}

const struct command cmd_version = {
    "version", run, "print mirleft's version",
    "usage: mirleft version | mirleft --version\n"
    "\n"
    "Print mirleft's version, the one that unikernel.yml's min-version and\n"
    "max-version are compared with.\n",
};

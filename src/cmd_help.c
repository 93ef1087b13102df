#include <stdio.h>
#include <string.h>

#include "cmd.h"
#include "diag.h"
#include "util.h"

static int run(int argc, char **argv)
{
    if (argc > 2)
        return usage_error(&cmd_help, "expected at most one command name");
    if (argc == 2) {
        const char *name = argv[1];
        if (!strcmp(name, "-h") || !strcmp(name, "--help"))
            name = "help";
        const struct command *c = command_find(name);
        if (!c)
            return unknown_command("mirleft help", name);
        fputs(c->usage, stdout);
        return 0;
    }
    fputs(cmd_help.usage, stdout);
    return 0;
}

const struct command cmd_help = {
    "help", run, "show help for mirleft or one command",
    "usage: mirleft COMMAND [OPTIONS]\n"
    "\n"
    "Configure, build and run unikernels written in C.\n"
    "\n"
    "Commands:\n"
    "  new         create a project from a template\n"
    "  configure   check unikernel.yml and generate _build/TARGET\n"
    "  build       configure, then compile dist/NAME.TARGET\n"
    "  run         build, then run the image with the target's runner\n"
    "  check       validate unikernel.yml without writing anything\n"
    "  describe    print the resolved device graph\n"
    "  query       print one generated file without writing it\n"
    "  clean       remove _build/ and dist/\n"
    "  targets     list the targets\n"
    "  devices     list the device types\n"
    "  pull        fetch the project's libraries into the cache\n"
    "  lock        pin the libraries in unikernel.lock\n"
    "  inspect     print an image's build information and devices\n"
    "  completion  print the shell completion script (bash or zsh)\n"
    "  version     print mirleft's version\n"
    "  help        show help for a command: mirleft help COMMAND\n"
    "\n"
    "Every command takes --help, and --color=always|never|auto (colour for\n"
    "errors, warnings and hints; default: on a terminal, unless NO_COLOR).\n"
    "Exit codes: 0 success, 1 a step failed,\n"
    "2 bad command line, 3 invalid unikernel.yml, 4 version bound not met,\n"
    "5 the target cannot build this configuration, 6 unikernel.lock disagrees\n"
    "with the configuration or upstream. See mirleft(1).\n",
};

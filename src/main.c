/* mirleft: configure, build and run C unikernels. main dispatches to one
 * subcommand per file. */
#include <stdio.h>
#include <string.h>

#include "cmd.h"
#include "diag.h"
#include "util.h"
#include "version.h"

const struct command *const commands[] = {
    &cmd_new, &cmd_configure, &cmd_build, &cmd_run, &cmd_check,
    &cmd_describe, &cmd_query, &cmd_clean, &cmd_targets, &cmd_devices,
    &cmd_version, &cmd_help, NULL,
};

const struct command *command_find(const char *name)
{
    for (size_t i = 0; commands[i]; i++)
        if (!strcmp(commands[i]->name, name))
            return commands[i];
    return NULL;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fputs(cmd_help.usage, stderr);
        return EXIT_USAGE;
    }
    const char *name = argv[1];
    if (!strcmp(name, "--help") || !strcmp(name, "-h"))
        name = "help";
    else if (!strcmp(name, "--version") || !strcmp(name, "-V"))
        name = "version";
    const struct command *cmd = command_find(name);
    if (!cmd) {
        const char *names[32];
        size_t n = 0;
        for (; commands[n]; n++)
            names[n] = commands[n]->name;
        fprintf(stderr, "mirleft: unknown command '%s'\n", name);
        const char *near = nearest(name, names, n);
        if (near)
            fprintf(stderr, "hint: did you mean 'mirleft %s'?\n", near);
        else
            fprintf(stderr, "hint: 'mirleft help' lists the commands\n");
        return EXIT_USAGE;
    }
    return cmd->run(argc - 1, argv + 1);
}

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
    &cmd_pull, &cmd_lock, &cmd_inspect, &cmd_completion, &cmd_version, &cmd_help, NULL,
};

int unknown_command(const char *who, const char *name)
{
    const char *names[32];
    size_t n = 0;
    for (; commands[n] && n < 32; n++)
        names[n] = commands[n]->name;
    char *prefix = xasprintf("%s ", who);
    int r = unknown_name(who, "command", name, names, n, prefix, "mirleft help");
    free(prefix);
    return r;
}

const struct command *command_find(const char *name)
{
    for (size_t i = 0; commands[i]; i++)
        if (!strcmp(commands[i]->name, name))
            return commands[i];
    return NULL;
}

/* --color=WHEN (or --color WHEN) is taken wherever it stands before a
 * "--" (after which words are the unikernel's), so it works before or
 * after the command name. Returns false on a bad WHEN. */
static bool take_color(int *argc, char **argv)
{
    int out = 1;
    bool ok = true, passthrough = false;
    for (int i = 1; i < *argc; i++) {
        const char *a = argv[i], *when = NULL;
        passthrough |= !strcmp(a, "--");
        if (!passthrough && !strncmp(a, "--color=", 8))
            when = a + 8;
        else if (!passthrough && !strcmp(a, "--color") && i + 1 < *argc)
            when = argv[++i];
        if (!when) {
            argv[out++] = argv[i];
            continue;
        }
        if (!strcmp(when, "always"))
            diag_set_color(COLOR_ALWAYS);
        else if (!strcmp(when, "never"))
            diag_set_color(COLOR_NEVER);
        else if (!strcmp(when, "auto"))
            diag_set_color(COLOR_AUTO);
        else {
            fprintf(stderr, "mirleft: --color: expected always, never or "
                            "auto, got '%s'\n", when);
            ok = false;
        }
    }
    argv[out] = NULL;
    *argc = out;
    return ok;
}

int main(int argc, char **argv)
{
    if (argc >= 2 && !strcmp(argv[1], "__complete"))
        return complete_words(argc - 2, argv + 2);
    if (!take_color(&argc, argv))
        return EXIT_USAGE;
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
    if (!cmd)
        return unknown_command("mirleft", name);
    /* getopt prefixes its messages with argv[0]: make it "mirleft CMD". */
    argv[1] = xasprintf("mirleft %s", cmd->name);
    return cmd->run(argc - 1, argv + 1);
}

/* Subcommands: one file each (cmd_NAME.c), dispatched by main.c. */
#ifndef MIRLEFT_CMD_H
#define MIRLEFT_CMD_H

#include <getopt.h>
#include <stdbool.h>

#include "project.h"

struct command {
    const char *name;
    int (*run)(int argc, char **argv);
    const char *summary;
    const char *usage; /* the full text of `mirleft help NAME` */
};

extern const struct command cmd_new, cmd_configure, cmd_build, cmd_run,
    cmd_check, cmd_describe, cmd_query, cmd_clean, cmd_targets, cmd_devices,
    cmd_pull, cmd_lock, cmd_inspect, cmd_version, cmd_help, cmd_completion;
/* The hidden `mirleft __complete CWORD WORD...`: prints the candidates for
 * word CWORD of the command line WORD... (WORD 0 is "mirleft"), one a
 * line, for the shell scripts of `mirleft completion`. */
int complete_words(int argc, char **argv);

const struct command *command_find(const char *name);
/* Reports an unknown command (who: "mirleft" or "mirleft help"). */
int unknown_command(const char *who, const char *name);
extern const struct command *const commands[];

/* Options most project commands share. */
struct common {
    const char *target; /* -t, default spt */
    const char *file;   /* -f, default unikernel.yml */
    bool offline;       /* --offline: libraries from the cache only */
};

#define OFFLINE_OPT 0x100 /* --offline has no short form */
#define OFFLINE_LONGOPT {"offline", no_argument, 0, OFFLINE_OPT}
#define COMMON_SHORTOPTS "ht:f:"
#define COMMON_LONGOPTS                                                     \
    {"help", no_argument, 0, 'h'}, {"target", required_argument, 0, 't'}, \
        {"file", required_argument, 0, 'f'}

/* What completion offers after a command's options. */
enum operand {
    OPERAND_NONE,        /* nothing worth completing */
    OPERAND_COMMAND,     /* a command name */
    OPERAND_DEVICE_TYPE, /* a device type of the catalogue */
    OPERAND_FILE,        /* a file */
    OPERAND_DIR,         /* a directory */
    OPERAND_SHELL,       /* bash or zsh */
};

/* The option tables each command's getopt_long parses (completion reads
 * them too). */
extern const struct option build_options[], check_options[],
    configure_options[], describe_options[], lock_options[], new_options[],
    pull_options[], inspect_options[], targets_options[], devices_options[];
/* The tables of help_only and common_only. */
extern const struct option help_options[], common_options[];

/* Handles -h/-t/-f for cmd; returns -1 if c was one of them and handled,
 * or an exit code to return (0 after --help), or -2 if not common. */
int common_opt(const struct command *cmd, int c, struct common *co);
/* For commands whose options are just -h, -t and -f: initialises co and
 * parses them; -1 to go on (optind at the first operand), or the exit
 * code to return. */
int common_only(const struct command *cmd, int argc, char **argv,
                struct common *co);
/* For commands whose only option is --help: -1 to go on (optind at the
 * first operand), or the exit code to return. */
int help_only(const struct command *cmd, int argc, char **argv);
/* For commands whose options are --help and --json (val 'J'). */
int json_only(const struct command *cmd, const struct option *options,
              int argc, char **argv, bool *json);
#define JSON_LONGOPT {"json", no_argument, 0, 'J'}
/* After getopt has printed "mirleft CMD: unrecognized option ...". */
int bad_option(const struct command *cmd);
int usage_error(const struct command *cmd, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void common_init(struct common *co);
/* getopt state reset, for commands run after another parsed options. */
void reset_getopt(void);

/* configure's core, shared by build and run: resolve, generate, write.
 * Returns 0 or an exit code. dry_run prints instead of writing. */
int configure_target(struct project *p, const char *target, bool dry_run,
                     bool quiet);
/* The same for a target already resolved (r stays the caller's). */
int configure_resolved(struct project *p, const char *target,
                       const struct resolved *r, bool dry_run, bool quiet);
/* The project root's compile_commands.json, for clangd: a symbolic link
 * to _build/TARGET/compile_commands.json (compdb_link.c). */
void compdb_link(const char *project_dir, const char *target, bool quiet);
/* Removes it if it is mirleft's link (clean). */
void compdb_unlink(const char *project_dir);

/* build's core: configure, then make. */
int build_target(struct project *p, const char *target, int jobs,
                 bool verbose);
/* The same for a target already resolved (run resolves once for both). */
int build_resolved(struct project *p, const char *target,
                   const struct resolved *r, int jobs, bool verbose);

#endif

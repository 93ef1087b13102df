#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "cmd.h"
#include "diag.h"

void common_init(struct common *co)
{
    co->target = "spt";
    co->file = "unikernel.yml";
    co->offline = false;
}

void reset_getopt(void)
{
    optind = 0; /* glibc: full re-initialisation */
}

int usage_error(const struct command *cmd, const char *fmt, ...)
{
    va_list ap;
    fprintf(stderr, "mirleft %s: ", cmd->name);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, "\nTry 'mirleft help %s'.\n", cmd->name);
    return EXIT_USAGE;
}

const struct option help_options[] = {{"help", no_argument, 0, 'h'},
                                      {0, 0, 0, 0}};
const struct option common_options[] = {COMMON_LONGOPTS, {0, 0, 0, 0}};

int help_only(const struct command *cmd, int argc, char **argv)
{
    int c;
    reset_getopt();
    while ((c = getopt_long(argc, argv, "h", help_options, NULL)) != -1) {
        if (c != 'h')
            return bad_option(cmd);
        fputs(cmd->usage, stdout);
        return 0;
    }
    return -1;
}

int json_only(const struct command *cmd, const struct option *options,
              int argc, char **argv, bool *json)
{
    int c;
    *json = false;
    reset_getopt();
    while ((c = getopt_long(argc, argv, "h", options, NULL)) != -1) {
        if (c == 'h') {
            fputs(cmd->usage, stdout);
            return 0;
        }
        if (c != 'J')
            return bad_option(cmd);
        *json = true;
    }
    return -1;
}

int bad_option(const struct command *cmd)
{
    fprintf(stderr, "Try 'mirleft help %s'.\n", cmd->name);
    return EXIT_USAGE;
}

int common_opt(const struct command *cmd, int c, struct common *co)
{
    switch (c) {
    case 'h':
        fputs(cmd->usage, stdout);
        return 0;
    case 't':
        co->target = optarg;
        return -1;
    case 'f':
        co->file = optarg;
        return -1;
    case OFFLINE_OPT:
        co->offline = true;
        return -1;
    case '?':
        return bad_option(cmd);
    case ':':
        return usage_error(cmd, "missing option argument");
    default:
        return -2;
    }
}

int common_only(const struct command *cmd, int argc, char **argv,
                struct common *co)
{
    int c, r;
    common_init(co);
    reset_getopt();
    while ((c = getopt_long(argc, argv, COMMON_SHORTOPTS, common_options, NULL)) != -1)
        if ((r = common_opt(cmd, c, co)) >= 0)
            return r;
    return -1;
}

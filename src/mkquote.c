#include "mkquote.h"

#include <string.h>

void mk_sh_word(struct strbuf *sb, const char *s)
{
    sb_puts(sb, "'");
    for (; *s; s++) {
        if (*s == '\'')
            sb_puts(sb, "'\\''");
        else if (*s == '$')
            sb_puts(sb, "$$");
        else if (*s == '#') /* a comment in a variable definition */
            sb_puts(sb, "$(ML_HASH)");
        else
            sb_add(sb, s, 1);
    }
    sb_puts(sb, "'");
}

void mk_prereq(struct strbuf *sb, const char *s)
{
    for (; *s; s++) {
        if (*s == '$')
            sb_puts(sb, "$$");
        else if (*s == '#')
            sb_puts(sb, "$(ML_HASH)");
        else if (strchr(" :%\\", *s)) {
            sb_puts(sb, "\\");
            sb_add(sb, s, 1);
        } else
            sb_add(sb, s, 1);
    }
}

const char *mk_control_char(const char *s)
{
    for (; *s; s++)
        if ((unsigned char)*s < 0x20 || *s == 0x7f)
            return s;
    return NULL;
}

bool mk_plain_path(const char *s)
{
    return *s && !s[strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                              "0123456789._+-/@,~")];
}

static bool starts(const char *s, const char *p)
{
    return !strncmp(s, p, strlen(p));
}

const char *lib_flag_refusal(const char *f)
{
    /* Options handed to another program, and the -f options that load
     * code or write files of their own choosing. */
    static const char *const never[] = {
        "-Wl,", "-Wa,", "-Wp,", "-fplugin", "-fdump-", "-fprofile",
        "-fauto-profile", "-fcreate-profile", "-fcallgraph-info",
        "-fstack-usage", "-fopt-info", "-fuse-ld", "-fsave-optimization-record",
        "-fdiagnostics-format", "-frecord-gcc-switches", "-fcompare-debug",
    };
    for (size_t i = 0; i < sizeof never / sizeof never[0]; i++)
        if (starts(f, never[i]))
            return "it would hand options to another program, load a plugin "
                   "or write files of its own";
    static const char *const prefixes[] = {"-D", "-U", "-O", "-g", "-std=",
                                           "-W", "-f", "-m", "-pedantic"};
    for (size_t i = 0; i < sizeof prefixes / sizeof prefixes[0]; i++)
        if (starts(f, prefixes[i]) &&
            (f[strlen(prefixes[i])] || strchr("OgWp", f[1])))
            return NULL;
    if (!strcmp(f, "-w") || !strcmp(f, "-ansi"))
        return NULL;
    if (starts(f, "-I"))
        return "a library names its header directories under include:";
    return "only -D, -U, -O, -g, -std=, -W, -f, -m, -pedantic, -ansi and -w "
           "flags may come from a library's metadata";
}

/* Prints a greeting and its command line; "exit=N" makes it exit with N. */
#include "guest.h"

int ml_plat_main(const struct ml_start_info *si)
{
    say("Hello, World\nCommand line is: '");
    say(si->cmdline);
    say("'\n");
    if (starts_with(si->cmdline, "exit="))
        return (int)parse_num(si->cmdline + 5);
    say("SUCCESS\n");
    return 0;
}

/* The runtime's ways out, usable from anywhere (callbacks included). */
#include <stdarg.h>
#include <stdio.h>
#include <mirleft/runtime.h>

int ml_exit_status(int status)
{
    if ((status >= 0 && status <= ML_EXIT_MAX) || status == 255)
        return status;
    fflush(stdout);
    fprintf(stderr, "mirleft: exit status %d is outside 0..%d (125 and up mean "
            "a runner's failure or a signal); exiting 255\n", status, ML_EXIT_MAX);
    return 255;
}

_Noreturn void ml_exit(int status)
{
    status = ml_exit_status(status);
    fflush(stdout);
    ml_plat_exit(status);
}

_Noreturn void ml_fatal(const char *fmt, ...)
{
    va_list ap;

    fputs("fatal: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    ml_exit(ML_EXIT_FATAL);
}

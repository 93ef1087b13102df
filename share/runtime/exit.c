/* The runtime's ways out, usable from anywhere (callbacks included). */
#include <stdarg.h>
#include <stdio.h>
#include <mirleft/runtime.h>

_Noreturn void ml_exit(int status)
{
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

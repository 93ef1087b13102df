/* The C library's ways out all lead to the runtime's ml_exit (which
 * flushes stdout) or to the platform's abort. */
#include <stdlib.h>
#include <stdio.h>
#include <mirleft/platform.h>
#include <mirleft/runtime.h>
#include "libc.h"

_Noreturn void exit(int status)
{
    ml_exit(status);
}

_Noreturn void _Exit(int status)
{
    ml_plat_exit(status);
}

_Noreturn void abort(void)
{
    /* Flushing is not required, but what the program printed just before
     * dying is usually what explains the death. Once only, in case the
     * flush itself is what aborts. */
    static int aborting;

    if (!aborting++)
        ml_stdout_flush();
    ml_plat_abort();
}

/* There is no environment: configuration comes as runtime arguments. */
char *getenv(const char *name)
{
    (void)name;
    return NULL;
}

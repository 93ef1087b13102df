/* {{name}}: a first unikernel. It prints its greeting and exits.
 * Try: mirleft run -- --hello="Hi there"   and   mirleft run -- --help */
#include <stdio.h>

#include "devices.h"

int start(struct devices *dev, const struct args *args)
{
    (void)dev;
    printf("%s\n", args->hello);
    return 0;
}

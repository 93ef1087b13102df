#include "version.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>

#ifndef MIRLEFT_VERSION
#error "MIRLEFT_VERSION must come from the VERSION file through the Makefile"
#endif

const char *tool_version(void)
{
    return MIRLEFT_VERSION;
}

bool version_parse(const char *s, struct version *v)
{
    int parts = 0;
    v->part[0] = v->part[1] = v->part[2] = 0;
    for (;;) {
        if (!isdigit((unsigned char)*s) || parts == 3)
            return false;
        /* No leading zeros beyond a single 0: "01" is a typo, not 1. */
        if (s[0] == '0' && isdigit((unsigned char)s[1]))
            return false;
        char *end;
        errno = 0;
        unsigned long n = strtoul(s, &end, 10);
        if (errno || n > 999999)
            return false;
        v->part[parts++] = n;
        if (*end == 0)
            return true;
        if (*end != '.')
            return false;
        s = end + 1;
    }
}

int version_cmp(const struct version *a, const struct version *b)
{
    for (int i = 0; i < 3; i++) {
        if (a->part[i] != b->part[i])
            return a->part[i] < b->part[i] ? -1 : 1;
    }
    return 0;
}

/* A minimal check harness for the tool's unit tests: CHECK reports the
 * failing expression with its line and counts; main returns the count. */
#ifndef TOOL_CHECK_H
#define TOOL_CHECK_H

#include <stdio.h>
#include <string.h>

static int check_failures;

#define CHECK(cond)                                                       \
    do {                                                                  \
        if (!(cond)) {                                                    \
            fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__,       \
                    __LINE__, #cond);                                     \
            check_failures++;                                             \
        }                                                                 \
    } while (0)

#define CHECK_STR_CONTAINS(hay, needle)                                   \
    do {                                                                  \
        const char *h_ = (hay), *n_ = (needle);                           \
        if (!h_ || !strstr(h_, n_)) {                                     \
            fprintf(stderr, "%s:%d: expected to find \"%s\" in:\n%s\n",   \
                    __FILE__, __LINE__, n_, h_ ? h_ : "(null)");          \
            check_failures++;                                             \
        }                                                                 \
    } while (0)

#endif

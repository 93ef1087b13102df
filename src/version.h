/* Versions of the form MAJOR[.MINOR[.PATCH]], compared numerically per
 * component, missing components being 0. Read from the text as written,
 * never through a float, so 0.10 > 0.9. */
#ifndef MIRLEFT_VERSION_H
#define MIRLEFT_VERSION_H

#include <stdbool.h>

struct version {
    unsigned long part[3];
};

/* Returns false if s is not 1 to 3 dot-separated decimal numbers. */
bool version_parse(const char *s, struct version *v);
int version_cmp(const struct version *a, const struct version *b);
/* This tool's own version (from the VERSION file, via the build). */
const char *tool_version(void);

#endif

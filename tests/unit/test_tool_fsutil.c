/* path_normalize: lexical folding of ".", "..", and repeated slashes. */
#include <stdlib.h>

#include "fsutil.h"
#include "tool_check.h"

static void norm(const char *in, const char *want)
{
    char *got = path_normalize(in);
    if (strcmp(got, want)) {
        fprintf(stderr, "path_normalize(\"%s\") = \"%s\", want \"%s\"\n", in,
                got, want);
        check_failures++;
    }
    free(got);
}

int main(void)
{
    norm("targets/spt/../../share/solo5/guest/canary.c",
         "share/solo5/guest/canary.c");
    norm("targets/spt/bindings/start.c", "targets/spt/bindings/start.c");
    norm("targets/spt/./bindings//start.c", "targets/spt/bindings/start.c");
    norm("targets/spt/bindings/", "targets/spt/bindings");
    norm("targets/spt/../../..", "..");
    norm("targets/spt/../../../etc/passwd", "../etc/passwd");
    norm("../../a/../b", "../../b");
    norm("a/..", ".");
    norm("a/../..", "..");
    norm("", ".");
    norm(".", ".");
    norm("./", ".");
    norm("/", "/");
    norm("/..", "/");
    norm("/../a/./b/..", "/a");
    norm("//a//b/", "/a/b");
    norm("a/.../b", "a/.../b");   /* "..." is a name */
    norm("a/..b/c", "a/..b/c");
    return check_failures != 0;
}

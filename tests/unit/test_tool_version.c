/* Version parsing and comparison: numeric per component, as written. */
#include "tool_check.h"
#include "version.h"

static int cmp(const char *a, const char *b)
{
    struct version va, vb;
    CHECK(version_parse(a, &va));
    CHECK(version_parse(b, &vb));
    return version_cmp(&va, &vb);
}

int main(void)
{
    static const char *const good[] = {"0", "1", "0.1", "0.1.0", "10.20.30",
                                       "0.10", "999999.0.1"};
    static const char *const bad[] = {"", ".", "1.", ".1", "1..2", "1.2.3.4",
                                      "a", "1.a", "01", "0.01", "1.2.3-rc1",
                                      "v1.0", " 1", "1 ", "-1", "1000000",
                                      "1e3", "0x1"};
    struct version v;
    for (size_t i = 0; i < sizeof good / sizeof *good; i++)
        CHECK(version_parse(good[i], &v));
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
        if (version_parse(bad[i], &v)) {
            fprintf(stderr, "accepted bad version '%s'\n", bad[i]);
            check_failures++;
        }
    CHECK(cmp("0.10", "0.9") > 0);     /* not floats */
    CHECK(cmp("0.9", "0.10") < 0);
    CHECK(cmp("0.1", "0.1.0") == 0);   /* missing parts are 0 */
    CHECK(cmp("1", "1.0.0") == 0);
    CHECK(cmp("1", "0.99.99") > 0);
    CHECK(cmp("1.2.3", "1.2.4") < 0);
    CHECK(cmp("2.0", "10.0") < 0);
    CHECK(cmp("0.1.10", "0.1.9") > 0);
    CHECK(version_parse(tool_version(), &v)); /* our own is valid */
    return check_failures != 0;
}

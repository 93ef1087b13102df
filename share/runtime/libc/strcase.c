#include <strings.h>
#include <ctype.h>

int strcasecmp(const char *a, const char *b)
{
    return strncasecmp(a, b, (size_t)-1);
}

int strncasecmp(const char *a, const char *b, size_t n)
{
    const unsigned char *x = (const void *)a, *y = (const void *)b;

    for (; n; n--, x++, y++) {
        int d = tolower(*x) - tolower(*y);
        if (d || !*x)
            return d;
    }
    return 0;
}

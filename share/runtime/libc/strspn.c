/* Span and token functions: a 256-bit set of the delimiter bytes makes each
 * input byte one test. */
#include <string.h>
#include <limits.h>

#define SETBITS (sizeof(unsigned long) * CHAR_BIT)
struct byteset {
    unsigned long w[256 / SETBITS];
};

static void set_fill(struct byteset *set, const char *chars)
{
    memset(set, 0, sizeof *set);
    for (; *chars; chars++) {
        unsigned char c = (unsigned char)*chars;
        set->w[c / SETBITS] |= 1UL << (c % SETBITS);
    }
}

static int set_has(const struct byteset *set, unsigned char c)
{
    return (set->w[c / SETBITS] >> (c % SETBITS)) & 1;
}

/* Length of the prefix of s whose bytes are all in (want=1) or all outside
 * (want=0) `chars`; NUL always ends it. */
static size_t span(const char *s, const char *chars, int want)
{
    struct byteset set;
    const char *p = s;

    set_fill(&set, chars);
    while (*p && set_has(&set, (unsigned char)*p) == want)
        p++;
    return (size_t)(p - s);
}

size_t strspn(const char *s, const char *accept)
{
    return span(s, accept, 1);
}

size_t strcspn(const char *s, const char *reject)
{
    return span(s, reject, 0);
}

char *strpbrk(const char *s, const char *accept)
{
    s += strcspn(s, accept);
    return *s ? (char *)s : NULL;
}

char *strtok_r(char *restrict s, const char *restrict delim,
               char **restrict save)
{
    char *end;

    if (!s)
        s = *save;
    if (!s)
        return NULL;
    s += strspn(s, delim);
    if (!*s) {
        *save = NULL;
        return NULL;
    }
    end = s + strcspn(s, delim);
    if (*end)
        *end++ = 0;
    else
        end = NULL;
    *save = end;
    return s;
}

char *strtok(char *restrict s, const char *restrict delim)
{
    static char *save;

    return strtok_r(s, delim, &save);
}

char *strsep(char **sp, const char *delim)
{
    char *s = *sp, *end;

    if (!s)
        return NULL;
    end = s + strcspn(s, delim);
    if (*end)
        *end++ = 0;
    else
        end = NULL;
    *sp = end;
    return s;
}

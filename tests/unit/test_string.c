/* string.h, ctype.h, qsort, bsearch, strerror against glibc. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "mlt.h"

static unsigned long long rng_state = 0x2545f4914f6cdd1dULL;
static unsigned long long rnd(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return rng_state;
}
static unsigned pick(unsigned n) { return (unsigned)(rnd() % n); }
static int sgn(int x) { return (x > 0) - (x < 0); }

/* A random NUL-terminated string over a small alphabet, so that searches
 * hit often. */
static void rand_str(char *s, int max, const char *alpha)
{
    int n = (int)pick((unsigned)max), i, a = (int)strlen(alpha);
    for (i = 0; i < n; i++)
        s[i] = alpha[pick((unsigned)a)];
    s[n] = 0;
}

/* memcpy of packet-sized blocks at every pair of source and destination
 * offsets mod 16 (the misaligned word path), against glibc; bytes around
 * the destination untouched. */
static void mem_long(void)
{
    static unsigned char a[2100], b[2100], c[2100];
    size_t lens[] = { 0, 1, 7, 8, 9, 15, 16, 17, 31, 32, 33, 63, 64, 65,
                      100, 1500, 1514, 2048 };
    int k;

    for (k = 0; k < 2100; k++)
        a[k] = (unsigned char)rnd();
    for (size_t off1 = 0; off1 < 16; off1++)
        for (size_t off2 = 0; off2 < 16; off2++)
            for (size_t li = 0; li < sizeof lens / sizeof lens[0] + 4; li++) {
                size_t n = li < sizeof lens / sizeof lens[0] ? lens[li]
                                                             : pick(2049);
                for (k = 0; k < 2100; k++)
                    b[k] = c[k] = (unsigned char)~a[k];
                memcpy(b + off1, a + off2, n);
                CHECK(mlt_memcpy(c + off1, a + off2, n) == c + off1,
                      "memcpy returns its destination");
                CHECK(memcmp(b, c, sizeof b) == 0, "long memcpy %zu %zu %zu",
                      off1, off2, n);
            }
}

static void mem_funcs(void)
{
    static unsigned char a[300], b[300], c[300], d[300];
    int i;

    for (i = 0; i < 20000; i++) {
        size_t off1 = pick(16), off2 = pick(16), n = pick(200);
        int k;
        for (k = 0; k < 300; k++)
            a[k] = (unsigned char)rnd();
        /* memcpy at every alignment */
        memcpy(b, a, 300);
        memcpy(c, a, 300);
        memcpy(b + off1, a + off2 + 50, n);
        mlt_memcpy(c + off1, a + off2 + 50, n);
        CHECK(memcmp(b, c, 300) == 0, "memcpy %zu %zu %zu", off1, off2, n);
        /* memmove, overlapping both ways */
        memcpy(b, a, 300);
        memcpy(c, a, 300);
        memmove(b + off1, b + off2, n + 50);
        mlt_memmove(c + off1, c + off2, n + 50);
        CHECK(memcmp(b, c, 300) == 0, "memmove %zu %zu %zu", off1, off2, n);
        /* memset */
        k = (int)rnd();
        memset(b + off1, k, n);
        mlt_memset(c + off1, k, n);
        CHECK(memcmp(b, c, 300) == 0, "memset %zu %zu", off1, n);
        /* memcmp sign, on equal-prefix buffers */
        memcpy(d, a, 300);
        if (n && pick(2))
            d[off1 + pick((unsigned)n)] ^= (unsigned char)(1 + pick(255));
        CHECK(sgn(memcmp(a + off1, d + off1, n)) ==
                  sgn(mlt_memcmp(a + off1, d + off1, n)), "memcmp");
        /* memchr / memrchr */
        k = a[pick(300)];
        CHECK(memchr(a + off1, k, n) == mlt_memchr(a + off1, k, n), "memchr");
        CHECK(memrchr(a + off1, k, n) == mlt_memrchr(a + off1, k, n), "memrchr");
    }
}

static void str_funcs(void)
{
    char s[80], t[12], u[80], v[80];
    int i;

    for (i = 0; i < 50000; i++) {
        int c = "abc\0xy"[pick(6)];
        size_t n = pick(20);
        rand_str(s, 60, "abcab");
        rand_str(t, pick(3) ? 4 : 10, "abc");
        CHECK(strlen(s) == mlt_strlen(s), "strlen");
        CHECK(strnlen(s, n) == mlt_strnlen(s, n), "strnlen");
        CHECK(strchr(s, c) == mlt_strchr(s, c), "strchr \"%s\" %d", s, c);
        CHECK(strrchr(s, c) == mlt_strrchr(s, c), "strrchr \"%s\" %d", s, c);
        CHECK(strstr(s, t) == mlt_strstr(s, t), "strstr \"%s\" \"%s\"", s, t);
        CHECK(memmem(s, strlen(s), t, strlen(t)) ==
              mlt_memmem(s, strlen(s), t, strlen(t)), "memmem");
        CHECK(strspn(s, t) == mlt_strspn(s, t), "strspn");
        CHECK(strcspn(s, t) == mlt_strcspn(s, t), "strcspn");
        CHECK(strpbrk(s, t) == mlt_strpbrk(s, t), "strpbrk");
        CHECK(sgn(strcmp(s, t)) == sgn(mlt_strcmp(s, t)), "strcmp");
        CHECK(sgn(strncmp(s, t, n)) == sgn(mlt_strncmp(s, t, n)), "strncmp");
        rand_str(u, 10, "aAbB\xe9");
        rand_str(v, 10, "aAbB\xe9");
        CHECK(sgn(strcasecmp(u, v)) == sgn(mlt_strcasecmp(u, v)),
              "strcasecmp \"%s\" \"%s\"", u, v);
        CHECK(sgn(strncasecmp(u, v, n)) == sgn(mlt_strncasecmp(u, v, n)),
              "strncasecmp");
        /* copies */
        memset(u, 1, sizeof u);
        memset(v, 1, sizeof v);
        strncpy(u, t, n);
        mlt_strncpy(v, t, n);
        CHECK(memcmp(u, v, sizeof u) == 0, "strncpy");
        strcpy(u, t);
        mlt_strcpy(v, t);
        CHECK(strcmp(u, v) == 0, "strcpy");
        strncat(u, s, n);
        mlt_strncat(v, s, n);
        CHECK(strcmp(u, v) == 0, "strncat");
        CHECK(stpcpy(u, t) - u == mlt_stpcpy(v, t) - v, "stpcpy");
    }
    /* strlcpy/strlcat (not in this glibc): by the BSD definition */
    CHECK(mlt_strlcpy(u, "hello", 3) == 5 && strcmp(u, "he") == 0, "strlcpy");
    CHECK(mlt_strlcpy(u, "hello", 0) == 5, "strlcpy 0");
    strcpy(u, "ab");
    CHECK(mlt_strlcat(u, "cdef", 5) == 6 && strcmp(u, "abcd") == 0, "strlcat");
    CHECK(mlt_strlcat(u, "x", 2) == 2 + 1, "strlcat full");
    CHECK(strcmp(mlt_strcat(strcpy(u, "ab"), "cd"), "abcd") == 0, "strcat");
}

static void tokens(void)
{
    char a[64], b[64], *gs, *ms, *gp, *mp;
    const char *delim;
    int i;

    for (i = 0; i < 20000; i++) {
        rand_str(a, 40, "ab ,;");
        strcpy(b, a);
        delim = pick(2) ? " ," : ",;";
        gs = strtok_r(a, delim, &gp);
        ms = mlt_strtok_r(b, delim, &mp);
        for (;;) {
            CHECK((gs ? gs - a : -1) == (ms ? ms - b : -1), "strtok_r");
            if (!gs || !ms)
                break;
            gs = strtok_r(NULL, delim, &gp);
            ms = mlt_strtok_r(NULL, delim, &mp);
        }
        CHECK(memcmp(a, b, sizeof a) == 0, "strtok_r buffer");
        rand_str(a, 40, "ab ,;");
        strcpy(b, a);
        gp = a;
        mp = b;
        do {
            gs = strsep(&gp, delim);
            ms = mlt_strsep(&mp, delim);
            CHECK((gs ? gs - a : -1) == (ms ? ms - b : -1), "strsep");
        } while (gs && ms);
    }
    strcpy(a, "x y  z");
    CHECK(strcmp(mlt_strtok(a, " "), "x") == 0 &&
          strcmp(mlt_strtok(NULL, " "), "y") == 0 &&
          strcmp(mlt_strtok(NULL, " "), "z") == 0 && !mlt_strtok(NULL, " "),
          "strtok");
}

static void ctype_funcs(void)
{
    int c;

    for (c = -1; c < 256; c++) {
#define CT(f) CHECK(!!f(c) == !!mlt_##f(c), #f "(%d)", c)
        CT(isalnum); CT(isalpha); CT(isblank); CT(iscntrl); CT(isdigit);
        CT(isgraph); CT(islower); CT(isprint); CT(ispunct); CT(isspace);
        CT(isupper); CT(isxdigit);
        CHECK(tolower(c) == mlt_tolower(c), "tolower(%d)", c);
        CHECK(toupper(c) == mlt_toupper(c), "toupper(%d)", c);
    }
}

static void errors(void)
{
    int e;

    for (e = 0; e < 140; e++) {
        const char *m = mlt_strerror(e);
        if (strncmp(m, "Unknown error", 13) != 0)
            CHECK(strcmp(m, strerror(e)) == 0, "strerror(%d): \"%s\"", e, m);
    }
    CHECK(strcmp(mlt_strerror(9999), "Unknown error 9999") == 0, "unknown");
    CHECK(strcmp(mlt_strerror(-3), "Unknown error -3") == 0, "negative");
    CHECK(strcmp(mlt_strerror(22), "Invalid argument") == 0, "EINVAL");
}

static int cmp_int(const void *a, const void *b)
{
    int x = *(const int *)a, y = *(const int *)b;
    return (x > y) - (x < y);
}

/* Records of odd sizes, keyed by their first bytes, check the swap code. */
struct rec { unsigned char key[2]; char pad[11]; };
static int cmp_rec(const void *a, const void *b)
{
    return memcmp(a, b, 2);
}

static void sorting(void)
{
    static int a[3000], b[3000];
    static struct rec r[500], q[500];
    int i, k;

    for (i = 0; i < 300; i++) {
        size_t n = pick(i < 100 ? 20 : 3000);
        unsigned range = pick(2) ? 10 : 1000000;
        for (k = 0; k < (int)n; k++)
            a[k] = b[k] = (int)pick(range) - (int)range / 2;
        qsort(a, n, sizeof *a, cmp_int);
        mlt_qsort(b, n, sizeof *b, cmp_int);
        CHECK(memcmp(a, b, n * sizeof *a) == 0, "qsort int n=%zu", n);
        for (k = 0; k < 50; k++) {
            int key = (int)pick(range) - (int)range / 2;
            int *g = bsearch(&key, a, n, sizeof *a, cmp_int);
            int *m = mlt_bsearch(&key, a, n, sizeof *a, cmp_int);
            CHECK((g == NULL) == (m == NULL) && (!m || *m == key),
                  "bsearch %d", key);
        }
        n = pick(500);
        for (k = 0; k < (int)n; k++) {
            r[k].key[0] = (unsigned char)pick(7);
            r[k].key[1] = (unsigned char)pick(256);
            memset(r[k].pad, r[k].key[1], sizeof r[k].pad);
            q[k] = r[k];
        }
        qsort(r, n, sizeof *r, cmp_rec);
        mlt_qsort(q, n, sizeof *q, cmp_rec);
        /* Equal keys may land in any order, but keys and records agree. */
        for (k = 0; k < (int)n; k++)
            CHECK(memcmp(r[k].key, q[k].key, 2) == 0 &&
                  q[k].pad[0] == (char)q[k].key[1], "qsort rec");
    }
}

int main(void)
{
    mem_funcs();
    mem_long();
    str_funcs();
    tokens();
    ctype_funcs();
    errors();
    sorting();
    return report("string");
}

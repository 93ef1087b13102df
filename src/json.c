#include "json.h"

#include <string.h>

void json_init(struct json *j, FILE *f)
{
    j->f = f;
    j->depth = 0;
    j->later[0] = false;
}

void json_quote(FILE *f, const char *s, size_t n)
{
    fputc('"', f);
    for (size_t i = 0; i < n && s[i]; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '"' || c == '\\')
            fprintf(f, "\\%c", c);
        else if (c == '\n')
            fputs("\\n", f);
        else if (c == '\t')
            fputs("\\t", f);
        else if (c < 0x20 || c == 0x7f)
            fprintf(f, "\\u%04x", c);
        else
            fputc(c, f);
    }
    fputc('"', f);
}

/* The comma and the key before a value. */
static void member(struct json *j, const char *key)
{
    if (j->later[j->depth])
        fputc(',', j->f);
    j->later[j->depth] = true;
    if (key) {
        json_quote(j->f, key, strlen(key));
        fputc(':', j->f);
    }
}

void json_open(struct json *j, const char *key, char bracket)
{
    member(j, key);
    fputc(bracket, j->f);
    if (j->depth + 1 < JSON_MAX_DEPTH)
        j->depth++;
    j->later[j->depth] = false;
}

void json_close(struct json *j, char bracket)
{
    fputc(bracket, j->f);
    if (j->depth > 0)
        j->depth--;
}

void json_stringn(struct json *j, const char *key, const char *v, size_t n)
{
    member(j, key);
    if (v)
        json_quote(j->f, v, n);
    else
        fputs("null", j->f);
}

void json_string(struct json *j, const char *key, const char *v)
{
    json_stringn(j, key, v, v ? strlen(v) : 0);
}

void json_int(struct json *j, const char *key, long long v)
{
    member(j, key);
    fprintf(j->f, "%lld", v);
}

void json_uint(struct json *j, const char *key, unsigned long long v)
{
    member(j, key);
    fprintf(j->f, "%llu", v);
}

void json_bool(struct json *j, const char *key, bool v)
{
    member(j, key);
    fputs(v ? "true" : "false", j->f);
}

void json_null(struct json *j, const char *key)
{
    member(j, key);
    fputs("null", j->f);
}

void json_end(struct json *j)
{
    fputc('\n', j->f);
    fflush(j->f);
}

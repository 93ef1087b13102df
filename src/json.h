/* A small JSON writer for --json output: one object per line, keys in the
 * order written, NULL strings written as null. Nesting is tracked so the
 * commas come out right; the caller opens and closes in order. */
#ifndef MIRLEFT_JSON_H
#define MIRLEFT_JSON_H

#include <stdbool.h>
#include <stdio.h>

#define JSON_MAX_DEPTH 16

struct json {
    FILE *f;
    int depth;
    bool later[JSON_MAX_DEPTH]; /* a value was written at this depth */
};

void json_init(struct json *j, FILE *f);
/* key is NULL inside an array and for the outermost value. */
void json_open(struct json *j, const char *key, char bracket); /* '{' '[' */
void json_close(struct json *j, char bracket);                 /* '}' ']' */
void json_string(struct json *j, const char *key, const char *v);
void json_stringn(struct json *j, const char *key, const char *v, size_t n);
void json_int(struct json *j, const char *key, long long v);
void json_uint(struct json *j, const char *key, unsigned long long v);
void json_bool(struct json *j, const char *key, bool v);
void json_null(struct json *j, const char *key);
/* Ends the outermost value with a newline. */
void json_end(struct json *j);
/* Writes s (n bytes, or up to a NUL) as a quoted JSON string. */
void json_quote(FILE *f, const char *s, size_t n);

#endif

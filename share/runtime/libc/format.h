/* Internal to the printf engine: the parsed conversion spec and the
 * helpers the integer and floating formatters share. */
#ifndef ML_RUNTIME_FORMAT_H
#define ML_RUNTIME_FORMAT_H

#include "libc.h"

enum { F_LEFT = 1, F_PLUS = 2, F_SPACE = 4, F_ALT = 8, F_ZERO = 16 };
enum { L_NONE, L_HH, L_H, L_L, L_LL, L_Z, L_J, L_T, L_BIGL };

struct ml_fmt_spec {
    int flags;
    int width;
    int prec;       /* -1: none */
    int prec_given;
    int len;
    char conv;
};

void ml_fmt_put(struct ml_fmt_out *o, const char *s, size_t n);
void ml_fmt_pad(struct ml_fmt_out *o, char c, long n);
void ml_fmt_field(struct ml_fmt_out *o, const struct ml_fmt_spec *sp,
                  const char *prefix, long zeros, const char *body,
                  size_t len);
/* Defined by format_float.c when built with ML_PRINTF_FLOAT. */
__attribute__((weak)) void ml_format_float(struct ml_fmt_out *o,
                                           struct ml_fmt_spec *sp, double v);

#endif

/* The printf engine behind every *printf. One pass over the format; each
 * conversion is parsed into a spec, its argument fetched at the width its
 * length modifier names, and the result emitted as
 *     [pad] [sign or 0x] [zeros] digits [pad]
 * Supported: flags "-+ #0", width and precision (digits or *), lengths
 * hh h l ll z j t (L accepted for floats), conversions d i u o x X c s p %
 * and, when format_float.c is built in (-DML_PRINTF_FLOAT), the floating
 * conversions; without it they print as written, after consuming their
 * argument so the rest of the line still lines up.
 * %n is deliberately not supported: its argument is consumed and nothing is
 * written, since a format string reaching a unikernel from the network
 * must not become a write primitive. */
#include <limits.h>
#include <stdint.h>
#include <string.h>
#include "libc.h"
#include "format.h"

void ml_fmt_put(struct ml_fmt_out *o, const char *s, size_t n)
{
    if (o->f) {
        ml_file_write(o->f, s, n);
    } else if (o->len + 1 < o->cap) {
        size_t room = o->cap - 1 - o->len;
        memcpy(o->buf + o->len, s, n < room ? n : room);
    }
    o->len += n;
}

void ml_fmt_pad(struct ml_fmt_out *o, char c, long n)
{
    char chunk[16];

    if (n <= 0)
        return;
    memset(chunk, c, sizeof chunk);
    for (; n > (long)sizeof chunk; n -= (long)sizeof chunk)
        ml_fmt_put(o, chunk, sizeof chunk);
    ml_fmt_put(o, chunk, (size_t)n);
}

/* Emits body (prefix then zeros then digits) inside the field width. */
void ml_fmt_field(struct ml_fmt_out *o, const struct ml_fmt_spec *sp,
                  const char *prefix, long zeros, const char *body,
                  size_t len)
{
    size_t plen = strlen(prefix);
    long pad = sp->width - (long)(plen + len) - (zeros > 0 ? zeros : 0);

    if (!(sp->flags & F_LEFT))
        ml_fmt_pad(o, ' ', pad);
    ml_fmt_put(o, prefix, plen);
    ml_fmt_pad(o, '0', zeros);
    ml_fmt_put(o, body, len);
    if (sp->flags & F_LEFT)
        ml_fmt_pad(o, ' ', pad);
}

/* Writes v in base into the end of buf and returns where the digits
 * start. Values that fit an unsigned long take the native division, which
 * on 32-bit targets avoids a slow 64-bit library call per digit. */
static char *utoa(char *end, uintmax_t v, unsigned base, int upper)
{
    const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
    unsigned long small;

    for (; v > ULONG_MAX; v /= base)
        *--end = digits[v % base];
    for (small = (unsigned long)v; small; small /= base)
        *--end = digits[small % base];
    return end;
}

static void format_int(struct ml_fmt_out *o, struct ml_fmt_spec *sp,
                       uintmax_t v, int neg)
{
    char buf[3 * sizeof(uintmax_t)], *end = buf + sizeof buf, *s;
    const char *prefix = "";
    unsigned base = 10;
    long len, zeros;

    if (sp->conv == 'o')
        base = 8;
    else if (sp->conv == 'x' || sp->conv == 'X' || sp->conv == 'p')
        base = 16;
    s = utoa(end, v, base, sp->conv == 'X');
    len = end - s;

    if (neg)
        prefix = "-";
    else if (sp->conv == 'd' || sp->conv == 'i')
        prefix = sp->flags & F_PLUS ? "+" : sp->flags & F_SPACE ? " " : "";
    else if ((sp->flags & F_ALT) && v != 0 && base == 16)
        prefix = sp->conv == 'X' ? "0X" : "0x";

    /* Precision is the minimum digit count; '#' with o wants a leading 0.
     * Zero with precision 0 prints no digits at all. */
    if (sp->prec < 0)
        sp->prec = 1;
    if (sp->conv == 'o' && (sp->flags & F_ALT) && sp->prec <= len)
        sp->prec = len + 1;
    zeros = sp->prec - len;
    /* The 0 flag pads with zeros up to the width, unless a precision was
     * given or the field is left-justified. */
    if ((sp->flags & (F_ZERO | F_LEFT)) == F_ZERO && !sp->prec_given) {
        long z = sp->width - (long)strlen(prefix) - len;
        if (z > zeros)
            zeros = z;
    }
    ml_fmt_field(o, sp, prefix, zeros, s, (size_t)len);
}

static void format_str(struct ml_fmt_out *o, struct ml_fmt_spec *sp,
                       const char *s)
{
    size_t len;

    if (!s) /* as glibc: "(null)" only where it fits the precision */
        s = sp->prec < 0 || sp->prec >= 6 ? "(null)" : "";
    len = sp->prec < 0 ? strlen(s) : strnlen(s, (size_t)sp->prec);
    ml_fmt_field(o, sp, "", 0, s, len);
}

/* Reads a width or precision: digits, or '*' taking an int argument. */
static int read_num(const char **fmt, va_list *ap, int *star)
{
    const char *f = *fmt;
    int n = 0;

    *star = 0;
    if (*f == '*') {
        *fmt = f + 1;
        *star = 1;
        return va_arg(*ap, int);
    }
    for (; (unsigned)*f - '0' < 10; f++)
        n = n > (INT_MAX - 9) / 10 ? INT_MAX : n * 10 + (*f - '0');
    *fmt = f;
    return n;
}

static uintmax_t get_unsigned(va_list *ap, int len)
{
    switch (len) {
    case L_HH: return (unsigned char)va_arg(*ap, unsigned);
    case L_H: return (unsigned short)va_arg(*ap, unsigned);
    case L_L: return va_arg(*ap, unsigned long);
    case L_LL: return va_arg(*ap, unsigned long long);
    case L_Z: return va_arg(*ap, size_t);
    case L_J: return va_arg(*ap, uintmax_t);
    case L_T: return (uintmax_t)(size_t)va_arg(*ap, ptrdiff_t);
    default: return va_arg(*ap, unsigned);
    }
}

static intmax_t get_signed(va_list *ap, int len)
{
    switch (len) {
    case L_HH: return (signed char)va_arg(*ap, int);
    case L_H: return (short)va_arg(*ap, int);
    case L_L: return va_arg(*ap, long);
    case L_LL: return va_arg(*ap, long long);
    case L_Z: return (ptrdiff_t)va_arg(*ap, size_t);
    case L_J: return va_arg(*ap, intmax_t);
    case L_T: return va_arg(*ap, ptrdiff_t);
    default: return va_arg(*ap, int);
    }
}

static int read_length(const char **fmt)
{
    const char *f = *fmt;
    int len = L_NONE;

    switch (*f) {
    case 'h': len = f[1] == 'h' ? (f++, L_HH) : L_H; break;
    case 'l': len = f[1] == 'l' ? (f++, L_LL) : L_L; break;
    case 'q': len = L_LL; break;
    case 'z': len = L_Z; break;
    case 'j': len = L_J; break;
    case 't': len = L_T; break;
    case 'L': len = L_BIGL; break;
    default: return L_NONE;
    }
    *fmt = f + 1;
    return len;
}

static int read_flags(const char **fmt)
{
    int flags = 0;

    for (;; (*fmt)++) {
        switch (**fmt) {
        case '-': flags |= F_LEFT; break;
        case '+': flags |= F_PLUS; break;
        case ' ': flags |= F_SPACE; break;
        case '#': flags |= F_ALT; break;
        case '0': flags |= F_ZERO; break;
        default: return flags;
        }
    }
}

int ml_vformat(struct ml_fmt_out *o, const char *fmt, va_list ap0)
{
    va_list ap;
    struct ml_fmt_spec sp;
    const char *start;
    int star;

    /* A copy, so helpers can take its address portably. */
    va_copy(ap, ap0);
    for (;;) {
        start = fmt;
        while (*fmt && *fmt != '%')
            fmt++;
        if (fmt > start)
            ml_fmt_put(o, start, (size_t)(fmt - start));
        if (!*fmt)
            break;
        start = fmt++;

        sp.flags = read_flags(&fmt);
        sp.width = read_num(&fmt, &ap, &star);
        if (sp.width < 0) { /* a negative * width means '-' */
            sp.flags |= F_LEFT;
            sp.width = sp.width == INT_MIN ? INT_MAX : -sp.width;
        }
        sp.prec = -1;
        sp.prec_given = 0;
        if (*fmt == '.') {
            fmt++;
            sp.prec = read_num(&fmt, &ap, &star);
            /* A negative * precision counts as none. */
            sp.prec_given = sp.prec >= 0;
            if (sp.prec < 0)
                sp.prec = -1;
        }
        sp.len = read_length(&fmt);
        sp.conv = *fmt;
        if (*fmt)
            fmt++;

        switch (sp.conv) {
        case 'd':
        case 'i': {
            intmax_t v = get_signed(&ap, sp.len);
            format_int(o, &sp, v < 0 ? 0 - (uintmax_t)v : (uintmax_t)v,
                       v < 0);
            break;
        }
        case 'u':
        case 'o':
        case 'x':
        case 'X':
            format_int(o, &sp, get_unsigned(&ap, sp.len), 0);
            break;
        case 'p': {
            void *p = va_arg(ap, void *);
            if (!p) {
                sp.prec = -1;
                format_str(o, &sp, "(nil)");
            } else {
                sp.flags = (sp.flags | F_ALT) & ~(F_PLUS | F_SPACE);
                format_int(o, &sp, (uintptr_t)p, 0);
            }
            break;
        }
        case 'c': {
            char c = (char)va_arg(ap, int);
            ml_fmt_field(o, &sp, "", 0, &c, 1);
            break;
        }
        case 's':
            format_str(o, &sp, va_arg(ap, const char *));
            break;
        case 'f': case 'F': case 'e': case 'E':
        case 'g': case 'G': case 'a': case 'A':
        {
            double v = sp.len == L_BIGL ? (double)va_arg(ap, long double)
                                        : va_arg(ap, double);
            /* A weak reference: the float code is in the image only when
             * it was built in, and costs nothing otherwise. */
            if (ml_format_float)
                ml_format_float(o, &sp, v);
            else
                ml_fmt_put(o, start, (size_t)(fmt - start));
            break;
        }
        case 'n':
            (void)va_arg(ap, void *);
            break;
        case '%':
            ml_fmt_put(o, "%", 1);
            break;
        default:
            /* Unknown conversion: show it as written, without guessing at
             * an argument. */
            ml_fmt_put(o, start, (size_t)(fmt - start));
            break;
        }
    }
    va_end(ap);
    return o->len > INT_MAX ? -1 : (int)o->len;
}

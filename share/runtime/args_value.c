/* Typed values for runtime arguments. Freestanding and libc-free: the same
 * file is compiled into every unikernel and into the tool, so a default
 * that the tool accepts is one the unikernel accepts. */
#include <mirleft/args.h>

static const char *const type_names[ML_ARG_TYPE_COUNT] = {
    "string", "int", "bool", "size", "ipv4", "ipv4-addr", "mac",
};

const char *ml_arg_type_name(enum ml_arg_type t)
{
    return (unsigned)t < ML_ARG_TYPE_COUNT ? type_names[t] : "?";
}

static int streq(const char *a, const char *b)
{
    while (*a && *a == *b)
        a++, b++;
    return *a == *b;
}

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* Unsigned number in base 10 (or 16 after 0x); *pp advances. Returns -1
 * when there are no digits, -2 when they do not fit in 64 bits (all of
 * them read, so what follows is still checked). */
static int parse_u64(const char **pp, uint64_t *out)
{
    const char *p = *pp;
    unsigned base = 10;
    uint64_t v = 0;
    int big = 0;
    if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X')) {
        base = 16;
        p += 2;
    }
    const char *start = p;
    for (int d; (d = hexval(*p)) >= 0 && (unsigned)d < base; p++) {
        if (v > (UINT64_MAX - (unsigned)d) / base)
            big = 1;
        v = v * base + (unsigned)d;
    }
    if (p == start)
        return -1;
    *pp = p;
    *out = v;
    return big ? -2 : 0;
}

static const char *parse_int(const char *s, int64_t *out)
{
    int neg = *s == '-';
    uint64_t v;
    if (*s == '-' || *s == '+')
        s++;
    int r = parse_u64(&s, &v);
    if (r == -1 || *s)
        return "expected an integer";
    if (r == -2 || v > (uint64_t)INT64_MAX + (uint64_t)neg)
        return "out of range: expected an integer from -9223372036854775808 "
               "to 9223372036854775807";
    *out = neg ? (int64_t)(0 - v) : (int64_t)v;
    return 0;
}

static const char *parse_size(const char *s, uint64_t *out)
{
    uint64_t v, mul = 1;
    int r = parse_u64(&s, &v);
    if (r == -1)
        return "expected a size such as 512, 64K, 16M or 2G";
    switch (*s) {
    case 'K': mul = 1ull << 10; s++; break;
    case 'M': mul = 1ull << 20; s++; break;
    case 'G': mul = 1ull << 30; s++; break;
    case 'T': mul = 1ull << 40; s++; break;
    }
    if (mul > 1 && s[0] == 'i' && s[1] == 'B')
        s += 2;
    else if (*s == 'B')
        s++;
    if (*s)
        return "expected a size such as 512, 64K, 16M or 2G";
    if (r == -2 || v > UINT64_MAX / mul)
        return "out of range: a size must be below 16E (2^64 bytes)";
    *out = v * mul;
    return 0;
}

static const char *parse_bool(const char *s, bool *out)
{
    static const char *const t[] = {"true", "yes", "on", "1"};
    static const char *const f[] = {"false", "no", "off", "0"};
    for (unsigned i = 0; i < 4; i++) {
        if (streq(s, t[i]))
            return *out = true, (const char *)0;
        if (streq(s, f[i]))
            return *out = false, (const char *)0;
    }
    return "expected true or false";
}

/* a.b.c.d, each part 0..255 in decimal without leading zeros. */
static int parse_quad(const char **pp, ml_ipv4_addr_t *out)
{
    const char *p = *pp;
    uint32_t a = 0;
    for (int i = 0; i < 4; i++) {
        if (i && *p++ != '.')
            return -1;
        if (*p < '0' || *p > '9' || (p[0] == '0' && p[1] >= '0' && p[1] <= '9'))
            return -1;
        unsigned part = 0;
        while (*p >= '0' && *p <= '9') {
            part = part * 10 + (unsigned)(*p++ - '0');
            if (part > 255)
                return -1;
        }
        a = a << 8 | part;
    }
    *pp = p;
    *out = a;
    return 0;
}

static const char *parse_ipv4(const char *s, struct ml_ipv4_prefix *out)
{
    const char *why = "expected an IPv4 address with prefix, such as 10.0.0.2/24";
    if (parse_quad(&s, &out->addr) || *s++ != '/')
        return why;
    if (*s < '0' || *s > '9')
        return why;
    unsigned len = 0;
    while (*s >= '0' && *s <= '9' && len <= 32)
        len = len * 10 + (unsigned)(*s++ - '0');
    if (*s || len > 32)
        return why;
    out->prefix = (uint8_t)len;
    return 0;
}

static const char *parse_mac(const char *s, struct ml_mac *out)
{
    for (int i = 0; i < 6; i++) {
        if (i && *s++ != ':')
            return "expected a MAC address such as 02:00:00:00:00:01";
        int hi = hexval(s[0]), lo = hi < 0 ? -1 : hexval(s[1]);
        if (lo < 0)
            return "expected a MAC address such as 02:00:00:00:00:01";
        out->b[i] = (uint8_t)(hi << 4 | lo);
        s += 2;
    }
    return *s ? "expected a MAC address such as 02:00:00:00:00:01" : 0;
}

const char *ml_arg_value_parse(enum ml_arg_type t, const char *text,
                               void *out)
{
    switch (t) {
    case ML_ARG_STRING:
        *(const char **)out = text;
        return 0;
    case ML_ARG_INT:
        return parse_int(text, out);
    case ML_ARG_BOOL:
        return parse_bool(text, out);
    case ML_ARG_SIZE:
        return parse_size(text, out);
    case ML_ARG_IPV4:
        return parse_ipv4(text, out);
    case ML_ARG_IPV4_ADDR:
        if (parse_quad(&text, out) || *text)
            return "expected an IPv4 address such as 10.0.0.1";
        return 0;
    case ML_ARG_MAC:
        return parse_mac(text, out);
    default:
        return "unknown argument type";
    }
}

/* {{name}}: an HTTP/1.1 server for a kv_ro store on the stack device.
 *
 * Each connection has a small state: the request bytes received so far and
 * the response being sent. on_recv appends to the request buffer; once a
 * whole request head (ending in an empty line) is there, respond() sends
 * the header and pump() streams the body from the store as the send buffer
 * drains (on_writable calls pump again). While a response is in progress
 * on_recv takes nothing, so further pipelined requests wait in the stack's
 * receive buffer (the window closes if they pile up) and are read once the
 * response is done.
 *
 * Try: mirleft run --net service=tap0 -- --ipv4=10.0.0.2/24
 *      curl -v http://10.0.0.2/ */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <mirleft/kv_ro.h>
#include <mirleft/log.h>
#include <mirleft/tcp.h>

#include "devices.h"

#define REQ_MAX 8192
#define KEY_MAX 1024
#define CHUNK 16384

struct http {
    struct ml_tcp_conn *c;
    char req[REQ_MAX];
    size_t len;                 /* bytes in req */
    bool sending;               /* a response is in progress */
    bool head;                  /* HEAD: no body */
    bool keep;                  /* keep the connection after it */
    bool eof;                   /* the client finished sending */
    char key[KEY_MAX];
    uint64_t off, size;         /* body progress */
};

static struct ml_kv_ro *store;
static struct ml_tcp_listener listener;
static uint8_t chunk[CHUNK];

static void next_request(struct http *h);

static const char *content_type(const char *key)
{
    static const struct { const char *ext, *type; } types[] = {
        { ".html", "text/html; charset=utf-8" }, { ".htm", "text/html" },
        { ".txt", "text/plain; charset=utf-8" }, { ".css", "text/css" },
        { ".js", "text/javascript" }, { ".json", "application/json" },
        { ".png", "image/png" }, { ".jpg", "image/jpeg" },
        { ".svg", "image/svg+xml" }, { ".ico", "image/x-icon" },
    };
    const char *dot = strrchr(key, '.');

    for (size_t i = 0; dot && i < sizeof types / sizeof types[0]; i++)
        if (strcasecmp(dot, types[i].ext) == 0)
            return types[i].type;
    return "application/octet-stream";
}

/* Streams the body; finishes the response when it is all queued. */
static void pump(struct http *h)
{
    while (h->sending && h->off < h->size) {
        size_t room = ml_tcp_send_space(h->c), want, got = 0;
        long n;
        if (room == 0)
            return; /* on_writable calls again */
        want = room < CHUNK ? room : CHUNK;
        if (h->size - h->off < want)
            want = (size_t)(h->size - h->off);
        if (ml_kv_ro_get(store, h->key, h->off, chunk, want, &got) != 0 ||
            got == 0) {
            ml_tcp_abort(h->c); /* the store failed mid-body: cut it */
            free(h);
            return;
        }
        n = ml_tcp_write(h->c, chunk, got);
        if (n <= 0)
            return;
        h->off += (uint64_t)n;
    }
    if (h->sending) {
        h->sending = false;
        next_request(h);
    }
}

static void reply(struct http *h, const char *status, const char *extra,
                  const char *body)
{
    char hdr[512];
    int n;

    char clen[48] = "";

    if (body) /* a 304 has no body and no Content-Length of its own */
        snprintf(clen, sizeof clen, "Content-Length: %zu\r\n", strlen(body));
    n = snprintf(hdr, sizeof hdr, "HTTP/1.1 %s\r\nServer: mirleft\r\n%s%s%s\r\n",
                 status, clen, extra, h->keep ? "" : "Connection: close\r\n");
    ml_tcp_write(h->c, hdr, (size_t)n);
    if (body && !h->head)
        ml_tcp_write(h->c, body, strlen(body));
    h->size = h->off = 0;
    h->sending = true;
}

static int from_hex(int c)
{
    return c >= '0' && c <= '9' ? c - '0'
           : c >= 'a' && c <= 'f' ? c - 'a' + 10
           : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

/* The store key of a request target: percent-decoded, without the query,
 * the leading '/' and dot segments; "" or a trailing '/' means index.html.
 * Returns 0, or -1 for a target we refuse. */
static int target_key(const char *t, size_t tlen, char *key)
{
    size_t k = 0;

    if (tlen == 0 || t[0] != '/')
        return -1;
    for (size_t i = 1; i < tlen && t[i] != '?' && t[i] != '#'; i++) {
        int c = (unsigned char)t[i];
        if (c == '%') {
            int a = i + 2 < tlen ? from_hex(t[i + 1]) : -1;
            int b = i + 2 < tlen ? from_hex(t[i + 2]) : -1;
            if (a < 0 || b < 0)
                return -1;
            c = a * 16 + b;
            i += 2;
        }
        if (c == 0 || k + 11 >= KEY_MAX)
            return -1;
        key[k++] = (char)c;
    }
    key[k] = 0;
    if (strstr(key, "..") || key[0] == '/')
        return -1;
    if (k == 0 || key[k - 1] == '/')
        strcpy(key + k, "index.html");
    return 0;
}

/* The value of header `name` in the head [p, end), or NULL; *vlen set. */
static const char *header(const char *p, const char *end, const char *name,
                          size_t *vlen)
{
    size_t nl = strlen(name);

    while (p < end) {
        const char *eol = memchr(p, '\n', (size_t)(end - p));
        if (!eol)
            break;
        if ((size_t)(eol - p) > nl && p[nl] == ':' &&
            strncasecmp(p, name, nl) == 0) {
            const char *v = p + nl + 1, *e = eol;
            while (v < e && (*v == ' ' || *v == '\t'))
                v++;
            while (e > v && (e[-1] == '\r' || e[-1] == ' ' || e[-1] == '\t'))
                e--;
            *vlen = (size_t)(e - v);
            return v;
        }
        p = eol + 1;
    }
    return NULL;
}

static bool has_token(const char *v, size_t n, const char *tok)
{
    size_t tl = strlen(tok);

    for (size_t i = 0; v && i + tl <= n; i++)
        if (strncasecmp(v + i, tok, tl) == 0)
            return true;
    return false;
}

/* Answers the request whose head is req[0, hlen). */
static void respond(struct http *h, size_t hlen)
{
    char r[REQ_MAX];
    const char *end = r + hlen, *sp1, *sp2, *eol, *v;
    uint8_t digest[32];
    char etag[68], extra[256];
    size_t vlen;
    bool http11;

    /* the head leaves the buffer; what follows it is the next request */
    memcpy(r, h->req, hlen);
    memmove(h->req, h->req + hlen, h->len - hlen);
    h->len -= hlen;
    eol = memchr(r, '\n', hlen);
    sp1 = memchr(r, ' ', (size_t)(eol - r));
    sp2 = sp1 ? memchr(sp1 + 1, ' ', (size_t)(eol - sp1 - 1)) : NULL;
    h->keep = false;
    h->head = false;
    if (!sp1 || !sp2 || (size_t)(eol - sp2) < 9 ||
        strncmp(sp2 + 1, "HTTP/1.", 7) != 0) {
        reply(h, "400 Bad Request", "", "bad request\n");
        goto out;
    }
    http11 = sp2[8] == '1';
    v = header(eol + 1, end, "Connection", &vlen);
    h->keep = http11 ? !has_token(v, vlen, "close")
                     : has_token(v, vlen, "keep-alive");
    if (h->keep && !http11)
        h->keep = false; /* HTTP/1.0 keep-alive is not worth the quirks */
    if ((size_t)(sp1 - r) == 4 && strncmp(r, "HEAD", 4) == 0)
        h->head = true;
    else if (!((size_t)(sp1 - r) == 3 && strncmp(r, "GET", 3) == 0)) {
        reply(h, "405 Method Not Allowed", "Allow: GET, HEAD\r\n",
              "method not allowed\n");
        goto out;
    }
    if (target_key(sp1 + 1, (size_t)(sp2 - sp1 - 1), h->key) != 0) {
        reply(h, "400 Bad Request", "", "bad request target\n");
        goto out;
    }
    if (ml_kv_ro_size(store, h->key, &h->size) != 0 ||
        ml_kv_ro_digest(store, h->key, digest) != 0) {
        reply(h, "404 Not Found", "Content-Type: text/plain\r\n",
              "not found\n");
        goto out;
    }
    etag[0] = '"';
    for (int i = 0; i < 32; i++)
        snprintf(etag + 1 + 2 * i, 3, "%02x", digest[i]);
    etag[65] = '"';
    etag[66] = 0;
    v = header(eol + 1, end, "If-None-Match", &vlen);
    if (v && (has_token(v, vlen, etag) || (vlen == 1 && v[0] == '*'))) {
        snprintf(extra, sizeof extra, "ETag: %s\r\n", etag);
        reply(h, "304 Not Modified", extra, NULL);
        goto out;
    }
    int n = snprintf(extra, sizeof extra,
                     "HTTP/1.1 200 OK\r\nServer: mirleft\r\n"
                     "Content-Length: %llu\r\nContent-Type: %s\r\n"
                     "ETag: %s\r\n%s\r\n",
                     (unsigned long long)h->size, content_type(h->key), etag,
                     h->keep ? "" : "Connection: close\r\n");
    ml_tcp_write(h->c, extra, (size_t)n);
    h->off = 0;
    if (h->head)
        h->size = 0;
    h->sending = true;
out:
    pump(h); /* may free h */
}

/* After a response: the next request already buffered, or more reading,
 * or the end of the connection. */
static void next_request(struct http *h)
{
    char *end;

    if (!h->keep) {
        ml_tcp_close(h->c);
        free(h);
        return;
    }
    if ((end = memmem(h->req, h->len, "\r\n\r\n", 4))) {
        respond(h, (size_t)(end - h->req) + 4); /* may free h */
        return;
    }
    if (h->eof) {
        ml_tcp_close(h->c);
        free(h);
        return;
    }
    ml_tcp_read_resume(h->c);
}

static size_t on_recv(struct ml_tcp_conn *c, const uint8_t *data, size_t len,
                      void *arg)
{
    struct http *h = arg;
    size_t take;
    char *end;

    (void)c;
    if (h->sending)
        return 0; /* pipelined: wait until the response is done */
    take = REQ_MAX - h->len < len ? REQ_MAX - h->len : len;
    memcpy(h->req + h->len, data, take);
    h->len += take;
    end = memmem(h->req, h->len, "\r\n\r\n", 4);
    if (end)
        respond(h, (size_t)(end - h->req) + 4); /* may free h */
    else if (h->len == REQ_MAX) {
        h->keep = false;
        h->len = 0;
        reply(h, "431 Request Header Fields Too Large", "",
              "request too large\n");
        pump(h);
    }
    return take;
}

static void on_writable(struct ml_tcp_conn *c, void *arg)
{
    (void)c;
    pump(arg);
}

static void on_eof(struct ml_tcp_conn *c, void *arg)
{
    struct http *h = arg;

    h->eof = true;
    if (!h->sending && !memmem(h->req, h->len, "\r\n\r\n", 4)) {
        ml_tcp_close(c);
        free(h);
    }
}

static void on_closed(struct ml_tcp_conn *c, int err, void *arg)
{
    (void)c;
    (void)err;
    free(arg);
}

static const struct ml_tcp_callbacks http_cb = {
    .recv = on_recv,
    .eof = on_eof,
    .writable = on_writable,
    .closed = on_closed,
};

static void on_accept(struct ml_tcp_listener *l, struct ml_tcp_conn *c,
                      void *arg)
{
    struct http *h = calloc(1, sizeof *h);

    (void)l;
    (void)arg;
    if (!h) {
        ml_tcp_abort(c);
        return;
    }
    h->c = c;
    ml_tcp_set_callbacks(c, &http_cb, h);
    /* Responses are a header write then body writes: with Nagle the body
     * would wait for the ACK of the header, which the client delays. */
    ml_tcp_nodelay(c, true);
}

static long long port;

/* Says where we serve: at once with a static address, when the lease
 * comes with DHCP. */
static void on_address(struct ml_stack *st, ml_ipv4_addr_t addr, void *arg)
{
    char a[16];

    (void)st;
    (void)arg;
    if (addr)
        printf("{{name}}: serving %zu files on http://%s:%lld/\n",
               ml_kv_ro_count(store), ml_ipv4_format(addr, a), port);
    else
        printf("{{name}}: address lost, waiting for a new lease\n");
    fflush(stdout);
}

int start(struct devices *dev, const struct args *args)
{
    int r;

    store = &dev->htdocs;
    if (args->port < 1 || args->port > 65535) {
        printf("--port must be 1..65535\n");
        return 2;
    }
    r = ml_tcp_listen(&listener, &dev->stack, (uint16_t)args->port, 64,
                      on_accept, NULL);
    if (r != 0) {
        printf("cannot listen on port %lld: %d\n", (long long)args->port, r);
        return 1;
    }
    port = (long long)args->port;
    ml_stack_on_address(&dev->stack, on_address, NULL);
    return 0;
}

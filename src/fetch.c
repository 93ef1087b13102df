#include "fetch.h"

#include <curl/curl.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "diag.h"
#include "util.h"

struct xfer {
    FILE *out;
    uint64_t written, limit;
    bool over_limit;
    const char *label;
    enum progress_mode mode;
    double last_report, started, last_data;
    bool bar_drawn, connected;
};

/* The limits of one download, from the environment (see mirleft(1)). */
struct limits {
    long connect_s, stall_s, total_s;
    int retries;
};

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static size_t on_data(char *p, size_t size, size_t n, void *arg)
{
    struct xfer *x = arg;
    size_t len = size * n;
    if (x->written + len > x->limit) {
        x->over_limit = true;
        return 0; /* makes curl fail with CURLE_WRITE_ERROR */
    }
    if (fwrite(p, 1, len, x->out) != len)
        return 0;
    x->written += len;
    x->last_data = now_s();
    return len;
}

static void human(char *buf, size_t n, double bytes)
{
    const char *u[] = {"B", "KiB", "MiB", "GiB"};
    int i = 0;
    while (bytes >= 1024 && i < 3)
        bytes /= 1024, i++;
    snprintf(buf, n, i ? "%.1f %s" : "%.0f %s", bytes, u[i]);
}

static int on_progress(void *arg, curl_off_t total, curl_off_t now,
                       curl_off_t ut, curl_off_t un)
{
    (void)ut;
    (void)un;
    struct xfer *x = arg;
    double t = now_s();
    if (total > 0 && (uint64_t)total > x->limit) {
        x->over_limit = true;
        return 1; /* abort: announced larger than the limit */
    }
    if (x->mode == PROGRESS_NONE || t - x->last_report < 0.2)
        return 0;
    x->last_report = t;
    if (x->mode == PROGRESS_JSON) {
        char extra[96];
        snprintf(extra, sizeof extra, "\"bytes\":%lld,\"total\":%lld",
                 (long long)now, (long long)total);
        fetch_json_event("progress", x->label, extra);
        return 0;
    }
    double start = x->started;
    char have[32], all[32], rate[32];
    double secs = t - start > 0.01 ? t - start : 0.01;
    human(have, sizeof have, (double)now);
    human(all, sizeof all, (double)total);
    human(rate, sizeof rate, (double)now / secs);
    if (total > 0) {
        int pct = (int)(100.0 * (double)now / (double)total);
        double eta = now > 0 ? (double)(total - now) * secs / (double)now : 0;
        char bar[21];
        for (int i = 0; i < 20; i++)
            bar[i] = i < pct / 5 ? '#' : '.';
        bar[20] = 0;
        fprintf(stderr, "\r  %-16.16s [%s] %3d%% %s / %s  %s/s  ETA %.0fs   ",
                x->label, bar, pct, have, all, rate, eta);
    } else {
        fprintf(stderr, "\r  %-16.16s %s  %s/s   ", x->label, have, rate);
    }
    x->bar_drawn = true;
    return 0;
}

void fetch_json_event(const char *event, const char *label, const char *extra)
{
    printf("{\"event\":\"%s\",\"library\":\"", event);
    for (const char *p = label; *p; p++)
        printf(*p == '"' || *p == '\\' ? "\\%c" : "%c", *p);
    printf("\"%s%s}\n", extra && *extra ? "," : "", extra ? extra : "");
    fflush(stdout);
}

/* A size in bytes with an optional K, M or G suffix, or a whole number
 * of seconds (suffixes off): unset or empty gives def; anything else
 * that is not a positive number is an error naming the variable. */
static int env_number(const char *name, bool suffixes, uint64_t def,
                      uint64_t *out)
{
    const char *e = getenv(name);
    *out = def;
    if (!e || !*e)
        return 0;
    char *end;
    errno = 0;
    unsigned long long v = strtoull(e, &end, 10);
    int shift = 0;
    if (suffixes && *end && !end[1])
        shift = *end == 'K' ? 10 : *end == 'M' ? 20 : *end == 'G' ? 30 : -1;
    if (shift > 0)
        end++;
    if (errno || end == e || *e == '-' || *end || v == 0 || shift < 0 ||
        v > (UINT64_MAX >> shift) || (!suffixes && v > 1000000)) {
        die_msg("%s: expected %s, got '%s'", name,
                suffixes ? "a positive size in bytes (suffix K, M or G allowed)"
                         : "a positive whole number of seconds", e);
        return -1;
    }
    *out = (uint64_t)v << shift;
    return 0;
}

static int read_limits(struct limits *l, uint64_t *max_size)
{
    uint64_t c, s, t;
    if (env_number("MIRLEFT_CONNECT_TIMEOUT", false, 20, &c) ||
        env_number("MIRLEFT_STALL_TIMEOUT", false, 60, &s) ||
        env_number("MIRLEFT_FETCH_TIMEOUT", false, 600, &t) ||
        (!*max_size && env_number("MIRLEFT_MAX_DOWNLOAD", true, 512ull << 20, max_size)))
        return -1;
    l->connect_s = (long)c;
    l->stall_s = (long)s;
    l->total_s = (long)t;
    return 0;
}

static bool transient(CURLcode c, long status)
{
    switch (c) {
    case CURLE_COULDNT_CONNECT:
    case CURLE_RECV_ERROR:
    case CURLE_SEND_ERROR:
    case CURLE_OPERATION_TIMEDOUT:
    case CURLE_PARTIAL_FILE:
    case CURLE_GOT_NOTHING:
        return true;
    case CURLE_HTTP_RETURNED_ERROR:
        return status >= 500 || status == 429;
    default:
        return false;
    }
}

/* One attempt; returns the curl code and the HTTP status. */
static CURLcode attempt(CURL *h, const char *url, struct xfer *x,
                        const struct limits *l, long *status, char *errbuf)
{
    curl_easy_reset(h);
    curl_easy_setopt(h, CURLOPT_URL, url);
    curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "https,http,file");
    curl_easy_setopt(h, CURLOPT_REDIR_PROTOCOLS_STR, "https,http");
    curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 1L);
    curl_easy_setopt(h, CURLOPT_MAXREDIRS, 5L);
    curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, 1L);
    curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, 2L);
    curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT, l->connect_s);
    curl_easy_setopt(h, CURLOPT_TIMEOUT, l->total_s);
    curl_easy_setopt(h, CURLOPT_LOW_SPEED_LIMIT, 1L);      /* no byte for */
    curl_easy_setopt(h, CURLOPT_LOW_SPEED_TIME, l->stall_s); /* this long */
    curl_easy_setopt(h, CURLOPT_FAILONERROR, 1L);
    curl_easy_setopt(h, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)x->limit);
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_data);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, x);
    curl_easy_setopt(h, CURLOPT_NOPROGRESS, 0L);
    curl_easy_setopt(h, CURLOPT_XFERINFOFUNCTION, on_progress);
    curl_easy_setopt(h, CURLOPT_XFERINFODATA, x);
    curl_easy_setopt(h, CURLOPT_ERRORBUFFER, errbuf);
    curl_easy_setopt(h, CURLOPT_USERAGENT, "mirleft/" MIRLEFT_VERSION);
    errbuf[0] = 0;
    CURLcode c = curl_easy_perform(h);
    *status = 0;
    curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, status);
    curl_off_t ct = 0;
    x->connected = curl_easy_getinfo(h, CURLINFO_CONNECT_TIME_T, &ct) == CURLE_OK && ct > 0;
    return c;
}

int fetch_url(const char *url, const char *dest, const struct fetch_opts *o,
              const char *label)
{
    static bool inited;
    if (!inited) {
        curl_global_init(CURL_GLOBAL_DEFAULT);
        inited = true;
    }
    struct xfer x = {0};
    struct limits lim;
    x.limit = o->max_size;
    if (read_limits(&lim, &x.limit) != 0)
        return -1;
    x.label = label;
    x.mode = o->progress;
    if (x.mode == PROGRESS_AUTO)
        x.mode = isatty(2) ? PROGRESS_AUTO : PROGRESS_NONE;
    CURL *h = curl_easy_init();
    if (!h) {
        die_msg("%s: cannot start libcurl", label);
        return -1;
    }
    char errbuf[CURL_ERROR_SIZE];
    CURLcode c = CURLE_OK;
    long status = 0;
    int tries = o->retries >= 0 ? o->retries : 3;
    if (x.mode == PROGRESS_JSON)
        fetch_json_event("start", label, NULL);
    for (int i = 0; i <= tries; i++) {
        x.out = fopen(dest, "wb");
        if (!x.out) {
            die_msg("%s: cannot write %s: %s", label, dest, strerror(errno));
            curl_easy_cleanup(h);
            return -1;
        }
        x.written = 0;
        x.over_limit = false;
        x.started = x.last_data = now_s();
        c = attempt(h, url, &x, &lim, &status, errbuf);
        if (fclose(x.out) != 0 && c == CURLE_OK)
            c = CURLE_WRITE_ERROR;
        if (c == CURLE_OK || x.over_limit || !transient(c, status) || i == tries)
            break;
        /* Back off 0.25 s, 0.5 s, 1 s, ... before trying again. */
        if (x.mode != PROGRESS_NONE && x.mode != PROGRESS_JSON)
            fprintf(stderr, "\r  %s: %s, retrying\n", label,
                    status >= 400 ? "server error" : curl_easy_strerror(c));
        usleep((useconds_t)(250000u << i));
    }
    if (c == CURLE_OK && x.mode == PROGRESS_AUTO) {
        /* A fast download may never have shown its end: show it. */
        char all[32], rate[32];
        double secs = now_s() - x.started;
        human(all, sizeof all, (double)x.written);
        human(rate, sizeof rate, (double)x.written / (secs > 0.001 ? secs : 0.001));
        fprintf(stderr, "\r  %-16.16s [####################] 100%% %s  %s/s  done   ",
                label, all, rate);
        x.bar_drawn = true;
    }
    if (x.bar_drawn)
        fputc('\n', stderr);
    curl_easy_cleanup(h);
    if (c == CURLE_OK) {
        if (x.mode == PROGRESS_JSON) {
            char extra[48];
            snprintf(extra, sizeof extra, "\"bytes\":%llu", (unsigned long long)x.written);
            fetch_json_event("done", label, extra);
        }
        return 0;
    }
    unlink(dest);
    char why[CURL_ERROR_SIZE + 64];
    if (x.over_limit || c == CURLE_FILESIZE_EXCEEDED)
        snprintf(why, sizeof why, "larger than the download limit of %llu bytes "
                 "(MIRLEFT_MAX_DOWNLOAD)", (unsigned long long)x.limit);
    else if (c == CURLE_HTTP_RETURNED_ERROR)
        snprintf(why, sizeof why, "the server answered HTTP %ld", status);
    else if (c == CURLE_OPERATION_TIMEDOUT && !x.connected)
        snprintf(why, sizeof why, "no connection within %ld s (MIRLEFT_CONNECT_TIMEOUT)",
                 lim.connect_s);
    else if (c == CURLE_OPERATION_TIMEDOUT && now_s() - x.last_data >= (double)lim.stall_s - 0.5)
        snprintf(why, sizeof why, "stalled: no data for %ld s after %llu bytes "
                 "(MIRLEFT_STALL_TIMEOUT)", lim.stall_s, (unsigned long long)x.written);
    else if (c == CURLE_OPERATION_TIMEDOUT)
        snprintf(why, sizeof why, "not finished within %ld s, %llu bytes received "
                 "(MIRLEFT_FETCH_TIMEOUT)", lim.total_s, (unsigned long long)x.written);
    else if (c == CURLE_PARTIAL_FILE)
        snprintf(why, sizeof why, "the download was truncated (%llu bytes received)",
                 (unsigned long long)x.written);
    else
        snprintf(why, sizeof why, "%s", errbuf[0] ? errbuf : curl_easy_strerror(c));
    die_msg("%s: cannot fetch %s: %s%s", label, url, why,
            transient(c, status) && !x.over_limit ? " (after retries)" : "");
    if (x.mode == PROGRESS_JSON) {
        struct strbuf sb;
        sb_init(&sb);
        sb_puts(&sb, "\"error\":\"");
        for (const char *p = why; *p; p++)
            sb_printf(&sb, *p == '"' || *p == '\\' ? "\\%c" : "%c", *p);
        sb_puts(&sb, "\"");
        fetch_json_event("error", label, sb.buf);
        sb_free(&sb);
    }
    return -1;
}

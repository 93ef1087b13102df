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
    double last_report, started;
    bool bar_drawn;
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
    if (x->mode == PROGRESS_NONE || t - x->last_report < 0.2)
        return 0;
    if (total > 0 && (uint64_t)total > x->limit) {
        x->over_limit = true;
        return 1; /* abort: announced larger than the limit */
    }
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

static uint64_t default_limit(void)
{
    const char *e = getenv("MIRLEFT_MAX_DOWNLOAD");
    if (e && *e) {
        char *end;
        unsigned long long v = strtoull(e, &end, 10);
        switch (*end) {
        case 'K': v <<= 10; break;
        case 'M': v <<= 20; break;
        case 'G': v <<= 30; break;
        }
        if (v)
            return v;
    }
    return 512ull << 20;
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
static CURLcode attempt(CURL *h, const char *url, struct xfer *x, long *status,
                        char *errbuf)
{
    curl_easy_reset(h);
    curl_easy_setopt(h, CURLOPT_URL, url);
    curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "https,http,file");
    curl_easy_setopt(h, CURLOPT_REDIR_PROTOCOLS_STR, "https,http");
    curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 1L);
    curl_easy_setopt(h, CURLOPT_MAXREDIRS, 5L);
    curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, 1L);
    curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, 2L);
    curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT, 20L);
    curl_easy_setopt(h, CURLOPT_TIMEOUT, 600L);
    curl_easy_setopt(h, CURLOPT_LOW_SPEED_LIMIT, 1L);  /* stalled for */
    curl_easy_setopt(h, CURLOPT_LOW_SPEED_TIME, 60L);  /* a minute: give up */
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
    x.limit = o->max_size ? o->max_size : default_limit();
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
        x.started = now_s();
        c = attempt(h, url, &x, &status, errbuf);
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

/* Downloads with libcurl: https, http and file URLs only, TLS always
 * verified, connect and total timeouts, a size limit, retries with
 * exponential backoff on transient failures (connection trouble, 5xx,
 * 429, a truncated body), and progress: a bar on a terminal, JSON lines
 * with --json, silence otherwise. */
#ifndef MIRLEFT_FETCH_H
#define MIRLEFT_FETCH_H

#include <stdbool.h>
#include <stdint.h>

enum progress_mode { PROGRESS_AUTO, PROGRESS_NONE, PROGRESS_JSON };

struct fetch_opts {
    enum progress_mode progress;
    uint64_t max_size;      /* bytes; 0: the default (512 MiB or $MIRLEFT_MAX_DOWNLOAD) */
    int retries;            /* extra attempts after the first */
};

/* Downloads url into dest (a new file). Returns 0, or -1 after printing
 * "mirleft: LABEL: why" (dest removed). */
int fetch_url(const char *url, const char *dest, const struct fetch_opts *o,
              const char *label);
/* Emits one JSON event line on stdout (for --json): {"event":E,"library":L,...}. */
void fetch_json_event(const char *event, const char *label, const char *extra);

#endif

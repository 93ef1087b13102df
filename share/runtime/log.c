/* Leveled logging. Lines go through stdout's line buffer, which makes each
 * one a single console write and keeps them in order with printf. */
#include <stdarg.h>
#include <stdio.h>
#include <strings.h>
#include <mirleft/log.h>

enum ml_log_level ml_log_threshold = ML_LOG_INFO;

static const char names[][6] = { "error", "warn", "info", "debug" };
static const char tags[][6] = { "ERROR", "WARN", "INFO", "DEBUG" };

const char *ml_log_level_name(enum ml_log_level level)
{
    return (unsigned)level <= ML_LOG_DEBUG ? names[level] : "?";
}

int ml_log_set_level(const char *name)
{
    unsigned i;

    if (!name)
        return -1;
    if (strcasecmp(name, "warning") == 0)
        name = "warn";
    for (i = 0; i <= ML_LOG_DEBUG; i++) {
        if (strcasecmp(name, names[i]) == 0) {
            ml_log_threshold = (enum ml_log_level)i;
            return 0;
        }
    }
    return -1;
}

void ml_log(enum ml_log_level level, const char *fmt, ...)
{
    va_list ap;

    if (level > ml_log_threshold || (unsigned)level > ML_LOG_DEBUG)
        return;
    printf("[%s] ", tags[level]);
    va_start(ap, fmt);
    vprintf(fmt, ap);
    va_end(ap);
    putchar('\n');
}

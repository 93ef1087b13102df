/* Leveled logging to the console (through stderr, so it stays in order with
 * buffered stdout). Default level: info. The built-in --log=LEVEL runtime
 * argument calls ml_log_set_level. */
#ifndef MIRLEFT_LOG_H
#define MIRLEFT_LOG_H

enum ml_log_level {
    ML_LOG_ERROR = 0,
    ML_LOG_WARN = 1,
    ML_LOG_INFO = 2,
    ML_LOG_DEBUG = 3
};

/* Messages of a level above this one are dropped. */
extern enum ml_log_level ml_log_threshold;

/* Prints "[LEVEL] message\n" if level <= ml_log_threshold. */
void ml_log(enum ml_log_level level, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Accepts error, warn (warning), info, debug (any case); returns 0, or -1
 * for an unknown name and leaves the level alone. */
int ml_log_set_level(const char *name);
const char *ml_log_level_name(enum ml_log_level level);

/* The macros test the level first, so a dropped message costs no argument
 * evaluation and no formatting. */
#define ML_LOG_AT(lvl, ...) \
    do { \
        if ((lvl) <= ml_log_threshold) ml_log((lvl), __VA_ARGS__); \
    } while (0)
#define ML_ERROR(...) ML_LOG_AT(ML_LOG_ERROR, __VA_ARGS__)
#define ML_WARN(...) ML_LOG_AT(ML_LOG_WARN, __VA_ARGS__)
#define ML_INFO(...) ML_LOG_AT(ML_LOG_INFO, __VA_ARGS__)
#define ML_DEBUG(...) ML_LOG_AT(ML_LOG_DEBUG, __VA_ARGS__)

#endif

/* The runtime under test, as the host sees it: every runtime symbol carries
 * the mlt_ prefix (see tests.mk), so it can sit beside glibc's. */
#ifndef MLT_H
#define MLT_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <mirleft/platform.h>
#include <mirleft/heap.h>
#include <mirleft/timer.h>

/* libc */
int mlt_snprintf(char *, size_t, const char *, ...);
int mlt_vsnprintf(char *, size_t, const char *, va_list);
int mlt_sprintf(char *, const char *, ...);
int mlt_printf(const char *, ...);
int mlt_puts(const char *);
int mlt_putchar(int);
int mlt_fflush(void *);
extern char mlt_ml_stdout_file[], mlt_ml_stderr_file[];
int mlt_fprintf(void *, const char *, ...);
int mlt_fputs(const char *, void *);
extern int mlt_errno;
long mlt_strtol(const char *, char **, int);
unsigned long mlt_strtoul(const char *, char **, int);
long long mlt_strtoll(const char *, char **, int);
unsigned long long mlt_strtoull(const char *, char **, int);
int mlt_atoi(const char *);
int mlt_abs(int);
long mlt_labs(long);
long long mlt_llabs(long long);
void mlt_qsort(void *, size_t, size_t, int (*)(const void *, const void *));
void *mlt_bsearch(const void *, const void *, size_t, size_t,
                  int (*)(const void *, const void *));
void *mlt_memcpy(void *, const void *, size_t);
void *mlt_memmove(void *, const void *, size_t);
void *mlt_memset(void *, int, size_t);
int mlt_memcmp(const void *, const void *, size_t);
void *mlt_memchr(const void *, int, size_t);
void *mlt_memrchr(const void *, int, size_t);
void *mlt_memmem(const void *, size_t, const void *, size_t);
size_t mlt_strlen(const char *);
size_t mlt_strnlen(const char *, size_t);
char *mlt_strcpy(char *, const char *);
char *mlt_stpcpy(char *, const char *);
char *mlt_strncpy(char *, const char *, size_t);
size_t mlt_strlcpy(char *, const char *, size_t);
size_t mlt_strlcat(char *, const char *, size_t);
char *mlt_strcat(char *, const char *);
char *mlt_strncat(char *, const char *, size_t);
int mlt_strcmp(const char *, const char *);
int mlt_strncmp(const char *, const char *, size_t);
int mlt_strcasecmp(const char *, const char *);
int mlt_strncasecmp(const char *, const char *, size_t);
char *mlt_strchr(const char *, int);
char *mlt_strrchr(const char *, int);
char *mlt_strstr(const char *, const char *);
size_t mlt_strspn(const char *, const char *);
size_t mlt_strcspn(const char *, const char *);
char *mlt_strpbrk(const char *, const char *);
char *mlt_strtok(char *, const char *);
char *mlt_strtok_r(char *, const char *, char **);
char *mlt_strsep(char **, const char *);
char *mlt_strdup(const char *);
char *mlt_strndup(const char *, size_t);
char *mlt_strerror(int);
int mlt_isalnum(int), mlt_isalpha(int), mlt_isblank(int), mlt_iscntrl(int),
    mlt_isdigit(int), mlt_isgraph(int), mlt_islower(int), mlt_isprint(int),
    mlt_ispunct(int), mlt_isspace(int), mlt_isupper(int), mlt_isxdigit(int),
    mlt_tolower(int), mlt_toupper(int);
void mlt_ml_assert_fail(const char *, const char *, int, const char *);

/* heap */
void *mlt_malloc(size_t);
void *mlt_calloc(size_t, size_t);
void *mlt_realloc(void *, size_t);
void mlt_free(void *);
void *mlt_aligned_alloc(size_t, size_t);
int mlt_posix_memalign(void **, size_t, size_t);
void mlt_ml_heap_init(uintptr_t, size_t);
void mlt_ml_heap_stats(struct ml_heap_stats *);
int mlt_ml_heap_check(void);

/* timers, loop, runtime */
void mlt_ml_timer_init(struct ml_timer *, ml_timer_fn, void *);
void mlt_ml_timer_start(struct ml_timer *, ml_time_t, ml_time_t);
void mlt_ml_timer_start_at(struct ml_timer *, ml_time_t, ml_time_t);
void mlt_ml_timer_stop(struct ml_timer *);
size_t mlt_ml_timer_count(void);
struct ml_timer *mlt_ml_timer_first(void);
int mlt_ml_loop_watch(ml_handle_t, void (*)(ml_handle_t, void *), void *);
void mlt_ml_loop_unwatch(ml_handle_t);
void mlt_ml_loop_hold(void);
void mlt_ml_loop_release(void);
unsigned long mlt_ml_loop_pending(void);
int mlt_ml_loop_run(void);
void mlt_ml_loop_stop(int);
void mlt_ml_exit(int);
void mlt_ml_fatal(const char *, ...);
void mlt_ml_log(int, const char *, ...);
int mlt_ml_log_set_level(const char *);
extern int mlt_ml_log_threshold;
int mlt_ml_plat_main(const struct ml_start_info *);

/* stubs.c: the fake platform. */
extern ml_time_t fake_now;          /* the monotonic clock */
extern char console[1 << 16];       /* what the runtime wrote */
extern size_t console_len;
extern int console_writes;          /* how many ml_plat_console_write calls */
extern int console_echo;            /* also copy it to fd 2 */
/* ml_plat_exit/abort longjmp here with status+1 (abort: 256+1). */
extern jmp_buf exit_jmp;
extern int exit_armed;
/* Scripted device input: at time at, yield reports handles. */
void fake_event(ml_time_t at, ml_handle_set_t handles);
extern int yields;
void console_reset(void);
/* The entropy source ml_plat_entropy reports. */
struct fake_entropy {
    ml_entropy_t kind;
    const char *name;        /* NULL: "fake source" */
    uint64_t state;          /* the byte stream's position */
    int stuck_on;            /* give `stuck` for every byte */
    uint8_t stuck;
    long calls;
};
extern struct fake_entropy fake_entropy;

/* random.h, siphash.h */
void mlt_ml_random_bytes(void *, size_t);
uint32_t mlt_ml_random_u32(void);
uint32_t mlt_ml_random_below(uint32_t);
void mlt_ml_random_reseed(void);
void mlt_ml_random_seed(const uint8_t *);
const char *mlt_ml_random_source(void);
int mlt_ml_random_hardware(void);
void mlt_ml_chacha20_block(const uint8_t *, uint32_t, const uint8_t *,
                           uint8_t *);
int mlt_ml_entropy_rct(const void *, size_t, size_t, unsigned);
uint64_t mlt_ml_siphash24(const uint8_t *, const void *, size_t);

#define CHECK(cond, ...) \
    do { \
        checks++; \
        if (!(cond)) { \
            if (failures++ < 30) { \
                fprintf(stderr, "%s:%d: ", __FILE__, __LINE__); \
                fprintf(stderr, __VA_ARGS__); \
                fputc('\n', stderr); \
            } \
        } \
    } while (0)
extern long checks, failures;
int report(const char *name);

#endif

/*
 * The platform interface: the one seam between the target-independent
 * runtime (share/runtime, share/lib) and a target's bindings
 * (targets/NAME/bindings). Every target implements every ml_plat_* call;
 * the runtime calls nothing else target-specific.
 *
 * Modelled on Solo5's public API so that on spt and hvt the bindings are a
 * thin layer over the Solo5 hypercall ABI. Applications should use the
 * higher-level ml_* APIs instead of calling these directly.
 */
#ifndef MIRLEFT_PLATFORM_H
#define MIRLEFT_PLATFORM_H

#include <stddef.h>
#include <stdint.h>

typedef enum {
    ML_R_OK = 0,      /* success */
    ML_R_AGAIN = 1,   /* nothing now, retrying later may succeed */
    ML_R_EINVAL = 2,  /* invalid argument: nothing was done */
    ML_R_EUNSPEC = 3  /* other error */
} ml_result_t;

typedef uint64_t ml_time_t;        /* nanoseconds */
typedef uint64_t ml_handle_t;      /* device handle: its manifest index */
typedef uint64_t ml_handle_set_t;  /* bit h set: handle h is ready */

struct ml_start_info {
    const char *cmdline;  /* NUL-terminated; bindings' own options stripped */
    uintptr_t heap_start; /* first free byte after the image */
    size_t heap_size;     /* the stack grows down from heap_start+heap_size */
};

struct ml_net_info {
    uint8_t mac[6];
    size_t mtu;           /* excludes the 14-byte Ethernet header */
};

struct ml_block_info {
    uint64_t capacity;    /* bytes */
    uint64_t block_size;  /* bytes; the unit of every request */
};

/* Implemented by the runtime; called once by the bindings after their own
 * initialisation. Its return value is the exit status. */
int ml_plat_main(const struct ml_start_info *si);

/* Implemented by every target's bindings. */
void ml_plat_console_write(const char *buf, size_t len);
ml_time_t ml_plat_clock_monotonic(void);
ml_time_t ml_plat_clock_wall(void);
/* Sleep until monotonic time >= deadline or a net device has input;
 * *ready (if non-NULL) gets the ready handles, 0 on timeout. */
void ml_plat_yield(ml_time_t deadline, ml_handle_set_t *ready);
_Noreturn void ml_plat_exit(int status);
_Noreturn void ml_plat_abort(void);

ml_result_t ml_plat_net_acquire(const char *name, ml_handle_t *h,
                                struct ml_net_info *info);
ml_result_t ml_plat_net_write(ml_handle_t h, const uint8_t *buf, size_t len);
ml_result_t ml_plat_net_read(ml_handle_t h, uint8_t *buf, size_t size,
                             size_t *read_size);

/* off and len must be multiples of block_size and within capacity; the
 * bindings split multi-block requests as their ABI requires. */
ml_result_t ml_plat_block_acquire(const char *name, ml_handle_t *h,
                                  struct ml_block_info *info);
ml_result_t ml_plat_block_write(ml_handle_t h, uint64_t off,
                                const uint8_t *buf, size_t len);
ml_result_t ml_plat_block_read(ml_handle_t h, uint64_t off, uint8_t *buf,
                               size_t len);

/* Entropy, for the runtime's random generator (mirleft/random.h), which
 * is its only caller and health-tests every byte it gets. */
typedef enum {
    ML_ENTROPY_NONE = 0, /* no source (or it failed): buf is not used */
    ML_ENTROPY_RAW = 1,  /* raw noise samples, at least 1 bit of
                            min-entropy per byte (e.g. rp2040's ROSC bit
                            packed 8 to a byte) */
    ML_ENTROPY_FULL = 2  /* conditioned output, ~8 bits per byte
                            (x86 RDSEED, RDRAND) */
} ml_entropy_t;
/* Fills buf with len bytes from the target's entropy source and sets
 * *what to the source's name ("RDSEED"), or, returning ML_ENTROPY_NONE,
 * to why there is none ("the CPU has neither RDSEED nor RDRAND"). The
 * runtime has a weak default returning ML_ENTROPY_NONE, so a target
 * without a source links and runs, and every image that needs secrets
 * prints a warning at boot. Do not test or condition the bytes here:
 * the runtime does (a stuck source, such as a ROSC bit that always reads
 * 1, is caught by its repetition-count test). */
ml_entropy_t ml_plat_entropy(void *buf, size_t len, const char **what);

#endif

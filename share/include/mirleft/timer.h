/* Timers: one-shot or periodic callbacks on the event loop. The caller owns
 * the struct ml_timer (embed it in your own state): arming one allocates
 * nothing and cannot fail. Armed timers live in a binary min-heap keyed by
 * deadline (ties fire in the order they were armed), built from the links
 * inside each timer, so arming and stopping are O(log n). */
#ifndef MIRLEFT_TIMER_H
#define MIRLEFT_TIMER_H

#include <stdbool.h>
#include <stddef.h>
#include <mirleft/platform.h>

struct ml_timer;
typedef void (*ml_timer_fn)(struct ml_timer *t, void *arg);

struct ml_timer {
    /* Private: use the functions below. */
    ml_time_t deadline; /* monotonic ns of the next expiry */
    ml_time_t period;   /* 0: one-shot */
    uint64_t seq;       /* arm order, breaks deadline ties */
    ml_timer_fn fn;
    void *arg;
    struct ml_timer *parent, *left, *right;
    bool armed;
};

void ml_timer_init(struct ml_timer *t, ml_timer_fn fn, void *arg);
/* Fires first after `delay` ns from now, then every `period` ns (0: once).
 * Re-arming an armed timer moves it. Missed periods are skipped, keeping
 * the phase. */
void ml_timer_start(struct ml_timer *t, ml_time_t delay, ml_time_t period);
/* The same with an absolute monotonic deadline. */
void ml_timer_start_at(struct ml_timer *t, ml_time_t deadline,
                       ml_time_t period);
/* Disarms; harmless on a timer that is not armed. */
void ml_timer_stop(struct ml_timer *t);
bool ml_timer_armed(const struct ml_timer *t);
ml_time_t ml_timer_deadline(const struct ml_timer *t);

/* For the loop: the number of armed timers, the earliest one (NULL if
 * none), and firing every timer due at `now`. */
size_t ml_timer_count(void);
struct ml_timer *ml_timer_first(void);
void ml_timer_run_due(ml_time_t now);

#endif

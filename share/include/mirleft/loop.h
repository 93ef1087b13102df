/* The event loop: one thread, callbacks only. ml_loop_run keeps going while
 * anything is pending - an armed timer, a watched device handle, or a hold
 * taken with ml_loop_hold - and sleeps in ml_plat_yield in between. */
#ifndef MIRLEFT_LOOP_H
#define MIRLEFT_LOOP_H

#include <mirleft/platform.h>

#define ML_LOOP_MAX_HANDLES 64 /* the width of ml_handle_set_t */

typedef void (*ml_watch_fn)(ml_handle_t h, void *arg);

/* Calls cb(h, arg) from the loop each time the platform reports h ready
 * (it has input; read until ML_R_AGAIN). One watcher per handle: watching
 * again replaces it. Returns 0, or -1 if h is out of range or cb NULL. */
int ml_loop_watch(ml_handle_t h, ml_watch_fn cb, void *arg);
/* Stops watching h; harmless if it was not watched. */
void ml_loop_unwatch(ml_handle_t h);

/* Work in flight that no timer or watch accounts for keeps the loop alive
 * between a hold and its release. */
void ml_loop_hold(void);
void ml_loop_release(void);
/* How many things keep the loop alive: timers + watches + holds. */
unsigned long ml_loop_pending(void);

/* Runs until nothing is pending (returns 0) or ml_loop_stop(status) was
 * called (returns status). */
int ml_loop_run(void);
/* Makes ml_loop_run return `status` once the current callback returns. */
void ml_loop_stop(int status);

#endif

/* The event loop: fire due timers, sleep in ml_plat_yield until the next
 * deadline or device input, dispatch ready handles to their watchers;
 * repeat while anything is pending. */
#include <mirleft/loop.h>
#include <mirleft/timer.h>
#include <mirleft/clock.h>

static struct {
    struct {
        ml_watch_fn cb;
        void *arg;
    } watch[ML_LOOP_MAX_HANDLES];
    ml_handle_set_t watched;
    unsigned long holds, nwatched;
    int stopping, status;
} L;

int ml_loop_watch(ml_handle_t h, ml_watch_fn cb, void *arg)
{
    ml_handle_set_t bit;

    if (h >= ML_LOOP_MAX_HANDLES || !cb)
        return -1;
    bit = (ml_handle_set_t)1 << h;
    if (!(L.watched & bit))
        L.nwatched++;
    L.watched |= bit;
    L.watch[h].cb = cb;
    L.watch[h].arg = arg;
    return 0;
}

void ml_loop_unwatch(ml_handle_t h)
{
    ml_handle_set_t bit;

    if (h >= ML_LOOP_MAX_HANDLES)
        return;
    bit = (ml_handle_set_t)1 << h;
    if (L.watched & bit)
        L.nwatched--;
    L.watched &= ~bit;
}

void ml_loop_hold(void)
{
    L.holds++;
}

void ml_loop_release(void)
{
    if (L.holds)
        L.holds--;
}

unsigned long ml_loop_pending(void)
{
    return (unsigned long)ml_timer_count() + L.nwatched + L.holds;
}

void ml_loop_stop(int status)
{
    L.stopping = 1;
    L.status = status;
}

/* Calls the watcher of each ready handle, lowest handle first. A watcher
 * may unwatch others, so each is checked just before its call. */
static void dispatch(ml_handle_set_t ready)
{
    ml_handle_t h;

    for (h = 0; ready && !L.stopping; h++, ready >>= 1)
        if ((ready & 1) && (L.watched >> h & 1))
            L.watch[h].cb(h, L.watch[h].arg);
}

int ml_loop_run(void)
{
    struct ml_timer *first;
    ml_handle_set_t ready;
    int status;

    for (;;) {
        ml_timer_run_due(ml_plat_clock_monotonic());
        if (L.stopping)
            break;
        if (!ml_loop_pending())
            return 0;
        first = ml_timer_first();
        ready = 0;
        ml_plat_yield(first ? ml_timer_deadline(first) : ML_TIME_MAX,
                      &ready);
        dispatch(ready & L.watched);
        if (L.stopping)
            break;
    }
    status = L.status;
    L.stopping = 0;
    L.status = 0;
    return status;
}

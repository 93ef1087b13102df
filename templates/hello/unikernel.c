/* {{name}}: a first unikernel. start() prints the greeting and arms a
 * periodic timer, then returns; the event loop runs the timer, and the
 * unikernel exits when the timer stops and nothing else is pending.
 * Try: mirleft run -- --hello="Hi there" --ticks=5   or   mirleft run -- --help */
#include <mirleft/clock.h>
#include <mirleft/timer.h>
#include <stdio.h>

#include "devices.h"

static struct ml_timer ticker;
static int64_t ticks_left;

static void tick(struct ml_timer *t, void *arg)
{
    struct devices *dev = arg;
    ml_time_t ms = ml_clock_now(&dev->clock) / ML_MS;
    printf("tick %lld (%llu ms)\n", (long long)ticks_left, (unsigned long long)ms);
    if (--ticks_left <= 0)
        ml_timer_stop(t); /* nothing pending: the unikernel exits 0 */
}

int start(struct devices *dev, const struct args *args)
{
    printf("%s\n", args->hello);
    if (args->ticks < 0 || args->interval <= 0) {
        printf("--ticks must be >= 0 and --interval > 0\n");
        return 2;
    }
    ticks_left = args->ticks;
    if (ticks_left > 0) {
        ml_time_t every = (ml_time_t)args->interval * ML_MS;
        ml_timer_init(&ticker, tick, dev);
        ml_timer_start(&ticker, every, every);
    }
    return 0;
}

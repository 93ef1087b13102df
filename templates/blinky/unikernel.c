/* {{name}}: toggles the LED on GPIO 25 every --interval ms; after --blinks
 * times on (if not 0) it turns the LED off and exits. The timer drives it:
 * between toggles the core sleeps in WFI.
 * Try: mirleft run -t rp2040 -- --blinks=3 --interval=100 */
#include <mirleft/gpio.h>
#include <mirleft/timer.h>
#include <stdio.h>

#include "devices.h"

static struct ml_timer blink;
static int64_t ons_left;

static void step(struct ml_timer *t, void *arg)
{
    struct devices *dev = arg;
    ml_gpio_toggle(&dev->led);
    if (ml_gpio_read(&dev->led) || ons_left < 0)
        return;
    /* just switched off: that was one blink */
    if (ons_left > 0 && --ons_left == 0) {
        ml_timer_stop(t);
        printf("blinked\n");
    }
}

int start(struct devices *dev, const struct args *args)
{
    if (args->interval <= 0 || args->blinks < 0) {
        printf("--interval must be > 0 and --blinks >= 0\n");
        return 2;
    }
    ons_left = args->blinks ? args->blinks : -1;
    printf("blinking GPIO %u every %lld ms\n", dev->led.pin,
           (long long)args->interval);
    ml_time_t every = (ml_time_t)args->interval * ML_MS;
    ml_timer_init(&blink, step, dev);
    ml_timer_start(&blink, every, every);
    return 0;
}

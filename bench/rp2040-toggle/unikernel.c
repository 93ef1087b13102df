/* Toggles GPIO 2 --count times as fast as ml_gpio_toggle goes; the
 * runner's GPIO trace times the edges in emulated time. */
#include <mirleft/gpio.h>
#include <stdio.h>

#include "devices.h"

int start(struct devices *dev, const struct args *args)
{
    for (int64_t i = 0; i < args->count; i++)
        ml_gpio_toggle(&dev->pin);
    printf("toggled %lld times\n", (long long)args->count);
    return 0;
}

/* Clocks: the platform's readings, and the clock device for the device
 * convention (it holds nothing: every target has exactly one clock). */
#include <mirleft/clock.h>

ml_time_t ml_clock_monotonic(void)
{
    return ml_plat_clock_monotonic();
}

ml_time_t ml_clock_wall(void)
{
    return ml_plat_clock_wall();
}

int ml_clock_init(struct ml_clock *dev, const struct ml_clock_config *cfg)
{
    dev->name = cfg && cfg->name ? cfg->name : "clock";
    return 0;
}

ml_time_t ml_clock_now(const struct ml_clock *dev)
{
    (void)dev;
    return ml_plat_clock_monotonic();
}

ml_time_t ml_clock_wall_now(const struct ml_clock *dev)
{
    (void)dev;
    return ml_plat_clock_wall();
}

/* Time: nanoseconds since boot (monotonic) and since the Unix epoch (wall),
 * plus the clock device of the device convention. */
#ifndef MIRLEFT_CLOCK_H
#define MIRLEFT_CLOCK_H

#include <mirleft/platform.h>

#define ML_NS ((ml_time_t)1)
#define ML_US ((ml_time_t)1000)
#define ML_MS ((ml_time_t)1000000)
#define ML_SEC ((ml_time_t)1000000000)
#define ML_TIME_MAX ((ml_time_t)UINT64_MAX)

ml_time_t ml_clock_monotonic(void);
ml_time_t ml_clock_wall(void);

struct ml_clock {
    const char *name;
};
struct ml_clock_config {
    const char *name;
};
int ml_clock_init(struct ml_clock *dev, const struct ml_clock_config *cfg);
/* The same readings, through the device (for symmetry with other types). */
ml_time_t ml_clock_now(const struct ml_clock *dev);
ml_time_t ml_clock_wall_now(const struct ml_clock *dev);

#endif

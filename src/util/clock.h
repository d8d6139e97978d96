/* Monotonic clock readings for durations (never the wall-clock time of day). */
#ifndef WB_UTIL_CLOCK_H
#define WB_UTIL_CLOCK_H

#include <stdint.h>

/* Monotonic time in nanoseconds since an arbitrary origin. */
int64_t wb_clock_ns(void);
/* Monotonic time in seconds since an arbitrary origin. */
double wb_clock_s(void);
/* Sleep for the given number of nanoseconds (restarts after signals). */
void wb_sleep_ns(int64_t ns);

#endif

/* Monotonic clock (see clock.h). */
#include "util/clock.h"

#include <errno.h>
#include <time.h>

int64_t wb_clock_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

double wb_clock_s(void)
{
    return (double)wb_clock_ns() / 1e9;
}

void wb_sleep_ns(int64_t ns)
{
    struct timespec ts = {(time_t)(ns / 1000000000LL), (long)(ns % 1000000000LL)};
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR) {
    }
}

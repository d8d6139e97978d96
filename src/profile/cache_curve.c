/* The caching study's hit ratio against capacity (see cache.h): the read phase's
 * Zipf key sequence replayed, in memory only, through the same LRU (wb_lru) at
 * capacities of 1, 2, 5, 10, ... up to the distinct keys the sequence holds, plus
 * the study's own capacity. A replay is exact for an LRU: the hits at a capacity
 * depend only on the sequence. No database is involved, so the curve costs
 * microseconds and shows where a bigger cache stops paying. */
#include <stdlib.h>

#include "profile/cache.h"

/* Insert v into the sorted set caps[0..*n) (capacity max) unless present. */
static void add_capacity(int64_t *caps, int *n, int max, int64_t v)
{
    int at = 0;
    while (at < *n && caps[at] < v)
        at++;
    if ((at < *n && caps[at] == v) || *n >= max)
        return;
    for (int i = *n; i > at; i--)
        caps[i] = caps[i - 1];
    caps[at] = v;
    (*n)++;
}

int wb_cache_capacity_curve(const int64_t *keys, int64_t n, int64_t distinct_keys, int64_t capacity,
                            wb_cache_curve_point *out)
{
    int64_t caps[WB_CACHE_CURVE_MAX];
    int ncaps = 0;
    static const int64_t steps[] = {1, 2, 5};
    for (int64_t power = 1; power <= distinct_keys && ncaps < WB_CACHE_CURVE_MAX - 2; power *= 10)
        for (size_t s = 0; s < sizeof steps / sizeof *steps; s++)
            if (steps[s] * power <= distinct_keys)
                add_capacity(caps, &ncaps, WB_CACHE_CURVE_MAX - 2, steps[s] * power);
    if (distinct_keys > 0)
        add_capacity(caps, &ncaps, WB_CACHE_CURVE_MAX - 1, distinct_keys); /* every key fits: the ceiling */
    if (capacity > 0)
        add_capacity(caps, &ncaps, WB_CACHE_CURVE_MAX, capacity);
    int npoints = 0;
    for (int i = 0; i < ncaps; i++) {
        wb_lru *lru = wb_lru_new((size_t)caps[i]);
        if (!lru)
            return -1;
        for (int64_t k = 0; k < n; k++)
            if (!wb_lru_get(lru, keys[k], NULL) && wb_lru_put(lru, keys[k], "", 0) != 0) {
                wb_lru_free(lru);
                return -1;
            }
        out[npoints++] = (wb_cache_curve_point){caps[i], wb_lru_hits(lru), wb_lru_hit_ratio(lru)};
        wb_lru_free(lru);
    }
    return npoints;
}

/* The log-bucketed latency histogram (see histogram.h). Bucket i below
 * WB_HIST_SUB_BUCKETS holds exactly the value i; above, a value v whose highest
 * set bit is e lies in the group of e, split into WB_HIST_SUB_BUCKETS buckets of
 * width 2^(e - WB_HIST_SUB_BITS), which is at most 1/WB_HIST_SUB_BUCKETS of v. */
#include "util/histogram.h"

#include <math.h>
#include <string.h>

void wb_histogram_reset(wb_histogram *h)
{
    memset(h, 0, sizeof *h);
}

int wb_histogram_bucket_of(int64_t ns)
{
    if (ns < 0)
        ns = 0;
    if (ns > WB_HIST_MAX_NS)
        ns = WB_HIST_MAX_NS;
    if (ns < WB_HIST_SUB_BUCKETS)
        return (int)ns;
    int exponent = 63 - __builtin_clzll((unsigned long long)ns); /* >= WB_HIST_SUB_BITS */
    int shift = exponent - WB_HIST_SUB_BITS;
    int sub = (int)(ns >> shift) - WB_HIST_SUB_BUCKETS; /* 0..WB_HIST_SUB_BUCKETS-1 */
    return (shift + 1) * WB_HIST_SUB_BUCKETS + sub;
}

int64_t wb_histogram_bucket_low_ns(int i)
{
    if (i < WB_HIST_SUB_BUCKETS)
        return i;
    int shift = i / WB_HIST_SUB_BUCKETS - 1;
    int sub = i % WB_HIST_SUB_BUCKETS;
    return (int64_t)(WB_HIST_SUB_BUCKETS + sub) << shift;
}

int64_t wb_histogram_bucket_high_ns(int i)
{
    if (i < WB_HIST_SUB_BUCKETS)
        return i;
    int shift = i / WB_HIST_SUB_BUCKETS - 1;
    return wb_histogram_bucket_low_ns(i) + ((int64_t)1 << shift) - 1;
}

void wb_histogram_record(wb_histogram *h, int64_t ns)
{
    if (ns < 0)
        ns = 0;
    atomic_fetch_add_explicit(&h->buckets[wb_histogram_bucket_of(ns)], 1, memory_order_relaxed);
    /* max by compare-and-swap: threads of one strategy record at once */
    int64_t seen = atomic_load_explicit(&h->max_ns, memory_order_relaxed);
    while (ns > seen && !atomic_compare_exchange_weak_explicit(&h->max_ns, &seen, ns, memory_order_relaxed,
                                                               memory_order_relaxed)) {
    }
    atomic_fetch_add_explicit(&h->count, 1, memory_order_relaxed);
}

int64_t wb_histogram_count(const wb_histogram *h)
{
    return atomic_load_explicit(&h->count, memory_order_relaxed);
}

int64_t wb_histogram_percentile_ns(const wb_histogram *h, double fraction)
{
    int64_t count = wb_histogram_count(h);
    if (count <= 0)
        return -1;
    int64_t max = atomic_load_explicit(&h->max_ns, memory_order_relaxed);
    if (fraction >= 1.0)
        return max;
    int64_t rank = (int64_t)ceil(fraction * (double)count);
    if (rank < 1)
        rank = 1;
    int64_t seen = 0;
    for (int i = 0; i < WB_HIST_BUCKETS; i++) {
        seen += atomic_load_explicit(&h->buckets[i], memory_order_relaxed);
        if (seen >= rank) {
            int64_t high = wb_histogram_bucket_high_ns(i);
            return high < max ? high : max;
        }
    }
    return max; /* not reached: the buckets hold count values */
}

void wb_histogram_merge(wb_histogram *into, const wb_histogram *from)
{
    int64_t n = wb_histogram_count(from);
    if (n == 0)
        return;
    for (int i = 0; i < WB_HIST_BUCKETS; i++) {
        int64_t c = atomic_load_explicit(&from->buckets[i], memory_order_relaxed);
        if (c)
            atomic_fetch_add_explicit(&into->buckets[i], c, memory_order_relaxed);
    }
    int64_t max = atomic_load_explicit(&from->max_ns, memory_order_relaxed);
    atomic_fetch_add_explicit(&into->count, n, memory_order_relaxed);
    if (max > atomic_load_explicit(&into->max_ns, memory_order_relaxed))
        atomic_store_explicit(&into->max_ns, max, memory_order_relaxed);
}

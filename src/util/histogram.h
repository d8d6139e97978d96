/* A fixed-size histogram of latencies in nanoseconds, log-bucketed like
 * HdrHistogram: every power of two is split into WB_HIST_SUB_BUCKETS equal
 * buckets, so a recorded value and the bucket reported for it differ by less
 * than 1/WB_HIST_SUB_BUCKETS of the value (1.6%), from 1 ns up to
 * WB_HIST_MAX_NS. It allocates nothing and recording is lock-free (relaxed
 * atomics), so several threads of a strategy's child can record into one that
 * lives in the memory the child shares with the parent (util/counters.h).
 * The exact count and largest value are kept beside the buckets. */
#ifndef WB_UTIL_HISTOGRAM_H
#define WB_UTIL_HISTOGRAM_H

#include <stdatomic.h>
#include <stdint.h>

#define WB_HIST_SUB_BITS 6
#define WB_HIST_SUB_BUCKETS (1 << WB_HIST_SUB_BITS) /* buckets per power of two */
#define WB_HIST_MAX_EXPONENT 40                     /* values up to 2^40 ns, about 18 minutes */
#define WB_HIST_MAX_NS ((INT64_C(1) << WB_HIST_MAX_EXPONENT) - 1)
/* Values below WB_HIST_SUB_BUCKETS ns have a bucket each; then WB_HIST_SUB_BUCKETS per power of two. */
#define WB_HIST_BUCKETS ((WB_HIST_MAX_EXPONENT - WB_HIST_SUB_BITS + 1) * WB_HIST_SUB_BUCKETS)

typedef struct wb_histogram {
    _Atomic int64_t count;  /* values recorded */
    _Atomic int64_t max_ns; /* largest value recorded, exact (not its bucket's bound) */
    _Atomic int64_t buckets[WB_HIST_BUCKETS];
} wb_histogram;

/* Empty h (a zeroed wb_histogram is empty too). */
void wb_histogram_reset(wb_histogram *h);
/* Record one value; negative values count as 0, values above WB_HIST_MAX_NS in the last bucket. */
void wb_histogram_record(wb_histogram *h, int64_t ns);
/* The bucket a value falls in, 0..WB_HIST_BUCKETS-1 (values clamped as by record). */
int wb_histogram_bucket_of(int64_t ns);
/* The smallest and the largest value of bucket i. */
int64_t wb_histogram_bucket_low_ns(int i);
int64_t wb_histogram_bucket_high_ns(int i);
/* Values recorded. */
int64_t wb_histogram_count(const wb_histogram *h);
/* The value at fraction (0 < fraction <= 1) of the recorded values: the largest
 * value of the bucket that holds the ceil(fraction * count)-th smallest value,
 * never above the exact maximum, so 1.0 gives the maximum; -1 when h is empty. */
int64_t wb_histogram_percentile_ns(const wb_histogram *h, double fraction);
/* Add every value of from into into. */
void wb_histogram_merge(wb_histogram *into, const wb_histogram *from);

#endif

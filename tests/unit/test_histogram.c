/* Unit tests of util/histogram: the buckets tile the values without gaps or
 * overlaps, each bucket is narrower than 1/WB_HIST_SUB_BUCKETS of its values (the
 * error bound the results' batch latencies rest on), and percentiles pick the
 * rank's bucket. Expected values are worked out by hand next to each check. */
#include <pthread.h>
#include <stdlib.h>

#include "check.h"
#include "util/histogram.h"

/* Every bucket starts right after the one before and is narrower than
 * 1/WB_HIST_SUB_BUCKETS of its smallest value (exact below WB_HIST_SUB_BUCKETS). */
static void test_bucket_tiling_and_error_bound(void)
{
    int gaps = 0, too_wide = 0, misplaced = 0;
    for (int i = 0; i < WB_HIST_BUCKETS; i++) {
        int64_t low = wb_histogram_bucket_low_ns(i), high = wb_histogram_bucket_high_ns(i);
        if (i > 0 && low != wb_histogram_bucket_high_ns(i - 1) + 1)
            gaps++;
        if (low >= WB_HIST_SUB_BUCKETS && (high - low + 1) * WB_HIST_SUB_BUCKETS > low)
            too_wide++;
        if (low < WB_HIST_SUB_BUCKETS && high != low)
            too_wide++;
        if (wb_histogram_bucket_of(low) != i || wb_histogram_bucket_of(high) != i)
            misplaced++;
    }
    CHECK_INT(gaps, 0);
    CHECK_INT(too_wide, 0);
    CHECK_INT(misplaced, 0);
    CHECK_INT(wb_histogram_bucket_low_ns(0), 0);
    CHECK_INT(wb_histogram_bucket_high_ns(WB_HIST_BUCKETS - 1), WB_HIST_MAX_NS);
    /* 64 is the first value of the first shared group: 64..127 in buckets of width 1;
     * 128..255 in buckets of width 2, so 128 and 129 share one and 130 starts the next. */
    CHECK_INT(wb_histogram_bucket_of(63), 63);
    CHECK_INT(wb_histogram_bucket_of(64), 64);
    CHECK_INT(wb_histogram_bucket_of(127), 127);
    CHECK_INT(wb_histogram_bucket_of(128), 128);
    CHECK_INT(wb_histogram_bucket_of(129), 128);
    CHECK_INT(wb_histogram_bucket_of(130), 129);
    /* out of range values are clamped, not lost */
    CHECK_INT(wb_histogram_bucket_of(-5), 0);
    CHECK_INT(wb_histogram_bucket_of(INT64_MAX), WB_HIST_BUCKETS - 1);
    /* The bound in the header: any value and its bucket's highest value differ by
     * less than 1/64 of the value, sampled over many magnitudes. */
    int off = 0;
    for (int64_t v = 1; v < WB_HIST_MAX_NS / 3; v = v * 3 + 1) {
        int64_t high = wb_histogram_bucket_high_ns(wb_histogram_bucket_of(v));
        if (high < v || (double)(high - v) >= (double)v / WB_HIST_SUB_BUCKETS)
            off++;
    }
    CHECK_INT(off, 0);
}

static void test_percentiles(void)
{
    static wb_histogram h; /* static: zeroed, and not on the stack */
    CHECK_INT(wb_histogram_percentile_ns(&h, 0.5), -1);
    CHECK_INT(wb_histogram_count(&h), 0);
    /* 1..100 ns: each below 64 is exact; 64..127 also width 1. p50 = the 50th = 50,
     * p95 = 95, p99 = 99, max 100. */
    for (int v = 1; v <= 100; v++)
        wb_histogram_record(&h, v);
    CHECK_INT(wb_histogram_count(&h), 100);
    CHECK_INT(wb_histogram_percentile_ns(&h, 0.50), 50);
    CHECK_INT(wb_histogram_percentile_ns(&h, 0.95), 95);
    CHECK_INT(wb_histogram_percentile_ns(&h, 0.99), 99);
    CHECK_INT(wb_histogram_percentile_ns(&h, 1.0), 100);

    /* 99 batches of 1 ms and one of 200 ms: p50, p95 and p99 in 1 ms's bucket, the max
     * exactly 200 ms. 1,000,000 ns has its highest bit at 2^19, bucket width
     * 2^(19-6) = 8192: the bucket is 999,424..1,007,615 (122 * 8192 = 999,424). */
    wb_histogram_reset(&h);
    for (int i = 0; i < 99; i++)
        wb_histogram_record(&h, 1000000);
    wb_histogram_record(&h, 200000000);
    CHECK_INT(wb_histogram_percentile_ns(&h, 0.50), 1007615);
    CHECK_INT(wb_histogram_percentile_ns(&h, 0.99), 1007615);
    CHECK_INT(wb_histogram_percentile_ns(&h, 1.0), 200000000);
    CHECK(wb_histogram_bucket_of(wb_histogram_percentile_ns(&h, 0.5)) < wb_histogram_bucket_of(200000000));
    /* with the slow one the 100th of 100: p99 (the 99th) stays fast, p99.5 does not */
    CHECK_INT(wb_histogram_percentile_ns(&h, 0.995), 200000000);

    /* one value: every percentile is it (its bucket's high end is clamped to the max) */
    wb_histogram_reset(&h);
    wb_histogram_record(&h, 1000000);
    CHECK_INT(wb_histogram_percentile_ns(&h, 0.5), 1000000);
}

static void test_merge(void)
{
    static wb_histogram a, b;
    for (int v = 1; v <= 50; v++)
        wb_histogram_record(&a, v);
    for (int v = 51; v <= 100; v++)
        wb_histogram_record(&b, v);
    wb_histogram_merge(&a, &b);
    CHECK_INT(wb_histogram_count(&a), 100);
    CHECK_INT(wb_histogram_percentile_ns(&a, 0.5), 50);
    CHECK_INT(wb_histogram_percentile_ns(&a, 1.0), 100);
}

/* Four threads recording at once lose nothing: counts are atomic. */
static wb_histogram shared;
static void *record_many(void *arg)
{
    int64_t base = (int64_t)(intptr_t)arg;
    for (int i = 0; i < 100000; i++)
        wb_histogram_record(&shared, base + i % 1000);
    return NULL;
}

static void test_threads(void)
{
    pthread_t t[4];
    for (int i = 0; i < 4; i++)
        pthread_create(&t[i], NULL, record_many, (void *)(intptr_t)(i * 1000000));
    for (int i = 0; i < 4; i++)
        pthread_join(t[i], NULL);
    CHECK_INT(wb_histogram_count(&shared), 400000);
    CHECK_INT(wb_histogram_percentile_ns(&shared, 1.0), 3000999);
    int64_t total = 0;
    for (int i = 0; i < WB_HIST_BUCKETS; i++)
        total += shared.buckets[i];
    CHECK_INT(total, 400000);
}

int main(void)
{
    test_bucket_tiling_and_error_bound();
    test_percentiles();
    test_merge();
    test_threads();
    return check_finish();
}

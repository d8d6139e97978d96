/* Unit tests of the caching study's pieces: the LRU cache (eviction order,
 * capacity 1, recency refreshed by get, invalidation, an exact hit ratio for a
 * hand-computed key sequence), the Zipf generator (deterministic, in range,
 * key frequencies close to the exact probabilities, more skew for larger s) and
 * the study itself on an in-memory SQLite database at small N. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backends/sqlite.h"
#include "check.h"
#include "profile/cache.h"
#include "profile/zipf.h"
#include "workloads/schema.h"

/* get-then-put-on-miss: what a read-through cache does; returns 1 on a hit. */
static int read_through(wb_lru *lru, int64_t key)
{
    char value[32];
    if (wb_lru_get(lru, key, NULL))
        return 1;
    snprintf(value, sizeof value, "v%lld", (long long)key);
    wb_lru_put(lru, key, value, strlen(value));
    return 0;
}

static void test_lru_eviction_order(void)
{
    wb_lru *lru = wb_lru_new(3);
    size_t len = 0;
    CHECK(lru != NULL);
    CHECK_INT(wb_lru_put(lru, 1, "one", 3), 0);
    CHECK_INT(wb_lru_put(lru, 2, "two", 3), 0);
    CHECK_INT(wb_lru_put(lru, 3, "three", 5), 0);
    CHECK_INT(wb_lru_size(lru), 3);
    /* Touch 1: now 2 is the least recently used and is the one evicted by 4. */
    CHECK_STR(wb_lru_get(lru, 1, &len), "one");
    CHECK_INT(len, 3);
    CHECK_INT(wb_lru_put(lru, 4, "four", 4), 0);
    CHECK(!wb_lru_contains(lru, 2));
    CHECK(wb_lru_contains(lru, 1) && wb_lru_contains(lru, 3) && wb_lru_contains(lru, 4));
    CHECK_INT(wb_lru_evictions(lru), 1);
    /* Order is now 4,1,3 (most recent first): 5 evicts 3, then 6 evicts 1. */
    CHECK_INT(wb_lru_put(lru, 5, "five", 4), 0);
    CHECK(!wb_lru_contains(lru, 3));
    CHECK_INT(wb_lru_put(lru, 6, "six", 3), 0);
    CHECK(!wb_lru_contains(lru, 1));
    CHECK_INT(wb_lru_size(lru), 3);
    /* Replacing a value does not grow the cache and refreshes recency: 4 survives 7. */
    CHECK_INT(wb_lru_put(lru, 4, "FOUR", 4), 0);
    CHECK_INT(wb_lru_put(lru, 7, "seven", 5), 0);
    CHECK_STR(wb_lru_get(lru, 4, NULL), "FOUR");
    CHECK(!wb_lru_contains(lru, 5));
    CHECK_INT(wb_lru_size(lru), 3);
    /* Invalidation removes without counting a hit or miss; the freed place is reused. */
    int64_t hits = wb_lru_hits(lru), misses = wb_lru_misses(lru);
    CHECK_INT(wb_lru_invalidate(lru, 7), 1);
    CHECK_INT(wb_lru_invalidate(lru, 7), 0);
    CHECK_INT(wb_lru_hits(lru), hits);
    CHECK_INT(wb_lru_misses(lru), misses);
    CHECK(wb_lru_get(lru, 7, NULL) == NULL);
    CHECK_INT(wb_lru_size(lru), 2);
    CHECK_INT(wb_lru_put(lru, 8, "eight", 5), 0);
    CHECK_INT(wb_lru_size(lru), 3);
    CHECK_INT(wb_lru_evictions(lru), 4);
    wb_lru_clear(lru);
    CHECK_INT(wb_lru_size(lru), 0);
    CHECK(wb_lru_get(lru, 4, NULL) == NULL);
    wb_lru_free(lru);
    CHECK(wb_lru_new(0) == NULL);
}

static void test_lru_capacity_one(void)
{
    wb_lru *lru = wb_lru_new(1);
    CHECK_INT(read_through(lru, 1), 0);
    CHECK_INT(read_through(lru, 1), 1);
    CHECK_INT(read_through(lru, 2), 0); /* evicts 1 */
    CHECK_INT(read_through(lru, 1), 0);
    CHECK_INT(read_through(lru, 1), 1);
    CHECK_INT(wb_lru_size(lru), 1);
    CHECK_INT(wb_lru_hits(lru), 2);
    CHECK_INT(wb_lru_misses(lru), 3);
    CHECK_INT(wb_lru_evictions(lru), 2);
    wb_lru_free(lru);
}

/* Capacity 2, sequence 1,2,1,3,1,2 (most recent first after each step):
 *   1 miss [1]   2 miss [2,1]   1 hit [1,2]   3 miss, evicts 2 [3,1]
 *   1 hit [1,3]  2 miss, evicts 3 [2,1]
 * = 2 hits, 4 misses, hit ratio 1/3. Plain FIFO would give the same here, so a
 * second sequence tells them apart: capacity 2, 1,2,1,3,2 — LRU evicts 2 at 3
 * (1 was refreshed) so the final 2 misses: 1 hit; FIFO would evict 1 and hit 2. */
static void test_lru_known_sequence(void)
{
    static const int64_t seq[] = {1, 2, 1, 3, 1, 2};
    static const int expected_hit[] = {0, 0, 1, 0, 1, 0};
    wb_lru *lru = wb_lru_new(2);
    for (size_t i = 0; i < sizeof seq / sizeof seq[0]; i++)
        CHECK_INT(read_through(lru, seq[i]), expected_hit[i]);
    CHECK_INT(wb_lru_hits(lru), 2);
    CHECK_INT(wb_lru_misses(lru), 4);
    CHECK(wb_lru_hit_ratio(lru) == 2.0 / 6.0);
    wb_lru_free(lru);

    static const int64_t seq2[] = {1, 2, 1, 3, 2};
    lru = wb_lru_new(2);
    for (size_t i = 0; i < sizeof seq2 / sizeof seq2[0]; i++)
        read_through(lru, seq2[i]);
    CHECK_INT(wb_lru_hits(lru), 1);
    CHECK_INT(wb_lru_misses(lru), 4);
    CHECK(wb_lru_contains(lru, 3) && wb_lru_contains(lru, 2) && !wb_lru_contains(lru, 1));
    wb_lru_free(lru);
}

/* Many keys through a small cache against a brute-force model (recency array):
 * exercises the hash table's backward-shift deletion under collisions. */
static void test_lru_against_model(void)
{
    enum { CAP = 16, OPS = 20000, KEYS = 64 };
    int64_t model[CAP];
    int nmodel = 0, mismatches = 0;
    uint64_t rng = 7;
    wb_lru *lru = wb_lru_new(CAP);
    for (int op = 0; op < OPS; op++) {
        int64_t key = (int64_t)(wb_splitmix64(&rng) % KEYS);
        int pos = -1;
        for (int i = 0; i < nmodel; i++)
            if (model[i] == key)
                pos = i;
        if (wb_splitmix64(&rng) % 5 == 0) { /* invalidate */
            mismatches += wb_lru_invalidate(lru, key) != (pos >= 0);
            if (pos >= 0) {
                memmove(&model[pos], &model[pos + 1], (size_t)(nmodel - pos - 1) * sizeof model[0]);
                nmodel--;
            }
            continue;
        }
        int hit = read_through(lru, key);
        mismatches += hit != (pos >= 0);
        if (pos < 0 && nmodel == CAP)
            nmodel--; /* the model drops its least recent (last) entry */
        if (pos >= 0) {
            memmove(&model[pos], &model[pos + 1], (size_t)(nmodel - pos - 1) * sizeof model[0]);
            nmodel--;
        }
        memmove(&model[1], &model[0], (size_t)nmodel * sizeof model[0]);
        model[0] = key;
        nmodel++;
        mismatches += (int)wb_lru_size(lru) != nmodel;
    }
    for (int i = 0; i < nmodel; i++)
        mismatches += !wb_lru_contains(lru, model[i]);
    CHECK_INT(mismatches, 0);
    wb_lru_free(lru);
}

/* Share of draws that are key 1, over `draws` draws of Zipf(n, s). */
static double share_of_key1(int64_t n, double s, uint64_t seed, int draws)
{
    wb_zipf z;
    wb_error e;
    int ones = 0;
    if (wb_zipf_init(&z, n, s, seed, &e) != 0)
        return -1;
    for (int i = 0; i < draws; i++)
        ones += wb_zipf_next(&z) == 1;
    return (double)ones / draws;
}

static void test_zipf(void)
{
    wb_zipf a, b;
    wb_error e;
    enum { N = 1000, DRAWS = 200000 };
    CHECK_INT(wb_zipf_init(&a, N, 1.0, 123, &e), 0);
    CHECK_INT(wb_zipf_init(&b, N, 1.0, 123, &e), 0);
    int same = 1, in_range = 1;
    int64_t counts[N + 1] = {0};
    for (int i = 0; i < DRAWS; i++) {
        int64_t x = wb_zipf_next(&a), y = wb_zipf_next(&b);
        same &= x == y;
        in_range &= x >= 1 && x <= N;
        if (x >= 1 && x <= N)
            counts[x]++;
    }
    CHECK(same);
    CHECK(in_range);
    /* Another seed gives another sequence. */
    CHECK_INT(wb_zipf_init(&b, N, 1.0, 124, &e), 0);
    int differs = 0;
    CHECK_INT(wb_zipf_init(&a, N, 1.0, 123, &e), 0);
    for (int i = 0; i < 100; i++)
        differs += wb_zipf_next(&a) != wb_zipf_next(&b);
    CHECK(differs > 0);

    /* s = 1, N = 1000: P(1) = 1/H_1000 = 0.13359. Over 200,000 draws the share's
     * standard deviation is sqrt(p(1-p)/draws) = 0.00076; 0.004 is over 5 sd, so a
     * correct generator passes for any seed and a wrong one (an off-by-one in the
     * inversion shifts P(1) by several percent) fails. Same for keys 2 and 10. */
    for (int64_t k = 1; k <= 10; k += (k == 1 ? 1 : 8)) {
        double p = wb_zipf_probability(N, 1.0, k);
        double share = (double)counts[k] / DRAWS;
        printf("zipf s=1 N=%d key %lld: share %.5f, exact %.5f\n", N, (long long)k, share, p);
        CHECK(fabs(share - p) < 0.004);
    }
    CHECK(fabs(wb_zipf_probability(N, 1.0, 1) - 0.133592) < 1e-5);

    /* The exact probabilities at other exponents, and more skew as s grows. */
    double prev = 0;
    static const double exponents[] = {0.5, 0.99, 1.5, 2.0, 3.0};
    for (size_t i = 0; i < sizeof exponents / sizeof exponents[0]; i++) {
        double s = exponents[i];
        double share = share_of_key1(N, s, 99, DRAWS), p = wb_zipf_probability(N, s, 1);
        printf("zipf s=%.2f N=%d key 1: share %.5f, exact %.5f\n", s, N, share, p);
        CHECK(fabs(share - p) < 0.005);
        CHECK(share > prev);
        prev = share;
    }
    /* Large n needs no table (O(1) setup): still in range and on the exact probability. */
    {
        enum { BIG_N = 1000000, BIG_DRAWS = 100000 };
        wb_zipf big;
        int ones = 0, big_in_range = 1;
        CHECK_INT(wb_zipf_init(&big, BIG_N, 1.2, 77, &e), 0);
        for (int i = 0; i < BIG_DRAWS; i++) {
            int64_t k = wb_zipf_next(&big);
            big_in_range &= k >= 1 && k <= BIG_N;
            ones += k == 1;
        }
        double p = wb_zipf_probability(BIG_N, 1.2, 1);
        printf("zipf s=1.20 N=%d key 1: share %.5f, exact %.5f\n", BIG_N, (double)ones / BIG_DRAWS, p);
        CHECK(big_in_range);
        CHECK(fabs((double)ones / BIG_DRAWS - p) < 0.006); /* sd = 0.0013 at p = 0.19: over 4.5 sd */
    }
    /* n = 1: always key 1. */
    CHECK(share_of_key1(1, 1.0, 5, 1000) == 1.0);
    /* Bad parameters. */
    CHECK_INT(wb_zipf_init(&a, 0, 1.0, 1, &e), -1);
    CHECK_CONTAINS(e.msg, "at least 1");
    CHECK_INT(wb_zipf_init(&a, 10, 0.0, 1, &e), -1);
    CHECK_CONTAINS(e.msg, "exponent");
    CHECK_INT(wb_zipf_init(&a, 10, NAN, 1, &e), -1);
}

static void test_row_text(void)
{
    const wb_workload *w = wb_workload_find("products");
    const char *sqlite_values[] = {"7", "x|y", NULL, "100"};
    const char *pg_values[] = {"7", "x|y", NULL, "100.00"};
    wb_buf a = WB_BUF_INIT, b = WB_BUF_INIT;
    wb_cache_row_text(&w->tables[0], sqlite_values, &a);
    wb_cache_row_text(&w->tables[0], pg_values, &b);
    CHECK_STR(wb_buf_str(&a), "1:73:x|y-6:100.00");
    CHECK_STR(wb_buf_str(&a), wb_buf_str(&b));
    wb_buf_free(&a);
    wb_buf_free(&b);
}

static void print_result(const wb_cache_study_result *r)
{
    printf("study %s rows=%lld s=%.2f capacity=%lld distinct=%lld\n", r->table, (long long)r->rows, r->zipf_s,
           (long long)r->capacity, (long long)r->distinct_keys);
    for (int p = 0; p < WB_CACHE_PATHS; p++)
        printf("  %-8s lookups=%lld hit_ratio=%.3f mean=%.2fus p50=%.2fus p95=%.2fus speedup=%.2f\n",
               r->paths[p].name, (long long)r->paths[p].lookups, r->paths[p].hit_ratio, r->paths[p].mean_us,
               r->paths[p].p50_us, r->paths[p].p95_us, r->paths[p].speedup);
    for (int i = 0; i < 2; i++)
        printf("  update pass invalidate=%d updates=%lld lookups=%lld hits=%lld stale=%lld\n",
               r->stale[i].invalidate, (long long)r->stale[i].updates, (long long)r->stale[i].lookups,
               (long long)r->stale[i].hits, (long long)r->stale[i].stale_reads);
}

static void study_on(const char *workload, int64_t rows)
{
    const wb_backend *be = &wb_sqlite_backend;
    const wb_workload *w = wb_workload_find(workload);
    wb_target target;
    wb_conn *c = NULL;
    wb_error e = {{0}};
    if (wb_target_parse("sqlite::memory:", false, &target, &e) != 0 || be->connect(&target, &c, &e) != 0 ||
        be->claim_namespace(c, true, &e) != 0) {
        fprintf(stderr, "cannot open an in-memory database: %s\n", e.msg);
        CHECK(0);
        be->disconnect(c);
        return;
    }
    CHECK_INT(wb_schema_reset(be, c, w, &e), 0);
    CHECK_INT(wb_schema_generate(be, c, w, rows, 1, &e), 0);

    wb_cache_study_options o;
    wb_cache_study_result r;
    wb_cache_study_options_default(&o);
    o.lookups = 2000;
    o.capacity = 20;
    o.update_share = 0.25;
    o.update_lookups = 1000;
    int rc = wb_cache_study(be, c, w, rows, &o, &r, &e);
    if (rc != 0)
        fprintf(stderr, "study: %s\n", e.msg);
    CHECK_INT(rc, 0);
    print_result(&r);
    CHECK_STR(r.table, w->tables[0].name);
    for (int p = 0; p < WB_CACHE_PATHS; p++) {
        CHECK_INT(r.paths[p].lookups, 2000);
        CHECK(r.paths[p].hit_ratio >= 0 && r.paths[p].hit_ratio <= 1);
        CHECK(r.paths[p].mean_us > 0 && r.paths[p].p50_us <= r.paths[p].p95_us);
        CHECK(r.paths[p].p95_us <= r.paths[p].p99_us);
    }
    const wb_cache_path_result *cached = &r.paths[WB_CACHE_PATH_CACHED];
    CHECK_INT(cached->hits + cached->misses, 2000);
    /* Every distinct key misses at least once. */
    CHECK(cached->misses >= r.distinct_keys);
    CHECK(cached->hit_ratio > 0.3); /* s = 1, 20 of 200 keys hold ~60% of the draws */
    CHECK(r.paths[WB_CACHE_PATH_PLAIN].speedup == 1.0);
    CHECK_INT(r.paths[WB_CACHE_PATH_PLAIN].misses, 2000);
    for (int i = 0; i < 2; i++) {
        CHECK_INT(r.stale[i].invalidate, i);
        CHECK_INT(r.stale[i].updates, 50);
        CHECK_INT(r.stale[i].lookups, 1000);
        CHECK(r.stale[i].hit_ratio >= 0 && r.stale[i].hit_ratio <= 1);
        CHECK(r.stale[i].stale_reads <= r.stale[i].hits);
    }
    CHECK(r.stale[0].stale_reads > 0);
    CHECK_INT(r.stale[1].stale_reads, 0);
    /* The study leaves the table at version 1: the loaded data verifies as before. */
    CHECK_INT(wb_schema_count(be, c, &w->tables[0], &e), rows);
    wb_cache_study_result again;
    CHECK_INT(wb_cache_study(be, c, w, rows, &o, &again, &e), 0);
    CHECK_INT(again.stale[0].stale_reads, r.stale[0].stale_reads); /* same seed, same counts */
    CHECK_INT(again.paths[WB_CACHE_PATH_CACHED].hits, cached->hits);

    /* Bad options fail with one clear line. */
    o.update_share = 0;
    CHECK_INT(wb_cache_study(be, c, w, rows, &o, &r, &e), -1);
    CHECK_CONTAINS(e.msg, "update share");
    wb_cache_study_options_default(&o);
    o.zipf_s = -1;
    CHECK_INT(wb_cache_study(be, c, w, rows, &o, &r, &e), -1);
    CHECK_CONTAINS(e.msg, "exponent");
    be->disconnect(c);
}

/* The hit ratio against capacity of a sequence worked out by hand: 1 2 1 3 1 2. */
static void test_capacity_curve(void)
{
    const int64_t keys[] = {1, 2, 1, 3, 1, 2};
    wb_cache_curve_point curve[WB_CACHE_CURVE_MAX];
    int n = wb_cache_capacity_curve(keys, 6, 3, 2, curve);
    /* capacities 1, 2 (also the study's own), 3 (= every distinct key) */
    CHECK_INT(n, 3);
    CHECK_INT(curve[0].capacity, 1);
    CHECK_INT(curve[0].hits, 0); /* every key differs from the one before it */
    CHECK_INT(curve[1].capacity, 2);
    CHECK_INT(curve[1].hits, 2); /* the 2nd and 3rd 1; 3 evicts 2, so the last 2 misses */
    CHECK_INT(curve[2].capacity, 3);
    CHECK_INT(curve[2].hits, 3); /* everything fits: only first lookups miss */
    CHECK(curve[2].hit_ratio == 0.5);
    /* a big sequence: capacities 1, 2, 5, 10, ... ascending, the ratio never falling */
    int64_t many[2000];
    for (int i = 0; i < 2000; i++)
        many[i] = 1 + (i * 7919) % 300;
    n = wb_cache_capacity_curve(many, 2000, 300, 30, curve);
    CHECK(n >= 8);
    for (int i = 1; i < n; i++) {
        CHECK(curve[i].capacity > curve[i - 1].capacity);
        CHECK(curve[i].hit_ratio >= curve[i - 1].hit_ratio);
    }
    CHECK_INT(curve[n - 1].capacity, 300);
}

int main(void)
{
    test_capacity_curve();
    test_lru_eviction_order();
    test_lru_capacity_one();
    test_lru_known_sequence();
    test_lru_against_model();
    test_zipf();
    test_row_text();
    study_on("products", 200);
    study_on("users", 200);
    return check_finish();
}

/* Unit tests of analysis/aggregate and analysis/output: groups built from
 * results made in memory, so every expected figure is known by construction
 * (the arithmetic is written next to each). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/aggregate.h"
#include "analysis/correlate.h"
#include "analysis/output.h"
#include "check.h"

#define CHECK_NEAR(a, b, tol)                                                                   \
    do {                                                                                        \
        double check_a_ = (a), check_b_ = (b);                                                  \
        if (fabs(check_a_ - check_b_) <= (tol)) {                                               \
            check_passed++;                                                                     \
        } else {                                                                                \
            check_failed++;                                                                     \
            fprintf(stderr, "%s:%d: %s ~ %s failed: %.12g vs %.12g (tolerance %g)\n", __FILE__, \
                    __LINE__, #a, #b, check_a_, check_b_, (double)(tol));                       \
        }                                                                                       \
    } while (0)

#define MAX_RESULTS 64
static wb_result results[MAX_RESULTS];
static int nresults;

/* Add one test result: rows/s follows from the duration (rows / duration). */
static wb_result *add(const char *strategy, const char *phase, int64_t rows, int64_t threads, double duration_s,
                      int64_t peak_rss_kb, int success)
{
    wb_result *r = &results[nresults++];
    wb_result_init(r);
    snprintf(r->run_id, sizeof r->run_id, "run-1");
    snprintf(r->strategy, sizeof r->strategy, "%s", strategy);
    snprintf(r->phase, sizeof r->phase, "%s", phase);
    snprintf(r->test, sizeof r->test, "%s-%s", strategy, phase);
    snprintf(r->backend, sizeof r->backend, "sqlite");
    snprintf(r->workload, sizeof r->workload, "products");
    r->rows = rows;
    r->threads = threads;
    r->repeat = 1;
    r->success = success;
    r->status = success ? WB_STATUS_OK : WB_STATUS_FAILED;
    if (success) {
        r->duration_s = duration_s;
        r->rows_per_s = (double)rows / duration_s;
        r->wal_bytes = 1000;
    }
    r->peak_rss_kb = peak_rss_kb;
    return r;
}

static const wb_group *find(const wb_group *g, int n, const char *strategy, const char *phase, int64_t rows,
                            int64_t threads)
{
    for (int i = 0; i < n; i++)
        if (strcmp(g[i].strategy, strategy) == 0 && strcmp(g[i].phase, phase) == 0 && g[i].rows == rows &&
            g[i].threads == threads)
            return &g[i];
    return NULL;
}

static void test_groups(void)
{
    nresults = 0;
    /* rows 100, insert: prepared 1.0 and 1.2 s; single 3.0 and 3.0 s (+ one failure) */
    add("prepared", "insert", 100, 1, 1.0, 1000, 1);
    add("single", "insert", 100, 1, 3.0, 3000, 1);
    add("prepared", "insert", 100, 1, 1.2, 1000, 1);
    add("single", "insert", 100, 1, 3.0, 3000, 1);
    add("single", "insert", 100, 1, NAN, 9999, 0);
    /* the same strategies at rows 1000: their own groups, their own comparison */
    add("prepared", "insert", 1000, 1, 10.0, 5000, 1);
    add("prepared", "insert", 1000, 1, 10.0, 5000, 1);
    /* the update pass at rows 100: its own comparable set */
    add("prepared", "update", 100, 1, 2.0, 2000, 1);
    /* threads 4 at rows 100: a group of its own, compared with the other rows-100 inserts */
    add("prepared", "insert", 100, 4, 2.0, 2000, 1);
    /* a group whose only test failed */
    add("broken", "insert", 100, 1, NAN, 100, 0);

    wb_group *g;
    int n;
    wb_error e;
    CHECK_INT(wb_aggregate(results, nresults, &g, &n, &e), 0);
    CHECK_INT(n, 6);

    const wb_group *p100 = find(g, n, "prepared", "insert", 100, 1);
    const wb_group *s100 = find(g, n, "single", "insert", 100, 1);
    const wb_group *p1000 = find(g, n, "prepared", "insert", 1000, 1);
    const wb_group *t4 = find(g, n, "prepared", "insert", 100, 4);
    const wb_group *upd = find(g, n, "prepared", "update", 100, 1);
    const wb_group *broken = find(g, n, "broken", "insert", 100, 1);
    CHECK(p100 && s100 && p1000 && t4 && upd && broken);
    if (!(p100 && s100 && p1000 && t4 && upd && broken)) {
        wb_groups_free(g, n);
        return;
    }
    /* sizes never mix: 2 tests at 100 rows, 2 at 1000 */
    CHECK_INT(p100->runs, 2);
    CHECK_INT(p1000->runs, 2);
    CHECK_STR(p100->test, "prepared-insert");

    /* prepared, 100: 1.0 and 1.2 -> mean 1.1, sd sqrt(0.02) = 0.141421356,
     * CI 1.1 -/+ 12.7062047362 * 0.141421356 / sqrt(2) = 1.1 -/+ 1.27062047: its
     * lower bound would be negative, so there is no interval, only a note */
    CHECK_NEAR(p100->mean_duration_s, 1.1, 1e-12);
    CHECK_NEAR(p100->sd_duration_s, sqrt(0.02), 1e-12);
    CHECK_NEAR(p100->median_duration_s, 1.1, 1e-12);
    CHECK_NEAR(p100->min_duration_s, 1.0, 0);
    CHECK_NEAR(p100->max_duration_s, 1.2, 0);
    CHECK(isnan(p100->ci95_low_s));
    CHECK(isnan(p100->ci95_high_s));
    CHECK_STR(p100->ci95_note, "too few runs");
    /* rows/s: 100/1.0 = 100 and 100/1.2 = 83.333 -> mean 91.6667 */
    CHECK_NEAR(p100->mean_rows_per_s, (100.0 + 100.0 / 1.2) / 2, 1e-9);
    CHECK_INT(p100->nsamples, 2);
    CHECK_NEAR(p100->durations_s[0], 1.0, 0); /* samples in input order */
    CHECK_NEAR(p100->durations_s[1], 1.2, 0);

    /* single, 100: 3 tests, 2 successful -> success rate 2/3; the failure's memory
     * (9999) and missing duration are not averaged in; sd 0 -> CI [3, 3] */
    CHECK_INT(s100->runs, 3);
    CHECK_NEAR(s100->success_rate, 2.0 / 3.0, 1e-12);
    CHECK_NEAR(s100->mean_duration_s, 3.0, 0);
    CHECK_NEAR(s100->sd_duration_s, 0.0, 0);
    CHECK_NEAR(s100->ci95_low_s, 3.0, 0);
    CHECK_NEAR(s100->mean_peak_rss_kb, 3000.0, 0);
    CHECK_INT(s100->max_peak_rss_kb, 3000);
    CHECK_NEAR(s100->mean_wal_bytes, 1000.0, 0);

    /* z within (products, sqlite, 100, insert): the groups with a known mean are
     * prepared/1 (1.1 s, 1000 KiB), single (3.0 s, 3000 KiB), prepared/4 (2.0 s, 2000 KiB).
     * Durations: mean 6.1/3 = 2.033333; deviations -0.933333, 0.966667, -0.033333;
     * population variance (0.871111 + 0.934444 + 0.001111) / 3 = 0.602222,
     * sd 0.776030; z = -1.202702, 1.245656, -0.042954.
     * Memory: 1000, 3000, 2000: mean 2000, population sd sqrt(2e6/3) = 816.4966;
     * z = -1.224745, 1.224745, 0. */
    double mean = 6.1 / 3, sd = sqrt((pow(1.1 - mean, 2) + pow(3.0 - mean, 2) + pow(2.0 - mean, 2)) / 3);
    CHECK_NEAR(p100->z_duration, (1.1 - mean) / sd, 1e-12);
    CHECK_NEAR(p100->z_duration, -1.202702, 1e-6);
    CHECK_NEAR(s100->z_duration, 1.245656, 1e-6);
    CHECK_NEAR(t4->z_duration, -0.042954, 1e-6);
    CHECK_NEAR(p100->z_memory, -1.224745, 1e-6);
    CHECK_NEAR(s100->z_memory, 1.224745, 1e-6);
    CHECK_NEAR(t4->z_memory, 0.0, 1e-12);
    /* alone in its comparable set (rows 1000; the update pass): z = 0 */
    CHECK_NEAR(p1000->z_duration, 0.0, 0);
    CHECK_NEAR(upd->z_memory, 0.0, 0);
    /* no successful test: figures unknown, z unknown, not part of the others' z */
    CHECK_INT(broken->runs, 1);
    CHECK_NEAR(broken->success_rate, 0.0, 0);
    CHECK(isnan(broken->mean_duration_s) && isnan(broken->z_duration) && isnan(broken->ci95_low_s));
    CHECK_INT(broken->max_peak_rss_kb, -1);
    CHECK_INT(broken->nsamples, 0);

    /* order: (products, sqlite) rows 100 insert first, fastest (rows/s) first:
     * prepared/1 (91.7 rows/s), prepared/4 (50), single (33.3), broken (unknown);
     * then rows 100 update, then rows 1000 */
    CHECK(&g[0] == p100 && &g[1] == t4 && &g[2] == s100 && &g[3] == broken);
    CHECK(&g[4] == upd && &g[5] == p1000);
    wb_groups_free(g, n);
}

static void test_outlier_column(void)
{
    nresults = 0;
    /* 1.00, 1.01, 0.99, 1.00, 5.00: median 1.00; |dev| 0, .01, .01, 0, 4 -> MAD 0.01;
     * modified z of 5.00 = 0.6745 * 4 / 0.01 = 269.8 > 3.5: one outlier. */
    const double d[] = {1.00, 1.01, 0.99, 1.00, 5.00};
    for (int i = 0; i < 5; i++)
        add("prepared", "insert", 100, 1, d[i], 1000, 1);
    wb_group *g;
    int n;
    CHECK_INT(wb_aggregate(results, nresults, &g, &n, NULL), 0);
    CHECK_INT(n, 1);
    CHECK_INT(g[0].outlier, 1);
    /* median of 0.99, 1.00, 1.00, 1.01, 5.00 = 1.00; mean 9/5 = 1.8 */
    CHECK_NEAR(g[0].median_duration_s, 1.0, 1e-12);
    CHECK_NEAR(g[0].mean_duration_s, 1.8, 1e-12);
    wb_groups_free(g, n);

    /* nothing at all: no groups, no error */
    CHECK_INT(wb_aggregate(results, 0, &g, &n, NULL), 0);
    CHECK_INT(n, 0);
    CHECK(g == NULL);
}

static void test_aggregate_table(void)
{
    nresults = 0;
    add("prepared", "insert", 100, 1, 1.0, 1000, 1);
    wb_result *r = add("prepared", "insert", 100, 1, 1.5, 1000, 1);
    (void)r;
    wb_group *g;
    int n;
    CHECK_INT(wb_aggregate(results, nresults, &g, &n, NULL), 0);
    wb_out_table *t = wb_aggregate_table(g, n);
    wb_buf out = WB_BUF_INIT;
    wb_error e;
    CHECK_INT(wb_out_table_write(t, WB_FORMAT_CSV, "groups", &out, &e), 0);
    /* docs/ARCHITECTURE.md, "Results files": exactly these columns, in this order */
    const char *header =
        "test,strategy,phase,backend,workload,rows,threads,batch,runs,success_rate,mean_duration_s,"
        "sd_duration_s,median_duration_s,min_duration_s,max_duration_s,ci95_low_s,ci95_high_s,"
        "mean_rows_per_s,mean_peak_rss_kb,max_peak_rss_kb,mean_wal_bytes,z_duration,z_memory,outlier,"
        "origin,language,verify,mean_verify_s,mean_process_s,ci95_note,settings,median_batch_p50_ms,"
        "median_batch_p95_ms,median_batch_p99_ms,max_batch_max_ms\n";
    CHECK(strncmp(wb_buf_str(&out), header, strlen(header)) == 0);
    /* batch unknown -> empty field; mean 1.25; rows/s (100 + 66.667)/2 = 83.3 */
    CHECK_CONTAINS(wb_buf_str(&out), "prepared-insert,prepared,insert,sqlite,products,100,1,,2,1.000,1.250000,");
    CHECK_CONTAINS(wb_buf_str(&out), ",83.3,1000.0,1000,1000.0,0.000,0.000,0,built-in,c,");
    wb_buf_reset(&out);
    CHECK_INT(wb_out_table_write(t, WB_FORMAT_JSON, "groups", &out, &e), 0);
    CHECK_CONTAINS(wb_buf_str(&out), "{\n  \"groups\": [\n    {\"test\": \"prepared-insert\"");
    CHECK_CONTAINS(wb_buf_str(&out), "\"batch\": null");
    CHECK_CONTAINS(wb_buf_str(&out), "\"mean_duration_s\": 1.25,");
    wb_buf_free(&out);
    wb_out_table_free(t);
    wb_groups_free(g, n);
}

/* Tests under other session settings are other tests: the settings are part of the
 * group key and the last column; the same settings pool. */
static void test_settings(void)
{
    nresults = 0;
    snprintf(add("prepared", "insert", 100, 1, 1.0, 1000, 1)->settings, sizeof results[0].settings,
             "synchronous_commit=on");
    snprintf(add("prepared", "insert", 100, 1, 3.0, 1000, 1)->settings, sizeof results[0].settings,
             "synchronous_commit=on");
    snprintf(add("prepared", "insert", 100, 1, 0.5, 1000, 1)->settings, sizeof results[0].settings,
             "synchronous_commit=off");
    add("prepared", "insert", 100, 1, 0.7, 1000, 1); /* no settings at all: a third group */
    wb_group *g;
    int n;
    CHECK_INT(wb_aggregate(results, nresults, &g, &n, NULL), 0);
    CHECK_INT(n, 3);
    int seen = 0;
    for (int i = 0; i < n; i++) {
        if (strcmp(g[i].settings, "synchronous_commit=on") == 0) {
            seen |= 1;
            CHECK_INT(g[i].runs, 2);
            CHECK(fabs(g[i].mean_duration_s - 2.0) < 1e-9);
        } else if (strcmp(g[i].settings, "synchronous_commit=off") == 0) {
            seen |= 2;
            CHECK_INT(g[i].runs, 1);
        } else if (g[i].settings[0] == '\0') {
            seen |= 4;
        }
    }
    CHECK_INT(seen, 7);
    wb_out_table *t = wb_aggregate_table(g, n);
    wb_buf out = WB_BUF_INIT;
    wb_error e;
    CHECK_INT(wb_out_table_write(t, WB_FORMAT_CSV, "groups", &out, &e), 0);
    CHECK_CONTAINS(wb_buf_str(&out), ",synchronous_commit=off,,,,\n");
    CHECK_CONTAINS(wb_buf_str(&out), ",synchronous_commit=on,,,,\n");
    wb_buf_free(&out);
    wb_out_table_free(t);
    wb_groups_free(g, n);
}

/* External programs: origin and language are carried into the group and its
 * columns, and a strategy name with two languages (two programs, in two runs)
 * is two groups, never one mean. */
static void test_origin(void)
{
    nresults = 0;
    add("prepared", "insert", 100, 1, 1.0, 1000, 1);
    wb_result *r = add("orm_add_all", "insert", 100, 1, 4.0, 30000, 1);
    r->external = 1;
    snprintf(r->language, sizeof r->language, "python");
    r = add("orm_add_all", "insert", 100, 1, 6.0, 32000, 1);
    r->external = 1;
    snprintf(r->language, sizeof r->language, "python");
    r = add("orm_add_all", "insert", 100, 1, 2.0, 8000, 1); /* another run's program of that name */
    r->external = 1;
    snprintf(r->language, sizeof r->language, "native");
    r = add("shelly", "insert", 100, 1, 8.0, 3000, 1); /* external, language left empty */
    r->external = 1;
    r->language[0] = '\0';
    wb_group *g;
    int n;
    CHECK_INT(wb_aggregate(results, nresults, &g, &n, NULL), 0);
    CHECK_INT(n, 4);
    const wb_group *python = NULL, *native = NULL, *builtin = NULL, *unknown = NULL;
    for (int i = 0; i < n; i++) {
        if (strcmp(g[i].strategy, "prepared") == 0)
            builtin = &g[i];
        else if (strcmp(g[i].strategy, "shelly") == 0)
            unknown = &g[i];
        else if (strcmp(g[i].language, "python") == 0)
            python = &g[i];
        else if (strcmp(g[i].language, "native") == 0)
            native = &g[i];
    }
    CHECK(python && native && builtin && unknown);
    if (python && native && builtin && unknown) {
        CHECK_INT(builtin->external, 0);
        CHECK_STR(builtin->language, "c");
        CHECK_INT(python->external, 1);
        CHECK_INT(python->runs, 2);
        CHECK_NEAR(python->mean_duration_s, 5.0, 1e-12); /* (4 + 6) / 2: the native run is not pooled in */
        CHECK_INT(native->runs, 1);
        CHECK_NEAR(native->mean_duration_s, 2.0, 0);
        CHECK_STR(unknown->language, "unknown");
        /* one comparable set: z-scores over all four, whatever their origin */
        CHECK(isfinite(python->z_duration) && isfinite(builtin->z_duration));
    }
    /* fastest first: prepared 100 rows/s, native 50, python (25 + 16.7) / 2, shelly 12.5 */
    CHECK(n == 4 && &g[0] == builtin && &g[1] == native && &g[2] == python && &g[3] == unknown);

    wb_out_table *t = wb_aggregate_table(g, n);
    wb_buf out = WB_BUF_INIT;
    wb_error e;
    CHECK_INT(wb_out_table_write(t, WB_FORMAT_CSV, "groups", &out, &e), 0);
    CHECK_CONTAINS(wb_buf_str(&out), "\nprepared-insert,prepared,insert,");
    CHECK_CONTAINS(wb_buf_str(&out), ",built-in,c,");
    CHECK_CONTAINS(wb_buf_str(&out), ",external,native,");
    CHECK_CONTAINS(wb_buf_str(&out), ",external,python,");
    CHECK_CONTAINS(wb_buf_str(&out), ",external,unknown,");
    wb_buf_reset(&out);
    CHECK_INT(wb_out_table_write(t, WB_FORMAT_JSON, "groups", &out, &e), 0);
    CHECK_CONTAINS(wb_buf_str(&out), "\"outlier\": 0, \"origin\": \"external\", \"language\": \"python\", \"verify\"");
    wb_buf_reset(&out);
    CHECK_INT(wb_out_table_write(t, WB_FORMAT_MARKDOWN, "groups", &out, &e), 0);
    CHECK_CONTAINS(wb_buf_str(&out), "| outlier | origin | language | verify |");
    CHECK_CONTAINS(wb_buf_str(&out), " | 0 | external | python |");
    wb_buf_reset(&out);
    CHECK_INT(wb_out_table_write(t, WB_FORMAT_TABLE, "groups", &out, &e), 0);
    CHECK_CONTAINS(wb_buf_str(&out), "  outlier  origin    language  verify");
    CHECK_CONTAINS(wb_buf_str(&out), "        0  external  python  ");
    wb_buf_free(&out);
    wb_out_table_free(t);
    wb_groups_free(g, n);

    /* the label people read */
    char label[64];
    wb_group_label("orm_add_all-insert", 1, "python", label, sizeof label);
    CHECK_STR(label, "orm_add_all-insert (python)");
    wb_group_label("prepared-insert", 0, "c", label, sizeof label);
    CHECK_STR(label, "prepared-insert");
}

static const wb_out_column demo_columns[] = {
    {"name", WB_COL_TEXT, 0, 10},
    {"count", WB_COL_INT, 0, 5},
    {"ratio", WB_COL_REAL, 2, 1},
};

static void test_output_formats(void)
{
    wb_out_table *t = wb_out_table_new(demo_columns, 3);
    wb_out_text(t, "a,b \"q\"");
    wb_out_int(t, 12);
    wb_out_real(t, 0.125);
    wb_out_text(t, "pipe|x");
    wb_out_int_or_unknown(t, -1);
    wb_out_real(t, NAN);
    CHECK_INT(wb_out_table_nrows(t), 2);
    wb_buf out = WB_BUF_INIT;
    wb_error e;

    CHECK_INT(wb_out_table_write(t, WB_FORMAT_CSV, "rows", &out, &e), 0);
    /* RFC 4180 quoting; 0.125 at 2 places is "0.12" or "0.13" by printf's rounding of
     * the binary value 0.125 exactly (round-half-even: 0.12); unknown = empty */
    CHECK_STR(wb_buf_str(&out), "name,count,ratio\n\"a,b \"\"q\"\"\",12,0.12\npipe|x,,\n");

    wb_buf_reset(&out);
    CHECK_INT(wb_out_table_write(t, WB_FORMAT_MARKDOWN, "rows", &out, &e), 0);
    CHECK_STR(wb_buf_str(&out), "| name | count | ratio |\n|---|---:|---:|\n| a,b \"q\" | 12 | 0.12 |\n"
                                "| pipe\\|x |  |  |\n");

    wb_buf_reset(&out);
    CHECK_INT(wb_out_table_write(t, WB_FORMAT_TABLE, "rows", &out, &e), 0);
    /* widths: name 7 (a , b space " q "), count 5, ratio 5; numbers right-aligned, unknown "-" */
    CHECK_STR(wb_buf_str(&out), "name     count  ratio\n"
                                "-------  -----  -----\n"
                                "a,b \"q\"     12   0.12\n"
                                "pipe|x       -      -\n");

    wb_buf_reset(&out);
    CHECK_INT(wb_out_table_write(t, WB_FORMAT_JSON, "rows", &out, &e), 0);
    CHECK_STR(wb_buf_str(&out), "{\n  \"rows\": [\n    {\"name\": \"a,b \\\"q\\\"\", \"count\": 12, \"ratio\": 0.125},\n"
                                "    {\"name\": \"pipe|x\", \"count\": null, \"ratio\": null}\n  ]\n}\n");

    /* cells for other renderers */
    wb_buf_reset(&out);
    wb_out_cell_text(t, 0, 2, &out);
    CHECK_STR(wb_buf_str(&out), "0.12");
    CHECK_NEAR(wb_out_cell_number(t, 0, 1), 12.0, 0);
    CHECK(isnan(wb_out_cell_number(t, 1, 2)));

    /* an incomplete row is refused */
    wb_out_text(t, "half");
    CHECK_INT(wb_out_table_write(t, WB_FORMAT_CSV, "rows", &out, &e), -1);
    CHECK_CONTAINS(e.msg, "incomplete");
    wb_out_table_free(t);

    /* an empty table: header only / empty array */
    t = wb_out_table_new(demo_columns, 3);
    wb_buf_reset(&out);
    CHECK_INT(wb_out_table_write(t, WB_FORMAT_JSON, "rows", &out, &e), 0);
    CHECK_STR(wb_buf_str(&out), "{\n  \"rows\": []\n}\n");
    wb_out_table_free(t);
    wb_buf_free(&out);

    wb_format f;
    CHECK_INT(wb_format_parse("markdown", &f, &e), 0);
    CHECK_INT(f, WB_FORMAT_MARKDOWN);
    CHECK_INT(wb_format_parse("xml", &f, &e), -1);
    CHECK_CONTAINS(e.msg, "'xml'");
    CHECK_CONTAINS(e.msg, "csv, table, markdown, json");
}

static void test_correlate(void)
{
    nresults = 0;
    /* duration 1,2,3,4 with peak RSS 10,20,30,40 (r = +1) and rows 100 each, so
     * rows/s = 100/d: 100, 50, 33.3, 25. A failed test is left out. */
    for (int i = 1; i <= 4; i++)
        add("prepared", "insert", 100, 1, (double)i, 10 * i, 1);
    add("prepared", "insert", 100, 1, NAN, 999, 0);
    wb_out_table *t = wb_correlate_table(results, nresults);
    CHECK_INT(wb_out_table_nrows(t), wb_correlate_nmeasures);
    CHECK_STR(wb_out_table_column(t, 1)->name, "duration_s");
    /* row 0 = duration_s; column of peak_rss_kb = 1 + its index (4) */
    CHECK_NEAR(wb_out_cell_number(t, 0, 1 + 4), 1.0, 1e-12);
    /* duration vs rows/s = 100/d, by hand: d 1..4 (mean 2.5), y 100, 50, 33.3333, 25
     * (mean 52.083333); dx -1.5, -0.5, 0.5, 1.5; dy 47.916667, -2.083333, -18.75, -27.083333;
     * sxy = -71.875 + 1.041667 - 9.375 - 40.625 = -120.833333; sxx = 5;
     * syy = 2296.0069 + 4.3403 + 351.5625 + 733.5069 = 3385.416667;
     * r = -120.833333 / sqrt(5 * 3385.416667) = -0.928743 */
    CHECK_NEAR(wb_out_cell_number(t, 0, 2), -0.928743, 1e-5);
    /* server_peak_rss_kb is unknown everywhere -> no coefficient; threads constant -> none */
    CHECK(isnan(wb_out_cell_number(t, 0, 1 + 5)));
    CHECK(isnan(wb_out_cell_number(t, 0, 1 + 9)));
    wb_out_table_free(t);
}

/* The batches' latencies: each percentile's median over the successful tests that
 * recorded batches, the largest max; a failed test's figures and a test without
 * batches do not count. */
static void test_batch_latency(void)
{
    nresults = 0;
    const double p50[] = {1.0, 3.0, 2.0}, p99[] = {10.0, 30.0, 20.0}, max[] = {50.0, 40.0, 300.0};
    for (int i = 0; i < 3; i++) {
        wb_result *r = add("batch-commit", "insert", 100, 1, 1.0, 1000, 1);
        r->batches = 10;
        r->batch_p50_ms = p50[i];
        r->batch_p95_ms = p50[i] * 2;
        r->batch_p99_ms = p99[i];
        r->batch_max_ms = max[i];
    }
    add("batch-commit", "insert", 100, 1, 1.0, 1000, 1); /* no batches recorded: unknown, skipped */
    wb_result *failed = add("batch-commit", "insert", 100, 1, 1.0, 1000, 0);
    failed->batch_max_ms = 9999.0;
    add("prepared", "insert", 100, 1, 1.0, 1000, 1); /* a group with none at all */
    wb_group *g;
    int n;
    CHECK_INT(wb_aggregate(results, nresults, &g, &n, NULL), 0);
    const wb_group *b = find(g, n, "batch-commit", "insert", 100, 1);
    const wb_group *p = find(g, n, "prepared", "insert", 100, 1);
    CHECK(b && p);
    if (b && p) {
        CHECK(b->median_batch_p50_ms == 2.0); /* median of 1, 3, 2 */
        CHECK(b->median_batch_p95_ms == 4.0); /* median of 2, 6, 4 */
        CHECK(b->median_batch_p99_ms == 20.0);
        CHECK(b->max_batch_max_ms == 300.0); /* not the failed test's 9999 */
        CHECK(isnan(p->median_batch_p50_ms) && isnan(p->max_batch_max_ms));
    }
    wb_groups_free(g, n);
}

int main(void)
{
    test_batch_latency();
    test_groups();
    test_outlier_column();
    test_aggregate_table();
    test_origin();
    test_settings();
    test_output_formats();
    test_correlate();
    return check_finish();
}

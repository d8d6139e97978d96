/* aggregate: grouping results and the per-group statistics (see aggregate.h;
 * docs/ANALYSIS.md states every formula). */
#include "analysis/aggregate.h"

#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/stats.h"
#include "util/buf.h"
#include "util/term.h"

/* The aggregate columns (docs/ARCHITECTURE.md, "Results files"), in order;
 * decimals as results.csv uses for the same units (seconds 6, rows/s 1),
 * z-scores 3; and the importance each has when `--format table` must fit a
 * terminal (the test is never left out: it names the row; strategy and phase
 * go first, the test holds them; then the spread's details). */
const wb_out_column wb_aggregate_columns[] = {
    {"test", WB_COL_TEXT, 0, WB_IMPORTANCE_ALWAYS},
    {"strategy", WB_COL_TEXT, 0, 1},
    {"phase", WB_COL_TEXT, 0, 1},
    {"backend", WB_COL_TEXT, 0, 5},
    {"workload", WB_COL_TEXT, 0, 5},
    {"rows", WB_COL_INT, 0, 8},
    {"threads", WB_COL_INT, 0, 6},
    {"batch", WB_COL_INT, 0, 6},
    {"runs", WB_COL_INT, 0, 7},
    {"success_rate", WB_COL_REAL, 3, 6},
    {"mean_duration_s", WB_COL_REAL, 6, 9},
    {"sd_duration_s", WB_COL_REAL, 6, 4},
    {"median_duration_s", WB_COL_REAL, 6, 3},
    {"min_duration_s", WB_COL_REAL, 6, 2},
    {"max_duration_s", WB_COL_REAL, 6, 2},
    {"ci95_low_s", WB_COL_REAL, 6, 5},
    {"ci95_high_s", WB_COL_REAL, 6, 5},
    {"mean_rows_per_s", WB_COL_REAL, 1, 9},
    {"mean_peak_rss_kb", WB_COL_REAL, 1, 6},
    {"max_peak_rss_kb", WB_COL_INT, 0, 2},
    {"mean_wal_bytes", WB_COL_REAL, 1, 3},
    {"z_duration", WB_COL_REAL, 3, 4},
    {"z_memory", WB_COL_REAL, 3, 4},
    {"outlier", WB_COL_INT, 0, 4},
    /* appended after the contract's 24: built-in (C, inside writebench) or an external program */
    {"origin", WB_COL_TEXT, 0, 2},
    {"language", WB_COL_TEXT, 0, 5},
    /* appended with results format 2 */
    {"verify", WB_COL_TEXT, 0, 4},
    {"mean_verify_s", WB_COL_REAL, 6, 2},
    {"mean_process_s", WB_COL_REAL, 6, 3},
    {"ci95_note", WB_COL_TEXT, 0, 4},
    /* appended with the settings scan: the group's session settings (--set, --pragma) */
    {"settings", WB_COL_TEXT, 0, 5},
    /* appended with the batches' latencies: the median over the group's tests of each
     * test's percentile, and the largest batch of all */
    {"median_batch_p50_ms", WB_COL_REAL, 3, 3},
    {"median_batch_p95_ms", WB_COL_REAL, 3, 2},
    {"median_batch_p99_ms", WB_COL_REAL, 3, 3},
    {"max_batch_max_ms", WB_COL_REAL, 3, 2},
};

const int wb_aggregate_ncolumns = (int)(sizeof wb_aggregate_columns / sizeof *wb_aggregate_columns);

static int cmp_i64(int64_t a, int64_t b)
{
    return (a > b) - (a < b);
}

/* The grouping key: (strategy, phase, backend, workload, rows, threads, batch,
 * verify, settings), with the strategy's origin and language (see aggregate.h). */
static int compare_key(const wb_result *a, const wb_result *b)
{
    int c;
    if ((c = strcmp(a->workload, b->workload)) || (c = strcmp(a->backend, b->backend)) ||
        (c = cmp_i64(a->rows, b->rows)) || (c = strcmp(a->phase, b->phase)) ||
        (c = strcmp(a->strategy, b->strategy)) || (c = cmp_i64(a->external, b->external)) ||
        (c = strcmp(wb_result_language(a), wb_result_language(b))) || (c = cmp_i64(a->threads, b->threads)) ||
        (c = cmp_i64(a->batch, b->batch)) || (c = strcmp(a->verify, b->verify)) ||
        (c = strcmp(a->settings, b->settings)))
        return c;
    return 0;
}

void wb_group_label(const char *name, int external, const char *language, char *out, size_t n)
{
    if (external)
        snprintf(out, n, "%s (%s)", name, language);
    else
        snprintf(out, n, "%s", name);
}

typedef struct sort_item {
    const wb_result *r;
    int index; /* input order: keeps equal keys (the samples) in file order */
} sort_item;

static int compare_items(const void *pa, const void *pb)
{
    const sort_item *a = pa, *b = pb;
    int c = compare_key(a->r, b->r);
    return c ? c : (a->index > b->index) - (a->index < b->index);
}

/* An int64 figure as a double sample (-1 = unknown = NAN). */
static double known(int64_t v)
{
    return v < 0 ? NAN : (double)v;
}

/* The batch latency figures of g from its successful tests (g->samples): the median
 * of each percentile over the tests that recorded batches, the largest max; NAN none. */
static void batch_latencies(wb_group *g)
{
    double *values = wb_xmalloc((size_t)(g->nsamples ? g->nsamples : 1) * sizeof *values);
    const size_t offsets[] = {offsetof(wb_result, batch_p50_ms), offsetof(wb_result, batch_p95_ms),
                              offsetof(wb_result, batch_p99_ms)};
    double *medians[] = {&g->median_batch_p50_ms, &g->median_batch_p95_ms, &g->median_batch_p99_ms};
    for (int k = 0; k < 3; k++) {
        int n = 0;
        for (int i = 0; i < g->nsamples; i++) {
            double v;
            memcpy(&v, (const char *)g->samples[i] + offsets[k], sizeof v);
            if (!isnan(v))
                values[n++] = v;
        }
        *medians[k] = n > 0 ? wb_median(values, n) : NAN;
    }
    g->max_batch_max_ms = NAN;
    for (int i = 0; i < g->nsamples; i++) {
        double v = g->samples[i]->batch_max_ms;
        if (!isnan(v) && (isnan(g->max_batch_max_ms) || v > g->max_batch_max_ms))
            g->max_batch_max_ms = v;
    }
    free(values);
}

/* Fill g's statistics from its items[0..n) (one key). */
static void fill_group(wb_group *g, const sort_item *items, int n)
{
    const wb_result *first = items[0].r;
    snprintf(g->test, sizeof g->test, "%s-%s", first->strategy, first->phase);
    snprintf(g->strategy, sizeof g->strategy, "%s", first->strategy);
    snprintf(g->phase, sizeof g->phase, "%s", first->phase);
    snprintf(g->backend, sizeof g->backend, "%s", first->backend);
    snprintf(g->workload, sizeof g->workload, "%s", first->workload);
    g->rows = first->rows;
    g->threads = first->threads;
    g->batch = first->batch;
    g->external = first->external;
    snprintf(g->language, sizeof g->language, "%s", wb_result_language(first));
    snprintf(g->io, sizeof g->io, "%s", first->io[0] ? first->io : "sync");
    snprintf(g->verify, sizeof g->verify, "%s", first->verify);
    snprintf(g->settings, sizeof g->settings, "%s", first->settings);
    g->runs = n;

    int ok = 0;
    for (int i = 0; i < n; i++)
        ok += items[i].r->success != 0;
    g->successes = g->nsamples = ok;
    g->success_rate = (double)ok / (double)n;
    g->durations_s = wb_xmalloc((size_t)(ok ? ok : 1) * sizeof *g->durations_s);
    g->rows_per_s = wb_xmalloc((size_t)(ok ? ok : 1) * sizeof *g->rows_per_s);
    g->peak_rss_kb = wb_xmalloc((size_t)(ok ? ok : 1) * sizeof *g->peak_rss_kb);
    g->samples = wb_xmalloc((size_t)(ok ? ok : 1) * sizeof *g->samples);

    /* Figures of successful tests only: a failed test measured a failure. */
    wb_stats duration, rate, rss, server_rss, wal, share, cpu_user, cpu_sys, verify, process, client;
    wb_stats *all[] = {&duration, &rate,    &rss,    &server_rss, &wal,   &share,
                       &cpu_user, &cpu_sys, &verify, &process,    &client};
    for (size_t k = 0; k < sizeof all / sizeof *all; k++)
        wb_stats_init(all[k]);
    double *known_durations = wb_xmalloc((size_t)(ok ? ok : 1) * sizeof *known_durations);
    int nknown = 0;
    int64_t max_rss = -1;
    int s = 0;
    for (int i = 0; i < n; i++) {
        const wb_result *r = items[i].r;
        if (!r->success)
            continue;
        g->samples[s] = r;
        g->durations_s[s] = r->duration_s;
        g->rows_per_s[s] = r->rows_per_s;
        g->peak_rss_kb[s] = r->peak_rss_kb;
        s++;
        wb_stats_add(&duration, r->duration_s);
        if (!isnan(r->duration_s))
            known_durations[nknown++] = r->duration_s;
        wb_stats_add(&rate, r->rows_per_s);
        wb_stats_add(&rss, known(r->peak_rss_kb));
        wb_stats_add(&server_rss, known(r->server_peak_rss_kb));
        wb_stats_add(&wal, known(r->wal_bytes));
        wb_stats_add(&share, r->server_share);
        wb_stats_add(&cpu_user, r->cpu_user_s);
        wb_stats_add(&cpu_sys, r->cpu_sys_s);
        wb_stats_add(&verify, r->verify_s);
        wb_stats_add(&process, r->process_s);
        wb_stats_add(&client, r->client_share);
        if (r->peak_rss_kb > max_rss)
            max_rss = r->peak_rss_kb;
    }
    g->mean_duration_s = wb_stats_mean(&duration);
    g->sd_duration_s = wb_stats_sd(&duration);
    g->median_duration_s = wb_median(known_durations, nknown);
    g->min_duration_s = wb_stats_min(&duration);
    g->max_duration_s = wb_stats_max(&duration);
    wb_stats_ci95(&duration, &g->ci95_low_s, &g->ci95_high_s);
    /* An interval reaching below zero says the runs are too few to bound the mean,
     * not that a duration could be negative: no interval then, and a note. */
    g->ci95_note = "";
    if (ok < 2) {
        g->ci95_note = ok == 1 ? "single run" : "no successful run";
    } else if (!isnan(g->ci95_low_s) && g->ci95_low_s < 0) {
        g->ci95_low_s = g->ci95_high_s = NAN;
        g->ci95_note = "too few runs";
    }
    g->outlier = wb_count_outliers(known_durations, nknown);
    free(known_durations);
    g->mean_rows_per_s = wb_stats_mean(&rate);
    g->sd_rows_per_s = wb_stats_sd(&rate);
    g->mean_peak_rss_kb = wb_stats_mean(&rss);
    g->max_peak_rss_kb = max_rss;
    g->mean_wal_bytes = wb_stats_mean(&wal);
    g->mean_server_share = wb_stats_mean(&share);
    g->mean_server_peak_rss_kb = wb_stats_mean(&server_rss);
    g->mean_cpu_user_s = wb_stats_mean(&cpu_user);
    g->mean_cpu_sys_s = wb_stats_mean(&cpu_sys);
    g->mean_verify_s = wb_stats_mean(&verify);
    g->mean_process_s = wb_stats_mean(&process);
    g->mean_client_share = wb_stats_mean(&client);
    batch_latencies(g);
    g->z_duration = g->z_memory = NAN;
}

/* Groups compare with the others of the same (workload, backend, rows, phase). */
static int comparable(const wb_group *a, const wb_group *b)
{
    return strcmp(a->workload, b->workload) == 0 && strcmp(a->backend, b->backend) == 0 && a->rows == b->rows &&
           strcmp(a->phase, b->phase) == 0 && strcmp(a->verify, b->verify) == 0;
}

/* Output order: comparable groups together, fastest first (unknown last). */
static int compare_groups(const void *pa, const void *pb)
{
    const wb_group *a = pa, *b = pb;
    int c;
    if ((c = strcmp(a->workload, b->workload)) || (c = strcmp(a->backend, b->backend)) ||
        (c = cmp_i64(a->rows, b->rows)) || (c = strcmp(a->phase, b->phase)) || (c = strcmp(a->verify, b->verify)))
        return c;
    int a_known = !isnan(a->mean_rows_per_s), b_known = !isnan(b->mean_rows_per_s);
    if (a_known != b_known)
        return b_known - a_known;
    if (a_known && a->mean_rows_per_s != b->mean_rows_per_s)
        return a->mean_rows_per_s > b->mean_rows_per_s ? -1 : 1;
    if ((c = strcmp(a->strategy, b->strategy)) || (c = cmp_i64(a->external, b->external)) ||
        (c = strcmp(a->language, b->language)) || (c = cmp_i64(a->threads, b->threads)) ||
        (c = cmp_i64(a->batch, b->batch)) || (c = strcmp(a->settings, b->settings)))
        return c;
    return 0;
}

/* z-scores of one figure over groups[0..n) (one comparable set): (x - mean) / sd
 * with the population sd (divisor n) of the known values, as scipy.stats.zscore.
 * One known value, or no spread at all, gives 0: nothing stands out. */
static void z_scores(wb_group *groups, int n, size_t value_offset, size_t z_offset)
{
    wb_stats s;
    wb_stats_init(&s);
    for (int i = 0; i < n; i++) {
        double v;
        memcpy(&v, (const char *)&groups[i] + value_offset, sizeof v);
        wb_stats_add(&s, v);
    }
    double sd = s.n > 0 ? sqrt(s.m2 / (double)s.n) : NAN;
    for (int i = 0; i < n; i++) {
        double v, z;
        memcpy(&v, (const char *)&groups[i] + value_offset, sizeof v);
        if (isnan(v))
            z = NAN;
        else if (!(sd > 0.0))
            z = 0.0;
        else
            z = (v - s.mean) / sd;
        memcpy((char *)&groups[i] + z_offset, &z, sizeof z);
    }
}

int wb_aggregate(const wb_result *rows, int n, wb_group **out, int *ngroups, wb_error *e)
{
    *out = NULL;
    *ngroups = 0;
    if (n < 0)
        return wb_fail(e, "aggregate: negative number of results");
    if (n == 0)
        return 0;
    sort_item *items = wb_xmalloc((size_t)n * sizeof *items);
    for (int i = 0; i < n; i++) {
        items[i].r = &rows[i];
        items[i].index = i;
    }
    qsort(items, (size_t)n, sizeof *items, compare_items);
    int count = 0;
    for (int i = 0; i < n; i++)
        count += i == 0 || compare_key(items[i - 1].r, items[i].r) != 0;
    wb_group *groups = wb_xcalloc((size_t)count, sizeof *groups);
    int g = 0;
    for (int start = 0; start < n;) {
        int end = start + 1;
        while (end < n && compare_key(items[start].r, items[end].r) == 0)
            end++;
        fill_group(&groups[g++], items + start, end - start);
        start = end;
    }
    free(items);
    qsort(groups, (size_t)count, sizeof *groups, compare_groups);
    for (int start = 0; start < count;) {
        int end = start + 1;
        while (end < count && comparable(&groups[start], &groups[end]))
            end++;
        z_scores(groups + start, end - start, offsetof(wb_group, mean_duration_s), offsetof(wb_group, z_duration));
        z_scores(groups + start, end - start, offsetof(wb_group, mean_peak_rss_kb), offsetof(wb_group, z_memory));
        start = end;
    }
    *out = groups;
    *ngroups = count;
    return 0;
}

void wb_groups_free(wb_group *groups, int ngroups)
{
    if (!groups)
        return;
    for (int i = 0; i < ngroups; i++) {
        free(groups[i].durations_s);
        free(groups[i].rows_per_s);
        free(groups[i].peak_rss_kb);
        free((void *)groups[i].samples);
    }
    free(groups);
}

wb_out_table *wb_aggregate_table(const wb_group *groups, int ngroups)
{
    wb_out_table *t = wb_out_table_new(wb_aggregate_columns, wb_aggregate_ncolumns);
    for (int i = 0; i < ngroups; i++) {
        const wb_group *g = &groups[i];
        wb_out_text(t, g->test);
        wb_out_text(t, g->strategy);
        wb_out_text(t, g->phase);
        wb_out_text(t, g->backend);
        wb_out_text(t, g->workload);
        wb_out_int_or_unknown(t, g->rows);
        wb_out_int_or_unknown(t, g->threads);
        wb_out_int_or_unknown(t, g->batch);
        wb_out_int(t, g->runs);
        wb_out_real(t, g->success_rate);
        wb_out_real(t, g->mean_duration_s);
        wb_out_real(t, g->sd_duration_s);
        wb_out_real(t, g->median_duration_s);
        wb_out_real(t, g->min_duration_s);
        wb_out_real(t, g->max_duration_s);
        wb_out_real(t, g->ci95_low_s);
        wb_out_real(t, g->ci95_high_s);
        wb_out_real(t, g->mean_rows_per_s);
        wb_out_real(t, g->mean_peak_rss_kb);
        wb_out_int_or_unknown(t, g->max_peak_rss_kb);
        wb_out_real(t, g->mean_wal_bytes);
        wb_out_real(t, g->z_duration);
        wb_out_real(t, g->z_memory);
        wb_out_int(t, g->outlier);
        wb_out_text(t, wb_origin_name(g->external));
        wb_out_text(t, g->language);
        wb_out_text(t, g->verify);
        wb_out_real(t, g->mean_verify_s);
        wb_out_real(t, g->mean_process_s);
        wb_out_text(t, g->ci95_note[0] ? g->ci95_note : NULL); /* no note: unknown, like an empty figure */
        wb_out_text(t, g->settings[0] ? g->settings : NULL);    /* none: empty */
        wb_out_real(t, g->median_batch_p50_ms);
        wb_out_real(t, g->median_batch_p95_ms);
        wb_out_real(t, g->median_batch_p99_ms);
        wb_out_real(t, g->max_batch_max_ms);
    }
    return t;
}

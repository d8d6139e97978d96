/* Advice (see advice.h; docs/ANALYSIS.md, "advice"): the needs table, choosing
 * the fastest verified strategy and its runner-up of each comparable set, and
 * saying which needs were not measured. The sets are findings' (findings.c,
 * wb_findings_same_set_fields), so advice never compares groups of different
 * sizes, threads, settings or checks. */
#include "analysis/advice.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/aggregate.h"
#include "analysis/findings_internal.h"
#include "strategies/strategy.h"
#include "util/format.h"

/* The needs: what each is called, the pass it is measured in, whether each batch
 * size is its own question, and what to run when the runs lack it. */
static const struct need {
    const char *id;
    const char *short_id;
    const char *title;
    const char *phase;
    int per_batch;       /* one answer per --batch value, among strategies that honour it */
    const char *missing; /* why it was not measured, and the options that measure it */
} needs[WB_NEED_COUNT] = {
    [WB_NEED_BULK_LOAD] = {"bulk-load", "load", "one-off bulk load", "insert", 0,
                           "no insert pass was verified (run any insert strategy, e.g. --strategies all)"},
    [WB_NEED_BATCHES] = {"batches", "batches", "steady batches of B rows", "insert", 1,
                         "no strategy that honours --batch was verified on the insert pass (e.g. --strategies "
                         "batch-commit,values-multirow --batch 100,1000)"},
    [WB_NEED_UPSERT] = {"insert-or-update", "upsert", "insert-or-update", "update", 0,
                        "no update pass was verified (run upsert strategies, e.g. --strategies "
                        "on-conflict,on-conflict-batch,bulk-update)"},
};

const char *wb_need_id(wb_need n)
{
    return needs[n].id;
}

const char *wb_need_short_id(wb_need n)
{
    return needs[n].short_id;
}

const char *wb_need_title(wb_need n)
{
    return needs[n].title;
}

const char *wb_need_phase(wb_need n)
{
    return needs[n].phase;
}

/* A group advice may name: a way of writing rows (no reference, no test-only
 * strategy), measured in this phase. */
static int advisable(const wb_group *g, const char *phase)
{
    return strcmp(g->phase, phase) == 0 && !wb_findings_is_reference(g) &&
           (g->external || !(wb_strategy_flags_of(g->strategy) & WB_STRAT_TEST_ONLY));
}

/* Every test of the group verified, with a known duration. */
static int verified(const wb_group *g)
{
    return g->runs > 0 && g->successes == g->runs && wb_findings_usable(g);
}

/* Mean of a per-test int64 figure (-1 unknown) over the group's successful tests; NAN when none known. */
static double mean_known(const wb_group *g, size_t offset)
{
    double sum = 0;
    int n = 0;
    for (int i = 0; i < g->nsamples; i++) {
        int64_t v;
        memcpy(&v, (const char *)g->samples[i] + offset, sizeof v);
        if (v >= 0) {
            sum += (double)v;
            n++;
        }
    }
    return n ? sum / n : NAN;
}

static void set_pick(wb_advice_pick *p, const wb_group *g)
{
    snprintf(p->strategy, sizeof p->strategy, "%s", g->strategy);
    p->external = g->external;
    snprintf(p->language, sizeof p->language, "%s", g->language);
    p->batch = g->batch;
    p->tests = g->nsamples;
    p->mean_duration_s = g->mean_duration_s;
    p->rows_per_s = g->mean_rows_per_s;
    /* rows/s is rows x tables / duration: the duration's interval, inverted */
    double work = g->mean_rows_per_s * g->mean_duration_s;
    int interval = g->nsamples > 1 && g->ci95_low_s > 0 && isfinite(g->ci95_high_s);
    p->rows_per_s_low = interval ? work / g->ci95_high_s : NAN;
    p->rows_per_s_high = interval ? work / g->ci95_low_s : NAN;
    p->peak_rss_kb = g->mean_peak_rss_kb;
    p->server_peak_rss_kb = g->mean_server_peak_rss_kb;
    p->wal_bytes = g->mean_wal_bytes;
    p->commits = mean_known(g, offsetof(wb_result, commits));
    p->db_bytes = mean_known(g, offsetof(wb_result, db_bytes));
}

static wb_advice *new_item(wb_advice_set *a, wb_need need, const wb_group *g)
{
    if (a->n == a->cap) {
        a->cap = a->cap ? 2 * a->cap : 8;
        a->items = wb_xrealloc(a->items, (size_t)a->cap * sizeof *a->items);
    }
    wb_advice *x = &a->items[a->n++];
    memset(x, 0, sizeof *x);
    x->need = need;
    snprintf(x->workload, sizeof x->workload, "%s", g->workload);
    snprintf(x->backend, sizeof x->backend, "%s", g->backend);
    snprintf(x->verify, sizeof x->verify, "%s", g->verify);
    snprintf(x->settings, sizeof x->settings, "%s", g->settings);
    x->rows = g->rows;
    x->threads = g->threads;
    x->batch = -1;
    return x;
}

/* The advice for need in rep's set, among groups of batch `batch` (any when -1). */
static void choose(wb_advice_set *a, wb_need need, const wb_group *groups, int ngroups, const wb_group *rep,
                   int64_t batch)
{
    const wb_group *best = NULL, *second = NULL;
    int candidates = 0, left_out = 0;
    for (int i = 0; i < ngroups; i++) {
        const wb_group *g = &groups[i];
        if (!advisable(g, needs[need].phase) || !wb_findings_same_set_fields(g, rep, 0) ||
            (batch >= 0 && g->batch != batch))
            continue;
        if (!verified(g)) {
            left_out++;
            continue;
        }
        candidates++;
        if (!best || g->mean_duration_s < best->mean_duration_s) {
            second = best;
            best = g;
        } else if (!second || g->mean_duration_s < second->mean_duration_s) {
            second = g;
        }
    }
    if (!best && !left_out)
        return;
    wb_advice *x = new_item(a, need, rep);
    x->batch = batch;
    x->candidates = candidates;
    x->left_out = left_out;
    if ((x->has_best = best != NULL))
        set_pick(&x->best, best);
    else
        snprintf(x->why, sizeof x->why, "every strategy measured here failed a test (%d), so none is advised",
                 left_out);
    if ((x->has_runner_up = second != NULL))
        set_pick(&x->runner_up, second);
}

/* The largest rows of the groups of (workload, backend) advisable in phase; -1 none. */
static int64_t largest_rows(const wb_group *groups, int ngroups, const wb_group *wb, const char *phase)
{
    int64_t rows = -1;
    for (int i = 0; i < ngroups; i++) {
        const wb_group *g = &groups[i];
        if (advisable(g, phase) && strcmp(g->workload, wb->workload) == 0 && strcmp(g->backend, wb->backend) == 0 &&
            g->rows > rows)
            rows = g->rows;
    }
    return rows;
}

/* Whether group i is the first of its set (loose 0) among the groups before it
 * that pass `keep` (advisable in phase, at rows). */
static int first_of_set(const wb_group *groups, int i, const char *phase, int64_t rows)
{
    for (int j = 0; j < i; j++)
        if (advisable(&groups[j], phase) && groups[j].rows == rows &&
            wb_findings_same_set_fields(&groups[j], &groups[i], 0))
            return 0;
    return 1;
}

/* Every batch size of the set's groups that honour --batch, ascending, into out; how many. */
static int batches_of_set(const wb_group *groups, int ngroups, const wb_group *rep, const char *phase, int64_t *out)
{
    int n = 0;
    for (int i = 0; i < ngroups; i++) {
        const wb_group *g = &groups[i];
        if (!advisable(g, phase) || g->batch < 0 || !wb_findings_same_set_fields(g, rep, 0))
            continue;
        int k = 0;
        while (k < n && out[k] < g->batch)
            k++;
        if (k < n && out[k] == g->batch)
            continue;
        memmove(out + k + 1, out + k, (size_t)(n - k) * sizeof *out);
        out[k] = g->batch;
        n++;
    }
    return n;
}

/* The advice of need for the (workload, backend) of group wb. */
static void advise_need(wb_advice_set *a, wb_need need, const wb_group *groups, int ngroups, const wb_group *wb)
{
    const char *phase = needs[need].phase;
    int before = a->n;
    int64_t rows = largest_rows(groups, ngroups, wb, phase);
    int64_t *batches = wb_xmalloc(((size_t)ngroups + 1) * sizeof *batches);
    for (int i = 0; i < ngroups && rows >= 0; i++) {
        const wb_group *g = &groups[i];
        if (!advisable(g, phase) || g->rows != rows || strcmp(g->workload, wb->workload) != 0 ||
            strcmp(g->backend, wb->backend) != 0 || !first_of_set(groups, i, phase, rows))
            continue;
        if (!needs[need].per_batch) {
            choose(a, need, groups, ngroups, g, -1);
            continue;
        }
        int nbatches = batches_of_set(groups, ngroups, g, phase, batches);
        for (int b = 0; b < nbatches; b++)
            choose(a, need, groups, ngroups, g, batches[b]);
    }
    free(batches);
    if (a->n == before) {
        wb_advice *x = new_item(a, need, wb);
        x->rows = x->threads = -1;
        x->verify[0] = x->settings[0] = '\0';
        snprintf(x->why, sizeof x->why, "%s", needs[need].missing);
    }
}

int wb_advice_compute(const wb_result *results, int n, wb_advice_set *out, wb_error *e)
{
    wb_advice_set empty = WB_ADVICE_SET_INIT;
    *out = empty;
    wb_group *groups = NULL;
    int ngroups = 0;
    if (wb_aggregate(results, n, &groups, &ngroups, e) != 0)
        return -1;
    for (int i = 0; i < ngroups; i++) {
        int seen = 0; /* each (workload, backend) once, in the groups' order */
        for (int j = 0; j < i && !seen; j++)
            seen = strcmp(groups[j].workload, groups[i].workload) == 0 &&
                   strcmp(groups[j].backend, groups[i].backend) == 0;
        if (seen)
            continue;
        for (int need = 0; need < WB_NEED_COUNT; need++)
            advise_need(out, (wb_need)need, groups, ngroups, &groups[i]);
    }
    wb_groups_free(groups, ngroups);
    return 0;
}

void wb_advice_free(wb_advice_set *a)
{
    free(a->items);
    wb_advice_set empty = WB_ADVICE_SET_INIT;
    *a = empty;
}

/* ---- text ---------------------------------------------------------------------------- */

void wb_advice_set_title(const wb_advice *a, wb_buf *out)
{
    wb_buf_printf(out, "%s on %s", a->workload, a->backend);
    if (a->rows >= 0) {
        char rows[32];
        wb_format_count(rows, sizeof rows, a->rows);
        wb_buf_printf(out, ", %s rows, %lld thread%s", rows, (long long)a->threads, a->threads == 1 ? "" : "s");
    }
    if (a->batch >= 0) {
        char batch[32];
        wb_format_count(batch, sizeof batch, a->batch);
        wb_buf_printf(out, ", batches of %s rows", batch);
    }
    if (a->settings[0])
        wb_buf_printf(out, ", settings %s", a->settings);
    if (a->verify[0] && strcmp(a->verify, "values") != 0)
        wb_buf_printf(out, ", checked by %s only", a->verify);
}

/* "1.2 MiB" from bytes; "-" unknown. */
static void format_bytes(char *out, size_t n, double bytes)
{
    wb_format_kib(out, n, isfinite(bytes) ? (int64_t)(bytes / 1024.0 + 0.5) : -1);
}

void wb_advice_pick_text(const wb_advice_pick *p, wb_buf *out)
{
    char num[64], low[64], high[64];
    wb_buf_puts(out, p->strategy);
    if (p->external)
        wb_buf_printf(out, " (%s)", p->language);
    if (p->batch >= 0) {
        wb_format_count(num, sizeof num, p->batch);
        wb_buf_printf(out, " (batch %s)", num);
    }
    wb_format_count(num, sizeof num, (int64_t)(p->rows_per_s + 0.5));
    wb_buf_printf(out, ": %s rows/s", num);
    if (isfinite(p->rows_per_s_low)) {
        wb_format_count(low, sizeof low, (int64_t)(p->rows_per_s_low + 0.5));
        wb_format_count(high, sizeof high, (int64_t)(p->rows_per_s_high + 0.5));
        wb_buf_printf(out, " (95%% interval %s..%s, %d tests)", low, high, p->tests);
    } else {
        wb_buf_puts(out, " (single run)");
    }
    if (isfinite(p->peak_rss_kb)) {
        wb_format_kib(num, sizeof num, (int64_t)(p->peak_rss_kb + 0.5));
        wb_buf_printf(out, ", client peak %s", num);
    }
    if (isfinite(p->wal_bytes)) {
        format_bytes(num, sizeof num, p->wal_bytes);
        wb_buf_printf(out, ", WAL %s", num);
    }
    if (isfinite(p->commits)) {
        wb_format_count(num, sizeof num, (int64_t)(p->commits + 0.5));
        wb_buf_printf(out, ", %s commit%s", num, (int64_t)(p->commits + 0.5) == 1 ? "" : "s");
    }
    if (isfinite(p->db_bytes)) {
        format_bytes(num, sizeof num, p->db_bytes);
        wb_buf_printf(out, ", database +%s", num);
    }
    if (isfinite(p->server_peak_rss_kb)) {
        wb_format_kib(num, sizeof num, (int64_t)(p->server_peak_rss_kb + 0.5));
        wb_buf_printf(out, ", server peak %s", num);
    }
}

void wb_advice_item_text(const wb_advice *x, wb_buf *out)
{
    wb_buf_printf(out, "%s: ", wb_need_title(x->need));
    wb_advice_set_title(x, out);
    wb_buf_puts(out, "\n");
    if (!x->has_best) {
        wb_buf_printf(out, "  not measured: %s\n", x->why);
        return;
    }
    wb_buf_puts(out, "  use        ");
    wb_advice_pick_text(&x->best, out);
    wb_buf_puts(out, "\n  runner-up  ");
    if (x->has_runner_up)
        wb_advice_pick_text(&x->runner_up, out);
    else
        wb_buf_puts(out, "none: it was the only verified strategy here");
    wb_buf_puts(out, "\n");
    if (x->left_out)
        wb_buf_printf(out, "  left out: %d strateg%s with a failed test\n", x->left_out,
                      x->left_out == 1 ? "y" : "ies");
}

void wb_advice_text(const wb_advice_set *a, wb_buf *out)
{
    if (!a->n)
        wb_buf_puts(out, "No advice: the runs hold no test.\n");
    for (int i = 0; i < a->n; i++) {
        wb_buf_puts(out, i ? "\n" : "");
        wb_advice_item_text(&a->items[i], out);
    }
}

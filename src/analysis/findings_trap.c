/* The traps of the findings (findings.c has the table that names them): a
 * strategy whose time grows faster than N over a rows scan, one that failed
 * verification, an external program whose time is mostly start-up.
 * docs/ANALYSIS.md, "findings". */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/findings_internal.h"
#include "util/format.h"

/* The error a failed verification is recorded with starts so (the runner's
 * words, runner/db_executor.c); any other failure is the strategy's own error. */
#define VERIFICATION_FAILED "verification failed"
/* The verifier names the first wrong or missing row so: "(first: key 17". */
#define FIRST_KEY "first: key "
/* Hostile rows are the keys k with k % 10 == 7 (docs/WORKLOADS.md, "Hostile rows"). */
#define HOSTILE_MODULUS 10
#define HOSTILE_REMAINDER 7

/* "replace (update pass, batch 1,000)", "orm_add_all (python, insert pass)": a
 * trap names its strategy with the pass, which a trap's heading does not. */
static void trap_label(const char *strategy, int external, const char *language, const char *phase, int64_t batch,
                       char *out, size_t n)
{
    char b[48] = "";
    if (batch >= 0) {
        char count[32];
        wb_format_count(count, sizeof count, batch);
        snprintf(b, sizeof b, ", batch %s", count);
    }
    snprintf(out, n, "%s (%s%s%s pass%s)", strategy, external ? language : "", external ? ", " : "", phase, b);
}

/* A series along rows whose fitted exponent k (time ~ N^k, the slope of ln
 * duration on ln rows) is above WB_FINDINGS_SUPERLINEAR_EXPONENT. */
void wb_findings_trap_superlinear(wb_findings_ctx *c, const char *id, const char *text, int order)
{
    int *idx = wb_xmalloc((size_t)(c->ngroups + 1) * sizeof *idx);
    double *x = wb_xmalloc((size_t)(c->ngroups + 1) * sizeof *x);
    double *y = wb_xmalloc((size_t)(c->ngroups + 1) * sizeof *y);
    for (int i = 0; i < c->ngroups; i++) {
        const wb_group *g = &c->groups[i];
        if (!wb_findings_usable(g))
            continue;
        int n = wb_findings_series_of(c, g, WB_AXIS_ROWS, idx);
        if (n < 2 || idx[0] != i)
            continue;
        for (int k = 0; k < n; k++) {
            x[k] = log((double)c->groups[idx[k]].rows);
            y[k] = log(c->groups[idx[k]].mean_duration_s);
        }
        double exponent = wb_findings_slope(x, y, n);
        if (!(exponent > WB_FINDINGS_SUPERLINEAR_EXPONENT))
            continue;
        const wb_group *hi = &c->groups[idx[n - 1]];
        wb_finding *f = wb_findings_new_finding(c, 1, order, id, text);
        wb_findings_set_context(f, g, WB_AXIS_ROWS);
        wb_findings_set_ends(f, hi, g);
        for (int k = 0; k < n; k++)
            wb_findings_add_tests(f, &c->groups[idx[k]]);
        wb_ratio_of_means(g->durations_s, g->nsamples, hi->durations_s, hi->nsamples, &f->ratio);
        f->exponent = exponent;
        char label[192], from[32], to[32], rows_factor[32], time_factor[32];
        trap_label(g->strategy, g->external, g->language, g->phase, g->batch, label, sizeof label);
        wb_format_count(from, sizeof from, g->rows);
        wb_format_count(to, sizeof to, hi->rows);
        wb_findings_format_factor(rows_factor, sizeof rows_factor, (double)hi->rows / (double)g->rows);
        wb_findings_format_factor(time_factor, sizeof time_factor, f->ratio.ratio);
        wb_buf t = WB_BUF_INIT;
        wb_buf_printf(&t,
                      "%s: its time grows as N^%.2f from %s to %s rows (%s the rows took %s the time); "
                      "its rows/s falls as N grows: never extrapolate it to a larger N",
                      label, exponent, from, to, rows_factor, time_factor);
        wb_findings_set_statement(f, &t);
    }
    free(idx);
    free(x);
    free(y);
}

/* The same program in the same workload, backend and phase. */
static int same_failure_key(const wb_result *a, const wb_result *b)
{
    return strcmp(a->workload, b->workload) == 0 && strcmp(a->backend, b->backend) == 0 &&
           strcmp(a->phase, b->phase) == 0 && strcmp(a->strategy, b->strategy) == 0 && a->external == b->external &&
           strcmp(wb_result_language(a), wb_result_language(b)) == 0;
}

static int failed_verification(const wb_result *r)
{
    return !r->success && r->status == WB_STATUS_FAILED &&
           strncmp(r->error, VERIFICATION_FAILED, strlen(VERIFICATION_FAILED)) == 0;
}

/* Append at most max bytes of text, cut at a character boundary, line breaks as spaces. */
static void append_cut(wb_buf *out, const char *text, size_t max)
{
    size_t len = strlen(text);
    if (len > max) {
        len = max;
        while (len > 0 && ((unsigned char)text[len] & 0xC0) == 0x80)
            len--;
    }
    for (size_t i = 0; i < len; i++)
        wb_buf_putc(out, (unsigned char)text[i] < 0x20 ? ' ' : text[i]);
    if (len < strlen(text))
        wb_buf_puts(out, "...");
}

/* Per program and phase: the tests that failed verification, with the first one's
 * error and whether its first wrong key is a hostile row. */
void wb_findings_trap_failed_verification(wb_findings_ctx *c, const char *id, const char *text, int order)
{
    /* the failed tests first (few), so that finding each program's first failure is
     * not a pass over every result for every result */
    int *failures = wb_xmalloc((size_t)(c->nresults + 1) * sizeof *failures);
    int nfailures = 0;
    for (int i = 0; i < c->nresults; i++)
        if (failed_verification(&c->results[i]))
            failures[nfailures++] = i;
    for (int k = 0; k < nfailures; k++) {
        const wb_result *r = &c->results[failures[k]];
        int first = 1;
        for (int j = 0; j < k && first; j++)
            first = !same_failure_key(&c->results[failures[j]], r);
        if (!first)
            continue;
        wb_finding *f = wb_findings_new_finding(c, 1, order, id, text);
        snprintf(f->workload, sizeof f->workload, "%s", r->workload);
        snprintf(f->backend, sizeof f->backend, "%s", r->backend);
        snprintf(f->phase, sizeof f->phase, "%s", r->phase);
        snprintf(f->verify, sizeof f->verify, "%s", r->verify);
        f->rows = r->rows;
        f->threads = r->threads;
        int failed = 0, total = 0;
        for (int j = 0; j < c->nresults; j++) {
            const wb_result *s = &c->results[j];
            if (!same_failure_key(s, r) || s->status == WB_STATUS_SKIPPED)
                continue;
            total++;
            if (failed_verification(s)) {
                failed++;
                wb_findings_add_test(f, s);
            }
        }
        f->has_b = 1;
        snprintf(f->b.label, sizeof f->b.label, "%s%s%s%s", r->strategy, r->external ? " (" : "",
                 r->external ? wb_result_language(r) : "", r->external ? ")" : "");
        snprintf(f->b.test, sizeof f->b.test, "%s", r->test);
        snprintf(f->b.strategy, sizeof f->b.strategy, "%s", r->strategy);
        f->b.external = r->external;
        snprintf(f->b.language, sizeof f->b.language, "%s", wb_result_language(r));
        f->b.rows = r->rows;
        f->b.threads = r->threads;
        f->b.batch = r->batch;
        f->b.n = 0;
        f->b.mean_duration_s = f->b.mean_peak_rss_kb = NAN;
        wb_buf t = WB_BUF_INIT;
        char label[192];
        trap_label(r->strategy, r->external, wb_result_language(r), r->phase, r->batch, label, sizeof label);
        wb_buf_printf(&t, "%s failed verification in %d of %d test%s: ", label, failed, total,
                      total == 1 ? "" : "s");
        const char *detail = r->error + strlen(VERIFICATION_FAILED);
        while (*detail == ':' || *detail == ' ')
            detail++;
        append_cut(&t, detail, 400);
        const char *at = strstr(r->error, FIRST_KEY);
        if (at) {
            long long key = strtoll(at + strlen(FIRST_KEY), NULL, 10);
            if (key % HOSTILE_MODULUS == HOSTILE_REMAINDER)
                wb_buf_printf(&t, ". Key %lld is a hostile row (k %% 10 == 7: NULLs, empty strings, quotes, "
                                  "backslashes, tabs, newlines, carriage returns, multi-byte UTF-8): its writing "
                                  "mishandles one of those values",
                              key);
            else
                wb_buf_printf(&t, ". Key %lld is an ordinary row (not a hostile one)", key);
        }
        wb_findings_set_statement(f, &t);
    }
    free(failures);
}

/* External programs whose time is mostly start-up: the share of process_s
 * outside the program's own timed region when it reports one; otherwise, over
 * a rows scan, the fixed cost of a straight line through its times. */
void wb_findings_trap_startup(wb_findings_ctx *c, const char *id, const char *text, int order)
{
    int *idx = wb_xmalloc((size_t)(c->ngroups + 1) * sizeof *idx);
    double *x = wb_xmalloc((size_t)(c->ngroups + 1) * sizeof *x);
    double *y = wb_xmalloc((size_t)(c->ngroups + 1) * sizeof *y);
    for (int i = 0; i < c->ngroups; i++) {
        const wb_group *g = &c->groups[i];
        if (!wb_findings_usable(g) || !g->external || !(g->mean_process_s > 0))
            continue;
        int n = wb_findings_series_of(c, g, WB_AXIS_ROWS, idx);
        if (idx[n - 1] != i)
            continue; /* once per series: at its largest N */
        double share = NAN, fixed_s = NAN;
        int reported = g->mean_process_s > g->mean_duration_s * (1.0 + 1e-6);
        if (reported) {
            share = 1.0 - g->mean_duration_s / g->mean_process_s;
        } else if (n >= 2) {
            for (int k = 0; k < n; k++) {
                x[k] = (double)c->groups[idx[k]].rows;
                y[k] = c->groups[idx[k]].mean_duration_s;
            }
            double b = wb_findings_slope(x, y, n), mx = 0, my = 0;
            for (int k = 0; k < n; k++) {
                mx += x[k];
                my += y[k];
            }
            fixed_s = my / n - b * (mx / n); /* the line's value at N = 0 */
            if (fixed_s > 0)
                share = fixed_s / g->mean_duration_s;
        }
        if (!(share > WB_FINDINGS_STARTUP_SHARE))
            continue;
        wb_finding *f = wb_findings_new_finding(c, 1, order, id, text);
        wb_findings_set_context(f, g, reported ? WB_AXIS_NONE : WB_AXIS_ROWS);
        wb_findings_set_ends(f, NULL, g);
        f->startup_share = share;
        char label[192], rows[32];
        trap_label(g->strategy, g->external, g->language, g->phase, g->batch, label, sizeof label);
        wb_format_count(rows, sizeof rows, g->rows);
        wb_buf t = WB_BUF_INIT;
        if (reported) {
            wb_findings_add_tests(f, g);
            wb_buf_printf(&t,
                          "%s: %.0f%% of its process time is start-up, imports and connecting (%.3f s of "
                          "%.3f s at %s rows; process_s against its own timed region, duration_s): measure it at a "
                          "larger N, where the writing dominates",
                          label, share * 100.0, g->mean_process_s - g->mean_duration_s,
                          g->mean_process_s, rows);
        } else {
            for (int k = 0; k < n; k++)
                wb_findings_add_tests(f, &c->groups[idx[k]]);
            wb_buf_printf(&t,
                          "%s: about %.3f s of every test is a fixed cost (start-up, imports, connecting), "
                          "%.0f%% of its time at %s rows (a straight line through its times over the rows "
                          "scan); it does not report its own timed region (docs/EXTERNAL.md), so its rows/s "
                          "includes that cost",
                          label, fixed_s, share * 100.0, rows);
        }
        wb_findings_set_statement(f, &t);
    }
    free(idx);
    free(x);
    free(y);
}


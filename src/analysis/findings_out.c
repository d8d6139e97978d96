/* The findings written out: for a person (wrapped to the terminal, grouped by
 * comparable set, traps last) and as findings.json (docs/FORMATS.md,
 * "findings.json"). See findings.h. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/findings.h"
#include "util/format.h"
#include "util/fs.h"
#include "util/json.h"
#include "util/term.h"

/* The verdict column of the text: "within noise" and a space. */
#define VERDICT_WIDTH 13
#define FINDING_INDENT 4
/* How many run ids a finding names before "and N more". */
#define RUNS_NAMED 3

void wb_findings_set_title(const wb_finding *f, wb_buf *out)
{
    wb_buf_printf(out, "%s on %s, %s pass", f->workload, f->backend, f->phase);
    char rows[32];
    wb_format_count(rows, sizeof rows, f->rows);
    if (f->axis == WB_AXIS_SIZE) {
        wb_buf_puts(out, ", at different sizes");
    } else {
        if (f->rows >= 0)
            wb_buf_printf(out, ", %s rows", rows);
        else
            wb_buf_puts(out, ", over a rows scan");
        if (f->threads >= 0)
            wb_buf_printf(out, ", %lld thread%s", (long long)f->threads, f->threads == 1 ? "" : "s");
        else
            wb_buf_puts(out, ", over a threads scan");
        if (f->axis == WB_AXIS_BATCH)
            wb_buf_puts(out, ", over a batch scan");
    }
    if (strcmp(f->verify, "count") == 0)
        wb_buf_puts(out, ", counted");
}

/* A distinct name among a finding's tests: where it first appears, how often. */
typedef struct name_count {
    const char *name;
    int first;
    int count;
} name_count;

static int by_name_then_index(const void *pa, const void *pb)
{
    const name_count *a = pa, *b = pb;
    int c = strcmp(a->name, b->name);
    return c ? c : a->first - b->first;
}

static int by_first(const void *pa, const void *pb)
{
    const name_count *a = pa, *b = pb;
    return a->first - b->first;
}

/* The distinct test names (run ids when runs) of f's tests, in the order they
 * first appear, with their counts, into a new array; returns how many. Sorting
 * keeps it O(n log n): a finding over a thousand runs rests on tens of
 * thousands of tests. */
static int distinct_names(const wb_finding *f, int runs, name_count **out)
{
    name_count *x = wb_xmalloc((size_t)(f->ntests + 1) * sizeof *x);
    for (int i = 0; i < f->ntests; i++)
        x[i] = (name_count){runs ? f->tests[i].run_id : f->tests[i].test, i, 1};
    qsort(x, (size_t)f->ntests, sizeof *x, by_name_then_index);
    int n = 0;
    for (int i = 0; i < f->ntests; i++) {
        if (n > 0 && strcmp(x[n - 1].name, x[i].name) == 0)
            x[n - 1].count++;
        else
            x[n++] = x[i]; /* the first of its name: the lowest index */
    }
    qsort(x, (size_t)n, sizeof *x, by_first);
    *out = x;
    return n;
}

void wb_findings_rests_on(const wb_findings *all, const wb_finding *f, wb_buf *out)
{
    name_count *tests = NULL;
    int ntests = distinct_names(f, 0, &tests);
    for (int i = 0; i < ntests; i++) {
        char count[32];
        wb_format_count(count, sizeof count, tests[i].count);
        wb_buf_printf(out, "%s%s (%s test%s)", i ? ", " : "", tests[i].name, count, tests[i].count == 1 ? "" : "s");
    }
    free(tests);
    if (all->nruns > 1) {
        name_count *runs = NULL;
        int nruns = distinct_names(f, 1, &runs);
        for (int i = 0; i < nruns && i < RUNS_NAMED; i++)
            wb_buf_printf(out, "%s%s", i ? ", " : nruns == 1 ? " in run " : " in runs ", runs[i].name);
        if (nruns > RUNS_NAMED)
            wb_buf_printf(out, " and %d more", nruns - RUNS_NAMED);
        free(runs);
    }
}

/* One finding: its verdict in a column, then its claim, what the runs show and
 * the tests it rests on, wrapped under the text. */
static void text_finding(const wb_findings *all, const wb_finding *f, int width, wb_buf *out)
{
    wb_buf text = WB_BUF_INIT;
    if (f->trap)
        wb_buf_printf(&text, "%s. ", f->statement);
    else
        wb_buf_printf(&text, "%s: %s. ", f->claim, f->statement);
    wb_buf_puts(&text, "Rests on ");
    wb_findings_rests_on(all, f, &text);
    wb_buf_putc(&text, '.');
    wb_buf_printf(out, "%*s%-*s", FINDING_INDENT, "", VERDICT_WIDTH, wb_finding_verdict_name(f->verdict));
    wb_term_wrap(out, wb_buf_str(&text), FINDING_INDENT + VERDICT_WIDTH, FINDING_INDENT + VERDICT_WIDTH, width);
    wb_buf_free(&text);
}

void wb_findings_text(const wb_findings *f, int width, wb_buf *out)
{
    wb_buf head = WB_BUF_INIT;
    if (f->nruns == 1)
        wb_buf_printf(&head, "findings of run %s", f->runs[0]);
    else
        wb_buf_printf(&head, "findings of %d runs", f->nruns);
    wb_buf_puts(&head, " (ratios of mean durations, with a 95% interval when there are repeats; the rule: "
                       "docs/ANALYSIS.md, \"findings\"):");
    wb_term_wrap(out, wb_buf_str(&head), 0, 2, width);
    wb_buf_free(&head);
    wb_buf title = WB_BUF_INIT, last = WB_BUF_INIT;
    for (int i = 0; i < f->n; i++) {
        const wb_finding *x = &f->items[i];
        wb_buf_reset(&title);
        if (x->trap)
            wb_buf_printf(&title, "traps, %s on %s", x->workload, x->backend);
        else
            wb_findings_set_title(x, &title);
        if (i == 0 || strcmp(wb_buf_str(&title), wb_buf_str(&last)) != 0) {
            wb_buf_puts(out, "  ");
            wb_buf_puts(out, wb_buf_str(&title));
            wb_buf_puts(out, ":\n");
            wb_buf_reset(&last);
            wb_buf_puts(&last, wb_buf_str(&title));
        }
        text_finding(f, x, width, out);
    }
    wb_buf_free(&title);
    wb_buf_free(&last);
    if (f->n == 0)
        wb_buf_puts(out, "  none: no claim had what it needs in these results, and no trap was seen\n");
    if (f->nunchecked) {
        wb_buf text = WB_BUF_INIT;
        wb_buf_puts(&text, "not checked (a side did not run, or a scan is missing):");
        for (int i = 0; i < f->nunchecked; i++) {
            const wb_claim *c = f->unchecked[i];
            wb_buf_printf(&text, " %s", c->id);
            if (*wb_claim_hint(c))
                wb_buf_printf(&text, " (%s)", wb_claim_hint(c));
            wb_buf_putc(&text, i + 1 < f->nunchecked ? ',' : '.');
        }
        wb_buf_puts(out, "  ");
        wb_term_wrap(out, wb_buf_str(&text), 2, 4, width);
        wb_buf_free(&text);
    }
}

/* ---- findings.json ------------------------------------------------------------------ */

static void key(wb_buf *out, const char *name)
{
    wb_json_string_str(out, name);
    wb_buf_puts(out, ": ");
}

static void json_end(wb_buf *out, const wb_finding_end *e)
{
    wb_buf_puts(out, "{");
    key(out, "label");
    wb_json_string_str(out, e->label);
    wb_buf_puts(out, ", ");
    key(out, "test");
    wb_json_string_str(out, e->test);
    wb_buf_puts(out, ", ");
    key(out, "strategy");
    wb_json_string_str(out, e->strategy);
    wb_buf_puts(out, ", ");
    key(out, "origin");
    wb_json_string_str(out, e->external ? "external" : "built-in");
    wb_buf_puts(out, ", ");
    key(out, "language");
    wb_json_string_str(out, e->language);
    wb_buf_puts(out, ", ");
    key(out, "rows");
    wb_json_int64_or_null(out, e->rows);
    wb_buf_puts(out, ", ");
    key(out, "threads");
    wb_json_int64_or_null(out, e->threads);
    wb_buf_puts(out, ", ");
    key(out, "batch");
    wb_json_int64_or_null(out, e->batch);
    wb_buf_puts(out, ", ");
    key(out, "n");
    wb_json_int64(out, e->n);
    wb_buf_puts(out, ", ");
    key(out, "mean_duration_s");
    wb_json_double(out, e->mean_duration_s);
    wb_buf_puts(out, ", ");
    key(out, "mean_peak_rss_kb");
    wb_json_double(out, e->mean_peak_rss_kb);
    wb_buf_puts(out, "}");
}

/* A text field, then ", ". */
static void field_text(wb_buf *out, const char *name, const char *value)
{
    key(out, name);
    wb_json_string_str(out, value);
    wb_buf_puts(out, ", ");
}

static void field_double(wb_buf *out, const char *name, double value)
{
    key(out, name);
    wb_json_double(out, value);
    wb_buf_puts(out, ", ");
}

static void field_int(wb_buf *out, const char *name, int64_t value)
{
    key(out, name);
    wb_json_int64_or_null(out, value);
    wb_buf_puts(out, ", ");
}

static void json_finding(wb_buf *out, const wb_finding *f)
{
    wb_buf_puts(out, "    {");
    field_text(out, "id", f->id);
    field_text(out, "kind", f->trap ? "trap" : "claim");
    field_text(out, "claim", f->claim);
    field_text(out, "side_a", f->side_a);
    field_text(out, "side_b", f->side_b);
    field_text(out, "measure", f->measure);
    field_text(out, "verdict", wb_finding_verdict_name(f->verdict));
    field_text(out, "statement", f->statement);
    field_text(out, "ratio_of", f->ratio_of);
    field_double(out, "ratio", f->ratio.ratio);
    field_double(out, "ci95_low", f->ratio.low);
    field_double(out, "ci95_high", f->ratio.high);
    field_double(out, "df", isfinite(f->ratio.df) ? f->ratio.df : NAN);
    key(out, "single_run");
    if (isnan(f->ratio.ratio))
        wb_buf_puts(out, "null");
    else
        wb_json_bool(out, f->ratio.single_run);
    wb_buf_puts(out, ",\n     ");
    field_text(out, "workload", f->workload);
    field_text(out, "backend", f->backend);
    field_text(out, "phase", f->phase);
    field_text(out, "verify", f->verify);
    field_int(out, "rows", f->rows);
    field_int(out, "threads", f->threads);
    field_text(out, "axis", wb_axis_name(f->axis));
    key(out, "a");
    if (f->has_a)
        json_end(out, &f->a);
    else
        wb_buf_puts(out, "null");
    wb_buf_puts(out, ",\n     ");
    key(out, "b");
    if (f->has_b)
        json_end(out, &f->b);
    else
        wb_buf_puts(out, "null");
    wb_buf_puts(out, ",\n     ");
    field_double(out, "exponent", f->exponent);
    field_int(out, "plateau_batch", f->plateau_batch);
    field_double(out, "per_connection", f->per_connection);
    field_int(out, "lock_waits", f->lock_waits);
    field_double(out, "lock_wait_s", f->lock_wait_s);
    field_double(out, "startup_share", f->startup_share);
    key(out, "tests");
    wb_buf_puts(out, "[");
    for (int i = 0; i < f->ntests; i++) {
        wb_buf_puts(out, i ? ", {" : "{");
        field_text(out, "run_id", f->tests[i].run_id);
        field_text(out, "test", f->tests[i].test);
        key(out, "repeat");
        wb_json_int64(out, f->tests[i].repeat);
        wb_buf_puts(out, "}");
    }
    wb_buf_puts(out, "]}");
}

void wb_findings_json(const wb_findings *f, wb_buf *out)
{
    wb_buf_puts(out, "{\n  ");
    field_text(out, "format", "writebench-findings");
    key(out, "format_version");
    wb_json_int64(out, WB_FINDINGS_FORMAT_VERSION);
    wb_buf_puts(out, ",\n  ");
    key(out, "runs");
    wb_buf_puts(out, "[");
    for (int i = 0; i < f->nruns; i++) {
        if (i)
            wb_buf_puts(out, ", ");
        wb_json_string_str(out, f->runs[i]);
    }
    wb_buf_puts(out, "],\n  ");
    key(out, "rule");
    wb_buf_puts(out, "{");
    field_double(out, "noise_band", WB_RATIO_NOISE_BAND);
    field_double(out, "single_run_band", WB_RATIO_SINGLE_RUN_BAND);
    field_double(out, "superlinear_exponent", WB_FINDINGS_SUPERLINEAR_EXPONENT);
    field_double(out, "startup_share", WB_FINDINGS_STARTUP_SHARE);
    key(out, "plateau_band");
    wb_json_double(out, WB_FINDINGS_PLATEAU_BAND);
    wb_buf_puts(out, "},\n  ");
    key(out, "findings");
    wb_buf_puts(out, "[");
    for (int i = 0; i < f->n; i++) {
        wb_buf_puts(out, i ? ",\n" : "\n");
        json_finding(out, &f->items[i]);
    }
    wb_buf_puts(out, f->n ? "\n  ],\n  " : "],\n  ");
    key(out, "not_checked");
    wb_buf_puts(out, "[");
    for (int i = 0; i < f->nunchecked; i++) {
        const wb_claim *c = f->unchecked[i];
        wb_buf_puts(out, i ? ",\n    {" : "\n    {");
        field_text(out, "id", c->id);
        field_text(out, "claim", c->claim);
        field_text(out, "measure", wb_claim_measure(c));
        key(out, "needs");
        wb_json_string_str(out, wb_claim_needs(c));
        wb_buf_puts(out, "}");
    }
    wb_buf_puts(out, f->nunchecked ? "\n  ]\n}\n" : "]\n}\n");
}

int wb_findings_write(const wb_findings *f, const char *dir, wb_error *e)
{
    char path[4200];
    snprintf(path, sizeof path, "%s/%s", dir, WB_FINDINGS_FILE_NAME);
    wb_buf json = WB_BUF_INIT;
    wb_findings_json(f, &json);
    int rc = wb_fs_write_file_atomic(path, json.data, json.len, e);
    wb_buf_free(&json);
    return rc;
}

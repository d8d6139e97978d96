/* compare: two runs or run sets side by side per test, with Welch's t-test
 * deciding which differences are larger than the noise (see compare.h). */
#include "analysis/compare.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/stats.h"
#include "util/term.h"

static const char *const verdict_names[] = {
    [WB_VERDICT_WITHIN_NOISE] = "within noise",
    [WB_VERDICT_SLOWER] = "slower",
    [WB_VERDICT_FASTER] = "faster",
    [WB_VERDICT_NOT_JUDGED] = "not judged",
    [WB_VERDICT_ONLY_A] = "only in A",
    [WB_VERDICT_ONLY_B] = "only in B",
};

const char *wb_compare_verdict_name(wb_compare_verdict v)
{
    return (int)v >= 0 && (size_t)v < sizeof verdict_names / sizeof *verdict_names ? verdict_names[v] : "unknown";
}

/* Whether two groups are the same test at the same size: aggregate's group key,
 * origin and language included (a strategy rewritten in another language is
 * another program: listed on each side, not judged as a speed change), but not
 * how it was verified: the same test checked differently is paired, and then
 * refused a verdict (see judge). */
static int same_test(const wb_group *x, const wb_group *y)
{
    return strcmp(x->strategy, y->strategy) == 0 && strcmp(x->phase, y->phase) == 0 &&
           strcmp(x->backend, y->backend) == 0 && strcmp(x->workload, y->workload) == 0 && x->rows == y->rows &&
           x->threads == y->threads && x->batch == y->batch && x->external == y->external &&
           strcmp(x->language, y->language) == 0 && strcmp(x->settings, y->settings) == 0;
}

/* The group's known durations, accumulated (a successful test whose duration is
 * unknown has nothing to say about speed). */
static wb_stats duration_stats(const wb_group *g)
{
    wb_stats s;
    wb_stats_init(&s);
    for (int i = 0; i < g->nsamples; i++)
        wb_stats_add(&s, g->durations_s[i]);
    return s;
}

/* Fill the figures and the verdict of a row that is on both sides. */
static void judge(wb_compare_row *r)
{
    wb_stats sa = duration_stats(r->a), sb = duration_stats(r->b);
    r->n_a = (int)sa.n;
    r->n_b = (int)sb.n;
    r->mean_a_s = wb_stats_mean(&sa);
    r->mean_b_s = wb_stats_mean(&sb);
    r->rows_per_s_a = r->a->mean_rows_per_s;
    r->rows_per_s_b = r->b->mean_rows_per_s;
    r->ratio = r->mean_a_s > 0 && isfinite(r->mean_b_s) ? r->mean_b_s / r->mean_a_s : NAN;
    r->change_pct = isfinite(r->ratio) ? (r->ratio - 1.0) * 100.0 : NAN;
    r->p = NAN;
    /* A count-only check passes rows a value check fails: their times are not one test's. */
    if (strcmp(r->a->verify, r->b->verify) != 0) {
        r->verdict = WB_VERDICT_NOT_JUDGED;
        snprintf(r->method, sizeof r->method, "verify %s vs %s", r->a->verify, r->b->verify);
        return;
    }
    /* One observation says nothing about the noise: refuse to judge rather than guess. */
    wb_welch w;
    if (sa.n < 2 || sb.n < 2 || wb_welch_stats(&sa, &sb, &w) != 0 || isnan(w.p)) {
        r->verdict = WB_VERDICT_NOT_JUDGED;
        snprintf(r->method, sizeof r->method, "n<2");
        return;
    }
    r->p = w.p;
    if (w.p >= WB_COMPARE_ALPHA)
        r->verdict = WB_VERDICT_WITHIN_NOISE;
    else
        r->verdict = r->mean_b_s > r->mean_a_s ? WB_VERDICT_SLOWER : WB_VERDICT_FASTER;
    /* Three decimals are what a reader can use; below that only "very small" matters. */
    if (w.p < 0.001)
        snprintf(r->method, sizeof r->method, "welch p<0.001");
    else
        snprintf(r->method, sizeof r->method, "welch p=%.3f", w.p);
}

/* A row for a group found on one side only. */
static void one_side(wb_compare_row *r, const wb_group *g, int side_a)
{
    memset(r, 0, sizeof *r);
    wb_stats s = duration_stats(g);
    if (side_a) {
        r->a = g;
        r->n_a = (int)s.n;
    } else {
        r->b = g;
        r->n_b = (int)s.n;
    }
    r->mean_a_s = side_a ? wb_stats_mean(&s) : NAN;
    r->mean_b_s = side_a ? NAN : wb_stats_mean(&s);
    r->rows_per_s_a = side_a ? g->mean_rows_per_s : NAN;
    r->rows_per_s_b = side_a ? NAN : g->mean_rows_per_s;
    r->ratio = r->change_pct = r->p = NAN;
    r->verdict = side_a ? WB_VERDICT_ONLY_A : WB_VERDICT_ONLY_B;
}

int wb_compare(const wb_result *a, int na, const wb_result *b, int nb, wb_comparison *out, wb_error *e)
{
    wb_comparison c = WB_COMPARISON_INIT;
    *out = c;
    if (wb_aggregate(a, na, &c.groups_a, &c.ngroups_a, e) != 0)
        return wb_fail_prefix(e, "A: ");
    if (wb_aggregate(b, nb, &c.groups_b, &c.ngroups_b, e) != 0) {
        wb_comparison_free(&c);
        return wb_fail_prefix(e, "B: ");
    }
    c.rows = wb_xcalloc((size_t)c.ngroups_a + (size_t)c.ngroups_b + 1, sizeof *c.rows);
    /* match_of_b[j]: whether B's group j has a partner in A (every group key is
     * unique within a side, so the first match is the only one) */
    char *matched_b = wb_xcalloc((size_t)c.ngroups_b + 1, 1);
    int *match_of_a = wb_xmalloc(((size_t)c.ngroups_a + 1) * sizeof *match_of_a);
    for (int i = 0; i < c.ngroups_a; i++) {
        match_of_a[i] = -1;
        for (int j = 0; j < c.ngroups_b && match_of_a[i] < 0; j++)
            if (!matched_b[j] && same_test(&c.groups_a[i], &c.groups_b[j])) {
                match_of_a[i] = j;
                matched_b[j] = 1;
            }
    }
    for (int i = 0; i < c.ngroups_a; i++)
        if (match_of_a[i] >= 0) {
            wb_compare_row *r = &c.rows[c.nrows++];
            r->a = &c.groups_a[i];
            r->b = &c.groups_b[match_of_a[i]];
            judge(r);
        }
    c.ncompared = c.nrows;
    for (int i = 0; i < c.ngroups_a; i++)
        if (match_of_a[i] < 0) {
            one_side(&c.rows[c.nrows++], &c.groups_a[i], 1);
            c.nonly_a++;
        }
    for (int j = 0; j < c.ngroups_b; j++)
        if (!matched_b[j]) {
            one_side(&c.rows[c.nrows++], &c.groups_b[j], 0);
            c.nonly_b++;
        }
    free(matched_b);
    free(match_of_a);
    *out = c;
    return 0;
}

void wb_comparison_free(wb_comparison *c)
{
    wb_groups_free(c->groups_a, c->ngroups_a);
    wb_groups_free(c->groups_b, c->ngroups_b);
    free(c->rows);
    wb_comparison empty = WB_COMPARISON_INIT;
    *c = empty;
}

int wb_compare_row_regressed(const wb_compare_row *r, double pct)
{
    return r->verdict == WB_VERDICT_SLOWER && isfinite(r->change_pct) && r->change_pct > pct;
}

int wb_compare_count_regressions(const wb_comparison *c, double pct)
{
    int n = 0;
    for (int i = 0; i < c->nrows; i++)
        n += wb_compare_row_regressed(&c->rows[i], pct);
    return n;
}

/* The group that names the row's test (A's when it has one). */
static const wb_group *identity(const wb_compare_row *r)
{
    return r->a ? r->a : r->b;
}

void wb_compare_describe_row(const wb_compare_row *r, wb_buf *out)
{
    const wb_group *g = identity(r);
    char label[192];
    wb_group_label(g->test, g->external, g->language, label, sizeof label);
    wb_buf_printf(out, "%s (%s, %s, %lld rows, %lld thread%s", label, g->workload, g->backend, (long long)g->rows,
                  (long long)g->threads, g->threads == 1 ? "" : "s");
    if (g->batch >= 0)
        wb_buf_printf(out, ", batch %lld", (long long)g->batch);
    if (g->settings[0])
        wb_buf_printf(out, ", %s", g->settings);
    wb_buf_puts(out, "): ");
    if (r->verdict == WB_VERDICT_ONLY_A || r->verdict == WB_VERDICT_ONLY_B) {
        wb_buf_puts(out, wb_compare_verdict_name(r->verdict));
        return;
    }
    wb_buf_printf(out, "%.6f s -> %.6f s, %+.1f%%, %s", r->mean_a_s, r->mean_b_s, r->change_pct, r->method);
}

/* ---- the tables: each column is a field of the row, listed once (X-macros) ---- */

typedef enum field {
    F_TEST, F_STRATEGY, F_PHASE, F_BACKEND, F_WORKLOAD, F_ROWS, F_THREADS, F_BATCH,
    F_N_A, F_N_B, F_MEAN_A, F_MEAN_B, F_RATIO, F_CHANGE, F_RPS_A, F_RPS_B, F_P, F_VERDICT, F_METHOD,
    F_SIDE, F_N, F_MEAN, F_RPS, F_ORIGIN, F_LANGUAGE,
    F_TEST_LABEL /* the test with an external program's language: "orm_merge-insert (python)" */
} field;

/* importance: what --format table keeps longest when fitting the terminal's width
 * (WB_IMPORTANCE_ALWAYS: never left out) */
#define AS_COLUMN(name, kind, decimals, f, importance) {name, kind, decimals, importance},
#define AS_FIELD(name, kind, decimals, f, importance) f,

/* Every row, every figure: csv and json. */
#define FULL_COLUMNS(X)                                                                                \
    X("test", WB_COL_TEXT, 0, F_TEST, 10) X("strategy", WB_COL_TEXT, 0, F_STRATEGY, 5)                       \
    X("phase", WB_COL_TEXT, 0, F_PHASE, 5) X("backend", WB_COL_TEXT, 0, F_BACKEND, 6)                       \
    X("workload", WB_COL_TEXT, 0, F_WORKLOAD, 6) X("rows", WB_COL_INT, 0, F_ROWS, 6)                        \
    X("threads", WB_COL_INT, 0, F_THREADS, 5) X("batch", WB_COL_INT, 0, F_BATCH, 5)                         \
    X("n_a", WB_COL_INT, 0, F_N_A, 3) X("n_b", WB_COL_INT, 0, F_N_B, 3)                                     \
    X("mean_a_s", WB_COL_REAL, 6, F_MEAN_A, 7) X("mean_b_s", WB_COL_REAL, 6, F_MEAN_B, 7)                   \
    X("ratio", WB_COL_REAL, 3, F_RATIO, 10) X("change_pct", WB_COL_REAL, 1, F_CHANGE, 8)                     \
    X("rows_per_s_a", WB_COL_REAL, 1, F_RPS_A, 4) X("rows_per_s_b", WB_COL_REAL, 1, F_RPS_B, 4)             \
    X("p_value", WB_COL_REAL, 4, F_P, 3) X("verdict", WB_COL_TEXT, 0, F_VERDICT, 10)                         \
    X("method", WB_COL_TEXT, 0, F_METHOD, 2) X("origin", WB_COL_TEXT, 0, F_ORIGIN, 2)                       \
    X("language", WB_COL_TEXT, 0, F_LANGUAGE, 2)

/* The compared tests for people: the test's name already holds strategy and
 * phase, and an external program's language. */
#define COMPACT_COLUMNS(X)                                                                             \
    X("test", WB_COL_TEXT, 0, F_TEST_LABEL, 10) X("backend", WB_COL_TEXT, 0, F_BACKEND, 6)                   \
    X("workload", WB_COL_TEXT, 0, F_WORKLOAD, 6) X("rows", WB_COL_INT, 0, F_ROWS, 6)                        \
    X("threads", WB_COL_INT, 0, F_THREADS, 5) X("batch", WB_COL_INT, 0, F_BATCH, 5)                         \
    X("n_a", WB_COL_INT, 0, F_N_A, 3) X("n_b", WB_COL_INT, 0, F_N_B, 3)                                     \
    X("mean_a_s", WB_COL_REAL, 6, F_MEAN_A, 7) X("mean_b_s", WB_COL_REAL, 6, F_MEAN_B, 7)                   \
    X("ratio", WB_COL_REAL, 3, F_RATIO, 10) X("change_pct", WB_COL_REAL, 1, F_CHANGE, 8)                     \
    X("rows_per_s_a", WB_COL_REAL, 1, F_RPS_A, 4) X("rows_per_s_b", WB_COL_REAL, 1, F_RPS_B, 4)             \
    X("verdict", WB_COL_TEXT, 0, F_VERDICT, 10) X("method", WB_COL_TEXT, 0, F_METHOD, 2)

/* The tests found on one side only. */
#define ONLY_COLUMNS(X)                                                                                \
    X("side", WB_COL_TEXT, 0, F_SIDE, 10) X("test", WB_COL_TEXT, 0, F_TEST_LABEL, 10)                         \
    X("backend", WB_COL_TEXT, 0, F_BACKEND, 6) X("workload", WB_COL_TEXT, 0, F_WORKLOAD, 6)                 \
    X("rows", WB_COL_INT, 0, F_ROWS, 6) X("threads", WB_COL_INT, 0, F_THREADS, 5)                           \
    X("batch", WB_COL_INT, 0, F_BATCH, 5) X("n", WB_COL_INT, 0, F_N, 3)                                     \
    X("mean_s", WB_COL_REAL, 6, F_MEAN, 7) X("rows_per_s", WB_COL_REAL, 1, F_RPS, 4)

static const wb_out_column full_columns[] = {FULL_COLUMNS(AS_COLUMN)};
static const field full_fields[] = {FULL_COLUMNS(AS_FIELD)};
static const wb_out_column compact_columns[] = {COMPACT_COLUMNS(AS_COLUMN)};
static const field compact_fields[] = {COMPACT_COLUMNS(AS_FIELD)};
static const wb_out_column only_columns[] = {ONLY_COLUMNS(AS_COLUMN)};
static const field only_fields[] = {ONLY_COLUMNS(AS_FIELD)};

#define COUNT(array) ((int)(sizeof array / sizeof *array))

/* Append row r's cell for field f. A side the test is not on has no count
 * (unknown, not 0: zero would claim its tests all failed). */
static void put_field(wb_out_table *t, const wb_compare_row *r, field f)
{
    const wb_group *g = identity(r);
    int side_a = r->a != NULL;
    char label[192];
    switch (f) {
    case F_TEST: wb_out_text(t, g->test); break;
    case F_TEST_LABEL:
        wb_group_label(g->test, g->external, g->language, label, sizeof label);
        wb_out_text(t, label);
        break;
    case F_ORIGIN: wb_out_text(t, wb_origin_name(g->external)); break;
    case F_LANGUAGE: wb_out_text(t, g->language); break;
    case F_STRATEGY: wb_out_text(t, g->strategy); break;
    case F_PHASE: wb_out_text(t, g->phase); break;
    case F_BACKEND: wb_out_text(t, g->backend); break;
    case F_WORKLOAD: wb_out_text(t, g->workload); break;
    case F_ROWS: wb_out_int(t, g->rows); break;
    case F_THREADS: wb_out_int(t, g->threads); break;
    case F_BATCH: wb_out_int_or_unknown(t, g->batch); break;
    case F_N_A: r->a ? wb_out_int(t, r->n_a) : wb_out_unknown(t); break;
    case F_N_B: r->b ? wb_out_int(t, r->n_b) : wb_out_unknown(t); break;
    case F_MEAN_A: wb_out_real(t, r->mean_a_s); break;
    case F_MEAN_B: wb_out_real(t, r->mean_b_s); break;
    case F_RATIO: wb_out_real(t, r->ratio); break;
    case F_CHANGE: wb_out_real(t, r->change_pct); break;
    case F_RPS_A: wb_out_real(t, r->rows_per_s_a); break;
    case F_RPS_B: wb_out_real(t, r->rows_per_s_b); break;
    case F_P: wb_out_real(t, r->p); break;
    case F_VERDICT: wb_out_text(t, wb_compare_verdict_name(r->verdict)); break;
    case F_METHOD: wb_out_text(t, r->method); break;
    case F_SIDE: wb_out_text(t, side_a ? "A" : "B"); break;
    case F_N: wb_out_int(t, side_a ? r->n_a : r->n_b); break;
    case F_MEAN: wb_out_real(t, side_a ? r->mean_a_s : r->mean_b_s); break;
    case F_RPS: wb_out_real(t, side_a ? r->rows_per_s_a : r->rows_per_s_b); break;
    }
}

/* A table of rows[from .. to) with the given columns and their fields. */
static wb_out_table *make_table(const wb_comparison *c, int from, int to, const wb_out_column *columns,
                                const field *fields, int ncolumns)
{
    wb_out_table *t = wb_out_table_new(columns, ncolumns);
    for (int i = from; i < to; i++)
        for (int k = 0; k < ncolumns; k++)
            put_field(t, &c->rows[i], fields[k]);
    return t;
}

wb_out_table *wb_compare_table(const wb_comparison *c)
{
    return make_table(c, 0, c->nrows, full_columns, full_fields, COUNT(full_columns));
}

wb_out_table *wb_compare_table_compact(const wb_comparison *c)
{
    return make_table(c, 0, c->ncompared, compact_columns, compact_fields, COUNT(compact_columns));
}

wb_out_table *wb_compare_only_table(const wb_comparison *c)
{
    return make_table(c, c->ncompared, c->nrows, only_columns, only_fields, COUNT(only_columns));
}

/* The closing line of the human formats: how many tests went which way. */
static void write_summary(const wb_comparison *c, wb_buf *out)
{
    int counts[WB_VERDICT_ONLY_B + 1] = {0};
    for (int i = 0; i < c->ncompared; i++)
        counts[c->rows[i].verdict]++;
    wb_buf_printf(out, "%d test%s compared: %d slower, %d faster, %d within noise (Welch's t-test, 95%%), "
                       "%d not judged (n<2)",
                  c->ncompared, c->ncompared == 1 ? "" : "s", counts[WB_VERDICT_SLOWER], counts[WB_VERDICT_FASTER],
                  counts[WB_VERDICT_WITHIN_NOISE], counts[WB_VERDICT_NOT_JUDGED]);
    if (c->nonly_a || c->nonly_b)
        wb_buf_printf(out, "; %d only in A, %d only in B", c->nonly_a, c->nonly_b);
    wb_buf_puts(out, ".\n");
}

/* The text every row shares in field f (F_BACKEND or F_WORKLOAD), or NULL when
 * the rows differ in it or there are none. */
static const char *shared_text(const wb_comparison *c, field f)
{
    const char *shared = NULL;
    for (int i = 0; i < c->nrows; i++) {
        const wb_group *g = identity(&c->rows[i]);
        const char *text = f == F_BACKEND ? g->backend : g->workload;
        if (shared && strcmp(shared, text) != 0)
            return NULL;
        shared = text;
    }
    return shared;
}

/* Write rows[from .. to) with the given columns in format f, leaving out the
 * backend and workload columns when the caller said every row shares them. */
static int write_human_table(const wb_comparison *c, int from, int to, const wb_out_column *columns,
                             const field *fields, int ncolumns, int hide_shared, wb_format f, wb_buf *out,
                             wb_error *e)
{
    wb_out_column kept_columns[32];
    field kept_fields[32];
    int nkept = 0;
    for (int k = 0; k < ncolumns && nkept < 32; k++) {
        if (hide_shared && ((fields[k] == F_BACKEND && shared_text(c, F_BACKEND)) ||
                            (fields[k] == F_WORKLOAD && shared_text(c, F_WORKLOAD))))
            continue;
        kept_columns[nkept] = columns[k];
        kept_fields[nkept++] = fields[k];
    }
    wb_out_table *t = make_table(c, from, to, kept_columns, kept_fields, nkept);
    if (f == WB_FORMAT_TABLE)
        wb_out_table_fit(t, wb_term_width()); /* leaves out the least important columns, and says which */
    int rc = wb_out_table_write(t, f, NULL, out, e);
    wb_out_table_free(t);
    return rc;
}

int wb_compare_write(const wb_comparison *c, wb_format f, wb_buf *out, wb_error *e)
{
    if (f == WB_FORMAT_CSV || f == WB_FORMAT_JSON) {
        wb_out_table *t = wb_compare_table(c);
        int rc = wb_out_table_write(t, f, "tests", out, e);
        wb_out_table_free(t);
        return rc;
    }
    /* For people, a column that says the same on every line is said once, above. */
    const char *backend = shared_text(c, F_BACKEND), *workload = shared_text(c, F_WORKLOAD);
    if (backend)
        wb_buf_printf(out, "backend: %s%s", backend, workload ? ", " : "");
    if (workload)
        wb_buf_printf(out, "workload: %s", workload);
    if (backend || workload)
        wb_buf_puts(out, " (every test)\n\n");
    int markdown = f == WB_FORMAT_MARKDOWN;
    int rc = write_human_table(c, 0, c->ncompared, compact_columns, compact_fields, COUNT(compact_columns), 1, f,
                               out, e);
    if (rc == 0 && c->nonly_a + c->nonly_b > 0) {
        wb_buf_puts(out, markdown ? "\nNot compared, found on one side only:\n\n"
                                  : "\nnot compared, found on one side only:\n");
        rc = write_human_table(c, c->ncompared, c->nrows, only_columns, only_fields, COUNT(only_columns), 1, f, out,
                               e);
    }
    if (rc == 0) {
        wb_buf_putc(out, '\n');
        write_summary(c, out);
    }
    return rc;
}

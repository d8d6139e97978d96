/* Findings: the tables (claims, their measures, traps), the sides and the
 * comparable sets findings are stated in, building findings, and the whole
 * computation (see findings.h; docs/ANALYSIS.md, "findings", gives every
 * rule). The measures are in findings_measure.c, the traps in findings_trap.c,
 * the text and findings.json in findings_out.c. */
#include "analysis/findings.h"

#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/aggregate.h"
#include "analysis/findings_internal.h"
#include "strategies/strategy.h"
#include "util/format.h"

/* ---- how claims are measured ------------------------------------------------------ */

enum { M_PAIR, M_BATCH, M_THREADS, M_MEMORY };

static const struct measure {
    const char *name;  /* findings.json "measure" */
    const char *needs; /* what a run must hold for the claim to be checked */
    const char *hint;  /* the options that give it, for the console; "" for a pair */
    void (*fn)(wb_findings_ctx *c, const wb_claim *cl, int order);
} measures[] = {
    [M_PAIR] = {"pair", "both sides measured in one comparable set", "", wb_findings_measure_pair},
    [M_BATCH] = {"batch scan", "a --batch scan of side a", "--batch 10,100,1000", wb_findings_measure_batch},
    [M_THREADS] = {"threads scan", "a --threads scan of side a", "--threads 1,2,4", wb_findings_measure_threads},
    [M_MEMORY] = {"rows scan", "a --rows scan", "--rows 1000,10000,100000", wb_findings_measure_memory},
};

/* The claims: the advice people repeat, each with the side it says is better
 * (a), the side it is compared with (b), the phase and the measure. */
const wb_claim wb_claims[] = {
    {"one-transaction", "one transaction beats a commit per row", "single-tx", "single-autocommit", "insert", M_PAIR},
    {"batching", "batching beats row by row, up to a batch size", "batch-commit,values-multirow", "", "insert",
     M_BATCH},
    {"prepared", "a prepared statement beats parsing every row", "prepared", "single-tx", "insert", M_PAIR},
    {"multirow", "multi-row VALUES beats a prepared one-row INSERT", "values-multirow", "prepared", "insert",
     M_PAIR},
    {"unnest", "UNNEST of arrays beats multi-row VALUES", "unnest", "values-multirow", "insert", M_PAIR},
    {"copy", "COPY beats the best INSERT", "copy-binary,copy-text",
     "single-tx,batch-commit,prepared,values-multirow,pipeline,unnest", "insert", M_PAIR},
    {"copy-binary", "binary COPY beats text COPY", "copy-binary", "copy-text", "insert", M_PAIR},
    {"load-then-index", "loading, then building the indexes, beats loading with them in place", "load-then-index",
     "prepared,values-multirow,pipeline,unnest,copy-text,copy-binary", "insert", M_PAIR},
    {"copy-freeze", "COPY FREEZE into a table truncated in the same transaction beats a plain COPY", "copy-freeze",
     "copy-binary", "insert", M_PAIR},
    {"unlogged", "loading UNLOGGED tables, then SET LOGGED, beats loading logged ones", "unlogged-then-logged",
     "copy-binary", "insert", M_PAIR},
    {"bulk-update", "a bulk UPDATE from a VALUES list beats a per-row upsert", "bulk-update",
     "on-conflict,update-then-insert,select-then-write", "update", M_PAIR},
    {"merge", "MERGE beats INSERT ... ON CONFLICT", "merge", "on-conflict-batch", "update", M_PAIR},
    {"threads", "more connections write faster", "@builtin", "", NULL, M_THREADS},
    {"orm", "the driver beats ORM idioms (built-in strategies against programs run with --external)", "@builtin",
     "@external", NULL, M_PAIR},
    {"async", "asyncio beats the synchronous drivers (programs declaring io=async against the other external ones)",
     "@async", "@external-sync", NULL, M_PAIR},
    {"async-c", "C beats asyncio (built-in strategies against programs declaring io=async)", "@builtin", "@async",
     NULL, M_PAIR},
    {"memory", "peak memory stays flat as N grows", "@all", "", NULL, M_MEMORY},
};

const int wb_nclaims = (int)(sizeof wb_claims / sizeof *wb_claims);

const char *wb_claim_needs(const wb_claim *c)
{
    return measures[c->measure].needs;
}

const char *wb_claim_hint(const wb_claim *c)
{
    return measures[c->measure].hint;
}

const char *wb_claim_measure(const wb_claim *c)
{
    return measures[c->measure].name;
}

/* ---- the traps --------------------------------------------------------------------- */

static const struct trap {
    const char *id;
    const char *text;
    void (*fn)(wb_findings_ctx *c, const char *id, const char *text, int order);
} traps[] = {
    {"superlinear", "time grows faster than N", wb_findings_trap_superlinear},
    {"failed-verification", "a strategy failed verification", wb_findings_trap_failed_verification},
    {"startup", "an external program's time is mostly start-up", wb_findings_trap_startup},
};

static const char *const axis_names[] = {
    [WB_AXIS_NONE] = NULL, [WB_AXIS_ROWS] = "rows", [WB_AXIS_BATCH] = "batch", [WB_AXIS_THREADS] = "threads",
    [WB_AXIS_SIZE] = "size",
};

const char *wb_axis_name(wb_axis a)
{
    return (int)a >= 0 && (size_t)a < sizeof axis_names / sizeof *axis_names ? axis_names[a] : NULL;
}

/* ---- sides ------------------------------------------------------------------------- */

/* The run's yardsticks (the catalogue's RUNS_FIRST flags), not ways of writing rows anyone would pick. */
int wb_findings_is_reference(const wb_group *g)
{
    if (strcmp(g->verify, "none") == 0)
        return 1; /* writes nothing */
    return !g->external && (wb_strategy_flags_of(g->strategy) & WB_STRAT_RUNS_FIRST) != 0;
}

static int match_builtin(const wb_group *g)
{
    return !g->external && !wb_findings_is_reference(g);
}

static int match_external(const wb_group *g)
{
    return g->external;
}

static int match_all(const wb_group *g)
{
    return !wb_findings_is_reference(g);
}

/* An external program's declared I/O model (its `writebench:` header's io=). */
static int is_async(const wb_group *g)
{
    return strcmp(g->io, "async") == 0;
}

static int match_async(const wb_group *g)
{
    return g->external && is_async(g);
}

static int match_external_sync(const wb_group *g)
{
    return g->external && !is_async(g);
}

static const struct {
    const char *name;
    int (*match)(const wb_group *g);
} selectors[] = {
    {"@builtin", match_builtin},
    {"@external", match_external},
    {"@all", match_all},
    {"@async", match_async},
    {"@external-sync", match_external_sync},
};

/* Whether name is one of the comma-separated names of list. */
static int name_in_list(const char *name, const char *list)
{
    size_t len = strlen(name);
    for (const char *p = list; *p;) {
        const char *end = strchr(p, ',');
        size_t n = end ? (size_t)(end - p) : strlen(p);
        if (n == len && strncmp(p, name, n) == 0)
            return 1;
        if (!end)
            break;
        p = end + 1;
    }
    return 0;
}

/* Whether group g is on side (a claim's side_a or side_b). A strategy name means
 * the built-in of that name, never an external program that borrowed it. */
int wb_findings_in_side(const wb_group *g, const char *side)
{
    if (!side || !*side)
        return 0;
    if (side[0] == '@') {
        for (size_t i = 0; i < sizeof selectors / sizeof *selectors; i++)
            if (strcmp(side, selectors[i].name) == 0)
                return selectors[i].match(g);
        return 0;
    }
    return !g->external && name_in_list(g->strategy, side);
}

/* A group a finding can rest on: some test succeeded, with a known mean duration. */
int wb_findings_usable(const wb_group *g)
{
    return g->nsamples > 0 && g->mean_duration_s > 0;
}

/* ---- comparable sets --------------------------------------------------------------- */

/* What a comparable set shares: these text fields of a group always... */
static const size_t set_text_keys[] = {
    offsetof(wb_group, workload),
    offsetof(wb_group, backend),
    offsetof(wb_group, phase),
    offsetof(wb_group, verify),
    offsetof(wb_group, settings), /* never a finding across server settings */
};

/* ...and these numbers unless the set leaves their axis free. Batch is not one:
 * a side's groups at several batch sizes compete, its fastest stands for it. */
static const struct {
    unsigned loose;
    size_t offset;
} set_int_keys[] = {
    {FREE_ROWS, offsetof(wb_group, rows)},
    {FREE_THREADS, offsetof(wb_group, threads)},
};

/* Whether a and b share a set with the axes `loose` free, from their fields. */
int wb_findings_same_set_fields(const wb_group *a, const wb_group *b, unsigned loose)
{
    for (size_t i = 0; i < sizeof set_text_keys / sizeof *set_text_keys; i++)
        if (strcmp((const char *)a + set_text_keys[i], (const char *)b + set_text_keys[i]) != 0)
            return 0;
    for (size_t i = 0; i < sizeof set_int_keys / sizeof *set_int_keys; i++) {
        if (loose & set_int_keys[i].loose)
            continue;
        int64_t x, y;
        memcpy(&x, (const char *)a + set_int_keys[i].offset, sizeof x);
        memcpy(&y, (const char *)b + set_int_keys[i].offset, sizeof y);
        if (x != y)
            return 0;
    }
    return 1;
}

static int same_program_fields(const wb_group *a, const wb_group *b)
{
    return strcmp(a->strategy, b->strategy) == 0 && a->external == b->external &&
           strcmp(a->language, b->language) == 0;
}

/* Each group's set under every mask of free axes and its program, as the index
 * of the first group that shares it, so that the measures compare two integers
 * instead of fields: computed once, in O(groups^2) field comparisons, where
 * comparing fields in every loop of every measure would be O(groups^3). */
static void index_groups(wb_findings_ctx *c)
{
    size_t n = (size_t)c->ngroups + 1;
    for (unsigned loose = 0; loose < WB_FINDINGS_MASKS; loose++) {
        c->set_first[loose] = wb_xmalloc(n * sizeof *c->set_first[loose]);
        for (int i = 0; i < c->ngroups; i++) {
            c->set_first[loose][i] = -1;
            if (!wb_findings_usable(&c->groups[i]))
                continue;
            c->set_first[loose][i] = i; /* the first of its set, unless an earlier one is */
            for (int j = 0; j < i && c->set_first[loose][i] == i; j++)
                if (c->set_first[loose][j] == j && wb_findings_same_set_fields(&c->groups[j], &c->groups[i], loose))
                    c->set_first[loose][i] = j;
        }
    }
    c->program_first = wb_xmalloc(n * sizeof *c->program_first);
    for (int i = 0; i < c->ngroups; i++) {
        c->program_first[i] = i;
        for (int j = 0; j < i && c->program_first[i] == i; j++)
            if (c->program_first[j] == j && same_program_fields(&c->groups[j], &c->groups[i]))
                c->program_first[i] = j;
    }
}

static void free_index(wb_findings_ctx *c)
{
    for (unsigned loose = 0; loose < WB_FINDINGS_MASKS; loose++)
        free(c->set_first[loose]);
    free(c->program_first);
}

int wb_findings_same_set(const wb_findings_ctx *c, const wb_group *a, const wb_group *b, unsigned loose)
{
    int x = c->set_first[loose][a - c->groups], y = c->set_first[loose][b - c->groups];
    return x >= 0 && x == y;
}

int wb_findings_same_program(const wb_findings_ctx *c, const wb_group *a, const wb_group *b)
{
    return c->program_first[a - c->groups] == c->program_first[b - c->groups];
}

int wb_findings_first_of_set(const wb_findings_ctx *c, int i, unsigned loose)
{
    return c->set_first[loose][i] == i;
}

/* Indexes of the first usable group of every set (axes `loose` free) of the phase
 * (NULL: any) into reps; returns how many. */
int wb_findings_set_reps(const wb_findings_ctx *c, unsigned loose, const char *phase, int *reps)
{
    int n = 0;
    for (int i = 0; i < c->ngroups; i++) {
        const wb_group *g = &c->groups[i];
        if (wb_findings_first_of_set(c, i, loose) && (!phase || strcmp(g->phase, phase) == 0))
            reps[n++] = i;
    }
    return n;
}

/* The fastest usable group of side in rep's set (axes `loose` free), or NULL. */
const wb_group *wb_findings_fastest(const wb_findings_ctx *c, const wb_group *rep, unsigned loose, const char *side)
{
    const wb_group *best = NULL;
    for (int i = 0; i < c->ngroups; i++) {
        const wb_group *g = &c->groups[i];
        if (wb_findings_same_set(c, g, rep, loose) && wb_findings_in_side(g, side) &&
            (!best || g->mean_duration_s < best->mean_duration_s))
            best = g;
    }
    return best;
}

/* The value of axis in g (rows, batch or threads). */
static int64_t axis_value(const wb_group *g, wb_axis axis)
{
    return axis == WB_AXIS_ROWS ? g->rows : axis == WB_AXIS_BATCH ? g->batch : g->threads;
}

/* g's series along axis: every usable group of its program in its set with the
 * axis free (and, but along batch, its batch), sorted by the axis value; into
 * idx; returns how many. */
int wb_findings_series_of(const wb_findings_ctx *c, const wb_group *g, wb_axis axis, int *idx)
{
    unsigned loose = axis == WB_AXIS_ROWS ? FREE_ROWS : axis == WB_AXIS_THREADS ? FREE_THREADS : 0;
    int n = 0;
    for (int i = 0; i < c->ngroups; i++) {
        const wb_group *h = &c->groups[i];
        if (!wb_findings_same_set(c, h, g, loose) || !wb_findings_same_program(c, h, g) ||
            (axis != WB_AXIS_BATCH && h->batch != g->batch) || (axis == WB_AXIS_BATCH && h->batch < 0))
            continue;
        int k = n++;
        while (k > 0 && axis_value(&c->groups[idx[k - 1]], axis) > axis_value(h, axis)) {
            idx[k] = idx[k - 1];
            k--;
        }
        idx[k] = i;
    }
    return n;
}

/* Whether usable group i is the first of its series along axis (so each series is read once). */
int wb_findings_first_of_series(const wb_findings_ctx *c, int i, wb_axis axis, int *scratch)
{
    int n = wb_findings_series_of(c, &c->groups[i], axis, scratch);
    int first = i;
    for (int k = 0; k < n; k++)
        if (scratch[k] < first)
            first = scratch[k];
    return first == i;
}

/* ---- building findings ------------------------------------------------------------- */

wb_finding *wb_findings_new_finding(wb_findings_ctx *c, int trap, int order, const char *id, const char *text)
{
    wb_findings *f = c->out;
    if (f->n == f->cap) {
        f->cap = f->cap ? 2 * f->cap : 16;
        f->items = wb_xrealloc(f->items, (size_t)f->cap * sizeof *f->items);
    }
    wb_finding *x = &f->items[f->n++];
    memset(x, 0, sizeof *x);
    x->id = id;
    x->trap = trap;
    x->order = order;
    x->claim = text;
    x->side_a = x->side_b = x->measure = "";
    x->verdict = trap ? WB_FINDING_TRAP : WB_FINDING_NOISE;
    x->ratio.ratio = x->ratio.low = x->ratio.high = x->ratio.df = NAN;
    x->ratio.single_run = 0;
    x->ratio_of = "duration_s";
    x->exponent = x->per_connection = x->lock_wait_s = x->startup_share = NAN;
    x->plateau_batch = x->lock_waits = -1;
    return x;
}

wb_finding *wb_findings_new_claim_finding(wb_findings_ctx *c, const wb_claim *cl, int order)
{
    wb_finding *x = wb_findings_new_finding(c, 0, order, cl->id, cl->claim);
    x->side_a = cl->side_a;
    x->side_b = cl->side_b;
    x->measure = measures[cl->measure].name;
    return x;
}

/* The comparable set of the finding, from one of its groups; the axis it spans is -1. */
void wb_findings_set_context(wb_finding *f, const wb_group *g, wb_axis axis)
{
    snprintf(f->workload, sizeof f->workload, "%s", g->workload);
    snprintf(f->backend, sizeof f->backend, "%s", g->backend);
    snprintf(f->phase, sizeof f->phase, "%s", g->phase);
    snprintf(f->verify, sizeof f->verify, "%s", g->verify);
    f->axis = axis;
    f->rows = axis == WB_AXIS_ROWS || axis == WB_AXIS_SIZE ? -1 : g->rows;
    f->threads = axis == WB_AXIS_THREADS || axis == WB_AXIS_SIZE ? -1 : g->threads;
}

/* "values-multirow (batch 1,000)", "orm_add_all (python)", "prepared". */
void wb_findings_group_label(const wb_group *g, char *out, size_t n)
{
    char batch[32] = "";
    if (g->batch >= 0)
        wb_format_count(batch, sizeof batch, g->batch);
    if (g->external && g->batch >= 0)
        snprintf(out, n, "%s (%s, batch %s)", g->strategy, g->language, batch);
    else if (g->external)
        snprintf(out, n, "%s (%s)", g->strategy, g->language);
    else if (g->batch >= 0)
        snprintf(out, n, "%s (batch %s)", g->strategy, batch);
    else
        snprintf(out, n, "%s", g->strategy);
}

static void set_end(wb_finding_end *e, const wb_group *g)
{
    wb_findings_group_label(g, e->label, sizeof e->label);
    snprintf(e->test, sizeof e->test, "%s", g->test);
    snprintf(e->strategy, sizeof e->strategy, "%s", g->strategy);
    e->external = g->external;
    snprintf(e->language, sizeof e->language, "%s", g->language);
    e->rows = g->rows;
    e->threads = g->threads;
    e->batch = g->batch;
    e->n = g->nsamples;
    e->mean_duration_s = g->mean_duration_s;
    e->mean_peak_rss_kb = g->mean_peak_rss_kb;
}

void wb_findings_set_ends(wb_finding *f, const wb_group *a, const wb_group *b)
{
    f->has_a = a != NULL;
    f->has_b = b != NULL;
    if (a)
        set_end(&f->a, a);
    if (b)
        set_end(&f->b, b);
}

void wb_findings_add_test(wb_finding *f, const wb_result *r)
{
    f->tests = wb_xrealloc(f->tests, (size_t)(f->ntests + 1) * sizeof *f->tests);
    wb_finding_test *t = &f->tests[f->ntests++];
    snprintf(t->run_id, sizeof t->run_id, "%s", r->run_id);
    snprintf(t->test, sizeof t->test, "%s", r->test);
    t->repeat = r->repeat;
}

/* Every successful test of g. */
void wb_findings_add_tests(wb_finding *f, const wb_group *g)
{
    for (int i = 0; i < g->nsamples; i++)
        wb_findings_add_test(f, g->samples[i]);
}

/* "6.00x", "12.3x", "250x": a factor with three significant figures or so. */
void wb_findings_format_factor(char *out, size_t n, double x)
{
    if (!isfinite(x))
        snprintf(out, n, "-");
    else if (x < 0.1)
        snprintf(out, n, "%.2gx", x); /* "0.0012x": two significant figures, not "0.00x" */
    else if (x < 10)
        snprintf(out, n, "%.2fx", x);
    else if (x < 100)
        snprintf(out, n, "%.1fx", x);
    else
        snprintf(out, n, "%.0fx", x);
}

/* " (95% interval 5.80x..6.20x)" or " (single run)", for a factor shown as r or
 * (inverted) as 1/r. */
void wb_findings_interval_note(wb_buf *out, const wb_ratio *r, int inverted)
{
    if (r->single_run || isnan(r->low)) {
        wb_buf_puts(out, " (single run)");
        return;
    }
    char low[32], high[32];
    wb_findings_format_factor(low, sizeof low, inverted ? 1.0 / r->high : r->low);
    wb_findings_format_factor(high, sizeof high, inverted ? 1.0 / r->low : r->high);
    wb_buf_printf(out, " (95%% interval %s..%s)", low, high);
}

/* "A is 6.00x faster than B (95% interval ...)" from r = mean(B) / mean(A) of durations. */
void wb_findings_say_faster(wb_buf *out, const char *a, const char *b, const wb_ratio *r)
{
    char factor[32];
    int slower = r->ratio < 1.0;
    wb_findings_format_factor(factor, sizeof factor, slower ? 1.0 / r->ratio : r->ratio);
    wb_buf_printf(out, "%s is %s %s than %s", a, factor, slower ? "slower" : "faster", b);
    wb_findings_interval_note(out, r, slower);
}

void wb_findings_set_statement(wb_finding *f, wb_buf *text)
{
    snprintf(f->statement, sizeof f->statement, "%s", wb_buf_str(text));
    wb_buf_free(text);
}

/* The least-squares slope of y on x over n points. NAN when x does not vary. */
double wb_findings_slope(const double *x, const double *y, int n)
{
    double mx = 0, my = 0;
    for (int i = 0; i < n; i++) {
        mx += x[i];
        my += y[i];
    }
    mx /= n;
    my /= n;
    double sxy = 0, sxx = 0;
    for (int i = 0; i < n; i++) {
        sxy += (x[i] - mx) * (y[i] - my);
        sxx += (x[i] - mx) * (x[i] - mx);
    }
    return sxx > 0 ? sxy / sxx : NAN;
}

/* ---- the whole ---------------------------------------------------------------------- */

static int cmp_i64(int64_t a, int64_t b)
{
    return (a > b) - (a < b);
}

/* Claims by set (workload, backend, phase, rows, threads, axis), then table
 * order; traps after every claim, by workload, backend, phase and table order. */
static int compare_findings(const void *pa, const void *pb)
{
    const wb_finding *a = pa, *b = pb;
    int c;
    if ((c = a->trap - b->trap) || (c = strcmp(a->workload, b->workload)) || (c = strcmp(a->backend, b->backend)) ||
        (c = strcmp(a->phase, b->phase)))
        return c;
    if (!a->trap && ((c = cmp_i64(a->rows, b->rows)) || (c = cmp_i64(a->threads, b->threads)) ||
                     (c = (int)a->axis - (int)b->axis) || (c = strcmp(a->verify, b->verify))))
        return c;
    return a->order - b->order;
}

/* qsort is not stable: keep the order findings were made in among equals. */
typedef struct ordered {
    wb_finding f;
    int seq;
} ordered;

static int compare_ordered(const void *pa, const void *pb)
{
    const ordered *a = pa, *b = pb;
    int c = compare_findings(&a->f, &b->f);
    return c ? c : a->seq - b->seq;
}

static void sort_findings(wb_findings *f)
{
    if (f->n < 2)
        return;
    ordered *o = wb_xmalloc((size_t)f->n * sizeof *o);
    for (int i = 0; i < f->n; i++) {
        o[i].f = f->items[i];
        o[i].seq = i;
    }
    qsort(o, (size_t)f->n, sizeof *o, compare_ordered);
    for (int i = 0; i < f->n; i++)
        f->items[i] = o[i].f;
    free(o);
}

static void collect_runs(const wb_result *results, int n, wb_findings *f)
{
    f->runs = wb_xmalloc((size_t)(n + 1) * sizeof *f->runs);
    for (int i = 0; i < n; i++) {
        if (i > 0 && strcmp(results[i].run_id, results[i - 1].run_id) == 0)
            continue; /* a run's results are together: only a change of run can be new */
        int seen = 0;
        for (int k = 0; k < f->nruns && !seen; k++)
            seen = strcmp(f->runs[k], results[i].run_id) == 0;
        if (!seen)
            snprintf(f->runs[f->nruns++], sizeof *f->runs, "%s", results[i].run_id);
    }
}

int wb_findings_compute(const wb_result *results, int n, wb_findings *out, wb_error *e)
{
    wb_findings empty = WB_FINDINGS_INIT;
    *out = empty;
    wb_findings_ctx c = {NULL, 0, results, n, out, {NULL}, NULL};
    if (wb_aggregate(results, n, &c.groups, &c.ngroups, e) != 0)
        return -1;
    index_groups(&c);
    collect_runs(results, n, out);
    out->unchecked = wb_xmalloc((size_t)wb_nclaims * sizeof *out->unchecked);
    for (int i = 0; i < wb_nclaims; i++) {
        int before = out->n;
        measures[wb_claims[i].measure].fn(&c, &wb_claims[i], i);
        if (out->n == before)
            out->unchecked[out->nunchecked++] = &wb_claims[i];
    }
    for (int i = 0; i < (int)(sizeof traps / sizeof *traps); i++)
        traps[i].fn(&c, traps[i].id, traps[i].text, i);
    sort_findings(out);
    free_index(&c);
    wb_groups_free(c.groups, c.ngroups);
    return 0;
}

void wb_findings_free(wb_findings *f)
{
    for (int i = 0; i < f->n; i++)
        free(f->items[i].tests);
    free(f->items);
    free(f->unchecked);
    free(f->runs);
    wb_findings empty = WB_FINDINGS_INIT;
    *f = empty;
}

/* Findings: the claims table, how each claim is measured, the traps, and the
 * comparable sets they are stated in (see findings.h; docs/ANALYSIS.md,
 * "findings", gives every rule). */
#include "analysis/findings.h"

#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/aggregate.h"
#include "util/format.h"

/* The error a failed verification is recorded with starts so (the runner's
 * words, runner/db_executor.c); any other failure is the strategy's own error. */
#define VERIFICATION_FAILED "verification failed"
/* The verifier names the first wrong or missing row so: "(first: key 17". */
#define FIRST_KEY "first: key "
/* Hostile rows are the keys k with k % 10 == 7 (docs/WORKLOADS.md, "Hostile rows"). */
#define HOSTILE_MODULUS 10
#define HOSTILE_REMAINDER 7
/* How many strategies a memory finding names before "and N more". */
#define MEMORY_NAMED 5

typedef struct ctx {
    wb_group *groups;
    int ngroups;
    const wb_result *results;
    int nresults;
    wb_findings *out;
} ctx;

/* ---- how claims are measured ------------------------------------------------------ */

enum { M_PAIR, M_BATCH, M_THREADS, M_MEMORY };

static void measure_pair(ctx *c, const wb_claim *cl, int order);
static void measure_batch(ctx *c, const wb_claim *cl, int order);
static void measure_threads(ctx *c, const wb_claim *cl, int order);
static void measure_memory(ctx *c, const wb_claim *cl, int order);

static const struct measure {
    const char *name;  /* findings.json "measure" */
    const char *needs; /* what a run must hold for the claim to be checked */
    const char *hint;  /* the options that give it, for the console; "" for a pair */
    void (*fn)(ctx *c, const wb_claim *cl, int order);
} measures[] = {
    [M_PAIR] = {"pair", "both sides measured in one comparable set", "", measure_pair},
    [M_BATCH] = {"batch scan", "a --batch scan of side a", "--batch 10,100,1000", measure_batch},
    [M_THREADS] = {"threads scan", "a --threads scan of side a", "--threads 1,2,4", measure_threads},
    [M_MEMORY] = {"rows scan", "a --rows scan", "--rows 1000,10000,100000", measure_memory},
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
    {"bulk-update", "a bulk UPDATE from a VALUES list beats a per-row upsert", "bulk-update",
     "on-conflict,update-then-insert,select-then-write", "update", M_PAIR},
    {"merge", "MERGE beats INSERT ... ON CONFLICT", "merge", "on-conflict-batch", "update", M_PAIR},
    {"threads", "more connections write faster", "@builtin", "", NULL, M_THREADS},
    {"orm", "the driver beats ORM idioms (the built-in strategies against external programs)", "@builtin",
     "@external", NULL, M_PAIR},
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

static void trap_superlinear(ctx *c, int order);
static void trap_failed_verification(ctx *c, int order);
static void trap_startup(ctx *c, int order);

static const struct trap {
    const char *id;
    const char *text;
    void (*fn)(ctx *c, int order);
} traps[] = {
    {"superlinear", "time grows faster than N", trap_superlinear},
    {"failed-verification", "a strategy failed verification", trap_failed_verification},
    {"startup", "an external program's time is mostly start-up", trap_startup},
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

/* The run's yardsticks, not ways of writing rows anyone would pick. */
static const char *const references[] = {"server-generate", "generate-only"};

static int is_reference(const wb_group *g)
{
    if (strcmp(g->verify, "none") == 0)
        return 1; /* writes nothing */
    for (size_t i = 0; i < sizeof references / sizeof *references; i++)
        if (!g->external && strcmp(g->strategy, references[i]) == 0)
            return 1;
    return 0;
}

static int match_builtin(const wb_group *g)
{
    return !g->external && !is_reference(g);
}

static int match_external(const wb_group *g)
{
    return g->external;
}

static int match_all(const wb_group *g)
{
    return !is_reference(g);
}

static const struct {
    const char *name;
    int (*match)(const wb_group *g);
} selectors[] = {
    {"@builtin", match_builtin},
    {"@external", match_external},
    {"@all", match_all},
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
static int in_side(const wb_group *g, const char *side)
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
static int usable(const wb_group *g)
{
    return g->nsamples > 0 && g->mean_duration_s > 0;
}

/* ---- comparable sets --------------------------------------------------------------- */

/* Axes a set may leave free (a scan of that axis, or "not compared"). */
#define FREE_ROWS 1u
#define FREE_THREADS 2u

/* What a comparable set shares: these text fields of a group always... */
static const size_t set_text_keys[] = {
    offsetof(wb_group, workload),
    offsetof(wb_group, backend),
    offsetof(wb_group, phase),
    offsetof(wb_group, verify),
};

/* ...and these numbers unless the set leaves their axis free. Batch is not one:
 * a side's groups at several batch sizes compete, its fastest stands for it. */
static const struct {
    unsigned free;
    size_t offset;
} set_int_keys[] = {
    {FREE_ROWS, offsetof(wb_group, rows)},
    {FREE_THREADS, offsetof(wb_group, threads)},
};

static int same_set(const wb_group *a, const wb_group *b, unsigned free)
{
    for (size_t i = 0; i < sizeof set_text_keys / sizeof *set_text_keys; i++)
        if (strcmp((const char *)a + set_text_keys[i], (const char *)b + set_text_keys[i]) != 0)
            return 0;
    for (size_t i = 0; i < sizeof set_int_keys / sizeof *set_int_keys; i++) {
        if (free & set_int_keys[i].free)
            continue;
        int64_t x, y;
        memcpy(&x, (const char *)a + set_int_keys[i].offset, sizeof x);
        memcpy(&y, (const char *)b + set_int_keys[i].offset, sizeof y);
        if (x != y)
            return 0;
    }
    return 1;
}

/* The same program: strategy, origin and language. */
static int same_program(const wb_group *a, const wb_group *b)
{
    return strcmp(a->strategy, b->strategy) == 0 && a->external == b->external &&
           strcmp(a->language, b->language) == 0;
}

/* Whether usable group i is the first usable one of its set (axes `free` free). */
static int first_of_set(const ctx *c, int i, unsigned free)
{
    for (int j = 0; j < i; j++)
        if (usable(&c->groups[j]) && same_set(&c->groups[j], &c->groups[i], free))
            return 0;
    return 1;
}

/* Indexes of the first usable group of every set (axes `free` free) of the phase
 * (NULL: any) into reps; returns how many. */
static int set_reps(const ctx *c, unsigned free, const char *phase, int *reps)
{
    int n = 0;
    for (int i = 0; i < c->ngroups; i++) {
        const wb_group *g = &c->groups[i];
        if (usable(g) && (!phase || strcmp(g->phase, phase) == 0) && first_of_set(c, i, free))
            reps[n++] = i;
    }
    return n;
}

/* The fastest usable group of side in rep's set (axes `free` free), or NULL. */
static const wb_group *fastest(const ctx *c, const wb_group *rep, unsigned free, const char *side)
{
    const wb_group *best = NULL;
    for (int i = 0; i < c->ngroups; i++) {
        const wb_group *g = &c->groups[i];
        if (usable(g) && same_set(g, rep, free) && in_side(g, side) &&
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
static int series_of(const ctx *c, const wb_group *g, wb_axis axis, int *idx)
{
    unsigned free = axis == WB_AXIS_ROWS ? FREE_ROWS : axis == WB_AXIS_THREADS ? FREE_THREADS : 0;
    int n = 0;
    for (int i = 0; i < c->ngroups; i++) {
        const wb_group *h = &c->groups[i];
        if (!usable(h) || !same_set(h, g, free) || !same_program(h, g) ||
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
static int first_of_series(const ctx *c, int i, wb_axis axis, int *scratch)
{
    int n = series_of(c, &c->groups[i], axis, scratch);
    int first = i;
    for (int k = 0; k < n; k++)
        if (scratch[k] < first)
            first = scratch[k];
    return first == i;
}

/* ---- building findings ------------------------------------------------------------- */

static wb_finding *new_finding(ctx *c, int trap, int order, const char *id, const char *text)
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

static wb_finding *new_claim_finding(ctx *c, const wb_claim *cl, int order)
{
    wb_finding *x = new_finding(c, 0, order, cl->id, cl->claim);
    x->side_a = cl->side_a;
    x->side_b = cl->side_b;
    x->measure = measures[cl->measure].name;
    return x;
}

/* The comparable set of the finding, from one of its groups; the axis it spans is -1. */
static void set_context(wb_finding *f, const wb_group *g, wb_axis axis)
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
static void group_label(const wb_group *g, char *out, size_t n)
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
    group_label(g, e->label, sizeof e->label);
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

static void set_ends(wb_finding *f, const wb_group *a, const wb_group *b)
{
    f->has_a = a != NULL;
    f->has_b = b != NULL;
    if (a)
        set_end(&f->a, a);
    if (b)
        set_end(&f->b, b);
}

static void add_test(wb_finding *f, const wb_result *r)
{
    f->tests = wb_xrealloc(f->tests, (size_t)(f->ntests + 1) * sizeof *f->tests);
    wb_finding_test *t = &f->tests[f->ntests++];
    snprintf(t->run_id, sizeof t->run_id, "%s", r->run_id);
    snprintf(t->test, sizeof t->test, "%s", r->test);
    t->repeat = r->repeat;
}

/* Every successful test of g. */
static void add_tests(wb_finding *f, const wb_group *g)
{
    for (int i = 0; i < g->nsamples; i++)
        add_test(f, g->samples[i]);
}

/* "6.00x", "12.3x", "250x": a factor with three significant figures or so. */
static void format_factor(char *out, size_t n, double x)
{
    if (!isfinite(x))
        snprintf(out, n, "-");
    else if (x < 10)
        snprintf(out, n, "%.2fx", x);
    else if (x < 100)
        snprintf(out, n, "%.1fx", x);
    else
        snprintf(out, n, "%.0fx", x);
}

/* " (95% interval 5.80x..6.20x)" or " (single run)", for a factor shown as r or
 * (inverted) as 1/r. */
static void interval_note(wb_buf *out, const wb_ratio *r, int inverted)
{
    if (r->single_run || isnan(r->low)) {
        wb_buf_puts(out, " (single run)");
        return;
    }
    char low[32], high[32];
    format_factor(low, sizeof low, inverted ? 1.0 / r->high : r->low);
    format_factor(high, sizeof high, inverted ? 1.0 / r->low : r->high);
    wb_buf_printf(out, " (95%% interval %s..%s)", low, high);
}

/* "A is 6.00x faster than B (95% interval ...)" from r = mean(B) / mean(A) of durations. */
static void say_faster(wb_buf *out, const char *a, const char *b, const wb_ratio *r)
{
    char factor[32];
    int slower = r->ratio < 1.0;
    format_factor(factor, sizeof factor, slower ? 1.0 / r->ratio : r->ratio);
    wb_buf_printf(out, "%s is %s %s than %s", a, factor, slower ? "slower" : "faster", b);
    interval_note(out, r, slower);
}

static void set_statement(wb_finding *f, wb_buf *text)
{
    snprintf(f->statement, sizeof f->statement, "%s", wb_buf_str(text));
    wb_buf_free(text);
}

/* ---- measures ---------------------------------------------------------------------- */

/* "100,000 rows" or "100,000 rows, 4 threads" for a side measured elsewhere. */
static void size_of(const wb_group *g, int with_threads, char *out, size_t n)
{
    char rows[32];
    wb_format_count(rows, sizeof rows, g->rows);
    if (with_threads)
        snprintf(out, n, "%s rows, %lld thread%s", rows, (long long)g->threads, g->threads == 1 ? "" : "s");
    else
        snprintf(out, n, "%s rows", rows);
}

/* The two sides were measured in the same workload, backend, phase and check,
 * but never at the same rows and threads: say so, with no verdict. */
static void not_compared(ctx *c, const wb_claim *cl, int order, const wb_group *a, const wb_group *b)
{
    wb_finding *f = new_claim_finding(c, cl, order);
    f->verdict = WB_FINDING_NOT_COMPARED;
    set_context(f, a, WB_AXIS_SIZE);
    set_ends(f, a, b);
    add_tests(f, a);
    add_tests(f, b);
    int threads_differ = a->threads != b->threads;
    char sa[64], sb[64];
    size_of(a, threads_differ, sa, sizeof sa);
    size_of(b, threads_differ, sb, sizeof sb);
    wb_buf t = WB_BUF_INIT;
    wb_buf_printf(&t, "not measured at the same size: %s at %s, %s at %s", f->a.label, sa, f->b.label, sb);
    if (a->rows != b->rows)
        wb_buf_puts(&t, " (strategies that commit per row run at --slow-rows; --rows equal to --slow-rows, or a "
                        "--rows scan through it, measures both at one size)");
    set_statement(f, &t);
}

static void pair_finding(ctx *c, const wb_claim *cl, int order, const wb_group *a, const wb_group *b)
{
    wb_finding *f = new_claim_finding(c, cl, order);
    set_context(f, a, WB_AXIS_NONE);
    set_ends(f, a, b);
    add_tests(f, a);
    add_tests(f, b);
    wb_ratio_of_means(a->durations_s, a->nsamples, b->durations_s, b->nsamples, &f->ratio);
    f->verdict = wb_ratio_verdict(&f->ratio);
    wb_buf t = WB_BUF_INIT;
    say_faster(&t, f->a.label, f->b.label, &f->ratio);
    set_statement(f, &t);
}

/* Each side's fastest group in each comparable set; where both sides ran but
 * never in one set, "not compared". */
static void measure_pair(ctx *c, const wb_claim *cl, int order)
{
    int *wide = wb_xmalloc((size_t)(c->ngroups + 1) * sizeof *wide);
    int nwide = set_reps(c, FREE_ROWS | FREE_THREADS, cl->phase, wide);
    for (int w = 0; w < nwide; w++) {
        const wb_group *rep = &c->groups[wide[w]];
        int made = 0;
        for (int i = 0; i < c->ngroups; i++) {
            const wb_group *s = &c->groups[i];
            if (!usable(s) || !same_set(s, rep, FREE_ROWS | FREE_THREADS) || !first_of_set(c, i, 0))
                continue;
            const wb_group *a = fastest(c, s, 0, cl->side_a), *b = fastest(c, s, 0, cl->side_b);
            if (a && b && a != b) {
                pair_finding(c, cl, order, a, b);
                made = 1;
            }
        }
        const wb_group *a = fastest(c, rep, FREE_ROWS | FREE_THREADS, cl->side_a);
        const wb_group *b = fastest(c, rep, FREE_ROWS | FREE_THREADS, cl->side_b);
        if (!made && a && b && a != b)
            not_compared(c, cl, order, a, b);
    }
    free(wide);
}

/* Per strategy of side a in each set: its smallest batch against the fastest of
 * its larger ones, and the batch past which the gain stops growing. */
static void measure_batch(ctx *c, const wb_claim *cl, int order)
{
    int *idx = wb_xmalloc((size_t)(c->ngroups + 1) * sizeof *idx);
    int *scratch = wb_xmalloc((size_t)(c->ngroups + 1) * sizeof *scratch);
    for (int i = 0; i < c->ngroups; i++) {
        const wb_group *g = &c->groups[i];
        if (!usable(g) || g->batch < 0 || !in_side(g, cl->side_a) || (cl->phase && strcmp(g->phase, cl->phase)) ||
            !first_of_series(c, i, WB_AXIS_BATCH, scratch))
            continue;
        int n = series_of(c, g, WB_AXIS_BATCH, idx);
        if (n < 2)
            continue;
        const wb_group *smallest = &c->groups[idx[0]], *best = NULL, *fastest_all = smallest;
        for (int k = 1; k < n; k++) {
            const wb_group *h = &c->groups[idx[k]];
            if (!best || h->mean_duration_s < best->mean_duration_s)
                best = h;
            if (h->mean_duration_s < fastest_all->mean_duration_s)
                fastest_all = h;
        }
        const wb_group *plateau = NULL;
        for (int k = 0; k < n && !plateau; k++)
            if (c->groups[idx[k]].mean_duration_s <= (1.0 + WB_FINDINGS_PLATEAU_BAND) * fastest_all->mean_duration_s)
                plateau = &c->groups[idx[k]];
        wb_finding *f = new_claim_finding(c, cl, order);
        set_context(f, g, WB_AXIS_BATCH);
        set_ends(f, best, smallest);
        for (int k = 0; k < n; k++)
            add_tests(f, &c->groups[idx[k]]);
        wb_ratio_of_means(best->durations_s, best->nsamples, smallest->durations_s, smallest->nsamples, &f->ratio);
        f->verdict = wb_ratio_verdict(&f->ratio);
        f->plateau_batch = plateau->batch;
        char name[160], big[32], small[32], flat[32], largest[32];
        snprintf(name, sizeof name, "%s", g->strategy);
        if (g->external)
            snprintf(name, sizeof name, "%s (%s)", g->strategy, g->language);
        wb_format_count(big, sizeof big, best->batch);
        wb_format_count(small, sizeof small, smallest->batch);
        wb_format_count(flat, sizeof flat, plateau->batch);
        wb_format_count(largest, sizeof largest, c->groups[idx[n - 1]].batch);
        char a[64], b[64];
        snprintf(a, sizeof a, "batch %s", big);
        snprintf(b, sizeof b, "batch %s", small);
        wb_buf t = WB_BUF_INIT;
        wb_buf_printf(&t, "%s: ", name);
        say_faster(&t, a, b, &f->ratio);
        if (plateau == smallest)
            wb_buf_printf(&t, "; no larger batch is more than 5%% faster than batch %s", small);
        else if (plateau == &c->groups[idx[n - 1]])
            wb_buf_printf(&t, "; still gaining at the largest batch measured, %s", largest);
        else
            wb_buf_printf(&t, "; the gain stops growing past batch %s (within 5%% of the fastest batch)", flat);
        set_statement(f, &t);
    }
    free(idx);
    free(scratch);
}

/* Per set: of side a's strategies with a threads scan, the one fastest at its
 * fewest threads, followed to its most; with the lock waits recorded there. */
static void measure_threads(ctx *c, const wb_claim *cl, int order)
{
    int *idx = wb_xmalloc((size_t)(c->ngroups + 1) * sizeof *idx);
    int *reps = wb_xmalloc((size_t)(c->ngroups + 1) * sizeof *reps);
    int nreps = set_reps(c, FREE_THREADS, cl->phase, reps);
    for (int s = 0; s < nreps; s++) {
        const wb_group *rep = &c->groups[reps[s]];
        const wb_group *lo = NULL, *hi = NULL;
        for (int i = 0; i < c->ngroups; i++) {
            const wb_group *g = &c->groups[i];
            if (!usable(g) || !same_set(g, rep, FREE_THREADS) || !in_side(g, cl->side_a))
                continue;
            int n = series_of(c, g, WB_AXIS_THREADS, idx);
            if (n < 2 || idx[0] != i)
                continue; /* no scan, or read from its fewest threads only */
            if (!lo || g->mean_duration_s < lo->mean_duration_s) {
                lo = g;
                hi = &c->groups[idx[n - 1]];
            }
        }
        if (!lo)
            continue;
        wb_finding *f = new_claim_finding(c, cl, order);
        set_context(f, rep, WB_AXIS_THREADS);
        set_ends(f, hi, lo);
        int n = series_of(c, lo, WB_AXIS_THREADS, idx);
        for (int k = 0; k < n; k++)
            add_tests(f, &c->groups[idx[k]]);
        wb_ratio_of_means(hi->durations_s, hi->nsamples, lo->durations_s, lo->nsamples, &f->ratio);
        f->verdict = wb_ratio_verdict(&f->ratio);
        f->per_connection = (f->ratio.ratio - 1.0) / (double)(hi->threads - lo->threads);
        int64_t waits = 0;
        double wait_s = 0;
        int known = 0;
        for (int k = 0; k < hi->nsamples; k++)
            if (hi->samples[k]->lock_waits >= 0) {
                known++;
                waits += hi->samples[k]->lock_waits;
                if (!isnan(hi->samples[k]->lock_wait_s))
                    wait_s += hi->samples[k]->lock_wait_s;
            }
        if (known) {
            f->lock_waits = waits;
            f->lock_wait_s = wait_s;
        }
        char a[64], b[64], name[192];
        snprintf(a, sizeof a, "%lld threads", (long long)hi->threads);
        snprintf(b, sizeof b, "%lld thread%s", (long long)lo->threads, lo->threads == 1 ? "" : "s");
        group_label(lo, name, sizeof name);
        wb_buf t = WB_BUF_INIT;
        wb_buf_printf(&t, "%s, the fastest at %s: ", name, b);
        say_faster(&t, a, b, &f->ratio);
        wb_buf_printf(&t, ", %+.2fx per added connection (+1.00x would be linear)", f->per_connection);
        if (known && waits > 0) {
            char count[32];
            wb_format_count(count, sizeof count, waits);
            wb_buf_printf(&t, "; %s lock waits (%.3f s) at %s", count, wait_s, a);
        }
        set_statement(f, &t);
    }
    free(idx);
    free(reps);
}

/* The peak RSS of g's successful tests as doubles (unknown: NAN) into out. */
static void rss_samples(const wb_group *g, double *out)
{
    for (int i = 0; i < g->nsamples; i++)
        out[i] = g->peak_rss_kb[i] >= 0 ? (double)g->peak_rss_kb[i] : NAN;
}

/* One strategy's peak RSS at its largest N against its smallest. */
typedef struct grown {
    const wb_group *lo, *hi;
    wb_ratio r;
    int grows; /* beyond the noise */
} grown;

/* The growing first, the most growing first; then the rest in group order. */
static int compare_grown(const void *pa, const void *pb)
{
    const grown *a = pa, *b = pb;
    if (a->grows != b->grows)
        return b->grows - a->grows;
    if (a->grows && a->r.ratio != b->r.ratio)
        return a->r.ratio > b->r.ratio ? -1 : 1;
    return (a->lo > b->lo) - (a->lo < b->lo);
}

/* Per set: every strategy of side a measured at two or more rows, its peak RSS
 * at the largest N against the smallest; those that grow beyond the noise named. */
static void measure_memory(ctx *c, const wb_claim *cl, int order)
{
    int *idx = wb_xmalloc((size_t)(c->ngroups + 1) * sizeof *idx);
    int *reps = wb_xmalloc((size_t)(c->ngroups + 1) * sizeof *reps);
    int nreps = set_reps(c, FREE_ROWS, cl->phase, reps);
    grown *all = wb_xmalloc((size_t)(c->ngroups + 1) * sizeof *all);
    for (int s = 0; s < nreps; s++) {
        const wb_group *rep = &c->groups[reps[s]];
        int nall = 0, ngrow = 0;
        for (int i = 0; i < c->ngroups; i++) {
            const wb_group *g = &c->groups[i];
            if (!usable(g) || !same_set(g, rep, FREE_ROWS) || !in_side(g, cl->side_a))
                continue;
            int n = series_of(c, g, WB_AXIS_ROWS, idx);
            if (n < 2 || idx[0] != i)
                continue;
            const wb_group *hi = &c->groups[idx[n - 1]];
            double *lo_rss = wb_xmalloc((size_t)g->nsamples * sizeof *lo_rss);
            double *hi_rss = wb_xmalloc((size_t)hi->nsamples * sizeof *hi_rss);
            rss_samples(g, lo_rss);
            rss_samples(hi, hi_rss);
            grown *x = &all[nall];
            x->lo = g;
            x->hi = hi;
            int ok = wb_ratio_of_means(lo_rss, g->nsamples, hi_rss, hi->nsamples, &x->r) == 0;
            free(lo_rss);
            free(hi_rss);
            if (!ok)
                continue; /* memory not measured */
            x->grows = wb_ratio_verdict(&x->r) == WB_FINDING_CONFIRMED;
            ngrow += x->grows;
            nall++;
        }
        qsort(all, (size_t)nall, sizeof *all, compare_grown);
        if (nall == 0)
            continue;
        wb_finding *f = new_claim_finding(c, cl, order);
        set_context(f, rep, WB_AXIS_ROWS);
        f->ratio_of = "peak_rss_kb";
        f->verdict = ngrow ? WB_FINDING_REFUTED : WB_FINDING_CONFIRMED;
        const grown *top = &all[0];
        if (!ngrow)
            for (int k = 1; k < nall; k++)
                if (fabs(log(all[k].r.ratio)) > fabs(log(top->r.ratio)))
                    top = &all[k];
        set_ends(f, top->hi, top->lo);
        f->ratio = top->r;
        for (int k = 0; k < nall; k++) {
            add_tests(f, all[k].lo);
            add_tests(f, all[k].hi);
        }
        wb_buf t = WB_BUF_INIT;
        if (ngrow) {
            wb_buf_puts(&t, "peak RSS grows with N: ");
            for (int k = 0; k < ngrow && k < MEMORY_NAMED; k++) {
                char label[192], factor[32], from[32], to[32];
                group_label(all[k].lo, label, sizeof label);
                format_factor(factor, sizeof factor, all[k].r.ratio);
                wb_format_count(from, sizeof from, all[k].lo->rows);
                wb_format_count(to, sizeof to, all[k].hi->rows);
                wb_buf_printf(&t, "%s%s %s from %s to %s rows", k ? "; " : "", label, factor, from, to);
                interval_note(&t, &all[k].r, 0);
            }
            if (ngrow > MEMORY_NAMED)
                wb_buf_printf(&t, "; and %d more", ngrow - MEMORY_NAMED);
            if (nall > ngrow)
                wb_buf_printf(&t, "; the other %d do%s not grow beyond the noise", nall - ngrow,
                              nall - ngrow == 1 ? "es" : "");
        } else {
            char label[192], factor[32];
            group_label(top->lo, label, sizeof label);
            format_factor(factor, sizeof factor, top->r.ratio);
            wb_buf_printf(&t, "no strategy's peak RSS grows beyond the noise as N grows (%d strateg%s; the largest "
                              "change: %s, %s",
                          nall, nall == 1 ? "y" : "ies", label, factor);
            interval_note(&t, &top->r, 0);
            wb_buf_putc(&t, ')');
        }
        set_statement(f, &t);
    }
    free(all);
    free(idx);
    free(reps);
}

/* ---- traps ------------------------------------------------------------------------- */

/* The least-squares slope of y on x over n points. NAN when x does not vary. */
static double slope(const double *x, const double *y, int n)
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

/* A series along rows whose fitted exponent k (time ~ N^k, the slope of ln
 * duration on ln rows) is above WB_FINDINGS_SUPERLINEAR_EXPONENT. */
static void trap_superlinear(ctx *c, int order)
{
    int *idx = wb_xmalloc((size_t)(c->ngroups + 1) * sizeof *idx);
    double *x = wb_xmalloc((size_t)(c->ngroups + 1) * sizeof *x);
    double *y = wb_xmalloc((size_t)(c->ngroups + 1) * sizeof *y);
    for (int i = 0; i < c->ngroups; i++) {
        const wb_group *g = &c->groups[i];
        if (!usable(g))
            continue;
        int n = series_of(c, g, WB_AXIS_ROWS, idx);
        if (n < 2 || idx[0] != i)
            continue;
        for (int k = 0; k < n; k++) {
            x[k] = log((double)c->groups[idx[k]].rows);
            y[k] = log(c->groups[idx[k]].mean_duration_s);
        }
        double exponent = slope(x, y, n);
        if (!(exponent > WB_FINDINGS_SUPERLINEAR_EXPONENT))
            continue;
        const struct trap *tr = &traps[order];
        const wb_group *hi = &c->groups[idx[n - 1]];
        wb_finding *f = new_finding(c, 1, order, tr->id, tr->text);
        set_context(f, g, WB_AXIS_ROWS);
        set_ends(f, hi, g);
        for (int k = 0; k < n; k++)
            add_tests(f, &c->groups[idx[k]]);
        wb_ratio_of_means(g->durations_s, g->nsamples, hi->durations_s, hi->nsamples, &f->ratio);
        f->exponent = exponent;
        char label[192], from[32], to[32], rows_factor[32], time_factor[32];
        group_label(g, label, sizeof label);
        wb_format_count(from, sizeof from, g->rows);
        wb_format_count(to, sizeof to, hi->rows);
        format_factor(rows_factor, sizeof rows_factor, (double)hi->rows / (double)g->rows);
        format_factor(time_factor, sizeof time_factor, f->ratio.ratio);
        wb_buf t = WB_BUF_INIT;
        wb_buf_printf(&t,
                      "%s (%s pass): its time grows as N^%.2f from %s to %s rows (%s the rows took %s the time); "
                      "its rows/s falls as N grows: never extrapolate it to a larger N",
                      label, g->phase, exponent, from, to, rows_factor, time_factor);
        set_statement(f, &t);
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
static void trap_failed_verification(ctx *c, int order)
{
    for (int i = 0; i < c->nresults; i++) {
        const wb_result *r = &c->results[i];
        if (!failed_verification(r))
            continue;
        int first = 1;
        for (int j = 0; j < i && first; j++)
            first = !(failed_verification(&c->results[j]) && same_failure_key(&c->results[j], r));
        if (!first)
            continue;
        const struct trap *tr = &traps[order];
        wb_finding *f = new_finding(c, 1, order, tr->id, tr->text);
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
                add_test(f, s);
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
        wb_buf_printf(&t, "%s (%s pass) failed verification in %d of %d test%s: ", f->b.label, r->phase, failed,
                      total, total == 1 ? "" : "s");
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
        set_statement(f, &t);
    }
}

/* External programs whose time is mostly start-up: the share of process_s
 * outside the program's own timed region when it reports one; otherwise, over
 * a rows scan, the fixed cost of a straight line through its times. */
static void trap_startup(ctx *c, int order)
{
    int *idx = wb_xmalloc((size_t)(c->ngroups + 1) * sizeof *idx);
    double *x = wb_xmalloc((size_t)(c->ngroups + 1) * sizeof *x);
    double *y = wb_xmalloc((size_t)(c->ngroups + 1) * sizeof *y);
    for (int i = 0; i < c->ngroups; i++) {
        const wb_group *g = &c->groups[i];
        if (!usable(g) || !g->external || !(g->mean_process_s > 0))
            continue;
        int n = series_of(c, g, WB_AXIS_ROWS, idx);
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
            double b = slope(x, y, n), mx = 0, my = 0;
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
        const struct trap *tr = &traps[order];
        wb_finding *f = new_finding(c, 1, order, tr->id, tr->text);
        set_context(f, g, reported ? WB_AXIS_NONE : WB_AXIS_ROWS);
        set_ends(f, NULL, g);
        f->startup_share = share;
        char label[192], rows[32];
        group_label(g, label, sizeof label);
        wb_format_count(rows, sizeof rows, g->rows);
        wb_buf t = WB_BUF_INIT;
        if (reported) {
            add_tests(f, g);
            wb_buf_printf(&t,
                          "%s (%s pass): %.0f%% of its process time is start-up, imports and connecting (%.3f s of "
                          "%.3f s at %s rows; process_s against its own timed region, duration_s): measure it at a "
                          "larger N, where the writing dominates",
                          label, g->phase, share * 100.0, g->mean_process_s - g->mean_duration_s,
                          g->mean_process_s, rows);
        } else {
            for (int k = 0; k < n; k++)
                add_tests(f, &c->groups[idx[k]]);
            wb_buf_printf(&t,
                          "%s (%s pass): about %.3f s of every test is a fixed cost (start-up, imports, connecting), "
                          "%.0f%% of its time at %s rows (a straight line through its times over the rows "
                          "scan); it does not report its own timed region (docs/EXTERNAL.md), so its rows/s "
                          "includes that cost",
                          label, g->phase, fixed_s, share * 100.0, rows);
        }
        set_statement(f, &t);
    }
    free(idx);
    free(x);
    free(y);
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
    ctx c = {NULL, 0, results, n, out};
    if (wb_aggregate(results, n, &c.groups, &c.ngroups, e) != 0)
        return -1;
    collect_runs(results, n, out);
    out->unchecked = wb_xmalloc((size_t)wb_nclaims * sizeof *out->unchecked);
    for (int i = 0; i < wb_nclaims; i++) {
        int before = out->n;
        measures[wb_claims[i].measure].fn(&c, &wb_claims[i], i);
        if (out->n == before)
            out->unchecked[out->nunchecked++] = &wb_claims[i];
    }
    for (int i = 0; i < (int)(sizeof traps / sizeof *traps); i++)
        traps[i].fn(&c, i);
    sort_findings(out);
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

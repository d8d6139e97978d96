/* How the claims of the findings are measured (findings.c has the table that
 * names them): a pair of sides in each comparable set, and the --batch,
 * --threads and --rows scans. docs/ANALYSIS.md, "findings". */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/findings_internal.h"
#include "util/format.h"

/* How many strategies a memory finding names before "and N more". */
#define MEMORY_NAMED 5

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
static void not_compared(wb_findings_ctx *c, const wb_claim *cl, int order, const wb_group *a, const wb_group *b)
{
    wb_finding *f = wb_findings_new_claim_finding(c, cl, order);
    f->verdict = WB_FINDING_NOT_COMPARED;
    wb_findings_set_context(f, a, WB_AXIS_SIZE);
    wb_findings_set_ends(f, a, b);
    wb_findings_add_tests(f, a);
    wb_findings_add_tests(f, b);
    int threads_differ = a->threads != b->threads;
    char sa[64], sb[64];
    size_of(a, threads_differ, sa, sizeof sa);
    size_of(b, threads_differ, sb, sizeof sb);
    wb_buf t = WB_BUF_INIT;
    wb_buf_printf(&t, "not measured at the same size: %s at %s, %s at %s", f->a.label, sa, f->b.label, sb);
    if (a->rows != b->rows)
        wb_buf_puts(&t, " (strategies that commit per row run at --slow-rows; --rows equal to --slow-rows, or a "
                        "--rows scan through it, measures both at one size)");
    wb_findings_set_statement(f, &t);
}

static void pair_finding(wb_findings_ctx *c, const wb_claim *cl, int order, const wb_group *a, const wb_group *b)
{
    wb_finding *f = wb_findings_new_claim_finding(c, cl, order);
    wb_findings_set_context(f, a, WB_AXIS_NONE);
    wb_findings_set_ends(f, a, b);
    wb_findings_add_tests(f, a);
    wb_findings_add_tests(f, b);
    wb_ratio_of_means(a->durations_s, a->nsamples, b->durations_s, b->nsamples, &f->ratio);
    f->verdict = wb_ratio_verdict(&f->ratio);
    wb_buf t = WB_BUF_INIT;
    wb_findings_say_faster(&t, f->a.label, f->b.label, &f->ratio);
    wb_findings_set_statement(f, &t);
}

/* Each side's fastest group in each comparable set; where both sides ran but
 * never in one set, "not compared". */
void wb_findings_measure_pair(wb_findings_ctx *c, const wb_claim *cl, int order)
{
    int *wide = wb_xmalloc((size_t)(c->ngroups + 1) * sizeof *wide);
    int nwide = wb_findings_set_reps(c, FREE_ROWS | FREE_THREADS, cl->phase, wide);
    for (int w = 0; w < nwide; w++) {
        const wb_group *rep = &c->groups[wide[w]];
        int made = 0;
        for (int i = 0; i < c->ngroups; i++) {
            const wb_group *s = &c->groups[i];
            if (!wb_findings_same_set(c, s, rep, FREE_ROWS | FREE_THREADS) || !wb_findings_first_of_set(c, i, 0))
                continue;
            const wb_group *a = wb_findings_fastest(c, s, 0, cl->side_a), *b = wb_findings_fastest(c, s, 0, cl->side_b);
            if (a && b && a != b) {
                pair_finding(c, cl, order, a, b);
                made = 1;
            }
        }
        const wb_group *a = wb_findings_fastest(c, rep, FREE_ROWS | FREE_THREADS, cl->side_a);
        const wb_group *b = wb_findings_fastest(c, rep, FREE_ROWS | FREE_THREADS, cl->side_b);
        if (!made && a && b && a != b)
            not_compared(c, cl, order, a, b);
    }
    free(wide);
}

/* Per strategy of side a in each set: its smallest batch against the fastest of
 * its larger ones, and the batch past which the gain stops growing. */
void wb_findings_measure_batch(wb_findings_ctx *c, const wb_claim *cl, int order)
{
    int *idx = wb_xmalloc((size_t)(c->ngroups + 1) * sizeof *idx);
    int *scratch = wb_xmalloc((size_t)(c->ngroups + 1) * sizeof *scratch);
    for (int i = 0; i < c->ngroups; i++) {
        const wb_group *g = &c->groups[i];
        if (!wb_findings_usable(g) || g->batch < 0 || !wb_findings_in_side(g, cl->side_a) ||
            (cl->phase && strcmp(g->phase, cl->phase)) ||
            !wb_findings_first_of_series(c, i, WB_AXIS_BATCH, scratch))
            continue;
        int n = wb_findings_series_of(c, g, WB_AXIS_BATCH, idx);
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
        wb_finding *f = wb_findings_new_claim_finding(c, cl, order);
        wb_findings_set_context(f, g, WB_AXIS_BATCH);
        wb_findings_set_ends(f, best, smallest);
        for (int k = 0; k < n; k++)
            wb_findings_add_tests(f, &c->groups[idx[k]]);
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
        wb_findings_say_faster(&t, a, b, &f->ratio);
        if (plateau == smallest)
            wb_buf_printf(&t, "; no larger batch is more than 5%% faster than batch %s", small);
        else if (plateau == &c->groups[idx[n - 1]])
            wb_buf_printf(&t, "; still gaining at the largest batch measured, %s", largest);
        else
            wb_buf_printf(&t, "; the gain stops growing past batch %s (within 5%% of the fastest batch)", flat);
        wb_findings_set_statement(f, &t);
    }
    free(idx);
    free(scratch);
}

/* Per set: of side a's strategies with a threads scan, the one fastest at its
 * fewest threads, followed to its most; with the lock waits recorded there. */
void wb_findings_measure_threads(wb_findings_ctx *c, const wb_claim *cl, int order)
{
    int *idx = wb_xmalloc((size_t)(c->ngroups + 1) * sizeof *idx);
    int *reps = wb_xmalloc((size_t)(c->ngroups + 1) * sizeof *reps);
    int nreps = wb_findings_set_reps(c, FREE_THREADS, cl->phase, reps);
    for (int s = 0; s < nreps; s++) {
        const wb_group *rep = &c->groups[reps[s]];
        const wb_group *lo = NULL, *hi = NULL;
        for (int i = 0; i < c->ngroups; i++) {
            const wb_group *g = &c->groups[i];
            if (!wb_findings_same_set(c, g, rep, FREE_THREADS) || !wb_findings_in_side(g, cl->side_a))
                continue;
            int n = wb_findings_series_of(c, g, WB_AXIS_THREADS, idx);
            if (n < 2 || idx[0] != i)
                continue; /* no scan, or read from its fewest threads only */
            if (!lo || g->mean_duration_s < lo->mean_duration_s) {
                lo = g;
                hi = &c->groups[idx[n - 1]];
            }
        }
        if (!lo)
            continue;
        wb_finding *f = wb_findings_new_claim_finding(c, cl, order);
        wb_findings_set_context(f, rep, WB_AXIS_THREADS);
        wb_findings_set_ends(f, hi, lo);
        int n = wb_findings_series_of(c, lo, WB_AXIS_THREADS, idx);
        for (int k = 0; k < n; k++)
            wb_findings_add_tests(f, &c->groups[idx[k]]);
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
        snprintf(a, sizeof a, "at %lld threads it", (long long)hi->threads);
        snprintf(b, sizeof b, "at %lld thread%s", (long long)lo->threads, lo->threads == 1 ? "" : "s");
        wb_findings_group_label(lo, name, sizeof name);
        wb_buf t = WB_BUF_INIT;
        wb_buf_printf(&t, "%s, the fastest %s: ", name, b);
        wb_findings_say_faster(&t, a, b, &f->ratio);
        wb_buf_printf(&t, ", %+.2fx per added connection (+1.00x would be linear)", f->per_connection);
        if (known && waits > 0) {
            char count[32];
            wb_format_count(count, sizeof count, waits);
            wb_buf_printf(&t, "; %s lock waits (%.3f s) at %lld threads", count, wait_s, (long long)hi->threads);
        }
        wb_findings_set_statement(f, &t);
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
void wb_findings_measure_memory(wb_findings_ctx *c, const wb_claim *cl, int order)
{
    int *idx = wb_xmalloc((size_t)(c->ngroups + 1) * sizeof *idx);
    int *reps = wb_xmalloc((size_t)(c->ngroups + 1) * sizeof *reps);
    int nreps = wb_findings_set_reps(c, FREE_ROWS, cl->phase, reps);
    grown *all = wb_xmalloc((size_t)(c->ngroups + 1) * sizeof *all);
    for (int s = 0; s < nreps; s++) {
        const wb_group *rep = &c->groups[reps[s]];
        int nall = 0, ngrow = 0;
        for (int i = 0; i < c->ngroups; i++) {
            const wb_group *g = &c->groups[i];
            if (!wb_findings_same_set(c, g, rep, FREE_ROWS) || !wb_findings_in_side(g, cl->side_a))
                continue;
            int n = wb_findings_series_of(c, g, WB_AXIS_ROWS, idx);
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
        wb_finding *f = wb_findings_new_claim_finding(c, cl, order);
        wb_findings_set_context(f, rep, WB_AXIS_ROWS);
        f->ratio_of = "peak_rss_kb";
        f->verdict = ngrow ? WB_FINDING_REFUTED : WB_FINDING_CONFIRMED;
        const grown *top = &all[0];
        if (!ngrow)
            for (int k = 1; k < nall; k++)
                if (fabs(log(all[k].r.ratio)) > fabs(log(top->r.ratio)))
                    top = &all[k];
        wb_findings_set_ends(f, top->hi, top->lo);
        f->ratio = top->r;
        for (int k = 0; k < nall; k++) {
            wb_findings_add_tests(f, all[k].lo);
            wb_findings_add_tests(f, all[k].hi);
        }
        wb_buf t = WB_BUF_INIT;
        if (ngrow) {
            wb_buf_puts(&t, "peak RSS grows with N: ");
            for (int k = 0; k < ngrow && k < MEMORY_NAMED; k++) {
                char label[192], factor[32], from[32], to[32];
                wb_findings_group_label(all[k].lo, label, sizeof label);
                wb_findings_format_factor(factor, sizeof factor, all[k].r.ratio);
                wb_format_count(from, sizeof from, all[k].lo->rows);
                wb_format_count(to, sizeof to, all[k].hi->rows);
                wb_buf_printf(&t, "%s%s %s from %s to %s rows", k ? "; " : "", label, factor, from, to);
                wb_findings_interval_note(&t, &all[k].r, 0);
            }
            if (ngrow > MEMORY_NAMED)
                wb_buf_printf(&t, "; and %d more", ngrow - MEMORY_NAMED);
            if (nall > ngrow)
                wb_buf_printf(&t, "; the other %d do%s not grow beyond the noise", nall - ngrow,
                              nall - ngrow == 1 ? "es" : "");
        } else {
            char label[192], factor[32];
            wb_findings_group_label(top->lo, label, sizeof label);
            wb_findings_format_factor(factor, sizeof factor, top->r.ratio);
            wb_buf_printf(&t, "no strategy's peak RSS grows beyond the noise as N grows (%d strateg%s; the largest "
                              "change: %s, %s",
                          nall, nall == 1 ? "y" : "ies", label, factor);
            wb_findings_interval_note(&t, &top->r, 0);
            wb_buf_putc(&t, ')');
        }
        wb_findings_set_statement(f, &t);
    }
    free(all);
    free(idx);
    free(reps);
}


/* The report's summary ("at a glance") and the charts of each comparable set:
 * mean duration and mean peak memory with 95% confidence intervals, rows/s as
 * a share of server-generate, and the z_duration x z_memory scatter (see
 * report.h and docs/ANALYSIS.md, "report"). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/report_internal.h"
#include "analysis/stats.h"
#include "strategies/strategy.h"

/* ---- units ---------------------------------------------------------------------- */

typedef struct unit {
    double below;    /* use this unit when the largest value is below this (base units) */
    double divisor;  /* base units per unit */
    const char *name;
} unit;

static const unit duration_units[] = {
    {1e-3, 1e-6, "\xC2\xB5s"}, /* µs */
    {1.0, 1e-3, "ms"},
    {INFINITY, 1.0, "s"},
};
static const unit memory_units[] = { /* base: KiB */
    {4096.0, 1.0, "KiB"},
    {4096.0 * 1024, 1024.0, "MiB"},
    {INFINITY, 1024.0 * 1024, "GiB"},
};

static const unit *pick_unit(const unit *units, double largest)
{
    const unit *u = units;
    while (isfinite(u->below) && !(largest < u->below))
        u++;
    return u;
}

/* "12.3 ms" into out. */
static void format_with_unit(char *out, size_t n, double v, const unit *u)
{
    char num[32];
    wb_svg_number(num, sizeof num, v / u->divisor);
    snprintf(out, n, "%s %s", num, u->name);
}

/* ---- at a glance --------------------------------------------------------------------- */

/* C against the other languages: when a panel's phase has both, how the
 * fastest external program's mean time compares with the fastest built-in
 * client strategy's (server-generate, the reference, is no client). */
static void glance_origins(wb_buf *out, const panel *p, const wb_group *builtin, const wb_group *external)
{
    char builtin_label[192], external_label[192], dur[48];
    wb_report_group_label(p, builtin, builtin_label, sizeof builtin_label);
    wb_report_group_label(p, external, external_label, sizeof external_label);
    format_with_unit(dur, sizeof dur, external->mean_duration_s, pick_unit(duration_units, external->mean_duration_s));
    wb_buf_puts(out, "; the fastest external program, <b>");
    esc(out, external_label);
    wb_buf_printf(out, "</b> (mean %s), takes %.2fx the time of the fastest built-in client strategy, ", dur,
                  external->mean_duration_s / builtin->mean_duration_s);
    esc(out, builtin_label);
}

/* One sentence per panel and phase: the fastest test, how sure that is, the
 * spread to the slowest, and external programs against built-in strategies. */
void wb_report_glance(report *r)
{
    wb_buf *out = r->out;
    wb_buf_puts(out, "<h2 id=\"glance\">At a glance</h2>\n<ul>");
    static const char *const phases[] = {"insert", "update"};
    int said = 0;
    for (int pi = 0; pi < r->npanels; pi++) {
        const panel *p = &r->panels[pi];
        for (size_t ph = 0; ph < 2; ph++) {
            const wb_group *best = NULL, *second = NULL, *worst = NULL, *lean = NULL;
            const wb_group *best_of[2] = {NULL, NULL}; /* fastest built-in, fastest external */
            int n = 0;
            for (int k = 0; k < p->ngroups; k++) {
                const wb_group *g = &r->groups[p->groups[k]];
                if (strcmp(g->phase, phases[ph]) != 0 || !isfinite(g->mean_duration_s))
                    continue;
                n++;
                /* server-generate is no client: external programs compete with the C clients */
                const wb_group **origin_best = &best_of[g->external != 0];
                if ((g->external || !(wb_strategy_flags_of(g->strategy) & WB_STRAT_REFERENCE)) &&
                    (!*origin_best || g->mean_duration_s < (*origin_best)->mean_duration_s))
                    *origin_best = g;
                if (!best || g->mean_duration_s < best->mean_duration_s) {
                    second = best;
                    best = g;
                } else if (!second || g->mean_duration_s < second->mean_duration_s) {
                    second = g;
                }
                if (!worst || g->mean_duration_s > worst->mean_duration_s)
                    worst = g;
                if (isfinite(g->mean_peak_rss_kb) && (!lean || g->mean_peak_rss_kb < lean->mean_peak_rss_kb))
                    lean = g;
            }
            if (!best)
                continue;
            said++;
            char title[256], best_label[192];
            wb_report_panel_title(p, title, sizeof title);
            wb_report_group_label(p, best, best_label, sizeof best_label);
            wb_buf_puts(out, "<li>");
            esc(out, title);
            wb_buf_printf(out, ", %s: %s <b>", phases[ph], n == 1 ? "one test only," : "fastest");
            esc(out, best_label);
            char dur[48];
            format_with_unit(dur, sizeof dur, best->mean_duration_s,
                             pick_unit(duration_units, best->mean_duration_s));
            wb_buf_printf(out, "</b> (mean %s", dur);
            if (isfinite(best->mean_rows_per_s))
                wb_buf_printf(out, ", %.0f rows/s", best->mean_rows_per_s);
            wb_buf_puts(out, ")");
            if (second) {
                char second_label[192];
                wb_report_group_label(p, second, second_label, sizeof second_label);
                /* Ahead beyond noise when the two 95% intervals do not overlap. */
                int clear = isfinite(best->ci95_high_s) && isfinite(second->ci95_low_s) &&
                            best->ci95_high_s < second->ci95_low_s;
                int unknown = !isfinite(best->ci95_high_s) || !isfinite(second->ci95_low_s);
                wb_buf_printf(out, ", %.2fx the speed of the runner-up ", second->mean_duration_s / best->mean_duration_s);
                esc(out, second_label);
                wb_buf_puts(out, unknown ? " (too few repeats to tell the noise apart)"
                                 : clear ? " (the 95% intervals do not overlap: beyond noise)"
                                         : " (the 95% intervals overlap: within noise)");
            }
            if (worst && worst != best)
                wb_buf_printf(out, "; %.1fx faster than the slowest", worst->mean_duration_s / best->mean_duration_s);
            if (n > 1)
                wb_buf_printf(out, "; %d tests compared", n);
            if (lean && n > 1) {
                char lean_label[192], mem[48];
                wb_report_group_label(p, lean, lean_label, sizeof lean_label);
                format_with_unit(mem, sizeof mem, lean->mean_peak_rss_kb, pick_unit(memory_units, lean->mean_peak_rss_kb));
                wb_buf_puts(out, "; least memory: ");
                esc(out, lean_label);
                wb_buf_printf(out, " (%s)", mem);
            }
            if (best_of[0] && best_of[1])
                glance_origins(out, p, best_of[0], best_of[1]);
            wb_buf_puts(out, ".</li>");
        }
    }
    if (!said)
        wb_buf_puts(out, "<li>No test succeeded, so there is nothing to compare.</li>");
    wb_buf_puts(out, "</ul>\n");
}

/* ---- per-panel charts --------------------------------------------------------------- */

static const char *const phase_names[] = {"insert", "update", "other"};
/* With external programs in a panel, they get series of their own (bar styles
 * 2 and 3: another colour and hatch; other scatter markers) after the built-in
 * insert and update. Phases are only insert or update once runs are read
 * (runs.c refuses others), so "other" is never needed beside them. */
static const char *const origin_series_names[] = {"insert", "update", "insert, external program",
                                                  "update, external program"};

/* The series (style and legend entry) of a group. */
static int group_series(const wb_group *g)
{
    if (g->external)
        return 2 + (phase_series(g->phase) == 1);
    return phase_series(g->phase);
}

/* The legend entries of the panel's bar and scatter charts into *names; returns
 * how many. Without external programs: the phases present (series index =
 * phase_series), as before origins existed. */
static int panel_series(const report *r, const panel *p, const char *const **names)
{
    int n = 1, external = 0;
    for (int k = 0; k < p->ngroups; k++) {
        const wb_group *g = &r->groups[p->groups[k]];
        int s = phase_series(g->phase) + 1;
        n = s > n ? s : n;
        external |= g->external;
    }
    *names = external ? origin_series_names : phase_names;
    return external ? 4 : n;
}

static void chart_duration(report *r, const panel *p)
{
    int n = p->ngroups;
    wb_bar *bars = wb_xcalloc((size_t)n, sizeof *bars);
    char (*labels)[192] = wb_xcalloc((size_t)n, sizeof *labels);
    char (*notes)[96] = wb_xcalloc((size_t)n, sizeof *notes);
    double largest = 0;
    for (int k = 0; k < n; k++) {
        const wb_group *g = &r->groups[p->groups[k]];
        double candidates[] = {g->mean_duration_s, g->ci95_high_s};
        for (size_t c = 0; c < 2; c++)
            if (isfinite(candidates[c]) && candidates[c] > largest)
                largest = candidates[c];
    }
    const unit *u = pick_unit(duration_units, largest);
    for (int k = 0; k < n; k++) {
        const wb_group *g = &r->groups[p->groups[k]];
        wb_report_group_label(p, g, labels[k], sizeof labels[k]);
        double d = u->divisor;
        bars[k] = (wb_bar){labels[k], g->mean_duration_s / d, g->ci95_low_s / d, g->ci95_high_s / d,
                           group_series(g), notes[k]};
        if (isfinite(g->mean_duration_s)) {
            char v[48];
            format_with_unit(v, sizeof v, g->mean_duration_s, u);
            snprintf(notes[k], sizeof notes[k], "%s, n=%d", v, g->successes);
        } else {
            snprintf(notes[k], sizeof notes[k], "no successful test (%d failed)", g->runs);
        }
    }
    char title[320], axis[64];
    wb_report_panel_title(p, title, sizeof title);
    snprintf(axis, sizeof axis, "mean duration (%s)", u->name);
    char *id = wb_report_new_id(r, "dur");
    const char *const *series_names;
    int nseries = panel_series(r, p, &series_names);
    wb_bar_chart c = {id, title, axis, bars, n, series_names, nseries,
                      "95% confidence interval of the mean", NAN, NULL, CHART_WIDTH};
    figure_open(r->out, "duration");
    wb_svg_bar_chart(r->out, &c);
    figure_close(r->out, "Mean duration per test (shorter is better). Error bars: the 95% confidence interval of "
                         "the mean (Student's t over the repeats); none when a test succeeded only once.");
    free(id);
    free(notes);
    free(labels);
    free(bars);
}

static void chart_memory(report *r, const panel *p)
{
    int n = p->ngroups;
    wb_bar *bars = wb_xcalloc((size_t)n, sizeof *bars);
    char (*labels)[192] = wb_xcalloc((size_t)n, sizeof *labels);
    char (*notes)[96] = wb_xcalloc((size_t)n, sizeof *notes);
    double *lows = wb_xcalloc((size_t)n, sizeof *lows), *highs = wb_xcalloc((size_t)n, sizeof *highs);
    double largest = 0;
    for (int k = 0; k < n; k++) {
        const wb_group *g = &r->groups[p->groups[k]];
        /* The same interval as for durations, over the repeats' peak RSS. */
        wb_stats s;
        wb_stats_init(&s);
        for (int i = 0; i < g->nsamples; i++)
            if (g->peak_rss_kb[i] >= 0)
                wb_stats_add(&s, (double)g->peak_rss_kb[i]);
        wb_stats_ci95(&s, &lows[k], &highs[k]);
        double candidates[] = {g->mean_peak_rss_kb, highs[k]};
        for (size_t c = 0; c < 2; c++)
            if (isfinite(candidates[c]) && candidates[c] > largest)
                largest = candidates[c];
    }
    const unit *u = pick_unit(memory_units, largest);
    for (int k = 0; k < n; k++) {
        const wb_group *g = &r->groups[p->groups[k]];
        wb_report_group_label(p, g, labels[k], sizeof labels[k]);
        double d = u->divisor;
        bars[k] = (wb_bar){labels[k], g->mean_peak_rss_kb / d, lows[k] / d, highs[k] / d, group_series(g),
                           notes[k]};
        if (isfinite(g->mean_peak_rss_kb))
            format_with_unit(notes[k], sizeof notes[k], g->mean_peak_rss_kb, u);
        else
            snprintf(notes[k], sizeof notes[k], "unknown");
    }
    char title[320], axis[64];
    wb_report_panel_title(p, title, sizeof title);
    snprintf(axis, sizeof axis, "mean peak resident memory of the client (%s)", u->name);
    char *id = wb_report_new_id(r, "mem");
    const char *const *series_names;
    int nseries = panel_series(r, p, &series_names);
    wb_bar_chart c = {id, title, axis, bars, n, series_names, nseries,
                      "95% confidence interval of the mean", NAN, NULL, CHART_WIDTH};
    figure_open(r->out, "memory");
    wb_svg_bar_chart(r->out, &c);
    figure_close(r->out, "Mean peak resident memory (ru_maxrss) of the test's process, which for SQLite includes "
                         "the engine and its page cache. Error bars: the 95% confidence interval of the mean over "
                         "the repeats.");
    free(id);
    free(lows);
    free(highs);
    free(notes);
    free(labels);
    free(bars);
}

/* The server-generate group the group is measured against: same workload,
 * backend and phase, the same rows per table if there is one, else the nearest
 * rows (the slow strategies run at --slow-rows); NULL when none. */
static const wb_group *reference_of(const report *r, const wb_group *g)
{
    const wb_group *best = NULL;
    double best_distance = INFINITY;
    for (int i = 0; i < r->ngroups; i++) {
        const wb_group *ref = &r->groups[i];
        if (ref->external || !(wb_strategy_flags_of(ref->strategy) & WB_STRAT_REFERENCE) ||
            strcmp(ref->workload, g->workload) != 0 ||
            strcmp(ref->backend, g->backend) != 0 || strcmp(ref->phase, g->phase) != 0 ||
            !(ref->mean_rows_per_s > 0))
            continue;
        double distance = fabs(log((double)ref->rows / (double)g->rows)) + (ref->threads != g->threads) * 1e-3;
        if (distance < best_distance) {
            best_distance = distance;
            best = ref;
        }
    }
    return best;
}

static void chart_share(report *r, const panel *p)
{
    int n = p->ngroups, nbars = 0, other_rows = 0;
    wb_bar *bars = wb_xcalloc((size_t)n, sizeof *bars);
    char (*labels)[192] = wb_xcalloc((size_t)n, sizeof *labels);
    char (*notes)[96] = wb_xcalloc((size_t)n, sizeof *notes);
    for (int k = 0; k < n; k++) {
        const wb_group *g = &r->groups[p->groups[k]];
        const wb_group *ref = reference_of(r, g);
        if (!ref)
            continue;
        wb_report_group_label(p, g, labels[nbars], sizeof labels[nbars]);
        double share = 100.0 * g->mean_rows_per_s / ref->mean_rows_per_s;
        bars[nbars] = (wb_bar){labels[nbars], share, NAN, NAN, group_series(g), notes[nbars]};
        if (!isfinite(share))
            snprintf(notes[nbars], sizeof notes[nbars], "no successful test");
        else if (ref->rows != g->rows) {
            other_rows = 1;
            snprintf(notes[nbars], sizeof notes[nbars], "%.1f%% (vs %lld rows)", share, (long long)ref->rows);
        } else {
            snprintf(notes[nbars], sizeof notes[nbars], "%.1f%%", share);
        }
        nbars++;
    }
    if (nbars == 0) {
        wb_buf_puts(r->out, "<p class=\"note\">No successful server-generate test of this workload and backend: "
                            "no reference for the share of the server-generate reference.</p>\n");
    } else {
        char title[320];
        wb_report_panel_title(p, title, sizeof title);
        char *id = wb_report_new_id(r, "share");
        const char *const *series_names;
        int nseries = panel_series(r, p, &series_names);
        wb_bar_chart c = {id, title, "rows/s as a percentage of server-generate's rows/s (%)", bars, nbars,
                          series_names, nseries, NULL, 100.0, "server-generate = 100%", CHART_WIDTH};
        figure_open(r->out, "share");
        wb_svg_bar_chart(r->out, &c);
        figure_close(r->out, other_rows
                                 ? "Mean rows/s over server-generate's mean rows/s of the same phase (" WB_REFERENCE_MEANING
                                   "). Tests at other sizes (the slow strategies at --slow-rows) are compared with the "
                                   "server-generate test of the nearest size, whose rows the bar's note names."
                                 : "Mean rows/s over server-generate's mean rows/s of the same phase (" WB_REFERENCE_MEANING
                                   ").");
        free(id);
    }
    free(notes);
    free(labels);
    free(bars);
}

static void chart_scatter(report *r, const panel *p)
{
    int n = p->ngroups, npoints = 0;
    wb_point *points = wb_xcalloc((size_t)n, sizeof *points);
    char (*labels)[16] = wb_xcalloc((size_t)n, sizeof *labels);
    char (*hovers)[256] = wb_xcalloc((size_t)n, sizeof *hovers);
    int *which = wb_xcalloc((size_t)n, sizeof *which);
    /* A phase with one group has z = 0 by definition (nothing to compare
     * with): such points would sit at the origin saying nothing, so they are
     * left out. */
    int known[3] = {0, 0, 0};
    for (int k = 0; k < n; k++) {
        const wb_group *g = &r->groups[p->groups[k]];
        known[phase_series(g->phase)] += isfinite(g->z_duration) && isfinite(g->z_memory);
    }
    for (int k = 0; k < n; k++) {
        const wb_group *g = &r->groups[p->groups[k]];
        if (!isfinite(g->z_duration) || !isfinite(g->z_memory) || known[phase_series(g->phase)] < 2)
            continue;
        char label[192];
        wb_report_group_label(p, g, label, sizeof label);
        snprintf(labels[npoints], sizeof labels[npoints], "%d", npoints + 1);
        snprintf(hovers[npoints], sizeof hovers[npoints], "%d %s: z_duration %.2f, z_memory %.2f", npoints + 1,
                 label, g->z_duration, g->z_memory);
        points[npoints] = (wb_point){g->z_duration, g->z_memory, labels[npoints], hovers[npoints],
                                     group_series(g)};
        which[npoints++] = p->groups[k];
    }
    if (npoints < 2) {
        wb_buf_puts(r->out, "<p class=\"note\">No scatter: the z-scores need at least two comparable tests (same "
                            "phase) with a known duration and memory.</p>\n");
    } else {
        char title[320];
        wb_report_panel_title(p, title, sizeof title);
        char *id = wb_report_new_id(r, "z");
        const char *const *series_names;
        int nseries = panel_series(r, p, &series_names);
        wb_scatter c = {id, title, "z_duration (standard deviations from the mean duration)",
                        "z_memory (sd from the mean peak memory)", points, npoints, series_names, nseries, 1,
                        "lower left: faster and leaner", 620, 460};
        figure_open(r->out, "scatter");
        wb_buf_puts(r->out, "<div class=\"pair\">");
        wb_svg_scatter(r->out, &c);
        wb_buf_puts(r->out, "<table>");
        static const char *const head[] = {"#", "test", "z_duration", "z_memory", NULL};
        header_row(r->out, head);
        for (int i = 0; i < npoints; i++) {
            const wb_group *g = &r->groups[which[i]];
            char label[192];
            wb_report_group_label(p, g, label, sizeof label);
            wb_buf_puts(r->out, "<tr>");
            cell_number(r->out, "%.0f", i + 1);
            cell_text(r->out, label);
            cell_number(r->out, "%.2f", g->z_duration);
            cell_number(r->out, "%.2f", g->z_memory);
            wb_buf_puts(r->out, "</tr>");
        }
        wb_buf_puts(r->out, "</table></div>");
        figure_close(r->out, "Each test's mean duration and mean peak memory as z-scores: how many standard "
                             "deviations it lies from the mean of the comparable tests (same workload, backend, "
                             "rows and phase). Left is faster, down is leaner; the numbers are the table's.");
        free(id);
    }
    free(which);
    free(hovers);
    free(labels);
    free(points);
}

void wb_report_panels(report *r)
{
    for (int i = 0; i < r->npanels; i++) {
        const panel *p = &r->panels[i];
        char title[256];
        wb_report_panel_title(p, title, sizeof title);
        wb_buf_printf(r->out, "<section class=\"panel\" id=\"panel%d\"><h2>", i + 1);
        esc(r->out, title);
        wb_buf_puts(r->out, "</h2>\n<h3>Duration</h3>\n");
        chart_duration(r, p);
        wb_buf_puts(r->out, "<h3>Memory</h3>\n");
        chart_memory(r, p);
        wb_buf_puts(r->out, "<h3>Share of the server-generate reference</h3>\n");
        chart_share(r, p);
        wb_buf_puts(r->out, "<h3>Duration against memory</h3>\n");
        chart_scatter(r, p);
        wb_buf_puts(r->out, "<h3>Batch latency</h3>\n");
        wb_report_latency_chart(r, p);
        wb_buf_puts(r->out, "</section>\n");
    }
}


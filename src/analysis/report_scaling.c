/* The report's scaling lines: mean rows/s against rows, batch and threads,
 * one line per strategy, drawn only for the parameters the runs vary, with the
 * fitted change per ten-fold (or doubling) step in words; and, when the runs scan
 * session settings (--set, --pragma), rows/s against them: one bar per strategy and
 * setting, side by side (see docs/ANALYSIS.md, "report"). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/report_internal.h"

/* ---- scaling ------------------------------------------------------------------------- */

/* A parameter the runs may scan. */
typedef struct scan_dim {
    const char *name;       /* "rows" */
    const char *axis_label;
    double step;            /* the change the trend is told for: ten-fold, doubling */
    const char *step_words;
    int always_log;
} scan_dim;

static const scan_dim scan_dims[] = {
    {"rows", "table size (rows per table)", 10, "ten-fold rows", 1},
    {"batch", "batch size (rows per batch)", 10, "ten-fold batch", 0},
    {"threads", "threads (connections writing at once)", 2, "doubling of threads", 0},
};

/* The group's value of dimension d (index into scan_dims); -1: not applicable. */
static int64_t dim_value(const wb_group *g, int d)
{
    return d == 0 ? g->rows : d == 1 ? g->batch : g->threads;
}

/* Whether the groups hold more than one value of dimension d. */
static int dim_varies(const report *r, int d)
{
    for (int i = 1; i < r->ngroups; i++)
        if (dim_value(&r->groups[i], d) >= 0 && dim_value(&r->groups[i], d) != dim_value(&r->groups[0], d))
            return 1;
    return 0;
}

/* Whether g belongs to the chart whose key is the group k along dimension d:
 * same workload, backend, phase and the other two dimensions; a group that
 * ignores --batch (batch -1) joins every batch value when merge_unbatched. */
static int same_chart(const wb_group *g, const wb_group *k, int d, int merge_unbatched)
{
    if (strcmp(g->workload, k->workload) != 0 || strcmp(g->backend, k->backend) != 0 ||
        strcmp(g->phase, k->phase) != 0 || strcmp(g->settings, k->settings) != 0)
        return 0;
    for (int o = 0; o < 3; o++) {
        if (o == d)
            continue;
        int64_t a = dim_value(g, o), b = dim_value(k, o);
        if (a != b && !(o == 1 && merge_unbatched && a < 0))
            return 0;
    }
    return 1;
}

typedef struct scan_point {
    double x, y;
} scan_point;

static int compare_scan_point(const void *a, const void *b)
{
    const scan_point *p = a, *q = b;
    return (p->x > q->x) - (p->x < q->x);
}

/* The least-squares slope of log(y) on log(x): y grows by step^slope per step of x. */
static double log_slope(const scan_point *pts, int n)
{
    double sx = 0, sy = 0, sxx = 0, sxy = 0;
    int m = 0;
    for (int i = 0; i < n; i++) {
        if (!(pts[i].x > 0) || !(pts[i].y > 0))
            continue;
        double lx = log(pts[i].x), ly = log(pts[i].y);
        sx += lx;
        sy += ly;
        sxx += lx * lx;
        sxy += lx * ly;
        m++;
    }
    double den = m * sxx - sx * sx;
    return m >= 2 && den > 0 ? (m * sxy - sx * sy) / den : NAN;
}

/* One scaling chart: every strategy's mean rows/s along dimension d among the
 * groups of the chart keyed by key. Returns 1 when drawn (some line has two points). */
static int scaling_chart(report *r, int d, const wb_group *key, int merge_unbatched)
{
    const scan_dim *dim = &scan_dims[d];
    /* Lines: one per strategy (and per batch value for a rows or threads chart
     * would be a different chart, so the strategy is enough here). */
    int cap = r->ngroups;
    wb_line *lines = wb_xcalloc((size_t)cap, sizeof *lines);
    /* a line's name: the strategy, with an external program's language */
    char (*names)[160] = wb_xcalloc((size_t)cap + 1, sizeof *names);
    scan_point **pts = wb_xcalloc((size_t)cap, sizeof *pts);
    double **xs = wb_xcalloc((size_t)cap, sizeof *xs), **ys = wb_xcalloc((size_t)cap, sizeof *ys);
    int nlines = 0, drawable = 0;
    double xmin = INFINITY, xmax = 0;
    for (int i = 0; i < r->ngroups; i++) {
        const wb_group *g = &r->groups[i];
        if (dim_value(g, d) < 0 || !same_chart(g, key, d, merge_unbatched))
            continue;
        char name[160];
        wb_group_label(g->strategy, g->external, g->language, name, sizeof name);
        int l = 0;
        while (l < nlines && strcmp(lines[l].name, name) != 0)
            l++;
        if (l == nlines) {
            memcpy(names[l], name, sizeof name);
            lines[l] = (wb_line){names[l], NULL, NULL, 0, wb_report_strategy_style(r, g->strategy)};
            pts[l] = wb_xcalloc((size_t)r->ngroups, sizeof **pts);
            nlines++;
        }
        pts[l][lines[l].n++] = (scan_point){(double)dim_value(g, d), g->mean_rows_per_s};
        double xv = (double)dim_value(g, d);
        xmin = xv < xmin ? xv : xmin;
        xmax = xv > xmax ? xv : xmax;
    }
    /* A strategy measured at one value of the parameter only (the slow ones
     * at --slow-rows) has no line: it is named under the chart instead. */
    wb_buf single = WB_BUF_INIT;
    for (int l = 0; l < nlines; l++) {
        qsort(pts[l], (size_t)lines[l].n, sizeof **pts, compare_scan_point);
        if (pts[l][0].x == pts[l][lines[l].n - 1].x) {
            wb_buf_printf(&single, "%s%s", single.len ? ", " : "", lines[l].name);
            free(pts[l]);
            memmove(&lines[l], &lines[l + 1], sizeof *lines * (size_t)(nlines - l - 1));
            memmove(&pts[l], &pts[l + 1], sizeof *pts * (size_t)(nlines - l - 1));
            nlines--;
            l--;
        }
    }
    for (int l = 0; l < nlines; l++) {
        xs[l] = wb_xcalloc((size_t)lines[l].n, sizeof **xs);
        ys[l] = wb_xcalloc((size_t)lines[l].n, sizeof **ys);
        for (int k = 0; k < lines[l].n; k++) {
            xs[l][k] = pts[l][k].x;
            ys[l][k] = pts[l][k].y;
        }
        lines[l].x = xs[l];
        lines[l].y = ys[l];
        drawable = 1;
    }
    if (drawable) {
        wb_buf *out = r->out;
        char title[320], axis_y[64];
        int n = snprintf(title, sizeof title, "rows/s against %s: %s workload, %s, %s", dim->name, key->workload,
                         key->backend, key->phase);
        for (int o = 0; o < 3 && n >= 0 && (size_t)n < sizeof title; o++) {
            if (o == d || (o == 1 && dim_value(key, o) < 0) || !dim_varies(r, o))
                continue;
            n += snprintf(title + n, sizeof title - (size_t)n, ", %s %lld", scan_dims[o].name,
                          (long long)dim_value(key, o));
        }
        if (key->settings[0] && n >= 0 && (size_t)n < sizeof title)
            snprintf(title + n, sizeof title - (size_t)n, ", %s", key->settings);
        int x_log = dim->always_log || (xmin > 0 && xmax / xmin >= 10);
        snprintf(axis_y, sizeof axis_y, "mean rate (rows/s)");
        char *id = wb_report_new_id(r, "scale");
        /* the chart itself goes log on y when the rates span more than 20x, and says so */
        wb_line_chart c = {id, title, dim->axis_label, axis_y, lines, nlines, x_log, 0, CHART_WIDTH, 380};
        wb_buf_puts(out, "<h3>");
        esc(out, title);
        wb_buf_puts(out, "</h3>\n");
        char kind[32];
        snprintf(kind, sizeof kind, "scaling-%s", dim->name);
        figure_open(out, kind);
        wb_svg_line_chart(out, &c);
        wb_buf caption = WB_BUF_INIT;
        wb_buf_printf(&caption,
                      "Mean rows/s (over all tables) of each strategy at each %s value the runs used; one line per "
                      "strategy, its name at the right end.%s",
                      dim->name, merge_unbatched && dim_varies(r, 1) ? " Strategies that ignore --batch appear at every batch value." : "");
        if (single.len)
            wb_buf_printf(&caption, " Measured at one %s value only, so not drawn: %s.", dim->name,
                          wb_buf_str(&single));
        figure_close(out, wb_buf_str(&caption));
        wb_buf_free(&caption);
        free(id);

        /* The trend, in words: the fitted change per step of the parameter. */
        wb_buf_puts(out, "<table>");
        char head3[64];
        snprintf(head3, sizeof head3, "rows/s per %s", dim->step_words);
        const char *head[] = {"strategy", dim->name, "rows/s at the smallest", "rows/s at the largest", head3,
                              "trend", NULL};
        header_row(out, head);
        for (int l = 0; l < nlines; l++) {
            double slope = log_slope(pts[l], lines[l].n);
            double factor = pow(dim->step, slope);
            char range[64], trend[96];
            snprintf(range, sizeof range, "%lld to %lld", (long long)xs[l][0], (long long)xs[l][lines[l].n - 1]);
            if (!isfinite(factor))
                snprintf(trend, sizeof trend, "unknown (a test failed)");
            else if (factor >= 0.9 && factor <= 1.1)
                snprintf(trend, sizeof trend, "flat (within 10%%)");
            else if (factor < 1)
                snprintf(trend, sizeof trend, "falling by %.0f%% per %s", 100 * (1 - factor), dim->step_words);
            else
                snprintf(trend, sizeof trend, "rising by %.0f%% per %s", 100 * (factor - 1), dim->step_words);
            wb_buf_puts(out, "<tr>");
            cell_text(out, lines[l].name);
            cell_text(out, range);
            cell_number(out, "%.0f", ys[l][0]);
            cell_number(out, "%.0f", ys[l][lines[l].n - 1]);
            if (isfinite(factor))
                cell_number(out, "x%.2f", factor);
            else
                cell_text(out, "");
            cell_text(out, trend);
            wb_buf_puts(out, "</tr>");
        }
        wb_buf_puts(out, "</table>\n<p class=\"note\">The change per step is fitted over all the points of the "
                         "line (least squares on log rows/s against log of the parameter); within 10% counts as "
                         "flat.</p>\n");
    }
    wb_buf_free(&single);
    for (int l = 0; l < nlines; l++) {
        free(pts[l]);
        free(xs[l]);
        free(ys[l]);
    }
    free(pts);
    free(xs);
    free(ys);
    free(lines);
    free(names);
    return drawable;
}

/* Chart order: workload, backend, phase, then the other parameters ascending. */
static int compare_chart_key(const wb_group *x, const wb_group *y, int d)
{
    int c = strcmp(x->workload, y->workload);
    if (!c)
        c = strcmp(x->backend, y->backend);
    if (!c)
        c = phase_series(x->phase) - phase_series(y->phase);
    if (!c)
        c = strcmp(x->settings, y->settings);
    for (int o = 0; o < 3 && !c; o++)
        if (o != d)
            c = (dim_value(x, o) > dim_value(y, o)) - (dim_value(x, o) < dim_value(y, o));
    return c;
}

/* Insertion sort of the chart keys along d (a handful of them; qsort has no
 * context argument for d). */
static void sort_chart_keys(const wb_group **keys, int n, int d)
{
    for (int i = 1; i < n; i++)
        for (int k = i; k > 0 && compare_chart_key(keys[k - 1], keys[k], d) > 0; k--) {
            const wb_group *t = keys[k];
            keys[k] = keys[k - 1];
            keys[k - 1] = t;
        }
}

/* ---- settings ------------------------------------------------------------------------ */

/* Whether g belongs to the settings chart of key: the same but for the settings; a
 * group that ignores --batch (batch -1) joins the chart of every batch value. */
static int same_but_settings(const wb_group *g, const wb_group *k)
{
    return strcmp(g->workload, k->workload) == 0 && strcmp(g->backend, k->backend) == 0 &&
           strcmp(g->phase, k->phase) == 0 && g->rows == k->rows && (g->batch == k->batch || g->batch < 0) &&
           g->threads == k->threads;
}

/* Whether two groups are of one strategy (the same program: name, origin, language). */
static int same_strategy(const wb_group *a, const wb_group *b)
{
    return strcmp(a->strategy, b->strategy) == 0 && a->external == b->external && strcmp(a->language, b->language) == 0;
}

/* One chart of the groups that differ from key only in their settings: a bar per
 * strategy and setting, the strategies' bars side by side, one series (shade and
 * hatch) per setting. Returns 1 when drawn (two settings at least). */
static int settings_chart(report *r, const wb_group *key)
{
    const char **labels = wb_xcalloc((size_t)r->ngroups + 1, sizeof *labels);
    int nlabels = 0;
    for (int i = 0; i < r->ngroups; i++) {
        const wb_group *g = &r->groups[i];
        int known = 0;
        for (int k = 0; k < nlabels && !known; k++)
            known = strcmp(labels[k], g->settings) == 0;
        if (same_but_settings(g, key) && !known)
            labels[nlabels++] = g->settings;
    }
    if (nlabels < 2) {
        free(labels);
        return 0;
    }
    /* settings in a fixed order (the groups come fastest first): by their text */
    for (int i = 1; i < nlabels; i++)
        for (int k = i; k > 0 && strcmp(labels[k - 1], labels[k]) > 0; k--) {
            const char *t = labels[k];
            labels[k] = labels[k - 1];
            labels[k - 1] = t;
        }
    /* bars: strategies in the order met, each with its groups in the order of labels */
    wb_bar *bars = wb_xcalloc((size_t)r->ngroups, sizeof *bars);
    char (*names)[200] = wb_xcalloc((size_t)r->ngroups, sizeof *names);
    char (*notes)[40] = wb_xcalloc((size_t)r->ngroups, sizeof *notes);
    const wb_group **done = wb_xcalloc((size_t)r->ngroups, sizeof *done);
    int nbars = 0, ndone = 0;
    for (int i = 0; i < r->ngroups; i++) {
        const wb_group *s = &r->groups[i];
        if (!same_but_settings(s, key))
            continue;
        int drawn = 0; /* a strategy's bars are made once, at its first group */
        for (int d = 0; d < ndone && !drawn; d++)
            drawn = same_strategy(done[d], s);
        if (drawn)
            continue;
        done[ndone++] = s;
        for (int l = 0; l < nlabels; l++)
            for (int j = 0; j < r->ngroups; j++) {
                const wb_group *g = &r->groups[j];
                if (!same_but_settings(g, key) || strcmp(g->settings, labels[l]) != 0 || !same_strategy(g, s))
                    continue;
                wb_group_label(g->test, g->external, g->language, names[nbars], sizeof names[0]);
                wb_svg_number(notes[nbars], sizeof notes[0], g->mean_rows_per_s);
                bars[nbars] = (wb_bar){names[nbars], g->mean_rows_per_s, NAN, NAN, l, notes[nbars]};
                nbars++;
            }
    }
    const char **series = wb_xcalloc((size_t)nlabels, sizeof *series);
    for (int l = 0; l < nlabels; l++)
        series[l] = labels[l][0] ? labels[l] : "(no settings)";
    char title[320];
    int n = snprintf(title, sizeof title, "rows/s against settings: %s workload, %s, %s, %lld rows", key->workload,
                     key->backend, key->phase, (long long)key->rows);
    if (key->batch >= 0 && n >= 0 && (size_t)n < sizeof title)
        n += snprintf(title + n, sizeof title - (size_t)n, ", batch %lld", (long long)key->batch);
    if (n >= 0 && (size_t)n < sizeof title)
        snprintf(title + n, sizeof title - (size_t)n, ", %lld thread%s", (long long)key->threads,
                 key->threads == 1 ? "" : "s");
    char *id = wb_report_new_id(r, "settings");
    wb_bar_chart c = {id, title, "mean rate over all tables (rows/s)", bars, nbars, series, nlabels, NULL, NAN, NULL,
                      CHART_WIDTH};
    wb_buf_puts(r->out, "<h3>");
    esc(r->out, title);
    wb_buf_puts(r->out, "</h3>\n");
    figure_open(r->out, "scaling-settings");
    wb_svg_bar_chart(r->out, &c);
    figure_close(r->out, "Mean rows/s of each strategy under each combination of the session settings the runs "
                         "scanned (--set, --pragma), side by side; one shade per setting, named in the legend. "
                         "Everything else about these tests is the same.");
    free(id);
    free(series);
    free(bars);
    free(names);
    free(notes);
    free(done);
    free(labels);
    return 1;
}

/* One settings chart per (workload, backend, phase, rows, batch, threads) whose tests
 * ran under more than one setting; the strategies that ignore --batch are in each
 * batch value's chart, and have one of their own only when no strategy batches. How
 * many were drawn. */
static int settings_charts(report *r)
{
    int drawn = 0;
    for (int i = 0; i < r->ngroups; i++) {
        const wb_group *key = &r->groups[i];
        int first = 1; /* the first group of its key draws the chart */
        for (int k = 0; k < i && first; k++)
            first = !(same_but_settings(&r->groups[k], key) && r->groups[k].batch == key->batch);
        for (int k = 0; k < r->ngroups && first && key->batch < 0; k++)
            first = !(r->groups[k].batch >= 0 && same_but_settings(key, &r->groups[k]));
        if (first)
            drawn += settings_chart(r, key);
    }
    return drawn;
}

/* Every scaling chart the runs allow; returns how many were drawn (written into
 * r->out only when some are). */
int wb_report_scaling(report *r)
{
    wb_buf *saved = r->out, body = WB_BUF_INIT;
    r->out = &body;
    int drawn = 0;
    const wb_group **keys = wb_xcalloc((size_t)r->ngroups + 1, sizeof *keys);
    for (int d = 0; d < 3; d++) {
        /* The distinct charts along d: their keys are the first group of each. */
        int nkeys = 0;
        for (int i = 0; i < r->ngroups; i++) {
            const wb_group *g = &r->groups[i];
            if (dim_value(g, d) < 0)
                continue;
            int known = 0;
            for (int k = 0; k < nkeys && !known; k++)
                known = same_chart(g, keys[k], d, 0);
            if (!known)
                keys[nkeys++] = g;
        }
        sort_chart_keys(keys, nkeys, d);
        for (int k = 0; k < nkeys; k++) {
            /* A chart of strategies that ignore --batch is folded into the charts
             * of the batch values, when there are any, as their common reference. */
            int batched_exists = 0;
            if (d != 1 && keys[k]->batch < 0)
                for (int j = 0; j < nkeys && !batched_exists; j++)
                    batched_exists = keys[j]->batch >= 0 && same_chart(keys[k], keys[j], d, 1);
            if (batched_exists)
                continue;
            drawn += scaling_chart(r, d, keys[k], d != 1);
        }
    }
    free(keys);
    drawn += settings_charts(r);
    r->out = saved;
    if (drawn) {
        wb_buf_puts(saved, "<h2 id=\"scaling\">Scaling</h2>\n<p class=\"note\">Drawn for each parameter the runs "
                           "vary: rows/s against rows per table, batch size, threads and session settings, among "
                           "tests that differ only in that parameter.</p>\n");
        wb_buf_append(saved, body.data, body.len);
    }
    wb_buf_free(&body);
    return drawn;
}


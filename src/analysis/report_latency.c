/* The report's batch latency chart of a comparable set: for every test of the
 * set that recorded batches, its median, 95th and 99th percentile and largest
 * batch latency (the medians over the group's repeats; the largest of all),
 * side by side, so that a strategy whose typical batch is quick but whose tail
 * is long shows it at once (see docs/ANALYSIS.md, "report"). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "analysis/report_internal.h"

/* The four figures of a group, in the order of the chart's series. */
static const char *const latency_series_names[] = {"p50 (median)", "p95", "p99", "max"};
static const char *const latency_short_names[] = {"p50", "p95", "p99", "max"};
#define NFIGURES 4

static void figures_of(const wb_group *g, double out[NFIGURES])
{
    out[0] = g->median_batch_p50_ms;
    out[1] = g->median_batch_p95_ms;
    out[2] = g->median_batch_p99_ms;
    out[3] = g->max_batch_max_ms;
}

void wb_report_latency_chart(report *r, const panel *p)
{
    int shown = 0;
    for (int k = 0; k < p->ngroups; k++)
        shown += !isnan(r->groups[p->groups[k]].median_batch_p50_ms);
    if (shown == 0) {
        wb_buf_puts(r->out, "<p class=\"note\">No test of this set recorded batch latencies (runs from before "
                            "they were recorded, or strategies that send no batches).</p>\n");
        return;
    }
    int nbars = shown * NFIGURES;
    wb_bar *bars = wb_xcalloc((size_t)nbars, sizeof *bars);
    char (*labels)[192] = wb_xcalloc((size_t)shown, sizeof *labels);
    char (*notes)[48] = wb_xcalloc((size_t)nbars, sizeof *notes);
    int b = 0, row = 0;
    for (int k = 0; k < p->ngroups; k++) {
        const wb_group *g = &r->groups[p->groups[k]];
        if (isnan(g->median_batch_p50_ms))
            continue;
        wb_report_group_label(p, g, labels[row], sizeof labels[row]);
        double v[NFIGURES];
        figures_of(g, v);
        for (int f = 0; f < NFIGURES; f++, b++) {
            char number[32];
            wb_svg_number(number, sizeof number, v[f]);
            snprintf(notes[b], sizeof notes[b], "%s %s ms", latency_short_names[f], number);
            /* the test's name on its first bar; the others are its figures below it */
            bars[b] = (wb_bar){f == 0 ? labels[row] : "", v[f], NAN, NAN, f, notes[b]};
        }
        row++;
    }
    char title[320];
    wb_report_panel_title(p, title, sizeof title);
    char *id = wb_report_new_id(r, "lat");
    wb_bar_chart c = {id, title, "batch latency (ms)", bars, nbars, latency_series_names, NFIGURES, NULL,
                      NAN, NULL, CHART_WIDTH};
    figure_open(r->out, "latency");
    wb_svg_bar_chart(r->out, &c);
    figure_close(r->out, "Latency of each test's batches: from a batch's first row sent until the server "
                         "acknowledged it (its commit, its statement of many rows, its pipeline sync, its COPY). "
                         "p50, p95 and p99: the median over the repeats of each test's percentile (each within "
                         "1.6%); max: the slowest batch of all the repeats.");
    free(id);
    free(notes);
    free(labels);
    free(bars);
}

/* The report's run history: per comparable set and phase, each test's mean rows/s
 * in every run that measured it, in the order the runs started, so that a
 * regression over days or weeks shows as a falling line. Drawn only where at
 * least two runs measured the same test; run N on the x axis is the N-th run
 * read (runs are read in the order they started), named in the table under the
 * chart. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/report_internal.h"

/* The run index (into r->runs->runs) that sample s of the report's results belongs to; -1 unknown. */
static int run_of_sample(const report *r, const wb_result *s)
{
    const wb_run_set *rs = r->runs;
    ptrdiff_t i = s - rs->results;
    if (i < 0 || i >= rs->nresults)
        return -1;
    const wb_run_info *run = wb_run_of_result(rs, (int)i);
    return run ? (int)(run - rs->runs) : -1;
}

/* Mean rows/s of group g's successful tests per run into per_run[0..nruns) (NAN: none
 * in that run); returns in how many runs g was measured. */
static int per_run_rates(const report *r, const wb_group *g, double *per_run, int *count)
{
    int nruns = r->runs->nruns, measured = 0;
    for (int k = 0; k < nruns; k++) {
        per_run[k] = 0;
        count[k] = 0;
    }
    for (int s = 0; s < g->nsamples; s++) {
        int k = run_of_sample(r, g->samples[s]);
        if (k < 0 || !isfinite(g->rows_per_s[s]))
            continue;
        per_run[k] += g->rows_per_s[s];
        count[k]++;
    }
    for (int k = 0; k < nruns; k++) {
        if (count[k]) {
            per_run[k] /= count[k];
            measured++;
        } else {
            per_run[k] = NAN;
        }
    }
    return measured;
}

/* One chart of panel p and phase: a line per group measured in two runs or more.
 * Returns whether it drew one. */
static int history_chart(report *r, const panel *p, const char *phase)
{
    int nruns = r->runs->nruns;
    wb_line *lines = wb_xcalloc((size_t)p->ngroups + 1, sizeof *lines);
    char (*names)[192] = wb_xcalloc((size_t)p->ngroups + 1, sizeof *names);
    double **ys = wb_xcalloc((size_t)p->ngroups + 1, sizeof *ys);
    double *xs = wb_xcalloc((size_t)nruns + 1, sizeof *xs);
    int *count = wb_xcalloc((size_t)nruns + 1, sizeof *count);
    int *used_run = wb_xcalloc((size_t)nruns + 1, sizeof *used_run);
    for (int k = 0; k < nruns; k++)
        xs[k] = k + 1;
    int nlines = 0;
    for (int i = 0; i < p->ngroups; i++) {
        const wb_group *g = &r->groups[p->groups[i]];
        if (strcmp(g->phase, phase) != 0)
            continue;
        double *y = wb_xcalloc((size_t)nruns + 1, sizeof *y);
        if (per_run_rates(r, g, y, count) < 2) {
            free(y);
            continue;
        }
        for (int k = 0; k < nruns; k++)
            used_run[k] |= isfinite(y[k]);
        wb_report_group_label(p, g, names[nlines], sizeof names[nlines]);
        ys[nlines] = y;
        lines[nlines] = (wb_line){names[nlines], xs, y, nruns, wb_report_strategy_style(r, g->strategy)};
        nlines++;
    }
    if (nlines > 0) {
        wb_buf *out = r->out;
        char title[320], panel_title[256];
        wb_report_panel_title(p, panel_title, sizeof panel_title);
        snprintf(title, sizeof title, "rows/s run after run: %s, %s", panel_title, phase);
        wb_buf_puts(out, "<h3>");
        esc(out, title);
        wb_buf_puts(out, "</h3>\n");
        char *id = wb_report_new_id(r, "history");
        wb_line_chart c = {id, title, "run (number, in the order the runs started)", "mean rate (rows/s)", lines,
                           nlines, 0, 0, CHART_WIDTH, 360};
        figure_open(out, "history");
        wb_svg_line_chart(out, &c);
        figure_close(out, "Each line is one test (strategy, batch, threads and settings as labelled): its mean "
                          "rows/s over its successful repeats in each run that measured it; a run that did not "
                          "measure it (or where it failed) breaks the line.");
        free(id);
        static const char *const head[] = {"run", "run id", "started", NULL};
        wb_buf_puts(out, "<table>");
        header_row(out, head);
        for (int k = 0; k < nruns; k++) {
            if (!used_run[k])
                continue;
            const wb_run_info *run = &r->runs->runs[k];
            const char *started = wb_run_conf_get(run, "started_at");
            wb_buf_puts(out, "<tr>");
            cell_int(out, k + 1);
            cell_text(out, run->run_id);
            cell_text(out, started ? started : "");
            wb_buf_puts(out, "</tr>");
        }
        wb_buf_puts(out, "</table>\n");
    }
    for (int l = 0; l < nlines; l++)
        free(ys[l]);
    free(ys);
    free(names);
    free(lines);
    free(xs);
    free(count);
    free(used_run);
    return nlines > 0;
}

int wb_report_history(report *r)
{
    if (r->runs->nruns < 2)
        return 0;
    static const char *const phases[] = {"insert", "update"};
    int drawn = 0;
    for (int i = 0; i < r->npanels; i++)
        for (size_t ph = 0; ph < sizeof phases / sizeof *phases; ph++) {
            if (!drawn) {
                /* the heading before the first chart, so a report without history has none */
                wb_buf probe = WB_BUF_INIT;
                wb_buf *out = r->out;
                r->out = &probe;
                int any = history_chart(r, &r->panels[i], phases[ph]);
                r->out = out;
                if (any) {
                    wb_buf_puts(out, "<h2 id=\"history\">Run history</h2>\n<p class=\"note\">Each test's rows/s "
                                     "in every run read that measured it, run after run: a regression shows as "
                                     "a falling line. Only tests measured in two runs or more are drawn.</p>\n");
                    wb_buf_append(out, probe.data ? probe.data : "", probe.len);
                    drawn++;
                }
                wb_buf_free(&probe);
                continue;
            }
            drawn += history_chart(r, &r->panels[i], phases[ph]);
        }
    return drawn;
}

/* The HTML report: one self-contained file (inline SVG charts, an inline style
 * sheet, no script, no external resource of any kind) over a set of runs.
 *
 * It shows the findings (analysis/findings.h) first, the runs and their
 * settings, then per comparable group of tests
 * (same workload, backend and rows per table): mean duration and mean peak
 * memory with 95% confidence intervals, the z_duration x z_memory scatter,
 * rows/s as a share of server-generate; scaling lines when the runs vary rows,
 * batch or threads; the whole aggregate table; and every failed or skipped test
 * with its error. External programs are marked with their language wherever a
 * test is named ("orm_add_all-insert (python)"), have their own series in the
 * charts, and a short section says what that means. docs/ANALYSIS.md
 * ("report") describes each part.
 *
 * The markup is HTML5 written as well-formed XML (every element closed, every
 * attribute quoted, only the five XML entities), so XML tools can check it, and
 * every piece of data in it (names, settings, errors) is escaped. */
#ifndef WB_ANALYSIS_REPORT_H
#define WB_ANALYSIS_REPORT_H

#include <stddef.h>

#include "analysis/runs.h"
#include "util/buf.h"
#include "util/error.h"

/* The report's file name when no --out is given. */
#define WB_REPORT_FILE_NAME "report.html"

struct wb_advice_set;

/* Appends to html the code of advice item `item` of a, as escaped HTML (a
 * <details> per program). The Advice section calls it when set: the code is
 * generated above the analysis layer (src/advise/advise_code.h). */
typedef void (*wb_report_code_fn)(const wb_run_set *runs, const struct wb_advice_set *a, int item, wb_buf *html);
/* Set (or, with NULL, clear) the Advice section's code lister; once, before writing reports. */
void wb_report_set_code_lister(wb_report_code_fn fn);

/* Append the whole report of runs (at least one run) to out. */
int wb_report_html(const wb_run_set *runs, wb_buf *out, wb_error *e);

/* Write the report of runs to out_path (replaced atomically: a reader never sees
 * half a report); -1 with the path and the reason in e. `run --report` calls
 * this with the run it just made. */
int wb_report_write(const wb_run_set *runs, const char *out_path, wb_error *e);

/* The default output path: report.html in the directory that holds the first
 * run's directory (the --results directory for runs found there), e.g.
 * "results/report.html". */
void wb_report_default_path(const wb_run_set *runs, char *out, size_t n);

#endif

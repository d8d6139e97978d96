/* What a run prints: a header, a live progress line on stderr (only when it is a
 * terminal), one line per finished test, and a closing table sorted by rows/s;
 * the tables fit the terminal's width, leaving out the least important columns
 * first and saying which. */
#ifndef WB_RUNNER_CONSOLE_H
#define WB_RUNNER_CONSOLE_H

#include <stdint.h>

#include "runner/result.h"

typedef struct wb_console {
    int progress_enabled; /* stderr is a terminal */
    int progress_shown;   /* a progress line is on screen and must be cleared */
    const char *test;     /* the test running now */
    int64_t total_rows;   /* rows the running test writes, over all tables */
    int scan;             /* the run varies batch or threads: show them on every line */
    int test_width;       /* the longest test name as shown ("orm_merge-update [python]"); 0: default */
    int width;            /* the tables fit this many columns (wb_term_width; 0: the default) */
} wb_console;

/* Set up: progress only when stderr is a terminal; the width of the terminal. */
void wb_console_init(wb_console *c);
/* Progress callback for wb_child_run (arg is the wb_console). */
void wb_console_progress(void *arg, int64_t rows_done, double elapsed_s);
/* Remove the progress line, if one is shown. */
void wb_console_clear(wb_console *c);
/* Print the column titles of the per-test lines. */
void wb_console_titles(const wb_console *c);
/* Print one finished test. */
void wb_console_result(wb_console *c, const wb_result *r);
/* Print the closing tables (one per phase, fastest first) of n results, fitted
 * to the terminal's width (wb_term_width). */
void wb_console_summary(const wb_result *results, int n);

#endif

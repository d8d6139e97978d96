/* correlate: Pearson's correlation matrix of the numeric measures over the
 * successful tests (duration_s, rows_per_s, cpu_user_s, cpu_sys_s, peak_rss_kb,
 * server_peak_rss_kb, wal_bytes, commits, batch, threads). Each pair uses the
 * tests where both figures are known; a pair with fewer than 3 such tests, or
 * where either measure is constant, has no coefficient (unknown: empty / null). */
#ifndef WB_ANALYSIS_CORRELATE_H
#define WB_ANALYSIS_CORRELATE_H

#include "analysis/output.h"
#include "runner/result.h"

/* The measures, in matrix order. */
extern const char *const wb_correlate_measures[];
extern const int wb_correlate_nmeasures;

/* The matrix as a table: first column "measure" (the row's measure), then one
 * column per measure (write it with json key "correlations"). */
wb_out_table *wb_correlate_table(const wb_result *rows, int n);

#endif

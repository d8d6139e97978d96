/* The aggregate of a set of runs rendered in one of the output formats: what
 * `writebench aggregate` prints and what `run --export-json/--export-markdown` write. */
#ifndef WB_ANALYSIS_EXPORT_H
#define WB_ANALYSIS_EXPORT_H

#include "analysis/output.h"
#include "analysis/runs.h"
#include "util/buf.h"
#include "util/error.h"

/* The aggregate of runs as a table with the aggregate columns (*out to free with
 * wb_out_table_free). */
int wb_aggregate_table_of(const wb_run_set *runs, wb_out_table **out, wb_error *e);
/* Append the aggregate of runs in format f to out (json under the key "groups"). */
int wb_aggregate_render(const wb_run_set *runs, wb_format f, wb_buf *out, wb_error *e);
/* Write the aggregate of runs in format f to path (replaced atomically). */
int wb_export_aggregate(const wb_run_set *runs, wb_format f, const char *path, wb_error *e);

#endif

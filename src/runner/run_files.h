/* The run's files under <results>/<run-id>/: run.conf, results.csv, results.json,
 * code.diff and run.log (formats in docs/FORMATS.md). Each result is appended and
 * flushed to disk as the test ends, so a run cut short keeps what it measured. */
#ifndef WB_RUNNER_RUN_FILES_H
#define WB_RUNNER_RUN_FILES_H

#include <stddef.h>

#include "runner/result.h"
#include "util/error.h"

typedef struct wb_run_files wb_run_files;

/* The results.json format_version this writebench writes: 2 adds run_state,
 * cut_short, tests_planned and tests_recorded, and the CSV columns verify,
 * verify_s and process_s. */
#define WB_RESULTS_WRITTEN_FORMAT_VERSION 2

/* The results.csv header line (no newline): the columns of
 * docs/ARCHITECTURE.md, "Results files", in order. */
extern const char *const wb_results_csv_columns[];

/* A fresh run id: UTC timestamp plus a short random suffix, "20261122T031500Z-7f3a". */
void wb_run_id_make(char *out, size_t n);

/* Check, without creating anything, that the results directory exists or can be
 * created and is writable; the one-line error names the directory. */
int wb_results_dir_check(const char *results_dir, wb_error *e);

/* Create <results_dir>/<run_id>/ with results.csv (header only), results.json
 * (no results yet) and run.log. */
int wb_run_files_open(const char *results_dir, const char *run_id, wb_run_files **out, wb_error *e);
/* The run directory's path. */
const char *wb_run_files_dir(const wb_run_files *f);
/* Write run.conf with the given text (already redacted by the caller). */
int wb_run_files_write_conf(wb_run_files *f, const char *text, wb_error *e);
/* Write code.diff: writebench's version and build commit and, when the source tree
 * it was built from is a git checkout, its commit and `git diff HEAD`. */
int wb_run_files_write_code_diff(wb_run_files *f, wb_error *e);
/* The same, with the workload's lines (name, file, sha256) before the external
 * programs' lines (path, sha256), which replace "external strategies: none";
 * either may be NULL. */
int wb_run_files_write_code_diff_with(wb_run_files *f, const char *workload_lines, const char *external_lines,
                                      wb_error *e);
/* Append one timestamped line to run.log (and flush it). */
void wb_run_files_log(wb_run_files *f, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Append a result to results.csv (flushed and fsynced) and rewrite results.json
 * atomically (write a temporary file, then rename) so it is always valid JSON. */
int wb_run_files_add(wb_run_files *f, const wb_result *r, wb_error *e);
/* The number of tests the run means to make, for results.json ("3 of 21 tests"). */
void wb_run_files_set_planned(wb_run_files *f, int64_t tests_planned);
/* Results recorded so far (appended to results.csv). */
int wb_run_files_count(const wb_run_files *f);
/* Mark the run as ended in results.json: finished (cut_short NULL or ""), or cut
 * short with the reason ("interrupted by SIGINT"). Until then it reads "running",
 * which a reader takes as cut short (killed outright). */
int wb_run_files_finish(wb_run_files *f, const char *cut_short, wb_error *e);
/* Remove the run directory's own files and the directory when it is then empty
 * (a run that measured nothing because writebench itself failed), and close. */
void wb_run_files_discard(wb_run_files *f);
/* Close everything (NULL allowed). */
void wb_run_files_close(wb_run_files *f);

#endif

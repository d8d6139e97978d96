/* Reading kept runs back: every run directory under a results directory (or the
 * runs named), each one validated whole before any of its numbers is used.
 *
 * A run whose results.csv is missing, empty, truncated (a last record without
 * its newline, or with fewer fields than the header), corrupt (bad quoting, a
 * number that is not one, an unknown phase), whose header does not start with
 * the 24 columns of results.csv (docs/ARCHITECTURE.md, "Results files") in
 * order, whose results.json says it was written by a newer writebench
 * (format_version > 1), or holds an origin or language writebench never
 * writes, is skipped WHOLE, with one line on stderr naming it and the reason:
 * a partly readable file is never partly used, so no number is silently
 * dropped or changed.
 *
 * Each result's origin (external or not) and language come from results.json;
 * runs written before those keys existed are built-in strategies in "c". */
#ifndef WB_ANALYSIS_RUNS_H
#define WB_ANALYSIS_RUNS_H

#include <stddef.h>

#include "runner/result.h"
#include "util/error.h"

/* The newest results format this writebench reads (results.json "format_version"). */
#define WB_RESULTS_FORMAT_VERSION 2

/* Whether a run is whole (results.json "run_state", format_version 2). */
typedef enum wb_run_state {
    WB_RUN_STATE_UNKNOWN = 0, /* written before runs recorded it (format_version 1) */
    WB_RUN_FINISHED,          /* every planned test was run */
    WB_RUN_CUT_SHORT          /* interrupted, the database gone, writebench's own error, or killed */
} wb_run_state;

/* wb_runs_load flags */
#define WB_RUNS_WHOLE_ONLY 1u /* --whole-runs-only: leave out runs cut short */

/* One `key = value` line of run.conf. */
typedef struct wb_conf_entry {
    char *key;
    char *value;
} wb_conf_entry;

/* One run that was read. */
typedef struct wb_run_info {
    char run_id[64];     /* the run directory's name */
    char dir[4096];      /* the run directory's path as found */
    wb_conf_entry *conf; /* run.conf in file order (comments dropped); NULL when absent */
    int nconf;
    char *conf_text;     /* the storage conf[] points into */
    int first_result;    /* its results are set->results[first_result .. +nresults) */
    int nresults;
    wb_run_state state;
    char cut_short[512]; /* why, when cut short ("interrupted by SIGINT") */
    int64_t tests_planned; /* -1 unknown */
} wb_run_info;

/* The runs read, their results concatenated in run order, each run's in file order. */
typedef struct wb_run_set {
    wb_result *results;
    int nresults;
    wb_run_info *runs;
    int nruns;
    int nskipped;        /* run directories reported and skipped */
    int ncut_short;      /* runs read that were cut short (named on stderr) */
    int nleft_out;       /* runs cut short left out by WB_RUNS_WHOLE_ONLY */
    int results_cap;     /* allocated room (bookkeeping) */
    int runs_cap;
} wb_run_set;

#define WB_RUN_SET_INIT {NULL, 0, NULL, 0, 0, 0, 0, 0, 0}

/* A shipped workload file whose values are the compiled-in workload of before. */
typedef struct wb_shipped_workload {
    const char *name;
    const char *sha256;
} wb_shipped_workload;

/* Every version of the shipped workload files with those values; ends with NULLs. */
extern const wb_shipped_workload wb_shipped_workloads[];

/* The name results are grouped and shown by, for a run of workload `name` whose
 * file's sha256 run.conf recorded (NULL or "" for a run from before workload
 * files): the name itself for the shipped workloads (so old and new runs of users
 * and products compare), name@<16 hex digits of the sha256> for any other file,
 * so that two files of one name never aggregate together. */
void wb_workload_label(const char *name, const char *sha256, char *out, size_t n);

/* Read runs into *out. names[0..nnames) are run ids (a directory of that name
 * under results_dir is looked for first) or paths to run directories; a run
 * named twice counts once. With nnames == 0, every directory directly under
 * results_dir that holds any run file (results.csv, results.json, run.conf,
 * run.log, code.diff), in name order (= start time); hidden entries and other
 * directories are passed over. Each unreadable run prints
 * "writebench: skipping <dir>: <reason>" on
 * stderr and is left out. Fails (-1, *out empty) when a NAMED run does not exist
 * or results_dir cannot be listed, or when no readable run remains.
 * Each run cut short is named on stderr ("writebench: run X: 3 of 21 tests, cut
 * short: interrupted by SIGINT") and kept with its finished tests, or left out
 * with WB_RUNS_WHOLE_ONLY. */
int wb_runs_load(const char *results_dir, const char *const *names, int nnames, unsigned flags, wb_run_set *out,
                 wb_error *e);

/* "3 of 21 tests, cut short: interrupted by SIGINT" for a run cut short, into out. */
void wb_run_describe_cut_short(const wb_run_info *run, char *out, size_t n);

/* Read and validate one run directory and append it to *set; -1 with the reason
 * in e (and *set unchanged) when the run must be skipped. */
int wb_run_read_dir(const char *dir, wb_run_set *set, wb_error *e);

/* Parse a whole results.csv held in data[0..len) into a new array (*rows, *nrows;
 * free() it). Strict: any defect fails the whole file with "line N: <reason>". */
int wb_results_csv_parse(const char *data, size_t len, wb_result **rows, int *nrows, wb_error *e);

/* The value of key in the run's run.conf, or NULL. */
const char *wb_run_conf_get(const wb_run_info *run, const char *key);

/* The run that result index i (into set->results) belongs to, or NULL. */
const wb_run_info *wb_run_of_result(const wb_run_set *set, int i);

/* Release everything (the set is then empty and reusable). */
void wb_runs_free(wb_run_set *set);

#endif

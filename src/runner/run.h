/* The run protocol (docs/ARCHITECTURE.md, "Run protocol"): for each strategy and
 * pass, reset, fork a child that writes, measure it from outside, verify, record;
 * --repeat times. */
#ifndef WB_RUNNER_RUN_H
#define WB_RUNNER_RUN_H

#include <stdint.h>

#include "backends/backend.h"
#include "runner/verify.h"
#include "strategies/strategy.h"
#include "workloads/workload.h"

#define WB_MAX_SELECTED 128 /* built-in strategies and external programs together */
#define WB_MAX_SCAN 32 /* values in one --rows/--batch/--threads list */
#define WB_MAX_THREADS 64 /* --threads at most */

typedef struct wb_run_config {
    wb_target target;
    const wb_workload *workload;
    const wb_strategy *strategies[WB_MAX_SELECTED]; /* built-ins, then external programs */
    int nstrategies;
    const struct wb_external_set *externals; /* the programs among them, for code.diff; may be NULL */
    /* The scan: every combination of these lists is run (--rows 1000,10000 ...). */
    int64_t rows_list[WB_MAX_SCAN];
    int nrows;
    int64_t batch_list[WB_MAX_SCAN];
    int nbatch;
    int64_t threads_list[WB_MAX_SCAN];
    int nthreads;
    int64_t slow_rows_limit; /* --slow-rows: rows per table for WB_STRAT_SLOW strategies, at most */
    /* The combination running now (set by the runner from the lists). */
    int64_t rows;          /* rows per table */
    int64_t slow_rows;     /* min(slow_rows_limit, rows) */
    int64_t batch;
    int64_t threads;
    int64_t repeat;
    double timeout_s;      /* per test (one pass of one strategy) */
    const char *results_dir;
    wb_verify_mode verify;
    int argc;              /* the command line, recorded in run.conf */
    char **argv;
    /* Filled by wb_run: the run's directory ("" when none was made), for what
     * follows a run (--report, --export-json, --export-markdown). */
    char run_dir[4096];
} wb_run_config;

/* Defaults, in one place so --help, README and run.conf agree. */
#define WB_DEFAULT_ROWS 100000
#define WB_DEFAULT_SLOW_ROWS 10000
#define WB_DEFAULT_BATCH 1000
#define WB_DEFAULT_THREADS 1
#define WB_DEFAULT_REPEAT 1
#define WB_DEFAULT_TIMEOUT_S 600.0
#define WB_DEFAULT_RESULTS_DIR "results"

/* Run every selected strategy; returns the exit status (0 all passed, 1 some test
 * failed, 2 nothing could run). */
int wb_run(wb_run_config *cfg);

#endif

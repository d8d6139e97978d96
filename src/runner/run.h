/* The run protocol (docs/ARCHITECTURE.md, "Run protocol"): for each strategy and
 * pass, reset, fork a child that writes, measure it from outside, verify, record;
 * --repeat times. The loop reaches the database and the child only through an
 * executor (executor.h; docs/ARCHITECTURE.md, "The runner") and returns an
 * outcome, which the command maps to its exit status. */
#ifndef WB_RUNNER_RUN_H
#define WB_RUNNER_RUN_H

#include <stdint.h>

#include "backends/backend.h"
#include "runner/executor.h"
#include "runner/result.h"
#include "runner/run_files.h"
#include "runner/verify.h"
#include "strategies/strategy.h"
#include "workloads/workload.h"

#define WB_MAX_SELECTED 128 /* built-in strategies and external programs together */
#define WB_MAX_SCAN 32 /* values in one --rows/--batch/--threads list */
#define WB_MAX_THREADS 64 /* --threads at most */

/* What `run` was asked to do, as the command line parsed it: read-only from then on
 * (the combination of the scan running now is the runner's own value). */
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
    int64_t repeat;
    double timeout_s;      /* per test (one pass of one strategy) */
    const char *results_dir;
    wb_verify_mode verify;
    int argc;              /* the command line, recorded in run.conf */
    char **argv;
    /* Called once at the end, after the closing rankings and before the footer,
     * with every recorded result and the run's directory (cmd_run.c prints the
     * findings there and keeps them as findings.json); NULL: nothing. */
    void (*after_rankings)(void *arg, const wb_result *results, int n, const char *run_dir);
    void *after_rankings_arg;
} wb_run_config;

/* Defaults, in one place so --help, README and run.conf agree. */
#define WB_DEFAULT_ROWS 100000
#define WB_DEFAULT_SLOW_ROWS 10000
#define WB_DEFAULT_BATCH 1000
#define WB_DEFAULT_THREADS 1
#define WB_DEFAULT_REPEAT 1
#define WB_DEFAULT_TIMEOUT_S 600.0
#define WB_DEFAULT_RESULTS_DIR "results"

/* Why a run ended. */
typedef enum wb_run_stop {
    WB_STOP_NONE = 0,     /* not cut short: every planned test ran */
    WB_STOP_INTERRUPTED,  /* SIGINT or SIGTERM (interrupt_signal says which) */
    WB_STOP_UNREACHABLE,  /* the database could not be reached after a failed test */
    WB_STOP_OWN_FAULT,    /* writebench's own error: no fork, a results file it cannot write */
    WB_STOP_NOT_STARTED   /* no test ran: the database or the run's files could not be opened */
} wb_run_stop;

/* What a run did: the command maps it to its exit status (cmd_run.c). */
typedef struct wb_run_outcome {
    wb_run_stop stop;        /* the first reason the run ended early, or WB_STOP_NONE */
    char stop_reason[512];   /* as results.json's cut_short says it ("interrupted by SIGINT"); "" finished */
    int interrupt_signal;    /* SIGINT or SIGTERM when one arrived, whatever stopped the run first; 0 none */
    int own_fault;           /* writebench's own error at any point, also when marking the run's end */
    int64_t tests_planned;   /* every pass of every strategy in every combination it runs in, --repeat times */
    int tests_run;           /* tests recorded (an interrupted test is not) */
    int failed;              /* recorded tests that did not verify, crashed or timed out */
    int skipped;             /* recorded as skipped (the server cannot run the strategy) */
    int not_measured;        /* recorded as not measured (writebench's own fault during the test) */
    wb_result *results;      /* the tests_run results, in the order they ran; wb_run_outcome_free */
    char run_dir[4096];      /* the run's directory, "" when none was kept (nothing ran, or nothing
                              * was measured because of writebench's own fault) */
} wb_run_outcome;

/* What the loop runs on besides the configuration: made by wb_run, or by a unit test. */
typedef struct wb_run_start {
    const char *run_id;
    const char *server_version;
    const wb_backend *backend; /* named in the results; its methods are the executor's to call */
    const wb_target *target;   /* what the strategies get: the database as the run reaches it */
    wb_run_files *files;       /* open, with run.conf and code.diff written; the loop closes them */
} wb_run_start;

/* Run every selected strategy on the database cfg names: start a throwaway cluster
 * for pg-temp:, open the database and the run's files, run the loop with the
 * production executor. Every problem has been said on stderr; out tells what ran. */
void wb_run(const wb_run_config *cfg, wb_run_outcome *out);

/* The loop alone: every test of cfg's scan, --repeat times, through executor x,
 * recorded in start->files (closed, or removed when writebench's own fault left
 * nothing measured); fills out. Neither forks nor connects by itself. */
void wb_run_tests(const wb_run_config *cfg, const wb_run_start *start, const wb_executor *x, wb_run_outcome *out);

/* Free what an outcome holds (its results). */
void wb_run_outcome_free(wb_run_outcome *out);

#endif

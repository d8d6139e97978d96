/* Running one strategy in a forked child and measuring it from outside:
 * the child connects, runs the strategy and reports through shared memory; the
 * parent watches the clock, shows progress, kills the child's process group at
 * the timeout or on Ctrl-C, and reads CPU and peak RSS from wait4(). */
#ifndef WB_RUNNER_CHILD_H
#define WB_RUNNER_CHILD_H

#include <stdint.h>

#include "runner/result.h"
#include "strategies/strategy.h"

typedef struct wb_child_outcome {
    wb_status status;       /* OK: the strategy returned success (not yet verified) */
    char error[2048];
    double duration_s;      /* the strategy's own wall time, connections excluded */
    double process_s;       /* external programs: the whole process tree's life; NAN otherwise */
    double connect_s;       /* time to open its connections */
    double cpu_user_s, cpu_sys_s;
    int64_t peak_rss_kb;
    int64_t server_peak_rss_kb; /* largest peak RSS of the server processes serving the child; -1 unknown */
    int64_t rows_done;
    int64_t commits;        /* counted by the connections' commit hooks; -1 unknown */
    int64_t lock_waits;
    double lock_wait_s;
    int64_t transaction_retries;
    int end_ok;             /* end holds the child's snapshot taken right after the strategy */
    wb_snapshot end;
    int interrupted;        /* the user interrupted the run (SIGINT/SIGTERM) */
    int storage_errno;      /* the strategy failed writing a full disk or past a file-size limit
                             * (ENOSPC, EDQUOT, EFBIG): the machine's fault, not the strategy's; 0 */
    /* The batches' latencies (wb_ctx_batch_done), from the histogram the child filled:
     * how many, and the percentiles in milliseconds (each its bucket's upper bound,
     * within 1.6%; the max exact). batches 0: the strategy recorded none. */
    int64_t batches;
    double batch_p50_ms, batch_p95_ms, batch_p99_ms, batch_max_ms;
    /* An external program's report: lookups through its cache and the stale reads
     * among them; -1 when it reported none. */
    int64_t cache_lookups, stale_reads;
} wb_child_outcome;

/* Called about ten times a second while the child runs. */
typedef void (*wb_progress_fn)(void *arg, int64_t rows_done, double elapsed_s);

/* Install SIGINT/SIGTERM handlers that make the running test stop and the run end. */
void wb_interrupt_install(void);
/* Whether SIGINT or SIGTERM arrived since wb_interrupt_install(). */
int wb_interrupted(void);
/* The signal that interrupted the run (SIGINT or SIGTERM), 0 when none did. */
int wb_interrupt_signal(void);

/* Run fn in a child process with a copy of ctx (its conns, counters and error are
 * made in the child) and fill out; -1 only when no child could be started. */
int wb_child_run(const wb_ctx *ctx, wb_strategy_fn fn, double timeout_s, wb_progress_fn progress,
                 void *progress_arg, wb_child_outcome *out, wb_error *e);

#endif

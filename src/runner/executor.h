/* The seam between the run loop (run.c) and everything one test does outside it
 * (docs/ARCHITECTURE.md, "The runner"): bring the tables to the state the pass
 * starts from, run the strategy measured, read the figures after it and verify;
 * and what the loop asks between tests (is the database still there, how many
 * commits do writebench's own connections add, did a signal ask the run to end).
 *
 * In production the executor is the database and a forked child per test
 * (db_executor.c, with child.c); the unit tests put an in-process mock with
 * scripted outcomes in its place (tests/unit/test_runner.c), as hyperfine tests
 * its benchmark loop through a mock Executor. The loop itself never touches a
 * connection or a process. */
#ifndef WB_RUNNER_EXECUTOR_H
#define WB_RUNNER_EXECUTOR_H

#include <stdint.h>

#include "backends/backend.h"
#include "backends/lock.h"
#include "runner/child.h"
#include "runner/result.h"
#include "runner/run_files.h"
#include "runner/verify.h"
#include "strategies/strategy.h"
#include "util/buf.h"
#include "util/error.h"
#include "workloads/workload.h"

/* One test, as the loop hands it to the executor: one pass of one strategy in one
 * combination of the scan. */
typedef struct wb_test {
    const wb_strategy *strategy;
    const wb_ctx *ctx;        /* what the strategy's function gets: phase, version, rows, batch, threads, repeat */
    wb_strategy_fn fn;        /* the strategy's function for the run's backend */
    double timeout_s;         /* --timeout */
    int insert_left_version1; /* an update pass whose own insert pass left verified version 1 */
    int check_changed;        /* an update pass under --verify count: keep the rows before, check they changed */
} wb_test;

/* The interface: impl is the implementation's own state, passed back to each method.
 * Every method is required. */
typedef struct wb_executor {
    void *impl;
    /* Bring the tables to the state the pass starts from (reset; an update pass
     * without its insert pass's version 1 gets it from server-generate, not
     * measured) and read the "before" figures; -1 with e filled when it cannot. */
    int (*prepare)(void *impl, const wb_test *t, wb_snapshot *before, wb_error *e);
    /* Run the test's strategy, measured, into out (status, error, duration, rows,
     * commits, CPU, memory, the end snapshot, interrupted); -1 with e filled only
     * when the test could not be started at all (writebench's own fault). */
    int (*execute)(void *impl, const wb_test *t, wb_progress_fn progress, void *progress_arg,
                   wb_child_outcome *out, wb_error *e);
    /* After a test that ran to its end: read the "after" figures into *after (-1
     * where unknown), then, when the strategy reported success and r->verify is not
     * "none", verify: r's status, error, rows_verified and verify_s. Returns -1 when
     * the database could not be reached again (r's status and error say so, and no
     * figure is known), 0 otherwise. */
    int (*check)(void *impl, const wb_test *t, const wb_child_outcome *o, wb_snapshot *after, wb_result *r);
    /* 0 when the database can still be reached; -1 with the reason in e. */
    int (*reachable)(void *impl, wb_error *e);
    /* The commits a test like t (its connections: t->ctx's threads and target) would
     * count that are writebench's own (its connections and readings), 0 when the
     * server counts none: measured each time it is called (the loop calls it once per
     * thread count, as hyperfine calibrates its own overhead once). */
    int64_t (*calibrate_commits)(void *impl, const wb_test *t);
    /* The signal (SIGINT or SIGTERM) that asked the run to end, 0 when none did. */
    int (*interrupted)(void *impl);
} wb_executor;

/* The production executor: the real database, each test in a forked child
 * (wb_child_run). Fill the fields up to check_last_key (the topology's may stay
 * NULL); wb_db_executor_open fills the rest. */
typedef struct wb_db_executor {
    const wb_backend *backend;
    const wb_target *target;    /* writebench's own connections (reset, readings, verification, the lock): the
                                 * run's application name, a throwaway cluster's primary itself */
    const wb_workload *workload;
    wb_verify_mode verify;
    int64_t check_last_key;     /* the workload's C and SQL definitions are compared up to this key */
    /* the topology (NULL: a lone server, target is all there is) */
    const wb_target *client;    /* what the strategies connect to when it is not target (a pooler in front) */
    const wb_target *standby;   /* a standby that must hold the same rows after every test */
    wb_temp_server *server;     /* the throwaway server, whose pooler is released before every reading */
    wb_run_files *files;        /* run.log, for what prepare does besides the test; NULL: not logged */
    int settle;                 /* the backend can settle the server before each test (run.conf says) */
    char server_version[64];
    wb_probe probe;             /* what the strategies' connections really support (backend probe) */
    int pooled_readings;        /* the readings go through a pooler that keeps server sessions open, which
                                 * report their commits late: commits are unknown */
} wb_db_executor;

/* Connect once before anything is written: claim the namespace, probe what the
 * strategies' connections support, take the database's lock (in the form the probe
 * allows; released again on failure), read the server's version, hold the workload's
 * two definitions to each other on this database, read its settings into settings
 * (run.conf's lines, the probes' findings included), and try settling once. -1 with
 * e filled on failure. */
int wb_db_executor_open(wb_db_executor *dx, const char *run_id, wb_buf *settings, wb_db_lock **lock, wb_error *e);
/* The interface over dx, which must outlive it. */
wb_executor wb_db_executor_get(wb_db_executor *dx);

#endif

/* The production executor (see executor.h): the database side of every test
 * (reset, snapshots, verification, the reachability check, the commit overhead)
 * on the real database, and the strategy itself in a forked child (child.c).
 * Moved out of run.c so that the run loop can be tested without either. */
#include "runner/executor.h"
#include "workloads/check.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/clock.h"
#include "workloads/schema.h"

/* Before a reading: let the server finish with writebench's closed connections. */
static void await_others(wb_db_executor *dx, wb_conn *c)
{
    enum { MAX_WAIT_MS = 2000 };
    if (dx->backend->await_others)
        dx->backend->await_others(c, NULL, MAX_WAIT_MS);
}

/* Connect and make sure the namespace is writebench's (creating it if new). */
static int connect_ours(wb_db_executor *dx, wb_conn **out, wb_error *e)
{
    if (dx->backend->connect(dx->target, out, e) != 0)
        return -1;
    if (dx->backend->claim_namespace(*out, true, e) != 0) {
        dx->backend->disconnect(*out);
        *out = NULL;
        return -1;
    }
    return 0;
}

/* Bring the tables to the state the pass starts from, and read the "before" figures.
 * An update pass starts from version 1: the strategy's own verified insert pass
 * left it, or the server-generate reference loads it (not measured). */
static int prepare_tables(void *impl, const wb_test *t, wb_snapshot *before, wb_error *e)
{
    wb_db_executor *dx = impl;
    wb_conn *c = NULL;
    if (connect_ours(dx, &c, e) != 0)
        return -1;
    int rc = 0;
    if (t->ctx->phase == WB_PHASE_INSERT) {
        rc = wb_schema_reset(dx->backend, c, dx->workload, e);
    } else if (!t->insert_left_version1) {
        rc = wb_schema_reset(dx->backend, c, dx->workload, e);
        if (rc == 0)
            rc = wb_schema_generate(dx->backend, c, dx->workload, t->ctx->rows, 1, e);
        if (rc == 0)
            wb_run_files_log(dx->files, "%s: version 1 loaded by server-generate before the update pass",
                             t->strategy->name);
    }
    /* --verify count cannot check the values, but it can check that the update pass
     * changed them: keep what the rows hold now, outside the timed region. */
    if (rc == 0 && t->check_changed)
        rc = wb_verify_keep_before(dx->backend, c, dx->workload, e);
    if (rc == 0 && dx->settle && dx->backend->settle(c, e) != 0) {
        wb_run_files_log(dx->files, "%s: could not settle the server before the test: %s", t->strategy->name,
                         e->msg);
        rc = -1;
    }
    if (rc == 0) {
        await_others(dx, c);
        rc = dx->backend->snapshot(c, before, e);
    }
    dx->backend->disconnect(c);
    return rc;
}

/* The strategy in a forked child, measured from outside. */
static int execute_in_child(void *impl, const wb_test *t, wb_progress_fn progress, void *progress_arg,
                            wb_child_outcome *out, wb_error *e)
{
    (void)impl;
    return wb_child_run(t->ctx, t->fn, t->timeout_s, progress, progress_arg, out, e);
}

/* Check after the child: read the "after" figures, then verify. The readings come
 * first so that the verification's own statements are not counted as the test's. */
static int verify_tables(void *impl, const wb_test *t, const wb_child_outcome *o, wb_snapshot *after, wb_result *r)
{
    wb_db_executor *dx = impl;
    int64_t rows = t->ctx->rows;
    wb_error e = {{0}};
    wb_conn *c = NULL;
    *after = (wb_snapshot){-1, -1, -1};
    if (dx->backend->connect(dx->target, &c, &e) != 0) {
        /* Keep the strategy's own error (the server's message) when it has one. */
        size_t used = strlen(r->error);
        snprintf(r->error + used, sizeof r->error - used, "%scannot reconnect to verify: %s", used ? "; " : "", e.msg);
        r->status = o->status == WB_STATUS_OK ? WB_STATUS_FAILED : o->status;
        return -1;
    }
    await_others(dx, c);
    if (dx->backend->snapshot(c, after, &e) != 0)
        *after = (wb_snapshot){-1, -1, -1};
    if (o->status == WB_STATUS_OK && strcmp(r->verify, "none") != 0) {
        wb_verify_result v;
        memset(&v, 0, sizeof v);
        double verify_start = wb_clock_s();
        int rc = wb_verify_parallel(dx->backend, dx->target, c, dx->workload, rows, t->ctx->version, dx->verify, &v, &e);
        if (rc == 0 && v.ok && t->check_changed)
            rc = wb_verify_changed(dx->backend, c, dx->workload, rows, &v, &e);
        r->verify_s = wb_clock_s() - verify_start;
        if (rc != 0) {
            r->status = WB_STATUS_FAILED;
            snprintf(r->error, sizeof r->error, "verification could not run: %s", e.msg);
        } else {
            r->rows_verified = v.rows_verified;
            if (!v.ok) {
                r->status = WB_STATUS_FAILED;
                snprintf(r->error, sizeof r->error, "verification failed: %s", v.detail);
            }
        }
    }
    if (t->check_changed) {
        wb_error ignored = {{0}};
        wb_verify_forget_before(dx->backend, c, dx->workload, &ignored);
    }
    dx->backend->disconnect(c);
    return 0;
}

/* After a failed test: is the database still there? */
static int reachable(void *impl, wb_error *e)
{
    wb_db_executor *dx = impl;
    wb_conn *c = NULL;
    if (dx->backend->connect(dx->target, &c, e) != 0)
        return -1;
    dx->backend->disconnect(c);
    return 0;
}

/* The commits a test's count would include from writebench's own connections and
 * readings (on PostgreSQL every statement outside a transaction is a commit, and so
 * is a new connection's first catalog read): measured by doing exactly what a test
 * with `threads` connections does, with no strategy in between. */
static int64_t measure_commit_overhead(void *impl, int threads)
{
    wb_db_executor *dx = impl;
    wb_snapshot before, after, ignored;
    wb_conn *c = NULL;
    if (dx->backend->connect(dx->target, &c, NULL) != 0)
        return 0;
    await_others(dx, c);
    int rc = dx->backend->snapshot(c, &before, NULL); /* the parent's "before" reading */
    dx->backend->disconnect(c);
    if (rc != 0 || before.commits < 0)
        return 0;
    wb_conn **conns = wb_xcalloc((size_t)threads, sizeof *conns);
    int opened = 0;
    while (opened < threads && dx->backend->connect(dx->target, &conns[opened], NULL) == 0)
        opened++;
    for (int i = opened - 1; i >= 0; i--) /* the child's readings, as in child.c */
        dx->backend->snapshot(conns[i], &ignored, NULL);
    for (int i = 0; i < opened; i++)
        dx->backend->disconnect(conns[i]);
    free(conns);
    if (dx->backend->connect(dx->target, &c, NULL) != 0)
        return 0;
    await_others(dx, c);
    rc = dx->backend->snapshot(c, &after, NULL); /* the parent's "after" reading */
    dx->backend->disconnect(c);
    return rc == 0 && after.commits >= before.commits ? after.commits - before.commits : 0;
}

/* SIGINT or SIGTERM, caught by wb_interrupt_install(). */
static int interrupt_signal(void *impl)
{
    (void)impl;
    return wb_interrupt_signal();
}

/* Connect once before anything is written: the namespace, the lock (taken first, so
 * that a refused run does nothing more, a CHECKPOINT in another run's test least of
 * all; released again on failure), the version, the settings. */
int wb_db_executor_open(wb_db_executor *dx, const char *run_id, wb_buf *settings, wb_db_lock **lock, wb_error *e)
{
    wb_conn *c = NULL;
    if (connect_ours(dx, &c, e) != 0)
        return -1;
    int rc = wb_db_lock_take(dx->target, "run", run_id, lock, e);
    if (rc == 0)
        rc = dx->backend->server_version(c, dx->server_version, sizeof dx->server_version, e);
    /* the workload's C and SQL definitions agree here, before anything is measured or written */
    if (rc == 0)
        rc = wb_workload_check(dx->backend, c, dx->workload, dx->check_last_key, e);
    if (rc == 0 && dx->backend->describe_settings)
        dx->backend->describe_settings(c, settings);
    if (rc == 0 && dx->backend->settle) {
        /* Tried once here: a role without the right runs every test unsettled, and says so. */
        wb_error why = {{0}};
        dx->settle = dx->backend->settle(c, &why) == 0;
        wb_buf_printf(settings, "%s.checkpoint_before_each_test = %s%s\n", dx->backend->name,
                      dx->settle ? "yes" : "no: ", dx->settle ? "" : why.msg);
    }
    dx->backend->disconnect(c);
    if (rc != 0) {
        wb_db_lock_release(*lock);
        *lock = NULL;
    }
    return rc;
}

wb_executor wb_db_executor_get(wb_db_executor *dx)
{
    return (wb_executor){
        .impl = dx,
        .prepare = prepare_tables,
        .execute = execute_in_child,
        .check = verify_tables,
        .reachable = reachable,
        .calibrate_commits = measure_commit_overhead,
        .interrupted = interrupt_signal,
    };
}

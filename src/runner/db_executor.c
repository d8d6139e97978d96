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

/* Before a reading: let the server finish with writebench's closed connections. A
 * pooler in front keeps their server sessions open, so it is told to close them first:
 * a session reports its commits when it ends. */
static void await_others(wb_db_executor *dx, wb_conn *c)
{
    enum { MAX_WAIT_MS = 2000 };
    const wb_backend *v3 = wb_backend_v3(dx->backend);
    if (dx->server && v3 && v3->temp_server_release)
        v3->temp_server_release(dx->server);
    if (dx->pooled_readings)
        return; /* the pooler keeps the sessions open: there is nothing to wait for */
    if (dx->backend->await_others)
        dx->backend->await_others(c, NULL, MAX_WAIT_MS);
}

/* What the strategies' connections reach: a pooler in front, or the server itself. */
static const wb_target *client_target(const wb_db_executor *dx)
{
    return dx->client ? dx->client : dx->target;
}

/* A reading of the server's figures; its commits unknown when they come through a
 * pooler whose server sessions report them late. */
static int read_snapshot(wb_db_executor *dx, wb_conn *c, wb_snapshot *out, wb_error *e)
{
    int rc = dx->backend->snapshot(c, out, e);
    if (dx->pooled_readings)
        out->commits = -1;
    return rc;
}

/* After the primary verified: the standby must hold the same rows, checked with the
 * same verification once it has replayed everything the primary committed. 0 when it
 * does (or there is no standby), -1 with r's status and error set. */
static int verify_standby(wb_db_executor *dx, wb_conn *primary, const wb_test *t, wb_result *r)
{
    enum { MAX_REPLAY_WAIT_MS = 60000 };
    if (!dx->standby || !wb_backend_v3(dx->backend) || !dx->backend->await_replica)
        return 0;
    wb_error e = {{0}};
    wb_conn *sc = NULL;
    wb_verify_result v;
    memset(&v, 0, sizeof v);
    int rc = dx->backend->connect(dx->standby, &sc, &e);
    if (rc == 0)
        rc = dx->backend->await_replica(primary, sc, MAX_REPLAY_WAIT_MS, &e);
    if (rc == 0)
        rc = wb_verify_parallel(dx->backend, dx->standby, sc, dx->workload, t->ctx->rows, t->ctx->version, dx->verify,
                                &v, &e);
    dx->backend->disconnect(sc);
    if (rc != 0) {
        r->status = WB_STATUS_FAILED;
        snprintf(r->error, sizeof r->error, "verification on the standby could not run: %s", e.msg);
        return -1;
    }
    if (!v.ok) {
        r->status = WB_STATUS_FAILED;
        snprintf(r->error, sizeof r->error, "verification on the standby failed: %s", v.detail);
        return -1;
    }
    wb_run_files_log(dx->files, "%s: verified on the standby too: %lld rows", r->test, (long long)v.rows_verified);
    return 0;
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
        rc = read_snapshot(dx, c, before, e);
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
    *after = WB_SNAPSHOT_UNKNOWN;
    if (dx->backend->connect(dx->target, &c, &e) != 0) {
        /* Keep the strategy's own error (the server's message) when it has one. */
        size_t used = strlen(r->error);
        snprintf(r->error + used, sizeof r->error - used, "%scannot reconnect to verify: %s", used ? "; " : "", e.msg);
        r->status = o->status == WB_STATUS_OK ? WB_STATUS_FAILED : o->status;
        return -1;
    }
    await_others(dx, c);
    if (read_snapshot(dx, c, after, &e) != 0)
        *after = WB_SNAPSHOT_UNKNOWN;
    if (o->status == WB_STATUS_OK && strcmp(r->verify, "none") != 0) {
        wb_verify_result v;
        memset(&v, 0, sizeof v);
        double verify_start = wb_clock_s();
        int rc = wb_verify_parallel(dx->backend, dx->target, c, dx->workload, rows, t->ctx->version, dx->verify, &v, &e);
        if (rc == 0 && v.ok && t->check_changed)
            rc = wb_verify_changed(dx->backend, c, dx->workload, rows, &v, &e);
        if (rc != 0) {
            r->status = WB_STATUS_FAILED;
            snprintf(r->error, sizeof r->error, "verification could not run: %s", e.msg);
        } else {
            r->rows_verified = v.rows_verified;
            if (!v.ok) {
                r->status = WB_STATUS_FAILED;
                snprintf(r->error, sizeof r->error, "verification failed: %s", v.detail);
            } else {
                verify_standby(dx, c, t, r);
            }
        }
        r->verify_s = wb_clock_s() - verify_start;
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
static int64_t measure_commit_overhead(void *impl, const wb_test *t)
{
    wb_db_executor *dx = impl;
    int threads = t->ctx->threads > 0 ? t->ctx->threads : 1;
    const wb_target *child_target = t->ctx->target ? t->ctx->target : client_target(dx);
    wb_snapshot before, after, ignored;
    wb_conn *c = NULL;
    if (dx->backend->connect(dx->target, &c, NULL) != 0)
        return 0;
    await_others(dx, c);
    int rc = read_snapshot(dx, c, &before, NULL); /* the parent's "before" reading */
    dx->backend->disconnect(c);
    if (rc != 0 || before.commits < 0)
        return 0;
    wb_conn **conns = wb_xcalloc((size_t)threads, sizeof *conns);
    int opened = 0;
    while (opened < threads && dx->backend->connect(child_target, &conns[opened], NULL) == 0)
        opened++;
    for (int i = opened - 1; i >= 0; i--) /* the child's readings, as in child.c */
        dx->backend->snapshot(conns[i], &ignored, NULL);
    for (int i = 0; i < opened; i++)
        dx->backend->disconnect(conns[i]);
    free(conns);
    if (dx->backend->connect(dx->target, &c, NULL) != 0)
        return 0;
    await_others(dx, c);
    rc = read_snapshot(dx, c, &after, NULL); /* the parent's "after" reading */
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
/* Probe the strategies' connections (backend probe), before anything else. */
static int probe_connections(wb_db_executor *dx, wb_error *e)
{
    memset(&dx->probe, 0, sizeof dx->probe);
    if (!wb_backend_v3(dx->backend) || !dx->backend->probe)
        return 0;
    const wb_target *t = client_target(dx);
    wb_conn *c = NULL;
    if (dx->backend->connect(t, &c, e) != 0)
        return -1;
    int rc = dx->backend->probe(t, c, &dx->probe, e);
    dx->backend->disconnect(c);
    /* writebench's own readings go where the strategies' connections go, unless a
     * throwaway server gave them the server itself (dx->client) */
    dx->pooled_readings = !dx->client && (dx->probe.missing & WB_CAP_OWN_SESSION);
    return rc;
}

/* run.conf's lines for what the probes found, and what follows from it. */
static void describe_probe(const wb_db_executor *dx, wb_buf *out)
{
    for (int i = 0; i < WB_CAP_COUNT; i++) {
        unsigned cap = 1u << i;
        if (!(dx->probe.probed & cap))
            continue;
        if (dx->probe.missing & cap)
            wb_buf_printf(out, "probe.%s = no: %s\n", wb_capability_key(cap), dx->probe.why[i]);
        else
            wb_buf_printf(out, "probe.%s = yes\n", wb_capability_key(cap));
    }
    if (dx->client)
        wb_buf_puts(out, "readings = on the server itself, past the pooler the strategies connect through\n");
    else if (dx->pooled_readings)
        wb_buf_puts(out, "readings = through the pooler, which keeps server sessions open: commits are unknown (a "
                         "session reports them late)\n");
    if (!dx->client && (dx->probe.missing & WB_CAP_SESSION_LOCKS))
        wb_buf_puts(out, "lock = held in a transaction kept open on one pooled connection: a session-level lock "
                         "would stay on a server session that other clients share\n");
}

int wb_db_executor_open(wb_db_executor *dx, const char *run_id, wb_buf *settings, wb_db_lock **lock, wb_error *e)
{
    wb_conn *c = NULL;
    if (connect_ours(dx, &c, e) != 0)
        return -1;
    if (probe_connections(dx, e) != 0) {
        dx->backend->disconnect(c);
        return -1;
    }
    /* One writebench per database, behind a transaction pooler too: with no way past it,
     * a session-level lock would stay on a server session other clients share, so the
     * lock holds a transaction open on one pooled connection instead. The target is
     * large: copied to the heap, only for the lock. */
    wb_target *lock_target = wb_xmalloc(sizeof *lock_target);
    *lock_target = *dx->target;
    lock_target->lock_in_transaction = !dx->client && (dx->probe.missing & WB_CAP_SESSION_LOCKS);
    int rc = wb_db_lock_take(lock_target, "run", run_id, lock, e);
    free(lock_target);
    if (rc == 0)
        rc = dx->backend->server_version(c, dx->server_version, sizeof dx->server_version, e);
    /* the workload's C and SQL definitions agree here, before anything is measured or written */
    if (rc == 0)
        rc = wb_workload_check(dx->backend, c, dx->workload, dx->check_last_key, e);
    if (rc == 0 && dx->backend->describe_settings)
        dx->backend->describe_settings(c, settings);
    if (rc == 0)
        describe_probe(dx, settings);
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

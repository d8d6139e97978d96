/* What a PostgreSQL connection really supports (backend.h, `probe`): the protocol is
 * the same in front of a pooler or a distributed engine, the behaviour is not, so each
 * capability is tried on the real connection before the first test, and a strategy
 * that needs one that is missing is skipped with what the probe saw.
 *
 * A transaction pooler (pgbouncer pool_mode=transaction) shows its sharing only when
 * two clients interleave: alone, a client gets the same server session back every
 * time. So the probes of session state run on connection A while connection B holds a
 * transaction open: behind such a pooler B is then given the server session A used
 * last, and A's next transaction runs on another one. A session pooler shows itself
 * when a connection closes: the next one gets the same server process back.
 *
 * Everything runs in transactions that are rolled back, or as settings and locks that
 * are undone; the one table made (for COPY and MERGE) is created inside writebench's
 * namespace in a transaction that is rolled back. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "backends/pg_internal.h"

/* The probe's own advisory lock: writebench's first key, and the run's pid. */
#define PROBE_LOCK_CLASS 2002911233

typedef struct probe_ctx {
    const wb_target *target;
    PGconn *a, *b;       /* the connection under test and the one interleaving with it */
    char token[32];      /* unique to this process: names, keys, values */
    char table[256];     /* "schema"."writebench_probe_<pid>" */
} probe_ctx;

/* The server's message of a failed result, on one line: its primary text and SQLSTATE
 * ("prepared statement \"x\" does not exist [SQLSTATE 26000]"), or libpq's. */
static void server_message(PGconn *pg, const PGresult *r, char *out, size_t n)
{
    const char *primary = r ? PQresultErrorField(r, PG_DIAG_MESSAGE_PRIMARY) : NULL;
    const char *state = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : NULL;
    if (primary) {
        snprintf(out, n, "%.250s%s%s%s", primary, state ? " [SQLSTATE " : "", state ? state : "", state ? "]" : "");
        return;
    }
    wb_error e = {{0}};
    wb_pg_fail(&e, pg, r, "libpq");
    snprintf(out, n, "%.300s", e.msg);
}

/* Run sql on pg and keep the first value of its first row in out (may be NULL); 0 when
 * it succeeded, else -1 with the server's message, on one line, in why. */
static int run(PGconn *pg, const char *sql, char *out, size_t out_n, char *why, size_t n)
{
    PGresult *r = PQexec(pg, sql);
    ExecStatusType status = PQresultStatus(r);
    int ok = status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK;
    if (ok && out)
        snprintf(out, out_n, "%s", status == PGRES_TUPLES_OK && PQntuples(r) > 0 ? PQgetvalue(r, 0, 0) : "");
    if (!ok && why)
        server_message(pg, r, why, n);
    PQclear(r);
    return ok ? 0 : -1;
}

/* B pins a server session: behind a transaction pooler, the one A used last. */
static int pin(probe_ctx *p, char *why, size_t n)
{
    return run(p->b, "BEGIN", NULL, 0, why, n) == 0 && run(p->b, "SELECT 1", NULL, 0, why, n) == 0 ? 0 : -1;
}

static void unpin(probe_ctx *p)
{
    PQclear(PQexec(p->b, "ROLLBACK"));
}

/* The words every interleaving probe ends with when it saw the sharing. */
#define SHARED " while another connection was in a transaction: this connection does not keep one server " \
               "session between its transactions (as behind a transaction pooler)"

/* A statement prepared on A outside a transaction, executed in A's next one. */
static int probe_kept_statements(probe_ctx *p, char *why, size_t n)
{
    char name[64], sql[128], error[400] = "";
    snprintf(name, sizeof name, "writebench_probe_%s", p->token);
    PGresult *r = PQprepare(p->a, name, "SELECT 1", 0, NULL);
    int prepared = PQresultStatus(r) == PGRES_COMMAND_OK;
    PQclear(r);
    if (!prepared)
        return snprintf(why, n, "a statement could not be prepared under a name"), 0;
    if (pin(p, why, n) != 0)
        return -1;
    r = PQexecPrepared(p->a, name, 0, NULL, NULL, NULL, 0);
    int kept = PQresultStatus(r) == PGRES_TUPLES_OK;
    if (!kept)
        server_message(p->a, r, error, sizeof error);
    PQclear(r);
    unpin(p);
    snprintf(sql, sizeof sql, "DEALLOCATE %s", name);
    PQclear(PQexec(p->a, sql)); /* wherever it is: gone with its session otherwise */
    if (!kept)
        snprintf(why, n, "a statement prepared on this connection was gone in its next transaction (%s)" SHARED, error);
    return kept;
}

/* A setting made with SET on A, read in A's next transaction. */
static int probe_session_state(probe_ctx *p, char *why, size_t n)
{
    char sql[128], got[64] = "";
    snprintf(sql, sizeof sql, "SET writebench.probe = '%s'", p->token);
    if (run(p->a, sql, NULL, 0, why, n) != 0)
        return 0; /* a placeholder setting cannot even be made: no session settings to rely on */
    if (pin(p, why, n) != 0)
        return -1;
    int read = run(p->a, "SELECT pg_catalog.current_setting('writebench.probe', true)", got, sizeof got, why, n) == 0;
    unpin(p);
    PQclear(PQexec(p->a, "RESET writebench.probe"));
    if (!read)
        return -1;
    if (strcmp(got, p->token) != 0)
        snprintf(why, n, "a setting made with SET on this connection was gone in its next transaction" SHARED);
    return strcmp(got, p->token) == 0;
}

/* A session-level advisory lock taken on A: B, in a transaction, must not get it. */
static int probe_session_locks(probe_ctx *p, char *why, size_t n)
{
    char lock[160], unlock[160], got[16] = "";
    snprintf(lock, sizeof lock, "SELECT pg_catalog.pg_try_advisory_lock(%d, %d)", PROBE_LOCK_CLASS, (int)getpid());
    snprintf(unlock, sizeof unlock, "SELECT pg_catalog.pg_advisory_unlock(%d, %d)", PROBE_LOCK_CLASS, (int)getpid());
    if (run(p->a, lock, got, sizeof got, why, n) != 0)
        return 0;
    if (strcmp(got, "t") != 0)
        return snprintf(why, n, "the probe's own advisory lock was held already"), -1;
    if (run(p->b, "BEGIN", NULL, 0, why, n) != 0)
        return -1;
    int shared = run(p->b, lock, got, sizeof got, why, n) == 0 && strcmp(got, "t") == 0;
    if (shared) { /* B is on A's session: release both holds there */
        PQclear(PQexec(p->b, unlock));
        PQclear(PQexec(p->b, unlock));
    }
    unpin(p);
    if (!shared)
        PQclear(PQexec(p->a, unlock));
    else
        snprintf(why, n, "another connection could take the session-level advisory lock this connection held: a "
                         "session lock stays with a server session that other clients share (as behind a "
                         "transaction pooler)");
    return !shared;
}

/* A closed connection's server process must not serve the next connection. */
static int probe_own_session(probe_ctx *p, char *why, size_t n)
{
    char first[32] = "", second[32] = "";
    wb_conn *c = NULL;
    wb_error e = {{0}};
    if (wb_postgres_backend.connect(p->target, &c, &e) != 0)
        return snprintf(why, n, "%s", e.msg), -1;
    int rc = run(wb_pg_conn(c), "SELECT pg_catalog.pg_backend_pid()", first, sizeof first, why, n);
    wb_postgres_backend.disconnect(c);
    c = NULL;
    if (rc != 0 || wb_postgres_backend.connect(p->target, &c, &e) != 0)
        return rc != 0 ? -1 : (snprintf(why, n, "%s", e.msg), -1);
    rc = run(wb_pg_conn(c), "SELECT pg_catalog.pg_backend_pid()", second, sizeof second, why, n);
    wb_postgres_backend.disconnect(c);
    if (rc != 0)
        return -1;
    if (strcmp(first, second) == 0)
        snprintf(why, n, "a new connection was served by the server process (pid %s) of the one closed just before: "
                         "server sessions outlive the connections (a pooler keeps them open)",
                 first);
    return strcmp(first, second) != 0;
}

/* Two statements in libpq's pipeline mode, one sync. */
static int probe_pipeline(probe_ctx *p, char *why, size_t n)
{
    if (PQlibVersion() < 140000)
        return snprintf(why, n, "libpq %d is older than 14, which has no pipeline mode", PQlibVersion()), 0;
    int ok = PQenterPipelineMode(p->a) == 1;
    ok = ok && PQsendQueryParams(p->a, "SELECT 1", 0, NULL, NULL, NULL, NULL, 0) == 1;
    ok = ok && PQsendQueryParams(p->a, "SELECT 2", 0, NULL, NULL, NULL, NULL, 0) == 1;
    ok = ok && PQpipelineSync(p->a) == 1;
    int tuples = 0, synced = 0;
    for (int i = 0; ok && i < 8 && !synced; i++) {
        PGresult *r = PQgetResult(p->a);
        if (!r)
            continue; /* the end of one query's results */
        ExecStatusType s = PQresultStatus(r);
        tuples += s == PGRES_TUPLES_OK;
        synced = s == PGRES_PIPELINE_SYNC;
        if (s != PGRES_TUPLES_OK && s != PGRES_PIPELINE_SYNC) {
            server_message(p->a, r, why, n);
            ok = 0;
        }
        PQclear(r);
    }
    PQexitPipelineMode(p->a);
    if (ok && (!synced || tuples != 2))
        snprintf(why, n, "two statements sent in pipeline mode did not both return before the sync");
    else if (!ok && !why[0])
        server_message(p->a, NULL, why, n);
    return ok && synced && tuples == 2;
}

/* In the transaction of probe_in_transaction: COPY ... FROM STDIN into the probe table. */
static int probe_copy(probe_ctx *p, char *why, size_t n)
{
    char sql[400];
    snprintf(sql, sizeof sql, "COPY %s (k) FROM STDIN", p->table);
    PGresult *r = PQexec(p->a, sql);
    int started = PQresultStatus(r) == PGRES_COPY_IN;
    if (!started)
        server_message(p->a, r, why, n);
    PQclear(r);
    if (!started)
        return 0;
    int ok = PQputCopyData(p->a, "1\n", 2) == 1 && PQputCopyEnd(p->a, NULL) == 1;
    while ((r = PQgetResult(p->a)) != NULL) {
        if (PQresultStatus(r) != PGRES_COMMAND_OK) {
            server_message(p->a, r, why, n);
            ok = 0;
        }
        PQclear(r);
    }
    return ok;
}

static int probe_merge(probe_ctx *p, char *why, size_t n)
{
    char sql[600];
    snprintf(sql, sizeof sql,
             "MERGE INTO %s AS t USING (VALUES (2::bigint)) AS v(k) ON t.k = v.k "
             "WHEN MATCHED THEN UPDATE SET k = v.k WHEN NOT MATCHED THEN INSERT (k) VALUES (v.k)",
             p->table);
    return run(p->a, sql, NULL, 0, why, n) == 0;
}

static int probe_temp_tables(probe_ctx *p, char *why, size_t n)
{
    char sql[200];
    snprintf(sql, sizeof sql, "CREATE TEMPORARY TABLE \"writebench_probe_tmp_%s\" (k bigint) ON COMMIT DROP", p->token);
    return run(p->a, sql, NULL, 0, why, n) == 0;
}

typedef int (*probe_fn)(probe_ctx *p, char *why, size_t n);

/* The probes: what each decides, and whether it runs inside the probe transaction
 * (COPY, MERGE and temporary tables, each in a savepoint of its own). Each returns 1
 * when the capability is there, 0 when not (why filled), -1 when it could not tell. */
static const struct {
    unsigned cap;
    probe_fn fn;
    int in_transaction;
} probes[] = {
    {WB_CAP_KEPT_STATEMENTS, probe_kept_statements, 0},
    {WB_CAP_SESSION_STATE, probe_session_state, 0},
    {WB_CAP_SESSION_LOCKS, probe_session_locks, 0},
    {WB_CAP_OWN_SESSION, probe_own_session, 0},
    {WB_CAP_PIPELINE, probe_pipeline, 0},
    {WB_CAP_COPY, probe_copy, 1},
    {WB_CAP_MERGE, probe_merge, 1},
    {WB_CAP_TEMP_TABLES, probe_temp_tables, 1},
};

static int bit_index(unsigned cap)
{
    int i = 0;
    while (i < WB_CAP_COUNT && cap != 1u << i)
        i++;
    return i;
}

/* Record one probe's finding. */
static void note(wb_probe *out, unsigned cap, int found, const char *why)
{
    int i = bit_index(cap);
    if (found < 0 || i >= WB_CAP_COUNT)
        return; /* could not tell: the capability stays assumed */
    out->probed |= cap;
    if (!found) {
        out->missing |= cap;
        snprintf(out->why[i], sizeof out->why[i], "%s", why[0] ? why : "the probe failed without a message");
    }
}

int wb_pg_probe(const wb_target *t, wb_conn *c, wb_probe *out, wb_error *e)
{
    probe_ctx p = {.target = t, .a = wb_pg_conn(c)};
    snprintf(p.token, sizeof p.token, "%d", (int)getpid());
    wb_conn *second = NULL;
    if (wb_postgres_backend.connect(t, &second, e) != 0)
        return wb_fail_prefix(e, "probing the connection: ");
    p.b = wb_pg_conn(second);
    wb_buf table = WB_BUF_INIT;
    wb_postgres_backend.table_name(c, "writebench_probe_", &table);
    snprintf(p.table, sizeof p.table, "%.*s%s\"", (int)table.len - 1, wb_buf_str(&table), p.token);
    wb_buf_free(&table);

    for (size_t i = 0; i < sizeof probes / sizeof probes[0]; i++) {
        char why[400] = "";
        if (!probes[i].in_transaction)
            note(out, probes[i].cap, probes[i].fn(&p, why, sizeof why), why);
    }
    /* One transaction, rolled back: the probe table, then each probe in a savepoint. */
    char sql[400], why[400] = "";
    snprintf(sql, sizeof sql, "CREATE TABLE %s (k bigint)", p.table);
    int ready = run(p.a, "BEGIN", NULL, 0, why, sizeof why) == 0 && run(p.a, sql, NULL, 0, why, sizeof why) == 0;
    for (size_t i = 0; ready && i < sizeof probes / sizeof probes[0]; i++) {
        if (!probes[i].in_transaction)
            continue;
        char found_why[400] = "";
        if (run(p.a, "SAVEPOINT writebench_probe", NULL, 0, found_why, sizeof found_why) != 0)
            break;
        note(out, probes[i].cap, probes[i].fn(&p, found_why, sizeof found_why), found_why);
        PQclear(PQexec(p.a, "ROLLBACK TO SAVEPOINT writebench_probe"));
    }
    PQclear(PQexec(p.a, "ROLLBACK"));
    wb_postgres_backend.disconnect(second);
    return 0;
}

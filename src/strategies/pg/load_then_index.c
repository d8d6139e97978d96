/* The PostgreSQL load-then-index strategy, the classic bulk-load advice: drop what
 * slows a load (secondary indexes, unique and foreign-key constraints), load
 * the bare tables with COPY binary (--threads connections), then rebuild everything;
 * the rebuild (index builds, constraint validation) is part of the measured time.
 *
 * What to drop is read from the server's catalogue rather than rebuilt from the
 * workload's definition, and restored from the server's own definitions
 * (pg_get_indexdef, pg_get_constraintdef): the tables come back exactly as they
 * were, whatever names and forms the schema gave its indexes and constraints. The
 * primary key and NOT NULL stay: the load's rows are checked against them. The
 * rebuild may use parallel maintenance workers (CREATE INDEX on btree), as many as
 * the server allows queries. */
#include "strategies/pg/common.h"
#include "strategies/pg/copy_stream.h"
#include "strategies/pg/pg_strategies.h"

#include "backends/echo.h"
#include "backends/postgres.h"
#include "util/clock.h"

/* Constraints that a load can do without: unique, foreign key, exclusion (each an
 * index build or a lookup per row). CHECK stays, as in the manual's advice: checked
 * per row it costs an expression, while adding it back costs a scan of the table.
 * Foreign keys first, so that nothing a key depends on goes before it. */
static const char constraints_sql[] =
    "SELECT quote_ident(conname), pg_get_constraintdef(oid), contype = 'f' FROM pg_constraint "
    "WHERE conrelid = $1::regclass AND contype IN ('f', 'u', 'x') "
    "ORDER BY contype <> 'f', conname";
/* Indexes that back no constraint (those go with their constraint) and are not the
 * primary key's; the name as regclass text is quoted and qualified as needed. */
static const char indexes_sql[] =
    "SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid) FROM pg_index i "
    "WHERE i.indrelid = $1::regclass AND NOT i.indisprimary AND NOT EXISTS ("
    "SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid AND k.conrelid = i.indrelid "
    "AND k.contype IN ('p', 'u', 'x')) ORDER BY 1";

/* The statements that drop and rebuild the secondary structures of every table. */
typedef struct plan {
    wb_buf drop;         /* children first, foreign keys first */
    wb_buf rebuild;      /* parents first: indexes and constraints ... */
    wb_buf rebuild_fks;  /* ... and the foreign keys last, once every table is back */
} plan;

/* Run one catalogue query with the table's name as $1, timed and echoed under --echo
 * like every other statement (one test of a flag when off). */
static PGresult *catalog_query(PGconn *pg, const char *sql, const char *const *params)
{
    int64_t start = wb_echo_active ? wb_clock_ns() : 0;
    PGresult *res = PQexecParams(pg, sql, 1, NULL, params, NULL, NULL, 0);
    if (wb_echo_active)
        wb_echo_record_params(sql, 1, params, wb_clock_ns() - start);
    return res;
}

/* Add what table t needs dropped and rebuilt to p. */
static int plan_table(const wb_ctx *ctx, wb_conn *conn, PGconn *pg, const wb_table *t, plan *p, wb_error *e)
{
    wb_buf name = WB_BUF_INIT;
    ctx->backend->table_name(conn, t->name, &name);
    const char *params[1] = {wb_buf_str(&name)};
    int rc = 0;

    PGresult *res = catalog_query(pg, constraints_sql, params);
    if (PQresultStatus(res) != PGRES_TUPLES_OK) {
        rc = wb_pgs_check(pg, res, PGRES_TUPLES_OK, "read constraints", e);
    } else {
        for (int r = 0; r < PQntuples(res); r++) {
            const char *constraint = PQgetvalue(res, r, 0), *definition = PQgetvalue(res, r, 1);
            int is_fk = PQgetvalue(res, r, 2)[0] == 't';
            wb_buf_printf(&p->drop, "ALTER TABLE %s DROP CONSTRAINT %s;\n", params[0], constraint);
            wb_buf_printf(is_fk ? &p->rebuild_fks : &p->rebuild, "ALTER TABLE %s ADD CONSTRAINT %s %s;\n",
                          params[0], constraint, definition);
        }
        PQclear(res);
    }
    if (rc == 0) {
        res = catalog_query(pg, indexes_sql, params);
        if (PQresultStatus(res) != PGRES_TUPLES_OK) {
            rc = wb_pgs_check(pg, res, PGRES_TUPLES_OK, "read indexes", e);
        } else {
            for (int r = 0; r < PQntuples(res); r++) {
                wb_buf_printf(&p->drop, "DROP INDEX %s;\n", PQgetvalue(res, r, 0));
                wb_buf_printf(&p->rebuild, "%s;\n", PQgetvalue(res, r, 1));
            }
            PQclear(res);
        }
    }
    wb_buf_free(&name);
    return rc;
}

/* maintenance_work_mem for the rebuild: a 1M-row index sort fits instead of spilling. */
#define REBUILD_MAINTENANCE_WORK_MEM "256MB"
/* Parallel index builds for the rebuild's transaction, as many maintenance workers as the
 * server lets queries have (max_parallel_workers, itself within max_worker_processes), when
 * that is more than the session's; the server still starts fewer for a small table
 * (min_parallel_table_scan_size) or when no worker is free. run.conf records the three
 * settings. */
#define REBUILD_PARALLEL_WORKERS_SQL                                                                      \
    "SELECT pg_catalog.set_config('max_parallel_maintenance_workers', "                                  \
    "pg_catalog.current_setting('max_parallel_workers'), true) WHERE "                                    \
    "pg_catalog.current_setting('max_parallel_maintenance_workers')::int < "                             \
    "pg_catalog.current_setting('max_parallel_workers')::int;\n"

/* Run the statements of sql in one transaction; nothing to do when sql is empty. */
static int run_in_transaction(PGconn *pg, const wb_buf *sql, const char *what, wb_error *e)
{
    if (sql->len == 0)
        return 0;
    int rc = wb_pgs_begin(pg, e);
    if (rc == 0)
        rc = wb_pgs_exec(pg, wb_buf_str(sql), what, e);
    if (rc == 0)
        rc = wb_pgs_commit(pg, e);
    if (rc != 0)
        wb_pgs_rollback(pg);
    return rc;
}

int wb_pg_load_then_index(wb_ctx *ctx)
{
    const wb_workload *wl = ctx->workload;
    wb_conn *conn = ctx->conns[0];
    PGconn *pg = wb_pg_conn(conn);
    plan p = {WB_BUF_INIT, WB_BUF_INIT, WB_BUF_INIT};
    int rc = 0;

    /* Children first into the drop list: a child's foreign key goes before anything
     * of its parent. */
    for (int t = wl->ntables - 1; t >= 0 && rc == 0; t--)
        if ((rc = plan_table(ctx, conn, pg, &wl->tables[t], &p, ctx->error)) != 0)
            wb_fail_prefix(ctx->error, "%s: ", wl->tables[t].name);
    if (rc == 0)
        rc = run_in_transaction(pg, &p.drop, "drop indexes and constraints", ctx->error);
    if (rc == 0) {
        /* The manual's bulk-load advice ("Populating a Database"): more memory for the
         * index builds and foreign-key checks, for this transaction only, and never less
         * than the server already gives. A workload with nothing to rebuild (only CHECKs,
         * which stay) runs no rebuild at all: the setting's SELECT alone would end the
         * statements with rows, which exec refuses. */
        wb_buf settings = WB_BUF_INIT;
        if (p.rebuild.len + p.rebuild_fks.len > 0)
            wb_buf_printf(&settings,
                          "SELECT pg_catalog.set_config('maintenance_work_mem', '%s', true) WHERE "
                          "pg_catalog.pg_size_bytes(pg_catalog.current_setting('maintenance_work_mem')) < "
                          "pg_catalog.pg_size_bytes('%s');\n%s%s%s",
                          REBUILD_MAINTENANCE_WORK_MEM, REBUILD_MAINTENANCE_WORK_MEM, REBUILD_PARALLEL_WORKERS_SQL,
                          wb_buf_str(&p.rebuild),
                          wb_buf_str(&p.rebuild_fks));
        wb_buf_free(&p.rebuild);
        p.rebuild = settings;
        rc = wb_pgs_copy_workload(ctx, WB_PGS_COPY_BINARY);
        if (rc == 0) {
            rc = run_in_transaction(pg, &p.rebuild, "rebuild indexes and constraints", ctx->error);
        } else {
            /* Best effort: leave the tables as complete as they were, the load's error stands. */
            wb_error ignored;
            run_in_transaction(pg, &p.rebuild, "rebuild", &ignored);
        }
    }
    wb_buf_free(&p.drop);
    wb_buf_free(&p.rebuild);
    wb_buf_free(&p.rebuild_fks);
    return rc;
}

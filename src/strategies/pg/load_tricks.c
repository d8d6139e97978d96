/* Two PostgreSQL bulk-load tricks, each with a cost the catalogue's description
 * states (strategies/catalog.c):
 *   - copy-freeze: TRUNCATE every table and COPY ... (FORMAT binary, FREEZE) into
 *     it in the same transaction, so the rows are written already frozen (no
 *     hint-bit writes or freezing vacuum later). The server allows FREEZE only
 *     for a table created or truncated in the same transaction, so it is one
 *     connection and one transaction, and it empties the tables first;
 *   - unlogged-then-logged: ALTER TABLE ... SET UNLOGGED, load with COPY binary
 *     (no WAL for the rows), then SET LOGGED, which rewrites each table and,
 *     with wal_level above minimal, writes it whole to the WAL after all. A
 *     crash before SET LOGGED commits empties the unlogged tables.
 * Batches (wb_ctx_batch_done): each COPY, and each SET LOGGED. */
#include <stdio.h>

#include "strategies/pg/common.h"
#include "strategies/pg/copy_stream.h"
#include "strategies/pg/pg_strategies.h"

#include "backends/postgres.h"
#include "util/clock.h"

int wb_pg_copy_freeze(wb_ctx *ctx)
{
    const wb_workload *wl = ctx->workload;
    wb_conn *conn = ctx->conns[0];
    PGconn *pg = wb_pg_conn(conn);
    wb_error *e = ctx->error;
    /* every table in one TRUNCATE: a table a foreign key references may only be
     * truncated together with the tables that reference it */
    wb_buf sql = WB_BUF_INIT, name = WB_BUF_INIT;
    wb_buf_puts(&sql, "TRUNCATE ");
    for (int t = 0; t < wl->ntables; t++) {
        if (t)
            wb_buf_puts(&sql, ", ");
        ctx->backend->table_name(conn, wl->tables[t].name, &sql);
    }
    int rc = wb_pgs_begin(pg, e);
    if (rc == 0)
        rc = wb_pgs_exec(pg, wb_buf_str(&sql), "truncate", e);
    for (int t = 0; t < wl->ntables && rc == 0; t++) { /* parents first */
        const wb_table *table = &wl->tables[t];
        wb_buf_reset(&name);
        ctx->backend->table_name(conn, table->name, &name);
        int64_t started_ns = wb_clock_ns(); /* a batch: one COPY */
        rc = wb_pgs_copy_range_freeze(ctx, pg, wb_buf_str(&name), table, 1, ctx->rows, WB_PGS_COPY_BINARY, 1, e);
        if (rc == 0)
            wb_ctx_batch_done(ctx, started_ns);
        else
            wb_fail_prefix(e, "%s: ", table->name);
    }
    if (rc == 0)
        rc = wb_pgs_commit(pg, e);
    if (rc != 0)
        wb_pgs_rollback(pg);
    wb_buf_free(&sql);
    wb_buf_free(&name);
    return rc;
}

/* ALTER TABLE ... SET <persistence> for table t on pg; a batch when record is 1. */
static int set_persistence(wb_ctx *ctx, PGconn *pg, const wb_table *t, const char *persistence, int record,
                           wb_error *e)
{
    wb_buf sql = WB_BUF_INIT;
    wb_buf_puts(&sql, "ALTER TABLE ");
    ctx->backend->table_name(ctx->conns[0], t->name, &sql);
    wb_buf_printf(&sql, " SET %s", persistence);
    int64_t started_ns = wb_clock_ns();
    int rc = wb_pgs_exec(pg, wb_buf_str(&sql), persistence, e);
    if (rc == 0 && record)
        wb_ctx_batch_done(ctx, started_ns);
    if (rc != 0)
        wb_fail_prefix(e, "%s: ", t->name);
    wb_buf_free(&sql);
    return rc;
}

int wb_pg_unlogged_then_logged(wb_ctx *ctx)
{
    const wb_workload *wl = ctx->workload;
    PGconn *pg = wb_pg_conn(ctx->conns[0]);
    int rc = 0;
    /* Children first: a logged table may not reference an unlogged one, so a parent
     * turns unlogged only once the tables referencing it are. */
    for (int t = wl->ntables - 1; t >= 0 && rc == 0; t--)
        rc = set_persistence(ctx, pg, &wl->tables[t], "UNLOGGED", 0, ctx->error);
    if (rc == 0)
        rc = wb_pgs_copy_workload(ctx, WB_PGS_COPY_BINARY);
    /* Parents first: a table turns logged only once the tables it references are. Also
     * after a failed load, best effort, so that the tables are as the schema made them. */
    wb_error ignored = {{0}};
    for (int t = 0; t < wl->ntables; t++)
        if (set_persistence(ctx, pg, &wl->tables[t], "LOGGED", rc == 0, rc == 0 ? ctx->error : &ignored) != 0 &&
            rc == 0)
            rc = -1;
    return rc;
}

/* The PostgreSQL commit-queue strategy: ctx->threads producer threads generate rows
 * into one shared bounded queue (strategies/queue.c); a single writer on
 * ctx->conns[0] drains it with a prepared INSERT ... ON CONFLICT DO UPDATE and
 * commits every --batch rows. The runner opens ctx->threads connections; only the
 * first one writes. */
#include <stdint.h>
#include <stdlib.h>

#include "strategies/pg/common.h"
#include "strategies/pg/pg_strategies.h"
#include "strategies/queue.h"

#include "backends/postgres.h"

/* The writer's state across tables: one connection, one transaction every batch rows. */
typedef struct writer {
    wb_ctx *ctx;
    PGconn *pg;
    wb_pgs_stmt *upserts; /* one per table */
    int64_t commit_every;
    int64_t rows_in_transaction;
    int in_transaction;
} writer;

/* Execute one queued row, committing when the batch is full. */
static int write_item(void *arg, const wb_queue_item *item, wb_error *e)
{
    writer *w = arg;
    if (!w->in_transaction) {
        if (wb_pgs_begin(w->pg, e) != 0)
            return -1;
        w->in_transaction = 1;
    }
    wb_pgs_row_params params;
    wb_pgs_row_params_of(&item->row, &params);
    if (wb_pgs_stmt_exec(w->pg, &w->upserts[item->table], params.values, PGRES_COMMAND_OK, "upsert", e) != 0)
        return wb_fail_prefix(e, "%s key %lld: ", w->ctx->workload->tables[item->table].name,
                              (long long)item->row.v[0].i64);
    if (++w->rows_in_transaction == w->commit_every) {
        if (wb_pgs_commit(w->pg, e) != 0)
            return -1;
        w->in_transaction = 0;
        w->rows_in_transaction = 0;
    }
    return 0;
}

int wb_pg_commit_queue(wb_ctx *ctx)
{
    const wb_workload *wl = ctx->workload;
    wb_error *e = ctx->error;
    wb_conn *conn = ctx->conns[0];
    writer w = {ctx, wb_pg_conn(conn), NULL, ctx->batch > 0 ? ctx->batch : INT64_MAX, 0, 0};
    w.upserts = wb_xcalloc((size_t)wl->ntables, sizeof *w.upserts);
    wb_buf sql = WB_BUF_INIT;
    int rc = 0;
    for (int t = 0; t < wl->ntables && rc == 0; t++) {
        wb_buf_reset(&sql);
        wb_pgs_insert_sql(ctx, conn, &wl->tables[t], 1, 1, &sql);
        if ((rc = wb_pgs_stmt_init(&w.upserts[t], w.pg, wb_buf_str(&sql), wl->tables[t].ncolumns, 1, e)) != 0)
            wb_fail_prefix(e, "%s: ", wl->tables[t].name);
    }
    if (rc == 0)
        rc = wb_queue_run(ctx, ctx->threads, wb_queue_capacity(ctx->batch), write_item, &w, e);
    if (rc == 0 && w.in_transaction)
        rc = wb_pgs_commit(w.pg, e);
    if (rc != 0)
        wb_pgs_rollback(w.pg);
    for (int t = 0; t < wl->ntables; t++)
        wb_pgs_stmt_free(&w.upserts[t], w.pg);
    free(w.upserts);
    wb_buf_free(&sql);
    return rc;
}

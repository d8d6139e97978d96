/* The commit-queue strategy: ctx->threads producer threads generate rows (the
 * "application work") into one shared bounded queue (strategies/queue.c, which
 * also keeps parents before children); a single writer on ctx->conns[0] drains it
 * with a prepared upsert and commits every --batch rows. The runner opens
 * ctx->threads connections; only the first one writes. */
#include <stdint.h>
#include <stdlib.h>

#include "strategies/queue.h"
#include "strategies/sqlite/common.h"
#include "strategies/sqlite/sqlite_strategies.h"

#include "backends/sqlite.h"

/* The writer's state across tables: one connection, one transaction every batch rows. */
typedef struct writer {
    wb_ctx *ctx;
    sqlite3 *db;
    sqlite3_stmt **upserts; /* one per table */
    int64_t commit_every;
    int64_t rows_in_transaction;
    int in_transaction;
} writer;

/* Execute one queued row, committing when the batch is full (a wb_queue_consume_fn). */
static int write_item(void *arg, const wb_queue_item *item, wb_error *e)
{
    writer *w = arg;
    if (!w->in_transaction) {
        if (wb_sq_begin(w->db, e) != 0)
            return -1;
        w->in_transaction = 1;
    }
    sqlite3_stmt *st = w->upserts[item->table];
    if (wb_sq_bind_row(w->db, st, 1, &item->row, e) != 0 || wb_sq_step_done(w->db, st, e) != 0) {
        sqlite3_clear_bindings(st);
        return wb_fail_prefix(e, "%s key %lld: ", w->ctx->workload->tables[item->table].name,
                              (long long)item->row.v[0].i64);
    }
    if (++w->rows_in_transaction == w->commit_every) {
        if (wb_sq_commit(w->db, e) != 0)
            return -1;
        w->in_transaction = 0;
        w->rows_in_transaction = 0;
    }
    return 0;
}

int wb_sqlite_commit_queue(wb_ctx *ctx)
{
    const wb_workload *wl = ctx->workload;
    wb_error *e = ctx->error;
    writer w = {ctx, wb_sqlite_db(ctx->conns[0]), NULL, ctx->batch > 0 ? ctx->batch : INT64_MAX, 0, 0};
    w.upserts = wb_xcalloc((size_t)wl->ntables, sizeof *w.upserts);
    wb_buf sql = WB_BUF_INIT;
    int rc = 0;
    for (int t = 0; t < wl->ntables && rc == 0; t++) {
        wb_buf_reset(&sql);
        wb_sq_insert_sql(ctx->conns[0], &wl->tables[t], "INSERT", 1, 1, &sql);
        if ((rc = wb_sq_prepare(w.db, wb_buf_str(&sql), &w.upserts[t], e)) != 0)
            wb_fail_prefix(e, "%s: ", wl->tables[t].name);
    }
    if (rc == 0)
        rc = wb_queue_run(ctx, ctx->threads, wb_queue_capacity(ctx->batch), write_item, &w, e);
    if (rc == 0 && w.in_transaction)
        rc = wb_sq_commit(w.db, e);
    if (rc != 0)
        wb_sq_rollback(w.db);

    for (int t = 0; t < wl->ntables; t++)
        sqlite3_finalize(w.upserts[t]);
    free(w.upserts);
    wb_buf_free(&sql);
    return rc;
}

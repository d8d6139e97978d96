/* The per-row and per-chunk loops of the PostgreSQL strategies (see drive.h). */
#include "strategies/pg/drive.h"

#include <stdint.h>
#include <stdlib.h>

#include "backends/postgres.h"

/* --- driver: one row per statement --- */

typedef struct row_job {
    const wb_pgs_row_writer *writer;
    int64_t commit_every;
} row_job;

/* One thread of wb_pgs_write_rows: its key range of every table, parents first. */
static int write_rows_thread(wb_ctx *ctx, int thread, wb_conn *conn, int64_t first_key,
                             int64_t last_key, void *arg, wb_error *e)
{
    (void)thread;
    if (first_key > last_key)
        return 0; /* more threads than rows: nothing to do, and no empty transaction */
    const row_job *job = arg;
    const wb_pgs_row_writer *w = job->writer;
    const wb_workload *wl = ctx->workload;
    int per_table = w->nstatements, nstmts = wl->ntables * per_table;
    PGconn *pg = wb_pg_conn(conn);
    wb_pgs_stmt *stmts = wb_xcalloc((size_t)nstmts, sizeof *stmts);
    wb_buf sql = WB_BUF_INIT;
    int rc = 0, in_transaction = 0, autocommit = job->commit_every == WB_PGS_AUTOCOMMIT;
    int64_t commit_every = job->commit_every > 0 ? job->commit_every : INT64_MAX;
    int64_t rows_in_transaction = 0;

    for (int t = 0; t < wl->ntables && rc == 0; t++)
        for (int i = 0; i < per_table && rc == 0; i++) {
            const wb_table *table = &wl->tables[t];
            wb_buf_reset(&sql);
            int nparams = w->statement_sql(ctx, conn, table, i, &sql);
            rc = wb_pgs_stmt_init(&stmts[t * per_table + i], pg, wb_buf_str(&sql), nparams, w->prepare, e);
            if (rc != 0)
                wb_fail_prefix(e, "%s: ", table->name);
        }

    wb_row row;
    wb_pgs_row_params params;
    for (int t = 0; t < wl->ntables && rc == 0; t++) {
        const wb_table *table = &wl->tables[t];
        for (int64_t key = first_key; key <= last_key && rc == 0; key++) {
            if (!autocommit && !in_transaction) {
                if ((rc = wb_pgs_begin(pg, e)) != 0)
                    break;
                in_transaction = 1;
            }
            wb_row_make(table, key, ctx->version, &row);
            wb_pgs_row_params_of(&row, &params);
            if ((rc = w->write_row(pg, &stmts[t * per_table], params.values, e)) != 0) {
                wb_fail_prefix(e, "%s key %lld: ", table->name, (long long)key);
                break;
            }
            if (autocommit) {
                wb_ctx_rows_done(ctx, 1);
            } else if (++rows_in_transaction == commit_every) {
                if ((rc = wb_pgs_commit(pg, e)) != 0)
                    break;
                in_transaction = 0;
                wb_ctx_rows_done(ctx, rows_in_transaction);
                rows_in_transaction = 0;
            }
        }
    }
    if (rc == 0 && in_transaction) {
        rc = wb_pgs_commit(pg, e);
        if (rc == 0)
            wb_ctx_rows_done(ctx, rows_in_transaction);
    }
    if (rc != 0)
        wb_pgs_rollback(pg);
    for (int i = 0; i < nstmts; i++)
        wb_pgs_stmt_free(&stmts[i], pg);
    free(stmts);
    wb_buf_free(&sql);
    return rc;
}

int wb_pgs_write_rows(wb_ctx *ctx, const wb_pgs_row_writer *w, int64_t commit_every)
{
    row_job job = {w, commit_every};
    return wb_run_threads(ctx, write_rows_thread, &job);
}

/* --- driver: many rows per statement --- */

typedef struct chunk_job {
    wb_pgs_chunk_sql_fn make_sql;
    const char *statement_kind;
} chunk_job;

/* Write one table's keys first_key..last_key with statements of rows_per_statement rows
 * and one tail statement for the rest, each prepared once. */
static int write_table_chunks(wb_ctx *ctx, wb_conn *conn, const wb_table *t, const chunk_job *job,
                              int64_t first_key, int64_t last_key, wb_pgs_params *params, wb_error *e)
{
    PGconn *pg = wb_pg_conn(conn);
    int rows_per_statement = wb_pgs_rows_per_statement(t, ctx->batch);
    int64_t total = last_key - first_key + 1;
    int64_t full_statements = total / rows_per_statement;
    int tail_rows = (int)(total % rows_per_statement);
    wb_pgs_stmt full = {{0}, NULL, 0}, tail = {{0}, NULL, 0};
    wb_buf sql = WB_BUF_INIT;
    int rc = 0;

    if (full_statements > 0) {
        job->make_sql(ctx, conn, t, rows_per_statement, &sql);
        rc = wb_pgs_stmt_init(&full, pg, wb_buf_str(&sql), rows_per_statement * t->ncolumns, 1, e);
    }
    if (rc == 0 && tail_rows > 0) {
        wb_buf_reset(&sql);
        job->make_sql(ctx, conn, t, tail_rows, &sql);
        rc = wb_pgs_stmt_init(&tail, pg, wb_buf_str(&sql), tail_rows * t->ncolumns, 1, e);
    }
    if (rc != 0)
        wb_fail_prefix(e, "%s: ", t->name);

    wb_row row;
    for (int64_t key = first_key; key <= last_key && rc == 0;) {
        int n = key + rows_per_statement - 1 <= last_key ? rows_per_statement : tail_rows;
        wb_pgs_params_reset(params);
        for (int r = 0; r < n; r++) {
            wb_row_make(t, key + r, ctx->version, &row);
            wb_pgs_params_add_row(params, &row);
        }
        rc = wb_pgs_stmt_exec(pg, n == rows_per_statement ? &full : &tail, wb_pgs_params_values(params),
                              PGRES_COMMAND_OK, job->statement_kind, e);
        if (rc == 0)
            wb_ctx_rows_done(ctx, n);
        else
            wb_fail_prefix(e, "%s keys %lld..%lld: ", t->name, (long long)key, (long long)(key + n - 1));
        key += n;
    }
    if (rc != 0)
        wb_pgs_rollback(pg);
    wb_pgs_stmt_free(&full, pg);
    wb_pgs_stmt_free(&tail, pg);
    wb_buf_free(&sql);
    return rc;
}

/* One thread of wb_pgs_write_chunks: its key range of every table, in one transaction. */
static int chunks_thread(wb_ctx *ctx, int thread, wb_conn *conn, int64_t first_key,
                         int64_t last_key, void *arg, wb_error *e)
{
    (void)thread;
    if (first_key > last_key)
        return 0;
    const chunk_job *job = arg;
    const wb_workload *wl = ctx->workload;
    PGconn *pg = wb_pg_conn(conn);
    int max_params = 1;
    for (int t = 0; t < wl->ntables; t++) {
        int64_t rows = wb_pgs_rows_per_statement(&wl->tables[t], ctx->batch);
        if (rows > last_key - first_key + 1)
            rows = last_key - first_key + 1;
        if (rows * wl->tables[t].ncolumns > max_params)
            max_params = (int)(rows * wl->tables[t].ncolumns);
    }
    wb_pgs_params params;
    wb_pgs_params_init(&params, max_params);
    int rc = wb_pgs_begin(pg, e);
    for (int t = 0; t < wl->ntables && rc == 0; t++)
        rc = write_table_chunks(ctx, conn, &wl->tables[t], job, first_key, last_key, &params, e);
    if (rc == 0)
        rc = wb_pgs_commit(pg, e);
    if (rc != 0)
        wb_pgs_rollback(pg);
    wb_pgs_params_free(&params);
    return rc;
}

int wb_pgs_write_chunks(wb_ctx *ctx, wb_pgs_chunk_sql_fn make_sql, const char *statement_kind)
{
    chunk_job job = {make_sql, statement_kind};
    return wb_run_threads(ctx, chunks_thread, &job);
}

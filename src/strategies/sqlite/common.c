/* Helpers shared by the SQLite strategies (see common.h). */
#include "strategies/sqlite/common.h"

#include <stdint.h>
#include <stdlib.h>

#include "backends/sqlite.h"

int wb_sq_fail(wb_error *e, sqlite3 *db, const char *what)
{
    return wb_fail(e, "%s: %s", what, db ? sqlite3_errmsg(db) : "no connection");
}

int wb_sq_exec(sqlite3 *db, const char *sql, wb_error *e)
{
    char *msg = NULL;
    if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK) {
        wb_fail(e, "%s: %s", sql, msg ? msg : sqlite3_errmsg(db));
        sqlite3_free(msg);
        return -1;
    }
    return 0;
}

int wb_sq_prepare(sqlite3 *db, const char *sql, sqlite3_stmt **out, wb_error *e)
{
    if (sqlite3_prepare_v3(db, sql, -1, SQLITE_PREPARE_PERSISTENT, out, NULL) != SQLITE_OK) {
        *out = NULL;
        return wb_sq_fail(e, db, "prepare");
    }
    return 0;
}

int wb_sq_bind_row(sqlite3 *db, sqlite3_stmt *st, int first_param, const wb_row *row, wb_error *e)
{
    for (int i = 0; i < row->ncolumns; i++) {
        const wb_value *v = &row->v[i];
        int p = first_param + i, rc;
        if (v->is_null)
            rc = sqlite3_bind_null(st, p);
        else if (v->type == WB_TYPE_INT64)
            rc = sqlite3_bind_int64(st, p, v->i64);
        else
            rc = sqlite3_bind_text(st, p, v->text, (int)v->len, SQLITE_STATIC);
        if (rc != SQLITE_OK)
            return wb_sq_fail(e, db, "bind");
    }
    return 0;
}

int wb_sq_step_done(sqlite3 *db, sqlite3_stmt *st, wb_error *e)
{
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    if (rc != SQLITE_DONE && rc != SQLITE_ROW)
        return wb_sq_fail(e, db, "step");
    return 0;
}

int wb_sq_begin(sqlite3 *db, wb_error *e)
{
    return wb_sq_exec(db, "BEGIN IMMEDIATE", e);
}

int wb_sq_commit(sqlite3 *db, wb_error *e)
{
    return wb_sq_exec(db, "COMMIT", e);
}

void wb_sq_insert_sql(wb_conn *c, const wb_table *t, const char *verb, int rows_per_statement,
                      int upsert, wb_buf *out)
{
    wb_buf_printf(out, "%s INTO ", verb);
    wb_sqlite_backend.table_name(c, t->name, out);
    wb_buf_puts(out, " (");
    for (int i = 0; i < t->ncolumns; i++)
        wb_buf_printf(out, "%s\"%s\"", i ? ", " : "", t->columns[i].name);
    wb_buf_puts(out, ") VALUES ");
    for (int r = 0; r < rows_per_statement; r++) {
        wb_buf_puts(out, r ? ", (" : "(");
        for (int i = 0; i < t->ncolumns; i++)
            wb_buf_puts(out, i ? ", ?" : "?");
        wb_buf_putc(out, ')');
    }
    if (upsert) {
        wb_buf_printf(out, " ON CONFLICT (\"%s\") DO UPDATE SET ", t->columns[0].name);
        for (int i = 1; i < t->ncolumns; i++)
            wb_buf_printf(out, "%s\"%s\" = excluded.\"%s\"", i > 1 ? ", " : "", t->columns[i].name,
                          t->columns[i].name);
    }
}

int wb_sq_rows_per_statement(sqlite3 *db, const wb_table *t, int64_t batch)
{
    int64_t limit = sqlite3_limit(db, SQLITE_LIMIT_VARIABLE_NUMBER, -1) / t->ncolumns;
    int64_t n = batch < limit ? batch : limit;
    return n < 1 ? 1 : (int)n;
}

void wb_sq_rollback(sqlite3 *db)
{
    if (db && !sqlite3_get_autocommit(db))
        sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
}

typedef struct row_job {
    const wb_sq_row_writer *writer;
    int64_t commit_every; /* rows per transaction; 0: none, every statement commits itself */
} row_job;

/* Rows between two progress reports inside a long transaction: often enough for the
 * live progress line, rare enough to cost nothing per row. */
#define PROGRESS_ROWS 1000

/* One thread of wb_sq_write_rows: its key range of every table, parents first. */
static int write_rows_thread(wb_ctx *ctx, int thread, wb_conn *conn, int64_t first_key,
                             int64_t last_key, void *arg, wb_error *e)
{
    (void)thread;
    if (first_key > last_key)
        return 0; /* more threads than rows: nothing to do, and no empty transaction */
    const row_job *job = arg;
    const wb_workload *w = ctx->workload;
    int per_table = job->writer->nstatements;
    sqlite3 *db = wb_sqlite_db(conn);
    sqlite3_stmt **stmts = wb_xcalloc((size_t)(w->ntables * per_table), sizeof *stmts);
    wb_buf sql = WB_BUF_INIT;
    int rc = 0, in_transaction = 0, transactions = job->commit_every > 0;
    int64_t rows_in_transaction = 0, rows_unreported = 0;

    for (int t = 0; t < w->ntables && rc == 0; t++)
        for (int i = 0; i < per_table && rc == 0; i++) {
            wb_buf_reset(&sql);
            job->writer->statement_sql(conn, &w->tables[t], i, &sql);
            rc = wb_sq_prepare(db, wb_buf_str(&sql), &stmts[t * per_table + i], e);
            if (rc != 0)
                wb_fail_prefix(e, "%s: ", w->tables[t].name);
        }

    wb_row row;
    for (int t = 0; t < w->ntables && rc == 0; t++) {
        const wb_table *table = &w->tables[t];
        for (int64_t key = first_key; key <= last_key && rc == 0; key++) {
            if (transactions && !in_transaction) {
                if ((rc = wb_sq_begin(db, e)) != 0)
                    break;
                in_transaction = 1;
            }
            wb_row_make(table, key, ctx->version, &row);
            rc = job->writer->write_row(db, &stmts[t * per_table], &row, ctx, e);
            if (rc != 0) {
                wb_fail_prefix(e, "%s key %lld: ", table->name, (long long)key);
                break;
            }
            rows_unreported++;
            if (transactions && ++rows_in_transaction == job->commit_every) {
                if ((rc = wb_sq_commit(db, e)) != 0)
                    break;
                in_transaction = 0;
                rows_in_transaction = 0;
            }
            if ((transactions && !in_transaction) || rows_unreported == PROGRESS_ROWS) {
                wb_ctx_rows_done(ctx, rows_unreported);
                rows_unreported = 0;
            }
        }
    }
    if (rc == 0 && in_transaction)
        rc = wb_sq_commit(db, e);
    if (rc == 0)
        wb_ctx_rows_done(ctx, rows_unreported);
    if (rc != 0)
        wb_sq_rollback(db);
    for (int i = 0; i < w->ntables * per_table; i++)
        sqlite3_finalize(stmts[i]);
    free(stmts);
    wb_buf_free(&sql);
    return rc;
}

int wb_sq_write_rows(wb_ctx *ctx, const wb_sq_row_writer *w, int64_t commit_every)
{
    row_job job = {w, commit_every > 0 ? commit_every : INT64_MAX};
    return wb_run_threads(ctx, write_rows_thread, &job);
}

int wb_sq_write_rows_autocommit(wb_ctx *ctx, const wb_sq_row_writer *w)
{
    row_job job = {w, 0};
    return wb_run_threads(ctx, write_rows_thread, &job);
}

typedef struct batch_job {
    wb_sq_batch_sql_fn make_sql;
} batch_job;

/* Write keys first_key..first_key+n-1 of t with st, which has n rows of parameters;
 * rows holds at least n rows (bound SQLITE_STATIC, so they must live until the step). */
static int write_chunk(sqlite3 *db, sqlite3_stmt *st, const wb_table *t, int version,
                       int64_t first_key, int n, wb_row *rows, wb_error *e)
{
    for (int r = 0; r < n; r++) {
        wb_row_make(t, first_key + r, version, &rows[r]);
        if (wb_sq_bind_row(db, st, 1 + r * t->ncolumns, &rows[r], e) != 0) {
            sqlite3_clear_bindings(st);
            return -1;
        }
    }
    return wb_sq_step_done(db, st, e);
}

/* Write one table's keys first_key..last_key with statements of rows_per_statement rows
 * and one tail statement for the rest, each prepared once. */
static int write_table_batches(wb_ctx *ctx, wb_conn *conn, const wb_table *t,
                               wb_sq_batch_sql_fn make_sql, int64_t first_key, int64_t last_key,
                               int rows_per_statement, wb_row *rows, wb_error *e)
{
    sqlite3 *db = wb_sqlite_db(conn);
    int64_t total = last_key - first_key + 1;
    int64_t full_statements = total / rows_per_statement;
    int tail_rows = (int)(total % rows_per_statement);
    sqlite3_stmt *full = NULL, *tail = NULL;
    wb_buf sql = WB_BUF_INIT;
    int rc = 0;

    if (full_statements > 0) {
        make_sql(conn, t, rows_per_statement, &sql);
        rc = wb_sq_prepare(db, wb_buf_str(&sql), &full, e);
    }
    if (rc == 0 && tail_rows > 0) {
        wb_buf_reset(&sql);
        make_sql(conn, t, tail_rows, &sql);
        rc = wb_sq_prepare(db, wb_buf_str(&sql), &tail, e);
    }
    if (rc != 0)
        wb_fail_prefix(e, "%s: ", t->name);
    int64_t key = first_key;
    for (int64_t s = 0; s < full_statements && rc == 0; s++) {
        rc = write_chunk(db, full, t, ctx->version, key, rows_per_statement, rows, e);
        if (rc == 0)
            wb_ctx_rows_done(ctx, rows_per_statement);
        else
            wb_fail_prefix(e, "%s keys %lld..%lld: ", t->name, (long long)key,
                           (long long)(key + rows_per_statement - 1));
        key += rows_per_statement;
    }
    if (rc == 0 && tail_rows > 0) {
        rc = write_chunk(db, tail, t, ctx->version, key, tail_rows, rows, e);
        if (rc == 0)
            wb_ctx_rows_done(ctx, tail_rows);
        else
            wb_fail_prefix(e, "%s keys %lld..%lld: ", t->name, (long long)key, (long long)last_key);
    }
    sqlite3_finalize(full);
    sqlite3_finalize(tail);
    wb_buf_free(&sql);
    return rc;
}

/* One thread of wb_sq_write_batches: its key range of every table, in one transaction. */
static int write_batches_thread(wb_ctx *ctx, int thread, wb_conn *conn, int64_t first_key,
                                int64_t last_key, void *arg, wb_error *e)
{
    (void)thread;
    if (first_key > last_key)
        return 0; /* more threads than rows */
    wb_sq_batch_sql_fn make_sql = ((const batch_job *)arg)->make_sql;
    sqlite3 *db = wb_sqlite_db(conn);
    const wb_workload *w = ctx->workload;

    int max_rows = 1;
    for (int t = 0; t < w->ntables; t++) {
        int n = wb_sq_rows_per_statement(db, &w->tables[t], ctx->batch);
        if (n > max_rows)
            max_rows = n;
    }
    if (max_rows > last_key - first_key + 1)
        max_rows = (int)(last_key - first_key + 1);
    /* One batch of rows lives in memory at a time, as in an application holding a batch. */
    wb_row *rows = wb_xmalloc((size_t)max_rows * sizeof *rows);

    int rc = wb_sq_begin(db, e);
    for (int t = 0; t < w->ntables && rc == 0; t++) {
        const wb_table *table = &w->tables[t];
        int n = wb_sq_rows_per_statement(db, table, ctx->batch);
        rc = write_table_batches(ctx, conn, table, make_sql, first_key, last_key, n, rows, e);
    }
    if (rc == 0)
        rc = wb_sq_commit(db, e);
    if (rc != 0)
        wb_sq_rollback(db);
    free(rows);
    return rc;
}

int wb_sq_write_batches(wb_ctx *ctx, wb_sq_batch_sql_fn make_sql)
{
    batch_job job = {make_sql};
    return wb_run_threads(ctx, write_batches_thread, &job);
}

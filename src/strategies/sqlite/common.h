/* Helpers shared by the SQLite strategies: statements, binding a generated row,
 * transactions, and the INSERT/upsert SQL text of a workload table. */
#ifndef WB_STRATEGIES_SQLITE_COMMON_H
#define WB_STRATEGIES_SQLITE_COMMON_H

#include <sqlite3.h>

#include "strategies/strategy.h"

/* Fill e with "<what>: <sqlite message>" and return -1. */
int wb_sq_fail(wb_error *e, sqlite3 *db, const char *what);
/* Run statements that return no rows. */
int wb_sq_exec(sqlite3 *db, const char *sql, wb_error *e);
/* Prepare one statement (kept across uses: SQLITE_PREPARE_PERSISTENT). */
int wb_sq_prepare(sqlite3 *db, const char *sql, sqlite3_stmt **out, wb_error *e);
/* Bind the row's values to parameters first_param.. (1-based), in column order:
 * INT64 as integer, DECIMAL as its exact text, TEXT as text, NULL as NULL. The
 * text is bound SQLITE_STATIC: the row must outlive the step. */
int wb_sq_bind_row(sqlite3 *db, sqlite3_stmt *st, int first_param, const wb_row *row, wb_error *e);
/* Step a statement that returns no rows, then reset it and clear its bindings. */
int wb_sq_step_done(sqlite3 *db, sqlite3_stmt *st, wb_error *e);
/* BEGIN IMMEDIATE: take the write lock up front, so a busy database is waited for
 * by the busy handler instead of failing later with SQLITE_BUSY_SNAPSHOT. */
int wb_sq_begin(sqlite3 *db, wb_error *e);
/* COMMIT. */
int wb_sq_commit(sqlite3 *db, wb_error *e);

/* Append `INSERT INTO "t" (cols) VALUES (?,...),(?,...)` with rows_per_statement rows;
 * verb is "INSERT" or "INSERT OR REPLACE"; upsert adds ON CONFLICT (id) DO UPDATE SET
 * every non-key column = excluded.column. */
void wb_sq_insert_sql(wb_conn *c, const wb_table *t, const char *verb, int rows_per_statement,
                      int upsert, wb_buf *out);
/* Rows per multi-row statement: min(batch, the library's bound-parameter limit / columns). */
int wb_sq_rows_per_statement(sqlite3 *db, const wb_table *t, int64_t batch);

/* Roll back the connection's open transaction, if any: the clean-up after an
 * error (its own failure is ignored, the first error is the one reported). */
void wb_sq_rollback(sqlite3 *db);

/* One row at a time (added by the upsert strategies): how a per-row strategy writes
 * a row with the statements it prepared for the row's table. */
typedef struct wb_sq_row_writer {
    int nstatements; /* statements prepared per table (at least 1) */
    /* Append the SQL of statement `which` (0-based) for table t. */
    void (*statement_sql)(wb_conn *c, const wb_table *t, int which, wb_buf *out);
    /* Write one row of a table with that table's statements; 0, or -1 with e set. */
    int (*write_row)(sqlite3 *db, sqlite3_stmt *const *stmts, const wb_row *row, const wb_ctx *ctx,
                     wb_error *e);
} wb_sq_row_writer;

/* Write keys 1..ctx->rows of every table (parents first) in ctx->version with w,
 * ctx->threads connections over disjoint key ranges, each thread doing all tables
 * of its range; statements prepared once per thread, BEGIN IMMEDIATE, COMMIT every
 * commit_every rows (<= 0: once per thread at the end), rows done reported per commit
 * and every 1000 rows inside a longer transaction. */
int wb_sq_write_rows(wb_ctx *ctx, const wb_sq_row_writer *w, int64_t commit_every);
/* The same without transactions: every statement commits itself (autocommit). */
int wb_sq_write_rows_autocommit(wb_ctx *ctx, const wb_sq_row_writer *w);

/* Many rows per statement: append the SQL that writes `rows` rows of t, their
 * parameters row after row in column order (wb_sq_bind_row at 1 + r * columns). */
typedef void (*wb_sq_batch_sql_fn)(wb_conn *c, const wb_table *t, int rows, wb_buf *out);

/* Write keys 1..ctx->rows of every table (parents first) in ctx->version, ctx->threads
 * connections over disjoint key ranges, each thread in one transaction, with statements
 * of wb_sq_rows_per_statement(batch) rows and one tail statement per table, each prepared
 * once per thread; one batch of rows in memory at a time; rows done reported per statement. */
int wb_sq_write_batches(wb_ctx *ctx, wb_sq_batch_sql_fn make_sql);

#endif

/* The generic strategies' machinery, written once on the backend's statement
 * layer and dialect (backends/backend.h) and shared by every backend: the SQL
 * text of a workload table in the dialect's words, binding a generated row, and
 * the three loops most strategies are built on:
 *   - one row per statement (wb_gen_write_rows: single-*, prepared, the per-row upserts),
 *   - many rows per statement (wb_gen_write_batches: multi-row VALUES, ON CONFLICT,
 *     UPDATE ... FROM, and PostgreSQL's native MERGE),
 *   - the commit queue's single writer (wb_gen_commit_queue).
 * Each runs ctx->threads connections over disjoint key ranges (the queue: producer
 * threads, one writer), every table of a range parents first, and reports progress
 * the same way on every backend: per statement, per commit, and every
 * WB_GEN_PROGRESS_ROWS rows inside a longer transaction. Native strategies use
 * these too where only their SQL is native (SQLite's replace, PostgreSQL's merge). */
#ifndef WB_STRATEGIES_GENERIC_GENERIC_H
#define WB_STRATEGIES_GENERIC_GENERIC_H

#include "strategies/strategy.h"

/* Rows between two progress reports inside a long transaction: often enough for the
 * live progress line, rare enough to cost nothing per row. */
#define WB_GEN_PROGRESS_ROWS 1000

/* --- binding --- */

/* Bind the first n values of row to parameters first.. (0-based) of st, by type:
 * INT64 as an integer, DECIMAL as its exact text, TEXT as text, NULL as NULL. */
int wb_gen_bind_row(const wb_backend *b, wb_stmt *st, int first, const wb_row *row, int n, wb_error *e);
/* The same for the values of columns cols[0..n) of row (cols NULL: the first n). */
int wb_gen_bind_columns(const wb_backend *b, wb_stmt *st, int first, const wb_row *row, const int *cols, int n,
                        wb_error *e);

/* --- SQL text (the dialect's placeholders, quoted identifiers) --- */

/* Append parameter n (1-based) in its numbered form ("?2", "$2"). */
void wb_gen_param(const wb_dialect *d, int n, wb_buf *out);
/* Append `"c1", "c2", ...`, each prefixed by prefix ("" or "v."). */
void wb_gen_column_list(const wb_table *t, const char *prefix, wb_buf *out);
/* Append `"c1" = <source>."c1", ...` for every non-key column (the key itself when the
 * table has no other column, so that the SET list is never empty). */
void wb_gen_set_list(const wb_table *t, const char *source, wb_buf *out);
/* Append `(p, p, ...), (p, ...)`: rows rows of parameters in column order, numbered
 * from 1 (or bare, where the dialect allows); with cast, each carries the dialect's
 * cast for its column's type. */
void wb_gen_values_rows(const wb_dialect *d, const wb_table *t, int rows, int cast, wb_buf *out);
/* Append `INSERT INTO t (cols) VALUES (...), ...` with rows rows of parameters; verb
 * replaces "INSERT" (NULL: "INSERT"); with upsert, the dialect's upsert clause setting
 * every non-key column to its new value. */
void wb_gen_insert_sql(const wb_ctx *ctx, wb_conn *c, const wb_table *t, const char *verb, int rows, int upsert,
                       wb_buf *out);
/* Append `UPDATE t SET "c1" = <p2>, ... WHERE "id" = <p1>`: parameters in column
 * order, so the whole row binds from parameter 1. */
void wb_gen_update_sql(const wb_ctx *ctx, wb_conn *c, const wb_table *t, wb_buf *out);
/* Append `SELECT 1 FROM t WHERE "id" = <p1>`. */
void wb_gen_exists_sql(const wb_ctx *ctx, wb_conn *c, const wb_table *t, wb_buf *out);
/* Append `UPDATE t AS target SET ... FROM (VALUES ...) AS v WHERE target."id" = v."id"`
 * with rows rows of parameters: the key and the columns version 2 changes
 * (wb_gen_updated_columns), as a bulk update sends only what changed. */
void wb_gen_update_from_sql(const wb_ctx *ctx, wb_conn *c, const wb_table *t, int rows, wb_buf *out);
/* Fill cols with the indexes of t's key and of the columns version 2 changes, in
 * column order (room for t->ncolumns); returns their count (1: none changes). */
int wb_gen_updated_columns(const wb_table *t, int *cols);
/* The most bytes of row values one multi-row statement holds (the largest rows
 * its table can have, times its rows): 8 MiB, far more than any narrow row needs
 * under the parameter limit, so that only wide rows (long text, big json) make
 * statements of fewer rows. */
#define WB_GEN_STATEMENT_BYTES (8 * 1024 * 1024)

/* Rows per multi-row statement of t on conn: min(batch, the parameter limit / columns,
 * WB_GEN_STATEMENT_BYTES / the largest row), at least 1 (batch <= 0: as many as the
 * limits allow). */
int wb_gen_rows_per_statement(const wb_backend *b, wb_conn *conn, const wb_table *t, int64_t batch);
/* The same for statements that bind nbound of t's columns a row. */
int wb_gen_rows_per_statement_of(const wb_backend *b, wb_conn *conn, const wb_table *t, int nbound, int64_t batch);

/* --- one row per statement --- */

/* Commit modes of wb_gen_write_rows besides "every N rows" (N > 0). */
#define WB_GEN_AUTOCOMMIT (-1) /* no transaction at all: every statement commits itself */
#define WB_GEN_ONE_TX 0        /* one transaction per thread */

/* The statements a per-row writer has for the row's table. */
typedef struct wb_gen_stmts {
    const wb_ctx *ctx;
    wb_conn *conn;
    wb_stmt **stmts;         /* prepared statements (NULL each when parse_each_row) */
    const char *const *sql;  /* their SQL text */
    const int *nparams;      /* their parameter counts */
    const wb_table *table;   /* the table they write */
} wb_gen_stmts;

/* How a per-row strategy writes a row with the statements it made for the row's table. */
typedef struct wb_gen_row_writer {
    int nstatements;    /* statements per table (at least 1) */
    int parse_each_row; /* prepare a statement anew for every row (WB_STMT_ONCE), as an ORM
                         * without a statement cache does; else prepared once per table and thread */
    /* Append the SQL of statement `which` (0-based) for table t; return its parameter
     * count (they are the row's first values, in column order). */
    int (*statement_sql)(const wb_ctx *ctx, wb_conn *c, const wb_table *t, int which, wb_buf *out);
    /* Write one row with its table's statements; 0, or -1 with e set. */
    int (*write_row)(const wb_gen_stmts *s, const wb_row *row, wb_error *e);
} wb_gen_row_writer;

/* At most this many retries of one transaction in a row (wb_gen_retry): the server
 * chose it as a deadlock's victim again and again, which is then the failure. */
#define WB_GEN_MAX_RETRIES 100

/* Whether conn's last failure was the server rolling the transaction back for a
 * deadlock or a lock wait that timed out (the backend's transaction_conflict). Ask
 * before rolling back: a rollback forgets why. */
int wb_gen_conflict(const wb_ctx *ctx, wb_conn *conn);

/* After a failure on conn (*rc -1, e set) that was a conflict (wb_gen_conflict, asked
 * when it happened): roll back, count a retry (a result figure,
 * wb_ctx_transaction_retried), back off, clear *rc and e and return 1: the caller runs
 * the transaction again from its start. 0: the failure stands (no conflict, or too
 * many retries in a row). */
int wb_gen_retry_after(wb_ctx *ctx, wb_conn *conn, int conflict, int *retries_in_a_row, wb_error *e, int *rc);

/* wb_gen_retry_after for a failure conn has not yet been rolled back from. */
int wb_gen_retry(wb_ctx *ctx, wb_conn *conn, int *retries_in_a_row, wb_error *e, int *rc);

/* Execute statement which of s with the row's first nparams values bound; *rows as
 * stmt_exec's (may be NULL). For parse_each_row writers, prepares it for this row
 * alone and finalizes it after. */
int wb_gen_exec_row(const wb_gen_stmts *s, int which, const wb_row *row, const char *what, int64_t *rows,
                    wb_error *e);

/* Write keys 1..ctx->rows of every table (parents first) in ctx->version with w,
 * ctx->threads connections over disjoint key ranges, each thread doing all tables of
 * its range; statements made before the first transaction; commit_every is a row
 * count, WB_GEN_ONE_TX or WB_GEN_AUTOCOMMIT. */
int wb_gen_write_rows(wb_ctx *ctx, const wb_gen_row_writer *w, int64_t commit_every);

/* The plain INSERT of every column (statement_sql), and writing a row with it
 * (write_row): the single family's and prepared's writer, which differ only in
 * parse_each_row and how often they commit. */
int wb_gen_plain_insert_sql(const wb_ctx *ctx, wb_conn *c, const wb_table *t, int which, wb_buf *out);
int wb_gen_plain_insert_row(const wb_gen_stmts *s, const wb_row *row, wb_error *e);

/* --- many rows per statement --- */

/* Append the SQL that writes `rows` rows of t, their parameters row after row in
 * column order. */
typedef void (*wb_gen_batch_sql_fn)(const wb_ctx *ctx, wb_conn *c, const wb_table *t, int rows, wb_buf *out);

/* Write every thread's key range of every table (parents first) in one transaction
 * per thread, with statements of wb_gen_rows_per_statement rows and one for the tail
 * of the range, each prepared once per table and thread; one batch of rows in memory
 * at a time. what ("insert", "upsert", "update", "merge") names the statement in errors. */
int wb_gen_write_batches(wb_ctx *ctx, wb_gen_batch_sql_fn make_sql, const char *what);
/* The same, binding only the key and the columns version 2 changes of each row
 * (make_sql writes statements of those: wb_gen_update_from_sql); a table of which
 * version 2 changes nothing has nothing to write. */
int wb_gen_write_updated_batches(wb_ctx *ctx, wb_gen_batch_sql_fn make_sql, const char *what);

/* --- the commit queue --- */

/* ctx->threads producer threads generate rows into one bounded queue
 * (strategies/queue.h); one writer on ctx->conns[0] drains it, one statement of
 * statement_sql's per row (its parameters the whole row), committing every
 * ctx->batch rows. */
int wb_gen_commit_queue(wb_ctx *ctx, void (*statement_sql)(const wb_ctx *ctx, wb_conn *c, const wb_table *t,
                                                           wb_buf *out),
                        const char *what);

#endif

/* The two loops most PostgreSQL strategies are built on: one row per statement
 * (wb_pgs_write_rows: the single, prepared and per-row upsert strategies) and many
 * rows per statement (wb_pgs_write_chunks: multi-row VALUES, ON CONFLICT, MERGE and
 * UPDATE ... FROM). Both run ctx->threads connections over disjoint key ranges,
 * each thread doing every table of its range, parents first. */
#ifndef WB_STRATEGIES_PG_DRIVE_H
#define WB_STRATEGIES_PG_DRIVE_H

#include "strategies/pg/common.h"

/* --- driver: one row per statement --- */

/* Commit modes of wb_pgs_write_rows besides "every N rows" (N > 0). */
#define WB_PGS_AUTOCOMMIT (-1) /* no BEGIN at all: every statement is its own transaction */
#define WB_PGS_ONE_TX 0        /* one transaction per thread */

/* How a per-row strategy writes a row with the statements it made for the row's table. */
typedef struct wb_pgs_row_writer {
    int nstatements; /* statements per table (at least 1) */
    int prepare;     /* 1: PQprepare them once per table and thread; 0: send the text every time */
    /* Append the SQL of statement `which` (0-based) for table t; return how many
     * parameters it takes (they are the row's first values, in column order). */
    int (*statement_sql)(const wb_ctx *ctx, wb_conn *c, const wb_table *t, int which, wb_buf *out);
    /* Write one row (its parameters in column order) with its table's statements. */
    int (*write_row)(PGconn *pg, const wb_pgs_stmt *stmts, const char *const *params, wb_error *e);
} wb_pgs_row_writer;

/* Write keys 1..ctx->rows of every table (parents first) in ctx->version with w,
 * ctx->threads connections over disjoint key ranges, each thread doing all tables of
 * its range; commit_every is a row count, WB_PGS_ONE_TX or WB_PGS_AUTOCOMMIT; rows done
 * are reported per commit (per row in autocommit). */
int wb_pgs_write_rows(wb_ctx *ctx, const wb_pgs_row_writer *w, int64_t commit_every);

/* --- driver: many rows per statement --- */

/* Append the SQL that writes `rows` rows of t, their parameters row after row in
 * column order. */
typedef void (*wb_pgs_chunk_sql_fn)(const wb_ctx *ctx, wb_conn *c, const wb_table *t, int rows,
                                    wb_buf *out);

/* Write every thread's key range of every table (parents first) with statements of
 * wb_pgs_rows_per_statement(t, ctx->batch) rows, prepared once (plus one for the tail
 * of the range), in one transaction per thread. statement_kind ("insert", "merge")
 * names the statement in errors. */
int wb_pgs_write_chunks(wb_ctx *ctx, wb_pgs_chunk_sql_fn make_sql, const char *statement_kind);

#endif

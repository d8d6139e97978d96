/* SQLite strategies that parse their INSERT anew for every row: single-autocommit,
 * single-tx and batch-commit. Parsing per row is the point: it is what an ORM
 * without a statement cache does (prepare, bind, step, finalize for every object);
 * the three differ only in how often they commit. */
#include "strategies/sqlite/common.h"
#include "strategies/sqlite/sqlite_strategies.h"

static void insert_sql(wb_conn *c, const wb_table *t, int which, wb_buf *out)
{
    (void)which;
    wb_sq_insert_sql(c, t, "INSERT", 1, 0, out);
}

/* Write one row with a statement prepared from the SQL text for this row alone. The
 * helper keeps a prepared statement per table; only its text is used here. */
static int insert_parsed_anew(sqlite3 *db, sqlite3_stmt *const *stmts, const wb_row *row,
                              const wb_ctx *ctx, wb_error *e)
{
    (void)ctx;
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(db, sqlite3_sql(stmts[0]), -1, &st, NULL) != SQLITE_OK)
        return wb_sq_fail(e, db, "prepare");
    int rc = wb_sq_bind_row(db, st, 1, row, e);
    if (rc == 0 && sqlite3_step(st) != SQLITE_DONE)
        rc = wb_sq_fail(e, db, "insert");
    sqlite3_finalize(st);
    return rc;
}

static const wb_sq_row_writer parsed_anew = {1, insert_sql, insert_parsed_anew};

int wb_sqlite_single_autocommit(wb_ctx *ctx)
{
    return wb_sq_write_rows_autocommit(ctx, &parsed_anew);
}

int wb_sqlite_single_tx(wb_ctx *ctx)
{
    return wb_sq_write_rows(ctx, &parsed_anew, 0);
}

int wb_sqlite_batch_commit(wb_ctx *ctx)
{
    return wb_sq_write_rows(ctx, &parsed_anew, ctx->batch);
}

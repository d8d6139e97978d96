/* SQLite strategy `prepared`: one INSERT prepared per table and thread, reset and
 * re-bound for every row, one transaction per thread (what a DB-API driver's
 * executemany does). Also the loader of load-then-index. */
#include "strategies/sqlite/common.h"
#include "strategies/sqlite/sqlite_strategies.h"

static void insert_sql(wb_conn *c, const wb_table *t, int which, wb_buf *out)
{
    (void)which;
    wb_sq_insert_sql(c, t, "INSERT", 1, 0, out);
}

static int insert_prepared(sqlite3 *db, sqlite3_stmt *const *stmts, const wb_row *row,
                           const wb_ctx *ctx, wb_error *e)
{
    (void)ctx;
    if (wb_sq_bind_row(db, stmts[0], 1, row, e) != 0)
        return -1;
    return wb_sq_step_done(db, stmts[0], e);
}

static const wb_sq_row_writer prepared_insert = {1, insert_sql, insert_prepared};

int wb_sqlite_prepared(wb_ctx *ctx)
{
    return wb_sq_write_rows(ctx, &prepared_insert, 0);
}

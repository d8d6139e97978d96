/* PostgreSQL strategies of the single family: one INSERT per row whose text is sent
 * with every row (PQexecParams), so the server parses and plans it every time, as
 * an ORM that does not keep prepared statements does. They differ only in how
 * often they commit: every row (autocommit), once, or every --batch rows. */
#include "strategies/pg/drive.h"
#include "strategies/pg/pg_strategies.h"

static int insert_sql(const wb_ctx *ctx, wb_conn *c, const wb_table *t, int which, wb_buf *out)
{
    (void)which;
    wb_pgs_insert_sql(ctx, c, t, 1, 0, out);
    return t->ncolumns;
}

static int insert_row(PGconn *pg, const wb_pgs_stmt *stmts, const char *const *params, wb_error *e)
{
    return wb_pgs_stmt_exec(pg, &stmts[0], params, PGRES_COMMAND_OK, "insert", e);
}

static const wb_pgs_row_writer parsed_insert = {1, 0, insert_sql, insert_row};

int wb_pg_single_autocommit(wb_ctx *ctx)
{
    return wb_pgs_write_rows(ctx, &parsed_insert, WB_PGS_AUTOCOMMIT);
}

int wb_pg_single_tx(wb_ctx *ctx)
{
    return wb_pgs_write_rows(ctx, &parsed_insert, WB_PGS_ONE_TX);
}

int wb_pg_batch_commit(wb_ctx *ctx)
{
    return wb_pgs_write_rows(ctx, &parsed_insert, ctx->batch > 0 ? ctx->batch : WB_PGS_ONE_TX);
}

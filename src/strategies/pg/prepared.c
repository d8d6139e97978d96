/* The PostgreSQL prepared strategy: one INSERT prepared once per table and thread
 * (PQprepare), executed for every row with new parameters (PQexecPrepared), all
 * rows of a thread in one transaction: one round trip per row, no parsing. */
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

static const wb_pgs_row_writer prepared_insert = {1, 1, insert_sql, insert_row};

int wb_pg_prepared(wb_ctx *ctx)
{
    return wb_pgs_write_rows(ctx, &prepared_insert, WB_PGS_ONE_TX);
}

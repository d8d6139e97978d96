/* The single family: one INSERT per row, prepared anew for every row (on
 * PostgreSQL its text travels with every execution, so the server parses and
 * plans it every time), as an ORM without a statement cache does. The three
 * differ only in how often they commit: every row (autocommit), once per
 * thread, or every --batch rows. */
#include "strategies/generic/generic.h"
#include "strategies/generic/generic_strategies.h"

static int insert_sql(const wb_ctx *ctx, wb_conn *c, const wb_table *t, int which, wb_buf *out)
{
    (void)which;
    wb_gen_insert_sql(ctx, c, t, NULL, 1, 0, out);
    return t->ncolumns;
}

static int insert_row(const wb_gen_stmts *s, const wb_row *row, wb_error *e)
{
    return wb_gen_exec_row(s, 0, row, "insert", NULL, e);
}

static const wb_gen_row_writer parsed_insert = {1, 1, insert_sql, insert_row};

int wb_generic_single_autocommit(wb_ctx *ctx)
{
    return wb_gen_write_rows(ctx, &parsed_insert, WB_GEN_AUTOCOMMIT);
}

int wb_generic_single_tx(wb_ctx *ctx)
{
    return wb_gen_write_rows(ctx, &parsed_insert, WB_GEN_ONE_TX);
}

int wb_generic_batch_commit(wb_ctx *ctx)
{
    return wb_gen_write_rows(ctx, &parsed_insert, ctx->batch > 0 ? ctx->batch : WB_GEN_ONE_TX);
}

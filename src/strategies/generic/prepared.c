/* The prepared strategy: one INSERT prepared once per table and thread and
 * executed for every row with new bindings (what a DB-API driver's executemany
 * does), all rows of a thread in one transaction: one round trip per row on a
 * server, no parsing after the first. Also the loader of the generic
 * load-then-index. */
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

static const wb_gen_row_writer prepared_insert = {1, 0, insert_sql, insert_row};

int wb_generic_prepared(wb_ctx *ctx)
{
    return wb_gen_write_rows(ctx, &prepared_insert, WB_GEN_ONE_TX);
}

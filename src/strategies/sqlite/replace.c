/* SQLite's replace strategy: INSERT OR REPLACE per row, prepared once, committing
 * every --batch rows. Only its SQL is native: the loop is the generic per-row one
 * (generic.h). On a conflict SQLite deletes the old row and inserts a new one,
 * with delete's costs (every index entry rewritten, foreign keys checked). */
#include "strategies/generic/generic.h"
#include "strategies/sqlite/sqlite_strategies.h"

static int replace_sql(const wb_ctx *ctx, wb_conn *c, const wb_table *t, int which, wb_buf *out)
{
    (void)which;
    wb_gen_insert_sql(ctx, c, t, "INSERT OR REPLACE", 1, 0, out);
    return t->ncolumns;
}

static int replace_row(const wb_gen_stmts *s, const wb_row *row, wb_error *e)
{
    return wb_gen_exec_row(s, 0, row, "replace", NULL, e);
}

static const wb_gen_row_writer replace = {1, 0, replace_sql, replace_row};

int wb_sqlite_replace(wb_ctx *ctx)
{
    return wb_gen_write_rows(ctx, &replace, ctx->batch > 0 ? ctx->batch : WB_GEN_ONE_TX);
}

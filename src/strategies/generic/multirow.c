/* The values-multirow strategy: INSERT ... VALUES (...), (...), ... with --batch
 * rows per statement, fewer when the connection's bound-parameter limit is lower
 * (SQLite's variable limit, PostgreSQL's 65,535 per statement); a full-size and a
 * tail statement prepared once per table and thread, one transaction per thread. */
#include "strategies/generic/generic.h"
#include "strategies/generic/generic_strategies.h"

static void multirow_sql(const wb_ctx *ctx, wb_conn *c, const wb_table *t, int rows, wb_buf *out)
{
    wb_gen_insert_sql(ctx, c, t, NULL, rows, 0, out);
}

int wb_generic_values_multirow(wb_ctx *ctx)
{
    return wb_gen_write_batches(ctx, multirow_sql, "insert");
}

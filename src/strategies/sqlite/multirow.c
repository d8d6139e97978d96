/* SQLite strategy `values-multirow`: INSERT ... VALUES (...), (...), ... with --batch
 * rows per statement, fewer when the library's bound-parameter limit
 * (SQLITE_LIMIT_VARIABLE_NUMBER) is lower; a full-size statement and a tail statement
 * prepared once per table and thread, one transaction per thread. */
#include "strategies/sqlite/common.h"
#include "strategies/sqlite/sqlite_strategies.h"

static void multirow_insert_sql(wb_conn *c, const wb_table *t, int rows, wb_buf *out)
{
    wb_sq_insert_sql(c, t, "INSERT", rows, 0, out);
}

int wb_sqlite_values_multirow(wb_ctx *ctx)
{
    return wb_sq_write_batches(ctx, multirow_insert_sql);
}

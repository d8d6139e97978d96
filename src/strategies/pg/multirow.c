/* The PostgreSQL values-multirow strategy: INSERT ... VALUES (...), (...), ... with
 * --batch rows per statement, never more than 65,535 parameters (the protocol's
 * limit), the statement prepared once and reused, one transaction per thread. */
#include "strategies/pg/drive.h"
#include "strategies/pg/pg_strategies.h"

static void multirow_sql(const wb_ctx *ctx, wb_conn *c, const wb_table *t, int rows, wb_buf *out)
{
    wb_pgs_insert_sql(ctx, c, t, rows, 0, out);
}

int wb_pg_values_multirow(wb_ctx *ctx)
{
    return wb_pgs_write_chunks(ctx, multirow_sql, "insert");
}

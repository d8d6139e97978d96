/* The strategies that write many rows per statement from a VALUES list of
 * parameters: on-conflict-batch (a multi-row INSERT with the dialect's upsert
 * clause) and bulk-update (UPDATE ... FROM a VALUES list). Each is the SQL of a
 * statement of n rows; wb_gen_write_batches does the threads, the statement
 * sizes within the parameter limit, the tail statement and one transaction per
 * thread. bulk-update sends the key and the columns version 2 changes, as
 * bulk_update_mappings with the changed attributes does. */
#include "strategies/generic/generic.h"
#include "strategies/generic/generic_strategies.h"

static void on_conflict_batch_sql(const wb_ctx *ctx, wb_conn *c, const wb_table *t, int rows, wb_buf *out)
{
    wb_gen_insert_sql(ctx, c, t, NULL, rows, 1, out);
}

int wb_generic_on_conflict_batch(wb_ctx *ctx)
{
    return wb_gen_write_batches(ctx, on_conflict_batch_sql, "upsert");
}

int wb_generic_bulk_update(wb_ctx *ctx)
{
    /* UPDATE ... FROM cannot create rows: the runner loads version 1 with the reference first. */
    if (ctx->phase != WB_PHASE_UPDATE)
        return wb_fail(ctx->error, "bulk-update only updates existing rows (update pass only)");
    /* only what version 2 changes: the key and the updated columns of each row */
    return wb_gen_write_updated_batches(ctx, wb_gen_update_from_sql, "update");
}

/* The load-then-index strategy, the classic bulk-load advice, as any backend can
 * do it: drop the secondary indexes of every table, load every row with the
 * prepared strategy in one transaction on one connection, then build the indexes
 * again. The index build is part of the load, so it is inside the measured
 * duration. A backend with a faster native form (PostgreSQL: constraints too, and
 * COPY) names its own in the catalogue. */
#include "strategies/generic/generic_strategies.h"
#include "workloads/schema.h"

int wb_generic_load_then_index(wb_ctx *ctx)
{
    const wb_workload *w = ctx->workload;
    wb_conn *conn = ctx->conns[0];
    for (int t = 0; t < w->ntables; t++)
        if (wb_schema_drop_indexes(ctx->backend, conn, &w->tables[t], ctx->error) != 0)
            return wb_fail_prefix(ctx->error, "dropping the indexes of %s: ", w->tables[t].name);

    /* One connection, one transaction: the advice is about a single bulk loader. */
    wb_ctx single = *ctx;
    single.threads = 1;
    if (wb_generic_prepared(&single) != 0)
        return -1;

    for (int t = 0; t < w->ntables; t++)
        if (wb_schema_create_indexes(ctx->backend, conn, &w->tables[t], ctx->error) != 0)
            return wb_fail_prefix(ctx->error, "rebuilding the indexes of %s: ", w->tables[t].name);
    return 0;
}

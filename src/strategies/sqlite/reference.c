/* SQLite strategy `server-generate`, the reference: the database makes the rows
 * itself from the workload's SQL expressions (a recursive CTE per table, written by
 * workloads/schema.c), and the update pass is one UPDATE per table. No client work,
 * so its rows/s is the engine's own limit. One connection: --threads is ignored. */
#include "strategies/sqlite/sqlite_strategies.h"
#include "workloads/schema.h"

int wb_sqlite_server_generate(wb_ctx *ctx)
{
    wb_conn *conn = ctx->conns[0];
    int rc = ctx->phase == WB_PHASE_UPDATE
                 ? wb_schema_regenerate(ctx->backend, conn, ctx->workload, ctx->rows, ctx->version,
                                        ctx->error)
                 : wb_schema_generate(ctx->backend, conn, ctx->workload, ctx->rows, ctx->version,
                                      ctx->error);
    if (rc == 0)
        wb_ctx_rows_done(ctx, ctx->rows * ctx->workload->ntables);
    return rc;
}

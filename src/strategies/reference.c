/* The server-generate reference (see reference.h). No client work, so its rows/s
 * is the reference every client strategy is compared to; it is backend-neutral because workloads/schema.c
 * already speaks each backend's SQL. */
#include "strategies/reference.h"

#include "workloads/schema.h"

int wb_server_generate(wb_ctx *ctx)
{
    wb_conn *conn = ctx->conns[0];
    int rc = ctx->phase == WB_PHASE_UPDATE
                 ? wb_schema_regenerate(ctx->backend, conn, ctx->workload, ctx->rows, ctx->version, ctx->error)
                 : wb_schema_generate(ctx->backend, conn, ctx->workload, ctx->rows, ctx->version, ctx->error);
    if (rc == 0)
        wb_ctx_rows_done(ctx, ctx->rows * ctx->workload->ntables);
    return rc;
}

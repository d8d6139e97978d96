/* STUB: SQLite strategies of the single family (to be implemented). */
#include "strategies/sqlite/sqlite_strategies.h"

int wb_sqlite_single_autocommit(wb_ctx *ctx)
{
    return wb_fail(ctx->error, "not implemented yet");
}

int wb_sqlite_single_tx(wb_ctx *ctx)
{
    return wb_fail(ctx->error, "not implemented yet");
}

int wb_sqlite_batch_commit(wb_ctx *ctx)
{
    return wb_fail(ctx->error, "not implemented yet");
}


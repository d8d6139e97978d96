/* STUB: SQLite strategies of the upsert_batch family (to be implemented). */
#include "strategies/sqlite/sqlite_strategies.h"

int wb_sqlite_on_conflict_batch(wb_ctx *ctx)
{
    return wb_fail(ctx->error, "not implemented yet");
}

int wb_sqlite_bulk_update(wb_ctx *ctx)
{
    return wb_fail(ctx->error, "not implemented yet");
}


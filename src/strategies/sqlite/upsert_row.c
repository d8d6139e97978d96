/* STUB: SQLite strategies of the upsert_row family (to be implemented). */
#include "strategies/sqlite/sqlite_strategies.h"

int wb_sqlite_select_then_write(wb_ctx *ctx)
{
    return wb_fail(ctx->error, "not implemented yet");
}

int wb_sqlite_update_then_insert(wb_ctx *ctx)
{
    return wb_fail(ctx->error, "not implemented yet");
}

int wb_sqlite_on_conflict(wb_ctx *ctx)
{
    return wb_fail(ctx->error, "not implemented yet");
}

int wb_sqlite_replace(wb_ctx *ctx)
{
    return wb_fail(ctx->error, "not implemented yet");
}


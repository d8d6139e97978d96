/* STUB: SQLite strategies of the load_then_index family (to be implemented). */
#include "strategies/sqlite/sqlite_strategies.h"

int wb_sqlite_load_then_index(wb_ctx *ctx)
{
    return wb_fail(ctx->error, "not implemented yet");
}


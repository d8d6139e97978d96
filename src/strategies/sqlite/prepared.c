/* STUB: SQLite strategies of the prepared family (to be implemented). */
#include "strategies/sqlite/sqlite_strategies.h"

int wb_sqlite_prepared(wb_ctx *ctx)
{
    return wb_fail(ctx->error, "not implemented yet");
}


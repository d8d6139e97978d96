/* STUB: SQLite strategies of the reference family (to be implemented). */
#include "strategies/sqlite/sqlite_strategies.h"

int wb_sqlite_server_generate(wb_ctx *ctx)
{
    return wb_fail(ctx->error, "not implemented yet");
}


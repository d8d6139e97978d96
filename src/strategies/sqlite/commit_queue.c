/* STUB: SQLite strategies of the commit_queue family (to be implemented). */
#include "strategies/sqlite/sqlite_strategies.h"

int wb_sqlite_commit_queue(wb_ctx *ctx)
{
    return wb_fail(ctx->error, "not implemented yet");
}


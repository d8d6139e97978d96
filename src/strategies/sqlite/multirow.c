/* STUB: SQLite strategies of the multirow family (to be implemented). */
#include "strategies/sqlite/sqlite_strategies.h"

int wb_sqlite_values_multirow(wb_ctx *ctx)
{
    return wb_fail(ctx->error, "not implemented yet");
}


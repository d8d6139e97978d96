/* STUB: SQLite strategies of the test_only family (to be implemented). */
#include "strategies/sqlite/sqlite_strategies.h"

int wb_sqlite_test_drop_row(wb_ctx *ctx)
{
    return wb_fail(ctx->error, "not implemented yet");
}

int wb_sqlite_test_mangle_quote(wb_ctx *ctx)
{
    return wb_fail(ctx->error, "not implemented yet");
}

int wb_sqlite_test_crash(wb_ctx *ctx)
{
    return wb_fail(ctx->error, "not implemented yet");
}

int wb_sqlite_test_hang(wb_ctx *ctx)
{
    return wb_fail(ctx->error, "not implemented yet");
}


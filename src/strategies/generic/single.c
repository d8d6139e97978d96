/* The single family: one INSERT per row, prepared anew for every row (on
 * PostgreSQL its text travels with every execution, so the server parses and
 * plans it every time), as an ORM without a statement cache does. The three
 * differ only in how often they commit: every row (autocommit), once per
 * thread, or every --batch rows. */
#include "strategies/generic/generic.h"
#include "strategies/generic/generic_strategies.h"

static const wb_gen_row_writer parsed_insert = {1, 1, wb_gen_plain_insert_sql, wb_gen_plain_insert_row};

int wb_generic_single_autocommit(wb_ctx *ctx)
{
    return wb_gen_write_rows(ctx, &parsed_insert, WB_GEN_AUTOCOMMIT);
}

int wb_generic_single_tx(wb_ctx *ctx)
{
    return wb_gen_write_rows(ctx, &parsed_insert, WB_GEN_ONE_TX);
}

int wb_generic_batch_commit(wb_ctx *ctx)
{
    return wb_gen_write_rows(ctx, &parsed_insert, ctx->batch > 0 ? ctx->batch : WB_GEN_ONE_TX);
}

/* The prepared strategy: one INSERT prepared once per table and thread and
 * executed for every row with new bindings (what a DB-API driver's executemany
 * does), all rows of a thread in one transaction: one round trip per row on a
 * server, no parsing after the first. Also the loader of the generic
 * load-then-index. */
#include "strategies/generic/generic.h"
#include "strategies/generic/generic_strategies.h"

static const wb_gen_row_writer prepared_insert = {1, 0, wb_gen_plain_insert_sql, wb_gen_plain_insert_row};

int wb_generic_prepared(wb_ctx *ctx)
{
    return wb_gen_write_rows(ctx, &prepared_insert, WB_GEN_ONE_TX);
}

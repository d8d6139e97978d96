/* The commit-queue strategy: ctx->threads producer threads generate rows (the
 * "application work") into one shared bounded queue (strategies/queue.c, which
 * also keeps parents before children); a single writer on ctx->conns[0] drains
 * it with a prepared upsert and commits every --batch rows. The runner opens
 * ctx->threads connections; only the first one writes. */
#include "strategies/generic/generic.h"
#include "strategies/generic/generic_strategies.h"

static void upsert_sql(const wb_ctx *ctx, wb_conn *c, const wb_table *t, wb_buf *out)
{
    wb_gen_insert_sql(ctx, c, t, NULL, 1, 1, out);
}

int wb_generic_commit_queue(wb_ctx *ctx)
{
    return wb_gen_commit_queue(ctx, upsert_sql, "upsert");
}

/* PostgreSQL copy-text and copy-binary: COPY ... FROM STDIN, one COPY per table and
 * thread over the thread's key range, parents first, in one transaction per thread
 * (copy_stream.c). The hostile values (backslash-N, tabs, newlines, carriage
 * returns) must survive the text format's escaping; the binary format sends every
 * column type in its binary form, numeric included. */
#include "strategies/pg/copy_stream.h"
#include "strategies/pg/pg_strategies.h"

int wb_pg_copy_text(wb_ctx *ctx)
{
    return wb_pgs_copy_workload(ctx, WB_PGS_COPY_TEXT);
}

int wb_pg_copy_binary(wb_ctx *ctx)
{
    return wb_pgs_copy_workload(ctx, WB_PGS_COPY_BINARY);
}

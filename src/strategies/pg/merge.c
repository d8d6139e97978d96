/* The PostgreSQL merge strategy (PostgreSQL 15+): MERGE ... USING (VALUES ...)
 * with --batch rows per statement. Only its SQL is native: the loop is the
 * generic many-rows-per-statement one (generic.h), which prepares each statement
 * once per table and thread and writes a thread's range in one transaction. */
#include "strategies/generic/generic.h"
#include "strategies/pg/common.h"
#include "strategies/pg/pg_strategies.h"

/* MERGE INTO t AS target USING (VALUES ($1::bigint, ...), ...) AS v("id", ...)
 * ON target."id" = v."id" WHEN MATCHED THEN UPDATE SET ... WHEN NOT MATCHED THEN INSERT.
 * Outside an INSERT the server cannot infer a VALUES list's types from a target, so
 * every parameter is cast. */
static void merge_sql(const wb_ctx *ctx, wb_conn *c, const wb_table *t, int rows, wb_buf *out)
{
    const char *key = t->columns[0].name;
    wb_buf_puts(out, "MERGE INTO ");
    ctx->backend->table_name(c, t->name, out);
    wb_buf_puts(out, " AS target USING (VALUES ");
    wb_gen_values_rows(ctx->backend->dialect, t, rows, 1, out);
    wb_buf_puts(out, ") AS v (");
    wb_gen_column_list(t, "", out);
    wb_buf_printf(out, ") ON target.\"%s\" = v.\"%s\" WHEN MATCHED THEN UPDATE SET ", key, key);
    wb_gen_set_list(t, "v", out);
    wb_buf_puts(out, " WHEN NOT MATCHED THEN INSERT (");
    wb_gen_column_list(t, "", out);
    wb_buf_puts(out, ") VALUES (");
    wb_gen_column_list(t, "v.", out);
    wb_buf_putc(out, ')');
}

int wb_pg_merge(wb_ctx *ctx)
{
    int rc = wb_pgs_require_merge(ctx);
    return rc != 0 ? rc : wb_gen_write_batches(ctx, merge_sql, "merge");
}

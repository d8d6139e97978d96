/* PostgreSQL strategies that write many rows per statement from a VALUES list of
 * parameters: on-conflict-batch (multi-row INSERT ... ON CONFLICT DO UPDATE), merge
 * (MERGE ... USING (VALUES ...), PostgreSQL 15+) and bulk-update (UPDATE ... FROM
 * (VALUES ...)). wb_pgs_write_chunks prepares each statement once per table and
 * thread and writes a thread's range in one transaction. */
#include "strategies/pg/drive.h"
#include "strategies/pg/pg_strategies.h"

static void on_conflict_batch_sql(const wb_ctx *ctx, wb_conn *c, const wb_table *t, int rows, wb_buf *out)
{
    wb_pgs_insert_sql(ctx, c, t, rows, 1, out);
}

/* MERGE INTO t AS target USING (VALUES ($1::bigint, ...), ...) AS v("id", ...)
 * ON target."id" = v."id" WHEN MATCHED THEN UPDATE SET ... WHEN NOT MATCHED THEN INSERT.
 * Outside an INSERT the server cannot infer a VALUES list's types from a target, so
 * every parameter is cast. */
static void merge_sql(const wb_ctx *ctx, wb_conn *c, const wb_table *t, int rows, wb_buf *out)
{
    const char *key = t->columns[0].name;
    wb_buf_puts(out, "MERGE INTO ");
    wb_pgs_table_name(ctx, c, t, out);
    wb_buf_puts(out, " AS target USING (VALUES ");
    wb_pgs_values_rows(t, rows, 1, out);
    wb_buf_puts(out, ") AS v (");
    wb_pgs_column_list(t, "", out);
    wb_buf_printf(out, ") ON target.\"%s\" = v.\"%s\" WHEN MATCHED THEN UPDATE SET ", key, key);
    wb_pgs_set_list(t, "v", out);
    wb_buf_puts(out, " WHEN NOT MATCHED THEN INSERT (");
    wb_pgs_column_list(t, "", out);
    wb_buf_puts(out, ") VALUES (");
    wb_pgs_column_list(t, "v.", out);
    wb_buf_putc(out, ')');
}

/* UPDATE t AS target SET "c" = v."c", ... FROM (VALUES ($1::bigint, ...), ...) AS v("id", ...)
 * WHERE target."id" = v."id". */
static void bulk_update_sql(const wb_ctx *ctx, wb_conn *c, const wb_table *t, int rows, wb_buf *out)
{
    const char *key = t->columns[0].name;
    wb_buf_puts(out, "UPDATE ");
    wb_pgs_table_name(ctx, c, t, out);
    wb_buf_puts(out, " AS target SET ");
    wb_pgs_set_list(t, "v", out);
    wb_buf_puts(out, " FROM (VALUES ");
    wb_pgs_values_rows(t, rows, 1, out);
    wb_buf_puts(out, ") AS v (");
    wb_pgs_column_list(t, "", out);
    wb_buf_printf(out, ") WHERE target.\"%s\" = v.\"%s\"", key, key);
}

int wb_pg_on_conflict_batch(wb_ctx *ctx)
{
    return wb_pgs_write_chunks(ctx, on_conflict_batch_sql, "upsert");
}

int wb_pg_merge(wb_ctx *ctx)
{
    int rc = wb_pgs_require_merge(ctx);
    return rc != 0 ? rc : wb_pgs_write_chunks(ctx, merge_sql, "merge");
}

int wb_pg_bulk_update(wb_ctx *ctx)
{
    /* UPDATE ... FROM cannot create rows: the runner loads version 1 with the reference first. */
    if (ctx->phase != WB_PHASE_UPDATE)
        return wb_fail(ctx->error, "bulk-update only updates existing rows (update pass only)");
    return wb_pgs_write_chunks(ctx, bulk_update_sql, "update");
}

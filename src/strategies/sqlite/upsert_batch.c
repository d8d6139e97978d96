/* SQLite strategies that write many rows per statement: on-conflict-batch (a
 * multi-row INSERT ... ON CONFLICT DO UPDATE) and bulk-update (UPDATE ... FROM a
 * VALUES list). Each is the SQL of a statement of n rows; wb_sq_write_batches does
 * the threads, the statement sizes within the parameter limit, the tail statement
 * and one transaction per thread. */
#include "strategies/sqlite/common.h"
#include "strategies/sqlite/sqlite_strategies.h"

#include "backends/sqlite.h"

static void on_conflict_batch_sql(wb_conn *c, const wb_table *t, int rows, wb_buf *out)
{
    wb_sq_insert_sql(c, t, "INSERT", rows, 1, out);
}

/* UPDATE "t" AS target SET "c" = v."c", ... FROM (SELECT column1 AS "id", column2 AS "c", ...
 * FROM (VALUES (?,...), ...)) AS v WHERE target."id" = v."id".
 * UPDATE ... FROM needs SQLite 3.33; SQLite cannot name the columns of a VALUES list
 * with an alias list (AS v(id, c)), hence the subselect renaming column1, column2, ... */
static void bulk_update_sql(wb_conn *c, const wb_table *t, int rows, wb_buf *out)
{
    const char *key = t->columns[0].name;
    wb_buf_puts(out, "UPDATE ");
    wb_sqlite_backend.table_name(c, t->name, out);
    wb_buf_puts(out, " AS target SET ");
    /* A table of only its key still needs a SET list; rewriting the key to itself is a no-op. */
    int first = t->ncolumns > 1 ? 1 : 0;
    for (int i = first; i < t->ncolumns; i++)
        wb_buf_printf(out, "%s\"%s\" = v.\"%s\"", i > first ? ", " : "", t->columns[i].name,
                      t->columns[i].name);
    wb_buf_puts(out, " FROM (SELECT ");
    for (int i = 0; i < t->ncolumns; i++)
        wb_buf_printf(out, "%scolumn%d AS \"%s\"", i ? ", " : "", i + 1, t->columns[i].name);
    wb_buf_puts(out, " FROM (VALUES ");
    for (int r = 0; r < rows; r++) {
        wb_buf_puts(out, r ? ", (" : "(");
        for (int i = 0; i < t->ncolumns; i++)
            wb_buf_puts(out, i ? ", ?" : "?");
        wb_buf_putc(out, ')');
    }
    wb_buf_printf(out, ")) AS v WHERE target.\"%s\" = v.\"%s\"", key, key);
}

int wb_sqlite_on_conflict_batch(wb_ctx *ctx)
{
    return wb_sq_write_batches(ctx, on_conflict_batch_sql);
}

int wb_sqlite_bulk_update(wb_ctx *ctx)
{
    /* UPDATE ... FROM cannot create rows: the runner loads version 1 with the reference first. */
    if (ctx->phase != WB_PHASE_UPDATE)
        return wb_fail(ctx->error, "bulk-update only updates existing rows (update pass only)");
    return wb_sq_write_batches(ctx, bulk_update_sql);
}

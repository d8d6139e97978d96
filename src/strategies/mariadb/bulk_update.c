/* MariaDB's bulk-update: UPDATE t AS target JOIN (SELECT ? AS "id", ? AS "c", ...
 * UNION ALL SELECT ?, ?, ... ) AS v ON target."id" = v."id" SET ..., --batch rows
 * per statement (within the 65,535-parameter limit), one transaction per thread.
 * MariaDB has no UPDATE ... FROM; its table value constructor cannot name its
 * columns (they are named after the first row's values), and in 10.11 a WITH
 * clause's column list over VALUES with parameters fails ("Data too long"), so the
 * derived table is a UNION ALL of one SELECT per row, which the server joins to the
 * table's primary key (eq_ref). Only the SQL is native: the loop is the generic
 * many-rows-per-statement one (generic.h). */
#include "strategies/generic/generic.h"
#include "strategies/mariadb/mariadb_strategies.h"

static void bulk_update_sql(const wb_ctx *ctx, wb_conn *c, const wb_table *t, int rows, wb_buf *out)
{
    const char *key = t->columns[0].name;
    wb_buf_puts(out, "UPDATE ");
    ctx->backend->table_name(c, t->name, out);
    wb_buf_puts(out, " AS target JOIN (");
    for (int r = 0; r < rows; r++) {
        wb_buf_puts(out, r ? " UNION ALL SELECT " : "SELECT ");
        for (int i = 0; i < t->ncolumns; i++) {
            /* the first row types the derived table's columns: a text cast to CHAR
             * (a VARCHAR), or a NULL there would make the column a CHAR, whose
             * trailing blanks the server strips (' ' would arrive as '') */
            int typed = r == 0 && t->columns[i].type == WB_TYPE_TEXT;
            wb_buf_puts(out, i ? ", " : "");
            wb_buf_puts(out, typed ? "CAST(? AS CHAR)" : "?");
            if (r == 0)
                wb_buf_printf(out, " AS \"%s\"", t->columns[i].name);
        }
    }
    wb_buf_printf(out, ") AS v ON target.\"%s\" = v.\"%s\" SET ", key, key);
    /* SET target."c" = v."c": the target named, as both tables have the column */
    int first = t->ncolumns > 1 ? 1 : 0;
    for (int i = first; i < t->ncolumns; i++)
        wb_buf_printf(out, "%starget.\"%s\" = v.\"%s\"", i > first ? ", " : "", t->columns[i].name,
                      t->columns[i].name);
}

int wb_mariadb_bulk_update(wb_ctx *ctx)
{
    return wb_gen_write_batches(ctx, bulk_update_sql, "update");
}

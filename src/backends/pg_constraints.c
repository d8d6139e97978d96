/* PostgreSQL's drop_constraints_sql (backend.h): the statement that drops a
 * table's CHECK constraints, or the foreign key of one column, under the names
 * the server gave them. A workload declares its constraints without names, so
 * the names are the server's choice ("products_price_check"), read from
 * pg_constraint. */
#include "backends/pg_internal.h"

#include "util/sql_text.h"

/* Append s as an SQL string literal, quotes doubled. */
static void put_literal(wb_buf *out, const char *s)
{
    wb_buf_putc(out, '\'');
    for (const char *p = s; *p; p++) {
        if (*p == '\'')
            wb_buf_putc(out, '\'');
        wb_buf_putc(out, *p);
    }
    wb_buf_putc(out, '\'');
}

/* Row callback: append ", DROP CONSTRAINT " unless first, then the name quoted. */
static int row_name(void *arg, int ncols, const char *const *names, const char *const *values)
{
    (void)names;
    wb_buf *out = arg;
    if (ncols > 0 && values[0]) {
        if (out->len)
            wb_buf_puts(out, ", DROP CONSTRAINT ");
        wb_sql_identifier(out, values[0]);
    }
    return 0;
}

int wb_pg_drop_constraints_sql(wb_conn *c, const char *table, wb_constraint_kind kind, const char *column,
                               wb_buf *out, wb_error *e)
{
    const wb_backend *b = &wb_postgres_backend;
    wb_buf qualified = WB_BUF_INIT, sql = WB_BUF_INIT, names = WB_BUF_INIT;
    b->table_name(c, table, &qualified);
    wb_buf_puts(&sql, "SELECT conname FROM pg_catalog.pg_constraint WHERE conrelid = ");
    put_literal(&sql, wb_buf_str(&qualified));
    wb_buf_printf(&sql, "::regclass AND contype = '%c'", kind == WB_CONSTRAINT_CHECK ? 'c' : 'f');
    if (kind == WB_CONSTRAINT_FOREIGN_KEY) {
        wb_buf_puts(&sql, " AND conkey = ARRAY[(SELECT attnum FROM pg_catalog.pg_attribute WHERE attrelid = ");
        put_literal(&sql, wb_buf_str(&qualified));
        wb_buf_puts(&sql, "::regclass AND attname = ");
        put_literal(&sql, column ? column : "");
        wb_buf_puts(&sql, ")]");
    }
    wb_buf_puts(&sql, " ORDER BY conname");
    int status = b->query(c, wb_buf_str(&sql), row_name, &names, e);
    if (status == 0 && names.len == 0)
        status = kind == WB_CONSTRAINT_CHECK ? wb_fail(e, "%s has no CHECK constraint", table)
                                             : wb_fail(e, "%s has no foreign key on %s", table, column ? column : "?");
    if (status == 0)
        wb_buf_printf(out, "ALTER TABLE %s DROP CONSTRAINT %s", wb_buf_str(&qualified), wb_buf_str(&names));
    wb_buf_free(&qualified);
    wb_buf_free(&sql);
    wb_buf_free(&names);
    return status;
}

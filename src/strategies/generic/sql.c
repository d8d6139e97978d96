/* The SQL text of the generic strategies (see generic.h), built from the
 * backend's dialect: the same statements on every backend, with each backend's
 * placeholders, casts, upsert clause and VALUES naming. */
#include "strategies/generic/generic.h"

#include <stdlib.h>

void wb_gen_param(const wb_dialect *d, int n, wb_buf *out)
{
    wb_buf_printf(out, "%s%d", d->param_prefix, n);
}

/* Append parameter n as a list of parameters in order writes it: bare where allowed. */
static void put_list_param(const wb_dialect *d, int n, wb_buf *out)
{
    if (d->param_bare)
        wb_buf_puts(out, d->param_prefix);
    else
        wb_gen_param(d, n, out);
}

/* The columns a statement names: cols[0..n) of t, or all of them (cols NULL). */
typedef struct columns {
    const int *cols;
    int n;
} columns;

static int column_at(const columns *c, int i)
{
    return c->cols ? c->cols[i] : i;
}

static void put_column_list(const wb_table *t, const columns *c, const char *prefix, wb_buf *out)
{
    for (int i = 0; i < c->n; i++)
        wb_buf_printf(out, "%s%s\"%s\"", i ? ", " : "", prefix, t->columns[column_at(c, i)].name);
}

static void put_set_list(const wb_table *t, const columns *c, const char *source, wb_buf *out)
{
    /* A table of only its key still needs a SET list; rewriting the key to itself is a no-op. */
    int first = c->n > 1 ? 1 : 0;
    for (int i = first; i < c->n; i++) {
        const char *name = t->columns[column_at(c, i)].name;
        wb_buf_printf(out, "%s\"%s\" = %s.\"%s\"", i > first ? ", " : "", name, source, name);
    }
}

static void put_values_rows(const wb_dialect *d, const wb_table *t, const columns *c, int rows, int cast,
                            wb_buf *out)
{
    int param = 1;
    for (int r = 0; r < rows; r++) {
        wb_buf_puts(out, r ? ", (" : "(");
        for (int i = 0; i < c->n; i++, param++) {
            if (i)
                wb_buf_puts(out, ", ");
            put_list_param(d, param, out);
            const char *cs = cast ? d->types[t->columns[column_at(c, i)].sql_type].param_cast : NULL;
            if (cs)
                wb_buf_puts(out, cs);
        }
        wb_buf_putc(out, ')');
    }
}

void wb_gen_column_list(const wb_table *t, const char *prefix, wb_buf *out)
{
    columns all = {NULL, t->ncolumns};
    put_column_list(t, &all, prefix, out);
}

void wb_gen_set_list(const wb_table *t, const char *source, wb_buf *out)
{
    columns all = {NULL, t->ncolumns};
    put_set_list(t, &all, source, out);
}

void wb_gen_values_rows(const wb_dialect *d, const wb_table *t, int rows, int cast, wb_buf *out)
{
    columns all = {NULL, t->ncolumns};
    put_values_rows(d, t, &all, rows, cast, out);
}

int wb_gen_updated_columns(const wb_table *t, int *cols)
{
    int n = 0;
    cols[n++] = 0;
    for (int i = 1; i < t->ncolumns; i++)
        if (t->columns[i].updated)
            cols[n++] = i;
    return n;
}

/* Append the upsert clause: every non-key column (the key itself when alone) set to its new value. */
static void put_upsert(const wb_dialect *d, const wb_table *t, wb_buf *out)
{
    wb_buf key = WB_BUF_INIT, column = WB_BUF_INIT;
    wb_buf_printf(&key, "\"%s\"", t->columns[0].name);
    wb_buf_printf(out, d->upsert_clause, wb_buf_str(&key));
    int first = t->ncolumns > 1 ? 1 : 0;
    for (int i = first; i < t->ncolumns; i++) {
        wb_buf_reset(&column);
        wb_buf_printf(&column, "\"%s\"", t->columns[i].name);
        wb_buf_printf(out, "%s%s = ", i > first ? ", " : "", wb_buf_str(&column));
        wb_buf_printf(out, d->upsert_value, wb_buf_str(&column));
    }
    wb_buf_free(&key);
    wb_buf_free(&column);
}

void wb_gen_insert_sql(const wb_ctx *ctx, wb_conn *c, const wb_table *t, const char *verb, int rows, int upsert,
                       wb_buf *out)
{
    const wb_dialect *d = ctx->backend->dialect;
    wb_buf_printf(out, "%s INTO ", verb ? verb : "INSERT");
    ctx->backend->table_name(c, t->name, out);
    wb_buf_puts(out, " (");
    wb_gen_column_list(t, "", out);
    /* INSERT gives parameters its target columns' types: no casts needed */
    wb_buf_puts(out, ") VALUES ");
    wb_gen_values_rows(d, t, rows, 0, out);
    if (upsert)
        put_upsert(d, t, out);
}

void wb_gen_update_sql(const wb_ctx *ctx, wb_conn *c, const wb_table *t, wb_buf *out)
{
    const wb_dialect *d = ctx->backend->dialect;
    wb_buf_puts(out, "UPDATE ");
    ctx->backend->table_name(c, t->name, out);
    wb_buf_puts(out, " SET ");
    int first = t->ncolumns > 1 ? 1 : 0;
    for (int i = first; i < t->ncolumns; i++) {
        wb_buf_printf(out, "%s\"%s\" = ", i > first ? ", " : "", t->columns[i].name);
        wb_gen_param(d, i + 1, out);
    }
    wb_buf_printf(out, " WHERE \"%s\" = ", t->columns[0].name);
    wb_gen_param(d, 1, out);
}

void wb_gen_exists_sql(const wb_ctx *ctx, wb_conn *c, const wb_table *t, wb_buf *out)
{
    wb_buf_puts(out, "SELECT 1 FROM ");
    ctx->backend->table_name(c, t->name, out);
    wb_buf_printf(out, " WHERE \"%s\" = ", t->columns[0].name);
    wb_gen_param(ctx->backend->dialect, 1, out);
}

void wb_gen_update_from_sql(const wb_ctx *ctx, wb_conn *c, const wb_table *t, int rows, wb_buf *out)
{
    const wb_dialect *d = ctx->backend->dialect;
    const char *key = t->columns[0].name;
    int *cols = wb_xcalloc((size_t)t->ncolumns, sizeof *cols);
    columns updated = {cols, wb_gen_updated_columns(t, cols)};
    wb_buf_puts(out, "UPDATE ");
    ctx->backend->table_name(c, t->name, out);
    wb_buf_puts(out, " AS target SET ");
    put_set_list(t, &updated, "v", out);
    wb_buf_puts(out, " FROM (");
    if (d->values_column) {
        /* No alias list for a VALUES list: a subselect renames its automatic columns. */
        wb_buf_puts(out, "SELECT ");
        for (int i = 0; i < updated.n; i++) {
            if (i)
                wb_buf_puts(out, ", ");
            wb_buf_printf(out, d->values_column, i + 1);
            wb_buf_printf(out, " AS \"%s\"", t->columns[cols[i]].name);
        }
        wb_buf_puts(out, " FROM (VALUES ");
        put_values_rows(d, t, &updated, rows, 1, out);
        wb_buf_puts(out, ")) AS v");
    } else {
        /* Outside an INSERT the server cannot infer a VALUES list's types: each is cast. */
        wb_buf_puts(out, "VALUES ");
        put_values_rows(d, t, &updated, rows, 1, out);
        wb_buf_puts(out, ") AS v (");
        put_column_list(t, &updated, "", out);
        wb_buf_putc(out, ')');
    }
    wb_buf_printf(out, " WHERE target.\"%s\" = v.\"%s\"", key, key);
    free(cols);
}

int wb_gen_rows_per_statement(const wb_backend *b, wb_conn *conn, const wb_table *t, int64_t batch)
{
    return wb_gen_rows_per_statement_of(b, conn, t, t->ncolumns, batch);
}

int wb_gen_rows_per_statement_of(const wb_backend *b, wb_conn *conn, const wb_table *t, int nbound, int64_t batch)
{
    int64_t limit = b->param_limit(conn) / (nbound > 0 ? nbound : 1);
    /* Wide rows: a statement's values stay within WB_GEN_STATEMENT_BYTES, since a
     * statement's rows live in memory together until it runs. */
    int64_t by_bytes = WB_GEN_STATEMENT_BYTES / (int64_t)(t->row_text_bytes ? t->row_text_bytes : 1);
    if (by_bytes < limit)
        limit = by_bytes;
    int64_t n = batch > 0 && batch < limit ? batch : limit;
    return n < 1 ? 1 : (int)n;
}

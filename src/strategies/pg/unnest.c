/* The PostgreSQL unnest strategy: INSERT INTO t (columns) SELECT * FROM
 * unnest($1::bigint[], $2::text[], ...), one array parameter per column holding
 * --batch rows, so a statement's parameter count is the column count whatever the
 * batch (no 65,535 limit), and one prepared statement serves every batch size.
 * The arrays travel as text literals: {"O'Brien \"x\"",NULL,...}, every text
 * element quoted with backslash and double quote escaped, each array cast to its
 * column's type (bigint[], text[], numeric[], timestamptz[], jsonb[], bytea[], ...:
 * the dialect's parameter casts). One transaction per thread. */
#include <stdlib.h>
#include <string.h>

#include "strategies/generic/generic.h"
#include "strategies/pg/common.h"
#include "strategies/pg/pg_strategies.h"

#include "backends/postgres.h"
#include "util/clock.h"

/* Rows per statement when --batch is not set. */
#define DEFAULT_UNNEST_ROWS 1000

static void unnest_sql(const wb_ctx *ctx, wb_conn *c, const wb_table *t, wb_buf *out)
{
    wb_buf_puts(out, "INSERT INTO ");
    ctx->backend->table_name(c, t->name, out);
    wb_buf_puts(out, " (");
    wb_gen_column_list(t, "", out);
    wb_buf_puts(out, ") SELECT * FROM unnest(");
    for (int i = 0; i < t->ncolumns; i++)
        wb_buf_printf(out, "%s$%d%s[]", i ? ", " : "", i + 1, ctx->backend->dialect->types[t->columns[i].sql_type].param_cast);
    wb_buf_putc(out, ')');
}

/* Append one element to an array literal being built (after its '{'). Numbers and
 * booleans go bare; text, times, uuids, json and bytes (in bytea's \\x form) are
 * always quoted, so that "", "NULL" and spaces stay what they are. scratch holds
 * the text of bytes. */
static void put_element(wb_buf *array, const wb_value *v, wb_buf *scratch)
{
    if (array->len > 1)
        wb_buf_putc(array, ',');
    if (v->is_null) {
        wb_buf_puts(array, "NULL");
        return;
    }
    char number[24];
    const char *text = wb_pgs_value_text(v, number);
    size_t len = v->text ? v->len : strlen(text);
    if (v->type == WB_TYPE_BYTES) {
        wb_buf_reset(scratch);
        wb_pgs_bytes_text(v->text, v->len, scratch);
        text = scratch->data;
        len = scratch->len;
    } else if (v->type == WB_TYPE_INT64 || v->type == WB_TYPE_DECIMAL || v->type == WB_TYPE_FLOAT ||
               v->type == WB_TYPE_BOOL) {
        wb_buf_append(array, text, len);
        return;
    }
    wb_buf_reserve(array, 2 * len + 2);
    char *p = array->data + array->len;
    *p++ = '"';
    for (size_t i = 0; i < len; i++) {
        if (text[i] == '"' || text[i] == '\\')
            *p++ = '\\';
        *p++ = text[i];
    }
    *p++ = '"';
    array->len = (size_t)(p - array->data);
    array->data[array->len] = '\0';
}

/* Write one table's keys first_key..last_key, rows_per_statement rows a statement. */
static int unnest_table(wb_ctx *ctx, wb_conn *conn, PGconn *pg, const wb_table *t, int64_t first_key,
                        int64_t last_key, int64_t rows_per_statement, wb_buf *arrays, wb_error *e)
{
    const wb_backend *b = ctx->backend;
    wb_buf sql = WB_BUF_INIT;
    wb_stmt *st = NULL;
    unnest_sql(ctx, conn, t, &sql);
    int rc = b->stmt_prepare(conn, wb_buf_str(&sql), t->ncolumns, 0, NULL, &st, e);
    wb_buf_free(&sql);
    if (rc != 0)
        wb_fail_prefix(e, "%s: ", t->name);

    wb_row row = WB_ROW_INIT;
    wb_buf scratch = WB_BUF_INIT;
    for (int64_t key = first_key; key <= last_key && rc == 0;) {
        int64_t n = last_key - key + 1 < rows_per_statement ? last_key - key + 1 : rows_per_statement;
        int64_t started_ns = wb_clock_ns(); /* a batch: one statement of n rows */
        for (int i = 0; i < t->ncolumns; i++) {
            wb_buf_reset(&arrays[i]);
            wb_buf_putc(&arrays[i], '{');
        }
        for (int64_t r = 0; r < n; r++) {
            wb_row_make(t, key + r, ctx->version, &row);
            for (int i = 0; i < t->ncolumns; i++)
                put_element(&arrays[i], &row.v[i], &scratch);
        }
        for (int i = 0; i < t->ncolumns && rc == 0; i++) {
            wb_buf_putc(&arrays[i], '}');
            wb_bind_value array = {WB_BIND_TEXT, 0, arrays[i].data, arrays[i].len, 0};
            rc = b->stmt_bind(st, i, 1, &array, e);
        }
        if (rc == 0)
            rc = b->stmt_exec(st, "insert", NULL, NULL, NULL, e);
        if (rc == 0) {
            wb_ctx_batch_done(ctx, started_ns);
            wb_ctx_rows_done(ctx, n);
        } else
            wb_fail_prefix(e, "%s keys %lld..%lld: ", t->name, (long long)wb_table_key(t, key),
                           (long long)wb_table_key(t, key + n - 1));
        key += n;
    }
    if (rc != 0)
        wb_pgs_rollback(pg);
    b->stmt_finalize(st);
    wb_row_free(&row);
    wb_buf_free(&scratch);
    return rc;
}

static int unnest_thread(wb_ctx *ctx, int thread, wb_conn *conn, int64_t first_key, int64_t last_key,
                         void *arg, wb_error *e)
{
    (void)thread;
    (void)arg;
    if (first_key > last_key)
        return 0;
    PGconn *pg = wb_pg_conn(conn);
    int64_t rows_per_statement = ctx->batch > 0 ? ctx->batch : DEFAULT_UNNEST_ROWS;
    /* one array per column of the widest table */
    int ncolumns = 0;
    for (int t = 0; t < ctx->workload->ntables; t++)
        if (ctx->workload->tables[t].ncolumns > ncolumns)
            ncolumns = ctx->workload->tables[t].ncolumns;
    wb_buf *arrays = wb_xcalloc((size_t)ncolumns, sizeof *arrays);
    int rc = wb_pgs_begin(pg, e);
    for (int t = 0; t < ctx->workload->ntables && rc == 0; t++) {
        const wb_table *table = &ctx->workload->tables[t];
        /* parents committed everywhere first (strategies/strategy.h) */
        if (wb_threads_sync_before(ctx, t) &&
            ((rc = wb_pgs_commit(pg, e)) != 0 || (rc = wb_threads_wait(ctx, e)) != 0 || (rc = wb_pgs_begin(pg, e)) != 0))
            break;
        /* wide rows: a statement's arrays stay within WB_GEN_STATEMENT_BYTES of values */
        int64_t n = rows_per_statement, by_bytes = WB_GEN_STATEMENT_BYTES / (int64_t)(table->row_text_bytes + 1);
        if (by_bytes < n)
            n = by_bytes > 0 ? by_bytes : 1;
        rc = unnest_table(ctx, conn, pg, table, first_key, last_key, n, arrays, e);
    }
    if (rc == 0)
        rc = wb_pgs_commit(pg, e);
    if (rc != 0)
        wb_pgs_rollback(pg);
    for (int i = 0; i < ncolumns; i++)
        wb_buf_free(&arrays[i]);
    free(arrays);
    return rc;
}

int wb_pg_unnest(wb_ctx *ctx)
{
    return wb_run_threads(ctx, unnest_thread, NULL);
}

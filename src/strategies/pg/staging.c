/* PostgreSQL staging strategies, the ETL pattern: per thread and table, COPY (binary)
 * the thread's rows into a temporary table shaped like the target (LIKE t, dropped
 * at commit), then move them with one set-based statement: MERGE (staging-merge,
 * PostgreSQL 15+) or INSERT ... SELECT ... ON CONFLICT DO UPDATE (staging-on-conflict).
 * One transaction per thread (split before a table that must wait for the other
 * threads' parents, strategies/strategy.h); the temporary tables are private to each
 * session. */
#include "strategies/generic/generic.h"
#include "strategies/pg/common.h"
#include "strategies/pg/copy_stream.h"
#include "strategies/pg/pg_strategies.h"

#include "backends/postgres.h"
#include "util/clock.h"

/* Append the statement that moves every row of staging into t. */
typedef void (*move_sql_fn)(const wb_ctx *ctx, wb_conn *c, const wb_table *t, const char *staging,
                            wb_buf *out);

static void merge_from_staging_sql(const wb_ctx *ctx, wb_conn *c, const wb_table *t, const char *staging,
                                   wb_buf *out)
{
    const char *key = t->columns[0].name;
    wb_buf_puts(out, "MERGE INTO ");
    ctx->backend->table_name(c, t->name, out);
    wb_buf_printf(out, " AS target USING %s AS s ON target.\"%s\" = s.\"%s\" WHEN MATCHED THEN UPDATE SET ",
                  staging, key, key);
    wb_gen_set_list(t, "s", out);
    wb_buf_puts(out, " WHEN NOT MATCHED THEN INSERT (");
    wb_gen_column_list(t, "", out);
    wb_buf_puts(out, ") VALUES (");
    wb_gen_column_list(t, "s.", out);
    wb_buf_putc(out, ')');
}

static void on_conflict_from_staging_sql(const wb_ctx *ctx, wb_conn *c, const wb_table *t,
                                         const char *staging, wb_buf *out)
{
    wb_buf_puts(out, "INSERT INTO ");
    ctx->backend->table_name(c, t->name, out);
    wb_buf_puts(out, " (");
    wb_gen_column_list(t, "", out);
    wb_buf_puts(out, ") SELECT ");
    wb_gen_column_list(t, "", out);
    wb_buf_printf(out, " FROM %s ON CONFLICT (\"%s\") DO UPDATE SET ", staging, t->columns[0].name);
    wb_gen_set_list(t, "EXCLUDED", out);
}

/* Stage and move one table's keys first_key..last_key inside the thread's transaction. */
static int stage_table(wb_ctx *ctx, wb_conn *conn, PGconn *pg, const wb_table *t, move_sql_fn move_sql,
                       int64_t first_key, int64_t last_key, wb_error *e)
{
    wb_buf staging = WB_BUF_INIT, sql = WB_BUF_INIT;
    wb_buf_printf(&staging, "\"wb_staging_%s\"", t->name);
    wb_buf_printf(&sql, "CREATE TEMPORARY TABLE %s (LIKE ", wb_buf_str(&staging));
    ctx->backend->table_name(conn, t->name, &sql);
    wb_buf_puts(&sql, ") ON COMMIT DROP");
    int rc = wb_pgs_exec(pg, wb_buf_str(&sql), "create staging table", e);
    if (rc == 0)
        rc = wb_pgs_copy_range(ctx, pg, wb_buf_str(&staging), t, first_key, last_key, WB_PGS_COPY_BINARY, e);
    if (rc == 0) {
        wb_buf_reset(&sql);
        move_sql(ctx, conn, t, wb_buf_str(&staging), &sql);
        rc = wb_pgs_exec(pg, wb_buf_str(&sql), "move from staging", e);
    }
    wb_buf_free(&staging);
    wb_buf_free(&sql);
    return rc;
}

static int staging_thread(wb_ctx *ctx, int thread, wb_conn *conn, int64_t first_key, int64_t last_key,
                          void *arg, wb_error *e)
{
    (void)thread;
    if (first_key > last_key)
        return 0;
    move_sql_fn move_sql = *(const move_sql_fn *)arg;
    PGconn *pg = wb_pg_conn(conn);
    int rc = wb_pgs_begin(pg, e);
    for (int t = 0; t < ctx->workload->ntables && rc == 0; t++) {
        const wb_table *table = &ctx->workload->tables[t];
        /* parents committed everywhere first (strategies/strategy.h); the staging tables
         * before it go with that commit (ON COMMIT DROP), each table has its own */
        if (wb_threads_sync_before(ctx, t) &&
            ((rc = wb_pgs_commit(pg, e)) != 0 || (rc = wb_threads_wait(ctx, e)) != 0 || (rc = wb_pgs_begin(pg, e)) != 0))
            break;
        int64_t started_ns = wb_clock_ns(); /* a batch: one table staged and moved */
        if ((rc = stage_table(ctx, conn, pg, table, move_sql, first_key, last_key, e)) != 0)
            wb_fail_prefix(e, "%s: ", table->name);
        else
            wb_ctx_batch_done(ctx, started_ns);
    }
    if (rc == 0)
        rc = wb_pgs_commit(pg, e);
    if (rc != 0)
        wb_pgs_rollback(pg);
    return rc;
}

int wb_pg_staging_merge(wb_ctx *ctx)
{
    int rc = wb_pgs_require_merge(ctx);
    if (rc != 0)
        return rc;
    move_sql_fn move_sql = merge_from_staging_sql;
    return wb_run_threads(ctx, staging_thread, &move_sql);
}

int wb_pg_staging_on_conflict(wb_ctx *ctx)
{
    move_sql_fn move_sql = on_conflict_from_staging_sql;
    return wb_run_threads(ctx, staging_thread, &move_sql);
}

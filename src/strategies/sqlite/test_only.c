/* Deliberately wrong strategies for writebench's own tests (visible only with
 * WRITEBENCH_TEST_STRATEGIES=1): one that loses a row and one that mangles quotes
 * (verification must catch both), one that crashes and one that hangs (the runner
 * must record them and go on), and one whose one batch is slow by a planted delay
 * (the batch latencies must show it as the max and not in the median). The writing ones upsert, so they take part in both
 * passes, in one transaction per thread like the prepared strategy. They are
 * written on the generic statement layer, but kept to SQLite in the catalogue:
 * the tests that use them run there. */
#include <signal.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <unistd.h>

#include "strategies/generic/generic.h"
#include "strategies/sqlite/sqlite_strategies.h"
#include "util/clock.h"

static int upsert_sql(const wb_ctx *ctx, wb_conn *c, const wb_table *t, int which, wb_buf *out)
{
    (void)which;
    wb_gen_insert_sql(ctx, c, t, NULL, 1, 1, out);
    return t->ncolumns;
}

/* Loses the last key of every table (of every table, so that no child is left
 * pointing at a missing parent: the loss must reach verification, not the FK check). */
static int drop_last_row(const wb_gen_stmts *s, const wb_row *row, wb_error *e)
{
    if (wb_table_row(s->table, row->v[0].i64) == s->ctx->rows)
        return 0;
    return wb_gen_exec_row(s, 0, row, "upsert", NULL, e);
}

/* Writes text values without their single quotes, as broken escaping does. */
static int mangle_quotes(const wb_gen_stmts *s, const wb_row *row, wb_error *e)
{
    wb_row mangled = WB_ROW_INIT;
    wb_row_copy(&mangled, row);
    /* Every value with text, numbers included: only text columns can hold a quote.
     * Each value shrinks within its own bytes of the copy. */
    for (int i = 0; i < row->ncolumns; i++) {
        wb_value *v = &mangled.v[i];
        if (v->is_null || !v->text)
            continue;
        char *out = mangled.text + (v->text - mangled.text);
        size_t n = 0;
        for (size_t k = 0; k < v->len; k++)
            if (v->text[k] != '\'')
                out[n++] = v->text[k];
        out[n] = '\0';
        v->len = n;
    }
    int rc = wb_gen_exec_row(s, 0, &mangled, "upsert", NULL, e);
    wb_row_free(&mangled);
    return rc;
}

/* Sleeps once, in the middle key's row of the first table to reach it, then writes
 * the row: the batch that holds it is slow by WB_TEST_PLANTED_DELAY_NS. The flag
 * starts clear in every test, whose child is a fresh fork. */
static int slow_once(const wb_gen_stmts *s, const wb_row *row, wb_error *e)
{
    static atomic_int planted;
    if (wb_table_row(s->table, row->v[0].i64) == s->ctx->rows / 2 + 1 && atomic_exchange(&planted, 1) == 0)
        wb_sleep_ns(WB_TEST_PLANTED_DELAY_NS);
    return wb_gen_exec_row(s, 0, row, "upsert", NULL, e);
}

static const wb_gen_row_writer drop_row_writer = {1, 0, upsert_sql, drop_last_row};
static const wb_gen_row_writer mangle_quote_writer = {1, 0, upsert_sql, mangle_quotes};
static const wb_gen_row_writer slow_once_writer = {1, 0, upsert_sql, slow_once};

int wb_sqlite_test_drop_row(wb_ctx *ctx)
{
    return wb_gen_write_rows(ctx, &drop_row_writer, WB_GEN_ONE_TX);
}

int wb_sqlite_test_mangle_quote(wb_ctx *ctx)
{
    return wb_gen_write_rows(ctx, &mangle_quote_writer, WB_GEN_ONE_TX);
}

int wb_sqlite_test_slow_batch(wb_ctx *ctx)
{
    /* commits every --batch rows like batch-commit; 10 when --batch is not given, so
     * that even a small test has batches enough for a median */
    return wb_gen_write_rows(ctx, &slow_once_writer, ctx->batch > 0 ? ctx->batch : 10);
}

/* Write keys 1..about half of the first table on the first connection and commit,
 * so that a crash or a hang happens with real rows already in the database. */
static int write_half_of_first_table(wb_ctx *ctx)
{
    const wb_backend *b = ctx->backend;
    const wb_table *t = &ctx->workload->tables[0];
    wb_conn *conn = ctx->conns[0];
    int64_t last_key = ctx->rows / 2 > 0 ? ctx->rows / 2 : 1;
    wb_stmt *st = NULL;
    wb_buf sql = WB_BUF_INIT;
    wb_row row = WB_ROW_INIT;
    upsert_sql(ctx, conn, t, 0, &sql);
    int rc = b->stmt_prepare(conn, wb_buf_str(&sql), t->ncolumns, 0, NULL, &st, ctx->error);
    if (rc == 0)
        rc = b->begin(conn, ctx->error);
    for (int64_t key = 1; key <= last_key && rc == 0; key++) {
        wb_row_make(t, key, ctx->version, &row);
        rc = wb_gen_bind_row(b, st, 0, &row, t->ncolumns, ctx->error);
        if (rc == 0)
            rc = b->stmt_exec(st, "upsert", NULL, NULL, NULL, ctx->error);
    }
    if (rc == 0 && (rc = b->commit(conn, ctx->error)) == 0)
        wb_ctx_rows_done(ctx, last_key);
    if (rc != 0)
        b->rollback(conn);
    b->stmt_finalize(st);
    wb_buf_free(&sql);
    wb_row_free(&row);
    return rc;
}

int wb_sqlite_test_crash(wb_ctx *ctx)
{
    if (write_half_of_first_table(ctx) != 0)
        return -1;
    /* Die of a real SIGSEGV: restore the default action first, because a sanitizer's
     * handler would turn the signal into an ordinary exit status. */
    signal(SIGSEGV, SIG_DFL);
    raise(SIGSEGV);
    abort(); /* not reached */
}

int wb_sqlite_test_hang(wb_ctx *ctx)
{
    if (write_half_of_first_table(ctx) != 0)
        return -1;
    for (;;)
        pause(); /* until the runner's --timeout kills the process */
}

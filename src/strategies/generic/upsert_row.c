/* The upsert strategies that write one row per statement: select-then-write,
 * update-then-insert and on-conflict. Each is a wb_gen_row_writer (its prepared
 * statements per table and how it writes one row with them); wb_gen_write_rows
 * does the threads, the key ranges and the commits every --batch rows. */
#include "strategies/generic/generic.h"
#include "strategies/generic/generic_strategies.h"

/* select-then-write: statements SELECT, UPDATE, INSERT. */
enum { STW_SELECT, STW_UPDATE, STW_INSERT, STW_COUNT };

static int select_then_write_sql(const wb_ctx *ctx, wb_conn *c, const wb_table *t, int which, wb_buf *out)
{
    if (which == STW_SELECT) {
        wb_gen_exists_sql(ctx, c, t, out);
        return 1;
    }
    if (which == STW_UPDATE)
        wb_gen_update_sql(ctx, c, t, out);
    else
        wb_gen_insert_sql(ctx, c, t, NULL, 1, 0, out);
    return t->ncolumns;
}

static int select_then_write_row(const wb_gen_stmts *s, const wb_row *row, wb_error *e)
{
    int64_t found = 0;
    if (wb_gen_exec_row(s, STW_SELECT, row, "select", &found, e) != 0)
        return -1;
    return wb_gen_exec_row(s, found > 0 ? STW_UPDATE : STW_INSERT, row, found > 0 ? "update" : "insert", NULL, e);
}

/* update-then-insert: statements UPDATE, INSERT. */
enum { UTI_UPDATE, UTI_INSERT, UTI_COUNT };

static int update_then_insert_sql(const wb_ctx *ctx, wb_conn *c, const wb_table *t, int which, wb_buf *out)
{
    if (which == UTI_UPDATE)
        wb_gen_update_sql(ctx, c, t, out);
    else
        wb_gen_insert_sql(ctx, c, t, NULL, 1, 0, out);
    return t->ncolumns;
}

static int update_then_insert_row(const wb_gen_stmts *s, const wb_row *row, wb_error *e)
{
    int64_t changed = 0;
    if (wb_gen_exec_row(s, UTI_UPDATE, row, "update", &changed, e) != 0)
        return -1;
    /* Both backends count matched rows, even when the new values equal the old ones,
     * so 0 really means "no row with this key". */
    if (changed > 0)
        return 0;
    return wb_gen_exec_row(s, UTI_INSERT, row, "insert", NULL, e);
}

/* on-conflict: one statement. */
static int on_conflict_sql(const wb_ctx *ctx, wb_conn *c, const wb_table *t, int which, wb_buf *out)
{
    (void)which;
    wb_gen_insert_sql(ctx, c, t, NULL, 1, 1, out);
    return t->ncolumns;
}

static int on_conflict_row(const wb_gen_stmts *s, const wb_row *row, wb_error *e)
{
    return wb_gen_exec_row(s, 0, row, "upsert", NULL, e);
}

static const wb_gen_row_writer select_then_write = {STW_COUNT, 0, select_then_write_sql, select_then_write_row};
static const wb_gen_row_writer update_then_insert = {UTI_COUNT, 0, update_then_insert_sql, update_then_insert_row};
static const wb_gen_row_writer on_conflict = {1, 0, on_conflict_sql, on_conflict_row};

/* Commit every --batch rows; no --batch: once per thread. */
static int64_t commit_every(const wb_ctx *ctx)
{
    return ctx->batch > 0 ? ctx->batch : WB_GEN_ONE_TX;
}

int wb_generic_select_then_write(wb_ctx *ctx)
{
    return wb_gen_write_rows(ctx, &select_then_write, commit_every(ctx));
}

int wb_generic_update_then_insert(wb_ctx *ctx)
{
    return wb_gen_write_rows(ctx, &update_then_insert, commit_every(ctx));
}

int wb_generic_on_conflict(wb_ctx *ctx)
{
    return wb_gen_write_rows(ctx, &on_conflict, commit_every(ctx));
}

/* SQLite upsert strategies that write one row per statement: select-then-write,
 * update-then-insert, on-conflict and replace. Each is a wb_sq_row_writer (its
 * statements per table and how it writes one row with them); wb_sq_write_rows
 * does the threads, the key ranges and the commits every --batch rows. */
#include "strategies/sqlite/common.h"
#include "strategies/sqlite/sqlite_strategies.h"

#include "backends/sqlite.h"

/* Append `UPDATE "t" SET "c1" = ?2, ... WHERE "id" = ?1`: numbered parameters in
 * column order, so wb_sq_bind_row binds a whole row to it from parameter 1. */
static void update_sql(wb_conn *c, const wb_table *t, wb_buf *out)
{
    wb_buf_puts(out, "UPDATE ");
    wb_sqlite_backend.table_name(c, t->name, out);
    wb_buf_puts(out, " SET ");
    /* A table of only its key still needs a SET list; rewriting the key to itself is a no-op. */
    int first = t->ncolumns > 1 ? 1 : 0;
    for (int i = first; i < t->ncolumns; i++)
        wb_buf_printf(out, "%s\"%s\" = ?%d", i > first ? ", " : "", t->columns[i].name, i + 1);
    wb_buf_printf(out, " WHERE \"%s\" = ?1", t->columns[0].name);
}

/* Append `SELECT 1 FROM "t" WHERE "id" = ?1`. */
static void exists_sql(wb_conn *c, const wb_table *t, wb_buf *out)
{
    wb_buf_puts(out, "SELECT 1 FROM ");
    wb_sqlite_backend.table_name(c, t->name, out);
    wb_buf_printf(out, " WHERE \"%s\" = ?1", t->columns[0].name);
}

/* Bind the whole row to st and run it. */
static int run_with_row(sqlite3 *db, sqlite3_stmt *st, const wb_row *row, wb_error *e)
{
    if (wb_sq_bind_row(db, st, 1, row, e) != 0)
        return -1;
    return wb_sq_step_done(db, st, e);
}

/* select-then-write: statements SELECT, UPDATE, INSERT. */
enum { STW_SELECT, STW_UPDATE, STW_INSERT, STW_COUNT };

static void select_then_write_sql(wb_conn *c, const wb_table *t, int which, wb_buf *out)
{
    if (which == STW_SELECT)
        exists_sql(c, t, out);
    else if (which == STW_UPDATE)
        update_sql(c, t, out);
    else
        wb_sq_insert_sql(c, t, "INSERT", 1, 0, out);
}

static int select_then_write_row(sqlite3 *db, sqlite3_stmt *const *stmts, const wb_row *row,
                                 const wb_ctx *ctx, wb_error *e)
{
    (void)ctx;
    sqlite3_stmt *select = stmts[STW_SELECT];
    if (sqlite3_bind_int64(select, 1, row->v[0].i64) != SQLITE_OK)
        return wb_sq_fail(e, db, "bind");
    int rc = sqlite3_step(select);
    sqlite3_reset(select);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return wb_sq_fail(e, db, "select");
    return run_with_row(db, stmts[rc == SQLITE_ROW ? STW_UPDATE : STW_INSERT], row, e);
}

/* update-then-insert: statements UPDATE, INSERT. */
enum { UTI_UPDATE, UTI_INSERT, UTI_COUNT };

static void update_then_insert_sql(wb_conn *c, const wb_table *t, int which, wb_buf *out)
{
    if (which == UTI_UPDATE)
        update_sql(c, t, out);
    else
        wb_sq_insert_sql(c, t, "INSERT", 1, 0, out);
}

static int update_then_insert_row(sqlite3 *db, sqlite3_stmt *const *stmts, const wb_row *row,
                                  const wb_ctx *ctx, wb_error *e)
{
    (void)ctx;
    if (run_with_row(db, stmts[UTI_UPDATE], row, e) != 0)
        return -1;
    /* sqlite3_changes counts matched rows, even when the new values equal the old ones,
     * so 0 really means "no row with this key". */
    if (sqlite3_changes(db) > 0)
        return 0;
    return run_with_row(db, stmts[UTI_INSERT], row, e);
}

/* on-conflict and replace: one statement; write_row is shared. */
static void on_conflict_sql(wb_conn *c, const wb_table *t, int which, wb_buf *out)
{
    (void)which;
    wb_sq_insert_sql(c, t, "INSERT", 1, 1, out);
}

static void replace_sql(wb_conn *c, const wb_table *t, int which, wb_buf *out)
{
    (void)which;
    wb_sq_insert_sql(c, t, "INSERT OR REPLACE", 1, 0, out);
}

static int single_statement_row(sqlite3 *db, sqlite3_stmt *const *stmts, const wb_row *row,
                                const wb_ctx *ctx, wb_error *e)
{
    (void)ctx;
    return run_with_row(db, stmts[0], row, e);
}

static const wb_sq_row_writer select_then_write = {STW_COUNT, select_then_write_sql, select_then_write_row};
static const wb_sq_row_writer update_then_insert = {UTI_COUNT, update_then_insert_sql, update_then_insert_row};
static const wb_sq_row_writer on_conflict = {1, on_conflict_sql, single_statement_row};
static const wb_sq_row_writer replace = {1, replace_sql, single_statement_row};

int wb_sqlite_select_then_write(wb_ctx *ctx)
{
    return wb_sq_write_rows(ctx, &select_then_write, ctx->batch);
}

int wb_sqlite_update_then_insert(wb_ctx *ctx)
{
    return wb_sq_write_rows(ctx, &update_then_insert, ctx->batch);
}

int wb_sqlite_on_conflict(wb_ctx *ctx)
{
    return wb_sq_write_rows(ctx, &on_conflict, ctx->batch);
}

int wb_sqlite_replace(wb_ctx *ctx)
{
    return wb_sq_write_rows(ctx, &replace, ctx->batch);
}

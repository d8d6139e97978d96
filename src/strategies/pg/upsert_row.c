/* PostgreSQL upsert strategies that write one row per statement: select-then-write,
 * update-then-insert and on-conflict. Each is a wb_pgs_row_writer (its prepared
 * statements per table and how it writes one row with them); wb_pgs_write_rows
 * does the threads, the key ranges and the commits every --batch rows. */
#include <string.h>

#include "strategies/pg/drive.h"
#include "strategies/pg/pg_strategies.h"

/* Append `UPDATE t SET "c1" = $2, ... WHERE "id" = $1`: parameters in column order,
 * so the whole row binds from $1. */
static void update_sql(const wb_ctx *ctx, wb_conn *c, const wb_table *t, wb_buf *out)
{
    wb_buf_puts(out, "UPDATE ");
    wb_pgs_table_name(ctx, c, t, out);
    wb_buf_puts(out, " SET ");
    /* A table of only its key still needs a SET list; rewriting the key to itself is a no-op. */
    int first = t->ncolumns > 1 ? 1 : 0;
    for (int i = first; i < t->ncolumns; i++)
        wb_buf_printf(out, "%s\"%s\" = $%d", i > first ? ", " : "", t->columns[i].name, i + 1);
    wb_buf_printf(out, " WHERE \"%s\" = $1", t->columns[0].name);
}

/* select-then-write: statements SELECT, UPDATE, INSERT. */
enum { STW_SELECT, STW_UPDATE, STW_INSERT, STW_COUNT };

static int select_then_write_sql(const wb_ctx *ctx, wb_conn *c, const wb_table *t, int which, wb_buf *out)
{
    if (which == STW_SELECT) {
        wb_buf_puts(out, "SELECT 1 FROM ");
        wb_pgs_table_name(ctx, c, t, out);
        wb_buf_printf(out, " WHERE \"%s\" = $1", t->columns[0].name);
        return 1;
    }
    if (which == STW_UPDATE)
        update_sql(ctx, c, t, out);
    else
        wb_pgs_insert_sql(ctx, c, t, 1, 0, out);
    return t->ncolumns;
}

static int select_then_write_row(PGconn *pg, const wb_pgs_stmt *stmts, const char *const *params,
                                 wb_error *e)
{
    PGresult *res = wb_pgs_stmt_run(pg, &stmts[STW_SELECT], params);
    if (PQresultStatus(res) != PGRES_TUPLES_OK)
        return wb_pgs_check(pg, res, PGRES_TUPLES_OK, "select", e);
    int exists = PQntuples(res) > 0;
    PQclear(res);
    return wb_pgs_stmt_exec(pg, &stmts[exists ? STW_UPDATE : STW_INSERT], params, PGRES_COMMAND_OK,
                            exists ? "update" : "insert", e);
}

/* update-then-insert: statements UPDATE, INSERT. */
enum { UTI_UPDATE, UTI_INSERT, UTI_COUNT };

static int update_then_insert_sql(const wb_ctx *ctx, wb_conn *c, const wb_table *t, int which, wb_buf *out)
{
    if (which == UTI_UPDATE)
        update_sql(ctx, c, t, out);
    else
        wb_pgs_insert_sql(ctx, c, t, 1, 0, out);
    return t->ncolumns;
}

static int update_then_insert_row(PGconn *pg, const wb_pgs_stmt *stmts, const char *const *params,
                                  wb_error *e)
{
    PGresult *res = wb_pgs_stmt_run(pg, &stmts[UTI_UPDATE], params);
    if (PQresultStatus(res) != PGRES_COMMAND_OK)
        return wb_pgs_check(pg, res, PGRES_COMMAND_OK, "update", e);
    /* PostgreSQL counts matched rows, even when the new values equal the old ones,
     * so "0" really means "no row with this key". */
    int updated = strcmp(PQcmdTuples(res), "0") != 0;
    PQclear(res);
    if (updated)
        return 0;
    return wb_pgs_stmt_exec(pg, &stmts[UTI_INSERT], params, PGRES_COMMAND_OK, "insert", e);
}

/* on-conflict: one statement. */
static int on_conflict_sql(const wb_ctx *ctx, wb_conn *c, const wb_table *t, int which, wb_buf *out)
{
    (void)which;
    wb_pgs_insert_sql(ctx, c, t, 1, 1, out);
    return t->ncolumns;
}

static int on_conflict_row(PGconn *pg, const wb_pgs_stmt *stmts, const char *const *params, wb_error *e)
{
    return wb_pgs_stmt_exec(pg, &stmts[0], params, PGRES_COMMAND_OK, "upsert", e);
}

static const wb_pgs_row_writer select_then_write = {STW_COUNT, 1, select_then_write_sql, select_then_write_row};
static const wb_pgs_row_writer update_then_insert = {UTI_COUNT, 1, update_then_insert_sql, update_then_insert_row};
static const wb_pgs_row_writer on_conflict = {1, 1, on_conflict_sql, on_conflict_row};

int wb_pg_select_then_write(wb_ctx *ctx)
{
    return wb_pgs_write_rows(ctx, &select_then_write, ctx->batch > 0 ? ctx->batch : WB_PGS_ONE_TX);
}

int wb_pg_update_then_insert(wb_ctx *ctx)
{
    return wb_pgs_write_rows(ctx, &update_then_insert, ctx->batch > 0 ? ctx->batch : WB_PGS_ONE_TX);
}

int wb_pg_on_conflict(wb_ctx *ctx)
{
    return wb_pgs_write_rows(ctx, &on_conflict, ctx->batch > 0 ? ctx->batch : WB_PGS_ONE_TX);
}

/* Helpers shared by the SQLite strategies (see common.h). */
#include "strategies/sqlite/common.h"

#include "backends/sqlite.h"

int wb_sq_fail(wb_error *e, sqlite3 *db, const char *what)
{
    return wb_fail(e, "%s: %s", what, db ? sqlite3_errmsg(db) : "no connection");
}

int wb_sq_exec(sqlite3 *db, const char *sql, wb_error *e)
{
    char *msg = NULL;
    if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK) {
        wb_fail(e, "%s: %s", sql, msg ? msg : sqlite3_errmsg(db));
        sqlite3_free(msg);
        return -1;
    }
    return 0;
}

int wb_sq_prepare(sqlite3 *db, const char *sql, sqlite3_stmt **out, wb_error *e)
{
    if (sqlite3_prepare_v3(db, sql, -1, SQLITE_PREPARE_PERSISTENT, out, NULL) != SQLITE_OK) {
        *out = NULL;
        return wb_sq_fail(e, db, "prepare");
    }
    return 0;
}

int wb_sq_bind_row(sqlite3 *db, sqlite3_stmt *st, int first_param, const wb_row *row, wb_error *e)
{
    for (int i = 0; i < row->ncolumns; i++) {
        const wb_value *v = &row->v[i];
        int p = first_param + i, rc;
        if (v->is_null)
            rc = sqlite3_bind_null(st, p);
        else if (v->text == NULL)
            rc = sqlite3_bind_int64(st, p, v->i64);
        else
            rc = sqlite3_bind_text(st, p, v->text, (int)v->len, SQLITE_STATIC);
        if (rc != SQLITE_OK)
            return wb_sq_fail(e, db, "bind");
    }
    return 0;
}

int wb_sq_step_done(sqlite3 *db, sqlite3_stmt *st, wb_error *e)
{
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    if (rc != SQLITE_DONE && rc != SQLITE_ROW)
        return wb_sq_fail(e, db, "step");
    return 0;
}

int wb_sq_begin(sqlite3 *db, wb_error *e)
{
    return wb_sq_exec(db, "BEGIN IMMEDIATE", e);
}

int wb_sq_commit(sqlite3 *db, wb_error *e)
{
    return wb_sq_exec(db, "COMMIT", e);
}

void wb_sq_insert_sql(wb_conn *c, const wb_table *t, const char *verb, int rows_per_statement,
                      int upsert, wb_buf *out)
{
    wb_buf_printf(out, "%s INTO ", verb);
    wb_sqlite_backend.table_name(c, t->name, out);
    wb_buf_puts(out, " (");
    for (int i = 0; i < t->ncolumns; i++)
        wb_buf_printf(out, "%s\"%s\"", i ? ", " : "", t->columns[i].name);
    wb_buf_puts(out, ") VALUES ");
    for (int r = 0; r < rows_per_statement; r++) {
        wb_buf_puts(out, r ? ", (" : "(");
        for (int i = 0; i < t->ncolumns; i++)
            wb_buf_puts(out, i ? ", ?" : "?");
        wb_buf_putc(out, ')');
    }
    if (upsert) {
        wb_buf_printf(out, " ON CONFLICT (\"%s\") DO UPDATE SET ", t->columns[0].name);
        for (int i = 1; i < t->ncolumns; i++)
            wb_buf_printf(out, "%s\"%s\" = excluded.\"%s\"", i > 1 ? ", " : "", t->columns[i].name,
                          t->columns[i].name);
    }
}

int wb_sq_rows_per_statement(sqlite3 *db, const wb_table *t, int64_t batch)
{
    int64_t limit = sqlite3_limit(db, SQLITE_LIMIT_VARIABLE_NUMBER, -1) / t->ncolumns;
    int64_t n = batch < limit ? batch : limit;
    return n < 1 ? 1 : (int)n;
}

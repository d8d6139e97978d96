/* The SQLite backend's statement layer (backend.h): a wb_stmt is one
 * sqlite3_stmt, prepared persistent (SQLITE_PREPARE_PERSISTENT) unless used once;
 * values are bound SQLITE_STATIC, so a row must outlive the step (the generic
 * strategies keep a batch's rows until it is executed); transactions are BEGIN
 * IMMEDIATE, so that a busy database is waited for by the busy handler at the
 * start instead of failing later with SQLITE_BUSY_SNAPSHOT. --echo needs nothing
 * here: the connection's trace callback (sqlite.c) sees every statement. */
#include <errno.h>
#include <stdlib.h>
#include <sys/resource.h>

#include "backends/sqlite_internal.h"
#include "util/storage_fault.h"

struct wb_stmt {
    sqlite3 *db;
    sqlite3_stmt *st;
};

/* Row values handed to a callback at once without allocating: plenty for any
 * statement writebench runs (workload tables, plans). */
#define STACK_COLUMNS 32

void wb_sqlite_note_storage_fault(sqlite3 *db)
{
    int ext = sqlite3_extended_errcode(db);
    if ((ext & 0xff) == SQLITE_FULL) {
        wb_storage_fault_note(ENOSPC);
        return;
    }
    if (ext != SQLITE_IOERR_WRITE && ext != SQLITE_IOERR_TRUNCATE && ext != SQLITE_IOERR_SHORT_READ &&
        ext != SQLITE_IOERR_FSYNC)
        return;
    int sys = sqlite3_system_errno(db);
    struct rlimit limit;
    /* SQLite reads errno after other calls have reset it (0 after a file-size limit's
     * EFBIG): a write error under a finite limit is taken as that limit */
    if (!sys && getrlimit(RLIMIT_FSIZE, &limit) == 0 && limit.rlim_cur != RLIM_INFINITY)
        sys = EFBIG;
    wb_storage_fault_note(sys);
}

/* Fill e with "<what>: <sqlite message>" and return -1. */
static int fail(wb_error *e, sqlite3 *db, const char *what)
{
    if (db)
        wb_sqlite_note_storage_fault(db); /* a full disk is not the strategy's */
    return wb_fail(e, "%s: %s", what, db ? sqlite3_errmsg(db) : "no connection");
}

/* Run a statement of no rows through sqlite3_exec; the error names the statement. */
static int exec_named(sqlite3 *db, const char *sql, wb_error *e)
{
    char *msg = NULL;
    if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK) {
        wb_sqlite_note_storage_fault(db);
        wb_fail(e, "%s: %s", sql, msg ? msg : sqlite3_errmsg(db));
        sqlite3_free(msg);
        return -1;
    }
    return 0;
}

int wb_sqlite_stmt_prepare(wb_conn *c, const char *sql, int nparams, unsigned flags, const char *name,
                           wb_stmt **out, wb_error *e)
{
    (void)nparams, (void)name; /* SQLite counts its parameters itself; statements have no names */
    *out = NULL;
    sqlite3 *db = wb_sqlite_db(c);
    sqlite3_stmt *st = NULL;
    int rc = flags & WB_STMT_ONCE ? sqlite3_prepare_v2(db, sql, -1, &st, NULL)
                                  : sqlite3_prepare_v3(db, sql, -1, SQLITE_PREPARE_PERSISTENT, &st, NULL);
    if (rc != SQLITE_OK) {
        sqlite3_finalize(st);
        return fail(e, db, "prepare");
    }
    wb_stmt *s = wb_xmalloc(sizeof *s);
    s->db = db;
    s->st = st;
    *out = s;
    return 0;
}

int wb_sqlite_stmt_bind(wb_stmt *s, int first, int n, const wb_bind_value *values, wb_error *e)
{
    sqlite3_stmt *st = s->st;
    for (int i = 0; i < n; i++) {
        const wb_bind_value *v = &values[i];
        int rc, p = first + i + 1;
        switch (v->type) {
        case WB_BIND_INT64:
        case WB_BIND_BOOL: rc = sqlite3_bind_int64(st, p, v->i64); break; /* a boolean is 0 or 1 */
        case WB_BIND_TEXT: rc = sqlite3_bind_text(st, p, v->text, (int)v->len, SQLITE_STATIC); break;
        case WB_BIND_DOUBLE: rc = sqlite3_bind_double(st, p, v->f64); break;
        /* never NULL for no bytes: an empty BLOB */
        case WB_BIND_BYTES: rc = sqlite3_bind_blob(st, p, v->len ? v->text : "", (int)v->len, SQLITE_STATIC); break;
        default: rc = sqlite3_bind_null(st, p); break;
        }
        if (rc != SQLITE_OK) {
            sqlite3_clear_bindings(st); /* nothing half-bound is left for a later step */
            return fail(e, s->db, "bind");
        }
    }
    return 0;
}

int wb_sqlite_stmt_exec(wb_stmt *s, const char *what, wb_row_fn fn, void *arg, int64_t *rows, wb_error *e)
{
    sqlite3_stmt *st = s->st;
    int64_t returned = 0;
    int rc, result = 0;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        returned++;
        if (!fn)
            continue;
        int ncols = sqlite3_column_count(st);
        const char *stack_names[STACK_COLUMNS], *stack_values[STACK_COLUMNS];
        const char **names = ncols <= STACK_COLUMNS ? stack_names : wb_xcalloc((size_t)ncols, sizeof *names);
        const char **values = ncols <= STACK_COLUMNS ? stack_values : wb_xcalloc((size_t)ncols, sizeof *values);
        for (int i = 0; i < ncols; i++) {
            names[i] = sqlite3_column_name(st, i);
            values[i] = (const char *)sqlite3_column_text(st, i); /* NULL for SQL NULL */
        }
        int stop = fn(arg, ncols, names, values);
        if (names != stack_names) {
            free(names);
            free(values);
        }
        if (stop) {
            rc = SQLITE_DONE;
            break;
        }
    }
    if (rc != SQLITE_DONE)
        result = fail(e, s->db, what); /* the message before reset, which may replace it */
    else if (rows)
        *rows = sqlite3_column_count(st) > 0 ? returned : (int64_t)sqlite3_changes(s->db);
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    return result;
}

void wb_sqlite_stmt_finalize(wb_stmt *s)
{
    if (!s)
        return;
    sqlite3_finalize(s->st);
    free(s);
}

int wb_sqlite_begin(wb_conn *c, wb_error *e)
{
    return exec_named(wb_sqlite_db(c), wb_sqlite_backend.dialect->begin_sql, e);
}

int wb_sqlite_commit(wb_conn *c, wb_error *e)
{
    return exec_named(wb_sqlite_db(c), wb_sqlite_backend.dialect->commit_sql, e);
}

void wb_sqlite_rollback(wb_conn *c)
{
    sqlite3 *db = wb_sqlite_db(c);
    if (db && !sqlite3_get_autocommit(db))
        sqlite3_exec(db, wb_sqlite_backend.dialect->rollback_sql, NULL, NULL, NULL);
}

int wb_sqlite_param_limit(wb_conn *c)
{
    /* Per connection: the library's limit, which a connection may lower (sqlite3_limit). */
    return sqlite3_limit(wb_sqlite_db(c), SQLITE_LIMIT_VARIABLE_NUMBER, -1);
}

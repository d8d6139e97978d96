/* The PostgreSQL backend's statement layer (backend.h). A wb_stmt is a statement
 * PQprepare'd once under a name unique in the process (named statements live as
 * long as the session, so names never repeat), or, used once, its text sent with
 * the execution (PQexecParams: parsed and planned by the server every time, as
 * an ORM without prepared statements does). Values travel as text: bound values
 * are copied into one growing arena per statement, a few dozen bytes a row rather
 * than the caller's whole row, so a multi-row statement of thousands of rows
 * holds only their values. Every statement is timed and echoed under --echo
 * (a PREPARE as "PREPARE AS <sql>", its name being new every time). */
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backends/echo.h"
#include "backends/pg_internal.h"
#include "util/clock.h"

struct wb_stmt {
    PGconn *pg;
    char name[64];     /* "" when not prepared on the server */
    bool caller_named; /* the name is the caller's: DEALLOCATE is echoed under it */
    char *sql;         /* owned */
    int nparams;
    wb_buf arena;      /* the bound values, each NUL-terminated */
    size_t *offsets;   /* per parameter: offset into arena, or SIZE_MAX for NULL */
    const char **values; /* per parameter, made just before the execution */
};

int wb_pg_fail(wb_error *e, PGconn *pg, const PGresult *res, const char *what)
{
    const char *msg = res ? PQresultErrorMessage(res) : NULL;
    if ((!msg || !*msg) && pg)
        msg = PQerrorMessage(pg);
    if ((!msg || !*msg) && res)
        msg = PQresStatus(PQresultStatus(res)); /* e.g. a SELECT where a command was expected */
    if (!msg || !*msg)
        msg = pg ? "unknown error" : "no connection";
    /* The server's message spans lines (ERROR, DETAIL, HINT; libpq indents with tabs):
     * keep it on one line, each run of line breaks and tabs one space. */
    char flat[sizeof e->msg];
    size_t n = 0;
    for (const char *p = msg; *p && n + 1 < sizeof flat; p++) {
        int blank = *p == '\n' || *p == '\r' || *p == '\t';
        if (!blank)
            flat[n++] = *p;
        else if (n > 0 && flat[n - 1] != ' ')
            flat[n++] = ' ';
    }
    while (n > 0 && flat[n - 1] == ' ')
        n--;
    flat[n] = '\0';
    return wb_fail(e, "%s: %s", what, flat);
}

PGresult *wb_pg_exec_echoed(PGconn *pg, const char *sql, const char *key)
{
    if (!wb_echo_active)
        return PQexec(pg, sql);
    int64_t start = wb_clock_ns();
    PGresult *res = PQexec(pg, sql);
    wb_echo_record(key ? key : sql, key ? sql : NULL, wb_clock_ns() - start);
    return res;
}

/* Run a command of no rows; the error is "<what>: <server message>". */
static int exec_command(PGconn *pg, const char *sql, const char *what, wb_error *e)
{
    PGresult *res = wb_pg_exec_echoed(pg, sql, NULL);
    int rc = 0;
    if (!res || PQresultStatus(res) != PGRES_COMMAND_OK)
        rc = wb_pg_fail(e, pg, res, what);
    PQclear(res);
    return rc;
}

int wb_pg_stmt_prepare(wb_conn *c, const char *sql, int nparams, unsigned flags, const char *name,
                       wb_stmt **out, wb_error *e)
{
    static _Atomic unsigned long next_statement = 1;
    *out = NULL;
    wb_stmt *s = wb_xcalloc(1, sizeof *s);
    s->pg = wb_pg_conn(c);
    s->sql = wb_xstrdup(sql);
    s->nparams = nparams;
    s->arena = (wb_buf)WB_BUF_INIT;
    int slots = nparams > 0 ? nparams : 1;
    s->offsets = wb_xmalloc((size_t)slots * sizeof *s->offsets);
    s->values = wb_xmalloc((size_t)slots * sizeof *s->values);
    for (int i = 0; i < slots; i++)
        s->offsets[i] = SIZE_MAX;
    if (!(flags & WB_STMT_ONCE)) {
        char chosen[sizeof s->name];
        if (name)
            snprintf(chosen, sizeof chosen, "%s", name);
        else
            snprintf(chosen, sizeof chosen, "wb_stmt_%lu", atomic_fetch_add(&next_statement, 1));
        int64_t start = wb_echo_active ? wb_clock_ns() : 0;
        PGresult *res = PQprepare(s->pg, chosen, sql, nparams, NULL);
        if (wb_echo_active) { /* keyed without the name, which is new every time */
            wb_buf key = WB_BUF_INIT;
            wb_buf_printf(&key, "PREPARE AS %s", sql);
            wb_echo_record(wb_buf_str(&key), NULL, wb_clock_ns() - start);
            wb_buf_free(&key);
        }
        int ok = res && PQresultStatus(res) == PGRES_COMMAND_OK;
        if (!ok)
            wb_pg_fail(e, s->pg, res, "prepare");
        PQclear(res);
        if (!ok) {
            wb_pg_stmt_finalize(s);
            return -1;
        }
        memcpy(s->name, chosen, sizeof chosen);
        s->caller_named = name != NULL;
    }
    *out = s;
    return 0;
}

int wb_pg_stmt_bind(wb_stmt *s, int first, int n, const wb_bind_value *values, wb_error *e)
{
    if (first < 0 || first + n > s->nparams)
        return wb_fail(e, "bind: parameters %d..%d of a statement of %d", first + 1, first + n, s->nparams);
    for (int i = 0; i < n; i++) {
        const wb_bind_value *v = &values[i];
        if (v->type == WB_BIND_NULL) {
            s->offsets[first + i] = SIZE_MAX;
            continue;
        }
        const char *text = v->text;
        size_t len = v->len;
        char number[32];
        s->offsets[first + i] = s->arena.len;
        if (v->type == WB_BIND_BYTES) {
            /* bytea's text form: \x and two hex digits a byte */
            static const char hex[] = "0123456789abcdef";
            wb_buf_reserve(&s->arena, 2 * len + 3);
            char *p = s->arena.data + s->arena.len;
            *p++ = '\\';
            *p++ = 'x';
            for (size_t k = 0; k < len; k++) {
                *p++ = hex[(unsigned char)text[k] >> 4];
                *p++ = hex[(unsigned char)text[k] & 15];
            }
            *p = '\0';
            s->arena.len = (size_t)(p - s->arena.data) + 1;
            continue;
        }
        if (!text && v->type == WB_BIND_INT64) {
            len = (size_t)snprintf(number, sizeof number, "%lld", (long long)v->i64);
            text = number;
        } else if (!text && v->type == WB_BIND_DOUBLE) {
            len = (size_t)snprintf(number, sizeof number, "%.17g", v->f64); /* round-trips exactly */
            text = number;
        } else if (!text && v->type == WB_BIND_BOOL) {
            text = v->i64 ? "true" : "false";
            len = strlen(text);
        }
        wb_buf_append(&s->arena, text, len);
        wb_buf_putc(&s->arena, '\0');
    }
    return 0;
}

/* Forget the bound values, keeping the arena's memory for the next execution. */
static void clear_bindings(wb_stmt *s)
{
    wb_buf_reset(&s->arena);
    for (int i = 0; i < s->nparams; i++)
        s->offsets[i] = SIZE_MAX;
}

int wb_pg_stmt_exec(wb_stmt *s, const char *what, wb_row_fn fn, void *arg, int64_t *rows, wb_error *e)
{
    /* Pointers are made only now: the arena may have moved while it grew. */
    for (int i = 0; i < s->nparams; i++)
        s->values[i] = s->offsets[i] == SIZE_MAX ? NULL : s->arena.data + s->offsets[i];
    int64_t start = wb_echo_active ? wb_clock_ns() : 0;
    PGresult *res = s->name[0] ? PQexecPrepared(s->pg, s->name, s->nparams, s->values, NULL, NULL, 0)
                               : PQexecParams(s->pg, s->sql, s->nparams, NULL, s->values, NULL, NULL, 0);
    if (wb_echo_active)
        wb_echo_record_params(s->sql, s->nparams, s->values, wb_clock_ns() - start);
    clear_bindings(s);
    ExecStatusType status = res ? PQresultStatus(res) : PGRES_FATAL_ERROR;
    int rc = 0;
    if (status == PGRES_COMMAND_OK) {
        if (rows)
            *rows = strtoll(PQcmdTuples(res), NULL, 10); /* matched rows, "" (0) for other commands */
    } else if (status == PGRES_TUPLES_OK) {
        int ntuples = PQntuples(res), ncols = PQnfields(res);
        if (rows)
            *rows = ntuples;
        if (fn && ntuples > 0) {
            const char **names = wb_xcalloc((size_t)(ncols > 0 ? ncols : 1), sizeof *names);
            const char **values = wb_xcalloc((size_t)(ncols > 0 ? ncols : 1), sizeof *values);
            for (int c = 0; c < ncols; c++)
                names[c] = PQfname(res, c);
            for (int r = 0; r < ntuples; r++) {
                for (int c = 0; c < ncols; c++)
                    values[c] = PQgetisnull(res, r, c) ? NULL : PQgetvalue(res, r, c);
                if (fn(arg, ncols, names, values) != 0)
                    break;
            }
            free(names);
            free(values);
        }
    } else {
        /* NULL means out of memory or a lost connection; the message is on the connection. */
        rc = wb_pg_fail(e, s->pg, res, what);
    }
    PQclear(res);
    return rc;
}

void wb_pg_stmt_finalize(wb_stmt *s)
{
    if (!s)
        return;
    /* DEALLOCATE fails inside an aborted transaction: after an error the caller rolls
     * back first; if it has not, the statement stays (its name is never reused). */
    PGconn *pg = s->pg;
    if (s->name[0] && pg && PQstatus(pg) == CONNECTION_OK && PQtransactionStatus(pg) != PQTRANS_INERROR) {
        char sql[96];
        if (s->caller_named) {
            snprintf(sql, sizeof sql, "DEALLOCATE %s", s->name);
            PQclear(wb_pg_exec_echoed(pg, sql, NULL));
        } else {
            snprintf(sql, sizeof sql, "DEALLOCATE \"%s\"", s->name);
            PQclear(wb_pg_exec_echoed(pg, sql, "DEALLOCATE (a prepared statement)"));
        }
    }
    wb_buf_free(&s->arena);
    free(s->offsets);
    free(s->values);
    free(s->sql);
    free(s);
}

const char *wb_pg_stmt_name(const wb_stmt *s)
{
    return s->name;
}

int wb_pg_begin(wb_conn *c, wb_error *e)
{
    return exec_command(wb_pg_conn(c), wb_postgres_backend.dialect->begin_sql, "begin", e);
}

int wb_pg_commit(wb_conn *c, wb_error *e)
{
    return exec_command(wb_pg_conn(c), wb_postgres_backend.dialect->commit_sql, "commit", e);
}

void wb_pg_rollback(wb_conn *c)
{
    PGconn *pg = wb_pg_conn(c);
    if (pg && PQtransactionStatus(pg) != PQTRANS_IDLE && PQtransactionStatus(pg) != PQTRANS_UNKNOWN)
        PQclear(wb_pg_exec_echoed(pg, wb_postgres_backend.dialect->rollback_sql, NULL));
}

int wb_pg_param_limit(wb_conn *c)
{
    (void)c;
    return wb_postgres_backend.dialect->max_params;
}

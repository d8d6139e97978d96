/* Helpers shared by the PostgreSQL strategies (see common.h). */
#include "strategies/pg/common.h"

#include "backends/echo.h"
#include "util/clock.h"

#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backends/postgres.h"

/* --- results and errors --- */

int wb_pgs_fail(wb_error *e, PGconn *pg, const PGresult *res, const char *what)
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

int wb_pgs_check(PGconn *pg, PGresult *res, ExecStatusType expected, const char *what, wb_error *e)
{
    int rc = 0;
    if (!res || PQresultStatus(res) != expected)
        rc = wb_pgs_fail(e, pg, res, what);
    PQclear(res);
    return rc;
}

/* PQexec, timed and echoed under --echo (one test of a flag when off). */
static PGresult *echo_exec(PGconn *pg, const char *sql, const char *key)
{
    if (!wb_echo_active)
        return PQexec(pg, sql);
    int64_t start = wb_clock_ns();
    PGresult *res = PQexec(pg, sql);
    wb_echo_record(key ? key : sql, key ? sql : NULL, wb_clock_ns() - start);
    return res;
}

int wb_pgs_exec(PGconn *pg, const char *sql, const char *what, wb_error *e)
{
    return wb_pgs_check(pg, echo_exec(pg, sql, NULL), PGRES_COMMAND_OK, what, e);
}

int wb_pgs_begin(PGconn *pg, wb_error *e)
{
    return wb_pgs_exec(pg, "BEGIN", "begin", e);
}

int wb_pgs_commit(PGconn *pg, wb_error *e)
{
    return wb_pgs_exec(pg, "COMMIT", "commit", e);
}

void wb_pgs_rollback(PGconn *pg)
{
    if (pg && PQtransactionStatus(pg) != PQTRANS_IDLE && PQtransactionStatus(pg) != PQTRANS_UNKNOWN)
        PQclear(echo_exec(pg, "ROLLBACK", NULL));
}

/* --- statements --- */

int wb_pgs_stmt_init(wb_pgs_stmt *st, PGconn *pg, const char *sql, int nparams, int prepare,
                     wb_error *e)
{
    static _Atomic unsigned long next_statement = 1;
    st->name[0] = '\0';
    st->sql = wb_xstrdup(sql);
    st->nparams = nparams;
    if (!prepare)
        return 0;
    unsigned long id = atomic_fetch_add(&next_statement, 1);
    char name[sizeof st->name];
    snprintf(name, sizeof name, "wb_stmt_%lu", id);
    int64_t start = wb_echo_active ? wb_clock_ns() : 0;
    PGresult *res = PQprepare(pg, name, sql, nparams, NULL);
    if (wb_echo_active) { /* keyed without the name, which is new every time */
        wb_buf key = WB_BUF_INIT;
        wb_buf_printf(&key, "PREPARE AS %s", sql);
        wb_echo_record(wb_buf_str(&key), NULL, wb_clock_ns() - start);
        wb_buf_free(&key);
    }
    if (wb_pgs_check(pg, res, PGRES_COMMAND_OK, "prepare", e) != 0)
        return -1;
    memcpy(st->name, name, sizeof name);
    return 0;
}

PGresult *wb_pgs_stmt_run(PGconn *pg, const wb_pgs_stmt *st, const char *const *values)
{
    int64_t start = wb_echo_active ? wb_clock_ns() : 0;
    PGresult *res = st->name[0]
                        ? PQexecPrepared(pg, st->name, st->nparams, values, NULL, NULL, 0)
                        : PQexecParams(pg, st->sql, st->nparams, NULL, values, NULL, NULL, 0);
    if (wb_echo_active)
        wb_echo_record_params(st->sql, st->nparams, values, wb_clock_ns() - start);
    /* NULL means out of memory or a lost connection; the message is on the connection. */
    return res ? res : PQmakeEmptyPGresult(pg, PGRES_FATAL_ERROR);
}

int wb_pgs_stmt_exec(PGconn *pg, const wb_pgs_stmt *st, const char *const *values,
                     ExecStatusType expected, const char *what, wb_error *e)
{
    return wb_pgs_check(pg, wb_pgs_stmt_run(pg, st, values), expected, what, e);
}

void wb_pgs_stmt_free(wb_pgs_stmt *st, PGconn *pg)
{
    /* DEALLOCATE fails inside an aborted transaction: after an error the caller rolls
     * back first; if it has not, the statement stays (its name is never reused). */
    if (st->name[0] && pg && PQstatus(pg) == CONNECTION_OK && PQtransactionStatus(pg) != PQTRANS_INERROR) {
        char sql[64];
        snprintf(sql, sizeof sql, "DEALLOCATE \"%s\"", st->name);
        PQclear(echo_exec(pg, sql, "DEALLOCATE (a prepared statement)"));
    }
    free(st->sql);
    st->sql = NULL;
    st->name[0] = '\0';
}

/* --- SQL text --- */

const char *wb_pgs_cast_type(wb_type type)
{
    static const char *const cast_types[] = {
        [WB_TYPE_INT64] = "bigint",
        [WB_TYPE_TEXT] = "text",
        [WB_TYPE_DECIMAL] = "numeric",
    };
    return cast_types[type];
}

void wb_pgs_table_name(const wb_ctx *ctx, wb_conn *c, const wb_table *t, wb_buf *out)
{
    ctx->backend->table_name(c, t->name, out);
}

void wb_pgs_column_list(const wb_table *t, const char *prefix, wb_buf *out)
{
    for (int i = 0; i < t->ncolumns; i++)
        wb_buf_printf(out, "%s%s\"%s\"", i ? ", " : "", prefix, t->columns[i].name);
}

void wb_pgs_set_list(const wb_table *t, const char *source, wb_buf *out)
{
    int first = t->ncolumns > 1 ? 1 : 0;
    for (int i = first; i < t->ncolumns; i++)
        wb_buf_printf(out, "%s\"%s\" = %s.\"%s\"", i > first ? ", " : "", t->columns[i].name, source,
                      t->columns[i].name);
}

void wb_pgs_values_rows(const wb_table *t, int rows, int cast, wb_buf *out)
{
    int param = 1;
    for (int r = 0; r < rows; r++) {
        wb_buf_puts(out, r ? ", (" : "(");
        for (int i = 0; i < t->ncolumns; i++, param++) {
            wb_buf_printf(out, "%s$%d", i ? ", " : "", param);
            if (cast)
                wb_buf_printf(out, "::%s", wb_pgs_cast_type(t->columns[i].type));
        }
        wb_buf_putc(out, ')');
    }
}

void wb_pgs_insert_sql(const wb_ctx *ctx, wb_conn *c, const wb_table *t, int rows, int upsert,
                       wb_buf *out)
{
    wb_buf_puts(out, "INSERT INTO ");
    wb_pgs_table_name(ctx, c, t, out);
    wb_buf_puts(out, " (");
    wb_pgs_column_list(t, "", out);
    /* INSERT gives parameters its target columns' types: no casts needed */
    wb_buf_puts(out, ") VALUES ");
    wb_pgs_values_rows(t, rows, 0, out);
    if (upsert) {
        wb_buf_printf(out, " ON CONFLICT (\"%s\") DO UPDATE SET ", t->columns[0].name);
        wb_pgs_set_list(t, "EXCLUDED", out);
    }
}

int wb_pgs_rows_per_statement(const wb_table *t, int64_t batch)
{
    int64_t limit = WB_PGS_MAX_PARAMS / t->ncolumns;
    int64_t n = batch > 0 && batch < limit ? batch : limit;
    return n < 1 ? 1 : (int)n;
}

/* --- rows as text-format parameters --- */

/* wb_format_int64 lives with the generator (workloads/gen_internal.h), private to it. */
static const char *format_number(int64_t v, char *scratch)
{
    snprintf(scratch, 24, "%lld", (long long)v);
    return scratch;
}

const char *wb_pgs_value_text(const wb_value *v, char *scratch)
{
    return v->text ? v->text : format_number(v->i64, scratch);
}

void wb_pgs_row_params_of(const wb_row *row, wb_pgs_row_params *out)
{
    for (int i = 0; i < row->ncolumns; i++)
        out->values[i] = row->v[i].is_null ? NULL : wb_pgs_value_text(&row->v[i], out->scratch[i]);
}

void wb_pgs_params_init(wb_pgs_params *p, int capacity)
{
    p->arena = (wb_buf)WB_BUF_INIT;
    p->offsets = wb_xmalloc((size_t)capacity * sizeof *p->offsets);
    p->values = wb_xmalloc((size_t)capacity * sizeof *p->values);
    p->count = 0;
    p->capacity = capacity;
}

void wb_pgs_params_reset(wb_pgs_params *p)
{
    wb_buf_reset(&p->arena);
    p->count = 0;
}

void wb_pgs_params_add_row(wb_pgs_params *p, const wb_row *row)
{
    char scratch[24];
    for (int i = 0; i < row->ncolumns && p->count < p->capacity; i++) {
        const wb_value *v = &row->v[i];
        if (v->is_null) {
            p->offsets[p->count++] = SIZE_MAX;
            continue;
        }
        const char *text = wb_pgs_value_text(v, scratch);
        p->offsets[p->count++] = p->arena.len;
        wb_buf_append(&p->arena, text, v->text ? v->len : strlen(text));
        wb_buf_putc(&p->arena, '\0');
    }
}

const char *const *wb_pgs_params_values(wb_pgs_params *p)
{
    /* Pointers are made only now: the arena may have moved while it grew. */
    for (int i = 0; i < p->count; i++)
        p->values[i] = p->offsets[i] == SIZE_MAX ? NULL : p->arena.data + p->offsets[i];
    return p->values;
}

void wb_pgs_params_free(wb_pgs_params *p)
{
    wb_buf_free(&p->arena);
    free(p->offsets);
    free(p->values);
    p->offsets = NULL;
    p->values = NULL;
    p->count = p->capacity = 0;
}

/* --- capabilities --- */

void wb_pgs_format_version(int version_num, char *out, size_t n)
{
    /* From PostgreSQL 10 on, the number is major * 10000 + minor; before, three parts. */
    if (version_num >= 100000)
        snprintf(out, n, "%d.%d", version_num / 10000, version_num % 10000);
    else
        snprintf(out, n, "%d.%d.%d", version_num / 10000, version_num / 100 % 100, version_num % 100);
}

int wb_pgs_require_merge(wb_ctx *ctx)
{
    const wb_pg_caps *caps = wb_pg_caps_of(ctx->conns[0]);
    if (caps && caps->has_merge && caps->server_version_num >= 150000)
        return 0;
    char version[32] = "unknown";
    if (caps)
        wb_pgs_format_version(caps->server_version_num, version, sizeof version);
    wb_fail(ctx->error, "MERGE needs PostgreSQL 15 or later; the server is %s", version);
    return WB_SKIP;
}

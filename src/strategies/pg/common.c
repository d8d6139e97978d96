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
    return wb_pg_fail(e, pg, res, what);
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
    return wb_pg_exec_echoed(pg, sql, key);
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

void wb_pgs_bytes_text(const char *bytes, size_t len, wb_buf *out)
{
    static const char hex[] = "0123456789abcdef";
    wb_buf_reserve(out, 2 * len + 3);
    char *p = out->data + out->len;
    *p++ = '\\';
    *p++ = 'x';
    for (size_t i = 0; i < len; i++) {
        *p++ = hex[(unsigned char)bytes[i] >> 4];
        *p++ = hex[(unsigned char)bytes[i] & 15];
    }
    out->len = (size_t)(p - out->data);
    out->data[out->len] = '\0';
}

void wb_pgs_row_params_of(const wb_row *row, wb_pgs_row_params *out)
{
    if (row->ncolumns > out->cap) {
        out->values = wb_xrealloc(out->values, (size_t)row->ncolumns * sizeof *out->values);
        out->cap = row->ncolumns;
    }
    wb_buf_reset(&out->arena);
    /* bytes are written as text into the arena: their offsets first (stored in the
     * pointers as 1 + offset), the pointers once the arena has stopped moving */
    int in_arena = 0;
    for (int i = 0; i < row->ncolumns; i++) {
        const wb_value *v = &row->v[i];
        if (v->is_null || (v->text && v->type != WB_TYPE_BYTES)) {
            out->values[i] = v->is_null ? NULL : v->text;
            continue;
        }
        out->values[i] = (const char *)(uintptr_t)(out->arena.len + 1);
        if (v->type == WB_TYPE_BYTES)
            wb_pgs_bytes_text(v->text, v->len, &out->arena);
        else
            wb_buf_printf(&out->arena, "%lld", (long long)v->i64);
        wb_buf_putc(&out->arena, '\0');
        in_arena |= 1;
    }
    for (int i = 0; in_arena && i < row->ncolumns; i++) {
        const wb_value *v = &row->v[i];
        if (!v->is_null && (!v->text || v->type == WB_TYPE_BYTES))
            out->values[i] = out->arena.data + ((uintptr_t)out->values[i] - 1);
    }
}

void wb_pgs_row_params_free(wb_pgs_row_params *p)
{
    free(p->values);
    wb_buf_free(&p->arena);
    *p = (wb_pgs_row_params)WB_PGS_ROW_PARAMS_INIT;
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

/* COPY FROM STDIN encoders and stream (see copy_stream.h). */
#include "strategies/pg/copy_stream.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "strategies/generic/generic.h"
#include "strategies/pg/common.h"
#include "backends/echo.h"
#include "util/clock.h"

#include "backends/postgres.h"

/* Chunk handed to PQputCopyData: large enough that the call overhead vanishes, small
 * enough that client memory stays flat however many rows are loaded. */
#define COPY_CHUNK_BYTES (64 * 1024)

/* --- text format --- */

/* The escape letter of each byte that must not appear raw in a COPY text field
 * (0: copy the byte as it is). Other bytes, multi-byte UTF-8 included, are literal. */
static const char text_escapes[256] = {
    ['\\'] = '\\', ['\t'] = 't', ['\n'] = 'n', ['\r'] = 'r',
};

/* Append the escaped value; at most twice its length. */
static void put_text_field(wb_buf *out, const char *s, size_t len)
{
    wb_buf_reserve(out, 2 * len + 1);
    char *p = out->data + out->len;
    for (size_t i = 0; i < len; i++) {
        char escape = text_escapes[(unsigned char)s[i]];
        if (escape) {
            *p++ = '\\';
            *p++ = escape;
        } else {
            *p++ = s[i];
        }
    }
    out->len = (size_t)(p - out->data);
    out->data[out->len] = '\0';
}

void wb_pgs_copy_text_row(const wb_row *row, wb_buf *out)
{
    char scratch[24];
    for (int i = 0; i < row->ncolumns; i++) {
        const wb_value *v = &row->v[i];
        if (i)
            wb_buf_putc(out, '\t');
        if (v->is_null) {
            wb_buf_append(out, "\\N", 2);
        } else {
            const char *text = wb_pgs_value_text(v, scratch);
            put_text_field(out, text, v->text ? v->len : strlen(text));
        }
    }
    wb_buf_putc(out, '\n');
}

/* --- binary format --- */

static void put_u16(wb_buf *out, uint16_t v)
{
    unsigned char b[2] = {(unsigned char)(v >> 8), (unsigned char)v};
    wb_buf_append(out, b, 2);
}

static void put_u32(wb_buf *out, uint32_t v)
{
    unsigned char b[4] = {(unsigned char)(v >> 24), (unsigned char)(v >> 16), (unsigned char)(v >> 8),
                          (unsigned char)v};
    wb_buf_append(out, b, 4);
}

static void put_u64(wb_buf *out, uint64_t v)
{
    put_u32(out, (uint32_t)(v >> 32));
    put_u32(out, (uint32_t)v);
}

void wb_pgs_copy_binary_header(wb_buf *out)
{
    static const unsigned char signature[11] = {'P', 'G', 'C', 'O', 'P', 'Y', '\n', 0xff, '\r', '\n', 0};
    wb_buf_append(out, signature, sizeof signature);
    put_u32(out, 0); /* flags: no OIDs */
    put_u32(out, 0); /* header extension length */
}

void wb_pgs_copy_binary_trailer(wb_buf *out)
{
    put_u16(out, 0xffff);
}

/* numeric's sign words (PostgreSQL's NUMERIC_POS and NUMERIC_NEG) */
#define NUMERIC_POS 0x0000
#define NUMERIC_NEG 0x4000

static void write_u16(unsigned char *p, uint16_t v)
{
    p[0] = (unsigned char)(v >> 8);
    p[1] = (unsigned char)v;
}

size_t wb_pgs_numeric_binary(int64_t hundredths, unsigned char *out)
{
    uint64_t magnitude = hundredths < 0 ? (uint64_t)0 - (uint64_t)hundredths : (uint64_t)hundredths;
    uint64_t whole = magnitude / 100;
    uint16_t fraction = (uint16_t)(magnitude % 100);

    /* Base-10000 digits, least significant first while splitting the whole part;
     * an int64 of hundredths has at most 17 whole decimal digits: 5 groups. */
    uint16_t whole_digits[5];
    int nwhole = 0;
    for (; whole > 0; whole /= 10000)
        whole_digits[nwhole++] = (uint16_t)(whole % 10000);

    uint16_t digits[6];
    int ndigits = 0;
    for (int i = nwhole - 1; i >= 0; i--)
        digits[ndigits++] = whole_digits[i];
    /* Two decimal places are the first four of the first fractional digit: .05 -> 0500. */
    digits[ndigits++] = (uint16_t)(fraction * 100);
    int weight = nwhole - 1; /* the power of 10000 of the first digit */

    /* No trailing zero digits (100.00 is one digit, 100, weight 0); the first whole
     * digit is never 0, and a value below 1 starts at its fraction (weight -1). */
    while (ndigits > 0 && digits[ndigits - 1] == 0)
        ndigits--;
    uint16_t sign = hundredths < 0 ? NUMERIC_NEG : NUMERIC_POS;
    if (ndigits == 0) {
        weight = 0; /* zero, as the server writes it: no digits, weight 0, never negative */
        sign = NUMERIC_POS;
    }

    write_u16(out, (uint16_t)ndigits);
    write_u16(out + 2, (uint16_t)(int16_t)weight);
    write_u16(out + 4, sign);
    write_u16(out + 6, 2); /* dscale: digits after the point, as in numeric(10,2) */
    for (int i = 0; i < ndigits; i++)
        write_u16(out + 8 + 2 * i, digits[i]);
    return 8 + 2 * (size_t)ndigits;
}

void wb_pgs_copy_binary_row(const wb_table *t, const wb_row *row, wb_buf *out)
{
    unsigned char numeric[WB_PGS_NUMERIC_MAX_BYTES];
    put_u16(out, (uint16_t)row->ncolumns);
    for (int i = 0; i < row->ncolumns; i++) {
        const wb_value *v = &row->v[i];
        if (v->is_null) {
            put_u32(out, 0xffffffffu);
            continue;
        }
        switch (t->columns[i].type) {
        case WB_TYPE_INT64:
            put_u32(out, 8);
            put_u64(out, (uint64_t)v->i64);
            break;
        case WB_TYPE_TEXT:
            put_u32(out, (uint32_t)v->len);
            wb_buf_append(out, v->text, v->len);
            break;
        case WB_TYPE_DECIMAL: {
            size_t n = wb_pgs_numeric_binary(v->i64, numeric);
            put_u32(out, (uint32_t)n);
            wb_buf_append(out, numeric, n);
            break;
        }
        }
    }
}

/* --- the stream --- */

/* Hand the buffered bytes to libpq and empty the buffer. */
static int send_chunk(PGconn *pg, wb_buf *chunk, wb_error *e)
{
    if (chunk->len == 0)
        return 0;
    if (PQputCopyData(pg, chunk->data, (int)chunk->len) != 1)
        return wb_pgs_fail(e, pg, NULL, "copy data");
    wb_buf_reset(chunk);
    return 0;
}

/* End the COPY (aborting it when failed is set) and read its outcome. After a failed
 * send, the server's own error (a constraint, a lost connection) explains more than
 * libpq's "no COPY in progress", so it replaces the message; the error our abort
 * itself provokes explains nothing and never does. */
static int finish_copy(PGconn *pg, int failed, wb_error *e)
{
    static const char abort_reason[] = "writebench stopped the copy after an error";
    int rc = failed ? -1 : 0, replaced = 0;
    if (PQputCopyEnd(pg, failed ? abort_reason : NULL) != 1 && rc == 0)
        rc = wb_pgs_fail(e, pg, NULL, "copy end");
    PGresult *res;
    while ((res = PQgetResult(pg)) != NULL) {
        ExecStatusType status = PQresultStatus(res);
        if (status != PGRES_COMMAND_OK && !replaced &&
            (rc == 0 || (failed && !strstr(PQresultErrorMessage(res), abort_reason)))) {
            rc = wb_pgs_fail(e, pg, res, "copy");
            replaced = 1;
        }
        PQclear(res);
        if (status == PGRES_COPY_IN)
            break; /* the end could not be sent: the connection is unusable, stop reading */
    }
    return rc;
}

int wb_pgs_copy_range(wb_ctx *ctx, PGconn *pg, const char *target, const wb_table *t,
                      int64_t first_key, int64_t last_key, wb_pgs_copy_format fmt, wb_error *e)
{
    wb_buf sql = WB_BUF_INIT;
    wb_buf_printf(&sql, "COPY %s (", target);
    wb_gen_column_list(t, "", &sql);
    wb_buf_puts(&sql, fmt == WB_PGS_COPY_BINARY ? ") FROM STDIN (FORMAT binary)" : ") FROM STDIN");
    int64_t echo_start = wb_echo_active ? wb_clock_ns() : 0; /* --echo: one entry per COPY */
    PGresult *res = PQexec(pg, wb_buf_str(&sql));
    if (wb_pgs_check(pg, res, PGRES_COPY_IN, "copy", e) != 0) {
        wb_buf_free(&sql);
        return -1;
    }

    wb_buf chunk = WB_BUF_INIT;
    wb_buf_reserve(&chunk, 2 * COPY_CHUNK_BYTES);
    if (fmt == WB_PGS_COPY_BINARY)
        wb_pgs_copy_binary_header(&chunk);
    wb_row row = WB_ROW_INIT;
    int64_t rows_in_chunk = 0;
    int rc = 0;
    for (int64_t key = first_key; key <= last_key && rc == 0; key++) {
        wb_row_make(t, key, ctx->version, &row);
        if (fmt == WB_PGS_COPY_BINARY)
            wb_pgs_copy_binary_row(t, &row, &chunk);
        else
            wb_pgs_copy_text_row(&row, &chunk);
        rows_in_chunk++;
        if (chunk.len >= COPY_CHUNK_BYTES) {
            rc = send_chunk(pg, &chunk, e);
            if (rc == 0)
                wb_ctx_rows_done(ctx, rows_in_chunk);
            rows_in_chunk = 0;
        }
    }
    if (rc == 0 && fmt == WB_PGS_COPY_BINARY)
        wb_pgs_copy_binary_trailer(&chunk);
    if (rc == 0)
        rc = send_chunk(pg, &chunk, e);
    wb_buf_free(&chunk);
    wb_row_free(&row);
    int finished = finish_copy(pg, rc != 0, e);
    if (wb_echo_active) {
        size_t key_len = sql.len;
        wb_buf_printf(&sql, "  -- %lld rows", (long long)(last_key - first_key + 1));
        char *shown = wb_xstrdup(wb_buf_str(&sql));
        sql.data[key_len] = '\0';
        wb_echo_record(sql.data, shown, wb_clock_ns() - echo_start);
        free(shown);
    }
    wb_buf_free(&sql);
    if (finished != 0)
        return -1;
    wb_ctx_rows_done(ctx, rows_in_chunk);
    return 0;
}

/* One thread of wb_pgs_copy_workload. */
static int copy_thread(wb_ctx *ctx, int thread, wb_conn *conn, int64_t first_key, int64_t last_key,
                       void *arg, wb_error *e)
{
    (void)thread;
    if (first_key > last_key)
        return 0;
    wb_pgs_copy_format fmt = *(const wb_pgs_copy_format *)arg;
    PGconn *pg = wb_pg_conn(conn);
    wb_buf name = WB_BUF_INIT;
    int rc = wb_pgs_begin(pg, e);
    for (int t = 0; t < ctx->workload->ntables && rc == 0; t++) {
        const wb_table *table = &ctx->workload->tables[t];
        wb_buf_reset(&name);
        ctx->backend->table_name(conn, table->name, &name);
        if ((rc = wb_pgs_copy_range(ctx, pg, wb_buf_str(&name), table, first_key, last_key, fmt, e)) != 0)
            wb_fail_prefix(e, "%s: ", table->name);
    }
    if (rc == 0)
        rc = wb_pgs_commit(pg, e);
    if (rc != 0)
        wb_pgs_rollback(pg);
    wb_buf_free(&name);
    return rc;
}

int wb_pgs_copy_workload(wb_ctx *ctx, wb_pgs_copy_format fmt)
{
    return wb_run_threads(ctx, copy_thread, &fmt);
}

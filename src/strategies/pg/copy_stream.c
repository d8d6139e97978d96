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

/* Append bytes as bytea's text form escaped for COPY: \\x and two hex digits a byte. */
static void put_bytes_field(wb_buf *out, const char *s, size_t len)
{
    static const char hex[] = "0123456789abcdef";
    wb_buf_reserve(out, 2 * len + 4);
    char *p = out->data + out->len;
    *p++ = '\\';
    *p++ = '\\';
    *p++ = 'x';
    for (size_t i = 0; i < len; i++) {
        unsigned char b = (unsigned char)s[i];
        *p++ = hex[b >> 4];
        *p++ = hex[b & 15];
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
        } else if (v->type == WB_TYPE_BYTES) {
            put_bytes_field(out, v->text, v->len);
        } else {
            /* every other type's canonical text is what the server reads; json's
             * escapes are backslashes, escaped here like any other */
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

size_t wb_pgs_numeric_binary(int64_t units, int scale, unsigned char *out)
{
    /* the decimal digits of the magnitude, then aligned on the point in groups of four */
    uint64_t magnitude = units < 0 ? (uint64_t)0 - (uint64_t)units : (uint64_t)units;
    char digits[24];
    int n = 0;
    for (uint64_t m = magnitude; m > 0; m /= 10)
        digits[n++] = (char)('0' + m % 10);
    for (int i = 0; i < n / 2; i++) { /* most significant first */
        char c = digits[i];
        digits[i] = digits[n - 1 - i];
        digits[n - 1 - i] = c;
    }
    int whole = n - scale; /* digits before the point (<= 0: none) */
    int whole_groups = whole > 0 ? (whole + 3) / 4 : 0;
    int frac_groups = (scale + 3) / 4;
    /* the digit at position i counted from the left of the first whole group */
    int first = whole_groups * 4 - whole; /* leading zero digits of the first group */
    uint16_t groups[24];
    int ngroups = whole_groups + frac_groups;
    for (int g = 0; g < ngroups; g++) {
        uint16_t v = 0;
        for (int k = 0; k < 4; k++) {
            int pos = g * 4 + k - first; /* index into digits[] */
            v = (uint16_t)(v * 10 + (pos >= 0 && pos < n ? digits[pos] - '0' : 0));
        }
        groups[g] = v;
    }
    int weight = whole_groups - 1; /* the power of 10000 of groups[0] */
    int start = 0, end = ngroups;
    while (start < end && groups[start] == 0) { /* leading zero groups: 0.0005 starts at weight -1 */
        start++;
        weight--;
    }
    while (end > start && groups[end - 1] == 0) /* no trailing zero groups: 100.00 is one */
        end--;
    uint16_t sign = units < 0 ? NUMERIC_NEG : NUMERIC_POS;
    if (end == start) {
        weight = 0; /* zero, as the server writes it: no digits, weight 0, never negative */
        sign = NUMERIC_POS;
    }
    write_u16(out, (uint16_t)(end - start));
    write_u16(out + 2, (uint16_t)(int16_t)weight);
    write_u16(out + 4, sign);
    write_u16(out + 6, (uint16_t)scale); /* dscale: digits after the point */
    for (int g = start; g < end; g++)
        write_u16(out + 8 + 2 * (g - start), groups[g]);
    return 8 + 2 * (size_t)(end - start);
}

/* Days from 1970-01-01 to 2000-01-01, PostgreSQL's epoch for dates and timestamps. */
#define PG_EPOCH_DAYS 10957
#define PG_EPOCH_SECONDS (PG_EPOCH_DAYS * 86400LL)

/* One non-NULL value in the binary format of its column's SQL type: the length,
 * then the bytes. */
typedef void (*binary_encoder)(const wb_column *c, const wb_value *v, wb_buf *out);

static void binary_int2(const wb_column *c, const wb_value *v, wb_buf *out)
{
    (void)c;
    put_u32(out, 2);
    put_u16(out, (uint16_t)(int16_t)v->i64);
}

static void binary_int4(const wb_column *c, const wb_value *v, wb_buf *out)
{
    (void)c;
    put_u32(out, 4);
    put_u32(out, (uint32_t)(int32_t)v->i64);
}

static void binary_int8(const wb_column *c, const wb_value *v, wb_buf *out)
{
    (void)c;
    put_u32(out, 8);
    put_u64(out, (uint64_t)v->i64);
}

/* text, varchar, char (already blank-padded), json: the UTF-8 bytes; bytea: the bytes */
static void binary_bytes(const wb_column *c, const wb_value *v, wb_buf *out)
{
    (void)c;
    put_u32(out, (uint32_t)v->len);
    wb_buf_append(out, v->text, v->len);
}

/* jsonb: its format version (1), then the text */
static void binary_jsonb(const wb_column *c, const wb_value *v, wb_buf *out)
{
    (void)c;
    put_u32(out, (uint32_t)v->len + 1);
    wb_buf_putc(out, 1);
    wb_buf_append(out, v->text, v->len);
}

static void binary_numeric(const wb_column *c, const wb_value *v, wb_buf *out)
{
    (void)c;
    unsigned char numeric[WB_PGS_NUMERIC_MAX_BYTES];
    size_t n = wb_pgs_numeric_binary(v->i64, v->scale, numeric);
    put_u32(out, (uint32_t)n);
    wb_buf_append(out, numeric, n);
}

static void binary_float4(const wb_column *c, const wb_value *v, wb_buf *out)
{
    (void)c;
    float f = (float)v->f64; /* exact: the generator's values fit a float's 24 bits */
    uint32_t bits;
    memcpy(&bits, &f, sizeof bits);
    put_u32(out, 4);
    put_u32(out, bits);
}

static void binary_float8(const wb_column *c, const wb_value *v, wb_buf *out)
{
    (void)c;
    uint64_t bits;
    memcpy(&bits, &v->f64, sizeof bits);
    put_u32(out, 8);
    put_u64(out, bits);
}

static void binary_bool(const wb_column *c, const wb_value *v, wb_buf *out)
{
    (void)c;
    put_u32(out, 1);
    wb_buf_putc(out, v->i64 ? 1 : 0);
}

/* days since 2000-01-01 */
static void binary_date(const wb_column *c, const wb_value *v, wb_buf *out)
{
    (void)c;
    put_u32(out, 4);
    put_u32(out, (uint32_t)(int32_t)(v->i64 - PG_EPOCH_DAYS));
}

/* microseconds since 2000-01-01 00:00:00 (UTC for timestamptz) */
static void binary_timestamp(const wb_column *c, const wb_value *v, wb_buf *out)
{
    (void)c;
    put_u32(out, 8);
    put_u64(out, (uint64_t)((v->i64 - PG_EPOCH_SECONDS) * 1000000));
}

/* the 16 bytes of the canonical text's 32 hex digits */
static void binary_uuid(const wb_column *c, const wb_value *v, wb_buf *out)
{
    (void)c;
    unsigned char bytes[16];
    int n = 0, high = -1;
    for (size_t i = 0; i < v->len && n < 16; i++) {
        char ch = v->text[i];
        int digit = ch >= '0' && ch <= '9' ? ch - '0' : ch >= 'a' && ch <= 'f' ? ch - 'a' + 10 : -1;
        if (digit < 0)
            continue; /* the dashes */
        if (high < 0) {
            high = digit;
        } else {
            bytes[n++] = (unsigned char)(high << 4 | digit);
            high = -1;
        }
    }
    put_u32(out, 16);
    wb_buf_append(out, bytes, 16);
}

static const binary_encoder binary_encoders[WB_SQL_TYPE_COUNT] = {
    [WB_SQL_BIGINT] = binary_int8,      [WB_SQL_TEXT] = binary_bytes,         [WB_SQL_VARCHAR] = binary_bytes,
    [WB_SQL_NUMERIC] = binary_numeric,  [WB_SQL_SMALLINT] = binary_int2,      [WB_SQL_INTEGER] = binary_int4,
    [WB_SQL_REAL] = binary_float4,      [WB_SQL_DOUBLE] = binary_float8,      [WB_SQL_BOOLEAN] = binary_bool,
    [WB_SQL_CHAR] = binary_bytes,       [WB_SQL_DATE] = binary_date,          [WB_SQL_TIMESTAMP] = binary_timestamp,
    [WB_SQL_TIMESTAMPTZ] = binary_timestamp, [WB_SQL_UUID] = binary_uuid,     [WB_SQL_JSON] = binary_bytes,
    [WB_SQL_JSONB] = binary_jsonb,      [WB_SQL_BYTEA] = binary_bytes,
};

void wb_pgs_copy_binary_row(const wb_table *t, const wb_row *row, wb_buf *out)
{
    put_u16(out, (uint16_t)row->ncolumns);
    for (int i = 0; i < row->ncolumns; i++) {
        const wb_value *v = &row->v[i];
        if (v->is_null)
            put_u32(out, 0xffffffffu);
        else
            binary_encoders[t->columns[i].sql_type](&t->columns[i], v, out);
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
    return wb_pgs_copy_range_freeze(ctx, pg, target, t, first_key, last_key, fmt, 0, e);
}

int wb_pgs_copy_range_freeze(wb_ctx *ctx, PGconn *pg, const char *target, const wb_table *t,
                             int64_t first_key, int64_t last_key, wb_pgs_copy_format fmt, int freeze,
                             wb_error *e)
{
    wb_buf sql = WB_BUF_INIT;
    wb_buf_printf(&sql, "COPY %s (", target);
    wb_gen_column_list(t, "", &sql);
    wb_buf_puts(&sql, ") FROM STDIN");
    if (fmt == WB_PGS_COPY_BINARY || freeze)
        wb_buf_printf(&sql, " (%s%s%s)", fmt == WB_PGS_COPY_BINARY ? "FORMAT binary" : "",
                      fmt == WB_PGS_COPY_BINARY && freeze ? ", " : "", freeze ? "FREEZE" : "");
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
        /* parents committed everywhere first (strategies/strategy.h) */
        if (wb_threads_sync_before(ctx, t) &&
            ((rc = wb_pgs_commit(pg, e)) != 0 || (rc = wb_threads_wait(ctx, e)) != 0 || (rc = wb_pgs_begin(pg, e)) != 0))
            break;
        wb_buf_reset(&name);
        ctx->backend->table_name(conn, table->name, &name);
        int64_t started_ns = wb_clock_ns(); /* a batch: one COPY */
        if ((rc = wb_pgs_copy_range(ctx, pg, wb_buf_str(&name), table, first_key, last_key, fmt, e)) != 0)
            wb_fail_prefix(e, "%s: ", table->name);
        else
            wb_ctx_batch_done(ctx, started_ns);
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

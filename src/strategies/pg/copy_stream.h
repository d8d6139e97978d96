/* COPY FROM STDIN for the PostgreSQL strategies: the text and binary encodings of
 * a generated row (numeric's binary form included), and the stream that sends a
 * key range of a table through PQputCopyData in bounded chunks, so a load of any
 * size holds one chunk (64 kB) in client memory. */
#ifndef WB_STRATEGIES_PG_COPY_STREAM_H
#define WB_STRATEGIES_PG_COPY_STREAM_H

#include <libpq-fe.h>
#include <stddef.h>
#include <stdint.h>

#include "strategies/strategy.h"

typedef enum wb_pgs_copy_format {
    WB_PGS_COPY_TEXT = 0,  /* tab-separated, backslash escapes, \N for NULL */
    WB_PGS_COPY_BINARY = 1 /* PGCOPY header, length-prefixed fields in network byte order */
} wb_pgs_copy_format;

/* Append one row in COPY's text format: columns separated by tabs, a newline at
 * the end, \N for NULL, and backslash, tab, newline and carriage return escaped. */
void wb_pgs_copy_text_row(const wb_row *row, wb_buf *out);

/* Append the binary format's 19-byte header (signature, flags, extension length). */
void wb_pgs_copy_binary_header(wb_buf *out);
/* Append one row in the binary format: the field count, then per field its length
 * (-1 for NULL) and bytes: int8 big-endian, text as its UTF-8 bytes, numeric as below. */
void wb_pgs_copy_binary_row(const wb_table *t, const wb_row *row, wb_buf *out);
/* Append the binary format's trailer (a field count of -1). */
void wb_pgs_copy_binary_trailer(wb_buf *out);

/* Bytes a numeric in binary form takes at most for any int64 of hundredths. */
#define WB_PGS_NUMERIC_MAX_BYTES 24
/* Write hundredths (12345 = 123.45) as PostgreSQL's binary numeric: int16 ndigits,
 * int16 weight, int16 sign, int16 dscale (2), then ndigits base-10000 digits, most
 * significant first, without leading or trailing zero digits; returns the length. */
size_t wb_pgs_numeric_binary(int64_t hundredths, unsigned char *out);

/* Run `COPY <target> (columns of t) FROM STDIN` in format fmt on pg and stream the
 * rows of keys first_key..last_key of t in ctx->version; target is a quoted table
 * name (t itself, or a staging table shaped like it). Rows done are reported per
 * chunk sent. */
int wb_pgs_copy_range(wb_ctx *ctx, PGconn *pg, const char *target, const wb_table *t,
                      int64_t first_key, int64_t last_key, wb_pgs_copy_format fmt, wb_error *e);

/* Load keys 1..ctx->rows of every table of ctx->workload with COPY in format fmt:
 * ctx->threads connections over disjoint key ranges, each thread one COPY per table
 * (parents first) in one transaction. */
int wb_pgs_copy_workload(wb_ctx *ctx, wb_pgs_copy_format fmt);

#endif

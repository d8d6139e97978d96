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
 * the end, \N for NULL, and backslash, tab, newline and carriage return escaped;
 * bytes as bytea's hex form (\\x...). */
void wb_pgs_copy_text_row(const wb_row *row, wb_buf *out);

/* Append the binary format's 19-byte header (signature, flags, extension length). */
void wb_pgs_copy_binary_header(wb_buf *out);
/* Append one row in the binary format: the field count, then per field its length
 * (-1 for NULL) and bytes in its column's SQL type's binary form: integers and floats
 * big-endian in their width, text and json as UTF-8, jsonb with its version byte,
 * numeric as below, dates and timestamps from PostgreSQL's epoch (2000-01-01),
 * uuid in 16 bytes, bytea as it is. */
void wb_pgs_copy_binary_row(const wb_table *t, const wb_row *row, wb_buf *out);
/* Append the binary format's trailer (a field count of -1). */
void wb_pgs_copy_binary_trailer(wb_buf *out);

/* Bytes a numeric in binary form takes at most for any int64 of units, scale 0..38. */
#define WB_PGS_NUMERIC_MAX_BYTES 48
/* Write units of 10^-scale (12345 at scale 2 = 123.45) as PostgreSQL's binary numeric:
 * int16 ndigits, int16 weight, int16 sign, int16 dscale (scale), then ndigits
 * base-10000 digits, most significant first, aligned on the decimal point, without
 * leading or trailing zero digits; returns the length. */
size_t wb_pgs_numeric_binary(int64_t units, int scale, unsigned char *out);

/* Run `COPY <target> (columns of t) FROM STDIN` in format fmt on pg and stream the
 * rows of keys first_key..last_key of t in ctx->version; target is a quoted table
 * name (t itself, or a staging table shaped like it). Rows done are reported per
 * chunk sent. */
int wb_pgs_copy_range(wb_ctx *ctx, PGconn *pg, const char *target, const wb_table *t,
                      int64_t first_key, int64_t last_key, wb_pgs_copy_format fmt, wb_error *e);
/* The same with COPY's FREEZE option when freeze is 1: the rows are written frozen,
 * which the server allows only when the table was created or truncated in the same
 * transaction (copy-freeze, load_tricks.c). */
int wb_pgs_copy_range_freeze(wb_ctx *ctx, PGconn *pg, const char *target, const wb_table *t,
                             int64_t first_key, int64_t last_key, wb_pgs_copy_format fmt, int freeze,
                             wb_error *e);

/* Load keys 1..ctx->rows of every table of ctx->workload with COPY in format fmt:
 * ctx->threads connections over disjoint key ranges, each thread one COPY per table
 * (parents first) in one transaction. */
int wb_pgs_copy_workload(wb_ctx *ctx, wb_pgs_copy_format fmt);

#endif

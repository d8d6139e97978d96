/* The generate-only reference (see floor.h). The encoding is what the backend's
 * fastest client strategy does with a generated row before it leaves the process:
 * with COPY (PostgreSQL) the COPY binary encoding (copy-binary, load-then-index),
 * without it nothing beyond binding, which hands SQLite pointers to the row's text;
 * here the bytes are copied once, as a bind that copies (SQLITE_TRANSIENT) would. */
#include "strategies/floor.h"

#include <string.h>

#include "strategies/pg/copy_stream.h"

/* Encode one row into out (which the caller empties now and then). */
typedef void (*encode_fn)(const wb_table *t, const wb_row *row, wb_buf *out);

static void encode_bound_values(const wb_table *t, const wb_row *row, wb_buf *out)
{
    (void)t;
    for (int i = 0; i < row->ncolumns; i++)
        if (!row->v[i].is_null)
            wb_buf_append(out, row->v[i].text, row->v[i].len);
}

static void encode_copy_binary(const wb_table *t, const wb_row *row, wb_buf *out)
{
    wb_pgs_copy_binary_row(t, row, out);
}

/* The encoding of the backend's fastest client path, by capability: COPY binary
 * where the backend has COPY, otherwise the values as a bind hands them over. */
static encode_fn encoder_of(const wb_backend *b)
{
    return b->caps & WB_CAP_COPY ? encode_copy_binary : encode_bound_values;
}

/* The encoded bytes are emptied at this size, as a COPY chunk is sent: client
 * memory stays flat whatever the row count. */
#define FLOOR_CHUNK_BYTES (64 * 1024)
/* Progress is reported per this many rows, as the batching strategies do. */
#define FLOOR_PROGRESS_ROWS 10000

int wb_generate_only(wb_ctx *ctx)
{
    encode_fn encode = encoder_of(ctx->backend);
    wb_buf chunk = WB_BUF_INIT;
    wb_buf_reserve(&chunk, 2 * FLOOR_CHUNK_BYTES);
    /* The bytes are summed into a volatile so the compiler cannot drop the work. */
    volatile unsigned long checksum = 0;
    wb_row row = WB_ROW_INIT;
    for (int i = 0; i < ctx->workload->ntables; i++) {
        const wb_table *t = &ctx->workload->tables[i];
        int64_t pending = 0;
        for (int64_t key = 1; key <= ctx->rows; key++) {
            wb_row_make(t, key, ctx->version, &row);
            encode(t, &row, &chunk);
            if (chunk.len >= FLOOR_CHUNK_BYTES) {
                checksum += (unsigned char)chunk.data[chunk.len - 1] + chunk.len;
                wb_buf_reset(&chunk);
            }
            if (++pending == FLOOR_PROGRESS_ROWS) {
                wb_ctx_rows_done(ctx, pending);
                pending = 0;
            }
        }
        wb_ctx_rows_done(ctx, pending);
    }
    checksum += chunk.len;
    wb_buf_free(&chunk);
    wb_row_free(&row);
    (void)checksum;
    return 0;
}

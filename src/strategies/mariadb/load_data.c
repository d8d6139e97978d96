/* MariaDB's load-data and load-then-index: LOAD DATA LOCAL INFILE with the "file"
 * streamed from memory through the connector's local-infile handler
 * (mysql_set_local_infile_handler): the rows are made and encoded as the server
 * asks for the next chunk, so nothing is ever written to a file and the client's
 * memory stays one chunk whatever the row count.
 *
 * The format, written in the statement as hexadecimal literals so that its meaning
 * does not depend on sql_mode (under NO_BACKSLASH_ESCAPES '\t' is two characters):
 * FIELDS TERMINATED BY X'09' (tab), ESCAPED BY X'5C' (backslash), not enclosed,
 * LINES TERMINATED BY X'0A' (newline), CHARACTER SET utf8mb4. In a field a
 * backslash, tab, newline, carriage return and NUL are written \\ \t \n \r \0, and
 * SQL NULL is \N; a boolean is 1 or 0; every other byte, multi-byte UTF-8 included, is itself. Without
 * ENCLOSED BY, the word NULL is the text 'NULL', not NULL.
 *
 * With LOCAL the server cannot stop the client's transfer, so it turns a bad row
 * into a warning and skips it, as IGNORE does: a load that left any warning fails
 * here with the first one (and verification would see the missing row anyway).
 * One LOAD DATA per table and thread, in one transaction per thread. */
#include <errmsg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backends/mariadb.h"
#include "strategies/mariadb/mariadb_strategies.h"
#include "util/clock.h"
#include "workloads/schema.h"

/* Encoded rows handed to the server at a time: the connector asks for its own
 * buffer's size (a few KiB); rows are made a chunk at a time to amortise the call. */
#define CHUNK_BYTES (64 * 1024)
/* Rows between two progress reports. */
#define PROGRESS_ROWS 1000

/* The state of one LOAD DATA's stream: keys next..last of table t. */
typedef struct load_stream {
    wb_ctx *ctx;
    const wb_table *t;
    int64_t next, last;
    wb_buf chunk;   /* encoded rows not yet handed over */
    size_t sent;    /* bytes of chunk already handed over */
    int64_t unreported;
} load_stream;

/* The escape letter of each byte that must not appear raw in a field (0: itself). */
static const char escapes[256] = {['\\'] = '\\', ['\t'] = 't', ['\n'] = 'n', ['\r'] = 'r', ['\0'] = '0'};

/* Append one value as a field: a boolean as 1 or 0 (BOOLEAN is TINYINT(1), which
 * takes no word), a timestamptz without its offset (wb_value_sent_len), bytes and
 * text as they are, escaped. */
static void put_field(wb_buf *out, const wb_value *v, const wb_dialect *d)
{
    if (v->is_null) {
        wb_buf_append(out, "\\N", 2);
        return;
    }
    if (v->type == WB_TYPE_BOOL) {
        wb_buf_putc(out, v->i64 ? '1' : '0');
        return;
    }
    size_t len = wb_value_sent_len(v, d);
    wb_buf_reserve(out, 2 * len + 1);
    char *p = out->data + out->len;
    for (size_t i = 0; i < len; i++) {
        char escape = escapes[(unsigned char)v->text[i]];
        if (escape) {
            *p++ = '\\';
            *p++ = escape;
        } else {
            *p++ = v->text[i];
        }
    }
    out->len = (size_t)(p - out->data);
    out->data[out->len] = '\0';
}

/* Make and encode the next rows, up to CHUNK_BYTES. */
static void fill_chunk(load_stream *s)
{
    wb_buf_reset(&s->chunk);
    s->sent = 0;
    wb_row row = WB_ROW_INIT;
    while (s->next <= s->last && s->chunk.len < CHUNK_BYTES) {
        wb_row_make(s->t, s->next++, s->ctx->version, &row);
        for (int c = 0; c < row.ncolumns; c++) {
            if (c)
                wb_buf_putc(&s->chunk, '\t');
            put_field(&s->chunk, &row.v[c], s->ctx->backend->dialect);
        }
        wb_buf_putc(&s->chunk, '\n');
        if (++s->unreported == PROGRESS_ROWS) {
            wb_ctx_rows_done(s->ctx, s->unreported);
            s->unreported = 0;
        }
    }
    wb_row_free(&row);
}

/* The connector's local-infile callbacks: the "file" is the stream. */
static int infile_init(void **ptr, const char *filename, void *userdata)
{
    (void)filename;
    *ptr = userdata;
    return 0;
}

static int infile_read(void *ptr, char *buf, unsigned int buf_len)
{
    load_stream *s = ptr;
    unsigned int done = 0;
    while (done < buf_len) {
        if (s->sent == s->chunk.len) {
            if (s->next > s->last)
                break;
            fill_chunk(s);
        }
        size_t n = s->chunk.len - s->sent;
        if (n > buf_len - done)
            n = buf_len - done;
        memcpy(buf + done, s->chunk.data + s->sent, n);
        s->sent += n;
        done += (unsigned int)n;
    }
    return (int)done; /* 0: the end of the file */
}

static void infile_end(void *ptr)
{
    (void)ptr;
}

static int infile_error(void *ptr, char *msg, unsigned int len)
{
    (void)ptr;
    snprintf(msg, len, "writebench's row stream failed");
    return CR_UNKNOWN_ERROR;
}

/* Fail with the first warning the last statement left. */
static int fail_warning(MYSQL *m, const wb_table *t, unsigned count, wb_error *e)
{
    char first[512] = "(unreadable)";
    if (mysql_query(m, "SHOW WARNINGS LIMIT 1") == 0) {
        MYSQL_RES *r = mysql_store_result(m);
        MYSQL_ROW row = r ? mysql_fetch_row(r) : NULL;
        if (row && row[2])
            snprintf(first, sizeof first, "%s", row[2]);
        if (r)
            mysql_free_result(r);
    }
    return wb_fail(e, "LOAD DATA into %s left %u warning%s, skipping rows; the first: %s", t->name, count,
                   count == 1 ? "" : "s", first);
}

/* Stream keys first..last of table t into it with one LOAD DATA on conn. */
static int load_table(wb_ctx *ctx, wb_conn *conn, const wb_table *t, int64_t first, int64_t last, wb_error *e)
{
    MYSQL *m = wb_mariadb_mysql(conn);
    wb_buf sql = WB_BUF_INIT;
    wb_buf_puts(&sql, "LOAD DATA LOCAL INFILE 'writebench-rows' INTO TABLE ");
    ctx->backend->table_name(conn, t->name, &sql);
    wb_buf_puts(&sql, " CHARACTER SET utf8mb4 FIELDS TERMINATED BY X'09' ESCAPED BY X'5C' LINES TERMINATED BY "
                      "X'0A' (");
    for (int c = 0; c < t->ncolumns; c++)
        wb_buf_printf(&sql, "%s\"%s\"", c ? ", " : "", t->columns[c].name);
    wb_buf_putc(&sql, ')');
    load_stream s = {ctx, t, first, last, WB_BUF_INIT, 0, 0};
    mysql_set_local_infile_handler(m, infile_init, infile_read, infile_end, infile_error, &s);
    int rc = wb_mariadb_exec(conn, wb_buf_str(&sql), t->name, e);
    mysql_set_local_infile_default(m);
    wb_ctx_rows_done(ctx, s.unreported);
    unsigned warnings = rc == 0 ? mysql_warning_count(m) : 0;
    if (warnings)
        rc = fail_warning(m, t, warnings, e);
    wb_buf_free(&s.chunk);
    wb_buf_free(&sql);
    return rc;
}

/* One thread: its key range of every table, parents first, in one transaction (one per
 * group of tables where the threads meet, wb_threads_sync_before). */
static int load_thread(wb_ctx *ctx, int thread, wb_conn *conn, int64_t first, int64_t last, void *arg, wb_error *e)
{
    (void)thread, (void)arg;
    if (first > last)
        return 0;
    const wb_backend *b = ctx->backend;
    if (b->begin(conn, e) != 0)
        return -1;
    for (int i = 0; i < ctx->workload->ntables; i++) {
        /* parents committed everywhere first (strategies/strategy.h) */
        if (wb_threads_sync_before(ctx, i) &&
            (b->commit(conn, e) != 0 || wb_threads_wait(ctx, e) != 0 || b->begin(conn, e) != 0)) {
            b->rollback(conn);
            return -1;
        }
        int64_t started_ns = wb_clock_ns(); /* a batch: one LOAD DATA */
        if (load_table(ctx, conn, &ctx->workload->tables[i], first, last, e) != 0) {
            b->rollback(conn);
            return -1;
        }
        wb_ctx_batch_done(ctx, started_ns);
    }
    return b->commit(conn, e);
}

int wb_mariadb_load_data(wb_ctx *ctx)
{
    return wb_run_threads(ctx, load_thread, NULL);
}

/* MariaDB's bulk-load advice: drop the secondary indexes, turn the session's unique
 * and foreign-key checks off, load with LOAD DATA in one transaction on one
 * connection, build the indexes again and turn the checks back on. The checks are
 * off for the load only: the unique indexes are built afterwards (a duplicate fails
 * the build), and every foreign key's parent rows are loaded first anyway. */
int wb_mariadb_load_then_index(wb_ctx *ctx)
{
    const wb_workload *w = ctx->workload;
    wb_conn *conn = ctx->conns[0];
    /* checks off first: an index a foreign key needs can only go with them off */
    if (wb_mariadb_exec(conn, "SET SESSION foreign_key_checks = 0, unique_checks = 0", "turning the checks off",
                        ctx->error) != 0)
        return -1;
    int rc = 0;
    for (int t = 0; t < w->ntables && rc == 0; t++)
        if ((rc = wb_schema_drop_indexes(ctx->backend, conn, &w->tables[t], ctx->error)) != 0)
            wb_fail_prefix(ctx->error, "dropping the indexes of %s: ", w->tables[t].name);
    wb_ctx single = *ctx;
    single.threads = 1; /* the advice is about a single bulk loader */
    if (rc == 0)
        rc = load_thread(&single, 0, conn, 1, ctx->rows, NULL, ctx->error);
    for (int t = 0; t < w->ntables && rc == 0; t++)
        if ((rc = wb_schema_create_indexes(ctx->backend, conn, &w->tables[t], ctx->error)) != 0)
            wb_fail_prefix(ctx->error, "rebuilding the indexes of %s: ", w->tables[t].name);
    wb_error ignored = {{0}};
    if (wb_mariadb_exec(conn, "SET SESSION foreign_key_checks = 1, unique_checks = 1", "turning the checks on",
                        rc == 0 ? ctx->error : &ignored) != 0)
        rc = -1;
    return rc;
}

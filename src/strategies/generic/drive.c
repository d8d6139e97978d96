/* The loops of the generic strategies (see generic.h): one row per statement,
 * many rows per statement, and the commit queue's writer, on any backend's
 * statement layer.
 *
 * The order of what reaches the server is part of what is measured (PostgreSQL
 * counts every statement outside a transaction as a commit): statements are
 * prepared before a thread's first transaction and released after its last, or
 * after the rollback that follows an error, never inside a failed transaction. */
#include "strategies/generic/generic.h"

#include <stdint.h>
#include <stdlib.h>
#include <time.h>

#include "strategies/queue.h"
#include "util/clock.h"

/* Values handed to stmt_bind per call: a row of any width binds in runs of this
 * many, from the stack (binding is on every row's path). */
#define BIND_RUN 64
/* The longest back-off before a retry is 2^this times the first (wb_gen_retry). */
#define RETRY_BACKOFF_DOUBLINGS 7

/* How a value of each type binds: integers, binary fractions, booleans and bytes as
 * what they are (with their text, for a backend that sends text); decimals, times,
 * uuids and json as their canonical text, which every backend reads as the value. */
static const wb_bind_type bind_types[WB_TYPE_COUNT] = {
    [WB_TYPE_INT64] = WB_BIND_INT64, [WB_TYPE_TEXT] = WB_BIND_TEXT,    [WB_TYPE_DECIMAL] = WB_BIND_TEXT,
    [WB_TYPE_FLOAT] = WB_BIND_DOUBLE, [WB_TYPE_BOOL] = WB_BIND_BOOL,    [WB_TYPE_TIME] = WB_BIND_TEXT,
    [WB_TYPE_UUID] = WB_BIND_TEXT,   [WB_TYPE_JSON] = WB_BIND_TEXT,    [WB_TYPE_BYTES] = WB_BIND_BYTES,
};

int wb_gen_bind_row(const wb_backend *b, wb_stmt *st, int first, const wb_row *row, int n, wb_error *e)
{
    return wb_gen_bind_columns(b, st, first, row, NULL, n, e);
}

int wb_gen_bind_columns(const wb_backend *b, wb_stmt *st, int first, const wb_row *row, const int *cols, int n,
                        wb_error *e)
{
    wb_bind_value values[BIND_RUN];
    if (!cols && n > row->ncolumns)
        n = row->ncolumns;
    for (int start = 0; start < n; start += BIND_RUN) {
        int run = n - start < BIND_RUN ? n - start : BIND_RUN;
        for (int i = 0; i < run; i++) {
            const wb_value *v = &row->v[cols ? cols[start + i] : start + i];
            values[i].type = v->is_null ? WB_BIND_NULL : bind_types[v->type];
            values[i].i64 = v->i64;
            values[i].f64 = v->f64;
            values[i].text = v->text;
            values[i].len = wb_value_sent_len(v, b->dialect);
        }
        if (b->stmt_bind(st, first + start, run, values, e) != 0)
            return -1;
    }
    return 0;
}

/* ---- one row per statement ------------------------------------------------ */

int wb_gen_exec_row(const wb_gen_stmts *s, int which, const wb_row *row, const char *what, int64_t *rows,
                    wb_error *e)
{
    const wb_backend *b = s->ctx->backend;
    wb_stmt *st = s->stmts[which];
    int once = st == NULL;
    if (once && b->stmt_prepare(s->conn, s->sql[which], s->nparams[which], WB_STMT_ONCE, NULL, &st, e) != 0)
        return -1;
    int rc = wb_gen_bind_row(b, st, 0, row, s->nparams[which], e);
    if (rc == 0)
        rc = b->stmt_exec(st, what, NULL, NULL, rows, e);
    if (once)
        b->stmt_finalize(st);
    return rc;
}

int wb_gen_conflict(const wb_ctx *ctx, wb_conn *conn)
{
    const wb_backend *b = wb_backend_v3(ctx->backend);
    return b && b->transaction_conflict && b->transaction_conflict(conn);
}

int wb_gen_retry(wb_ctx *ctx, wb_conn *conn, int *retries_in_a_row, wb_error *e, int *rc)
{
    return wb_gen_retry_after(ctx, conn, wb_gen_conflict(ctx, conn), retries_in_a_row, e, rc);
}

int wb_gen_retry_after(wb_ctx *ctx, wb_conn *conn, int conflict, int *retries_in_a_row, wb_error *e, int *rc)
{
    const wb_backend *b = ctx->backend;
    if (!conflict || *retries_in_a_row >= WB_GEN_MAX_RETRIES)
        return 0;
    b->rollback(conn);
    ++*retries_in_a_row;
    wb_ctx_transaction_retried(ctx);
    /* Back off before running it again, as applications do: a victim that restarts at
     * once takes the same gap locks again while the others still hold theirs, and loses
     * again. Random in [1, 2] ms doubled per retry in a row, up to 2^RETRY_BACKOFF_DOUBLINGS. */
    unsigned seed = (unsigned)wb_clock_ns() ^ (unsigned)(uintptr_t)conn;
    int doublings = *retries_in_a_row < RETRY_BACKOFF_DOUBLINGS ? *retries_in_a_row : RETRY_BACKOFF_DOUBLINGS;
    int64_t wait_ns = (1000000 + (int64_t)(rand_r(&seed) % 1000000)) << doublings;
    struct timespec wait = {(time_t)(wait_ns / 1000000000), (long)(wait_ns % 1000000000)};
    nanosleep(&wait, NULL);
    *rc = 0;
    e->msg[0] = '\0';
    return 1;
}

typedef struct row_job {
    const wb_gen_row_writer *writer;
    int64_t commit_every;
} row_job;

/* The transaction a row-writing thread is in (or its one row, in autocommit). */
typedef struct row_tx {
    int open;              /* inside a transaction */
    int table;             /* where it began: table and key, to run it again from there */
    int64_t key;
    int64_t rows;          /* rows written in it */
    int64_t reported;      /* of those, rows already reported as done (progress) */
    int64_t unreported;    /* rows written, not yet reported */
    int64_t started_ns;    /* a batch is a transaction, or one row in autocommit */
    int retries_in_a_row;
} row_tx;

/* After a failure (*rc -1, e set): when wb_gen_retry retries it, forget the
 * transaction's rows (those reported are taken back) and go back to its first row
 * (*t, *key); 1 then, 0 when the failure stands. */
static int retry_from_start(wb_ctx *ctx, wb_conn *conn, row_tx *tx, int *t, int64_t *key, wb_error *e, int *rc)
{
    if (!wb_gen_retry(ctx, conn, &tx->retries_in_a_row, e, rc))
        return 0;
    wb_ctx_rows_done(ctx, -tx->reported);
    *t = tx->table, *key = tx->key;
    tx->open = 0, tx->rows = 0, tx->reported = 0, tx->unreported = 0;
    return 1;
}

/* Commit tx: 0 done, 1 rolled back by the server and rewound to be run again
 * (retry_from_start), -1 failed. */
static int commit_or_retry(wb_ctx *ctx, wb_conn *conn, row_tx *tx, int *t, int64_t *key, wb_error *e)
{
    int rc = ctx->backend->commit(conn, e);
    if (rc != 0)
        return retry_from_start(ctx, conn, tx, t, key, e, &rc) ? 1 : -1;
    tx->retries_in_a_row = 0;
    wb_ctx_batch_done(ctx, tx->started_ns);
    tx->open = 0, tx->rows = 0;
    return 0;
}

/* One thread of wb_gen_write_rows: its key range of every table, parents first. */
static int write_rows_thread(wb_ctx *ctx, int thread, wb_conn *conn, int64_t first_key, int64_t last_key,
                             void *arg, wb_error *e)
{
    (void)thread;
    if (first_key > last_key)
        return 0; /* more threads than rows: nothing to do, and no empty transaction */
    const row_job *job = arg;
    const wb_gen_row_writer *w = job->writer;
    const wb_backend *b = ctx->backend;
    const wb_workload *wl = ctx->workload;
    int per_table = w->nstatements, nstmts = wl->ntables * per_table;
    wb_stmt **stmts = wb_xcalloc((size_t)nstmts, sizeof *stmts);
    char **sql = wb_xcalloc((size_t)nstmts, sizeof *sql);
    int *nparams = wb_xcalloc((size_t)nstmts, sizeof *nparams);
    wb_buf text = WB_BUF_INIT;
    int rc = 0, transactions = job->commit_every != WB_GEN_AUTOCOMMIT;
    int64_t commit_every = job->commit_every > 0 ? job->commit_every : INT64_MAX;
    row_tx tx = {0};

    for (int t = 0; t < wl->ntables && rc == 0; t++)
        for (int i = 0; i < per_table && rc == 0; i++) {
            int k = t * per_table + i;
            wb_buf_reset(&text);
            nparams[k] = w->statement_sql(ctx, conn, &wl->tables[t], i, &text);
            sql[k] = wb_xstrdup(wb_buf_str(&text));
            if (!w->parse_each_row && (rc = b->stmt_prepare(conn, sql[k], nparams[k], 0, NULL, &stmts[k], e)) != 0)
                wb_fail_prefix(e, "%s: ", wl->tables[t].name);
        }

    /* The loop is flat over (table t, key) so that a retried transaction can go back to
     * where it began, possibly in an earlier table, without passing a table's meeting
     * point (wb_threads_sync_before) twice: a transaction never spans one. */
    wb_row row = WB_ROW_INIT;
    int t = 0, synced = -1;
    int64_t key = first_key;
    while (rc == 0) {
        int ended = t == wl->ntables;
        int meets = !ended && t > synced && wb_threads_sync_before(ctx, t);
        /* parents committed everywhere first (strategy.h) */
        if ((ended || meets) && tx.open && (rc = commit_or_retry(ctx, conn, &tx, &t, &key, e)) != 0) {
            if (rc > 0)
                rc = 0; /* rewound */
            continue;
        }
        if (ended)
            break;
        if (meets) {
            wb_ctx_rows_done(ctx, tx.unreported);
            tx.unreported = 0;
            if ((rc = wb_threads_wait(ctx, e)) != 0)
                break;
        }
        synced = t > synced ? t : synced;
        if (key > last_key) {
            t++, key = first_key;
            continue;
        }
        const wb_table *table = &wl->tables[t];
        wb_gen_stmts s = {ctx, conn, &stmts[t * per_table], (const char *const *)&sql[t * per_table],
                          &nparams[t * per_table], table};
        if (!tx.open) {
            tx.started_ns = wb_clock_ns();
            tx.table = t, tx.key = key, tx.reported = 0;
        }
        if (transactions && !tx.open) {
            if ((rc = b->begin(conn, e)) != 0)
                break;
            tx.open = 1;
        }
        wb_row_make(table, key, ctx->version, &row);
        if ((rc = w->write_row(&s, &row, e)) != 0) {
            if (retry_from_start(ctx, conn, &tx, &t, &key, e, &rc))
                continue;
            wb_fail_prefix(e, "%s key %lld: ", table->name, (long long)wb_table_key(table, key));
            break;
        }
        key++;
        tx.unreported++;
        if (!transactions) {
            tx.retries_in_a_row = 0;
            wb_ctx_batch_done(ctx, tx.started_ns); /* autocommit: the row was its commit */
        }
        if (transactions && ++tx.rows == commit_every && (rc = commit_or_retry(ctx, conn, &tx, &t, &key, e)) != 0) {
            if (rc < 0)
                break;
            rc = 0; /* rewound */
            continue;
        }
        /* Progress at every commit (in autocommit every row is one) and every
         * WB_GEN_PROGRESS_ROWS rows of a longer transaction. */
        if (!tx.open || tx.unreported == WB_GEN_PROGRESS_ROWS) {
            wb_ctx_rows_done(ctx, tx.unreported);
            tx.reported = tx.open ? tx.reported + tx.unreported : 0;
            tx.unreported = 0;
        }
    }
    if (rc == 0)
        wb_ctx_rows_done(ctx, tx.unreported);
    else
        b->rollback(conn);
    for (int i = 0; i < nstmts; i++) {
        b->stmt_finalize(stmts[i]);
        free(sql[i]);
    }
    free(stmts);
    free(sql);
    free(nparams);
    wb_buf_free(&text);
    wb_row_free(&row);
    return rc;
}

int wb_gen_write_rows(wb_ctx *ctx, const wb_gen_row_writer *w, int64_t commit_every)
{
    row_job job = {w, commit_every};
    return wb_run_threads(ctx, write_rows_thread, &job);
}

/* ---- many rows per statement ---------------------------------------------- */

typedef struct batch_job {
    wb_gen_batch_sql_fn make_sql;
    const char *what;
    int updated_only; /* bind the key and the columns version 2 changes (wb_gen_updated_columns) */
} batch_job;

/* The columns a statement of job binds of table t: into cols (room for t->ncolumns);
 * returns their count, and *all = 1 when they are every column. */
static int bound_columns(const batch_job *job, const wb_table *t, int *cols, int *all)
{
    *all = !job->updated_only;
    if (!job->updated_only) {
        for (int i = 0; i < t->ncolumns; i++)
            cols[i] = i;
        return t->ncolumns;
    }
    return wb_gen_updated_columns(t, cols);
}

/* The rows of one statement: an array of them when the backend binds the rows'
 * own memory (it must live until the execution), one reused row when it copies. */
typedef struct row_buffer {
    wb_row *rows;
    int capacity;
    int reuse; /* the backend copies what it binds: rows[0] serves every row */
} row_buffer;

/* The columns one statement binds of a row: cols[0..n), or the first n (cols NULL). */
typedef struct bound {
    const int *cols;
    int n;
} bound;

/* Write keys first..first+n-1 of t with st (n rows of parameters) and run it. */
static int write_chunk(const wb_ctx *ctx, wb_stmt *st, const wb_table *t, int64_t first, int n, row_buffer *buf,
                       const bound *columns, const char *what, wb_error *e)
{
    const wb_backend *b = ctx->backend;
    for (int r = 0; r < n; r++) {
        wb_row *row = &buf->rows[buf->reuse ? 0 : r];
        wb_row_make(t, first + r, ctx->version, row);
        if (wb_gen_bind_columns(b, st, r * columns->n, row, columns->cols, columns->n, e) != 0)
            return -1;
    }
    return b->stmt_exec(st, what, NULL, NULL, NULL, e);
}

/* Write one table's keys first_key..last_key with statements of rows_per_statement rows
 * and one tail statement for the rest, each prepared once; *rows_reported grows by the
 * rows reported done. On failure, *conflict says whether it was one (wb_gen_conflict),
 * and the transaction is rolled back. */
static int write_table_batches(wb_ctx *ctx, wb_conn *conn, const wb_table *t, const batch_job *job,
                               int64_t first_key, int64_t last_key, int rows_per_statement, row_buffer *buf,
                               const bound *columns, int64_t *rows_reported, int *conflict, wb_error *e)
{
    const wb_backend *b = ctx->backend;
    int64_t total = last_key - first_key + 1;
    int64_t full_statements = total / rows_per_statement;
    int tail_rows = (int)(total % rows_per_statement);
    wb_stmt *full = NULL, *tail = NULL;
    wb_buf sql = WB_BUF_INIT;
    int rc = 0;

    if (full_statements > 0) {
        job->make_sql(ctx, conn, t, rows_per_statement, &sql);
        rc = b->stmt_prepare(conn, wb_buf_str(&sql), rows_per_statement * columns->n, 0, NULL, &full, e);
    }
    if (rc == 0 && tail_rows > 0) {
        wb_buf_reset(&sql);
        job->make_sql(ctx, conn, t, tail_rows, &sql);
        rc = b->stmt_prepare(conn, wb_buf_str(&sql), tail_rows * columns->n, 0, NULL, &tail, e);
    }
    if (rc != 0)
        wb_fail_prefix(e, "%s: ", t->name);
    for (int64_t key = first_key; key <= last_key && rc == 0;) {
        int n = key + rows_per_statement - 1 <= last_key ? rows_per_statement : tail_rows;
        int64_t started_ns = wb_clock_ns(); /* a batch: one statement of n rows */
        rc = write_chunk(ctx, n == rows_per_statement ? full : tail, t, key, n, buf, columns, job->what, e);
        if (rc == 0) {
            wb_ctx_batch_done(ctx, started_ns);
            wb_ctx_rows_done(ctx, n);
            *rows_reported += n;
        }
        if (rc != 0)
            wb_fail_prefix(e, "%s keys %lld..%lld: ", t->name, (long long)wb_table_key(t, key),
                           (long long)wb_table_key(t, key + n - 1));
        key += n;
    }
    if (rc != 0) {
        *conflict = wb_gen_conflict(ctx, conn);
        b->rollback(conn); /* before releasing the statements: not inside a failed transaction */
    }
    b->stmt_finalize(full);
    b->stmt_finalize(tail);
    wb_buf_free(&sql);
    return rc;
}

/* Write table t's keys first_key..last_key in batches (cols: room for its columns);
 * *reported grows by the rows reported done; *conflict as write_table_batches'. */
static int write_table(wb_ctx *ctx, wb_conn *conn, const batch_job *job, const wb_table *t, int64_t first_key,
                       int64_t last_key, row_buffer *buf, int *cols, int64_t *reported, int *conflict,
                       wb_error *e)
{
    int all;
    bound columns = {cols, bound_columns(job, t, cols, &all)};
    if (all)
        columns.cols = NULL;
    if (job->updated_only && columns.n == 1) {
        /* version 2 changes nothing here: nothing to send, the rows are done as they are */
        wb_ctx_rows_done(ctx, last_key - first_key + 1);
        *reported += last_key - first_key + 1;
        return 0;
    }
    int n = wb_gen_rows_per_statement_of(ctx->backend, conn, t, columns.n, ctx->batch);
    return write_table_batches(ctx, conn, t, job, first_key, last_key, n, buf, &columns, reported, conflict, e);
}

/* One thread of wb_gen_write_batches: its key range of every table, in one transaction
 * (split before a table that must wait for the other threads' parents, strategy.h). */
static int write_batches_thread(wb_ctx *ctx, int thread, wb_conn *conn, int64_t first_key, int64_t last_key,
                                void *arg, wb_error *e)
{
    (void)thread;
    if (first_key > last_key)
        return 0; /* more threads than rows */
    const batch_job *job = arg;
    const wb_backend *b = ctx->backend;
    const wb_workload *wl = ctx->workload;
    row_buffer buf = {NULL, 1, b->stmt_bind_copies};
    int ncolumns = 0;
    for (int t = 0; t < wl->ntables; t++)
        ncolumns = wl->tables[t].ncolumns > ncolumns ? wl->tables[t].ncolumns : ncolumns;
    int *cols = wb_xcalloc((size_t)ncolumns, sizeof *cols), all;
    if (!buf.reuse)
        for (int t = 0; t < wl->ntables; t++) {
            int nbound = bound_columns(job, &wl->tables[t], cols, &all);
            int n = wb_gen_rows_per_statement_of(b, conn, &wl->tables[t], nbound, ctx->batch);
            if (n > buf.capacity)
                buf.capacity = n;
        }
    if (buf.capacity > last_key - first_key + 1)
        buf.capacity = (int)(last_key - first_key + 1);
    /* One batch of rows lives in memory at a time, as in an application holding a batch. */
    buf.rows = wb_xmalloc((size_t)buf.capacity * sizeof *buf.rows);
    for (int r = 0; r < buf.capacity; r++)
        buf.rows[r] = (wb_row)WB_ROW_INIT;

    /* One transaction from the start, or from a table's meeting point (parents committed
     * everywhere first, strategy.h), to the next: a transaction the server rolls back (a
     * deadlock) is run again from the table it began at (wb_gen_retry_after), and the
     * rows it had reported done are taken back. The meeting point is never passed twice. */
    int rc = b->begin(conn, e), t = 0, began_at = 0, synced = -1, retries_in_a_row = 0;
    int64_t reported = 0; /* rows reported done in the open transaction */
    while (rc == 0) {
        int ended = t == wl->ntables, meets = !ended && t > synced && wb_threads_sync_before(ctx, t);
        int conflict = 0;
        if (ended || meets) {
            if ((rc = b->commit(conn, e)) != 0) {
                conflict = wb_gen_conflict(ctx, conn);
            } else {
                retries_in_a_row = 0, reported = 0;
                if (ended)
                    break;
                if ((rc = wb_threads_wait(ctx, e)) != 0 || (rc = b->begin(conn, e)) != 0)
                    break;
                synced = began_at = t;
            }
        }
        if (rc == 0 && (rc = write_table(ctx, conn, job, &wl->tables[t], first_key, last_key, &buf, cols,
                                         &reported, &conflict, e)) == 0) {
            t++;
            continue;
        }
        if (!wb_gen_retry_after(ctx, conn, conflict, &retries_in_a_row, e, &rc))
            break;
        wb_ctx_rows_done(ctx, -reported);
        reported = 0, t = began_at;
        rc = b->begin(conn, e);
    }
    if (rc != 0)
        b->rollback(conn);
    for (int r = 0; r < buf.capacity; r++)
        wb_row_free(&buf.rows[r]);
    free(buf.rows);
    free(cols);
    return rc;
}

int wb_gen_write_batches(wb_ctx *ctx, wb_gen_batch_sql_fn make_sql, const char *what)
{
    batch_job job = {make_sql, what, 0};
    return wb_run_threads(ctx, write_batches_thread, &job);
}

int wb_gen_write_updated_batches(wb_ctx *ctx, wb_gen_batch_sql_fn make_sql, const char *what)
{
    batch_job job = {make_sql, what, 1};
    return wb_run_threads(ctx, write_batches_thread, &job);
}

/* ---- the commit queue ----------------------------------------------------- */

/* The writer's state across tables: one connection, one transaction every batch rows. */
typedef struct writer {
    wb_ctx *ctx;
    wb_conn *conn;
    wb_stmt **stmts; /* one per table */
    const char *what;
    int64_t commit_every;
    int64_t rows_in_transaction;
    int in_transaction;
    int64_t transaction_started_ns; /* a batch: one transaction of the writer */
} writer;

/* Execute one queued row, committing when the batch is full (a wb_queue_consume_fn). */
static int write_item(void *arg, const wb_queue_item *item, wb_error *e)
{
    writer *w = arg;
    const wb_backend *b = w->ctx->backend;
    if (!w->in_transaction) {
        w->transaction_started_ns = wb_clock_ns();
        if (b->begin(w->conn, e) != 0)
            return -1;
        w->in_transaction = 1;
    }
    wb_stmt *st = w->stmts[item->table];
    if (wb_gen_bind_row(b, st, 0, &item->row, item->row.ncolumns, e) != 0 ||
        b->stmt_exec(st, w->what, NULL, NULL, NULL, e) != 0)
        return wb_fail_prefix(e, "%s key %lld: ", w->ctx->workload->tables[item->table].name,
                              (long long)item->row.v[0].i64);
    if (++w->rows_in_transaction == w->commit_every) {
        if (b->commit(w->conn, e) != 0)
            return -1;
        wb_ctx_batch_done(w->ctx, w->transaction_started_ns);
        w->in_transaction = 0;
        w->rows_in_transaction = 0;
    }
    return 0;
}

int wb_gen_commit_queue(wb_ctx *ctx, void (*statement_sql)(const wb_ctx *ctx, wb_conn *c, const wb_table *t,
                                                           wb_buf *out),
                        const char *what)
{
    const wb_workload *wl = ctx->workload;
    const wb_backend *b = ctx->backend;
    wb_error *e = ctx->error;
    writer w = {ctx, ctx->conns[0], NULL, what, ctx->batch > 0 ? ctx->batch : INT64_MAX, 0, 0, 0};
    w.stmts = wb_xcalloc((size_t)wl->ntables, sizeof *w.stmts);
    wb_buf sql = WB_BUF_INIT;
    int rc = 0;
    for (int t = 0; t < wl->ntables && rc == 0; t++) {
        wb_buf_reset(&sql);
        statement_sql(ctx, w.conn, &wl->tables[t], &sql);
        if ((rc = b->stmt_prepare(w.conn, wb_buf_str(&sql), wl->tables[t].ncolumns, 0, NULL, &w.stmts[t], e)) != 0)
            wb_fail_prefix(e, "%s: ", wl->tables[t].name);
    }
    if (rc == 0)
        rc = wb_queue_run(ctx, ctx->threads, wb_queue_capacity(ctx->batch), write_item, &w, e);
    if (rc == 0 && w.in_transaction && (rc = b->commit(w.conn, e)) == 0)
        wb_ctx_batch_done(ctx, w.transaction_started_ns);
    if (rc != 0)
        b->rollback(w.conn);
    for (int t = 0; t < wl->ntables; t++)
        b->stmt_finalize(w.stmts[t]);
    free(w.stmts);
    wb_buf_free(&sql);
    return rc;
}

int wb_gen_plain_insert_sql(const wb_ctx *ctx, wb_conn *c, const wb_table *t, int which, wb_buf *out)
{
    (void)which;
    wb_gen_insert_sql(ctx, c, t, NULL, 1, 0, out);
    return t->ncolumns;
}

int wb_gen_plain_insert_row(const wb_gen_stmts *s, const wb_row *row, wb_error *e)
{
    return wb_gen_exec_row(s, 0, row, "insert", NULL, e);
}

/* The commit-queue strategy: ctx->threads producer threads generate rows (the
 * "application work") into one shared bounded queue; a single writer on
 * ctx->conns[0] drains it with a prepared upsert and commits every --batch rows.
 * The runner opens ctx->threads connections; only the first one writes.
 *
 * Parents before children: the tables are done one after another. Every producer
 * finishes table 1 before any row of table 2 is queued, and the one writer executes
 * rows in queue order on one connection, so every parent row is written (and visible
 * to the writer's own transaction) before any child row is. This holds for any
 * foreign key into keys 1..N, not only for address.user_id = id, which a per-key
 * "parent then child" order would rely on. */
#include <pthread.h>
#include <stdlib.h>

#include "strategies/sqlite/common.h"
#include "strategies/sqlite/sqlite_strategies.h"

#include "backends/sqlite.h"

#define QUEUE_MAX_ROWS 1024
#define PRODUCER_GROUP_ROWS 16

typedef struct queue_item {
    int table; /* index into the workload's tables */
    wb_row row;
} queue_item;

/* A bounded FIFO of rows: many producers, one consumer (the writer). The writer
 * reads items in place and frees their slots only after executing them, so a row
 * is never copied twice and its text stays valid while SQLite uses it. */
typedef struct row_queue {
    pthread_mutex_t lock;
    pthread_cond_t not_empty;
    pthread_cond_t not_full;
    queue_item *items;
    int64_t capacity, head, count;
    int producers_running;
    int stop; /* the writer failed: producers give up instead of waiting forever */
} row_queue;

typedef struct producer {
    row_queue *queue;
    const wb_table *table;
    int table_index;
    int version;
    int64_t first_key, last_key;
    pthread_t tid;
} producer;

/* Generate the producer's keys and queue them; returns early when the writer stops.
 * Rows are made outside the lock (the parallel part) and queued a few at a time, so
 * the producers and the writer meet on the lock once per group, not once per row. */
static void *produce(void *arg)
{
    producer *p = arg;
    row_queue *q = p->queue;
    wb_row group[PRODUCER_GROUP_ROWS];
    int64_t key = p->first_key;
    int stopped = 0;
    while (key <= p->last_key && !stopped) {
        int n = 0;
        for (; n < PRODUCER_GROUP_ROWS && key <= p->last_key; n++, key++)
            wb_row_make(p->table, key, p->version, &group[n]);
        pthread_mutex_lock(&q->lock);
        for (int i = 0; i < n; i++) {
            while (q->count == q->capacity && !q->stop) {
                pthread_cond_signal(&q->not_empty); /* what is queued so far, before sleeping */
                pthread_cond_wait(&q->not_full, &q->lock);
            }
            if (q->stop) {
                stopped = 1;
                break;
            }
            queue_item *slot = &q->items[(q->head + q->count) % q->capacity];
            slot->table = p->table_index;
            wb_row_copy(&slot->row, &group[i]);
            q->count++;
        }
        pthread_cond_signal(&q->not_empty);
        pthread_mutex_unlock(&q->lock);
    }
    pthread_mutex_lock(&q->lock);
    if (--q->producers_running == 0)
        pthread_cond_broadcast(&q->not_empty); /* the writer may be waiting for more */
    pthread_mutex_unlock(&q->lock);
    return NULL;
}

/* Tell the producers to give up (after a writer error). */
static void queue_stop(row_queue *q)
{
    pthread_mutex_lock(&q->lock);
    q->stop = 1;
    pthread_cond_broadcast(&q->not_full);
    pthread_mutex_unlock(&q->lock);
}

/* The writer's state across tables: one connection, one transaction every batch rows. */
typedef struct writer {
    wb_ctx *ctx;
    sqlite3 *db;
    sqlite3_stmt **upserts; /* one per table */
    int64_t commit_every;
    int64_t rows_in_transaction;
    int in_transaction;
} writer;

/* Execute one queued row, committing when the batch is full. */
static int write_item(writer *w, const queue_item *item, wb_error *e)
{
    if (!w->in_transaction) {
        if (wb_sq_begin(w->db, e) != 0)
            return -1;
        w->in_transaction = 1;
    }
    sqlite3_stmt *st = w->upserts[item->table];
    if (wb_sq_bind_row(w->db, st, 1, &item->row, e) != 0 || wb_sq_step_done(w->db, st, e) != 0) {
        sqlite3_clear_bindings(st);
        return wb_fail_prefix(e, "%s key %lld: ", w->ctx->workload->tables[item->table].name,
                              (long long)item->row.v[0].i64);
    }
    if (++w->rows_in_transaction == w->commit_every) {
        if (wb_sq_commit(w->db, e) != 0)
            return -1;
        w->in_transaction = 0;
        w->rows_in_transaction = 0;
    }
    return 0;
}

/* Drain the queue until every producer has finished and it is empty. */
static int drain(writer *w, row_queue *q, wb_error *e)
{
    for (;;) {
        pthread_mutex_lock(&q->lock);
        while (q->count == 0 && q->producers_running > 0)
            pthread_cond_wait(&q->not_empty, &q->lock);
        int64_t head = q->head, available = q->count;
        pthread_mutex_unlock(&q->lock);
        if (available == 0)
            return 0; /* producers done, queue empty */
        /* Take a quarter of the queue at most, so producers get free slots back early. */
        int64_t most = q->capacity / 4 > 0 ? q->capacity / 4 : 1;
        if (available > most)
            available = most;

        /* Slots head..head+available-1 are the writer's until it releases them below. */
        for (int64_t i = 0; i < available; i++)
            if (write_item(w, &q->items[(head + i) % q->capacity], e) != 0)
                return -1;
        /* Progress per chunk, not per commit: a large --batch still shows rows moving. */
        wb_ctx_rows_done(w->ctx, available);

        pthread_mutex_lock(&q->lock);
        q->head = (q->head + available) % q->capacity;
        q->count -= available;
        pthread_cond_broadcast(&q->not_full);
        pthread_mutex_unlock(&q->lock);
    }
}

/* Run the producers of one table and write what they queue. */
static int write_table(writer *w, row_queue *q, int table_index, int nproducers, wb_error *e)
{
    wb_ctx *ctx = w->ctx;
    producer *producers = wb_xcalloc((size_t)nproducers, sizeof *producers);
    int64_t per = ctx->rows / nproducers, extra = ctx->rows % nproducers, next = 1;
    int started = 0, rc = 0;

    q->producers_running = nproducers;
    for (int i = 0; i < nproducers; i++) {
        int64_t count = per + (i < extra ? 1 : 0);
        producers[i] = (producer){q, &ctx->workload->tables[table_index], table_index, ctx->version,
                                  next, next + count - 1, 0};
        next += count;
        if (pthread_create(&producers[i].tid, NULL, produce, &producers[i]) != 0) {
            rc = wb_fail(e, "could not start producer thread %d of %d", i + 1, nproducers);
            pthread_mutex_lock(&q->lock);
            q->producers_running -= nproducers - started;
            pthread_mutex_unlock(&q->lock);
            break;
        }
        started++;
    }
    if (rc == 0)
        rc = drain(w, q, e);
    if (rc != 0)
        queue_stop(q);
    for (int i = 0; i < started; i++)
        pthread_join(producers[i].tid, NULL);
    free(producers);
    return rc;
}

int wb_sqlite_commit_queue(wb_ctx *ctx)
{
    const wb_workload *wl = ctx->workload;
    wb_error *e = ctx->error;
    int nproducers = ctx->threads > 0 ? ctx->threads : 1;
    writer w = {ctx, wb_sqlite_db(ctx->conns[0]), NULL, ctx->batch > 0 ? ctx->batch : INT64_MAX, 0, 0};
    row_queue q = {.capacity = 0};
    /* Room for a few batches keeps producers ahead of the writer at a commit; the cap
     * keeps a huge --batch from costing megabytes of queued rows (about 1.3 kB each). */
    q.capacity = ctx->batch > 0 && ctx->batch < QUEUE_MAX_ROWS / 4 ? 4 * ctx->batch : QUEUE_MAX_ROWS;
    q.items = wb_xmalloc((size_t)q.capacity * sizeof *q.items);
    pthread_mutex_init(&q.lock, NULL);
    pthread_cond_init(&q.not_empty, NULL);
    pthread_cond_init(&q.not_full, NULL);

    w.upserts = wb_xcalloc((size_t)wl->ntables, sizeof *w.upserts);
    wb_buf sql = WB_BUF_INIT;
    int rc = 0;
    for (int t = 0; t < wl->ntables && rc == 0; t++) {
        wb_buf_reset(&sql);
        wb_sq_insert_sql(ctx->conns[0], &wl->tables[t], "INSERT", 1, 1, &sql);
        if ((rc = wb_sq_prepare(w.db, wb_buf_str(&sql), &w.upserts[t], e)) != 0)
            wb_fail_prefix(e, "%s: ", wl->tables[t].name);
    }
    for (int t = 0; t < wl->ntables && rc == 0; t++)
        rc = write_table(&w, &q, t, nproducers, e);
    if (rc == 0 && w.in_transaction)
        rc = wb_sq_commit(w.db, e);
    if (rc != 0)
        wb_sq_rollback(w.db);

    for (int t = 0; t < wl->ntables; t++)
        sqlite3_finalize(w.upserts[t]);
    free(w.upserts);
    wb_buf_free(&sql);
    pthread_cond_destroy(&q.not_full);
    pthread_cond_destroy(&q.not_empty);
    pthread_mutex_destroy(&q.lock);
    free(q.items);
    return rc;
}

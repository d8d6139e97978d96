/* The commit-queue pattern's bounded queue (see queue.h): many producers, one
 * consumer. The consumer reads items in place and frees their slots only after
 * consuming them, so a row is never copied twice and its text stays valid while
 * the database library uses it. Moved here from the SQLite commit-queue strategy
 * so that every backend's writer drains the same queue. */
#include "strategies/queue.h"

#include <pthread.h>
#include <stdlib.h>

#define QUEUE_MAX_ROWS 1024
#define PRODUCER_GROUP_ROWS 16

typedef struct row_queue {
    pthread_mutex_t lock;
    pthread_cond_t not_empty;
    pthread_cond_t not_full;
    wb_queue_item *items;
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

int64_t wb_queue_capacity(int64_t batch)
{
    return batch > 0 && batch < QUEUE_MAX_ROWS / 4 ? 4 * batch : QUEUE_MAX_ROWS;
}

/* Generate the producer's keys and queue them; returns early when the writer stops.
 * Rows are made outside the lock (the parallel part) and queued a few at a time, so
 * the producers and the writer meet on the lock once per group, not once per row. */
static void *produce(void *arg)
{
    producer *p = arg;
    row_queue *q = p->queue;
    wb_row group[PRODUCER_GROUP_ROWS];
    for (int i = 0; i < PRODUCER_GROUP_ROWS; i++)
        group[i] = (wb_row)WB_ROW_INIT;
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
            wb_queue_item *slot = &q->items[(q->head + q->count) % q->capacity];
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
    for (int i = 0; i < PRODUCER_GROUP_ROWS; i++)
        wb_row_free(&group[i]);
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

/* Drain the queue until every producer has finished and it is empty. */
static int drain(wb_ctx *ctx, row_queue *q, wb_queue_consume_fn consume, void *arg, wb_error *e)
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
            if (consume(arg, &q->items[(head + i) % q->capacity], e) != 0)
                return -1;
        /* Progress per chunk, not per commit: a large --batch still shows rows moving. */
        wb_ctx_rows_done(ctx, available);

        pthread_mutex_lock(&q->lock);
        q->head = (q->head + available) % q->capacity;
        q->count -= available;
        pthread_cond_broadcast(&q->not_full);
        pthread_mutex_unlock(&q->lock);
    }
}

/* Run the producers of one table and consume what they queue. */
static int run_table(wb_ctx *ctx, row_queue *q, int table_index, int nproducers,
                     wb_queue_consume_fn consume, void *arg, wb_error *e)
{
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
        rc = drain(ctx, q, consume, arg, e);
    if (rc != 0)
        queue_stop(q);
    for (int i = 0; i < started; i++)
        pthread_join(producers[i].tid, NULL);
    free(producers);
    return rc;
}

int wb_queue_run(wb_ctx *ctx, int nproducers, int64_t capacity, wb_queue_consume_fn consume, void *arg,
                 wb_error *e)
{
    row_queue q = {.capacity = capacity > 0 ? capacity : 1};
    /* zeroed: every slot's row starts as WB_ROW_INIT and keeps its memory for the next row */
    q.items = wb_xcalloc((size_t)q.capacity, sizeof *q.items);
    pthread_mutex_init(&q.lock, NULL);
    pthread_cond_init(&q.not_empty, NULL);
    pthread_cond_init(&q.not_full, NULL);
    if (nproducers < 1)
        nproducers = 1;

    int rc = 0;
    for (int t = 0; t < ctx->workload->ntables && rc == 0; t++)
        rc = run_table(ctx, &q, t, nproducers, consume, arg, e);

    pthread_cond_destroy(&q.not_full);
    pthread_cond_destroy(&q.not_empty);
    pthread_mutex_destroy(&q.lock);
    for (int64_t i = 0; i < q.capacity; i++)
        wb_row_free(&q.items[i].row);
    free(q.items);
    return rc;
}

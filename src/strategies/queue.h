/* The commit-queue pattern's queue, shared by every backend: producer threads
 * generate rows (the "application work") into one bounded FIFO that a single
 * consumer, the writer, drains on the calling thread.
 *
 * Parents before children: the tables are done one after another. Every producer
 * finishes table 1 before any row of table 2 is queued, and the one consumer sees
 * rows in queue order, so a writer on one connection writes every parent row
 * before any child row. This holds for any foreign key into keys 1..N, not only for
 * address.user_id = id, which a per-key "parent then child" order would rely on. */
#ifndef WB_STRATEGIES_QUEUE_H
#define WB_STRATEGIES_QUEUE_H

#include <stdint.h>

#include "strategies/strategy.h"

/* One queued row and the index of its table in the workload. */
typedef struct wb_queue_item {
    int table;
    wb_row row;
} wb_queue_item;

/* The writer's work on one row, called in queue order on the thread that called
 * wb_queue_run. The item (and its row's text) stays valid until the call returns.
 * Return 0, or -1 with e set: the producers then give up and wb_queue_run fails. */
typedef int (*wb_queue_consume_fn)(void *arg, const wb_queue_item *item, wb_error *e);

/* Slots for a given --batch: room for a few batches keeps producers ahead of the
 * writer at a commit; the cap keeps a huge --batch from costing megabytes of queued
 * rows (each holds its values, a few hundred bytes for a narrow table). */
int64_t wb_queue_capacity(int64_t batch);

/* Generate keys 1..ctx->rows of every table of ctx->workload in ctx->version with
 * nproducers threads over disjoint key ranges, through a queue of capacity slots,
 * and call consume for every row on the calling thread. Rows done are reported as
 * the writer gets through each chunk of the queue (not per commit: a large --batch
 * still shows rows moving). */
int wb_queue_run(wb_ctx *ctx, int nproducers, int64_t capacity, wb_queue_consume_fn consume, void *arg,
                 wb_error *e);

#endif

/* Counters a strategy's child process shares with the parent (in MAP_SHARED
 * memory), so the parent can show live progress and record commits, lock
 * waits and the latency of each batch even when the child crashes or is killed. */
#ifndef WB_UTIL_COUNTERS_H
#define WB_UTIL_COUNTERS_H

#include <stdatomic.h>
#include <stdint.h>

#include "util/histogram.h"

typedef struct wb_counters {
    _Atomic int64_t rows_done;    /* rows written so far by this test */
    _Atomic int64_t commits;      /* transactions committed (SQLite: commit hook) */
    _Atomic int64_t lock_waits;   /* times a writer found the database locked and waited */
    _Atomic int64_t lock_wait_ns; /* total time spent waiting for locks */
    _Atomic int64_t transaction_retries; /* transactions the server rolled back (deadlock, lock wait
                                          * timeout) and the strategy ran again */
    /* Each batch's latency: from its first row sent until the server acknowledged it
     * (its commit, its statement, its pipeline sync, its COPY); wb_ctx_batch_done. */
    wb_histogram batch_latency;
} wb_counters;

#endif

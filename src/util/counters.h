/* Counters a strategy's child process shares with the parent (in MAP_SHARED
 * memory), so the parent can show live progress and record commits and lock
 * waits even when the child crashes or is killed. */
#ifndef WB_UTIL_COUNTERS_H
#define WB_UTIL_COUNTERS_H

#include <stdatomic.h>
#include <stdint.h>

typedef struct wb_counters {
    _Atomic int64_t rows_done;    /* rows written so far by this test */
    _Atomic int64_t commits;      /* transactions committed (SQLite: commit hook) */
    _Atomic int64_t lock_waits;   /* times a writer found the database locked and waited */
    _Atomic int64_t lock_wait_ns; /* total time spent waiting for locks */
} wb_counters;

#endif

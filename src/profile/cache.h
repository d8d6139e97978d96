/* The caching study (issue 5, item 4): repeated point lookups with Zipf keys
 * through three paths — a plain query each time, a prepared statement, and a
 * client-side LRU cache in front of the prepared statement — then an update
 * pass that counts the stale reads the cache serves with and without
 * invalidation on write. Also the LRU cache itself (wb_lru). */
#ifndef WB_PROFILE_CACHE_H
#define WB_PROFILE_CACHE_H

#include <stddef.h>
#include <stdint.h>

#include "backends/backend.h"
#include "util/buf.h"
#include "util/error.h"
#include "workloads/workload.h"

/* ---- LRU cache: int64 key -> a copy of a text value; O(1) get/put/invalidate
 * (open-addressing hash table of node indexes + doubly linked recency list). */
typedef struct wb_lru wb_lru;

/* A cache holding at most capacity (>= 1) entries; NULL when capacity is 0 or out of memory. */
wb_lru *wb_lru_new(size_t capacity);
/* Free the cache and its values (NULL is allowed). */
void wb_lru_free(wb_lru *lru);
/* The value of key and its length, making key the most recently used; counts a hit.
 * NULL on a miss (counted). The pointer stays valid until the next put/invalidate/clear. */
const char *wb_lru_get(wb_lru *lru, int64_t key, size_t *len_out);
/* Store a copy of value (len bytes, NUL added) under key as most recently used,
 * replacing an existing value, evicting the least recently used entry when full.
 * Returns 0, or -1 when out of memory (the cache is unchanged then). */
int wb_lru_put(wb_lru *lru, int64_t key, const char *value, size_t len);
/* Drop key (the write path's invalidation); 1 if it was cached, 0 if not. Not a hit or miss. */
int wb_lru_invalidate(wb_lru *lru, int64_t key);
/* Drop every entry; the counters are kept. */
void wb_lru_clear(wb_lru *lru);
/* Whether key is cached, without touching recency or counters. */
int wb_lru_contains(const wb_lru *lru, int64_t key);
size_t wb_lru_size(const wb_lru *lru);
size_t wb_lru_capacity(const wb_lru *lru);
int64_t wb_lru_hits(const wb_lru *lru);
int64_t wb_lru_misses(const wb_lru *lru);
int64_t wb_lru_evictions(const wb_lru *lru);
/* hits / (hits + misses), 0 when nothing was looked up. */
double wb_lru_hit_ratio(const wb_lru *lru);

/* ---- The study ---- */

typedef struct wb_cache_study_options {
    int64_t lookups;        /* lookups per path in the read phase (default 10000) */
    double zipf_s;          /* Zipf exponent, > 0 (default 1.0) */
    uint64_t seed;          /* key stream seed; every path replays the same keys (default 42) */
    int64_t capacity;       /* LRU entries; 0 = default: max(1, rows / 10) */
    double update_share;    /* share of the rows rewritten to version 2 in the update pass,
                             * in (0, 1] (default 0.2); the keys rewritten are 1..share*rows,
                             * the hottest under Zipf, so the cache holds many of them */
    int64_t update_lookups; /* cached lookups interleaved with the updates, per update pass;
                             * 0 = default: lookups */
} wb_cache_study_options;

/* Fill o with the defaults above. */
void wb_cache_study_options_default(wb_cache_study_options *o);

enum { WB_CACHE_PATH_PLAIN = 0, WB_CACHE_PATH_PREPARED = 1, WB_CACHE_PATH_CACHED = 2, WB_CACHE_PATHS = 3 };

/* One path of the read phase. */
typedef struct wb_cache_path_result {
    const char *name;  /* "plain", "prepared", "cached" */
    int64_t lookups;
    int64_t hits;      /* cached path only; 0 for the others */
    int64_t misses;    /* cached path: lookups that went to the database; others: = lookups */
    double hit_ratio;  /* cached path: hits / lookups; others: 0 */
    double total_s;    /* sum of the per-lookup latencies (the correctness check of each read excluded) */
    double mean_us, p50_us, p95_us, p99_us;  /* per-lookup latency */
    double speedup;    /* plain mean_us / this mean_us (1.0 for plain) */
} wb_cache_path_result;

/* One update pass: updates interleaved with cached lookups. */
typedef struct wb_cache_stale_result {
    int invalidate;        /* 1: the write path invalidated the key it rewrote */
    int64_t updates;       /* rows rewritten to version 2 */
    int64_t lookups;       /* cached lookups during the pass */
    int64_t hits;
    double hit_ratio;      /* hits / lookups */
    int64_t stale_reads;   /* hits whose value differs from what the database holds now */
    double stale_ratio;    /* stale_reads / lookups */
} wb_cache_stale_result;

/* One point of the hit ratio against capacity. */
typedef struct wb_cache_curve_point {
    int64_t capacity; /* LRU entries */
    int64_t hits;     /* of the read phase's lookups */
    double hit_ratio; /* hits / lookups */
} wb_cache_curve_point;

/* Capacities 1, 2, 5, 10, ... up to the distinct keys, the distinct keys, and the study's own. */
#define WB_CACHE_CURVE_MAX 64

/* The hit ratio of keys[0..n) through an LRU at each capacity of the series above
 * (distinct_keys: how many distinct keys the sequence holds; capacity: the study's),
 * into out (WB_CACHE_CURVE_MAX room), in capacity order; returns how many, -1 when
 * out of memory. A replay in memory (cache_curve.c): exact, no database read. */
int wb_cache_capacity_curve(const int64_t *keys, int64_t n, int64_t distinct_keys, int64_t capacity,
                            wb_cache_curve_point *out);

typedef struct wb_cache_study_result {
    const char *table;     /* the workload's first table */
    int64_t rows;
    double zipf_s;
    uint64_t seed;
    int64_t capacity;
    int64_t distinct_keys; /* distinct keys among the read phase's lookups */
    wb_cache_path_result paths[WB_CACHE_PATHS];
    wb_cache_stale_result stale[2]; /* [0] without invalidation, [1] with */
    wb_cache_curve_point curve[WB_CACHE_CURVE_MAX]; /* the read phase's hit ratio against capacity */
    int ncurve;
} wb_cache_study_result;

/* Run the study on the workload's first table, whose keys 1..rows hold version 1
 * (the caller loads them). Every value read is checked against the generator
 * (a wrong database read is an error, not a stale read). Leaves the table at
 * version 1 again. o NULL means the defaults. SQLite and PostgreSQL.
 * Fills e and returns -1 on failure.
 *
 * How: the same Zipf key sequence (o->seed) goes through each path in turn:
 * plain = sqlite3_prepare_v2 + bind + step + finalize / PQexecParams per lookup;
 * prepared = one statement, bind + step + reset / PQexecPrepared; cached = the
 * LRU, and the prepared statement on a miss (then put). Each update pass starts
 * with a fresh cache warmed by that sequence, then rewrites keys 1..ceil(share*rows)
 * (hottest first, one autocommitted prepared UPDATE each) with update_lookups cached
 * lookups of a second Zipf stream (seed + 1) spread evenly between the updates; a
 * hit is stale when its text differs from wb_row_make(key, the version the row has
 * now); with invalidation the write path drops the key from the cache after the
 * UPDATE. The rewritten keys go back to version 1 in one transaction after each pass.
 * Memory: 16 bytes per lookup (keys, latencies) + 1 byte per row + the cache.
 * PostgreSQL: prepares "wb_cache_select" and "wb_cache_update" on c and deallocates
 * them (by name) before returning. */
int wb_cache_study(const wb_backend *b, wb_conn *c, const wb_workload *w, int64_t rows,
                   const wb_cache_study_options *o, wb_cache_study_result *out, wb_error *e);

/* The canonical text of a row as the cache stores it: each column as "<len>:<bytes>"
 * or "-" for NULL; a DECIMAL with its column's scale whatever the backend returned
 * ("100" on SQLite for 100.00), a FLOAT as its double in full, booleans as 1 or 0, and json and
 * bytes, which the server rewrites, as "*". values[i] is column i's text as read
 * (NULL for SQL NULL). Exposed for tests. */
void wb_cache_row_text(const wb_table *t, const char *const *values, wb_buf *out);

#endif

/* Advice: for each need a user has -- a one-off bulk load, steady batches of B
 * rows, insert-or-update -- the fastest verified strategy of the runs read and
 * its runner-up, with rows/s (and its interval when there are repeats), client
 * memory and the server work measured (WAL bytes, commits, the database's
 * growth, the server's memory). Chosen only inside one comparable set of
 * findings (the same workload, backend, phase, check, settings, rows and
 * threads: wb_findings_same_set_fields), never across sizes or settings; a need
 * the runs did not measure is said to be so, with the options that measure it.
 * docs/ANALYSIS.md ("advice") has the rules.
 *
 * The needs are one table (needs[] in advice.c): a need is a row. The code for
 * the user's own tables is generated above this layer (src/advise/). */
#ifndef WB_ANALYSIS_ADVICE_H
#define WB_ANALYSIS_ADVICE_H

#include <stdint.h>

#include "runner/result.h"
#include "util/buf.h"
#include "util/error.h"

typedef enum wb_need {
    WB_NEED_BULK_LOAD = 0, /* the insert pass at the largest rows measured */
    WB_NEED_BATCHES,       /* the insert pass of strategies that honour --batch, per batch size */
    WB_NEED_UPSERT,        /* the update pass: rows that exist get their new values */
    WB_NEED_COUNT
} wb_need;

/* "bulk-load", "batches", "insert-or-update": a stable key (file names, JSON). */
const char *wb_need_id(wb_need n);
/* "load", "batches", "upsert": short, in the names of generated programs. */
const char *wb_need_short_id(wb_need n);
/* "one-off bulk load", ...: for a person. */
const char *wb_need_title(wb_need n);
/* The phase a need is measured in ("insert" or "update"). */
const char *wb_need_phase(wb_need n);

/* One strategy as advised: what it is and what it cost (NAN / -1 unknown). */
typedef struct wb_advice_pick {
    char strategy[64];
    int external;
    char language[16];
    int64_t batch;              /* -1: ignores --batch */
    int tests;                  /* successful tests it rests on */
    double mean_duration_s;
    double rows_per_s;          /* mean */
    double rows_per_s_low;      /* the duration's 95% interval as rows/s; NAN: single run */
    double rows_per_s_high;
    double peak_rss_kb;         /* client, mean */
    double server_peak_rss_kb;  /* mean */
    double wal_bytes;           /* mean */
    double commits;             /* mean */
    double db_bytes;            /* mean */
} wb_advice_pick;

/* The advice for one need in one comparable set; or, with has_best 0, that the
 * need was not measured for this workload and backend (why: what is missing). */
typedef struct wb_advice {
    wb_need need;
    char workload[64], backend[32], verify[8], settings[256];
    int64_t rows, threads;
    int64_t batch;              /* WB_NEED_BATCHES: B; -1 otherwise */
    int has_best, has_runner_up;
    wb_advice_pick best, runner_up;
    int candidates;             /* verified strategies compared */
    int left_out;               /* strategies of the set left out because a test of theirs failed */
    char why[256];              /* when not measured: what the runs lack and the options that give it */
} wb_advice;

typedef struct wb_advice_set {
    wb_advice *items;           /* by workload, backend, then need */
    int n, cap;
} wb_advice_set;

#define WB_ADVICE_SET_INIT {NULL, 0, 0}

/* Compute the advice of results[0..n) into *out. -1 with e when grouping fails. */
int wb_advice_compute(const wb_result *results, int n, wb_advice_set *out, wb_error *e);
void wb_advice_free(wb_advice_set *a);

/* "users on sqlite, 100,000 rows, 1 thread" (and the batch, the settings). */
void wb_advice_set_title(const wb_advice *a, wb_buf *out);
/* "values-multirow (batch 1,000): 512,300 rows/s (95% interval ...), 6.1 MiB client, 2.0 MiB WAL, 4 commits". */
void wb_advice_pick_text(const wb_advice_pick *p, wb_buf *out);
/* One item as text for a person: its need and set, then what to use, the
 * runner-up, what was left out, or that it was not measured. */
void wb_advice_item_text(const wb_advice *x, wb_buf *out);
/* The whole advice as text for a person, one paragraph per item. */
void wb_advice_text(const wb_advice_set *a, wb_buf *out);

#endif

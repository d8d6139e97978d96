/* The workload's typical reads for `writebench profile`: their SQL per backend,
 * deterministic parameters per repetition (keys' own values from the
 * generator), execution as prepared statements with per-execution latency,
 * and the plan (EXPLAIN QUERY PLAN on SQLite, EXPLAIN (ANALYZE, BUFFERS) on
 * PostgreSQL). */
#ifndef WB_PROFILE_READS_H
#define WB_PROFILE_READS_H

#include <stdint.h>

#include "analysis/stats.h"
#include "backends/backend.h"
#include "util/buf.h"
#include "util/error.h"
#include "workloads/workload.h"

#define WB_READ_MAX_PARAMS 2
/* A read's parameter is a value of the users or products workload (the reads of
 * reads.c), all far shorter than this. */
#define WB_READ_PARAM_BYTES 1024

/* One bound parameter: SQLite binds it as its type, PostgreSQL sends the text. */
typedef struct wb_read_param {
    wb_type type;
    int64_t i64;                  /* INT64: the value; DECIMAL: hundredths */
    char text[WB_READ_PARAM_BYTES]; /* the value as text */
} wb_read_param;

typedef struct wb_read_def {
    const char *workload;    /* "products" */
    const char *name;        /* stable key in profile.csv: "by-category" */
    const char *description; /* one line */
    int nparams;
    /* Append the statement (placeholders $1, $2 in order) for b's dialect. */
    void (*sql)(const wb_backend *b, wb_conn *c, wb_buf *out);
    /* Fill the parameters of repetition rep (0-based) over keys 1..rows. */
    void (*params)(const wb_workload *w, int64_t rows, int64_t rep, wb_read_param *out);
} wb_read_def;

/* The reads of workload w (count in *n); NULL when it has none. */
const wb_read_def *wb_reads_for(const wb_workload *w, int *n);

/* Latency figures of K executions, in microseconds (nearest-rank percentiles). */
typedef struct wb_latency {
    int64_t repetitions;
    double mean_us, p50_us, p95_us, p99_us;
    double rows_returned_mean; /* rows each execution returned, on average */
    wb_stats samples_us;       /* every timed execution, for the trade-off's test against the noise */
} wb_latency;

/* Prepare read r once, run it `repeat` times with its parameters (one untimed
 * warm-up first), and fill the latency figures. Stops with an error when the
 * user interrupts (SIGINT/SIGTERM, runner/child.h). */
int wb_read_measure(const wb_backend *b, wb_conn *c, const wb_workload *w, const wb_read_def *r,
                    int64_t rows, int64_t repeat, wb_latency *out, wb_error *e);

/* Append r's plan for the parameters of repetition 0, one line per plan node. */
int wb_read_plan(const wb_backend *b, wb_conn *c, const wb_workload *w, const wb_read_def *r,
                 int64_t rows, wb_buf *out, wb_error *e);

#endif

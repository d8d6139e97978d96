/* aggregate: results grouped by (strategy, phase, backend, workload, rows,
 * threads, batch, verify, settings) -- different sizes, values checked against
 * rows only counted, and tests under other session settings are never mixed -- with per-group
 * statistics and z-scores against the comparable groups (those sharing
 * workload, backend, rows and phase). docs/ANALYSIS.md gives every formula.
 *
 * A strategy's origin (built-in or external) and language are part of the key
 * too: one name is one program within a run, but across runs the same name
 * could be a Python script in one and a native program in another, and their
 * times must never pool into one mean.
 *
 * Duration, rows/s, memory and WAL statistics are over the group's SUCCESSFUL
 * tests only (a failed test's figures measure a failure); runs and success_rate
 * count every test. */
#ifndef WB_ANALYSIS_AGGREGATE_H
#define WB_ANALYSIS_AGGREGATE_H

#include <stddef.h>
#include <stdint.h>

#include "analysis/output.h"
#include "runner/result.h"
#include "util/error.h"

typedef struct wb_group {
    /* identity (aggregate columns 1-8) */
    char test[128];             /* "<strategy>-<phase>" */
    char strategy[64];
    char phase[16];
    char backend[32];
    char workload[64];
    int64_t rows;
    int64_t threads;
    int64_t batch;              /* -1: the strategy ignores --batch (shown empty) */
    int external;               /* key too, aggregate column 25 "origin": 0 built-in, 1 external */
    char language[16];          /* key too, aggregate column 26: "c" for built-ins, else the program's */
    char io[8];                 /* "sync", or "async" for a program declaring io=async (its first test's;
                                 * a property of the program, so not a key) */
    char verify[8];             /* key too, column 27: "values", "count" or "none": never mixed */
    char settings[256];         /* key too, the last column: the session settings (--set, --pragma), "" none */
    /* the aggregate columns 9-24; NAN = unknown (no successful test, or n too small) */
    int runs;                   /* tests in the group, successful or not */
    int successes;
    double success_rate;        /* successes / runs */
    double mean_duration_s;
    double sd_duration_s;       /* sample sd (n - 1); NAN when successes < 2 */
    double median_duration_s;
    double min_duration_s;
    double max_duration_s;
    double ci95_low_s;          /* mean -/+ t(0.975, n-1) sd / sqrt(n); NAN when successes < 2 */
    double ci95_high_s;
    const char *ci95_note;      /* "" or why there is no interval: "single run", "too few runs" (it would
                                 * reach below zero), "no successful run" */
    double mean_rows_per_s;
    double mean_peak_rss_kb;    /* client peak RSS */
    int64_t max_peak_rss_kb;    /* -1 unknown */
    double mean_wal_bytes;      /* over successful tests whose wal_bytes is known */
    double z_duration;          /* (mean_duration - mean of comparable groups' means) / their sd */
    double z_memory;            /* the same for mean_peak_rss_kb */
    int outlier;                /* successful tests whose duration has |modified z| > 3.5 in the group */
    /* more, for report and compare (not aggregate columns) */
    double mean_server_share;   /* mean of known server_share; NAN when none */
    double mean_server_peak_rss_kb;
    double mean_cpu_user_s;
    double mean_cpu_sys_s;
    double sd_rows_per_s;
    double mean_verify_s;       /* verification's wall time (outside the timed region) */
    double mean_process_s;      /* external programs: the whole process's life */
    double mean_client_share;   /* generate-only's time as a share of this one's */
    /* the last aggregate columns: the batches' latencies, the median over the tests that
     * recorded batches of each one's percentile, and the largest batch of all; NAN none */
    double median_batch_p50_ms;
    double median_batch_p95_ms;
    double median_batch_p99_ms;
    double max_batch_max_ms;
    /* samples of the successful tests, in input order (nsamples == successes);
     * a sample's figure is NAN / -1 when that test did not know it */
    int nsamples;
    double *durations_s;
    double *rows_per_s;
    int64_t *peak_rss_kb;
    const wb_result **samples;  /* the successful results themselves (point into the input) */
} wb_group;

/* Group rows[0..n) into a new array *out of *ngroups groups, ordered by workload,
 * backend, rows, phase, then mean_rows_per_s descending (unknown last), then
 * strategy, origin, language, threads, batch. The groups point into rows (samples): keep rows alive.
 * n == 0 gives no groups and succeeds. */
int wb_aggregate(const wb_result *rows, int n, wb_group **out, int *ngroups, wb_error *e);
/* Release groups made by wb_aggregate (NULL allowed). */
void wb_groups_free(wb_group *groups, int ngroups);

/* name plus, for an external program, its language: "orm_merge-insert (python)";
 * a built-in's name unchanged. For people (report, compare's tables); the
 * machine-readable formats keep the name and the origin/language columns apart. */
void wb_group_label(const char *name, int external, const char *language, char *out, size_t n);

/* The aggregate columns (docs/ARCHITECTURE.md, "Results files"), in order, then
 * origin and language (appended, so readers of the first 24 keep working). */
extern const wb_out_column wb_aggregate_columns[];
extern const int wb_aggregate_ncolumns;

/* The groups as a table with exactly the aggregate columns (write it with
 * json key "groups"). */
wb_out_table *wb_aggregate_table(const wb_group *groups, int ngroups);

#endif

/* One test's result: one row of results.csv and one object of results.json.
 * Unknown figures are NAN (doubles) or -1 (integers) and are written empty. */
#ifndef WB_RUNNER_RESULT_H
#define WB_RUNNER_RESULT_H

#include <stdint.h>

typedef enum wb_status {
    WB_STATUS_OK = 0,      /* ran and verified */
    WB_STATUS_FAILED,      /* the strategy reported an error, or verification failed */
    WB_STATUS_CRASHED,     /* the child died of a signal or exited without reporting */
    WB_STATUS_TIMEOUT,     /* killed at --timeout */
    WB_STATUS_SKIPPED,     /* the server cannot run it (error holds "skipped: <reason>") */
    WB_STATUS_NOT_MEASURED /* writebench's own fault (a full disk, a file-size limit, no fork): the
                            * strategy is not to blame; error holds "not measured: <writebench's error>" */
} wb_status;

/* "ok", "failed", "crashed", "timeout", "skipped", "not-measured". */
const char *wb_status_name(wb_status s);

typedef struct wb_result {
    /* identity: results.csv columns, in order */
    char run_id[64];
    char test[128];             /* "<strategy>-<phase>" */
    char strategy[64];
    char phase[16];             /* "insert" or "update" */
    char backend[32];
    char server_version[64];
    char workload[64];          /* the name; aggregate and the other readers add @<sha256> for a file not shipped */
    int64_t rows;               /* rows per table actually written (--slow-rows for slow ones) */
    int64_t threads;
    int64_t batch;
    int64_t repeat;             /* 1-based */
    int success;                /* 1 only for WB_STATUS_OK */
    int64_t rows_verified;      /* rows found correct over all tables, -1 unknown */
    double duration_s;          /* wall time of the strategy, connect excluded */
    double rows_per_s;          /* rows * tables / duration */
    double connect_s;
    double cpu_user_s;
    double cpu_sys_s;
    int64_t peak_rss_kb;        /* client peak RSS (wait4 ru_maxrss) */
    int64_t server_peak_rss_kb; /* PostgreSQL backend on this machine; -1 otherwise */
    int64_t wal_bytes;          /* growth during the test, -1 unknown */
    int64_t commits;            /* commits made by the test, -1 unknown */
    int64_t db_bytes;           /* growth of the database during the test, -1 unknown */
    char error[2048];           /* empty on success */
    char verify[8];             /* how the rows were checked: "values", "count", or "none" (generate-only writes nothing) */
    double verify_s;            /* wall time of the verification, outside the timed region like connect_s */
    double process_s;           /* external programs: the whole process's life, start-up included; NAN otherwise */
    char settings[256];         /* the session settings of the test, --set and --pragma as given, "name=value;...";
                                 * "" none (grouped apart: a test under other settings is another test) */
    int64_t standby_received_bytes; /* WAL the standby received during the test (by its end), -1 unknown or none */
    int64_t standby_lag_bytes;  /* WAL it had not replayed when the test ended, -1 unknown or none */
    double standby_replay_lag_s; /* the server's replay_lag when the test ended, NAN unknown or none */
    int64_t batches;            /* batches whose latency was recorded (commits, statements of many rows,
                                 * pipeline syncs, COPYs: wb_ctx_batch_done); -1 unknown or none recorded */
    double batch_p50_ms;        /* their latency's median, 95th and 99th percentiles and maximum, in ms;
                                 * NAN unknown (see docs/FORMATS.md: each percentile within 1.6%) */
    double batch_p95_ms;
    double batch_p99_ms;
    double batch_max_ms;
    /* results.json only (not CSV columns) */
    wb_status status;
    int slow;                   /* ran at --slow-rows */
    int64_t lock_waits;         /* times a writer waited for a lock (SQLite with threads) */
    double lock_wait_s;         /* total time spent waiting for locks */
    int64_t transaction_retries; /* transactions the server rolled back (a deadlock, a lock wait timed
                                  * out) and the strategy ran again; -1 unknown */
    double server_share;        /* rows_per_s / server-generate's rows_per_s in this repeat and phase; NAN unknown */
    int external;               /* 0: a built-in strategy (C, inside writebench); 1: an external program */
    char language[16];          /* "c" for built-ins; external: "python", "shell", "native" or the #! interpreter */
    double client_share;        /* generate-only's duration (same rows, phase, repeat) / this duration; NAN unknown */
    char io[8];                 /* "sync", or "async" for an external program that declares io=async */
    int64_t cache_lookups;      /* external: lookups through the program's cache, as it reported them; -1 unknown */
    int64_t stale_reads;        /* external: cache hits among them that served an outdated value; -1 unknown */
    /* In memory only, never written: the strategy ignores --threads (its threads is 1 at
     * every --threads value), so it belongs to every threads group of a ranking. */
    int threads_ignored;
} wb_result;

/* The result's error without a leading "<status>: " that repeats its status word
 * ("skipped: x" -> "x"; "not measured: x" -> "x"), for lines that show the status apart. */
const char *wb_result_error_detail(const wb_result *r);

/* A result with every figure unknown and the given identity cleared: a
 * built-in strategy (external 0, language "c"). */
void wb_result_init(wb_result *r);

/* results.json's "origin" of a result: "built-in" (external == 0) or "external". */
const char *wb_origin_name(int external);
/* The origin named (exactly "built-in" or "external") into *external; -1 otherwise. */
int wb_origin_parse(const char *name, int *external);
/* The result's language, never empty: r->language, or when it was left empty
 * "c" for a built-in and "unknown" for an external program. */
const char *wb_result_language(const wb_result *r);

#endif

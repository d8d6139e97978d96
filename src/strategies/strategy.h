/* Strategies: the ways of writing rows that writebench measures.
 *
 * Every strategy is one entry of the catalogue (catalog.c): its name, family,
 * passes, flags, description, the idiom it mirrors, and how it runs on a
 * backend, by capability rather than by backend:
 *   - generic: one function written on the backend's statement layer
 *     (strategies/generic/), which runs on every backend whose capabilities
 *     (WB_CAP_*, backends/backend.h) include the entry's `needs`;
 *   - native: a backend's own function (strategies/<backend>/), named with its
 *     backend's kind, used there instead of the generic one, or alone when the
 *     strategy is what only that backend can do (COPY, pipeline, INSERT OR REPLACE).
 * wb_strategy_fn_for() gives the function for a backend, or NULL with the
 * missing capability as the reason; `run`, `describe`, `--strategies` and the
 * error for a mistyped name all read that one table.
 *
 * How to add a strategy:
 *   1. write it once as `int wb_generic_<name>(wb_ctx *ctx)` under
 *      strategies/generic/ on the loops and SQL of generic.h, if the statement
 *      layer and the dialect can say it; only what a backend alone can do goes
 *      in strategies/<backend>/ as `wb_<backend>_<name>`. It writes keys
 *      1..ctx->rows of every table of ctx->workload in version ctx->version,
 *      calls wb_ctx_rows_done() as it goes and wb_ctx_batch_done() after each batch
 *      the server acknowledged (the loops of generic.h do both), and on error fills ctx->error and
 *      returns -1 (WB_SKIP when the server is too old for it); a loop of its own
 *      over the tables in wb_run_threads() commits and meets the other threads
 *      where wb_threads_sync_before() says (below);
 *   2. add one entry to wb_catalog[] in catalog.c, in the order `run` should
 *      run it: GENERIC(fn, needs) and/or NATIVES(NATIVE(KIND, fn), ...); name it
 *      in lower case with hyphens: the name is a key in results files that
 *      people keep for years, so never rename it.
 * The runner opens ctx->threads connections before the clock starts, verifies
 * afterwards and measures from outside; a strategy only writes. */
#ifndef WB_STRATEGIES_STRATEGY_H
#define WB_STRATEGIES_STRATEGY_H

#include <stdint.h>

#include "backends/backend.h"
#include "util/buf.h"
#include "util/counters.h"
#include "util/error.h"
#include "workloads/workload.h"

typedef enum wb_phase {
    WB_PHASE_INSERT = 0, /* empty tables, version 1 */
    WB_PHASE_UPDATE = 1  /* the same keys already hold version 1; write version 2 */
} wb_phase;

/* "insert" or "update". */
const char *wb_phase_name(wb_phase p);

/* passes: which phases a strategy takes part in */
#define WB_PASS_INSERT 1u
#define WB_PASS_UPDATE 2u

/* flags */
#define WB_STRAT_SLOW 1u       /* runs at --slow-rows: one round trip and commit per row */
#define WB_STRAT_THREADS 2u    /* honours --threads (T connections over disjoint key ranges) */
#define WB_STRAT_BATCH 4u      /* honours --batch */
#define WB_STRAT_REFERENCE 8u  /* the server-generate reference, not a client strategy */
#define WB_STRAT_TEST_ONLY 16u /* deliberately broken, for writebench's own tests only */
#define WB_STRAT_EXTERNAL 32u  /* a program named by --external or --external-dir */
#define WB_STRAT_CLIENT_FLOOR 64u /* the generate-only reference: makes and encodes the rows, writes
                                   * nothing (so nothing to verify); its time is every other test's
                                   * client floor */
#define WB_STRAT_REBUILDS_INDEXES 128u /* drops the table's secondary indexes and constraints and rebuilds
                                       * them after its load (load-then-index): it undoes a schema
                                       * variant, so profile never loads with it */
#define WB_STRAT_TRUNCATES 256u /* empties the tables before it loads (copy-freeze: FREEZE needs a table
                                * truncated in its transaction): rows already there are replaced, never
                                * a duplicate key */
/* Strategies the others are measured against: they run first in each combination. */
#define WB_STRAT_RUNS_FIRST (WB_STRAT_REFERENCE | WB_STRAT_CLIENT_FLOOR)

/* What a strategy function gets: everything about the test it runs. */
typedef struct wb_ctx {
    const wb_backend *backend;
    const wb_target *target;
    const wb_workload *workload;
    wb_phase phase;
    int version;           /* data version to write: 1 on insert, 2 on update */
    int64_t rows;          /* keys 1..rows in every table */
    int64_t batch;         /* rows per batch / per commit (--batch) */
    int threads;           /* number of connections in conns */
    wb_conn **conns;       /* open connections, one per thread, opened before the clock started */
    wb_counters *counters; /* shared with the parent */
    wb_error *error;       /* the first error; the function returns -1 after filling it */
    /* External strategies only (strategies/external.h); NULL for built-ins. */
    const struct wb_external *external; /* the program to run */
    const char *output_dir;             /* the test's directory for the program's files */
    int64_t repeat;                     /* 1-based, passed on to the program */
    double timeout_s;                   /* passed on to the program */
    struct wb_process_usage *usage;     /* filled with the program tree's CPU and memory */
    /* Set by wb_run_threads while its threads run (NULL otherwise): where they meet
     * between tables (wb_threads_wait). */
    struct wb_thread_sync *sync;
} wb_ctx;

/* What a strategy that runs other processes measured of them: the runner reports
 * these instead of its own child's figures, which would include writebench's. */
typedef struct wb_process_usage {
    int valid;
    double cpu_user_s, cpu_sys_s; /* of every process of the tree */
    int64_t peak_rss_kb;          /* of the largest single process */
    int64_t server_peak_rss_kb;   /* of the largest server process serving it, sampled; -1 unknown */
    int killed_by_signal;         /* the program died of this signal: the test crashed */
    double wall_s;                /* from starting the program until its last process ended */
    int timed_region_reported;    /* the program reported its own timed region: */
    double timed_region_s;        /* its duration, which then is the test's duration_s */
    int64_t cache_lookups;        /* reported lookups through the program's cache; -1 not reported */
    int64_t stale_reads;          /* reported cache hits that served an outdated value; -1 not reported */
} wb_process_usage;

/* A strategy function returns 0 on success, -1 on error (ctx->error filled), or
 * WB_SKIP when the server cannot run it (ctx->error holds the reason, e.g. "MERGE
 * needs PostgreSQL 15 or later, the server is 14.9"): recorded as skipped, not failed. */
#define WB_SKIP 2

typedef int (*wb_strategy_fn)(wb_ctx *ctx);

/* A backend's own implementation of a strategy. */
typedef struct wb_native {
    wb_backend_kind backend;
    wb_strategy_fn fn; /* NULL ends the list */
} wb_native;
#define WB_MAX_NATIVES 2

typedef struct wb_strategy {
    const char *name;        /* stable key: "copy-binary" */
    const char *family;      /* "insert", "upsert", "update", "reference", "test" */
    unsigned passes;         /* WB_PASS_* */
    unsigned flags;          /* WB_STRAT_* */
    const char *description; /* one paragraph, shown by describe */
    const char *idiom;       /* the Python/SQLAlchemy idiom it corresponds to */
    wb_strategy_fn generic;  /* runs on every backend that has `needs`; NULL: native only */
    unsigned needs;          /* WB_CAP_* the strategy needs (for a native-only one: why others lack it) */
    wb_native native[WB_MAX_NATIVES]; /* backends' own functions, used there instead of generic */
    /* Not written in the catalogue: the function per backend kind of a strategy made
     * at run time, which has no generic or native function (external programs,
     * external.c, fill it themselves). Read it through wb_strategy_fn_for. */
    wb_strategy_fn run[WB_BACKEND_COUNT];
} wb_strategy;

/* The catalogue, in run order, terminated by an entry with a NULL name.
 * Test-only entries are in it too; wb_strategy_visible() hides them. */
extern const wb_strategy *const wb_catalog;

/* The function that runs s on backend kind: its native one there, else the generic
 * one when the backend has every capability s needs; NULL otherwise, with the reason
 * appended to why_not (may be NULL): "it needs COPY", "it is native to SQLite". */
wb_strategy_fn wb_strategy_fn_for(const wb_strategy *s, wb_backend_kind kind, wb_buf *why_not);
/* The same for backend b of that kind; kind WB_BACKEND_COUNT for a backend outside the
 * registry (a test's fake), which no native function is for. */
wb_strategy_fn wb_strategy_fn_on(const wb_strategy *s, const wb_backend *b, wb_backend_kind kind,
                                 wb_buf *why_not);

/* Whether s is offered to users: not test-only, unless WRITEBENCH_TEST_STRATEGIES=1. */
int wb_strategy_visible(const wb_strategy *s);
/* The visible strategy of exactly that name, or NULL. */
const wb_strategy *wb_strategy_find(const char *name);
/* The catalogue's flags (WB_STRAT_*) of the built-in strategy called name; 0 when there is none
 * (an external program's name, a strategy of an older writebench): for readers of results files. */
unsigned wb_strategy_flags_of(const char *name);

/* What the server-generate reference is, in the words every output uses for it. */
#define WB_REFERENCE_MEANING                                                                              \
    "the database writing rows it makes itself from the workload's SQL, with no client: a reference, " \
    "not a ceiling (a client sending ready values may pass it)"
/* Append the visible names closest to a mistyped name ("prepard" -> "prepared"), comma-separated. */
void wb_strategy_suggest(const char *name, wb_buf *out);
/* Resolve "all", "none" (no built-in: only external programs) or "a,b,c" for a backend into out (capacity cap, catalogue order kept for
 * "all", given order otherwise). Unknown names and names the backend cannot run are errors. */
int wb_strategy_select(const char *list, wb_backend_kind kind, const wb_strategy **out, int cap,
                       int *count, wb_error *e);

/* Record n more rows written (progress, shown live by the parent). */
void wb_ctx_rows_done(wb_ctx *ctx, int64_t n);
/* Record one batch done: the time since started_ns (wb_clock_ns() when its first row
 * went out) until now, when the server has acknowledged it. A batch is what the
 * strategy sends before it waits for the server: the rows of one commit, one
 * statement of many rows inside a longer transaction, the rows up to a pipeline sync,
 * one COPY or LOAD DATA (docs/ARCHITECTURE.md, "Measurements"). Allocates nothing. */
void wb_ctx_batch_done(wb_ctx *ctx, int64_t started_ns);
/* A transaction was rolled back by the server (a deadlock, a lock wait timed out) and
 * is run again: counted in the result's transaction_retries. */
void wb_ctx_transaction_retried(wb_ctx *ctx);

/* Work of one thread over its key range first_key..last_key (inclusive) on conn. */
typedef int (*wb_thread_fn)(wb_ctx *ctx, int thread, wb_conn *conn, int64_t first_key,
                            int64_t last_key, void *arg, wb_error *e);
/* Split keys 1..ctx->rows into ctx->threads contiguous ranges and run fn on each,
 * in its own thread (inline when there is one); the error of the thread that failed
 * first wins (the others' "stopped" follow from it). */
int wb_run_threads(wb_ctx *ctx, wb_thread_fn fn, void *arg);

/* Parents before children across threads. Each thread writes its key range of every
 * table, parents first; a foreign key whose parent row of key k is not k (modulo,
 * children_per_parent) may reference a row in another thread's range. So before such
 * a table, on an insert pass with several threads, every thread commits what it has
 * written (the rows must be visible to the other connections: a foreign-key check
 * under READ COMMITTED sees only committed rows) and waits for every other one
 * (wb_threads_wait). Whether thread fn must do that before writing table t: */
int wb_threads_sync_before(const wb_ctx *ctx, int t);

/* Wait until every other thread of this wb_run_threads has come to the same point
 * (the n-th call meets the others' n-th) or has returned. A thread that returned an
 * error releases the ones waiting: they get -1 with e "stopped: thread N failed", so
 * nobody waits forever. Call it with no transaction open: a thread waiting here holds
 * no lock the others need (SQLite's one writer, PostgreSQL's row locks). 0 at once
 * outside wb_run_threads or with one thread. */
int wb_threads_wait(wb_ctx *ctx, wb_error *e);

#endif

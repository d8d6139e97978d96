/* Findings: what the runs show about the usual advice on writing rows, each
 * claim confirmed, refuted or within noise on this machine, with its ratio, its
 * 95% interval when there are repeats ("single run" otherwise) and the tests it
 * rests on; and the traps seen in the runs (a strategy whose time grows faster
 * than N, one that failed verification, an external program whose time is
 * mostly start-up). docs/ANALYSIS.md ("findings") has every rule and formula.
 *
 * The claims are one table, wb_claims[] in findings.c: an id, the claim, the
 * two sides (strategy names, or a selector such as "@external"), the phase and
 * how the claim is measured (a pair of sides, a --batch, --threads or --rows
 * scan). The traps are a second table. Adding a claim is adding a row.
 *
 * A finding is only ever stated from groups of one comparable set: the same
 * workload, backend, phase and check, and the same rows and threads unless the
 * finding reads a scan of that very axis. Sides measured only in different
 * sets give "not compared" ("not measured at the same size"), never a verdict.
 *
 * The run (cmd_run.c) prints the findings after its rankings and writes them
 * to findings.json in its directory; `writebench findings` and the report
 * compute them from kept runs. */
#ifndef WB_ANALYSIS_FINDINGS_H
#define WB_ANALYSIS_FINDINGS_H

#include <stdint.h>

#include "analysis/ratio.h"
#include "runner/result.h"
#include "util/buf.h"
#include "util/error.h"

/* The file a run keeps its findings in, beside results.json. */
#define WB_FINDINGS_FILE_NAME "findings.json"
/* findings.json "format_version" (docs/FORMATS.md, "findings.json"). */
#define WB_FINDINGS_FORMAT_VERSION 1

/* A trap's thresholds (docs/ANALYSIS.md, "findings"). */
#define WB_FINDINGS_SUPERLINEAR_EXPONENT 1.3 /* time ~ N^k over a rows scan with k above this */
#define WB_FINDINGS_STARTUP_SHARE 0.5        /* "mostly start-up": more than half of the time */
#define WB_FINDINGS_PLATEAU_BAND 0.05        /* a batch within 5% of the fastest batch's time */

/* The scans a finding may read: the axis it spans (its rows or threads are then -1). */
typedef enum wb_axis {
    WB_AXIS_NONE = 0,
    WB_AXIS_ROWS,
    WB_AXIS_BATCH,
    WB_AXIS_THREADS,
    WB_AXIS_SIZE /* "not compared": the sides were measured at different rows or threads */
} wb_axis;

/* "rows", "batch", "threads", "size", or NULL for WB_AXIS_NONE. */
const char *wb_axis_name(wb_axis a);

/* One row of the claims table. */
typedef struct wb_claim {
    const char *id;     /* short, stable: a key in findings.json */
    const char *claim;  /* the advice, as people repeat it */
    const char *side_a; /* the side the claim says is better: strategy names (comma list) or
                         * "@builtin" (built-in client strategies), "@external" (external programs),
                         * "@all" (every strategy but the references) */
    const char *side_b; /* the side it is compared with; "" when a scan compares side_a with itself */
    const char *phase;  /* "insert", "update", or NULL: each phase */
    int measure;        /* how it is measured: an index into the measures table (findings.c) */
} wb_claim;

extern const wb_claim wb_claims[];
extern const int wb_nclaims;

/* A side of a finding as measured: one aggregate group. */
typedef struct wb_finding_end {
    char label[192];     /* "values-multirow (batch 1,000)", "orm_add_all (python)" */
    char test[128];      /* "<strategy>-<phase>" */
    char strategy[64];
    int external;
    char language[16];
    int64_t rows, threads;
    int64_t batch;           /* -1: the strategy ignores --batch */
    int n;                   /* successful tests */
    double mean_duration_s;  /* NAN unknown */
    double mean_peak_rss_kb; /* NAN unknown */
} wb_finding_end;

/* A test a finding rests on. */
typedef struct wb_finding_test {
    char run_id[64];
    char test[128];
    int64_t repeat;
} wb_finding_test;

typedef struct wb_finding {
    const char *id;          /* the claim's or the trap's id */
    int trap;                /* 1: a trap (verdict WB_FINDING_TRAP), 0: a claim */
    int order;               /* its row in its table */
    const char *claim;       /* the claim's (or trap's) text */
    const char *side_a, *side_b, *measure; /* as the table has them ("" for traps) */
    wb_finding_verdict verdict;
    char statement[1024];    /* what the runs show */
    wb_ratio ratio;          /* the figures behind the verdict; ratio.ratio NAN when none */
    const char *ratio_of;    /* "duration_s" or "peak_rss_kb": what the ratio divides */
    int has_a, has_b;
    wb_finding_end a, b;     /* a: the side claimed better (more threads, the bigger batch, the
                              * largest N); b: the other */
    /* the comparable set it was stated in */
    char workload[64], backend[32], phase[16], verify[8];
    int64_t rows, threads;   /* -1 when the finding spans them (see axis) */
    wb_axis axis;
    /* measure-specific figures; NAN / -1 when not this finding's */
    double exponent;         /* superlinear: fitted k of time ~ N^k */
    int64_t plateau_batch;   /* batching: the smallest batch within 5% of the fastest */
    double per_connection;   /* threads: (speed-up - 1) / connections added */
    int64_t lock_waits;      /* threads: lock waits at the most threads, when recorded */
    double lock_wait_s;
    double startup_share;    /* start-up trap: the share of the time that is start-up */
    wb_finding_test *tests;  /* the tests it rests on */
    int ntests;
} wb_finding;

/* Everything computed from a set of results. */
typedef struct wb_findings {
    wb_finding *items;       /* claims first (by set, then table order), then traps */
    int n, cap;
    const wb_claim **unchecked; /* claims no finding could be stated for (a side or a scan missing) */
    int nunchecked;
    char (*runs)[64];        /* the distinct run ids of the results, in order */
    int nruns;
} wb_findings;

#define WB_FINDINGS_INIT {NULL, 0, 0, NULL, 0, NULL, 0}

/* Compute the findings of results[0..n) into *out (n == 0: none). The results may
 * be freed afterwards: findings copy what they show. -1 with e when grouping fails. */
int wb_findings_compute(const wb_result *results, int n, wb_findings *out, wb_error *e);
/* Release everything (the set is then empty). */
void wb_findings_free(wb_findings *f);

/* What a run must hold for the claim to be checked ("a --batch scan of side a"). */
const char *wb_claim_needs(const wb_claim *c);
/* The options that give it ("--batch 10,100,1000"), or "" (a pair: run both sides). */
const char *wb_claim_hint(const wb_claim *c);
/* How it is measured: "pair", "batch scan", "threads scan" or "rows scan". */
const char *wb_claim_measure(const wb_claim *c);

/* "users on sqlite, insert pass, 100,000 rows, 1 thread": the set f was stated in. */
void wb_findings_set_title(const wb_finding *f, wb_buf *out);
/* The tests f rests on: "prepared-insert (3 tests), single-tx-insert (1 test)"
 * and, when all read several runs, " in runs A, B". */
void wb_findings_rests_on(const wb_findings *all, const wb_finding *f, wb_buf *out);

/* The findings for a person, wrapped to width columns (findings_out.c). */
void wb_findings_text(const wb_findings *f, int width, wb_buf *out);
/* findings.json (docs/FORMATS.md, "findings.json"). */
void wb_findings_json(const wb_findings *f, wb_buf *out);
/* Write findings.json into dir, replaced atomically; -1 with the path and reason in e. */
int wb_findings_write(const wb_findings *f, const char *dir, wb_error *e);

#endif

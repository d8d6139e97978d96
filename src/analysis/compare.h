/* compare: two runs (or two sets of runs), A and B, side by side per test.
 *
 * Both sides are grouped by aggregate (strategy, phase, backend, workload, rows,
 * threads, batch, and the strategy's origin and language: different sizes, or
 * a Python and a native program of one name, are never compared); a test is
 * compared when its group exists on both sides, and the groups found on one
 * side only are listed apart. Per compared test: the mean duration and rows/s of each side,
 * the ratio of the mean durations B/A, the change in percent, and whether the
 * difference is larger than the noise, by Welch's t-test at 95% (p < 0.05) over
 * the successful tests' durations when each side has at least 2 of them.
 * With fewer, nothing is guessed: the test is "not judged" (method "n<2") and
 * it can never count as a regression. docs/ANALYSIS.md ("compare") has it all. */
#ifndef WB_ANALYSIS_COMPARE_H
#define WB_ANALYSIS_COMPARE_H

#include "analysis/aggregate.h"
#include "analysis/output.h"
#include "runner/result.h"
#include "util/buf.h"
#include "util/error.h"

/* Significance level of the Welch test: 95% confidence. */
#define WB_COMPARE_ALPHA 0.05

typedef enum wb_compare_verdict {
    WB_VERDICT_WITHIN_NOISE = 0, /* judged: the difference is not significant */
    WB_VERDICT_SLOWER,           /* judged: B's mean duration is significantly larger */
    WB_VERDICT_FASTER,           /* judged: B's mean duration is significantly smaller */
    WB_VERDICT_NOT_JUDGED,       /* a side has fewer than 2 successful durations */
    WB_VERDICT_ONLY_A,           /* the test exists in A only */
    WB_VERDICT_ONLY_B            /* the test exists in B only */
} wb_compare_verdict;

/* "within noise", "slower", "faster", "not judged", "only in A", "only in B". */
const char *wb_compare_verdict_name(wb_compare_verdict v);

/* One test of the comparison. For a test on one side only, the other side's
 * group is NULL and its figures unknown. */
typedef struct wb_compare_row {
    const wb_group *a, *b;      /* into the comparison's groups */
    int n_a, n_b;               /* successful tests with a known duration */
    double mean_a_s, mean_b_s;  /* mean duration of those; NAN when n == 0 */
    double rows_per_s_a, rows_per_s_b; /* mean rows/s; NAN unknown */
    double ratio;               /* mean_b_s / mean_a_s; NAN when either is unknown */
    double change_pct;          /* (ratio - 1) * 100: +100 = B took twice as long */
    double p;                   /* Welch's two-sided p-value; NAN when not judged */
    wb_compare_verdict verdict;
    char method[32];            /* what decided: "welch p=0.003", "welch p<0.001", "n<2", "" (one side) */
} wb_compare_row;

/* The whole comparison: compared tests first, in A's aggregate order (workload,
 * backend, rows, phase, A's rows/s descending), then A-only, then B-only tests. */
typedef struct wb_comparison {
    wb_group *groups_a, *groups_b;
    int ngroups_a, ngroups_b;
    wb_compare_row *rows;
    int nrows;
    int ncompared;              /* rows[0 .. ncompared) are on both sides */
    int nonly_a, nonly_b;       /* then nonly_a rows of A only, then nonly_b of B only */
} wb_comparison;

#define WB_COMPARISON_INIT {NULL, NULL, 0, 0, NULL, 0, 0, 0, 0}

/* Compare results a[0..na) (side A) with b[0..nb) (side B) into *out. The
 * comparison points into a and b: keep them alive until wb_comparison_free.
 * -1 with the reason in e (and *out empty) when grouping fails. */
int wb_compare(const wb_result *a, int na, const wb_result *b, int nb, wb_comparison *out, wb_error *e);
/* Release everything (the comparison is then empty and reusable). */
void wb_comparison_free(wb_comparison *c);

/* Whether row r is a regression beyond pct percent (the --fail-if-slower check):
 * significantly slower (verdict SLOWER) AND change_pct > pct. */
int wb_compare_row_regressed(const wb_compare_row *r, double pct);
/* How many rows regressed beyond pct percent. */
int wb_compare_count_regressions(const wb_comparison *c, double pct);
/* One line naming the test of row r and its figures, for messages:
 * "prepared-insert (users, sqlite, 2000 rows, 1 thread, batch 1000): 0.0123 s -> 0.0247 s, +100.8%, welch p<0.001". */
void wb_compare_describe_row(const wb_compare_row *r, wb_buf *out);

/* The comparison as one table (every row; csv and json write this): the test's
 * identity, n_a, n_b, mean_a_s, mean_b_s, ratio, change_pct, rows_per_s_a,
 * rows_per_s_b, p_value, verdict, method, origin, language. */
wb_out_table *wb_compare_table(const wb_comparison *c);
/* The compared rows only, in a narrower column set for people (table and
 * markdown): strategy and phase are left out (the test names them, and an
 * external program's language: "orm_merge-insert (python)"). */
wb_out_table *wb_compare_table_compact(const wb_comparison *c);
/* The one-side-only rows: side, the test's identity, n and mean duration. */
wb_out_table *wb_compare_only_table(const wb_comparison *c);

/* Append the whole comparison in format f: csv and json are the one full table
 * (json key "tests"); table and markdown are the compact table, then, when there
 * are any, the tests found on one side only, under their own heading. */
int wb_compare_write(const wb_comparison *c, wb_format f, wb_buf *out, wb_error *e);

#endif

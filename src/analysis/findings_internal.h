/* Shared by the findings' source files (findings.c: the tables, sides,
 * comparable sets and the whole; findings_measure.c: how claims are measured;
 * findings_trap.c: the traps): the computation's state and the helpers that
 * pick groups and build findings. Not a public interface. */
#ifndef WB_ANALYSIS_FINDINGS_INTERNAL_H
#define WB_ANALYSIS_FINDINGS_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "analysis/aggregate.h"
#include "analysis/findings.h"
#include "util/buf.h"

/* Axes a set may leave free (a scan of that axis, or "not compared"). */
#define FREE_ROWS 1u
#define FREE_THREADS 2u
#define WB_FINDINGS_MASKS 4 /* every combination of the FREE_* axes */

typedef struct wb_findings_ctx {
    wb_group *groups;
    int ngroups;
    const wb_result *results;
    int nresults;
    wb_findings *out;
    /* per mask of free axes (FREE_*), each group's set as the index of its first
     * usable group; -1 for a group that is not usable (findings.c, index_groups) */
    int *set_first[WB_FINDINGS_MASKS];
    int *program_first; /* each group's program as the index of its first group */
} wb_findings_ctx;

/* ---- picking groups (findings.c) ---- */

/* Whether a and b belong to one comparable set with the axes `loose` (FREE_*)
 * free, from their fields alone (usable or not); advice.c chooses in these sets too. */
int wb_findings_same_set_fields(const wb_group *a, const wb_group *b, unsigned loose);
/* A reference (server-generate, generate-only: the catalogue's RUNS_FIRST flags,
 * or a test that writes nothing), never a way of writing rows to advise. */
int wb_findings_is_reference(const wb_group *g);

/* A group a finding can rest on: some test succeeded, with a known mean duration. */
int wb_findings_usable(const wb_group *g);
/* Whether g is on side (a claim's side_a or side_b): a strategy name means the
 * built-in of that name; "@builtin", "@external" and "@all" select by origin. */
int wb_findings_in_side(const wb_group *g, const char *side);
/* Whether groups a and b of c are both usable and in one comparable set with the
 * axes `loose` (FREE_*) free. */
int wb_findings_same_set(const wb_findings_ctx *c, const wb_group *a, const wb_group *b, unsigned loose);
/* The same program: strategy, origin and language. */
int wb_findings_same_program(const wb_findings_ctx *c, const wb_group *a, const wb_group *b);
/* Whether usable group i is the first usable one of its set. */
int wb_findings_first_of_set(const wb_findings_ctx *c, int i, unsigned loose);
/* The first usable group of every set of the phase (NULL: any) into reps; how many. */
int wb_findings_set_reps(const wb_findings_ctx *c, unsigned loose, const char *phase, int *reps);
/* The fastest usable group of side in rep's set, or NULL. */
const wb_group *wb_findings_fastest(const wb_findings_ctx *c, const wb_group *rep, unsigned loose, const char *side);
/* g's series along axis (its program in its set, that axis free, the same batch
 * unless along batch), sorted by the axis, into idx; how many. */
int wb_findings_series_of(const wb_findings_ctx *c, const wb_group *g, wb_axis axis, int *idx);
/* Whether usable group i comes first (lowest index) in its series along axis. */
int wb_findings_first_of_series(const wb_findings_ctx *c, int i, wb_axis axis, int *scratch);

/* ---- building findings (findings.c) ---- */

/* A new finding (a claim's when trap is 0) with every figure unknown. */
wb_finding *wb_findings_new_finding(wb_findings_ctx *c, int trap, int order, const char *id, const char *text);
/* A new finding of claim cl, with its sides and measure. */
wb_finding *wb_findings_new_claim_finding(wb_findings_ctx *c, const wb_claim *cl, int order);
/* The comparable set of f, from one of its groups; the axis it spans is -1. */
void wb_findings_set_context(wb_finding *f, const wb_group *g, wb_axis axis);
/* "values-multirow (batch 1,000)", "orm_add_all (python)", "prepared". */
void wb_findings_group_label(const wb_group *g, char *out, size_t n);
/* f's sides from groups (NULL: none). */
void wb_findings_set_ends(wb_finding *f, const wb_group *a, const wb_group *b);
/* One test f rests on; every successful test of g. */
void wb_findings_add_test(wb_finding *f, const wb_result *r);
void wb_findings_add_tests(wb_finding *f, const wb_group *g);
/* "6.00x", "12.3x", "250x". */
void wb_findings_format_factor(char *out, size_t n, double x);
/* " (95% interval a..b)" or " (single run)", inverted for a factor shown as 1/r. */
void wb_findings_interval_note(wb_buf *out, const wb_ratio *r, int inverted);
/* "A is 6.00x faster than B (95% interval ...)" for r = mean(B) / mean(A) of durations. */
void wb_findings_say_faster(wb_buf *out, const char *a, const char *b, const wb_ratio *r);
/* Copy text into f's statement and free text. */
void wb_findings_set_statement(wb_finding *f, wb_buf *text);
/* The least-squares slope of y on x over n points; NAN when x does not vary. */
double wb_findings_slope(const double *x, const double *y, int n);

/* ---- the measures (findings_measure.c) and the traps (findings_trap.c) ---- */

void wb_findings_measure_pair(wb_findings_ctx *c, const wb_claim *cl, int order);
void wb_findings_measure_batch(wb_findings_ctx *c, const wb_claim *cl, int order);
void wb_findings_measure_threads(wb_findings_ctx *c, const wb_claim *cl, int order);
void wb_findings_measure_memory(wb_findings_ctx *c, const wb_claim *cl, int order);
void wb_findings_trap_superlinear(wb_findings_ctx *c, const char *id, const char *text, int order);
void wb_findings_trap_failed_verification(wb_findings_ctx *c, const char *id, const char *text, int order);
void wb_findings_trap_startup(wb_findings_ctx *c, const char *id, const char *text, int order);

#endif

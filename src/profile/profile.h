/* `writebench profile`'s engine: the variants of the index trade-off (the
 * workload as it is, without each secondary index or constraint, with each
 * candidate index the reads would want: one on each foreign key column that no
 * index of its table starts with, which the parent-to-children join needs), all
 * derived from the workload's tables, and one measured pass per variant:
 * reset, change the schema, load N rows with the loading strategy in a forked
 * child measured from outside as `run` does (runner/child.h: --timeout, a
 * crash recorded; the median of load_repeat loads), verify, ANALYZE, then each
 * read's plan and latency; after the baseline's reads, the caching study
 * (profile/cache.h) on the same loaded table. Also what undoes it all
 * (wb_profile_restore) and the judgement of each effect against the noise of
 * its repeats (wb_profile_effect). */
#ifndef WB_PROFILE_PROFILE_H
#define WB_PROFILE_PROFILE_H

#include <stdint.h>

#include "analysis/stats.h"
#include "backends/backend.h"
#include "profile/cache.h"
#include "profile/reads.h"
#include "strategies/strategy.h"
#include "workloads/workload.h"

#define WB_PROFILE_MAX_VARIANTS 64
#define WB_PROFILE_MAX_LOADS 100

typedef enum wb_variant_kind {
    WB_VARIANT_BASELINE = 0, /* the workload's schema as it is */
    WB_VARIANT_DROP_INDEX,   /* without one secondary index */
    WB_VARIANT_DROP_CHECK,   /* without the table's CHECK constraints */
    WB_VARIANT_DROP_FK,      /* without one foreign key; where only enforcement can be switched off, without
                              * every foreign key's enforcement (fk_column NULL when there are several) */
    WB_VARIANT_ADD_INDEX     /* with a candidate index the workload lacks */
} wb_variant_kind;

typedef struct wb_variant {
    wb_variant_kind kind;
    char name[128];           /* profile.csv's variant: "baseline", "without:products_category_idx",
                               * "with:products_price_idx" */
    char subject[160];        /* what the trade-off table calls it: "index products_category_idx" */
    const wb_table *table;
    const char *index_name;   /* DROP_INDEX / ADD_INDEX (a candidate's points to candidate_name) */
    const char *index_column; /* ADD_INDEX: the column */
    const char *fk_column;    /* DROP_FK: the referencing column of the foreign key dropped */
    const char *not_possible; /* non-NULL: why this backend cannot run the variant (it is skipped) */
    const char *note;         /* non-NULL: how the variant is done where it is not plain DDL */
    char why[160];            /* the text not_possible or note points to (a variant is never copied) */
    char candidate_name[64];  /* ADD_INDEX: "<table>_<column>_idx", the name index_name points to */
} wb_variant;

/* The variants for w on backend kind, baseline first, at most cap of them; returns
 * the count written. *omitted (may be NULL) gets how many more there were. */
int wb_profile_variants(const wb_workload *w, wb_backend_kind kind, wb_variant *out, int cap, int *omitted);

typedef struct wb_profile_config {
    const wb_backend *backend;
    wb_target target;
    const wb_workload *workload;
    const wb_strategy *strategy; /* the loading strategy */
    const wb_read_def *reads;    /* the workload's reads (wb_reads_derive), measured in every variant */
    int nreads;
    int64_t rows;
    int64_t batch;
    int64_t repeat;              /* executions of each read */
    int64_t load_repeat;         /* loads per variant (1..WB_PROFILE_MAX_LOADS): the median counts */
    double timeout_s;            /* a load running longer is killed and the variant fails */
    const wb_cache_study_options *cache; /* the caching study after the baseline's reads; NULL: none */
    char statistics_before[512]; /* the statistics tables (the dialect's statistics_tables_sql) that
                                  * existed before profile, each between newlines; the others are
                                  * profile's ANALYZE's own (wb_profile_begin) */
} wb_profile_config;

typedef struct wb_variant_result {
    int ran;                     /* 0 when skipped (not_possible) */
    double load_s;               /* the loading strategy's wall time, median of the loads */
    int64_t load_repetitions;
    wb_stats load_samples_s;     /* every load's time, for the trade-off's test against the noise */
    int64_t rows_verified;
    int nreads;                  /* cfg->nreads once the reads ran, 0 before */
    wb_latency *latency;         /* [nreads], allocated */
    wb_buf *plan;                /* [nreads], allocated */
    int cache_ran;               /* the baseline with cfg->cache: the study's result is in cache */
    wb_cache_study_result cache;
} wb_variant_result;

/* Before profile changes anything: note what it must not remove at the end
 * (the statistics tables that already exist, where ANALYZE makes tables). -1 with e set when the
 * database cannot be read. */
int wb_profile_begin(wb_profile_config *cfg, wb_error *e);
/* Undo everything profile did to the schema, whatever state it stopped in: the
 * workload's tables reset (empty, with their own indexes and constraints, as
 * `setup` makes them: no candidate index, no index or constraint left dropped)
 * and the statistics tables profile's ANALYZE created dropped. Waits a
 * little for the server processes of killed loads first. -1 with e set. */
int wb_profile_restore(const wb_profile_config *cfg, wb_error *e);

/* The fastest verified insert strategy at cfg->rows on the baseline schema: each
 * insert strategy the backend runs (not the slow ones, not load-then-index) loads
 * once from empty and is verified; the fastest that verified wins. Appends one
 * "name: 0.123 s" (or "name: failed: ...") line per strategy to report. */
int wb_profile_pick_fastest(const wb_profile_config *cfg, const wb_strategy **out, wb_buf *report, wb_error *e);

/* Run one variant (see the top comment); on failure e names the step ("loading
 * with copy-binary: timeout: killed after 600 s"). An interrupt (SIGINT/SIGTERM)
 * ends it at the next step with the error "interrupted by the user". */
int wb_profile_run_variant(const wb_profile_config *cfg, const wb_variant *v, wb_variant_result *out,
                           wb_error *e);
/* Release a result's latencies and plans. */
void wb_variant_result_free(wb_variant_result *r);

/* What having an index or constraint does to one figure, judged against the noise
 * of the repeats: Welch's t-test of the two samples' means at 95% (p < 0.05, as
 * `compare` judges), never with fewer than 2 samples on either side. */
typedef enum wb_effect_verdict {
    WB_EFFECT_SIGNIFICANT = 0, /* the difference is larger than the noise: its sign counts */
    WB_EFFECT_NO_DIFFERENCE,   /* within the noise: "no significant difference" */
    WB_EFFECT_NOT_JUDGED,      /* fewer than 2 samples on a side: the noise is unknown */
    WB_EFFECT_UNKNOWN          /* a side was not measured */
} wb_effect_verdict;

#define WB_EFFECT_ALPHA 0.05

typedef struct wb_effect {
    double change_pct; /* (with / without - 1) * 100 of the medians (load) or p50s (reads); NAN unknown */
    double p;          /* Welch's two-sided p-value of the means; NAN when not judged */
    wb_effect_verdict verdict;
} wb_effect;

/* Judge the change from without to with: the medians give the percentage, the
 * samples (each side's accumulator) the verdict. */
wb_effect wb_profile_effect(double with_median, const wb_stats *with, double without_median,
                            const wb_stats *without);
/* The effect of having variant v's index or constraint (r its result, base the
 * baseline's) on the load and on read k: a removed one compares the baseline
 * against the variant, a candidate the variant against the baseline. Unknown for
 * the baseline itself and when either side did not run. */
wb_effect wb_profile_load_effect(const wb_variant *v, const wb_variant_result *r, const wb_variant_result *base);
wb_effect wb_profile_read_effect(const wb_variant *v, const wb_variant_result *r, const wb_variant_result *base,
                                 int k);
/* profile.csv's word for a verdict: "significant", "no significant difference",
 * "not judged", "" (unknown). */
const char *wb_effect_verdict_name(wb_effect_verdict v);
/* The verdict of that word, WB_EFFECT_UNKNOWN for any other. */
wb_effect_verdict wb_effect_verdict_parse(const char *name);
/* Append the effect as the trade-off table prints it: "+12.3%", "no significant
 * difference", "+12.3% (not judged: fewer than 2 samples a side)", "not measured". */
void wb_effect_text(wb_effect_verdict v, double change_pct, wb_buf *out);

#endif

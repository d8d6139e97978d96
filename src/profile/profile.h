/* `writebench profile`'s engine: the variants of the index trade-off (the
 * workload as it is, without each secondary index or constraint, with each
 * candidate index the reads would want) and one measured pass per variant:
 * reset, change the schema, load N rows with the loading strategy (timed; the
 * median of load_repeat loads),
 * verify, ANALYZE, then each read's plan and latency; after the baseline's
 * reads, the caching study (profile/cache.h) on the same loaded table. */
#ifndef WB_PROFILE_PROFILE_H
#define WB_PROFILE_PROFILE_H

#include <stdint.h>

#include "backends/backend.h"
#include "profile/cache.h"
#include "profile/reads.h"
#include "strategies/strategy.h"
#include "workloads/workload.h"

#define WB_PROFILE_MAX_VARIANTS 16
#define WB_PROFILE_MAX_READS 8
#define WB_PROFILE_MAX_LOADS 100

typedef enum wb_variant_kind {
    WB_VARIANT_BASELINE = 0, /* the workload's schema as it is */
    WB_VARIANT_DROP_INDEX,   /* without one secondary index */
    WB_VARIANT_DROP_CHECK,   /* without the table's CHECK constraint */
    WB_VARIANT_DROP_FK,      /* without the foreign key */
    WB_VARIANT_ADD_INDEX     /* with a candidate index the workload lacks */
} wb_variant_kind;

typedef struct wb_variant {
    wb_variant_kind kind;
    char name[128];           /* profile.csv's variant: "baseline", "without:products_category_idx",
                               * "with:products_price_idx" */
    char subject[160];        /* what the trade-off table calls it: "index products_category_idx" */
    const wb_table *table;
    const char *index_name;   /* DROP_INDEX / ADD_INDEX */
    const char *index_column; /* ADD_INDEX: the column (PostgreSQL text columns in the "C" collation) */
    const char *not_possible; /* non-NULL: why this backend cannot run the variant (it is skipped) */
    const char *note;         /* non-NULL: how the variant is done where it is not plain DDL */
} wb_variant;

/* The variants for w on backend kind, baseline first; returns the count. */
int wb_profile_variants(const wb_workload *w, wb_backend_kind kind, wb_variant *out, int cap);

typedef struct wb_profile_config {
    const wb_backend *backend;
    wb_target target;
    const wb_workload *workload;
    const wb_strategy *strategy; /* the loading strategy */
    int64_t rows;
    int64_t batch;
    int64_t repeat;              /* executions of each read */
    int64_t load_repeat;         /* loads per variant (1..WB_PROFILE_MAX_LOADS): the median counts */
    const wb_cache_study_options *cache; /* the caching study after the baseline's reads; NULL: none */
} wb_profile_config;

typedef struct wb_variant_result {
    int ran;                     /* 0 when skipped (not_possible) */
    double load_s;               /* the loading strategy's wall time, median of the loads */
    int64_t load_repetitions;
    int64_t rows_verified;
    int nreads;
    const wb_read_def *reads;
    wb_latency latency[WB_PROFILE_MAX_READS];
    wb_buf plan[WB_PROFILE_MAX_READS];
    int cache_ran;               /* the baseline with cfg->cache: the study's result is in cache */
    wb_cache_study_result cache;
} wb_variant_result;

/* The fastest verified insert strategy at cfg->rows on the baseline schema: each
 * insert strategy the backend runs (not the slow ones, not load-then-index) loads
 * once from empty and is verified; the fastest that verified wins. Appends one
 * "name: 0.123 s" (or "name: failed: ...") line per strategy to report. */
int wb_profile_pick_fastest(const wb_profile_config *cfg, const wb_strategy **out, wb_buf *report, wb_error *e);

/* Run one variant (see the top comment); on failure e names the step. */
int wb_profile_run_variant(const wb_profile_config *cfg, const wb_variant *v, wb_variant_result *out,
                           wb_error *e);
/* Release a result's plans. */
void wb_variant_result_free(wb_variant_result *r);

#endif

/* The PostgreSQL implementations of the catalogue's strategies (one file per family). */
#ifndef WB_STRATEGIES_PG_STRATEGIES_H
#define WB_STRATEGIES_PG_STRATEGIES_H

#include "strategies/strategy.h"

/* server-generate is backend-neutral: strategies/reference.h */
/* single.c: one statement per row, its text sent and parsed every time */
int wb_pg_single_autocommit(wb_ctx *ctx);
int wb_pg_single_tx(wb_ctx *ctx);
int wb_pg_batch_commit(wb_ctx *ctx);
/* prepared.c */
int wb_pg_prepared(wb_ctx *ctx);
/* multirow.c */
int wb_pg_values_multirow(wb_ctx *ctx);
/* pipeline.c: libpq pipeline mode (libpq 14+) */
int wb_pg_pipeline(wb_ctx *ctx);
/* unnest.c: one array parameter per column */
int wb_pg_unnest(wb_ctx *ctx);
/* copy.c: COPY FROM STDIN */
int wb_pg_copy_text(wb_ctx *ctx);
int wb_pg_copy_binary(wb_ctx *ctx);
/* load_then_index.c */
int wb_pg_load_then_index(wb_ctx *ctx);
/* upsert_row.c: one statement per row, commit every batch */
int wb_pg_select_then_write(wb_ctx *ctx);
int wb_pg_update_then_insert(wb_ctx *ctx);
int wb_pg_on_conflict(wb_ctx *ctx);
/* upsert_batch.c: many rows per statement */
int wb_pg_on_conflict_batch(wb_ctx *ctx);
int wb_pg_merge(wb_ctx *ctx);
int wb_pg_bulk_update(wb_ctx *ctx);
/* staging.c: COPY into a temporary table, then one set-based statement */
int wb_pg_staging_merge(wb_ctx *ctx);
int wb_pg_staging_on_conflict(wb_ctx *ctx);
/* commit_queue.c */
int wb_pg_commit_queue(wb_ctx *ctx);

#endif

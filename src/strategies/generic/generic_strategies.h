/* The generic strategies: written once on the statement layer (generic.h) and
 * run on every backend that has what they need (the catalogue, catalog.c, says
 * which capabilities each needs). One file per family. */
#ifndef WB_STRATEGIES_GENERIC_GENERIC_STRATEGIES_H
#define WB_STRATEGIES_GENERIC_GENERIC_STRATEGIES_H

#include "strategies/strategy.h"

/* single.c: one INSERT per row, prepared anew for every row */
int wb_generic_single_autocommit(wb_ctx *ctx);
int wb_generic_single_tx(wb_ctx *ctx);
int wb_generic_batch_commit(wb_ctx *ctx);
/* prepared.c */
int wb_generic_prepared(wb_ctx *ctx);
/* multirow.c */
int wb_generic_values_multirow(wb_ctx *ctx);
/* load_then_index.c */
int wb_generic_load_then_index(wb_ctx *ctx);
/* upsert_row.c: one statement per row, commit every batch */
int wb_generic_select_then_write(wb_ctx *ctx);
int wb_generic_update_then_insert(wb_ctx *ctx);
int wb_generic_on_conflict(wb_ctx *ctx);
/* upsert_batch.c: many rows per statement */
int wb_generic_on_conflict_batch(wb_ctx *ctx);
int wb_generic_bulk_update(wb_ctx *ctx);
/* commit_queue.c */
int wb_generic_commit_queue(wb_ctx *ctx);

#endif

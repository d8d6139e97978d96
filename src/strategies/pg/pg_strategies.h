/* The PostgreSQL-native strategies of the catalogue: what only PostgreSQL can do
 * (COPY, pipeline mode, array parameters, MERGE, temporary staging tables, and a
 * load-then-index that drops constraints too and loads with COPY). Everything
 * else runs on PostgreSQL through the generic strategies (strategies/generic/). */
#ifndef WB_STRATEGIES_PG_STRATEGIES_H
#define WB_STRATEGIES_PG_STRATEGIES_H

#include "strategies/strategy.h"

/* pipeline.c: libpq pipeline mode (libpq 14+) */
int wb_pg_pipeline(wb_ctx *ctx);
/* unnest.c: one array parameter per column */
int wb_pg_unnest(wb_ctx *ctx);
/* copy.c: COPY FROM STDIN */
int wb_pg_copy_text(wb_ctx *ctx);
int wb_pg_copy_binary(wb_ctx *ctx);
/* load_tricks.c: COPY FREEZE after TRUNCATE; a load into UNLOGGED tables, then SET LOGGED */
int wb_pg_copy_freeze(wb_ctx *ctx);
int wb_pg_unlogged_then_logged(wb_ctx *ctx);
/* load_then_index.c */
int wb_pg_load_then_index(wb_ctx *ctx);
/* merge.c: MERGE ... USING (VALUES ...), PostgreSQL 15+ */
int wb_pg_merge(wb_ctx *ctx);
/* staging.c: COPY into a temporary table, then one set-based statement */
int wb_pg_staging_merge(wb_ctx *ctx);
int wb_pg_staging_on_conflict(wb_ctx *ctx);

#endif

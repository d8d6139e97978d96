/* The SQLite implementations of the catalogue's strategies (one file per family). */
#ifndef WB_STRATEGIES_SQLITE_STRATEGIES_H
#define WB_STRATEGIES_SQLITE_STRATEGIES_H

#include "strategies/strategy.h"

/* server-generate is backend-neutral: strategies/reference.c */
/* single.c: one statement prepared anew per row */
int wb_sqlite_single_autocommit(wb_ctx *ctx);
int wb_sqlite_single_tx(wb_ctx *ctx);
int wb_sqlite_batch_commit(wb_ctx *ctx);
/* prepared.c */
int wb_sqlite_prepared(wb_ctx *ctx);
/* multirow.c */
int wb_sqlite_values_multirow(wb_ctx *ctx);
/* load_then_index.c */
int wb_sqlite_load_then_index(wb_ctx *ctx);
/* upsert_row.c: one statement per row, commit every batch */
int wb_sqlite_select_then_write(wb_ctx *ctx);
int wb_sqlite_update_then_insert(wb_ctx *ctx);
int wb_sqlite_on_conflict(wb_ctx *ctx);
int wb_sqlite_replace(wb_ctx *ctx);
/* upsert_batch.c: many rows per statement */
int wb_sqlite_on_conflict_batch(wb_ctx *ctx);
int wb_sqlite_bulk_update(wb_ctx *ctx);
/* commit_queue.c */
int wb_sqlite_commit_queue(wb_ctx *ctx);
/* test_only.c: deliberately wrong, crashing and hanging strategies for writebench's tests */
int wb_sqlite_test_drop_row(wb_ctx *ctx);
int wb_sqlite_test_mangle_quote(wb_ctx *ctx);
int wb_sqlite_test_crash(wb_ctx *ctx);
int wb_sqlite_test_hang(wb_ctx *ctx);

#endif

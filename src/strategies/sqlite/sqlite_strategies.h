/* The SQLite-native strategies of the catalogue: what only SQLite's SQL can say
 * (INSERT OR REPLACE), and writebench's own deliberately wrong strategies, kept
 * to one backend. Everything else runs on SQLite through the generic strategies
 * (strategies/generic/). */
#ifndef WB_STRATEGIES_SQLITE_STRATEGIES_H
#define WB_STRATEGIES_SQLITE_STRATEGIES_H

#include "strategies/strategy.h"

/* replace.c */
int wb_sqlite_replace(wb_ctx *ctx);
/* test_only.c: deliberately wrong, crashing and hanging strategies for writebench's tests */
int wb_sqlite_test_drop_row(wb_ctx *ctx);
int wb_sqlite_test_mangle_quote(wb_ctx *ctx);
int wb_sqlite_test_crash(wb_ctx *ctx);
int wb_sqlite_test_hang(wb_ctx *ctx);
/* Commits every --batch rows and sleeps this long in one row: one batch is slow. */
#define WB_TEST_PLANTED_DELAY_NS INT64_C(200000000)
int wb_sqlite_test_slow_batch(wb_ctx *ctx);

#endif

/* The server-generate reference, shared by every backend: the database makes the
 * rows itself from the workload's SQL expressions (workloads/schema.c writes the SQL
 * per backend: a recursive CTE on SQLite, generate_series on PostgreSQL). */
#ifndef WB_STRATEGIES_REFERENCE_H
#define WB_STRATEGIES_REFERENCE_H

#include "strategies/strategy.h"

/* Insert pass: INSERT ... SELECT per table; update pass: one UPDATE per table. One
 * connection (conns[0]): --threads is ignored. */
int wb_server_generate(wb_ctx *ctx);

#endif

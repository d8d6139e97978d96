/* The MariaDB-native strategies of the catalogue: what only MariaDB's SQL can say
 * (REPLACE INTO, INSERT IGNORE, LOAD DATA LOCAL INFILE streamed from memory, UPDATE
 * ... JOIN a derived table) and its form of the bulk-load advice. Everything else
 * runs on MariaDB through the generic strategies (strategies/generic/). */
#ifndef WB_STRATEGIES_MARIADB_STRATEGIES_H
#define WB_STRATEGIES_MARIADB_STRATEGIES_H

#include "strategies/strategy.h"

/* upsert_row.c: one row per statement, commit every --batch rows */
int wb_mariadb_replace(wb_ctx *ctx);
int wb_mariadb_insert_ignore_then_update(wb_ctx *ctx);
/* load_data.c */
int wb_mariadb_load_data(wb_ctx *ctx);
int wb_mariadb_load_then_index(wb_ctx *ctx);
/* bulk_update.c */
int wb_mariadb_bulk_update(wb_ctx *ctx);

#endif

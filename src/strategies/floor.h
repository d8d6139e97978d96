/* The generate-only reference: the client's own floor. It makes every row and
 * encodes it as the fastest strategy of the backend would, and sends nothing,
 * so a strategy's time splits into what the client costs and what the rest
 * (round trips, the server) costs. */
#ifndef WB_STRATEGIES_FLOOR_H
#define WB_STRATEGIES_FLOOR_H

#include "strategies/strategy.h"

/* Generate keys 1..ctx->rows of every table in ctx->version and encode each row;
 * writes nothing to the database. One thread: --threads is ignored. */
int wb_generate_only(wb_ctx *ctx);

#endif

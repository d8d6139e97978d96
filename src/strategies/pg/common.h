/* Helpers shared by the PostgreSQL-native strategies: results and errors,
 * transactions on a PGconn, a generated row as text-format parameters, and the
 * server's capabilities that depend on its version. The SQL text of a table comes
 * from the generic layer (strategies/generic/generic.h). */
#ifndef WB_STRATEGIES_PG_COMMON_H
#define WB_STRATEGIES_PG_COMMON_H

#include <libpq-fe.h>

#include "strategies/strategy.h"

/* --- results and errors --- */

/* Fill e with "<what>: <server message>" (from res, or from the connection when res
 * is NULL) on one line and return -1. */
int wb_pgs_fail(wb_error *e, PGconn *pg, const PGresult *res, const char *what);
/* Check that res has status `expected` and clear it; on failure fill e as wb_pgs_fail. */
int wb_pgs_check(PGconn *pg, PGresult *res, ExecStatusType expected, const char *what, wb_error *e);
/* Run one command that returns no rows (no parameters). */
int wb_pgs_exec(PGconn *pg, const char *sql, const char *what, wb_error *e);
/* BEGIN / COMMIT. */
int wb_pgs_begin(PGconn *pg, wb_error *e);
int wb_pgs_commit(PGconn *pg, wb_error *e);
/* Roll back an open (or failed) transaction, if any: the clean-up after an error,
 * whose own failure is ignored (the first error is the one reported). */
void wb_pgs_rollback(PGconn *pg);

/* --- rows as text-format parameters --- */

/* The text of a non-NULL value: its generated text (numbers are generated with their
 * decimal text too); scratch (24 bytes) is used only if a number came without it. */
const char *wb_pgs_value_text(const wb_value *v, char *scratch);
/* One row's parameters, pointing into the row (which must outlive their use) or
 * into the parameters' own memory. Start as WB_PGS_ROW_PARAMS_INIT, fill with
 * wb_pgs_row_params_of as often as needed, end with wb_pgs_row_params_free. */
typedef struct wb_pgs_row_params {
    const char **values; /* per column; NULL for SQL NULL */
    int cap;             /* room in values */
    wb_buf arena;        /* the text of the values that have none of their own */
} wb_pgs_row_params;
#define WB_PGS_ROW_PARAMS_INIT {NULL, 0, WB_BUF_INIT}
void wb_pgs_row_params_of(const wb_row *row, wb_pgs_row_params *out);
/* Append bytes in bytea's text form: \x and two lower-case hex digits a byte. */
void wb_pgs_bytes_text(const char *bytes, size_t len, wb_buf *out);
void wb_pgs_row_params_free(wb_pgs_row_params *p);

/* --- capabilities --- */

/* Write a server_version_num as a version: 150018 -> "15.18", 90624 -> "9.6.24". */
void wb_pgs_format_version(int version_num, char *out, size_t n);
/* WB_SKIP with the reason in ctx->error unless the server runs MERGE (15+); else 0. */
int wb_pgs_require_merge(wb_ctx *ctx);

#endif

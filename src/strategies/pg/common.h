/* Helpers shared by the PostgreSQL strategies: results and errors, transactions,
 * prepared statements, the SQL text of a workload table, rows as text-format
 * parameters, and the server's capabilities. The loops most strategies are built
 * on are in drive.h. */
#ifndef WB_STRATEGIES_PG_COMMON_H
#define WB_STRATEGIES_PG_COMMON_H

#include <libpq-fe.h>

#include "strategies/strategy.h"

/* PostgreSQL's limit on bound parameters per statement (the protocol's int16 count). */
#define WB_PGS_MAX_PARAMS 65535

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

/* --- statements --- */

/* A statement a strategy runs many times: prepared once under a name unique in the
 * process (named statements live as long as the session, so names never repeat), or
 * sent as text with every execution (the "parsed every time" strategies). */
typedef struct wb_pgs_stmt {
    char name[32];  /* "" when not prepared */
    char *sql;      /* owned */
    int nparams;
} wb_pgs_stmt;

/* Make st from sql: PQprepare it when prepare is set (parameter types inferred by the
 * server), otherwise keep the text for PQexecParams. */
int wb_pgs_stmt_init(wb_pgs_stmt *st, PGconn *pg, const char *sql, int nparams, int prepare,
                     wb_error *e);
/* Execute st with text-format parameters (NULL for SQL NULL); returns the result
 * (never NULL: libpq's out-of-memory result is mapped to an error result). */
PGresult *wb_pgs_stmt_run(PGconn *pg, const wb_pgs_stmt *st, const char *const *values);
/* Execute st and check that it returned `expected`. */
int wb_pgs_stmt_exec(PGconn *pg, const wb_pgs_stmt *st, const char *const *values,
                     ExecStatusType expected, const char *what, wb_error *e);
/* DEALLOCATE a prepared st (outside any failed transaction) and free it. */
void wb_pgs_stmt_free(wb_pgs_stmt *st, PGconn *pg);

/* --- SQL text --- */

/* The SQL type a parameter of a column's type is cast to where the server cannot infer
 * it (VALUES lists, arrays): bigint, text, numeric. Never the declared varchar(n) or
 * numeric(p,s): an explicit cast to those would truncate or round silently. */
const char *wb_pgs_cast_type(wb_type type);
/* Append the quoted, schema-qualified name of t (through the backend). */
void wb_pgs_table_name(const wb_ctx *ctx, wb_conn *c, const wb_table *t, wb_buf *out);
/* Append `"c1", "c2", ...`, each prefixed by prefix ("" or "v."). */
void wb_pgs_column_list(const wb_table *t, const char *prefix, wb_buf *out);
/* Append `"c1" = <source>."c1", ...` for every non-key column (the key itself when the
 * table has no other column, so that the SET list is never empty). */
void wb_pgs_set_list(const wb_table *t, const char *source, wb_buf *out);
/* Append `($1, $2, ...), ($5, ...)`: rows rows of parameters in column order; with cast,
 * every parameter carries its wb_pgs_cast_type ($1::bigint). */
void wb_pgs_values_rows(const wb_table *t, int rows, int cast, wb_buf *out);
/* Append `INSERT INTO t (cols) VALUES (...), ...` with rows rows of parameters; with
 * upsert, ON CONFLICT (id) DO UPDATE SET every non-key column = EXCLUDED.column. */
void wb_pgs_insert_sql(const wb_ctx *ctx, wb_conn *c, const wb_table *t, int rows, int upsert,
                       wb_buf *out);
/* Rows per multi-row statement: min(batch, 65,535 / columns), at least 1. */
int wb_pgs_rows_per_statement(const wb_table *t, int64_t batch);

/* --- rows as text-format parameters --- */

/* The text of a non-NULL value: its generated text (numbers are generated with their
 * decimal text too); scratch (24 bytes) is used only if a number came without it. */
const char *wb_pgs_value_text(const wb_value *v, char *scratch);
/* One row's parameters, pointing into the row (which must outlive their use). */
typedef struct wb_pgs_row_params {
    const char *values[WB_MAX_COLUMNS];
    char scratch[WB_MAX_COLUMNS][24];
} wb_pgs_row_params;
void wb_pgs_row_params_of(const wb_row *row, wb_pgs_row_params *out);

/* Many rows' parameters for one multi-row statement: the values are copied into one
 * growing arena (a few dozen bytes a row, not a wb_row of 1.3 kB each), so a batch
 * costs no allocation once the arena has grown to its size. */
typedef struct wb_pgs_params {
    wb_buf arena;        /* the values, each NUL-terminated */
    size_t *offsets;     /* per parameter: offset into arena, or SIZE_MAX for NULL */
    const char **values; /* per parameter, valid after wb_pgs_params_values() */
    int count, capacity;
} wb_pgs_params;
void wb_pgs_params_init(wb_pgs_params *p, int capacity);
void wb_pgs_params_reset(wb_pgs_params *p);
/* Append the row's values (ncolumns parameters). */
void wb_pgs_params_add_row(wb_pgs_params *p, const wb_row *row);
/* The parameters as PQexecParams wants them (pointers into the arena). */
const char *const *wb_pgs_params_values(wb_pgs_params *p);
void wb_pgs_params_free(wb_pgs_params *p);

/* --- capabilities --- */

/* Write a server_version_num as a version: 150018 -> "15.18", 90624 -> "9.6.24". */
void wb_pgs_format_version(int version_num, char *out, size_t n);
/* WB_SKIP with the reason in ctx->error unless the server runs MERGE (15+); else 0. */
int wb_pgs_require_merge(wb_ctx *ctx);

#endif

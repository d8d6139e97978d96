/* Helpers shared by the SQLite strategies: statements, binding a generated row,
 * transactions, and the INSERT/upsert SQL text of a workload table. */
#ifndef WB_STRATEGIES_SQLITE_COMMON_H
#define WB_STRATEGIES_SQLITE_COMMON_H

#include <sqlite3.h>

#include "strategies/strategy.h"

/* Fill e with "<what>: <sqlite message>" and return -1. */
int wb_sq_fail(wb_error *e, sqlite3 *db, const char *what);
/* Run statements that return no rows. */
int wb_sq_exec(sqlite3 *db, const char *sql, wb_error *e);
/* Prepare one statement (kept across uses: SQLITE_PREPARE_PERSISTENT). */
int wb_sq_prepare(sqlite3 *db, const char *sql, sqlite3_stmt **out, wb_error *e);
/* Bind the row's values to parameters first_param.. (1-based), in column order:
 * INT64 as integer, DECIMAL as its exact text, TEXT as text, NULL as NULL. The
 * text is bound SQLITE_STATIC: the row must outlive the step. */
int wb_sq_bind_row(sqlite3 *db, sqlite3_stmt *st, int first_param, const wb_row *row, wb_error *e);
/* Step a statement that returns no rows, then reset it and clear its bindings. */
int wb_sq_step_done(sqlite3 *db, sqlite3_stmt *st, wb_error *e);
/* BEGIN IMMEDIATE: take the write lock up front, so a busy database is waited for
 * by the busy handler instead of failing later with SQLITE_BUSY_SNAPSHOT. */
int wb_sq_begin(sqlite3 *db, wb_error *e);
/* COMMIT. */
int wb_sq_commit(sqlite3 *db, wb_error *e);

/* Append `INSERT INTO "t" (cols) VALUES (?,...),(?,...)` with rows_per_statement rows;
 * verb is "INSERT" or "INSERT OR REPLACE"; upsert adds ON CONFLICT (id) DO UPDATE SET
 * every non-key column = excluded.column. */
void wb_sq_insert_sql(wb_conn *c, const wb_table *t, const char *verb, int rows_per_statement,
                      int upsert, wb_buf *out);
/* Rows per multi-row statement: min(batch, the library's bound-parameter limit / columns). */
int wb_sq_rows_per_statement(sqlite3 *db, const wb_table *t, int64_t batch);

#endif

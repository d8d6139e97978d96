/* What the SQLite backend's files share among themselves (not for the rest of
 * writebench): its --db forms and settings (sqlite_target.c) and its statement
 * layer (sqlite_stmt.c), which sqlite.c puts into wb_sqlite_backend. */
#ifndef WB_BACKENDS_SQLITE_INTERNAL_H
#define WB_BACKENDS_SQLITE_INTERNAL_H

#include "backends/sqlite.h"

/* --- sqlite_target.c --- */
extern const char *const wb_sqlite_schemes[];
bool wb_sqlite_claims_bare(const char *url);
int wb_sqlite_parse_target(const char *url, bool for_run, wb_target *t, wb_error *e);
int wb_sqlite_add_setting(wb_target *t, const char *assignment, wb_error *e);
void wb_sqlite_discard_target(const wb_target *t);
void wb_sqlite_external_env(const wb_target *t, const char *application_name, const wb_env *env);

/* --- sqlite_stmt.c --- */
int wb_sqlite_stmt_prepare(wb_conn *c, const char *sql, int nparams, unsigned flags, const char *name,
                           wb_stmt **out, wb_error *e);
int wb_sqlite_stmt_bind(wb_stmt *st, int first, int n, const wb_bind_value *values, wb_error *e);
int wb_sqlite_stmt_exec(wb_stmt *st, const char *what, wb_row_fn fn, void *arg, int64_t *rows, wb_error *e);
void wb_sqlite_stmt_finalize(wb_stmt *st);
int wb_sqlite_begin(wb_conn *c, wb_error *e);
int wb_sqlite_commit(wb_conn *c, wb_error *e);
void wb_sqlite_rollback(wb_conn *c);
int wb_sqlite_param_limit(wb_conn *c);
/* After a failed call on db: note (util/storage_fault.h) a full disk or a file that
 * may not grow, which is the machine's fault and not the strategy's. */
void wb_sqlite_note_storage_fault(sqlite3 *db);

/* --- sqlite_describe.c --- */
int wb_sqlite_describe_tables(wb_conn *c, const char *const *names, int n, bool common_values, wb_schema_desc *out,
                              wb_error *e);

#endif

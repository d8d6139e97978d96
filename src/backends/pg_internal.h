/* What the PostgreSQL backend's files share among themselves (not for the rest
 * of writebench): its --db forms and its throwaway cluster (pg_target.c) and its
 * statement layer (pg_stmt.c) and the names of its constraints (pg_constraints.c),
 * which postgres.c puts into wb_postgres_backend. */
#ifndef WB_BACKENDS_PG_INTERNAL_H
#define WB_BACKENDS_PG_INTERNAL_H

#include "backends/postgres.h"

/* --- pg_target.c --- */
extern const char *const wb_pg_schemes[];
bool wb_pg_claims_bare(const char *url);
int wb_pg_parse_target(const char *url, bool for_run, wb_target *t, wb_error *e);
void wb_pg_mask_secrets(char *url);
int wb_pg_add_session_setting(wb_target *t, const char *assignment, wb_error *e);
void wb_pg_external_env(const wb_target *t, const char *application_name, const wb_env *env);
int wb_pg_temp_server_start(wb_target *t, wb_temp_server **out, wb_error *e);
void wb_pg_temp_server_describe(const wb_temp_server *s, wb_buf *out);
void wb_pg_temp_server_stop(wb_temp_server *s);
int wb_pg_temp_server_reach(const wb_temp_server *s, int part, wb_target *out);
void wb_pg_temp_server_release(wb_temp_server *s);

/* --- pg_probe.c --- */
int wb_pg_probe(const wb_target *t, wb_conn *c, wb_probe *out, wb_error *e);

/* --- pg_stmt.c --- */
int wb_pg_stmt_prepare(wb_conn *c, const char *sql, int nparams, unsigned flags, const char *name,
                       wb_stmt **out, wb_error *e);
int wb_pg_stmt_bind(wb_stmt *st, int first, int n, const wb_bind_value *values, wb_error *e);
int wb_pg_stmt_exec(wb_stmt *st, const char *what, wb_row_fn fn, void *arg, int64_t *rows, wb_error *e);
void wb_pg_stmt_finalize(wb_stmt *st);
int wb_pg_begin(wb_conn *c, wb_error *e);
int wb_pg_commit(wb_conn *c, wb_error *e);
void wb_pg_rollback(wb_conn *c);
int wb_pg_param_limit(wb_conn *c);

/* --- pg_constraints.c --- */
int wb_pg_drop_constraints_sql(wb_conn *c, const char *table, wb_constraint_kind kind, const char *column,
                               wb_buf *out, wb_error *e);
/* --- pg_describe.c --- */
int wb_pg_describe_tables(wb_conn *c, const char *const *names, int n, bool common_values, wb_schema_desc *out,
                          wb_error *e);

#endif

/* What the MariaDB backend's files share among themselves (not for the rest of
 * writebench): its --db forms and external programs' environment
 * (mariadb_target.c), its statement layer (mariadb_stmt.c) and its throwaway
 * server (mariadb_temp.c), which mariadb.c puts into wb_mariadb_backend. */
#ifndef WB_BACKENDS_MARIADB_INTERNAL_H
#define WB_BACKENDS_MARIADB_INTERNAL_H

#include "backends/describe.h"
#include "backends/mariadb.h"

/* The parts of a mariadb:// URL (percent-decoded). password is secret. */
typedef struct wb_mariadb_url {
    char user[256];
    char password[256];
    char host[256];          /* "" for the library's default (localhost) */
    unsigned port;           /* 0 for the default */
    char socket[1024];       /* a unix socket (?socket=, or a host that is a path) */
    char database[65];       /* "" when the URL names none */
    char option_file[1024];  /* ?option_file=: an option file read for this connection */
    char option_group[128];  /* ?option_group=: the group read from option files */
    unsigned connect_timeout_s; /* 0 for writebench's default */
} wb_mariadb_url;

/* --- mariadb_target.c --- */
extern const char *const wb_mariadb_schemes[];
int wb_mariadb_parse_target(const char *url, bool for_run, wb_target *t, wb_error *e);
void wb_mariadb_mask_secrets(char *url);
int wb_mariadb_add_setting(wb_target *t, const char *assignment, wb_error *e);
/* Parse a mariadb:// or mysql:// URL; -1 with e set (the URL redacted, never the
 * password) when it is not one writebench can use. */
int wb_mariadb_parse_url(const char *url, wb_mariadb_url *out, wb_error *e);
/* Whether name is a database name writebench accepts: 1 to 63 letters, digits, '_' or '$'. */
int wb_mariadb_database_name_ok(const char *name);
void wb_mariadb_external_env(const wb_target *t, const char *application_name, const wb_env *env);

/* --- mariadb_temp.c (mariadb-temp:) --- */
int wb_mariadb_temp_server_start(wb_target *t, wb_temp_server **out, wb_error *e);
void wb_mariadb_temp_server_describe(const wb_temp_server *s, wb_buf *out);
void wb_mariadb_temp_server_stop(wb_temp_server *s);

/* --- mariadb_describe.c (workload init --from) --- */
int wb_mariadb_describe_tables(wb_conn *c, const char *const *names, int n, bool common_values,
                               wb_schema_desc *out, wb_error *e);

/* --- mariadb_stmt.c --- */
int wb_mariadb_stmt_prepare(wb_conn *c, const char *sql, int nparams, unsigned flags, const char *name,
                            wb_stmt **out, wb_error *e);
int wb_mariadb_stmt_bind(wb_stmt *st, int first, int n, const wb_bind_value *values, wb_error *e);
int wb_mariadb_stmt_exec(wb_stmt *st, const char *what, wb_row_fn fn, void *arg, int64_t *rows, wb_error *e);
void wb_mariadb_stmt_finalize(wb_stmt *st);
int wb_mariadb_begin(wb_conn *c, wb_error *e);
int wb_mariadb_commit(wb_conn *c, wb_error *e);
void wb_mariadb_rollback(wb_conn *c);
int wb_mariadb_param_limit(wb_conn *c);

/* --- mariadb.c, for the files above --- */
/* Whether c is inside a transaction (the server's status after the last statement). */
bool wb_mariadb_in_transaction(wb_conn *c);
/* Note the error code of the last server-side prepared statement run on c (0: it
 * succeeded): its errors live on the statement, not the connection. */
void wb_mariadb_note_stmt_errno(wb_conn *c, unsigned code);
/* The backend's transaction_conflict: the last failure on c was a deadlock (1213) or
 * a lock wait timeout (1205). */
bool wb_mariadb_transaction_conflict(wb_conn *c);

#endif

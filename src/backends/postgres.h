/* PostgreSQL backend (libpq): the native handle for native strategies, and what
 * the server can do (read once per connection). */
#ifndef WB_BACKENDS_POSTGRES_H
#define WB_BACKENDS_POSTGRES_H

#include <libpq-fe.h>

#include "backends/backend.h"

extern const wb_backend wb_postgres_backend;

/* What the server and the libpq in use can do. */
typedef struct wb_pg_caps {
    int server_version_num; /* e.g. 150018 */
    int libpq_version;      /* PQlibVersion() */
    int has_merge;          /* server 15+ */
    int has_pipeline;       /* libpq 14+ (pipeline mode is client-side; any v3 server works) */
    int server_is_local;    /* the backend process is on this machine and /proc/<pid> is readable */
} wb_pg_caps;

/* The PGconn behind a connection of the PostgreSQL backend. */
PGconn *wb_pg_conn(wb_conn *c);
/* The capabilities of the connection's server (read at connect). */
const wb_pg_caps *wb_pg_caps_of(wb_conn *c);
/* Tests only: pretend the server is older/newer, to exercise the skipped path. */
void wb_pg_caps_override(wb_conn *c, const wb_pg_caps *caps);

/* Fill e with "<what>: <server message>" (from res, or from the connection when res
 * is NULL) on one line and return -1: how every PostgreSQL error reads. */
int wb_pg_fail(wb_error *e, PGconn *pg, const PGresult *res, const char *what);
/* PQexec, timed and echoed under --echo under key (NULL: the SQL itself). */
PGresult *wb_pg_exec_echoed(PGconn *pg, const char *sql, const char *key);
/* The server-side name of a statement of the statement layer ("" when it was
 * prepared WB_STMT_ONCE), for native strategies that send it themselves (pipeline). */
const char *wb_pg_stmt_name(const wb_stmt *st);

#endif

/* MariaDB backend (MariaDB Connector/C; MySQL servers speak the same protocol): the
 * native handle and the helpers native strategies (strategies/mariadb/) use. */
#ifndef WB_BACKENDS_MARIADB_H
#define WB_BACKENDS_MARIADB_H

#include <mysql.h>

#include "backends/backend.h"

extern const wb_backend wb_mariadb_backend;

/* The MYSQL handle behind a connection of the MariaDB backend. */
MYSQL *wb_mariadb_mysql(wb_conn *c);
/* The database writebench works in on this connection (its namespace), unquoted. */
const char *wb_mariadb_database(wb_conn *c);
/* Fill e with "<what>: <the server's message> [error N, SQLSTATE S]" on one line and
 * return -1: how every MariaDB error reads. */
int wb_mariadb_fail(wb_error *e, MYSQL *m, const char *what);
/* Run statements that return no rows (or whose rows are thrown away) on c, timed
 * and echoed under --echo; the error names what. */
int wb_mariadb_exec(wb_conn *c, const char *sql, const char *what, wb_error *e);
/* Count one commit into the connection's counters (a statement a native strategy
 * ran outside a transaction: autocommit commits it). */
void wb_mariadb_count_commit(wb_conn *c);

#endif

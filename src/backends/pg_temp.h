/* A throwaway local PostgreSQL cluster for `--db pg-temp:`: initdb into a fresh
 * temporary directory, a postgres server listening only on a unix socket inside that
 * directory, and everything removed again at the end, on failure, on Ctrl-C, and
 * even when writebench itself is killed (a watcher process outlives it and cleans up).
 *
 * Started by root, initdb and the server run as the `postgres` user (the server
 * refuses to run as root). Authentication is `trust`: safe because the socket lives in
 * a directory only the cluster's owner (and root) can enter. */
#ifndef WB_BACKENDS_PG_TEMP_H
#define WB_BACKENDS_PG_TEMP_H

#include <stddef.h>

#include "util/buf.h"
#include "util/error.h"

typedef struct wb_pg_temp wb_pg_temp;

/* Start a throwaway cluster and fill conninfo[n] with how to reach it
 * ("host='<dir>' port=<p> dbname=postgres user=postgres"); -1 with e filled (and
 * nothing left behind) on failure, e.g. when no PostgreSQL server binaries exist. */
int wb_pg_temp_start(wb_pg_temp **out, char *conninfo, size_t n, wb_error *e);
/* Stop the server (immediate shutdown: its data is thrown away, a checkpoint would be
 * wasted work) and remove its directory. NULL is allowed. */
void wb_pg_temp_stop(wb_pg_temp *t);
/* Append "pg_temp.<key> = <value>" lines for run.conf: the binaries used, the
 * directory, and the settings changed from the server's defaults. */
void wb_pg_temp_describe(const wb_pg_temp *t, wb_buf *out);

#endif

/* A throwaway local PostgreSQL cluster for `--db pg-temp:`: initdb into a fresh
 * temporary directory, a postgres server listening only on a unix socket inside that
 * directory, and everything removed again at the end, on failure, on Ctrl-C, and
 * even when writebench itself is killed (a watcher process outlives it and cleans up).
 *
 * Topologies (`pg-temp:?standby=sync|async&pooler=transaction|session`): a streaming
 * standby made with pg_basebackup (synchronous: the primary's
 * synchronous_standby_names is '*', so every commit waits for the standby's flush),
 * and Debian's pgbouncer in front of the primary on its own socket in the same
 * directory. They are real processes of the same watcher, stopped and removed with
 * the cluster.
 *
 * Started by root, initdb, the servers and pgbouncer run as the `postgres` user (the
 * server and pgbouncer refuse to run as root). Authentication is `trust`: safe because
 * the sockets live in a directory only the cluster's owner (and root) can enter. */
#ifndef WB_BACKENDS_PG_TEMP_H
#define WB_BACKENDS_PG_TEMP_H

#include <stddef.h>

#include "util/buf.h"
#include "util/error.h"

typedef struct wb_pg_temp wb_pg_temp;

typedef enum wb_pg_standby {
    WB_PG_STANDBY_NONE = 0,
    WB_PG_STANDBY_ASYNC, /* streaming, commits do not wait for it */
    WB_PG_STANDBY_SYNC   /* synchronous_standby_names = '*': every commit waits for its flush */
} wb_pg_standby;

typedef enum wb_pg_pooler {
    WB_PG_POOLER_NONE = 0,
    WB_PG_POOLER_TRANSACTION, /* pgbouncer pool_mode = transaction */
    WB_PG_POOLER_SESSION      /* pgbouncer pool_mode = session */
} wb_pg_pooler;

/* What a pg-temp: value asks for, from what follows "pg-temp:?". */
typedef struct wb_pg_topology {
    wb_pg_standby standby;
    wb_pg_pooler pooler;
} wb_pg_topology;

/* Parse "standby=sync&pooler=transaction" (either key, both, in any order; "" for
 * neither) into out; -1 with e naming the bad part and the accepted values. */
int wb_pg_topology_parse(const char *options, wb_pg_topology *out, wb_error *e);
/* Append the topology in words, "primary + synchronous standby + pgbouncer
 * (transaction pooling)", or "primary alone". */
void wb_pg_topology_describe(const wb_pg_topology *topo, wb_buf *out);

/* Start a throwaway cluster of the topology and fill conninfo[n] with how a client
 * reaches it ("host='<dir>' port=<p> dbname=postgres user=postgres": pgbouncer's socket
 * when there is one, the primary's otherwise); -1 with e filled (and nothing left
 * behind) on failure, e.g. when no PostgreSQL server binaries or no pgbouncer exist.
 * schema (may be NULL) becomes the server's search_path behind a pooler, which drops
 * the clients' startup options. */
int wb_pg_temp_start(wb_pg_temp **out, const wb_pg_topology *topo, const char *schema, char *conninfo, size_t n,
                     wb_error *e);
/* Stop the servers and the pooler (immediate shutdown: their data is thrown away, a
 * checkpoint would be wasted work) and remove the directory. NULL is allowed. */
void wb_pg_temp_stop(wb_pg_temp *t);
/* Append "pg_temp.<key> = <value>" lines for run.conf: the topology, the binaries
 * used, the directory, and the settings changed from the server's defaults. */
void wb_pg_temp_describe(const wb_pg_temp *t, wb_buf *out);

/* The parts of a topology a client can reach. */
typedef enum wb_pg_temp_part {
    WB_PG_TEMP_PRIMARY, /* the primary server itself, bypassing the pooler */
    WB_PG_TEMP_STANDBY  /* the standby (read-only) */
} wb_pg_temp_part;

/* Fill conninfo[n] with how to reach part; 1 when the topology has it, 0 when not. */
int wb_pg_temp_conninfo(const wb_pg_temp *t, wb_pg_temp_part part, char *conninfo, size_t n);
/* Close the pooler's server connections (pgbouncer's RECONNECT, on its admin console),
 * so that the server sessions the pooler kept open end and report their statistics;
 * nothing without a pooler. */
void wb_pg_temp_release_pooled(const wb_pg_temp *t);

#endif

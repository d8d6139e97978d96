/* The backend interface: what the runner, the verifier and the helpers need of a
 * database, so that SQLite and PostgreSQL plug in without the runner knowing
 * which one it talks to. Strategies are native: they reach the sqlite3* or
 * PGconn* of a connection through the backend's own header (sqlite.h). */
#ifndef WB_BACKENDS_BACKEND_H
#define WB_BACKENDS_BACKEND_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/buf.h"
#include "util/counters.h"
#include "util/error.h"

typedef enum wb_backend_kind {
    WB_BACKEND_SQLITE = 0,
    WB_BACKEND_POSTGRES = 1,
    WB_BACKEND_COUNT
} wb_backend_kind;

/* The few places where the SQL of the two backends differs in the workload's expressions. */
typedef struct wb_dialect {
    wb_backend_kind kind;
    const char *chr_function; /* one character from its code point: "char" / "chr" */
    const char *distinct_op;  /* NULL-safe inequality: "IS NOT" / "IS DISTINCT FROM" */
} wb_dialect;

#define WB_MAX_PRAGMAS 16

/* Where to connect, parsed from --db. conninfo may hold a password: never print it;
 * print url_redacted instead. */
typedef struct wb_target {
    wb_backend_kind kind;
    char url_redacted[1024];  /* safe to print and record */
    char path[4096];          /* SQLite: database file */
    bool path_is_default;     /* SQLite: a file in a fresh temporary directory */
    bool may_create;          /* SQLite: create the file if it is missing */
    char conninfo[4096];      /* PostgreSQL: libpq conninfo (secret) */
    char schema[64];          /* PostgreSQL: writebench's schema */
    bool pg_temp;             /* PostgreSQL: "pg-temp:", a throwaway cluster the run starts (backends/pg_temp.h) */
    int npragmas;             /* SQLite: PRAGMAs applied to every connection, "name=value" */
    char pragmas[WB_MAX_PRAGMAS][128];
    int64_t busy_timeout_ms;  /* SQLite: how long a writer waits for a lock before failing */
    bool echo;                /* --echo: print and time every statement (backends/echo.h) */
    char application_name[64]; /* PostgreSQL: the default application_name; "" means "writebench" */
} wb_target;

typedef struct wb_conn wb_conn;

/* A backend's lock on a database (one writebench at a time per SQLite file or
 * PostgreSQL schema); what it holds is the backend's own (backends/lock.h). */
typedef struct wb_lock wb_lock;

/* Who holds a database's lock: what a refused second writebench names. */
typedef struct wb_lock_holder {
    char command[16]; /* "run", "profile", "setup", "drop" */
    char run_id[64];  /* run and profile: the run's id; "" otherwise */
    long pid;         /* the holding writebench process; 0 when unknown */
    char host[256];   /* its host name ("" unknown; PostgreSQL may cut it short) */
    char started[32]; /* when it took the lock, UTC "2024-05-01T12:00:00Z"; "" unknown */
} wb_lock_holder;

/* Server-side figures read before and after a test; -1 where unknown. */
typedef struct wb_snapshot {
    int64_t db_bytes;  /* SQLite: main file size; PostgreSQL: pg_database_size */
    int64_t wal_bytes; /* SQLite: -wal file size; PostgreSQL: pg_current_wal_lsn in bytes */
    int64_t commits;   /* PostgreSQL: xact_commit of the database; SQLite: -1 (counted by hook) */
} wb_snapshot;

/* Called for each row of a query with the values as text (NULL for SQL NULL).
 * Return non-zero to stop early (not an error). */
typedef int (*wb_row_fn)(void *arg, int ncols, const char *const *names, const char *const *values);

typedef struct wb_backend {
    const char *name;          /* "sqlite" or "postgresql": the results' backend column */
    const wb_dialect *dialect;
    /* Open a connection; fill e and return -1 on failure. */
    int (*connect)(const wb_target *t, wb_conn **out, wb_error *e);
    /* Close a connection (NULL is allowed). */
    void (*disconnect)(wb_conn *c);
    /* Run statements that return no rows (several separated by ';' allowed). */
    int (*exec)(wb_conn *c, const char *sql, wb_error *e);
    /* Run one query and call fn for each row. */
    int (*query)(wb_conn *c, const char *sql, wb_row_fn fn, void *arg, wb_error *e);
    /* The server's or library's version ("3.40.1"). */
    int (*server_version)(wb_conn *c, char *out, size_t n, wb_error *e);
    /* Make sure writebench's namespace exists and is writebench's: with create set,
     * create it (and its mark) when absent; fail, naming it, when it exists without the mark. */
    int (*claim_namespace)(wb_conn *c, bool create, wb_error *e);
    /* Append the quoted (and, on PostgreSQL, schema-qualified) name of a table. */
    void (*table_name)(wb_conn *c, const char *table, wb_buf *out);
    /* Read the server-side figures (see wb_snapshot). */
    int (*snapshot)(wb_conn *c, wb_snapshot *out, wb_error *e);
    /* Append "key = value" lines of the settings that decide write speed, for run.conf. */
    void (*describe_settings)(wb_conn *c, wb_buf *out);
    /* Let a connection count commits and lock waits into shared counters (NULL to stop). */
    void (*attach_counters)(wb_conn *c, wb_counters *counters);
    /* Optional (NULL for SQLite, which has no server): the peak RSS in kB of the server
     * process serving this connection, -1 when it cannot be read (server elsewhere). */
    int64_t (*server_peak_rss_kb)(wb_conn *c);
    /* Optional: the largest peak RSS in kB of the server processes now serving the
     * connections of another program, named by their application_name; -1 none seen.
     * Samples leave c inside a read-only transaction (so they count no commit): call
     * with a NULL name at the end to close it. */
    int64_t (*server_peak_rss_kb_of)(wb_conn *c, const char *application_name);
    /* Optional: bring the server to a quiet state before a test, so that no test pays
     * for writes of the one before (PostgreSQL: CHECKPOINT, which needs superuser or
     * pg_checkpoint). Fails with the server's message when not allowed. */
    int (*settle)(wb_conn *c, wb_error *e);
    /* Optional: wait, at most max_wait_ms, until the other connections to this database
     * named application_name (NULL: c's own name, i.e. writebench's) have ended on the
     * server, so that readings taken next include all their commits (PostgreSQL flushes
     * a connection's statistics when its process exits). */
    void (*await_others)(wb_conn *c, const char *application_name, int max_wait_ms);
    /* Optional: take writebench's lock on t's database for this process, held until
     * unlock, without waiting. Returns 0 with *out set, 1 when another writebench holds
     * it (*holder says who, as far as it can be read; *where names the database, for
     * the refusal), -1 with e set on failure. Call only once the namespace is claimed:
     * the lock may create a file beside it. A forked child never calls unlock. */
    int (*lock)(const wb_target *t, const wb_lock_holder *me, wb_lock **out, wb_lock_holder *holder,
                char *where, size_t where_size, wb_error *e);
    /* Release a lock of lock() (NULL is allowed); required with lock. */
    void (*unlock)(wb_lock *l);
    /* Optional: remove writebench's namespace when it now holds nothing at all (the
     * marked PostgreSQL schema, once drop has dropped the workload's tables), and
     * append to note one sentence saying whether it did. A namespace that still holds
     * anything is kept: that is not an error. */
    int (*drop_namespace_if_empty)(wb_conn *c, wb_buf *note, wb_error *e);
} wb_backend;

/* The backend of a kind, or NULL when it is not built in yet. */
const wb_backend *wb_backend_get(wb_backend_kind kind);

/* Parse a --db value into t. NULL means the default: a new SQLite file in a fresh
 * temporary directory. for_run refuses targets a run cannot use (sqlite::memory:). */
int wb_target_parse(const char *url, bool for_run, wb_target *t, wb_error *e);
/* Overwrite, in place and at the same length, every password in a --db value with
 * 'x' ("postgresql://me:xxxxxx@h/db", "password=xxxxxx"): what the command line
 * shows in the process listing once it has been parsed. */
void wb_target_mask_secrets(char *url);
/* Add a "name=value" PRAGMA to a SQLite target (validated: letters, digits, _ only in the name). */
int wb_target_add_pragma(wb_target *t, const char *assignment, wb_error *e);

#endif

/* The backend interface: everything writebench needs of a database, so that a
 * backend plugs in without anything above src/backends/ knowing which one it
 * talks to. Modelled on SQLite's sqlite3_vfs: a versioned table of data and
 * methods, the required ones first, the optional ones after (NULL when the
 * backend has nothing to offer; every caller checks before calling one).
 *
 * A backend is one `const wb_backend` value and one line in registry.h. It owns:
 *   - its --db forms: URL schemes, forms without a scheme, parsing into a
 *     wb_target, redaction of passwords (the shared helpers are in redact.h);
 *   - its SQL dialect, in full as data (wb_dialect), and its capabilities as
 *     flags (WB_CAP_*), which is all the generic strategies, the verifier and
 *     profile may ask about it: nothing above src/backends/ tests a backend kind;
 *   - connections, statements that return no rows or rows as text, the
 *     namespace it claims, server-side figures, settings for run.conf;
 *   - the statement layer the generic strategies are written on (prepare with the
 *     dialect's placeholders, bind, execute, begin, commit, rollback, finalize);
 *   - optionally a throwaway server of its own (PostgreSQL's `pg-temp:`), a lock
 *     that keeps a second writebench out, and the server's memory.
 * Native strategies reach the native handle of a connection through the
 * backend's own header (wb_sqlite_db() in sqlite.h, wb_pg_conn() in postgres.h);
 * nothing else does. */
#ifndef WB_BACKENDS_BACKEND_H
#define WB_BACKENDS_BACKEND_H

#include <math.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "backends/describe.h"
#include "backends/registry.h"
#include "util/buf.h"
#include "util/counters.h"
#include "util/error.h"

/* The version of this interface a backend is written against (wb_backend's first
 * field). Raised when a method is added; a method added later goes after the
 * existing ones, so that a backend of an older version still has a valid table.
 * Version 2 added external_env, server_peak_rss_begin, drop_constraints_sql and describe_tables: read
 * them only through wb_backend_v2 (a version-1 table ends before them). Version 3
 * added probe, add_session_setting, temp_server_reach, temp_server_release,
 * await_replica and transaction_conflict: read them through wb_backend_v3. */
#define WB_BACKEND_INTERFACE_VERSION 3

/* A backend's index in the registry (registry.h): WB_BACKEND_SQLITE, ... */
typedef enum wb_backend_kind {
#define WB_BACKEND_KIND_(kind, var) WB_BACKEND_##kind,
    WB_BACKEND_REGISTRY(WB_BACKEND_KIND_)
#undef WB_BACKEND_KIND_
    WB_BACKEND_COUNT
} wb_backend_kind;

/* ---- capabilities --------------------------------------------------------
 * What a backend can do beyond the statement layer every backend has; a
 * generic strategy names what it needs (strategies/catalog.c) and runs wherever
 * the backend has it. A capability that depends on the server's or library's
 * version (MERGE, pipeline) means "can, when recent enough": the strategy checks
 * at run time and reports WB_SKIP with the version when not. */
#define WB_CAP_COPY (1u << 0)            /* COPY ... FROM STDIN, text and binary */
#define WB_CAP_PIPELINE (1u << 1)        /* many statements in flight without waiting for results */
#define WB_CAP_MERGE (1u << 2)           /* MERGE INTO ... USING ... */
#define WB_CAP_RETURNING (1u << 3)       /* INSERT/UPDATE ... RETURNING */
#define WB_CAP_ARRAYS (1u << 4)          /* array parameters (unnest) */
#define WB_CAP_NAMED_PREPARED (1u << 5)  /* prepared statements live on the server under a name */
#define WB_CAP_UPSERT (1u << 6)          /* the dialect's upsert clause (upsert_clause) */
#define WB_CAP_UPDATE_FROM (1u << 7)     /* UPDATE t SET ... FROM (VALUES ...) AS v WHERE ... */
#define WB_CAP_DROP_CONSTRAINT (1u << 8) /* ALTER TABLE ... DROP CONSTRAINT */
#define WB_CAP_SERVER_COUNTERS (1u << 9) /* commits and WAL bytes are the server's own figures, so they
                                          * include what another process (an external program) did */
#define WB_CAP_NAMED_NAMESPACE (1u << 10) /* --schema names writebench's namespace in the database */
/* What a connection has rather than a backend (a pooler in between, a distributed engine
 * that speaks the protocol): assumed of every backend, and taken away only when the
 * probe of the real connection finds it missing (backend->probe, wb_probe): */
#define WB_CAP_KEPT_STATEMENTS (1u << 11) /* a prepared statement stays usable in the connection's later
                                           * transactions (a transaction pooler hands each transaction
                                           * to any server session) */
#define WB_CAP_SESSION_STATE (1u << 12)   /* SET and temporary tables outlive the transaction that made them */
#define WB_CAP_SESSION_LOCKS (1u << 13)   /* a session-level advisory lock belongs to this connection alone */
#define WB_CAP_TEMP_TABLES (1u << 14)     /* temporary tables, within one transaction (the staging strategies) */
#define WB_CAP_OWN_SESSION (1u << 15)     /* a connection is a server session of its own, ended when it closes
                                           * (no pooler keeps it): what writebench's readings of commits need */
#define WB_CAP_SERVER_WAL (1u << 16)      /* WAL bytes alone are the server's own figure (commits are
                                          * counted on writebench's connections) */
#define WB_CAP_COUNT 17
#define WB_CAP_PROBED_ONLY \
    (WB_CAP_KEPT_STATEMENTS | WB_CAP_SESSION_STATE | WB_CAP_SESSION_LOCKS | WB_CAP_TEMP_TABLES | WB_CAP_OWN_SESSION)

/* The name of one capability ("COPY"), for messages; "?" for an unknown bit. */
const char *wb_capability_name(unsigned cap);
/* Its key, for run.conf ("copy", "kept_statements"); "?" for an unknown bit. */
const char *wb_capability_key(unsigned cap);
/* Append the names of the capabilities in caps, comma-separated. */
void wb_capability_names(unsigned caps, wb_buf *out);

/* ---- the SQL dialect -----------------------------------------------------
 * Where the backends' SQL differs, as data. Strings are printf formats where
 * noted; every identifier passed in is already quoted. */

/* The SQL types a workload column may have (docs/WORKLOADS.md, "Types"), named as
 * PostgreSQL spells them; each backend says in its dialect (wb_dialect.types) how
 * it declares and casts every one of them. */
typedef enum wb_sql_type {
    WB_SQL_BIGINT,
    WB_SQL_TEXT,
    WB_SQL_VARCHAR, /* varchar(n) */
    WB_SQL_NUMERIC, /* numeric(p,s) */
    WB_SQL_SMALLINT,
    WB_SQL_INTEGER,
    WB_SQL_REAL,
    WB_SQL_DOUBLE,  /* double precision */
    WB_SQL_BOOLEAN,
    WB_SQL_CHAR,    /* char(n): blank-padded to n characters */
    WB_SQL_DATE,
    WB_SQL_TIMESTAMP,
    WB_SQL_TIMESTAMPTZ,
    WB_SQL_UUID,
    WB_SQL_JSON,
    WB_SQL_JSONB,
    WB_SQL_BYTEA,
    WB_SQL_TYPE_COUNT
} wb_sql_type;

/* Bytes of the UTC offset ("+00") that ends a timestamptz's canonical text. */
#define WB_UTC_OFFSET_LEN 3

/* An SQL expression put around another: open, the inner expression, close. Both
 * are printf formats of the arguments their field names; NULL or "" adds nothing. */
typedef struct wb_sql_wrap {
    const char *open, *close;
} wb_sql_wrap;

/* One SQL type on one backend (docs/WORKLOADS.md, "Types"). The formats of decl,
 * cast and compare take two long long arguments, the type's parameters:
 * varchar(n) and char(n) get (n, 0), numeric(p,s) (p, s), the others (0, 0); a
 * format may use none, one or both of them. */
typedef struct wb_dialect_type {
    const char *decl;       /* in CREATE TABLE: "VARCHAR(%lld)", "numeric(%lld,%lld)", "INTEGER" */
    const char *param_cast; /* appended to a parameter (or a literal) whose type the server cannot
                             * infer (a VALUES list outside an INSERT, unnest's arrays): "::bigint";
                             * NULL when none is needed. Never a cast that could truncate or round
                             * (not "::varchar(30)"): an over-long value must fail, not shrink */
    wb_sql_wrap cast;       /* makes a value of this type from the generators' SQL form of it (text
                             * for char(n), json and uuid, exact decimal text for numeric, an integer
                             * or a boolean expression for the others): PostgreSQL's CAST(%s AS json),
                             * SQLite's blank padding of char(n); empty when the form already is one */
    wb_sql_wrap compare;    /* around both sides of a NULL-safe comparison of two values of this type:
                             * PostgreSQL compares json as jsonb and char(n) as char(n) */
    wb_sql_wrap from_units; /* real, double, date, timestamp, timestamptz: the value from an integer
                             * expression of its units, divided by the argument (a string: "1024")
                             * for real and double; days since 1970-01-01 for date; seconds since
                             * 1970-01-01 00:00:00 (UTC) for the timestamps */
    wb_sql_wrap to_text;    /* date and the timestamps: their canonical text (docs/WORKLOADS.md), to
                             * put inside a json document; empty when the value already is it */
} wb_dialect_type;

/* Room for the workloads' value types (wb_type, workloads/workload.h) in per-type fields. */
#define WB_DIALECT_TYPES 8

typedef struct wb_dialect {
    /* The backend's kind, for the tests of the registry: nothing may test it. */
    wb_backend_kind kind;
    /* every SQL type, declared and cast as this backend writes it */
    wb_dialect_type types[WB_SQL_TYPE_COUNT];
    /* A timestamptz is bound, loaded and sent as a literal without its canonical text's
     * UTC offset ("+00", WB_UTC_OFFSET_LEN bytes): the backend's type keeps no zone (MariaDB's
     * DATETIME, in a session whose time_zone is +00:00) and refuses the offset. */
    bool timestamptz_sent_without_offset;
    wb_sql_wrap bytes_from_hex;     /* a bytea/BLOB literal around its hex digits: X'...', decode('...', 'hex') */
    wb_sql_wrap hex_digits;         /* an integer >= 0 as %lld lower-case hex digits, zero-padded */
    /* expressions */
    const char *chr_format;         /* one character from its code point (%u): "char(%u)" / "chr(%u)" */
    /* "a is NULL-safely distinct from b" is distinct_open a distinct_op b distinct_close, so that a
     * backend whose operator is an equality can negate it: "" "IS NOT" "" / "NOT (" "<=>" ")" */
    const char *distinct_open;
    const char *distinct_op;
    const char *distinct_close;
    /* text pieces p1, p2, ... joined: concat_open p1 concat_op p2 ... concat_close:
     * "" " || " "" / "CONCAT(" ", " ")" */
    const char *concat_open;
    const char *concat_op;
    const char *concat_close;
    const char *int_div_op;         /* the integer quotient of two integers: " / " (or " DIV ") */
    const char *key_cast;           /* the key as an exact integer, from its expression (%s) */
    const char *decimal_from_cents; /* appended to an integer of hundredths to make the exact decimal:
                                     * "::numeric / 100" / " / 100.0" */
    const char *cast_type[WB_DIALECT_TYPES]; /* indexed by wb_type: the type of CAST(x AS <type>), for a
                                     * NULL of that type and (TEXT) a number as text: "bigint", "text" */
    const char *series_prefix;      /* the integers 1..N as relation s(k): before the statement ... */
    const char *series_from;        /* ... and in its FROM clause; %lld is N in either */
    /* parameters */
    const char *param_prefix;       /* the n-th parameter (1-based) is this prefix and n: "?2", "$2" */
    bool param_bare;                /* the prefix alone stands for the next parameter ("?"), as the
                                     * multi-row lists write them */
    int max_params;                 /* bound parameters per statement (param_limit may say less) */
    const char *values_column;      /* NULL: a VALUES list takes a column alias list, AS v ("id", ...);
                                     * otherwise the format of its automatic column names ("column%d",
                                     * 1-based), which a subselect renames */
    /* statements */
    const char *begin_sql;          /* a write transaction ("BEGIN IMMEDIATE": SQLite takes the write
                                     * lock up front) */
    const char *commit_sql;
    const char *rollback_sql;
    const char *upsert_clause;      /* after INSERT ... VALUES, with the key column (%s):
                                     * " ON CONFLICT (%s) DO UPDATE SET " */
    const char *upsert_value;       /* a column's new value in that SET list (%s the column) */
    const char *subquery_fence;     /* appended to a subquery the planner must not merge into the
                                     * query around it: " LIMIT -1" / " OFFSET 0" */
    /* schema */
    /* A text column in a secondary index, for a backend that cannot index a long text
     * whole (MariaDB's key length limit): when its own type is unbounded or longer than
     * indexed_text_max_chars, and its longest value fits them, it is declared
     * indexed_text_decl (%lld: the longest value's characters); otherwise every index over
     * it gets long_text_index_suffix (" USING HASH"). NULL: every text is indexable. */
    const char *indexed_text_decl;
    int64_t indexed_text_max_chars;
    const char *long_text_index_suffix;
    bool drop_index_on_table;       /* DROP INDEX names the index's table: "DROP INDEX i ON t" */
    bool qualified_table_names;     /* table_name() qualifies with the namespace ("schema"."table"),
                                     * so DDL shown without a connection does too */
    bool index_name_qualified;      /* CREATE INDEX names the index through table_name() (SQLite);
                                     * otherwise bare, and it goes to its table's namespace */
    bool partial_indexes;           /* CREATE INDEX ... WHERE predicate (a workload's partial index);
                                     * false: a workload with one is refused before anything is made */
    bool generate_in_transaction;   /* server-side generation of many tables in one transaction */
    bool fk_needs_index;            /* a foreign key needs an index that leads with its column, and the
                                     * last such index cannot be dropped (InnoDB's error 1553): profile
                                     * skips that variant, saying why */
    const char *fk_off_setting;     /* a connection setting that turns foreign-key enforcement off, for
                                     * a backend that cannot drop the constraint; NULL */
    const char *statistics_tables_sql; /* lists the tables ANALYZE creates in writebench's namespace
                                        * (first column: the name); NULL when it creates none */
    const char *analyze_prefix;     /* before a table's name to refresh its statistics: "ANALYZE TABLE ";
                                     * NULL: "ANALYZE " */
    /* plans */
    const char *explain_prefix;     /* put before a query to get its plan */
    bool explain_tree;              /* the plan's rows are (id, parent, unused, detail) to indent by the
                                     * parent chain (SQLite); otherwise one line per row, column 0 */
} wb_dialect;

/* A dialect's optional text (distinct_open, concat_open, ...): "" when left NULL. */
static inline const char *wb_dialect_text(const char *s)
{
    return s ? s : "";
}

#define WB_MAX_PRAGMAS 16
#define WB_MAX_SETTINGS 16

/* What the probe of a real connection found (backend->probe): the capabilities that
 * the backend has (or assumes, WB_CAP_PROBED_ONLY) but this connection lacks, each
 * with the reason, which a strategy that needs it is skipped with. */
typedef struct wb_probe {
    unsigned probed;               /* the WB_CAP_* bits a probe decided */
    unsigned missing;              /* those of them found missing */
    char why[WB_CAP_COUNT][400];   /* by bit index: what the probe saw ("" when present) */
} wb_probe;

/* Where to connect, parsed from --db by the backend whose form it is. conninfo may
 * hold a password: never print it; print url_redacted instead. The fields a
 * backend does not use stay empty. */
typedef struct wb_target {
    wb_backend_kind kind;
    char url_redacted[1024];  /* safe to print and record */
    char path[4096];          /* a database file (SQLite); "" when the database is not a file */
    bool path_is_default;     /* the default database: a file in a fresh temporary directory */
    bool may_create;          /* create the database file if it is missing */
    bool read_only;           /* the connection only reads (workload init --from): it changes
                               * nothing, not even a setting of the file (SQLite opens it
                               * read-only; PostgreSQL sessions default to read-only transactions) */
    bool in_memory;           /* a database private to one connection (SQLite ":memory:") */
    char conninfo[4096];      /* how to reach a server, as the backend reads it (secret) */
    char schema[64];          /* writebench's namespace inside the database (--schema) */
    bool temp_server;         /* a throwaway server the command starts (temp_server_start), which
                               * then fills conninfo: PostgreSQL's "pg-temp:" */
    int npragmas;             /* connection settings from --pragma, "name=value" (add_setting) */
    char pragmas[WB_MAX_PRAGMAS][128];
    int64_t busy_timeout_ms;  /* how long a writer waits for a lock before failing (SQLite) */
    bool echo;                /* --echo: print and time every statement (backends/echo.h) */
    char application_name[64]; /* the connections' name on the server; "" means "writebench" */
    char temp_server_options[128]; /* with temp_server: what the value asks of the throwaway server, after
                                    * its "?" ("standby=sync&pooler=transaction"), checked by parse_target */
    int nsettings;            /* session settings from --set, "name=value" (add_session_setting), applied on
                               * every connection (PostgreSQL: SET) */
    char settings[WB_MAX_SETTINGS][160];
    bool lock_in_transaction; /* the probe found session-level locks shared by other clients (a
                               * transaction pooler): hold the lock in a transaction kept open instead */
} wb_target;

typedef struct wb_conn wb_conn;

/* A backend's lock on a database (one writebench at a time per SQLite file or
 * PostgreSQL schema); what it holds is the backend's own (backends/lock.h). */
typedef struct wb_lock wb_lock;

/* A throwaway server a backend started for a target; what it holds is the backend's. */
typedef struct wb_temp_server wb_temp_server;

/* A prepared statement of the statement layer; what it holds is the backend's. */
typedef struct wb_stmt wb_stmt;

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
    int64_t db_bytes;  /* SQLite: bytes in pages that hold data; PostgreSQL: pg_database_size */
    int64_t wal_bytes; /* SQLite: WAL bytes written by this process; PostgreSQL: pg_current_wal_lsn */
    int64_t commits;   /* PostgreSQL: xact_commit of the database; SQLite: -1 (counted by hook) */
    /* A streaming standby, read on the primary (PostgreSQL: pg_stat_replication); -1 / NAN
     * when there is none or the role may not read it. */
    int64_t standby_write_lsn;   /* how far the standby has received and written the WAL, as bytes */
    int64_t standby_lag_bytes;   /* WAL the standby had not yet replayed at this reading */
    double standby_replay_lag_s; /* the server's replay_lag: from a local flush to its replay there */
} wb_snapshot;

/* A reading with every figure unknown: what a caller starts from before snapshot. */
#define WB_SNAPSHOT_UNKNOWN ((wb_snapshot){-1, -1, -1, -1, -1, NAN})

/* Called for each row of a query with the values as text (NULL for SQL NULL).
 * Return non-zero to stop early (not an error). */
typedef int (*wb_row_fn)(void *arg, int ncols, const char *const *names, const char *const *values);

/* What parse_target returns for a --db value that is not one of its forms. */
#define WB_TARGET_NOT_MINE 1

/* stmt_prepare flags */
#define WB_STMT_ONCE 1u /* executed once and finalized: nothing kept on the server (PostgreSQL sends
                         * the text with the execution, PQexecParams), parsed for this use only */

/* How stmt_bind binds one value. Every type but bytes may come with its text (the
 * workloads' canonical text, which PostgreSQL reads as the value); a backend that
 * binds natively uses i64, f64 or the bytes instead. */
typedef enum wb_bind_type {
    WB_BIND_NULL = 0,
    WB_BIND_INT64 = 1,  /* an integer: i64, and its decimal text when the caller has it (else NULL) */
    WB_BIND_TEXT = 2,   /* text: len bytes at text (exact decimals, times, uuids and json travel as text) */
    WB_BIND_DOUBLE = 3, /* a binary fraction: f64, exact, and its exact decimal text (or NULL) */
    WB_BIND_BOOL = 4,   /* a boolean: i64 0 or 1, and "true"/"false" (or NULL) */
    WB_BIND_BYTES = 5   /* bytes: len bytes at text, any byte (NUL included) */
} wb_bind_type;

/* Which constraints drop_constraints_sql drops. */
typedef enum wb_constraint_kind {
    WB_CONSTRAINT_CHECK = 0,      /* every CHECK constraint of the table */
    WB_CONSTRAINT_FOREIGN_KEY = 1 /* the foreign key of one column */
} wb_constraint_kind;

/* One value to bind. */
typedef struct wb_bind_value {
    wb_bind_type type;
    int64_t i64;
    const char *text;
    size_t len;
    double f64;
} wb_bind_value;

/* Where a backend writes an external program's environment (external_env): set
 * NAME=value (replacing an inherited one), and read what the program would inherit
 * (NULL: nothing). */
typedef struct wb_env {
    void (*set)(void *arg, const char *name, const char *value);
    const char *(*get)(void *arg, const char *name);
    void *arg;
} wb_env;

typedef struct wb_backend {
    /* ==== interface version 1: required ==================================== */
    int interface_version;     /* WB_BACKEND_INTERFACE_VERSION it was written against */
    const char *name;          /* "sqlite", "postgresql": the results' backend column */
    const char *display_name;  /* "SQLite", "PostgreSQL": in messages */
    const wb_dialect *dialect;
    unsigned caps;             /* WB_CAP_* */

    /* --- --db values --- */
    /* URL schemes that are this backend's (NULL-terminated; "postgresql" for
     * "postgresql://..."); parse_target still decides on the rest of the value. */
    const char *const *schemes;
    /* The forms, for the message about an unrecognised --db ("sqlite:///path/file.db,
     * a file path"). */
    const char *forms;
    /* Fill t (already zeroed, with the shared defaults) from url, which has one of
     * this backend's schemes or was claimed by claims_bare; url is NULL for the
     * default database (default backend only). It sets url_redacted, the value with
     * every password removed (redact.h has the shared helpers), and keeps secrets
     * out of its errors too. for_run refuses what a run cannot use. Returns 0, -1
     * with e set, or WB_TARGET_NOT_MINE to let the other backends try. */
    int (*parse_target)(const char *url, bool for_run, wb_target *t, wb_error *e);

    /* --- connections --- */
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
    /* Append the quoted (and, where the namespace is a schema, qualified) name of a table. */
    void (*table_name)(wb_conn *c, const char *table, wb_buf *out);
    /* Read the server-side figures (see wb_snapshot). */
    int (*snapshot)(wb_conn *c, wb_snapshot *out, wb_error *e);
    /* Append "key = value" lines of the settings that decide write speed, for run.conf. */
    void (*describe_settings)(wb_conn *c, wb_buf *out);
    /* Let a connection count commits and lock waits into shared counters (NULL to stop). */
    void (*attach_counters)(wb_conn *c, wb_counters *counters);

    /* --- the statement layer (the generic strategies, profile's reads) ---
     * One statement is used by one thread at a time. Errors are one line,
     * "<what>: <the database's message>". */
    /* Prepare sql, written with the dialect's placeholders for nparams parameters.
     * flags: WB_STMT_ONCE. name: the statement's name on the server for a backend
     * with WB_CAP_NAMED_PREPARED (letters, digits and _; NULL: a fresh one), else
     * ignored. */
    int (*stmt_prepare)(wb_conn *c, const char *sql, int nparams, unsigned flags, const char *name,
                        wb_stmt **out, wb_error *e);
    /* Bind values[0..n) to parameters first..first+n-1 (0-based), each as its type
     * (one call for a row's values: binding is on every row's path). Unless
     * stmt_bind_copies, their text must stay valid until the statement has run. */
    int (*stmt_bind)(wb_stmt *st, int first, int n, const wb_bind_value *values, wb_error *e);
    /* Execute with the bound values, then clear them (also on failure). fn (may be
     * NULL) gets every row the statement returns, as text; *rows (may be NULL) is the
     * number of rows it returned, or for one that returns none the rows it changed
     * (matched rows: an UPDATE to the same values counts). what names the statement
     * in the error ("insert"). */
    int (*stmt_exec)(wb_stmt *st, const char *what, wb_row_fn fn, void *arg, int64_t *rows, wb_error *e);
    /* Release a statement (NULL is allowed), on the server too where it lives there;
     * after a failure, call rollback first. */
    void (*stmt_finalize)(wb_stmt *st);
    /* Start a write transaction (the dialect's begin_sql). */
    int (*begin)(wb_conn *c, wb_error *e);
    /* Commit it. */
    int (*commit)(wb_conn *c, wb_error *e);
    /* Roll back the open (or failed) transaction, if any: the clean-up after an
     * error, whose own failure is ignored. */
    void (*rollback)(wb_conn *c);
    /* The most bound parameters one statement may have on this connection. */
    int (*param_limit)(wb_conn *c);
    /* stmt_bind copies what it binds: the caller may reuse a row's memory at once. */
    bool stmt_bind_copies;

    /* ==== interface version 1: optional (NULL when not offered) ============= */
    /* --- --db values --- */
    /* Whether url, which has none of the registered schemes, is one of this
     * backend's forms (a file path; a libpq conninfo string). */
    bool (*claims_bare)(const char *url);
    /* Overwrite, in place and at the same length, every password in url (one of this
     * backend's forms) with 'x': what the process listing shows once parsed. */
    void (*mask_secrets)(char *url);
    /* Add a "name=value" connection setting from --pragma to t (validated). */
    int (*add_setting)(wb_target *t, const char *assignment, wb_error *e);
    /* Remove the default database parse_target(NULL) made, when the command could
     * not start: a refused input leaves nothing behind. */
    void (*discard_target)(const wb_target *t);
    /* What a namespace is on this backend, for messages ("a file writebench owns"). */
    const char *namespace_noun;

    /* --- a throwaway server (a target with temp_server set) --- */
    /* Start one for t and fill t's connection fields; -1 with e set, nothing left
     * behind. It is stopped and removed at the end even when writebench is killed. */
    int (*temp_server_start)(wb_target *t, wb_temp_server **out, wb_error *e);
    /* Append "key = value" lines describing it, for run.conf. */
    void (*temp_server_describe)(const wb_temp_server *s, wb_buf *out);
    /* Stop it and remove everything it made (NULL is allowed). */
    void (*temp_server_stop)(wb_temp_server *s);
    /* What it is, for the console ("PostgreSQL cluster"). */
    const char *temp_server_noun;

    /* --- server figures --- */
    /* The peak RSS in kB of the server process serving this connection, -1 when it
     * cannot be read (server elsewhere); NULL for a library without a server. */
    int64_t (*server_peak_rss_kb)(wb_conn *c);
    /* The largest peak RSS in kB of the server processes now serving the
     * connections of another program, named by their application_name; -1 none seen.
     * Samples leave c inside a read-only transaction (so they count no commit): call
     * with a NULL name at the end to close it. */
    int64_t (*server_peak_rss_kb_of)(wb_conn *c, const char *application_name);
    /* Bring the server to a quiet state before a test, so that no test pays for
     * writes of the one before (PostgreSQL: CHECKPOINT, which needs superuser or
     * pg_checkpoint). Fails with the server's message when not allowed. */
    int (*settle)(wb_conn *c, wb_error *e);
    /* Wait, at most max_wait_ms, until the other connections to this database
     * named application_name (NULL: c's own name, i.e. writebench's) have ended on the
     * server, so that readings taken next include all their commits (PostgreSQL flushes
     * a connection's statistics when its process exits). */
    void (*await_others)(wb_conn *c, const char *application_name, int max_wait_ms);

    /* --- one writebench per database --- */
    /* Take writebench's lock on t's database for this process, held until unlock,
     * without waiting. Returns 0 with *out set, 1 when another writebench holds it
     * (*holder says who, as far as it can be read; *where names the database, for
     * the refusal), -1 with e set on failure. Call only once the namespace is claimed:
     * the lock may create a file beside it. A forked child never calls unlock. */
    int (*lock)(const wb_target *t, const wb_lock_holder *me, wb_lock **out, wb_lock_holder *holder,
                char *where, size_t where_size, wb_error *e);
    /* Release a lock of lock() (NULL is allowed); required with lock. */
    void (*unlock)(wb_lock *l);
    /* Remove writebench's namespace when it now holds nothing at all (the
     * marked PostgreSQL schema, once drop has dropped the workload's tables), and
     * append to note one sentence saying whether it did. A namespace that still holds
     * anything is kept: that is not an error. */
    int (*drop_namespace_if_empty)(wb_conn *c, wb_buf *note, wb_error *e);

    /* ==== interface version 2: optional (NULL when not offered) ============= */
    /* The variables an external program needs to reach t's database as writebench
     * does (docs/EXTERNAL.md): WRITEBENCH_DATABASE_URL and the client library's own
     * (PGHOST..., MYSQL_PWD...), the password in the environment only; its connections
     * named application_name where the server keeps a name (server_peak_rss_kb_of
     * finds them by it). */
    void (*external_env)(const wb_target *t, const char *application_name, const wb_env *env);
    /* Start measuring the server's peak RSS anew on this connection, for a server whose
     * peak is one figure for all its connections (one process with threads): the
     * runner calls it once a test's connections are open, so that server_peak_rss_kb
     * then reads this test's peak. NULL when each connection has its own process. */
    void (*server_peak_rss_begin)(wb_conn *c);
    /* --- dropping a constraint (required with WB_CAP_DROP_CONSTRAINT) --- */
    /* Append the statement that drops table's constraints of kind (every CHECK; or the
     * foreign key of column), under the names the server gave them (a constraint
     * declared without a name is named by the server), read from its catalogue:
     * profile's trade-off drops them one kind at a time. -1 with e set when the table
     * has no such constraint. */
    int (*drop_constraints_sql)(wb_conn *c, const char *table, wb_constraint_kind kind, const char *column,
                                wb_buf *out, wb_error *e);
    /* --- describing existing tables (workload init --from) --- */
    /* Describe the tables names[0..n) of the database c is connected to (made with
     * the target's read_only set), reading only: no statement that writes, no
     * namespace claimed, no lock. A name is "table" or "schema.table" as the
     * backend's users write it. Fill out with their columns (types in PostgreSQL's
     * spelling, describe.h), keys, unique and other indexes, foreign keys, CHECK
     * constraints, and what the database's statistics say of the data's shape (null
     * share, distinct values, width); common_values also reads the most common
     * values and their frequencies. A missing table is an error naming it. */
    int (*describe_tables)(wb_conn *c, const char *const *names, int n, bool common_values, wb_schema_desc *out,
                           wb_error *e);
    /* ==== interface version 3: optional (NULL when not offered) ============= */
    /* --- topologies: what the real connection supports, settings, a standby --- */
    /* Probe what connections to t really support, on c and a second connection to t that
     * interleaves with it (a pooler's sharing shows only then): fill out (zeroed by the
     * caller). Runs only in transactions it rolls back, inside writebench's namespace.
     * -1 with e set when the probing itself could not run. */
    int (*probe)(const wb_target *t, wb_conn *c, wb_probe *out, wb_error *e);
    /* Add a "name=value" session setting from --set to t (validated: a name the server
     * could hold, a value); applied on every connection, refused there with the server's
     * message when the role may not change it. */
    int (*add_session_setting)(wb_target *t, const char *assignment, wb_error *e);
    /* For a throwaway server with parts: fill out (a copy of the run's target) with how
     * to reach the primary itself, bypassing a pooler in front (part 0), or a read-only
     * standby (part 1); 1 when the server has that part, 0 when not. */
    int (*temp_server_reach)(const wb_temp_server *s, int part, wb_target *out);
    /* Close the server sessions a pooler in front keeps open, so that they end and report
     * their statistics before a reading. */
    void (*temp_server_release)(wb_temp_server *s);
    /* Wait, at most max_wait_ms, until the standby on `standby` has replayed everything
     * committed on `primary` so far (after making sure it was flushed); -1 with e set. */
    int (*await_replica)(wb_conn *primary, wb_conn *standby, int max_wait_ms, wb_error *e);
    /* --- retries --- */
    /* Whether the last failure on c was the server ending the transaction to resolve a
     * conflict: chosen as a deadlock's victim, or a lock wait timed out (MariaDB's 1213,
     * 1205). The generic strategies then roll back and run the transaction again,
     * counted (wb_gen_retry). */
    bool (*transaction_conflict)(wb_conn *c);
} wb_backend;

/* Parts of a throwaway server (temp_server_reach). */
#define WB_TEMP_PRIMARY 0
#define WB_TEMP_STANDBY 1

/* b, when it implements interface version 2 or later (so its version-2 members may
 * be read), else NULL: `wb_backend_v2(b) && wb_backend_v2(b)->external_env`. */
static inline const wb_backend *wb_backend_v2(const wb_backend *b)
{
    return b && b->interface_version >= 2 ? b : NULL;
}

/* b, when it implements interface version 3 or later, else NULL (as wb_backend_v2). */
static inline const wb_backend *wb_backend_v3(const wb_backend *b)
{
    return b && b->interface_version >= 3 ? b : NULL;
}

/* ---- the registry (registry.c) ------------------------------------------ */

/* The backend of a kind, or NULL for a kind outside the registry. */
const wb_backend *wb_backend_get(wb_backend_kind kind);
/* The kind of the default backend (registry.h's first line): where a command
 * writes when --db is left out. */
wb_backend_kind wb_backend_default_kind(void);
/* A SQL type as PostgreSQL spells it, parameters as letters ("varchar(n)"), for messages. */
const char *wb_sql_type_name(wb_sql_type t);
/* Check that b implements this interface: a known version and every required
 * method; -1 with e naming what is missing. */
int wb_backend_check(const wb_backend *b, wb_error *e);
/* Append the display names of the backends whose capabilities include caps
 * ("PostgreSQL"), joined by " and " for two, ", " and " and " otherwise. */
void wb_backends_with(unsigned caps, wb_buf *out);

/* ---- --db values (target.c) --------------------------------------------- */

/* Parse a --db value into t: the backend whose URL scheme it has, else the one that
 * claims it as a bare form. NULL means the default backend's default database (a new
 * SQLite file in a fresh temporary directory). for_run refuses targets a run cannot
 * use (sqlite::memory:). */
int wb_target_parse(const char *url, bool for_run, wb_target *t, wb_error *e);
/* Overwrite, in place and at the same length, every password in a --db value with
 * 'x' ("postgresql://me:xxxxxx@h/db", "password=xxxxxx"): what the command line
 * shows in the process listing once it has been parsed. */
void wb_target_mask_secrets(char *url);
/* Add a "name=value" --pragma setting to t through its backend's add_setting;
 * refused for a backend that has none. */
int wb_target_add_pragma(wb_target *t, const char *assignment, wb_error *e);
/* Add a "name=value" --set session setting to t through its backend's
 * add_session_setting; refused for a backend that has none. */
int wb_target_add_session_setting(wb_target *t, const char *assignment, wb_error *e);
/* For backends' parse_target: copy src into dst[cap], failing (naming what) when it
 * does not fit; and set t->url_redacted to text, cut with "..." when too long. */
int wb_target_copy_field(char *dst, size_t cap, const char *src, const char *what, wb_error *e);
void wb_target_set_redacted(wb_target *t, const char *text);
/* Append s percent-encoded as one URL component (RFC 3986's unreserved characters kept). */
void wb_target_url_encode(wb_buf *out, const char *s);

#endif

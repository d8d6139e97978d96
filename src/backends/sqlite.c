/* The SQLite backend: connections with writebench's PRAGMAs, a busy handler and a
 * commit hook that count lock waits and commits into the shared counters, the
 * writebench_meta marker that makes a file writebench's own, the figures (file
 * and WAL sizes, settings) recorded with every test, and the lock that keeps a
 * second writebench off a file in use (a side file <db>.writebench-lock). */
#include <errno.h>
#include <limits.h>
#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>

#include "util/sql_text.h"
#include "backends/sqlite_internal.h"
#include "backends/sqlite_vfs.h"
#include "backends/echo.h"
#include "util/clock.h"

/* Busy-handler backoff: start short, because most waits in WAL mode end within a
 * commit or two, and cap it so a waiter notices a released lock quickly. */
#define BUSY_FIRST_SLEEP_NS 50000LL
#define BUSY_MAX_SLEEP_NS 5000000LL

/* A wait limit beyond any test (a year), so that milliseconds fit in nanoseconds. */
#define MAX_BUSY_TIMEOUT_MS (366LL * 24 * 3600 * 1000)

#define META_TABLE "writebench_meta"

const char *const wb_sqlite_default_pragmas[] = {"journal_mode=WAL", "synchronous=NORMAL",
                                                 "foreign_keys=ON", NULL};

static const wb_dialect sqlite_dialect = {
    .kind = WB_BACKEND_SQLITE,
    /* The names give SQLite's affinities: INTEGER (INT in the name; the key's INTEGER
     * PRIMARY KEY is the rowid), TEXT (CHAR), REAL (REAL, DOUB), BLOB, and NUMERIC for
     * the rest, which keeps a text that is not a number (a date, a uuid, a json
     * object) as text. No parameter needs a cast. */
    .types =
        {
            [WB_SQL_BIGINT] = {"INTEGER", NULL, {0}, {0}, {0}, {0}},
            [WB_SQL_TEXT] = {"TEXT", NULL, {0}, {0}, {0}, {0}},
            [WB_SQL_VARCHAR] = {"VARCHAR(%lld)", NULL, {0}, {0}, {0}, {0}},
            /* the exact decimal text, converted as a NUMERIC column converts it when stored */
            [WB_SQL_NUMERIC] = {"NUMERIC(%lld,%lld)", NULL, {"CAST(", " AS NUMERIC)"}, {0}, {0}, {0}},
            [WB_SQL_SMALLINT] = {"SMALLINT", NULL, {0}, {0}, {0}, {0}},
            [WB_SQL_INTEGER] = {"INTEGER", NULL, {0}, {0}, {0}, {0}},
            /* units / 2^m: exact in a double */
            [WB_SQL_REAL] = {"REAL", NULL, {0}, {0}, {"(", " / %s.0)"}, {0}},
            [WB_SQL_DOUBLE] = {"DOUBLE PRECISION", NULL, {0}, {0}, {"(", " / %s.0)"}, {0}},
            [WB_SQL_BOOLEAN] = {"BOOLEAN", NULL, {0}, {0}, {0}, {0}}, /* 0 and 1 */
            /* blank-padded to n characters, as PostgreSQL stores char(n) */
            [WB_SQL_CHAR] = {"CHARACTER(%lld)", NULL, {"printf('%%-!%llds', ", ")"}, {0}, {0}, {0}},
            /* the canonical texts of docs/WORKLOADS.md, from seconds or days since 1970 */
            [WB_SQL_DATE] = {"DATE", NULL, {0}, {0}, {"date(", " * 86400, 'unixepoch')"}, {0}},
            [WB_SQL_TIMESTAMP] = {"TIMESTAMP", NULL, {0}, {0}, {"datetime(", ", 'unixepoch')"}, {0}},
            [WB_SQL_TIMESTAMPTZ] = {"TIMESTAMPTZ", NULL, {0}, {0}, {"(datetime(", ", 'unixepoch') || '+00')"}, {0}},
            [WB_SQL_UUID] = {"UUID", NULL, {0}, {0}, {0}, {0}},
            [WB_SQL_JSON] = {"JSON", NULL, {0}, {0}, {0}, {0}},  /* compared as its text */
            [WB_SQL_JSONB] = {"JSONB", NULL, {0}, {0}, {0}, {0}},
            [WB_SQL_BYTEA] = {"BLOB", NULL, {0}, {0}, {0}, {0}},
        },
    .bytes_from_hex = {"X'", "'"},
    .hex_digits = {"printf('%%0%lldx', ", ")"},
    .chr_format = "char(%u)",
    .distinct_open = "",
    .distinct_op = "IS NOT",
    .distinct_close = "",
    .concat_open = "",
    .concat_op = " || ",
    .concat_close = "",
    .int_div_op = " / ",
    .key_cast = "(%s)",
    /* 100.0 yields the same double SQLite stores for the text '123.45' in a NUMERIC column */
    .decimal_from_cents = " / 100.0",
    .cast_type = {"bigint", "text", "numeric"},
    .series_prefix = "WITH RECURSIVE s(k) AS (SELECT 1 UNION ALL SELECT k + 1 FROM s WHERE k < %lld) ",
    .series_from = "s",
    .param_prefix = "?",
    .param_bare = true,
    .max_params = 32766, /* SQLITE_MAX_VARIABLE_NUMBER's default since 3.32 */
    /* SQLite cannot name a VALUES list's columns with an alias list (AS v(id, c)) */
    .values_column = "column%d",
    .begin_sql = "BEGIN IMMEDIATE",
    .commit_sql = "COMMIT",
    .rollback_sql = "ROLLBACK",
    .upsert_clause = " ON CONFLICT (%s) DO UPDATE SET ",
    .upsert_value = "excluded.%s",
    /* SQLite never flattens a subquery with a LIMIT under an aggregate */
    .subquery_fence = " LIMIT -1",
    .qualified_table_names = false,
    .index_name_qualified = true,
    .partial_indexes = true,
    /* inside an explicit transaction a statement that changes many rows keeps a
     * statement journal: 20% more page writes for a 300,000-row update */
    .generate_in_transaction = false,
    .fk_off_setting = "foreign_keys=OFF",
    .statistics_tables_sql = "SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 'sqlite\\_stat%' "
                             "ESCAPE '\\'",
    .explain_prefix = "EXPLAIN QUERY PLAN ",
    .explain_tree = true,
};

/* The PRAGMAs applied to a connection: defaults merged with the target's by name. */
#define MAX_APPLIED (WB_MAX_PRAGMAS + 8)

struct wb_conn {
    sqlite3 *db;
    wb_counters *counters;   /* may be NULL: count nothing */
    int64_t busy_timeout_ns; /* give up a single wait after this long */
    int64_t wait_started_ns; /* when the current wait began */
    int napplied;
    char applied_names[MAX_APPLIED][128];
    char path[4096];
    wb_echo_slots echo_slots; /* --echo: when each running statement began */
};

sqlite3 *wb_sqlite_db(wb_conn *c)
{
    return c ? c->db : NULL;
}

/* ---- hooks -------------------------------------------------------------- */

/* SQLite calls this while the database is locked; `attempts` is 0 at the start of
 * each new wait. Returns 1 to try again, 0 to give up (the statement fails with
 * SQLITE_BUSY). A handler of our own rather than sqlite3_busy_timeout so every
 * wait and its duration is counted. */
static int busy_handler(void *arg, int attempts)
{
    wb_conn *c = arg;
    int64_t now = wb_clock_ns();
    if (attempts == 0) {
        c->wait_started_ns = now;
        if (c->counters)
            atomic_fetch_add_explicit(&c->counters->lock_waits, 1, memory_order_relaxed);
    }
    int64_t remaining = c->busy_timeout_ns - (now - c->wait_started_ns);
    if (remaining <= 0)
        return 0;
    int64_t sleep_ns = BUSY_FIRST_SLEEP_NS;
    for (int i = 0; i < attempts && sleep_ns < BUSY_MAX_SLEEP_NS; i++)
        sleep_ns *= 2;
    if (sleep_ns > BUSY_MAX_SLEEP_NS)
        sleep_ns = BUSY_MAX_SLEEP_NS;
    if (sleep_ns > remaining)
        sleep_ns = remaining;
    wb_sleep_ns(sleep_ns);
    if (c->counters)
        atomic_fetch_add_explicit(&c->counters->lock_wait_ns, wb_clock_ns() - now,
                                  memory_order_relaxed);
    return 1;
}

/* Called as each write transaction commits; returning 0 lets it commit. */
static int commit_hook(void *arg)
{
    wb_conn *c = arg;
    if (c->counters)
        atomic_fetch_add_explicit(&c->counters->commits, 1, memory_order_relaxed);
    return 0;
}

/* ---- small helpers ------------------------------------------------------ */

/* Run one statement and copy the first column of its first row into out ("" when it
 * returns no row or NULL). Returns the SQLite result code of the failure, or SQLITE_OK. */
static int query_text(sqlite3 *db, const char *sql, char *out, size_t n)
{
    sqlite3_stmt *st = NULL;
    out[0] = '\0';
    int rc = sqlite3_prepare_v2(db, sql, -1, &st, NULL);
    if (rc != SQLITE_OK)
        return rc;
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        const unsigned char *v = sqlite3_column_text(st, 0);
        snprintf(out, n, "%s", v ? (const char *)v : "");
        rc = SQLITE_OK;
    } else if (rc == SQLITE_DONE) {
        rc = SQLITE_OK;
    }
    sqlite3_finalize(st);
    return rc;
}

/* Append one line of the SQL of a failed statement: enough to recognise it. */
static void describe_sql(const char *sql, wb_buf *out)
{
    size_t n = 0;
    for (const char *p = sql; *p && n < 120; p++, n++)
        wb_buf_putc(out, *p == '\n' || *p == '\r' || *p == '\t' ? ' ' : *p);
    if (strlen(sql) > n)
        wb_buf_puts(out, "...");
}

static int fail_sql(wb_error *e, const char *msg, const char *sql)
{
    wb_buf text = WB_BUF_INIT;
    describe_sql(sql, &text);
    wb_fail(e, "%s (in: %s)", msg, wb_buf_str(&text));
    wb_buf_free(&text);
    return -1;
}

/* ---- PRAGMAs ------------------------------------------------------------ */

typedef struct pragma_list {
    int n;
    char items[MAX_APPLIED][128]; /* "name=value" */
} pragma_list;

/* Put name=value into the list, replacing an entry of the same name. */
static void pragma_list_set(pragma_list *l, const char *assignment)
{
    size_t name_len = strcspn(assignment, "=");
    int slot = l->n;
    for (int i = 0; i < l->n; i++)
        if (strncasecmp(l->items[i], assignment, name_len) == 0 && l->items[i][name_len] == '=')
            slot = i;
    if (slot == l->n) {
        if (l->n >= MAX_APPLIED)
            return; /* cannot happen: defaults + WB_MAX_PRAGMAS fit */
        l->n++;
    }
    snprintf(l->items[slot], sizeof l->items[slot], "%s", assignment);
}

/* Whether this build of SQLite knows a PRAGMA: an unknown one is silently ignored
 * by SQLite, which would make a mistyped --pragma measure the defaults unnoticed. */
static int pragma_known(sqlite3 *db, const char *name)
{
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(db, "SELECT 1 FROM pragma_pragma_list WHERE name = lower(?1)", -1, &st,
                           NULL) != SQLITE_OK)
        return 1; /* no introspection in this build: trust the name */
    sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
    int known = sqlite3_step(st) == SQLITE_ROW;
    sqlite3_finalize(st);
    return known;
}

/* Apply one validated "name=value" PRAGMA (wb_target_add_pragma allows only
 * identifier characters, so it is safe in SQL text); journal_mode is checked. */
static int apply_pragma(wb_conn *c, const char *assignment, wb_error *e)
{
    char name[128], sql[192], result[128];
    size_t name_len = strcspn(assignment, "=");
    snprintf(name, sizeof name, "%.*s", (int)name_len, assignment);
    const char *value = assignment[name_len] == '=' ? assignment + name_len + 1 : "";
    if (strcasecmp(name, "busy_timeout") == 0) {
        /* SQLite's own busy timeout would replace the handler that counts lock waits:
         * the value sets how long that handler waits instead. */
        char *end = NULL;
        long long ms = strtoll(value, &end, 10);
        if (!*value || *end || ms < 0 || ms > MAX_BUSY_TIMEOUT_MS)
            return wb_fail(e, "PRAGMA busy_timeout=%s: expected milliseconds (at most a year)",
                           value);
        c->busy_timeout_ns = ms * 1000000LL;
        return 0;
    }
    if (!pragma_known(c->db, name))
        return wb_fail(e,
                       "unknown PRAGMA '%s' (SQLite %s ignores it silently; see PRAGMA "
                       "pragma_list)",
                       name, sqlite3_libversion());
    snprintf(sql, sizeof sql, "PRAGMA %s=%s", name, value);
    if (query_text(c->db, sql, result, sizeof result) != SQLITE_OK)
        return wb_fail(e, "%s: PRAGMA %s=%s failed: %s", c->path, name, value,
                       sqlite3_errmsg(c->db));
    /* journal_mode reports the mode in force: a file that cannot use WAL (or an
     * in-memory database, always "memory") would silently measure something else. */
    if (strcasecmp(name, "journal_mode") == 0 && strcasecmp(result, value) != 0 &&
        strcmp(c->path, ":memory:") != 0)
        return wb_fail(e,
                       "%s: PRAGMA journal_mode=%s did not take effect (the journal mode is "
                       "'%s')",
                       c->path, value, result);
    snprintf(c->applied_names[c->napplied++], sizeof c->applied_names[0], "%s", name);
    return 0;
}

/* Apply the defaults, overridden by name by the target's PRAGMAs. journal_mode goes
 * last: switching to WAL writes the header, which fixes settings like page_size. */
/* The PRAGMAs in force for t: the defaults, replaced by name by t's own. */
static void pragmas_in_force(const wb_target *t, pragma_list *all)
{
    memset(all, 0, sizeof *all);
    for (const char *const *p = wb_sqlite_default_pragmas; *p; p++)
        pragma_list_set(all, *p);
    for (int i = 0; i < t->npragmas; i++)
        pragma_list_set(all, t->pragmas[i]);
}

void wb_sqlite_pragmas_text(const wb_target *t, wb_buf *out)
{
    pragma_list all;
    pragmas_in_force(t, &all);
    for (int i = 0; i < all.n; i++)
        wb_buf_printf(out, "%s%s", i ? ";" : "", all.items[i]);
}

static int apply_pragmas(wb_conn *c, const wb_target *t, wb_error *e)
{
    pragma_list all;
    pragmas_in_force(t, &all);
    for (int pass = 0; pass < 2; pass++)
        for (int i = 0; i < all.n; i++) {
            int is_journal = strncasecmp(all.items[i], "journal_mode=", 13) == 0;
            if (is_journal == (pass == 1) && apply_pragma(c, all.items[i], e) != 0)
                return -1;
        }
    return 0;
}

/* ---- the interface ------------------------------------------------------ */

static int64_t query_int(wb_conn *c, const char *sql, wb_error *e);

static void sqlite_disconnect(wb_conn *c)
{
    if (!c)
        return;
    /* close_v2: statements a failed strategy left unfinalized do not keep the file open. */
    sqlite3_close_v2(c->db);
    free(c);
}

/* --echo: a statement's SQL with its bound values, for wb_echo_record_expanded. */
static char *expand_sql(void *stmt)
{
    return sqlite3_expanded_sql(stmt);
}

static void free_sql(char *text)
{
    sqlite3_free(text);
}

/* --echo: time each statement from its start (SQLITE_TRACE_STMT) to its end
 * (SQLITE_TRACE_PROFILE) and record it with its values expanded (elided by echo)
 * under its text with parameters. Registered only when echo is on. */
static int echo_trace(unsigned type, void *arg, void *p, void *x)
{
    wb_conn *c = arg;
    sqlite3_stmt *stmt = p;
    if (type == SQLITE_TRACE_STMT) {
        /* Trigger sub-programs report "-- comment" text: part of the outer statement. */
        const char *text = x;
        if (text && strncmp(text, "--", 2) != 0)
            wb_echo_slot_start(&c->echo_slots, stmt);
        return 0;
    }
    int64_t ns = wb_echo_slot_end(&c->echo_slots, stmt, *(const sqlite3_int64 *)x);
    const char *key = sqlite3_sql(stmt);
    if (sqlite3_bind_parameter_count(stmt) == 0) {
        wb_echo_record(key, NULL, ns);
        return 0;
    }
    wb_echo_record_expanded(key, expand_sql, free_sql, stmt, ns);
    return 0;
}

/* Whether the file holds a writebench_meta table, whose mark claim_namespace checks. */
static const char *const has_meta_sql =
    "SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = '" META_TABLE "'";

/* Whether the file at path is a WAL database with no -wal file beside it: then
 * everything is in the file itself, and a reader may open it immutable. Any
 * other read-only connection to a WAL database creates the -wal and -shm files
 * and, unable to write, leaves them behind: describing a file must not. */
static int wal_without_log(const char *path)
{
    unsigned char header[20];
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return 0;
    ssize_t n = read(fd, header, sizeof header);
    close(fd);
    if (n != (ssize_t)sizeof header || memcmp(header, "SQLite format 3", 16) != 0 || header[18] != 2)
        return 0; /* bytes 18 and 19 are 2 in WAL mode */
    char wal[4096 + 8];
    snprintf(wal, sizeof wal, "%s-wal", path);
    struct stat st;
    return stat(wal, &st) != 0;
}

/* file:PATH?immutable=1, the path percent-encoded where a URI would misread it. */
static void immutable_uri(const char *path, char *out, size_t n)
{
    wb_buf uri = WB_BUF_INIT;
    wb_buf_puts(&uri, "file:");
    for (const char *p = path; *p; p++) {
        if (*p == '%' || *p == '?' || *p == '#')
            wb_buf_printf(&uri, "%%%02X", (unsigned char)*p);
        else
            wb_buf_putc(&uri, *p);
    }
    wb_buf_puts(&uri, "?immutable=1");
    snprintf(out, n, "%s", wb_buf_str(&uri));
    wb_buf_free(&uri);
}

/* Open c->path into c->db with the hooks and, on writebench's own file, the PRAGMAs. */
static int open_database(wb_conn *c, const wb_target *t, wb_error *e)
{
    /* NOMUTEX: each connection is used by one thread only. A read-only connection
     * (describing a file's tables) can neither create nor change the file. */
    int flags = t->read_only ? SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX
                             : SQLITE_OPEN_READWRITE | (t->may_create ? SQLITE_OPEN_CREATE : 0) | SQLITE_OPEN_NOMUTEX;
    char uri[sizeof c->path * 3 + 32];
    const char *name = c->path;
    if (t->read_only && wal_without_log(c->path)) {
        immutable_uri(c->path, uri, sizeof uri);
        name = uri;
        flags |= SQLITE_OPEN_URI;
    }
    if (sqlite3_open_v2(name, &c->db, flags, wb_sqlite_vfs_name()) != SQLITE_OK)
        return wb_fail(e, "cannot open %s: %s", c->path,
                       c->db ? sqlite3_errmsg(c->db) : "out of memory");
    sqlite3_busy_handler(c->db, busy_handler, c);
    sqlite3_commit_hook(c->db, commit_hook, c);
    if (t->echo) {
        wb_echo_enable();
        sqlite3_trace_v2(c->db, SQLITE_TRACE_STMT | SQLITE_TRACE_PROFILE, echo_trace, c);
    }

    /* SQLite reads the file only when first needed: read now, so a file that is not a
     * database is named here rather than failing in the middle of a test. */
    char version[32];
    int rc = query_text(c->db, "PRAGMA schema_version", version, sizeof version);
    if (rc == SQLITE_NOTADB)
        return wb_fail(e, "%s is not a SQLite database (SQLite says: %s)", c->path,
                       sqlite3_errmsg(c->db));
    if (rc != SQLITE_OK)
        return wb_fail(e, "cannot read %s: %s", c->path, sqlite3_errmsg(c->db));

    /* Reading only: no PRAGMA that could change the file (journal_mode=WAL would), and
     * query_only refuses every write on this connection besides. */
    if (t->read_only)
        return apply_pragma(c, "query_only=ON", e);
    /* A file that is not writebench's (nor an empty one it may claim) is left exactly as
     * found: journal_mode=WAL would change it for good, and claim_namespace refuses it. */
    int64_t marked = query_int(c, has_meta_sql, e);
    int64_t objects = marked < 0 ? -1 : query_int(c, "SELECT count(*) FROM sqlite_schema", e);
    if (objects < 0)
        return -1;
    if (marked > 0 || (objects == 0 && t->may_create))
        return apply_pragmas(c, t, e);
    return 0;
}

static int sqlite_connect(const wb_target *t, wb_conn **out, wb_error *e)
{
    *out = NULL;
    struct stat st;
    if (strcmp(t->path, ":memory:") != 0) {
        if (stat(t->path, &st) != 0) {
            if (errno != ENOENT)
                return wb_fail(e, "cannot open %s: %s", t->path, strerror(errno));
            if (!t->may_create)
                return wb_fail(e, "no database file at %s", t->path);
        } else if (S_ISDIR(st.st_mode)) {
            return wb_fail(e, "%s is a directory, not a database file", t->path);
        }
    }

    wb_conn *c = wb_xcalloc(1, sizeof *c);
    snprintf(c->path, sizeof c->path, "%s", t->path);
    int64_t timeout_ms = t->busy_timeout_ms < 0 ? 0 : t->busy_timeout_ms;
    if (timeout_ms > MAX_BUSY_TIMEOUT_MS)
        timeout_ms = MAX_BUSY_TIMEOUT_MS;
    c->busy_timeout_ns = timeout_ms * 1000000LL;
    if (open_database(c, t, e) != 0) {
        sqlite_disconnect(c);
        return -1;
    }
    *out = c;
    return 0;
}

static int sqlite_exec(wb_conn *c, const char *sql, wb_error *e)
{
    char *msg = NULL;
    if (sqlite3_exec(c->db, sql, NULL, NULL, &msg) != SQLITE_OK) {
        fail_sql(e, msg ? msg : sqlite3_errmsg(c->db), sql);
        sqlite3_free(msg);
        return -1;
    }
    return 0;
}

static int sqlite_query(wb_conn *c, const char *sql, wb_row_fn fn, void *arg, wb_error *e)
{
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(c->db, sql, -1, &st, NULL) != SQLITE_OK)
        return fail_sql(e, sqlite3_errmsg(c->db), sql);
    int ncols = sqlite3_column_count(st);
    const char **names = wb_xcalloc((size_t)(ncols > 0 ? ncols : 1), sizeof *names);
    const char **values = wb_xcalloc((size_t)(ncols > 0 ? ncols : 1), sizeof *values);
    for (int i = 0; i < ncols; i++)
        names[i] = sqlite3_column_name(st, i);
    int rc, result = 0;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        for (int i = 0; i < ncols; i++)
            values[i] = (const char *)sqlite3_column_text(st, i);
        if (fn(arg, ncols, names, values) != 0) {
            rc = SQLITE_DONE;
            break;
        }
    }
    if (rc != SQLITE_DONE)
        result = fail_sql(e, sqlite3_errmsg(c->db), sql);
    free(names);
    free(values);
    sqlite3_finalize(st);
    return result;
}

static int sqlite_server_version(wb_conn *c, char *out, size_t n, wb_error *e)
{
    (void)c, (void)e;
    snprintf(out, n, "%s", sqlite3_libversion());
    return 0;
}

static void sqlite_table_name(wb_conn *c, const char *table, wb_buf *out)
{
    (void)c;
    wb_sql_identifier(out, table);
}

/* Read one integer from a query on c; -1 on failure with e set. */
static int64_t query_int(wb_conn *c, const char *sql, wb_error *e)
{
    char text[32];
    if (query_text(c->db, sql, text, sizeof text) != SQLITE_OK) {
        fail_sql(e, sqlite3_errmsg(c->db), sql);
        return -1;
    }
    return strtoll(text, NULL, 10);
}

/* Create the marker inside a write transaction, checking again there that the file
 * is still empty: another process may have claimed or filled it since we looked. */
static int create_marker(wb_conn *c, wb_error *e)
{
    if (sqlite_exec(c, "BEGIN IMMEDIATE", e) != 0)
        return -1;
    int64_t objects =
        query_int(c, "SELECT count(*) FROM sqlite_schema WHERE tbl_name <> '" META_TABLE "'", e);
    int rc = objects < 0 ? -1 : 0;
    char created_by[64] = "";
    if (rc == 0 && objects > 0 &&
        query_text(c->db, "SELECT value FROM " META_TABLE " WHERE key = 'created_by'", created_by,
                   sizeof created_by) == SQLITE_OK &&
        strcmp(created_by, "writebench") == 0) {
        /* Another writebench process claimed it meanwhile: it is ours after all. */
        sqlite3_exec(c->db, "ROLLBACK", NULL, NULL, NULL);
        return 0;
    }
    if (rc == 0 && objects > 0)
        rc = wb_fail(e,
                     "%s was not created by writebench (it holds tables of its own); refusing "
                     "to write to it — give --db a new file",
                     c->path);
    if (rc == 0)
        rc = sqlite_exec(c,
                         "CREATE TABLE IF NOT EXISTS " META_TABLE
                         "(key TEXT PRIMARY KEY, value TEXT NOT NULL)",
                         e);
    if (rc == 0) {
        char now[32];
        time_t t = time(NULL);
        struct tm tm;
        gmtime_r(&t, &tm);
        strftime(now, sizeof now, "%Y-%m-%dT%H:%M:%SZ", &tm);
        sqlite3_stmt *st = NULL;
        const char *sql = "INSERT OR IGNORE INTO " META_TABLE
                          "(key, value) VALUES ('created_by', 'writebench'), ('created_at', ?1)";
        if (sqlite3_prepare_v2(c->db, sql, -1, &st, NULL) != SQLITE_OK ||
            sqlite3_bind_text(st, 1, now, -1, SQLITE_TRANSIENT) != SQLITE_OK ||
            sqlite3_step(st) != SQLITE_DONE)
            rc = fail_sql(e, sqlite3_errmsg(c->db), sql);
        sqlite3_finalize(st);
    }
    if (rc == 0)
        return sqlite_exec(c, "COMMIT", e);
    sqlite3_exec(c->db, "ROLLBACK", NULL, NULL, NULL);
    return -1;
}

static int sqlite_claim_namespace(wb_conn *c, bool create, wb_error *e)
{
    int64_t marked = query_int(c, has_meta_sql, e);
    if (marked < 0)
        return -1;
    if (marked > 0) {
        char created_by[64];
        if (query_text(c->db, "SELECT value FROM " META_TABLE " WHERE key = 'created_by'",
                       created_by, sizeof created_by) != SQLITE_OK)
            return wb_fail(e, "%s: cannot read " META_TABLE ": %s", c->path, sqlite3_errmsg(c->db));
        if (strcmp(created_by, "writebench") == 0)
            return 0;
    }
    int64_t objects = marked > 0 ? 1 : query_int(c, "SELECT count(*) FROM sqlite_schema", e);
    if (objects < 0)
        return -1;
    if (objects > 0)
        return wb_fail(e,
                       "%s was not created by writebench (it holds tables of its own); refusing "
                       "to write to it — give --db a new file",
                       c->path);
    if (!create)
        return wb_fail(e, "%s holds no writebench tables", c->path);
    return create_marker(c, e);
}

/* db_bytes is the bytes in pages that hold data (not the file's size: SQLite reuses
 * the pages a dropped table freed, so the file need not grow); wal_bytes is what
 * this process has written to WAL files (the counting VFS). */
static int sqlite_snapshot(wb_conn *c, wb_snapshot *out, wb_error *e)
{
    *out = WB_SNAPSHOT_UNKNOWN;
    out->wal_bytes = wb_sqlite_vfs_name() ? wb_sqlite_vfs_wal_bytes() : -1;
    char pages[32], free_pages[32], page_size[32];
    if (query_text(c->db, "PRAGMA page_count", pages, sizeof pages) != SQLITE_OK ||
        query_text(c->db, "PRAGMA freelist_count", free_pages, sizeof free_pages) != SQLITE_OK ||
        query_text(c->db, "PRAGMA page_size", page_size, sizeof page_size) != SQLITE_OK) {
        out->db_bytes = -1;
        return wb_fail(e, "cannot read the database size: %s", sqlite3_errmsg(c->db));
    }
    out->db_bytes = (strtoll(pages, NULL, 10) - strtoll(free_pages, NULL, 10)) * strtoll(page_size, NULL, 10);
    return 0;
}

/* PRAGMAs that read back as numbers but are set, and best read, by name. */
typedef struct pragma_names {
    const char *pragma;
    const char *names[4]; /* by value 0..3 */
} pragma_names;

static const pragma_names named_pragmas[] = {
    {"synchronous", {"OFF", "NORMAL", "FULL", "EXTRA"}},
    {"temp_store", {"DEFAULT", "FILE", "MEMORY", NULL}},
    {"auto_vacuum", {"NONE", "FULL", "INCREMENTAL", NULL}},
    {"foreign_keys", {"OFF", "ON", NULL, NULL}},
    {NULL, {NULL}},
};

/* Replace a numeric read-back value by its name where the PRAGMA has names. */
static void name_pragma_value(const char *pragma, char *value, size_t n)
{
    for (const pragma_names *p = named_pragmas; p->pragma; p++) {
        if (strcasecmp(p->pragma, pragma) != 0)
            continue;
        if (value[0] >= '0' && value[0] <= '3' && value[1] == '\0' && p->names[value[0] - '0'])
            snprintf(value, n, "%s", p->names[value[0] - '0']);
        return;
    }
}

static void sqlite_describe_settings(wb_conn *c, wb_buf *out)
{
    static const char *const always[] = {"page_size", "cache_size", NULL};
    char sql[160], value[128];
    for (int i = 0; i < c->napplied; i++) {
        snprintf(sql, sizeof sql, "PRAGMA %s", c->applied_names[i]);
        if (query_text(c->db, sql, value, sizeof value) != SQLITE_OK)
            snprintf(value, sizeof value, "(unreadable: %s)", sqlite3_errmsg(c->db));
        name_pragma_value(c->applied_names[i], value, sizeof value);
        wb_buf_printf(out, "sqlite.%s = %s\n", c->applied_names[i], value);
    }
    for (const char *const *p = always; *p; p++) {
        int applied = 0;
        for (int i = 0; i < c->napplied; i++)
            applied |= strcasecmp(c->applied_names[i], *p) == 0;
        if (applied)
            continue;
        snprintf(sql, sizeof sql, "PRAGMA %s", *p);
        if (query_text(c->db, sql, value, sizeof value) != SQLITE_OK)
            snprintf(value, sizeof value, "(unreadable)");
        wb_buf_printf(out, "sqlite.%s = %s\n", *p, value);
    }
    wb_buf_printf(out, "sqlite.busy_timeout_ms = %lld\n",
                  (long long)(c->busy_timeout_ns / 1000000));
    wb_buf_printf(out, "sqlite.version = %s\n", sqlite3_libversion());
}

static void sqlite_attach_counters(wb_conn *c, wb_counters *counters)
{
    c->counters = counters;
}

/* ---- one writebench per file ------------------------------------------ */

/* The lock is flock(2) on a side file beside the database, never a lock on the
 * database itself: SQLite locks the database and its -shm with POSIX fcntl locks,
 * which a process loses as soon as it closes any descriptor of that file, so
 * writebench keeps its hands off them. An flock belongs to the open file
 * description: forked strategy children share it (they die with the parent, see
 * runner/child.c), exec'd programs do not get it (O_CLOEXEC), and it is gone when the
 * last of them ends, however that happens: a SIGKILL leaves no stale lock. The file
 * holds the holder's description as "key=value" lines and is removed on release. */
#define LOCK_SUFFIX ".writebench-lock"
/* Each retry follows a holder that removed the file between our open and our flock;
 * a handful is plenty, the bound only stops a pathological loop. */
#define LOCK_ATTEMPTS 64
#define LOCK_TEXT_MAX 1024

struct wb_lock {
    int fd;
    char path[4096 + sizeof LOCK_SUFFIX];
};

/* Read the holder's description from a lock file another process holds. A holder
 * that has just taken the lock may not have written it yet: the fields stay empty. */
static void read_holder(int fd, wb_lock_holder *h)
{
    char text[LOCK_TEXT_MAX + 1];
    ssize_t n = pread(fd, text, LOCK_TEXT_MAX, 0);
    text[n > 0 ? n : 0] = '\0';
    char *save = NULL;
    for (char *line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        char *eq = strchr(line, '=');
        if (!eq)
            continue;
        *eq = '\0';
        const char *v = eq + 1;
        if (strcmp(line, "command") == 0)
            snprintf(h->command, sizeof h->command, "%s", v);
        else if (strcmp(line, "run_id") == 0)
            snprintf(h->run_id, sizeof h->run_id, "%s", v);
        else if (strcmp(line, "pid") == 0)
            h->pid = strtol(v, NULL, 10);
        else if (strcmp(line, "host") == 0)
            snprintf(h->host, sizeof h->host, "%s", v);
        else if (strcmp(line, "started") == 0)
            snprintf(h->started, sizeof h->started, "%s", v);
    }
}

/* Write our description over whatever a killed holder left, then cut the rest:
 * a reader sees the old text or the new, never an empty file in between. */
static int write_holder(int fd, const char *path, const wb_lock_holder *me, wb_error *e)
{
    char text[LOCK_TEXT_MAX];
    int len = snprintf(text, sizeof text, "command=%s\nrun_id=%s\npid=%ld\nhost=%s\nstarted=%s\n", me->command,
                       me->run_id, me->pid, me->host, me->started);
    if (len < 0 || len >= (int)sizeof text)
        len = (int)sizeof text - 1;
    if (pwrite(fd, text, (size_t)len, 0) != len || ftruncate(fd, len) != 0)
        return wb_fail(e, "cannot write the lock file %s: %s", path, strerror(errno));
    return 0;
}

/* Whether path still names the file open as fd (not removed, nor replaced). */
static int names_same_file(int fd, const char *path)
{
    struct stat held, named;
    return fstat(fd, &held) == 0 && lstat(path, &named) == 0 && held.st_dev == named.st_dev &&
           held.st_ino == named.st_ino;
}

/* The lock file's path: beside the database as its real path names it, so that a
 * symlink to the file, or to a directory on the way, takes the same lock (a second run
 * through a symlink went ahead and broke the first's test). A file not created yet is
 * resolved through its directory. */
static void lock_path_for(const char *db, char *out, size_t cap)
{
    char real[PATH_MAX];
    if (realpath(db, real)) {
        snprintf(out, cap, "%s" LOCK_SUFFIX, real);
        return;
    }
    const char *slash = strrchr(db, '/');
    char dir[PATH_MAX];
    if (!slash)
        snprintf(dir, sizeof dir, ".");
    else if (slash == db)
        snprintf(dir, sizeof dir, "/");
    else
        snprintf(dir, sizeof dir, "%.*s", (int)(slash - db), db);
    const char *name = slash ? slash + 1 : db;
    if (realpath(dir, real))
        snprintf(out, cap, "%s%s%s" LOCK_SUFFIX, real, strcmp(real, "/") == 0 ? "" : "/", name);
    else
        snprintf(out, cap, "%s" LOCK_SUFFIX, db); /* no directory: opening it fails with the reason */
}

/* The backend's lock (backend.h): flock the side file, following a holder that removed
 * it meanwhile, and write our description into it. 0 taken, 1 held by another, -1. */
static int sqlite_lock(const wb_target *t, const wb_lock_holder *me, wb_lock **out, wb_lock_holder *holder,
                       char *where, size_t where_size, wb_error *e)
{
    *out = NULL;
    snprintf(where, where_size, "the SQLite database %s", t->path);
    if (strcmp(t->path, ":memory:") == 0)
        return 0; /* private to its connection: nobody else can reach it */
    wb_lock *l = wb_xcalloc(1, sizeof *l);
    lock_path_for(t->path, l->path, sizeof l->path);
    for (int attempt = 0; attempt < LOCK_ATTEMPTS; attempt++) {
        /* O_NOFOLLOW: a symlink planted at the lock's path must not make us write elsewhere. */
        int fd = open(l->path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0644);
        if (fd < 0) {
            wb_fail(e, "cannot open the lock file %s: %s", l->path, strerror(errno));
            free(l);
            return -1;
        }
        if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
            int err = errno;
            if (err == EWOULDBLOCK)
                read_holder(fd, holder);
            else
                wb_fail(e, "cannot lock %s: %s", l->path, strerror(err));
            close(fd);
            free(l);
            return err == EWOULDBLOCK ? 1 : -1;
        }
        /* The holder before us may have removed the file between our open and our
         * flock: then we hold a lock on a file nobody else will open. Start again. */
        if (!names_same_file(fd, l->path)) {
            close(fd);
            continue;
        }
        if (write_holder(fd, l->path, me, e) != 0) {
            unlink(l->path);
            close(fd);
            free(l);
            return -1;
        }
        l->fd = fd;
        *out = l;
        return 0;
    }
    wb_fail(e, "cannot lock %s: it kept being replaced while locking", l->path);
    free(l);
    return -1;
}

/* Remove the file while still holding the lock (a waiting locker then finds it gone and
 * starts again), but only if the path still names our file. */
static void sqlite_unlock(wb_lock *l)
{
    if (!l)
        return;
    if (names_same_file(l->fd, l->path))
        unlink(l->path);
    close(l->fd);
    free(l);
}

const wb_backend wb_sqlite_backend = {
    .interface_version = WB_BACKEND_INTERFACE_VERSION,
    .name = "sqlite",
    .display_name = "SQLite",
    .dialect = &sqlite_dialect,
    .caps = WB_CAP_RETURNING | WB_CAP_UPSERT | WB_CAP_UPDATE_FROM,
    .schemes = wb_sqlite_schemes,
    .forms = "sqlite:///path/file.db, a file path",
    .parse_target = wb_sqlite_parse_target,
    .connect = sqlite_connect,
    .disconnect = sqlite_disconnect,
    .exec = sqlite_exec,
    .query = sqlite_query,
    .server_version = sqlite_server_version,
    .claim_namespace = sqlite_claim_namespace,
    .table_name = sqlite_table_name,
    .snapshot = sqlite_snapshot,
    .describe_settings = sqlite_describe_settings,
    .attach_counters = sqlite_attach_counters,
    .stmt_prepare = wb_sqlite_stmt_prepare,
    .stmt_bind = wb_sqlite_stmt_bind,
    .stmt_exec = wb_sqlite_stmt_exec,
    .stmt_finalize = wb_sqlite_stmt_finalize,
    .begin = wb_sqlite_begin,
    .commit = wb_sqlite_commit,
    .rollback = wb_sqlite_rollback,
    .param_limit = wb_sqlite_param_limit,
    .stmt_bind_copies = false,
    .claims_bare = wb_sqlite_claims_bare,
    .add_setting = wb_sqlite_add_setting,
    .discard_target = wb_sqlite_discard_target,
    .namespace_noun = "a file writebench owns",
    .lock = sqlite_lock,
    .unlock = sqlite_unlock,
    .external_env = wb_sqlite_external_env,
    .describe_tables = wb_sqlite_describe_tables,
};

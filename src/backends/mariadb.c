/* The MariaDB backend (MariaDB Connector/C): connections in utf8mb4 with ANSI
 * identifier quoting, the database writebench creates and marks with a COMMENT as
 * its namespace, the lock that keeps a second writebench out (a named lock,
 * GET_LOCK, keyed on the database), the figures recorded with every test (redo
 * and binlog bytes, the database's size, commits counted on writebench's own
 * connections, the server's peak RSS when it runs on this machine) and the
 * settings that decide write speed.
 *
 * Every connection runs, before anything else (MYSQL_INIT_COMMAND):
 *   - the --pragma session variables (SET SESSION sql_mode = 'NO_BACKSLASH_ESCAPES');
 *   - ANSI_QUOTES and PIPES_AS_CONCAT added to whatever sql_mode the session now has:
 *     writebench's SQL quotes identifiers with double quotes and joins text with ||
 *     (the generators' SQL, sql_expr.c) on every backend. It changes nothing
 *     about string literals, so the default sql_mode's backslash escapes (and
 *     NO_BACKSLASH_ESCAPES, when set) stay exactly what an application meets;
 *   - SET NAMES utf8mb4 COLLATE utf8mb4_nopad_bin: literals compare byte for byte,
 *     as the columns of writebench's database do (it is created with that
 *     collation): 'a' is not 'A' and 'a ' is not 'a', so verification is exact;
 *   - SET SESSION time_zone = '+00:00': a timestamptz is a DATETIME holding UTC, and
 *     NOW() and TIMESTAMP columns of an external program agree with it.
 *
 * Commits are counted on the connections (attach_counters): each COMMIT and each
 * write statement run outside a transaction (autocommit). The server's own
 * figures do not say it: Handler_commit counts every statement, reads included,
 * and Com_commit only explicit COMMITs; so commits of an external program are
 * unknown, while redo bytes (Innodb_os_log_written) are the server's own.
 *
 * A URL may hold a password: every message shows the redacted URL, and the
 * password is scrubbed from the server's messages too. */
#include "backends/mariadb_internal.h"

#include <errmsg.h>
#include <fcntl.h>
#include <mysqld_error.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "backends/echo.h"
#include "util/clock.h"
#include "util/sql_text.h"

/* The COMMENT that marks a database as writebench's. */
#define DATABASE_MARK "created by writebench; safe to drop with writebench drop"
/* The lock holder's description lives in this table of writebench's database. */
#define LOCK_TABLE "writebench_lock"
#define DEFAULT_CONNECT_TIMEOUT_S 15u
#define SQL_EXCERPT_CHARS 120
#define COLLATION "utf8mb4_nopad_bin"

static const wb_dialect mariadb_dialect = {
    .kind = WB_BACKEND_MARIADB,
    /* A double's units are divided by a double literal (1024e0): / of two integers is
     * a DECIMAL of div_precision_increment digits. Times are DATETIME(6), which keeps
     * no zone: a timestamptz is an instant in UTC (every connection sets time_zone
     * '+00:00'), sent without the canonical text's "+00", which DATETIME refuses. */
    .types =
        {
            [WB_SQL_BIGINT] = {"BIGINT", NULL, {0}, {0}, {0}, {0}},
            [WB_SQL_TEXT] = {"TEXT", NULL, {0}, {0}, {0}, {0}},
            [WB_SQL_VARCHAR] = {"VARCHAR(%lld)", NULL, {0}, {0}, {0}, {0}},
            [WB_SQL_NUMERIC] = {"DECIMAL(%lld,%lld)", NULL, {"CAST(", " AS DECIMAL(65,30))"}, {0}, {0}, {0}},
            [WB_SQL_SMALLINT] = {"SMALLINT", NULL, {0}, {0}, {0}, {0}},
            [WB_SQL_INTEGER] = {"INT", NULL, {0}, {0}, {0}, {0}},
            /* units / 2^m within 24 bits (gen_parse.c): exact in a 4-byte float, and a FLOAT
             * compared with a double is widened exactly */
            [WB_SQL_REAL] = {"FLOAT", NULL, {0}, {0}, {"((", ") / %se0)"}, {0}},
            [WB_SQL_DOUBLE] = {"DOUBLE", NULL, {0}, {0}, {"((", ") / %se0)"}, {0}},
            [WB_SQL_BOOLEAN] = {"BOOLEAN", NULL, {0}, {0}, {0}, {0}}, /* TINYINT(1): 1 and 0 */
            /* CHAR(n) strips its trailing blanks when read, and the database's NO PAD
             * collation counts them: both sides are padded again to n to compare */
            [WB_SQL_CHAR] = {"CHAR(%lld)", NULL, {0}, {"RPAD(", ", %lld, ' ')"}, {0}, {0}},
            [WB_SQL_DATE] = {"DATE", NULL, {0}, {0}, {"(DATE '1970-01-01' + INTERVAL (", ") DAY)"},
                             {"CAST(", " AS CHAR)"}},
            [WB_SQL_TIMESTAMP] = {"DATETIME(6)", NULL, {0}, {0},
                                  {"(TIMESTAMP '1970-01-01 00:00:00' + INTERVAL (", ") SECOND)"},
                                  {"CAST(", " AS CHAR)"}},
            [WB_SQL_TIMESTAMPTZ] = {"DATETIME(6)", NULL, {0}, {0},
                                    {"(TIMESTAMP '1970-01-01 00:00:00' + INTERVAL (", ") SECOND)"},
                                    {"CONCAT(CAST(", " AS CHAR), '+00')"}},
            /* compared as its text, lower case with hyphens as the canonical text */
            [WB_SQL_UUID] = {"UUID", NULL, {0}, {"CAST(", " AS CHAR)"}, {0}, {0}},
            /* JSON is a LONGTEXT with a JSON_VALID check, compared as that exact text in the
             * connection's byte-order NO PAD collation (the column's own is utf8mb4_bin) */
            [WB_SQL_JSON] = {"JSON", NULL, {0}, {"CAST(", " AS CHAR)"}, {0}, {0}},
            [WB_SQL_JSONB] = {"JSON", NULL, {0}, {"CAST(", " AS CHAR)"}, {0}, {0}},
            [WB_SQL_BYTEA] = {"LONGBLOB", NULL, {0}, {0}, {0}, {0}},
        },
    .timestamptz_sent_without_offset = true,
    .bytes_from_hex = {"X'", "'"},
    .hex_digits = {"LPAD(LOWER(HEX(", ")), %lld, '0')"},
    /* CHAR(n) alone is a binary string; USING makes it text */
    .chr_format = "CHAR(%u USING utf8mb4)",
    .distinct_open = "NOT (",
    .distinct_op = "<=>",
    .distinct_close = ")",
    /* || is OR unless sql_mode has PIPES_AS_CONCAT */
    .concat_open = "CONCAT(",
    .concat_op = ", ",
    .concat_close = ")",
    .int_div_op = " DIV ", /* / of two integers is a decimal on MariaDB */
    .key_cast = "(%s)",
    /* an integer over 100 is an exact DECIMAL (scale div_precision_increment, 4) */
    .decimal_from_cents = " / 100",
    .cast_type = {"SIGNED", "CHAR", "DECIMAL(65,30)"},
    /* the Sequence engine's virtual table (needs a database selected: the connection
     * selects writebench's); a recursive CTE would need max_recursive_iterations raised,
     * as it silently stops at 1000 rows otherwise */
    .series_prefix = "",
    .series_from = "(SELECT CAST(seq AS SIGNED) AS k FROM seq_1_to_%lld) AS s",
    .param_prefix = "?", /* the statement layer maps ?n to the bare ? the server takes */
    .param_bare = true,
    .max_params = 65535, /* the protocol's 16-bit parameter count */
    .values_column = NULL,
    .begin_sql = "START TRANSACTION",
    .commit_sql = "COMMIT",
    .rollback_sql = "ROLLBACK",
    .upsert_clause = " ON DUPLICATE KEY UPDATE ",
    .upsert_value = "VALUES(%s)",
    /* MariaDB does not merge a derived table with a LIMIT into the query around it */
    .subquery_fence = " LIMIT 18446744073709551615",
    /* InnoDB indexes at most 3072 bytes: 255 characters of 4 bytes keep three text
     * columns in one index; a TEXT needs a prefix, or a hash for UNIQUE */
    .indexed_text_decl = "VARCHAR(%lld)",
    .indexed_text_max_chars = 255,
    .long_text_index_suffix = " USING HASH",
    .drop_index_on_table = true,
    .qualified_table_names = true,
    .index_name_qualified = false,
    /* DDL commits implicitly, but INSERT ... SELECT of many tables is one transaction */
    .generate_in_transaction = true,
    .fk_off_setting = NULL,     /* constraints are dropped by name (drop_constraints_sql) */
    .fk_needs_index = true,     /* InnoDB refuses to drop it: error 1553 */
    .statistics_tables_sql = NULL, /* InnoDB's statistics live in the mysql database */
    .analyze_prefix = "ANALYZE TABLE ",
    .explain_prefix = "ANALYZE FORMAT=JSON ",
    .explain_tree = false,
};

struct wb_conn {
    MYSQL *m;
    wb_counters *counters; /* may be NULL: count nothing */
    char database[65];
    char database_quoted[140];
    char password[256];   /* to scrub from the server's messages */
    int server_pid;       /* the server process on this machine; 0 unknown, -1 not local */
    bool peak_reset;      /* server_peak_rss_begin reset the server's peak on this connection */
    int tablespaces_readable; /* INNODB_SYS_TABLESPACES: 0 not tried yet, -1 refused */
    unsigned stmt_errno;  /* the last prepared statement's error (wb_mariadb_note_stmt_errno) */
};

MYSQL *wb_mariadb_mysql(wb_conn *c)
{
    return c ? c->m : NULL;
}

const char *wb_mariadb_database(wb_conn *c)
{
    return c->database;
}

bool wb_mariadb_in_transaction(wb_conn *c)
{
    unsigned status = 0;
    mariadb_get_infov(c->m, MARIADB_CONNECTION_SERVER_STATUS, &status);
    return (status & SERVER_STATUS_IN_TRANS) != 0;
}

void wb_mariadb_note_stmt_errno(wb_conn *c, unsigned code)
{
    c->stmt_errno = code;
}

bool wb_mariadb_transaction_conflict(wb_conn *c)
{
    unsigned code = c->stmt_errno ? c->stmt_errno : mysql_errno(c->m);
    return code == ER_LOCK_DEADLOCK || code == ER_LOCK_WAIT_TIMEOUT;
}

void wb_mariadb_count_commit(wb_conn *c)
{
    if (c && c->counters)
        atomic_fetch_add_explicit(&c->counters->commits, 1, memory_order_relaxed);
}

/* ---- messages ----------------------------------------------------------- */

/* Append msg on one line (line breaks and tabs as spaces), the password as "***". */
static void one_line(const char *msg, const char *password, wb_buf *out)
{
    size_t plen = password ? strlen(password) : 0;
    for (const char *p = msg; *p;) {
        if (plen && strncmp(p, password, plen) == 0) {
            wb_buf_puts(out, "***");
            p += plen;
            continue;
        }
        wb_buf_putc(out, *p == '\n' || *p == '\r' || *p == '\t' ? ' ' : *p);
        p++;
    }
}

int wb_mariadb_fail(wb_error *e, MYSQL *m, const char *what)
{
    wb_buf text = WB_BUF_INIT;
    one_line(m && mysql_error(m)[0] ? mysql_error(m) : "no connection", NULL, &text);
    if (m && mysql_errno(m))
        wb_buf_printf(&text, " [error %u, SQLSTATE %s]", mysql_errno(m), mysql_sqlstate(m));
    wb_fail(e, "%s: %s", what, wb_buf_str(&text));
    wb_buf_free(&text);
    return -1;
}

/* Fill e from the connection's error, with the start of the statement. */
static int fail_sql(wb_error *e, wb_conn *c, const char *sql)
{
    wb_buf text = WB_BUF_INIT;
    one_line(mysql_error(c->m), c->password, &text);
    wb_buf_printf(&text, " [error %u, SQLSTATE %s] (in: ", mysql_errno(c->m), mysql_sqlstate(c->m));
    size_t n = 0;
    for (const char *p = sql; *p && n < SQL_EXCERPT_CHARS; p++, n++)
        wb_buf_putc(&text, *p == '\n' || *p == '\r' || *p == '\t' ? ' ' : *p);
    wb_buf_puts(&text, strlen(sql) > n ? "...)" : ")");
    wb_fail(e, "%s", wb_buf_str(&text));
    wb_buf_free(&text);
    return -1;
}

/* ---- connecting --------------------------------------------------------- */

static pthread_once_t library_once = PTHREAD_ONCE_INIT;

/* mysql_library_init is not thread-safe, and mysql_init calls it the first time:
 * done once before any thread connects. */
static void library_init(void)
{
    mysql_library_init(0, NULL, NULL);
}

static void mdb_disconnect(wb_conn *c)
{
    if (!c)
        return;
    mysql_close(c->m);
    memset(c->password, 0, sizeof c->password);
    free(c);
}

/* The statements every connection runs first (see the top of this file). */
static void add_init_commands(MYSQL *m, const wb_target *t)
{
    wb_buf sql = WB_BUF_INIT;
    for (int i = 0; i < t->npragmas; i++) {
        const char *assignment = t->pragmas[i];
        size_t name_len = strcspn(assignment, "=");
        const char *value = assignment + name_len + 1;
        int number = value[strspn(value, "0123456789")] == '\0';
        wb_buf_reset(&sql);
        /* add_setting allows only words in a value: quoting cannot depend on sql_mode */
        wb_buf_printf(&sql, "SET SESSION %.*s = %s%s%s", (int)name_len, assignment, number ? "" : "'", value,
                      number ? "" : "'");
        mysql_optionsv(m, MYSQL_INIT_COMMAND, wb_buf_str(&sql));
    }
    wb_buf_free(&sql);
    mysql_optionsv(m, MYSQL_INIT_COMMAND,
                   "SET SESSION sql_mode = CONCAT(@@SESSION.sql_mode, ',ANSI_QUOTES,PIPES_AS_CONCAT')");
    mysql_optionsv(m, MYSQL_INIT_COMMAND, "SET NAMES utf8mb4 COLLATE " COLLATION);
    /* a timestamptz is a DATETIME in UTC (the dialect's types) */
    mysql_optionsv(m, MYSQL_INIT_COMMAND, "SET SESSION time_zone = '+00:00'");
    /* workload init --from: the server refuses any write on this session */
    if (t->read_only)
        mysql_optionsv(m, MYSQL_INIT_COMMAND, "SET SESSION TRANSACTION READ ONLY");
}

static int mdb_connect(const wb_target *t, wb_conn **out, wb_error *e)
{
    *out = NULL;
    if (t->echo)
        wb_echo_enable();
    if (t->temp_server && !t->conninfo[0])
        return wb_fail(e, "mariadb-temp: the throwaway server was not started before connecting");
    if (!wb_mariadb_database_name_ok(t->schema))
        return wb_fail(e, "the database name '%.64s' must be 1 to 63 letters, digits, '_' or '$'", t->schema);
    wb_mariadb_url u;
    if (wb_mariadb_parse_url(t->conninfo, &u, e) != 0)
        return -1;
    pthread_once(&library_once, library_init);
    MYSQL *m = mysql_init(NULL);
    if (!m)
        return wb_fail(e, "cannot connect to %s: out of memory", t->url_redacted);
    mysql_optionsv(m, MYSQL_SET_CHARSET_NAME, "utf8mb4");
    unsigned timeout = u.connect_timeout_s ? u.connect_timeout_s : DEFAULT_CONNECT_TIMEOUT_S;
    mysql_optionsv(m, MYSQL_OPT_CONNECT_TIMEOUT, &timeout);
    unsigned local_infile = 1; /* load-data streams LOAD DATA LOCAL from memory */
    mysql_optionsv(m, MYSQL_OPT_LOCAL_INFILE, &local_infile);
    if (u.option_file[0])
        mysql_optionsv(m, MYSQL_READ_DEFAULT_FILE, u.option_file);
    if (u.option_group[0])
        mysql_optionsv(m, MYSQL_READ_DEFAULT_GROUP, u.option_group);
    add_init_commands(m, t);
    /* FOUND_ROWS: an UPDATE reports the rows it matched, as the statement layer promises */
    unsigned long flags = CLIENT_MULTI_STATEMENTS | CLIENT_FOUND_ROWS;
    if (!mysql_real_connect(m, u.host[0] ? u.host : NULL, u.user[0] ? u.user : NULL,
                            u.password[0] ? u.password : NULL, NULL, u.port, u.socket[0] ? u.socket : NULL, flags)) {
        wb_buf msg = WB_BUF_INIT;
        one_line(mysql_error(m), u.password, &msg);
        wb_fail(e, "cannot connect to %s: %s [error %u]", t->url_redacted, wb_buf_str(&msg), mysql_errno(m));
        wb_buf_free(&msg);
        mysql_close(m);
        memset(&u, 0, sizeof u);
        return -1;
    }
    /* An exec'd program must not hold writebench's connections (the lock's least of all). */
    int fd = (int)mysql_get_socket(m);
    if (fd >= 0)
        fcntl(fd, F_SETFD, fcntl(fd, F_GETFD) | FD_CLOEXEC);
    wb_conn *c = wb_xcalloc(1, sizeof *c);
    c->m = m;
    snprintf(c->database, sizeof c->database, "%s", t->schema);
    wb_buf quoted = WB_BUF_INIT;
    wb_sql_identifier(&quoted, c->database);
    snprintf(c->database_quoted, sizeof c->database_quoted, "%s", wb_buf_str(&quoted));
    wb_buf_free(&quoted);
    snprintf(c->password, sizeof c->password, "%s", u.password);
    memset(&u, 0, sizeof u);
    /* The Sequence engine's tables (server-generate) need a database selected; one that
     * does not exist yet is selected once claim_namespace has made it. */
    mysql_select_db(m, c->database);
    *out = c;
    return 0;
}

/* ---- statements --------------------------------------------------------- */

/* Run sql (one or several statements), throwing away any rows; -1 with e set at the
 * first failing statement. The remaining results are read either way: the
 * connection must be ready for the next statement. On a connection that counts,
 * a statement that ends a transaction, or writes rows outside one, is a commit. */
static int exec_statements(wb_conn *c, const char *sql, wb_error *e)
{
    int rc = 0;
    bool was_in = c->counters && wb_mariadb_in_transaction(c);
    if (mysql_real_query(c->m, sql, strlen(sql)) != 0)
        return fail_sql(e, c, sql);
    for (;;) {
        MYSQL_RES *r = mysql_store_result(c->m);
        if (r)
            mysql_free_result(r);
        else if (mysql_field_count(c->m) != 0 && rc == 0)
            rc = fail_sql(e, c, sql);
        if (c->counters && !r && rc == 0) {
            bool now_in = wb_mariadb_in_transaction(c);
            my_ulonglong changed = mysql_affected_rows(c->m);
            if ((was_in && !now_in) || (!was_in && !now_in && changed > 0 && changed != (my_ulonglong)-1))
                wb_mariadb_count_commit(c);
            was_in = now_in;
        }
        int next = mysql_next_result(c->m);
        if (next > 0) {
            if (rc == 0)
                rc = fail_sql(e, c, sql);
            break;
        }
        if (next < 0)
            break;
    }
    return rc;
}

static int mdb_exec(wb_conn *c, const char *sql, wb_error *e)
{
    if (!wb_echo_active)
        return exec_statements(c, sql, e);
    int64_t start = wb_clock_ns();
    int rc = exec_statements(c, sql, e);
    wb_echo_record(sql, NULL, wb_clock_ns() - start);
    return rc;
}

int wb_mariadb_exec(wb_conn *c, const char *sql, const char *what, wb_error *e)
{
    if (mdb_exec(c, sql, e) == 0)
        return 0;
    return wb_fail_prefix(e, "%s: ", what);
}

/* Rows arrive one at a time (mysql_use_result), so a query over millions of rows
 * (verification, show) costs the client no memory. Stopping early reads the rest
 * (mysql_free_result does), which leaves the connection ready. */
static int query_rows(wb_conn *c, const char *sql, wb_row_fn fn, void *arg, wb_error *e)
{
    if (mysql_real_query(c->m, sql, strlen(sql)) != 0)
        return fail_sql(e, c, sql);
    int rc = 0, stopped = 0;
    for (;;) {
        MYSQL_RES *r = mysql_use_result(c->m);
        if (r) {
            unsigned ncols = mysql_num_fields(r);
            MYSQL_FIELD *fields = mysql_fetch_fields(r);
            const char **names = wb_xcalloc(ncols ? ncols : 1, sizeof *names);
            for (unsigned i = 0; i < ncols; i++)
                names[i] = fields[i].name;
            MYSQL_ROW row;
            while (!stopped && rc == 0 && (row = mysql_fetch_row(r)) != NULL)
                stopped = fn(arg, (int)ncols, names, (const char *const *)row) != 0;
            if (!stopped && rc == 0 && mysql_errno(c->m))
                rc = fail_sql(e, c, sql);
            free(names);
            mysql_free_result(r);
        } else if (mysql_field_count(c->m) != 0 && rc == 0) {
            rc = fail_sql(e, c, sql);
        }
        int next = mysql_next_result(c->m);
        if (next > 0 && rc == 0)
            rc = fail_sql(e, c, sql);
        if (next != 0)
            break;
    }
    return rc;
}

static int mdb_query(wb_conn *c, const char *sql, wb_row_fn fn, void *arg, wb_error *e)
{
    if (!wb_echo_active)
        return query_rows(c, sql, fn, arg, e);
    int64_t start = wb_clock_ns();
    int rc = query_rows(c, sql, fn, arg, e);
    wb_echo_record(sql, NULL, wb_clock_ns() - start);
    return rc;
}

/* Query callback: copy the first row's columns as text (NULL -> "") into out[n][64]. */
typedef struct row_copy {
    int ncols;
    char (*out)[256];
    int seen;
} row_copy;

static int copy_row(void *arg, int ncols, const char *const *names, const char *const *values)
{
    (void)names;
    row_copy *rc = arg;
    for (int i = 0; i < rc->ncols; i++)
        snprintf(rc->out[i], sizeof rc->out[i], "%s", i < ncols && values[i] ? values[i] : "");
    rc->seen = 1;
    return 1;
}

/* Run a query of one row and copy its first ncols columns; -1 when it fails or
 * returns no row. */
static int query_row(wb_conn *c, const char *sql, char out[][256], int ncols, wb_error *e)
{
    row_copy rc = {ncols, out, 0};
    if (mdb_query(c, sql, copy_row, &rc, e) != 0)
        return -1;
    if (!rc.seen)
        return wb_fail(e, "expected one row (in: %.120s)", sql);
    return 0;
}

/* Append s as a string literal, escaped for this connection's sql_mode. */
static void put_literal(wb_conn *c, const char *s, wb_buf *out)
{
    size_t n = strlen(s);
    char *escaped = wb_xmalloc(2 * n + 1);
    mysql_real_escape_string(c->m, escaped, s, (unsigned long)n);
    wb_buf_printf(out, "'%s'", escaped);
    free(escaped);
}

static int mdb_server_version(wb_conn *c, char *out, size_t n, wb_error *e)
{
    const char *v = mysql_get_server_info(c->m);
    if (!v || !*v)
        return wb_fail(e, "the server did not report its version");
    /* "10.11.19-MariaDB-0+deb12u1" -> "10.11.19": the packager's text goes to run.conf */
    snprintf(out, n, "%.*s", (int)strcspn(v, "-"), v);
    return 0;
}

static void mdb_table_name(wb_conn *c, const char *table, wb_buf *out)
{
    wb_buf_puts(out, c->database_quoted);
    wb_buf_putc(out, '.');
    wb_sql_identifier(out, table);
}

/* ---- the namespace: a database with writebench's COMMENT ----------------- */

/* Look the database up: 1 with its comment (truncated to 255 bytes), 0 absent, -1. */
static int find_database(wb_conn *c, char comment[256], wb_error *e)
{
    wb_buf sql = WB_BUF_INIT;
    wb_buf_puts(&sql, "SELECT SCHEMA_COMMENT FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = ");
    put_literal(c, c->database, &sql);
    char row[1][256];
    row_copy rc = {1, row, 0};
    int status = mdb_query(c, wb_buf_str(&sql), copy_row, &rc, e);
    wb_buf_free(&sql);
    if (status != 0)
        return -1;
    if (rc.seen)
        snprintf(comment, 256, "%s", row[0]);
    return rc.seen;
}

static int mdb_claim_namespace(wb_conn *c, bool create, wb_error *e)
{
    /* Two tries: a concurrent writebench may create it between our look and our CREATE. */
    for (int attempt = 0; attempt < 2; attempt++) {
        char comment[256] = "";
        int found = find_database(c, comment, e);
        if (found < 0)
            return -1;
        if (found && strcmp(comment, DATABASE_MARK) == 0) {
            if (mysql_select_db(c->m, c->database) != 0)
                return wb_mariadb_fail(e, c->m, "cannot use writebench's database");
            return 0;
        }
        if (found)
            return wb_fail(e,
                           "database \"%s\" exists but was not created by writebench (no writebench mark); "
                           "refusing to touch it — name another database in --db",
                           c->database);
        if (!create)
            return wb_fail(e, "database \"%s\" does not exist: there is nothing of writebench's here", c->database);
        /* The mark is part of CREATE DATABASE: the database never exists unmarked. */
        wb_buf sql = WB_BUF_INIT;
        wb_buf_printf(&sql, "CREATE DATABASE %s CHARACTER SET utf8mb4 COLLATE " COLLATION " COMMENT '" DATABASE_MARK "'",
                      c->database_quoted);
        int rc = mdb_exec(c, wb_buf_str(&sql), e);
        wb_buf_free(&sql);
        if (rc == 0) {
            if (mysql_select_db(c->m, c->database) != 0)
                return wb_mariadb_fail(e, c->m, "cannot use writebench's new database");
            return 0;
        }
        if (mysql_errno(c->m) != ER_DB_CREATE_EXISTS || attempt == 1)
            return wb_fail_prefix(e, "cannot create database \"%s\": ", c->database);
    }
    return -1; /* not reached */
}

/* Query callback: count rows. */
static int count_rows(void *arg, int ncols, const char *const *names, const char *const *values)
{
    (void)ncols, (void)names, (void)values;
    (*(int64_t *)arg)++;
    return 0;
}

/* drop's last step (backend.h): DROP DATABASE when it is writebench's and holds
 * nothing but writebench's lock table. MariaDB's DDL is not transactional: the
 * check and the drop are two statements, made while writebench holds the lock. */
static int mdb_drop_namespace_if_empty(wb_conn *c, wb_buf *note, wb_error *e)
{
    char comment[256] = "";
    int found = find_database(c, comment, e);
    if (found <= 0 || strcmp(comment, DATABASE_MARK) != 0)
        return found < 0 ? -1 : 0;
    wb_buf sql = WB_BUF_INIT;
    /* tables and views, and any routine, event or trigger someone put there */
    wb_buf_puts(&sql, "SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = ");
    put_literal(c, c->database, &sql);
    wb_buf_puts(&sql, " AND TABLE_NAME <> '" LOCK_TABLE "' UNION ALL SELECT ROUTINE_NAME FROM "
                      "information_schema.ROUTINES WHERE ROUTINE_SCHEMA = ");
    put_literal(c, c->database, &sql);
    wb_buf_puts(&sql, " UNION ALL SELECT EVENT_NAME FROM information_schema.EVENTS WHERE EVENT_SCHEMA = ");
    put_literal(c, c->database, &sql);
    int64_t others = 0;
    int rc = mdb_query(c, wb_buf_str(&sql), count_rows, &others, e);
    wb_buf_free(&sql);
    if (rc != 0)
        return -1;
    if (others > 0) {
        wb_buf_printf(note, "database \"%s\" kept: it still holds tables or objects of other workloads or programs",
                      c->database);
        return 0;
    }
    wb_buf drop = WB_BUF_INIT;
    wb_buf_printf(&drop, "DROP DATABASE %s", c->database_quoted);
    rc = mdb_exec(c, wb_buf_str(&drop), e);
    wb_buf_free(&drop);
    if (rc != 0)
        return -1;
    wb_buf_printf(note, "database \"%s\" removed: it held nothing else", c->database);
    return 0;
}

/* Row callback: append the drop clause (arg's first byte: 'c' CHECK, 'f' FOREIGN KEY)
 * of one constraint name, comma-separated. */
struct drop_names {
    wb_buf *out;
    const char *clause;
};
static int drop_name_row(void *arg, int ncols, const char *const *names, const char *const *values)
{
    (void)names;
    struct drop_names *d = arg;
    if (ncols > 0 && values[0]) {
        if (d->out->len)
            wb_buf_puts(d->out, ", ");
        wb_buf_puts(d->out, d->clause);
        wb_sql_identifier(d->out, values[0]);
    }
    return 0;
}

/* The backend's drop_constraints_sql (backend.h): names from information_schema of
 * our database; a foreign key is dropped with DROP FOREIGN KEY, a CHECK with DROP
 * CONSTRAINT. */
static int mdb_drop_constraints_sql(wb_conn *c, const char *table, wb_constraint_kind kind, const char *column,
                                    wb_buf *out, wb_error *e)
{
    bool fk = kind == WB_CONSTRAINT_FOREIGN_KEY;
    wb_buf sql = WB_BUF_INIT, clauses = WB_BUF_INIT;
    wb_buf_puts(&sql, "SELECT tc.CONSTRAINT_NAME FROM information_schema.TABLE_CONSTRAINTS tc WHERE "
                      "tc.CONSTRAINT_SCHEMA = ");
    put_literal(c, c->database, &sql);
    wb_buf_puts(&sql, " AND tc.TABLE_NAME = ");
    put_literal(c, table, &sql);
    wb_buf_printf(&sql, " AND tc.CONSTRAINT_TYPE = '%s'", fk ? "FOREIGN KEY" : "CHECK");
    if (fk) {
        wb_buf_puts(&sql, " AND EXISTS (SELECT 1 FROM information_schema.KEY_COLUMN_USAGE k WHERE "
                          "k.CONSTRAINT_SCHEMA = tc.CONSTRAINT_SCHEMA AND k.TABLE_NAME = tc.TABLE_NAME AND "
                          "k.CONSTRAINT_NAME = tc.CONSTRAINT_NAME AND k.COLUMN_NAME = ");
        put_literal(c, column ? column : "", &sql);
        wb_buf_putc(&sql, ')');
    }
    wb_buf_puts(&sql, " ORDER BY 1");
    struct drop_names d = {&clauses, fk ? "DROP FOREIGN KEY " : "DROP CONSTRAINT "};
    int rc = mdb_query(c, wb_buf_str(&sql), drop_name_row, &d, e);
    if (rc == 0 && clauses.len == 0)
        rc = fk ? wb_fail(e, "%s has no foreign key on %s", table, column ? column : "?")
                : wb_fail(e, "%s has no CHECK constraint", table);
    if (rc == 0) {
        wb_buf_puts(out, "ALTER TABLE ");
        mdb_table_name(c, table, out);
        wb_buf_printf(out, " %s", wb_buf_str(&clauses));
    }
    wb_buf_free(&sql);
    wb_buf_free(&clauses);
    return rc;
}

/* ---- one writebench per database ---------------------------------------- */

/* The lock is a named lock, GET_LOCK('writebench:<database>', 0), on a connection of
 * its own that the parent keeps open for the command's life: the server releases it
 * when that session ends, however the process ends, so a SIGKILL leaves no stale
 * lock. MariaDB shows no client-chosen name of a session to others, so the holder
 * describes itself in a row of LOCK_TABLE in writebench's database, with its
 * connection id: whoever is refused reads the row of the session IS_USED_LOCK names
 * (a row of an earlier holder is not believed). */
struct wb_lock {
    wb_conn *conn;
};

/* The lock's name for the database: its length is within GET_LOCK's 64 characters. */
static void lock_name(wb_conn *c, wb_buf *out)
{
    wb_buf name = WB_BUF_INIT;
    wb_buf_printf(&name, "writebench:%s", c->database);
    put_literal(c, wb_buf_str(&name), out);
    wb_buf_free(&name);
}

/* Read who holds the lock into h, as far as the holder's row says. */
static void read_holder(wb_conn *c, wb_lock_holder *h)
{
    wb_buf sql = WB_BUF_INIT;
    wb_buf_puts(&sql, "SELECT command, run_id, pid, host, started FROM ");
    mdb_table_name(c, LOCK_TABLE, &sql);
    wb_buf_puts(&sql, " WHERE connection_id = IS_USED_LOCK(");
    lock_name(c, &sql);
    wb_buf_puts(&sql, ")");
    char row[5][256];
    wb_error ignored = {{0}};
    if (query_row(c, wb_buf_str(&sql), row, 5, &ignored) == 0) {
        snprintf(h->command, sizeof h->command, "%.*s", (int)sizeof h->command - 1, row[0]);
        snprintf(h->run_id, sizeof h->run_id, "%.*s", (int)sizeof h->run_id - 1, row[1]);
        h->pid = strtol(row[2], NULL, 10);
        snprintf(h->host, sizeof h->host, "%.*s", (int)sizeof h->host - 1, row[3]);
        snprintf(h->started, sizeof h->started, "%.*s", (int)sizeof h->started - 1, row[4]);
    }
    wb_buf_free(&sql);
}

/* Describe ourselves in the lock table (created when absent). */
static int write_holder(wb_conn *c, const wb_lock_holder *me, wb_error *e)
{
    wb_buf sql = WB_BUF_INIT;
    wb_buf_puts(&sql, "CREATE TABLE IF NOT EXISTS ");
    mdb_table_name(c, LOCK_TABLE, &sql);
    wb_buf_puts(&sql, " (\"one\" INT PRIMARY KEY, \"connection_id\" BIGINT, \"command\" VARCHAR(16), "
                      "\"run_id\" VARCHAR(64), \"pid\" BIGINT, \"host\" VARCHAR(255), \"started\" VARCHAR(32));\nREPLACE INTO ");
    mdb_table_name(c, LOCK_TABLE, &sql);
    wb_buf_puts(&sql, " VALUES (1, CONNECTION_ID(), ");
    put_literal(c, me->command, &sql);
    wb_buf_puts(&sql, ", ");
    put_literal(c, me->run_id, &sql);
    wb_buf_printf(&sql, ", %ld, ", me->pid);
    put_literal(c, me->host, &sql);
    wb_buf_puts(&sql, ", ");
    put_literal(c, me->started, &sql);
    wb_buf_puts(&sql, ")");
    int rc = mdb_exec(c, wb_buf_str(&sql), e);
    wb_buf_free(&sql);
    return rc;
}

static int mdb_lock(const wb_target *t, const wb_lock_holder *me, wb_lock **out, wb_lock_holder *holder,
                        char *where, size_t where_size, wb_error *e)
{
    *out = NULL;
    snprintf(where, where_size, "database \"%s\" of %s", t->schema, t->url_redacted);
    wb_conn *c = NULL;
    if (mdb_connect(t, &c, e) != 0)
        return -1;
    wb_buf sql = WB_BUF_INIT;
    wb_buf_puts(&sql, "SELECT GET_LOCK(");
    lock_name(c, &sql);
    wb_buf_puts(&sql, ", 0)");
    char got[1][256];
    int rc = query_row(c, wb_buf_str(&sql), got, 1, e);
    wb_buf_free(&sql);
    if (rc == 0 && strcmp(got[0], "1") != 0) {
        read_holder(c, holder);
        mdb_disconnect(c);
        return 1;
    }
    if (rc == 0)
        rc = write_holder(c, me, e);
    if (rc != 0) {
        mdb_disconnect(c);
        return -1;
    }
    wb_lock *l = wb_xcalloc(1, sizeof *l);
    l->conn = c;
    *out = l;
    return 0;
}

/* Released before the session ends, so that a writebench started right after this
 * one is never refused by a session the server has not ended yet. */
static void mdb_unlock(wb_lock *l)
{
    if (!l)
        return;
    wb_buf sql = WB_BUF_INIT;
    wb_buf_puts(&sql, "SELECT RELEASE_LOCK(");
    lock_name(l->conn, &sql);
    wb_buf_puts(&sql, ")");
    wb_error ignored = {{0}};
    mdb_exec(l->conn, wb_buf_str(&sql), &ignored);
    wb_buf_free(&sql);
    mdb_disconnect(l->conn);
    free(l);
}

/* ---- figures ------------------------------------------------------------ */

/* The database's size: its tablespace files (INNODB_SYS_TABLESPACES, which needs the
 * PROCESS privilege), else the estimates of information_schema.TABLES. */
static int database_bytes(wb_conn *c, int64_t *out, wb_error *e)
{
    wb_buf sql = WB_BUF_INIT, pattern = WB_BUF_INIT;
    char v[1][256];
    int rc = -1;
    if (c->tablespaces_readable >= 0) {
        /* database/table in the tablespace's name; '!' escapes LIKE's wildcards whatever the sql_mode */
        for (const char *p = c->database; *p; p++) {
            if (*p == '_' || *p == '%' || *p == '!')
                wb_buf_putc(&pattern, '!');
            wb_buf_putc(&pattern, *p);
        }
        wb_buf_puts(&pattern, "/%");
        wb_buf_puts(&sql, "SELECT COALESCE(SUM(FILE_SIZE), 0) FROM information_schema.INNODB_SYS_TABLESPACES WHERE NAME "
                          "LIKE ");
        put_literal(c, wb_buf_str(&pattern), &sql);
        wb_buf_puts(&sql, " ESCAPE '!'");
        wb_error ignored = {{0}};
        rc = query_row(c, wb_buf_str(&sql), v, 1, &ignored);
        if (rc != 0 && mysql_errno(c->m) == ER_SPECIFIC_ACCESS_DENIED_ERROR)
            c->tablespaces_readable = -1; /* not asked again on this connection */
    }
    if (rc != 0) {
        wb_buf_reset(&sql);
        wb_buf_puts(&sql, "SELECT COALESCE(SUM(DATA_LENGTH + INDEX_LENGTH), 0) FROM information_schema.TABLES WHERE "
                          "TABLE_SCHEMA = ");
        put_literal(c, c->database, &sql);
        rc = query_row(c, wb_buf_str(&sql), v, 1, e);
    }
    wb_buf_free(&sql);
    wb_buf_free(&pattern);
    if (rc == 0)
        *out = strtoll(v[0], NULL, 10);
    return rc;
}

/* Redo bytes (Innodb_os_log_written) and binlog bytes (Binlog_bytes_written, 0 with
 * the binlog off) are server-wide, readable by every user; the database's size is
 * database_bytes'. Commits are counted on the connections (see the top). */
static int mdb_snapshot(wb_conn *c, wb_snapshot *out, wb_error *e)
{
    out->db_bytes = out->wal_bytes = out->commits = -1;
    char v[1][256];
    if (query_row(c,
                  "SELECT (SELECT VARIABLE_VALUE FROM information_schema.GLOBAL_STATUS WHERE VARIABLE_NAME = "
                  "'INNODB_OS_LOG_WRITTEN') + COALESCE((SELECT VARIABLE_VALUE FROM information_schema.GLOBAL_STATUS "
                  "WHERE VARIABLE_NAME = 'BINLOG_BYTES_WRITTEN'), 0)",
                  v, 1, e) != 0)
        return -1;
    out->wal_bytes = v[0][0] ? strtoll(v[0], NULL, 10) : -1;
    return database_bytes(c, &out->db_bytes, e);
}

/* The settings that decide write speed, in the order run.conf lists them. */
static const char *const write_settings[] = {
    "version", "innodb_flush_log_at_trx_commit", "sync_binlog", "log_bin", "binlog_format", "innodb_buffer_pool_size",
    "innodb_log_file_size", "innodb_log_buffer_size", "innodb_doublewrite", "innodb_flush_method",
    "max_allowed_packet", "local_infile", NULL};

static void mdb_describe_settings(wb_conn *c, wb_buf *out)
{
    wb_buf sql = WB_BUF_INIT;
    for (const char *const *name = write_settings; *name; name++) {
        char value[1][256];
        wb_error e = {{0}};
        wb_buf_reset(&sql);
        wb_buf_printf(&sql, "SELECT @@GLOBAL.%s", *name);
        if (query_row(c, wb_buf_str(&sql), value, 1, &e) != 0)
            snprintf(value[0], sizeof value[0], "(unreadable)");
        wb_buf_printf(out, "mariadb.%s = %s\n", *name, value[0]);
    }
    char mode[1][256];
    wb_error e = {{0}};
    if (query_row(c, "SELECT @@SESSION.sql_mode", mode, 1, &e) != 0)
        snprintf(mode[0], sizeof mode[0], "(unreadable)");
    wb_buf_printf(out,
                  "mariadb.session_sql_mode = %s (writebench adds ANSI_QUOTES and PIPES_AS_CONCAT: identifiers in "
                  "double quotes, || joins text)\n",
                  mode[0]);
    wb_buf_printf(out, "mariadb.collation = " COLLATION " (the database's and the connections')\n");
    wb_buf_printf(out, "mariadb.connector_c = %s\n", mysql_get_client_info());
    wb_buf_printf(out, "mariadb.commits = counted on writebench's connections: each COMMIT and each write "
                       "outside a transaction (unknown for external programs)\n");
    wb_buf_free(&sql);
}

static void mdb_attach_counters(wb_conn *c, wb_counters *counters)
{
    c->counters = counters;
}

/* The server's process on this machine: the pid in its pid file, when the
 * connection goes through a unix socket or the loopback and that pid is a mariadbd
 * (or mysqld) here; 0 otherwise. */
static int find_server_pid(wb_conn *c)
{
    if (c->server_pid != 0)
        return c->server_pid > 0 ? c->server_pid : 0;
    c->server_pid = -1;
    const char *host = mysql_get_host_info(c->m); /* "Localhost via UNIX socket", "127.0.0.1 via TCP/IP" */
    int local = host && (strstr(host, "UNIX socket") || strncmp(host, "127.", 4) == 0 || strncmp(host, "::1 ", 4) == 0 ||
                         strncmp(host, "localhost ", 10) == 0);
    char path[1][256];
    wb_error e = {{0}};
    if (!local || query_row(c, "SELECT @@GLOBAL.pid_file", path, 1, &e) != 0)
        return 0;
    FILE *f = fopen(path[0], "r");
    int pid = 0;
    if (f) {
        if (fscanf(f, "%d", &pid) != 1)
            pid = 0;
        fclose(f);
    }
    char proc[64], comm[64] = "";
    snprintf(proc, sizeof proc, "/proc/%d/comm", pid);
    f = pid > 0 ? fopen(proc, "r") : NULL;
    if (f) {
        if (!fgets(comm, sizeof comm, f))
            comm[0] = '\0';
        fclose(f);
    }
    if (strncmp(comm, "mariadbd", 8) == 0 || strncmp(comm, "mysqld", 6) == 0)
        c->server_pid = pid;
    return c->server_pid > 0 ? c->server_pid : 0;
}

/* VmHWM of a process, in kB; -1 when /proc has no such process. */
static int64_t process_peak_rss_kb(int pid)
{
    char path[64], line[256];
    snprintf(path, sizeof path, "/proc/%d/status", pid);
    FILE *f = fopen(path, "r");
    if (!f)
        return -1;
    int64_t kb = -1;
    while (fgets(line, sizeof line, f))
        if (strncmp(line, "VmHWM:", 6) == 0) {
            kb = strtoll(line + 6, NULL, 10);
            break;
        }
    fclose(f);
    return kb;
}

/* The server is one process for all connections, so its peak RSS (VmHWM) is the
 * peak since it started: it is set back to the present RSS (/proc/<pid>/clear_refs,
 * "5", Linux 4.0+) when a test's connections are open, which only the server's owner
 * (or root) may do. Where that fails the figure stays unknown, never stale. */
static void mdb_server_peak_rss_begin(wb_conn *c)
{
    int pid = find_server_pid(c);
    if (pid <= 0)
        return;
    char path[64];
    snprintf(path, sizeof path, "/proc/%d/clear_refs", pid);
    int fd = open(path, O_WRONLY | O_CLOEXEC);
    if (fd < 0)
        return;
    c->peak_reset = write(fd, "5", 1) == 1;
    close(fd);
}

static int64_t mdb_server_peak_rss_kb(wb_conn *c)
{
    int pid = c && c->peak_reset ? find_server_pid(c) : 0;
    return pid > 0 ? process_peak_rss_kb(pid) : -1;
}

/* An external program's server memory: the same one process, whatever its connections. */
static int64_t mdb_server_peak_rss_kb_of(wb_conn *c, const char *application_name)
{
    return application_name ? mdb_server_peak_rss_kb(c) : -1;
}

const wb_backend wb_mariadb_backend = {
    .interface_version = WB_BACKEND_INTERFACE_VERSION,
    .name = "mariadb",
    .display_name = "MariaDB",
    .dialect = &mariadb_dialect,
    /* No COPY, pipeline, MERGE (not in 10.11), arrays or UPDATE ... FROM; RETURNING only
     * on INSERT and DELETE (10.5+), not UPDATE; prepared statements live on the
     * server by number, not by a name; commits are not the server's own figure, redo bytes are. */
    .caps = WB_CAP_UPSERT | WB_CAP_DROP_CONSTRAINT | WB_CAP_SERVER_WAL,
    .schemes = wb_mariadb_schemes,
    .forms = "mariadb://user[:password]@host[:port]/database (or mysql://, ?socket=PATH), mariadb-temp:",
    .parse_target = wb_mariadb_parse_target,
    .connect = mdb_connect,
    .disconnect = mdb_disconnect,
    .exec = mdb_exec,
    .query = mdb_query,
    .server_version = mdb_server_version,
    .claim_namespace = mdb_claim_namespace,
    .table_name = mdb_table_name,
    .snapshot = mdb_snapshot,
    .describe_settings = mdb_describe_settings,
    .attach_counters = mdb_attach_counters,
    .stmt_prepare = wb_mariadb_stmt_prepare,
    .stmt_bind = wb_mariadb_stmt_bind,
    .stmt_exec = wb_mariadb_stmt_exec,
    .stmt_finalize = wb_mariadb_stmt_finalize,
    .begin = wb_mariadb_begin,
    .commit = wb_mariadb_commit,
    .rollback = wb_mariadb_rollback,
    .param_limit = wb_mariadb_param_limit,
    .stmt_bind_copies = false,
    .mask_secrets = wb_mariadb_mask_secrets,
    .add_setting = wb_mariadb_add_setting,
    .namespace_noun = "the database --db names, which writebench creates and marks",
    .temp_server_start = wb_mariadb_temp_server_start,
    .temp_server_describe = wb_mariadb_temp_server_describe,
    .temp_server_stop = wb_mariadb_temp_server_stop,
    .temp_server_noun = "MariaDB server",
    .server_peak_rss_kb = mdb_server_peak_rss_kb,
    .server_peak_rss_kb_of = mdb_server_peak_rss_kb_of,
    .lock = mdb_lock,
    .unlock = mdb_unlock,
    .drop_namespace_if_empty = mdb_drop_namespace_if_empty,
    .external_env = wb_mariadb_external_env,
    .drop_constraints_sql = mdb_drop_constraints_sql,
    .server_peak_rss_begin = mdb_server_peak_rss_begin,
    .transaction_conflict = wb_mariadb_transaction_conflict,
    .describe_tables = wb_mariadb_describe_tables,
};

/* The MariaDB backend against a real server (the CTest fixture "mariadb", see
 * tests/mariadb/server.sh): the interface and its honest capabilities, connecting
 * (a wrong password never in the message), the marked database and the refusal of
 * an unmarked one, verification that is exact (case, trailing spaces, NULL against
 * '', decimals) under the default sql_mode and NO_BACKSLASH_ESCAPES, the statement
 * layer's placeholders and escaping, the lock naming its holder, the server-side
 * figures, constraint names, dropping the namespace only when it holds nothing
 * else, and the throwaway server of mariadb-temp: (gone after stop, and after a
 * SIGKILL of the process that started it).
 *
 * Needs WB_MARIADB_URL_FILE (set by CTest for test_mariadb_* tests); without it,
 * skipped with the reason. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "backends/lock.h"
#include "backends/mariadb_internal.h"
#include "runner/verify.h"
#include "unit/check.h"
#include "util/clock.h"
#include "workloads/schema.h"
#include "workloads/workload.h"

#define DATABASE "wbunit_mariadb"
#define UNMARKED "wbunit_mariadb_unmarked"
#define SECRET "hunter2-Secret"

static const wb_backend *B = &wb_mariadb_backend;
static char base_url[2048]; /* the fixture's --db: root over its socket */

/* ---- helpers ------------------------------------------------------------ */

static int read_url(const char *path, char *out, size_t n)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return -1;
    int ok = fgets(out, (int)n, f) != NULL;
    fclose(f);
    out[strcspn(out, "\r\n")] = '\0';
    return ok && out[0] ? 0 : -1;
}

/* The fixture's URL with another database (and user:password, when not NULL). */
static int make_target(const char *database, const char *userinfo, wb_target *t)
{
    char url[2300];
    const char *q = strchr(base_url, '?');
    snprintf(url, sizeof url, "mariadb://%s@localhost/%s%s", userinfo ? userinfo : "root", database, q ? q : "");
    wb_error e = {{0}};
    if (wb_target_parse(url, true, t, &e) != 0) {
        fprintf(stderr, "cannot parse %s: %s\n", url, e.msg);
        return -1;
    }
    return 0;
}

/* Run SQL as root with no database selected, as a person would by hand. */
static int raw_exec(const char *sql)
{
    wb_target t;
    if (make_target("writebench", NULL, &t) != 0)
        return -1;
    wb_conn *c = NULL;
    wb_error e = {{0}};
    int rc = B->connect(&t, &c, &e) == 0 ? B->exec(c, sql, &e) : -1;
    if (rc != 0)
        fprintf(stderr, "raw_exec(%s): %s\n", sql, e.msg);
    B->disconnect(c);
    return rc;
}

typedef struct first_value {
    char text[256];
    int rows;
} first_value;

static int collect_first(void *arg, int ncols, const char *const *names, const char *const *values)
{
    (void)names;
    first_value *v = arg;
    if (v->rows++ == 0 && ncols > 0)
        snprintf(v->text, sizeof v->text, "%s", values[0] ? values[0] : "(null)");
    return 0;
}

static const char *query1(wb_conn *c, const char *sql, first_value *v)
{
    wb_error e = {{0}};
    memset(v, 0, sizeof *v);
    if (B->query(c, sql, collect_first, v, &e) != 0)
        snprintf(v->text, sizeof v->text, "ERROR: %.240s", e.msg);
    return v->text;
}

/* A connection to a database writebench has claimed (created and marked). */
static wb_conn *claimed(const char *database, const wb_target *base)
{
    wb_target t = *base;
    snprintf(t.schema, sizeof t.schema, "%s", database);
    wb_conn *c = NULL;
    wb_error e = {{0}};
    if (B->connect(&t, &c, &e) != 0 || B->claim_namespace(c, true, &e) != 0) {
        fprintf(stderr, "claim %s: %s\n", database, e.msg);
        B->disconnect(c);
        return NULL;
    }
    return c;
}

/* ---- tests -------------------------------------------------------------- */

static void test_interface(void)
{
    wb_error e = {{0}};
    CHECK_INT(wb_backend_check(B, &e), 0);
    CHECK_INT(B->interface_version, WB_BACKEND_INTERFACE_VERSION);
    /* honest capabilities: nothing MariaDB 10.11 lacks */
    unsigned lacks = WB_CAP_COPY | WB_CAP_PIPELINE | WB_CAP_MERGE | WB_CAP_ARRAYS | WB_CAP_UPDATE_FROM |
                     WB_CAP_RETURNING | WB_CAP_NAMED_PREPARED | WB_CAP_NAMED_NAMESPACE | WB_CAP_SERVER_COUNTERS;
    CHECK_INT(B->caps & lacks, 0);
    CHECK(B->caps & WB_CAP_UPSERT);
    CHECK_STR(B->dialect->distinct_op, "<=>");
    CHECK_STR(B->dialect->concat_open, "CONCAT(");
    CHECK_STR(B->dialect->param_prefix, "?");
}

static void test_connect(const wb_target *t)
{
    wb_conn *c = NULL;
    wb_error e = {{0}};
    CHECK_INT(B->connect(t, &c, &e), 0);
    if (!c)
        return;
    first_value v;
    /* writebench's session: ANSI quotes on top of the server's mode, byte-exact collation */
    CHECK_CONTAINS(query1(c, "SELECT @@SESSION.sql_mode", &v), "PIPES_AS_CONCAT,ANSI_QUOTES");
    CHECK_CONTAINS(query1(c, "SELECT @@SESSION.sql_mode", &v), "STRICT_TRANS_TABLES");
    CHECK_STR(query1(c, "SELECT @@SESSION.collation_connection", &v), "utf8mb4_nopad_bin");
    CHECK_STR(query1(c, "SELECT 'a' = 'A'", &v), "0");
    CHECK_STR(query1(c, "SELECT 'a' = 'a '", &v), "0");
    CHECK_STR(query1(c, "SELECT \"x\" FROM (SELECT 1 AS \"x\") AS t", &v), "1");
    char version[64];
    CHECK_INT(B->server_version(c, version, sizeof version, &e), 0);
    CHECK(strchr(version, '-') == NULL && version[0] >= '1' && version[0] <= '9');
    B->disconnect(c);

    /* a wrong password: refused, and the message never holds it */
    CHECK_INT(raw_exec("CREATE USER IF NOT EXISTS 'wbunit_pw'@'localhost' IDENTIFIED BY 'right-one'"), 0);
    wb_target wrong;
    CHECK_INT(make_target(DATABASE, "wbunit_pw:" SECRET, &wrong), 0);
    CHECK_INT(B->connect(&wrong, &c, &e), -1);
    CHECK_CONTAINS(e.msg, "cannot connect to mariadb://wbunit_pw@localhost/");
    CHECK_CONTAINS(e.msg, "Access denied");
    CHECK(strstr(e.msg, SECRET) == NULL);
    CHECK(strstr(wrong.url_redacted, SECRET) == NULL);
    raw_exec("DROP USER IF EXISTS 'wbunit_pw'@'localhost'");

    /* mariadb-temp: without its server started never falls back to some other server */
    wb_target temp;
    CHECK_INT(wb_target_parse("mariadb-temp:", true, &temp, &e), 0);
    CHECK_INT(B->connect(&temp, &c, &e), -1);
    CHECK_CONTAINS(e.msg, "mariadb-temp: the throwaway server was not started");
}

static void test_claim(const wb_target *base)
{
    raw_exec("DROP DATABASE IF EXISTS " DATABASE);
    raw_exec("DROP DATABASE IF EXISTS " UNMARKED);
    wb_target t = *base;
    wb_conn *c = NULL;
    wb_error e = {{0}};
    CHECK_INT(B->connect(&t, &c, &e), 0);
    if (!c)
        return;
    CHECK_INT(B->claim_namespace(c, false, &e), -1);
    CHECK_CONTAINS(e.msg, "does not exist");
    CHECK_INT(B->claim_namespace(c, true, &e), 0);
    CHECK_INT(B->claim_namespace(c, true, &e), 0); /* ours now: claimed again */
    first_value v;
    CHECK_STR(query1(c, "SELECT SCHEMA_COMMENT FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = '" DATABASE "'", &v),
              "created by writebench; safe to drop with writebench drop");
    CHECK_STR(query1(c, "SELECT DEFAULT_COLLATION_NAME FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = '" DATABASE
                        "'", &v),
              "utf8mb4_nopad_bin");
    B->disconnect(c);

    /* a database someone else made: refused in one line, left as it was */
    CHECK_INT(raw_exec("CREATE DATABASE " UNMARKED), 0);
    CHECK_INT(raw_exec("CREATE TABLE " UNMARKED ".keep (id INT PRIMARY KEY)"), 0);
    wb_target other = *base;
    snprintf(other.schema, sizeof other.schema, "%s", UNMARKED);
    CHECK_INT(B->connect(&other, &c, &e), 0);
    if (c) {
        CHECK_INT(B->claim_namespace(c, true, &e), -1);
        CHECK_STR(e.msg, "database \"" UNMARKED "\" exists but was not created by writebench (no writebench mark); "
                         "refusing to touch it — name another database in --db");
        wb_buf note = WB_BUF_INIT;
        CHECK_INT(B->drop_namespace_if_empty(c, &note, &e), 0); /* not ours: nothing done, nothing said */
        CHECK_STR(wb_buf_str(&note), "");
        wb_buf_free(&note);
        CHECK_STR(query1(c, "SELECT count(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = '" UNMARKED "'", &v),
                  "1");
        B->disconnect(c);
    }
    raw_exec("DROP DATABASE IF EXISTS " UNMARKED);
}

/* Verification is exact on MariaDB: a change of case, a trailing space, '' for NULL
 * and a cent off are all wrong rows, under sql_mode (NULL: the server's default). */
static void test_verify_exact(const wb_target *base, const char *sql_mode)
{
    wb_target t = *base;
    wb_error e = {{0}};
    if (sql_mode) {
        char assignment[128];
        snprintf(assignment, sizeof assignment, "sql_mode=%s", sql_mode);
        CHECK_INT(wb_target_add_pragma(&t, assignment, &e), 0);
    }
    wb_conn *c = claimed(DATABASE, &t);
    const wb_workload *w = wb_workload_find("products");
    CHECK(c && w);
    if (!c || !w)
        return;
    first_value v;
    if (sql_mode)
        CHECK_CONTAINS(query1(c, "SELECT @@SESSION.sql_mode", &v), sql_mode);
    CHECK_INT(wb_schema_reset(B, c, w, &e), 0);
    CHECK_INT(wb_schema_generate(B, c, w, 1200, 1, &e), 0); /* past 1000: no recursion limit cuts it */
    wb_verify_result r;
    CHECK_INT(wb_verify(B, c, w, 1200, 1, WB_VERIFY_VALUES, &r, &e), 0);
    CHECK(r.ok);
    CHECK_INT(r.rows_verified, 1200);
    /* hostile rows were written by the server itself and read back as the C generator makes them */
    wb_row row = WB_ROW_INIT;
    wb_row_make(&w->tables[0], 17, 1, &row);
    wb_buf sql = WB_BUF_INIT;
    wb_buf_puts(&sql, "SELECT HEX(\"name\") FROM \"" DATABASE "\".\"products\" WHERE \"id\" = 17");
    wb_buf hex = WB_BUF_INIT;
    for (size_t i = 0; !row.v[1].is_null && i < row.v[1].len; i++)
        wb_buf_printf(&hex, "%02X", (unsigned char)row.v[1].text[i]);
    CHECK_STR(query1(c, wb_buf_str(&sql), &v), row.v[1].is_null ? "(null)" : wb_buf_str(&hex));
    wb_buf_free(&hex);
    wb_buf_free(&sql);
    wb_row_free(&row);

    static const char *const damages[] = {
        "UPDATE \"products\" SET \"name\" = CONCAT(UPPER(LEFT(\"name\", 1)), SUBSTRING(\"name\", 2)) WHERE \"id\" = 5",
        "UPDATE \"products\" SET \"name\" = CONCAT(\"name\", ' ') WHERE \"id\" = 5",
        "UPDATE \"products\" SET \"price\" = \"price\" + 0.01 WHERE \"id\" = 5",
        "UPDATE \"products\" SET \"category\" = '' WHERE \"id\" = 5",
    };
    for (size_t i = 0; i < sizeof damages / sizeof damages[0]; i++) {
        CHECK_INT(wb_schema_reset(B, c, w, &e), 0);
        CHECK_INT(wb_schema_generate(B, c, w, 20, 1, &e), 0);
        /* key 5 has a name, a category and a price in version 1 (not a hostile row) */
        CHECK_INT(B->exec(c, damages[i], &e), 0);
        CHECK_INT(wb_verify(B, c, w, 20, 1, WB_VERIFY_VALUES, &r, &e), 0);
        CHECK(!r.ok);
        CHECK_CONTAINS(r.detail, "1 of 20 rows wrong (first: key 5");
    }
    B->disconnect(c);
}

typedef struct rows_seen {
    int n;
    char values[4][3][64];
} rows_seen;

static int collect_rows(void *arg, int ncols, const char *const *names, const char *const *values)
{
    (void)names;
    rows_seen *r = arg;
    for (int i = 0; i < ncols && i < 3 && r->n < 4; i++)
        snprintf(r->values[r->n][i], sizeof r->values[0][0], "%s", values[i] ? values[i] : "(null)");
    r->n++;
    return 0;
}

/* The statement layer: ?n in any order, '?' in literals and identifiers left alone,
 * the same values through the binary protocol and inlined as text (escaped for the
 * session's sql_mode), NULL, and the rows of a SELECT. */
static void test_statements(const wb_target *base, const char *sql_mode)
{
    wb_target t = *base;
    wb_error e = {{0}};
    if (sql_mode) {
        char assignment[128];
        snprintf(assignment, sizeof assignment, "sql_mode=%s", sql_mode);
        CHECK_INT(wb_target_add_pragma(&t, assignment, &e), 0);
    }
    wb_conn *c = claimed(DATABASE, &t);
    if (!c)
        return;
    /* every byte that escaping must get right */
    static const char hostile[] = "O'Brien \\N \"q\" \t\n\r back\\slash é\x1a end\\";
    for (int once = 0; once <= 1; once++) {
        wb_stmt *st = NULL;
        CHECK_INT(B->stmt_prepare(c, "SELECT ?2 AS \"a?\", ?1 AS b, '?x' AS c -- ?\n", 2, once ? WB_STMT_ONCE : 0, NULL,
                                  &st, &e),
                  0);
        if (!st)
            continue;
        wb_bind_value values[2] = {{WB_BIND_TEXT, 0, hostile, sizeof hostile - 1, 0}, {WB_BIND_INT64, 42, NULL, 0, 0}};
        CHECK_INT(B->stmt_bind(st, 0, 2, values, &e), 0);
        rows_seen r = {0};
        int64_t n = -1;
        CHECK_INT(B->stmt_exec(st, "select", collect_rows, &r, &n, &e), 0);
        CHECK_INT(n, 1);
        CHECK_STR(r.values[0][0], "42");
        CHECK_STR(r.values[0][1], hostile);
        CHECK_STR(r.values[0][2], "?x");
        wb_bind_value nulls[2] = {{WB_BIND_NULL, 0, NULL, 0, 0}, {WB_BIND_NULL, 0, NULL, 0, 0}};
        CHECK_INT(B->stmt_bind(st, 0, 2, nulls, &e), 0);
        memset(&r, 0, sizeof r);
        CHECK_INT(B->stmt_exec(st, "select", collect_rows, &r, NULL, &e), 0);
        CHECK_STR(r.values[0][0], "(null)");
        CHECK_STR(r.values[0][1], "(null)");
        B->stmt_finalize(st);
    }
    /* a parameter number beyond the statement's count is refused at prepare */
    wb_stmt *st = NULL;
    CHECK_INT(B->stmt_prepare(c, "SELECT ?3", 2, 0, NULL, &st, &e), -1);
    CHECK_CONTAINS(e.msg, "parameter 3 of a statement of 2");
    /* a long value comes back whole */
    char long_text[3000];
    memset(long_text, 'x', sizeof long_text - 1);
    long_text[sizeof long_text - 1] = '\0';
    CHECK_INT(B->stmt_prepare(c, "SELECT ?, LENGTH(?1)", 1, 0, NULL, &st, &e), 0);
    if (st) {
        wb_bind_value v = {WB_BIND_TEXT, 0, long_text, strlen(long_text), 0};
        B->stmt_bind(st, 0, 1, &v, &e);
        first_value got = {{0}, 0};
        CHECK_INT(B->stmt_exec(st, "select", collect_first, &got, NULL, &e), 0);
        CHECK_INT(strlen(got.text), sizeof got.text - 1); /* cut by collect_first, whole from the server */
        B->stmt_finalize(st);
    }
    /* a failed statement inside a transaction: rollback leaves the connection clean */
    CHECK_INT(B->begin(c, &e), 0);
    CHECK_INT(B->exec(c, "SELECT * FROM no_such_table_here", &e), -1);
    CHECK_CONTAINS(e.msg, "[error 1146");
    B->rollback(c);
    CHECK(!wb_mariadb_in_transaction(c));
    B->disconnect(c);
}

static void test_lock(const wb_target *base)
{
    wb_conn *c = claimed(DATABASE, base);
    if (!c)
        return;
    B->disconnect(c);
    wb_db_lock *first = NULL, *second = NULL;
    wb_error e = {{0}};
    CHECK_INT(wb_db_lock_take(base, "run", "20260101T000000Z-abcd", &first, &e), 0);
    CHECK(first != NULL);
    CHECK_INT(wb_db_lock_take(base, "setup", NULL, &second, &e), -1);
    CHECK_CONTAINS(e.msg, "database \"" DATABASE "\" of mariadb://root@localhost/" DATABASE);
    CHECK_CONTAINS(e.msg, "is in use by writebench run 20260101T000000Z-abcd (pid ");
    char pid[32];
    snprintf(pid, sizeof pid, "pid %ld on host ", (long)getpid());
    CHECK_CONTAINS(e.msg, pid);
    CHECK_CONTAINS(e.msg, "one writebench at a time per database");
    wb_db_lock_release(first);
    CHECK_INT(wb_db_lock_take(base, "drop", NULL, &second, &e), 0); /* free again at once */
    wb_db_lock_release(second);
}

static void test_figures(const wb_target *base)
{
    wb_conn *c = claimed(DATABASE, base);
    const wb_workload *w = wb_workload_find("products");
    if (!c || !w)
        return;
    wb_error e = {{0}};
    CHECK_INT(wb_schema_reset(B, c, w, &e), 0);
    wb_snapshot before, after;
    CHECK_INT(B->snapshot(c, &before, &e), 0);
    CHECK_INT(wb_schema_generate(B, c, w, 20000, 1, &e), 0);
    CHECK_INT(B->snapshot(c, &after, &e), 0);
    CHECK(before.wal_bytes > 0 && after.wal_bytes > before.wal_bytes); /* redo for 20,000 rows */
    CHECK(after.db_bytes > before.db_bytes);
    CHECK_INT(after.commits, -1); /* counted on the connections, not read from the server */
    /* commits counted on a connection with counters: a COMMIT, an autocommitted write */
    wb_counters counters;
    memset(&counters, 0, sizeof counters);
    B->attach_counters(c, &counters);
    CHECK_INT(B->begin(c, &e), 0);
    CHECK_INT(B->exec(c, "UPDATE \"products\" SET \"price\" = \"price\" WHERE \"id\" = 1", &e), 0);
    CHECK_INT(B->commit(c, &e), 0);
    CHECK_INT(B->exec(c, "UPDATE \"products\" SET \"price\" = \"price\" + 1 WHERE \"id\" = 2", &e), 0);
    CHECK_INT(B->exec(c, "SELECT 1", &e), 0);
    CHECK_INT(atomic_load(&counters.commits), 2);
    B->attach_counters(c, NULL);
    /* the server's peak memory: this machine's mariadbd, reset for the test */
    CHECK_INT(B->server_peak_rss_kb(c), -1); /* not started anew on this connection yet */
    B->server_peak_rss_begin(c);
    int64_t kb = B->server_peak_rss_kb(c);
    CHECK(kb > 10000); /* a running mariadbd holds tens of MB */
    wb_buf settings = WB_BUF_INIT;
    B->describe_settings(c, &settings);
    CHECK_CONTAINS(wb_buf_str(&settings), "mariadb.innodb_flush_log_at_trx_commit = ");
    CHECK_CONTAINS(wb_buf_str(&settings), "mariadb.session_sql_mode = PIPES_AS_CONCAT,ANSI_QUOTES");
    wb_buf_free(&settings);
    B->disconnect(c);
}

static void test_constraints_and_drop(const wb_target *base)
{
    wb_conn *c = claimed(DATABASE, base);
    const wb_workload *users = wb_workload_find("users"), *products = wb_workload_find("products");
    if (!c || !users || !products)
        return;
    wb_error e = {{0}};
    CHECK_INT(wb_schema_reset(B, c, users, &e), 0);
    CHECK_INT(wb_schema_reset(B, c, products, &e), 0);
    /* the statements that drop the CHECKs and one foreign key, under the server's names */
    wb_buf sql = WB_BUF_INIT;
    CHECK_INT(B->drop_constraints_sql(c, "products", WB_CONSTRAINT_CHECK, NULL, &sql, &e), 0);
    CHECK_CONTAINS(wb_buf_str(&sql), " DROP CONSTRAINT ");
    CHECK_INT(B->exec(c, wb_buf_str(&sql), &e), 0);
    wb_buf_reset(&sql);
    CHECK_INT(B->drop_constraints_sql(c, "products", WB_CONSTRAINT_CHECK, NULL, &sql, &e), -1);
    CHECK_CONTAINS(e.msg, "products has no CHECK constraint");
    wb_buf_reset(&sql);
    CHECK_INT(B->drop_constraints_sql(c, "address", WB_CONSTRAINT_FOREIGN_KEY, "user_id", &sql, &e), 0);
    CHECK_CONTAINS(wb_buf_str(&sql), " DROP FOREIGN KEY ");
    CHECK_INT(B->exec(c, wb_buf_str(&sql), &e), 0);
    wb_buf_free(&sql);

    /* the namespace goes only once nothing but writebench's is left in it */
    CHECK_INT(wb_schema_drop(B, c, products, &e), 0);
    wb_buf note = WB_BUF_INIT;
    CHECK_INT(B->drop_namespace_if_empty(c, &note, &e), 0);
    CHECK_CONTAINS(wb_buf_str(&note), "kept: it still holds tables");
    CHECK_INT(wb_schema_drop(B, c, users, &e), 0);
    wb_buf_reset(&note);
    CHECK_INT(B->drop_namespace_if_empty(c, &note, &e), 0);
    CHECK_STR(wb_buf_str(&note), "database \"" DATABASE "\" removed: it held nothing else");
    wb_buf_free(&note);
    first_value v;
    CHECK_STR(query1(c, "SELECT count(*) FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = '" DATABASE "'", &v), "0");
    B->disconnect(c);
}

/* mariadb-temp: a server starts, serves, and is gone after stop. */
static void test_temp(void)
{
    wb_target t;
    wb_error e = {{0}};
    CHECK_INT(wb_target_parse("mariadb-temp:", true, &t, &e), 0);
    wb_temp_server *s = NULL;
    double start = wb_clock_s();
    if (B->temp_server_start(&t, &s, &e) != 0) {
        fprintf(stderr, "mariadb-temp failed: %s\n", e.msg);
        CHECK(0);
        return;
    }
    printf("mariadb-temp started in %.1f s: %s\n", wb_clock_s() - start, t.conninfo);
    wb_buf desc = WB_BUF_INIT;
    B->temp_server_describe(s, &desc);
    char dir[4096] = "";
    sscanf(strstr(wb_buf_str(&desc), "mariadb_temp.dir = ") + 19, "%4095[^\n]", dir);
    CHECK_CONTAINS(wb_buf_str(&desc), "--skip-networking");
    wb_buf_free(&desc);
    struct stat st;
    CHECK(dir[0] && stat(dir, &st) == 0);
    wb_conn *c = NULL;
    CHECK_INT(B->connect(&t, &c, &e), 0);
    if (c) {
        first_value v;
        CHECK_STR(query1(c, "SELECT @@GLOBAL.skip_networking", &v), "1");
        CHECK_INT(B->claim_namespace(c, true, &e), 0);
        B->disconnect(c);
    }
    B->temp_server_stop(s);
    CHECK(stat(dir, &st) != 0 && errno == ENOENT);
    CHECK_INT(B->connect(&t, &c, &e), -1);
}

/* mariadb-temp: when its starter is SIGKILLed, the watcher still stops the server and
 * removes the directory. */
static void test_temp_survives_sigkill(void)
{
    int fds[2];
    if (pipe(fds) != 0) {
        CHECK(0);
        return;
    }
    fflush(NULL);
    pid_t pid = fork();
    if (pid == 0) {
        close(fds[0]);
        wb_target t;
        wb_error e = {{0}};
        wb_temp_server *s = NULL;
        if (wb_target_parse("mariadb-temp:", true, &t, &e) != 0 || B->temp_server_start(&t, &s, &e) != 0)
            _exit(1);
        wb_buf desc = WB_BUF_INIT;
        B->temp_server_describe(s, &desc);
        wb_buf_printf(&desc, "url = %s\n", t.conninfo);
        if (write(fds[1], wb_buf_str(&desc), desc.len + 1) < 0)
            _exit(1);
        pause(); /* until killed */
        _exit(0);
    }
    close(fds[1]);
    char text[8192] = "";
    size_t len = 0;
    ssize_t got;
    while (len + 1 < sizeof text && (got = read(fds[0], text + len, sizeof text - 1 - len)) > 0) {
        len += (size_t)got;
        if (memchr(text, '\0', len))
            break;
    }
    close(fds[0]);
    text[len] = '\0';
    char dir[4096] = "", url[4096] = "";
    const char *d = strstr(text, "mariadb_temp.dir = "), *u = strstr(text, "url = ");
    if (d)
        sscanf(d + 19, "%4095[^\n]", dir);
    if (u)
        sscanf(u + 6, "%4095[^\n]", url);
    CHECK(dir[0] && url[0]);
    wb_target t;
    wb_error e = {{0}};
    CHECK_INT(wb_target_parse(url, true, &t, &e), 0);
    wb_conn *c = NULL;
    CHECK_INT(B->connect(&t, &c, &e), 0);
    B->disconnect(c);
    kill(pid, SIGKILL);
    waitpid(pid, NULL, 0);
    /* The watcher notices within a second, then kills the server and removes the directory. */
    struct stat st;
    double deadline = wb_clock_s() + 15.0;
    while (dir[0] && stat(dir, &st) == 0 && wb_clock_s() < deadline)
        wb_sleep_ns(100 * 1000000LL);
    CHECK(dir[0] && stat(dir, &st) != 0);
    CHECK_INT(B->connect(&t, &c, &e), -1);
}

int main(void)
{
    const char *file = getenv("WB_MARIADB_URL_FILE");
    if (!file || !*file)
        return CHECK_SKIP("WB_MARIADB_URL_FILE is not set (CTest sets it; by hand: "
                          "tests/mariadb/server.sh start DIR, then WB_MARIADB_URL_FILE=DIR/url)");
    if (read_url(file, base_url, sizeof base_url) != 0) {
        fprintf(stderr, "cannot read the MariaDB fixture's URL from %s (did mariadb/start fail?)\n", file);
        CHECK(0);
        return check_finish();
    }
    wb_target t;
    if (make_target(DATABASE, NULL, &t) != 0) {
        CHECK(0);
        return check_finish();
    }
    CHECK_INT(t.kind, WB_BACKEND_MARIADB);
    CHECK_STR(t.schema, DATABASE);
    test_interface();
    test_connect(&t);
    test_claim(&t);
    test_verify_exact(&t, NULL);
    test_verify_exact(&t, "NO_BACKSLASH_ESCAPES");
    test_statements(&t, NULL);
    test_statements(&t, "NO_BACKSLASH_ESCAPES");
    test_lock(&t);
    test_figures(&t);
    test_constraints_and_drop(&t);
    test_temp();
    test_temp_survives_sigkill();
    raw_exec("DROP DATABASE IF EXISTS " DATABASE);
    return check_finish();
}

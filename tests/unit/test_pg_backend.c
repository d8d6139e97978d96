/* The PostgreSQL backend against a real server (the CTest fixture "pg", see
 * tests/pg/cluster.sh): connecting, the marked schema and the refusal of an unmarked
 * one, statements and their errors, the server-side figures, capabilities and their
 * override, secrets kept out of messages, and the throwaway cluster of pg-temp:.
 *
 * Needs WB_PG_CONNINFO_FILE (set by CTest for test_pg_* tests); without it, skipped. */
#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "backends/pg_temp.h"
#include "backends/postgres.h"
#include "unit/check.h"
#include "util/clock.h"

#define SCHEMA "wbunit_pg_backend"
#define UNMARKED "wbunit_pg_unmarked"
#define QUOTED_SCHEMA "wbunit_pg \"quoted\""
#define SECRET "hunter2-Secret"

static const wb_backend *B = &wb_postgres_backend;

/* ---- helpers ------------------------------------------------------------ */

static int read_conninfo(const char *path, char *out, size_t n)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return -1;
    int ok = fgets(out, (int)n, f) != NULL;
    fclose(f);
    out[strcspn(out, "\r\n")] = '\0';
    return ok && out[0] ? 0 : -1;
}

static int make_target(const char *conninfo, const char *schema, wb_target *t)
{
    wb_error e = {{0}};
    if (wb_target_parse(conninfo, true, t, &e) != 0) {
        fprintf(stderr, "cannot parse the fixture's conninfo: %s\n", e.msg);
        return -1;
    }
    snprintf(t->schema, sizeof t->schema, "%s", schema);
    return 0;
}

/* Run SQL on a plain libpq connection, as a person would by hand. */
static int raw_exec(const char *conninfo, const char *sql)
{
    PGconn *pg = PQconnectdb(conninfo);
    PQclear(PQexec(pg, "SET client_min_messages = warning"));
    PGresult *r = PQexec(pg, sql);
    int ok = PQresultStatus(r) == PGRES_COMMAND_OK || PQresultStatus(r) == PGRES_TUPLES_OK;
    if (!ok)
        fprintf(stderr, "raw_exec(%s): %s", sql, PQerrorMessage(pg));
    PQclear(r);
    PQfinish(pg);
    return ok ? 0 : -1;
}

/* The first column of the first row of a query on c, as text ("" for none/NULL). */
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

/* ---- tests -------------------------------------------------------------- */

static void test_connect_and_caps(const wb_target *t)
{
    wb_conn *c = NULL;
    wb_error e = {{0}};
    CHECK_INT(B->connect(t, &c, &e), 0);
    if (!c) {
        fprintf(stderr, "connect failed: %s\n", e.msg);
        return;
    }
    CHECK(wb_pg_conn(c) != NULL);
    CHECK(wb_backend_get(WB_BACKEND_POSTGRES) == B);
    CHECK_STR(B->name, "postgresql");
    CHECK_STR(B->dialect->chr_format, "chr(%u)");
    CHECK_STR(B->dialect->distinct_op, "IS DISTINCT FROM");

    char version[64];
    CHECK_INT(B->server_version(c, version, sizeof version, &e), 0);
    CHECK(strchr(version, ' ') == NULL); /* "15.18", no packager's suffix */
    const wb_pg_caps *caps = wb_pg_caps_of(c);
    CHECK(caps->server_version_num >= 100000);
    CHECK_INT(atoi(version), caps->server_version_num / 10000);
    CHECK_INT(caps->libpq_version, PQlibVersion());
    CHECK_INT(caps->has_merge, caps->server_version_num >= 150000);
    CHECK_INT(caps->has_pipeline, PQlibVersion() >= 140000);
    CHECK_INT(caps->server_is_local, 1); /* the fixture runs here, on a unix socket */

    /* The connection speaks UTF-8 whatever the environment says. */
    first_value v;
    CHECK_STR(query1(c, "SHOW client_encoding", &v), "UTF8");
    CHECK_STR(query1(c, "SELECT current_setting('application_name')", &v), "writebench");

    /* The skipped path: a pretend PostgreSQL 14 has no MERGE. */
    wb_pg_caps older = *caps;
    older.server_version_num = 140000;
    older.has_merge = 0;
    wb_pg_caps_override(c, &older);
    CHECK_INT(wb_pg_caps_of(c)->server_version_num, 140000);
    CHECK_INT(wb_pg_caps_of(c)->has_merge, 0);
    B->disconnect(c);
    B->disconnect(NULL);
}

static void test_claim(const char *conninfo, const wb_target *t)
{
    raw_exec(conninfo, "DROP SCHEMA IF EXISTS " SCHEMA " CASCADE");
    wb_conn *c = NULL;
    wb_error e = {{0}};
    if (B->connect(t, &c, &e) != 0) {
        CHECK(0);
        return;
    }
    CHECK_INT(B->claim_namespace(c, false, &e), -1);
    CHECK_CONTAINS(e.msg, "schema \"" SCHEMA "\" does not exist");
    CHECK_INT(B->claim_namespace(c, true, &e), 0);
    first_value v;
    CHECK_STR(query1(c, "SELECT obj_description('" SCHEMA "'::regnamespace, 'pg_namespace')", &v),
              "created by writebench; safe to drop with writebench drop");
    /* Claiming again (a second run, or drop) accepts writebench's own schema. */
    CHECK_INT(B->claim_namespace(c, true, &e), 0);
    CHECK_INT(B->claim_namespace(c, false, &e), 0);

    /* Names are quoted and qualified. */
    wb_buf name = WB_BUF_INIT;
    B->table_name(c, "products", &name);
    CHECK_STR(wb_buf_str(&name), "\"" SCHEMA "\".\"products\"");
    wb_buf_reset(&name);
    B->table_name(c, "a\"b", &name);
    CHECK_STR(wb_buf_str(&name), "\"" SCHEMA "\".\"a\"\"b\"");
    wb_buf_free(&name);

    /* search_path holds only our schema: an unqualified name can never land in public. */
    CHECK_INT(B->exec(c, "CREATE TABLE unqualified_probe(x int)", &e), 0);
    CHECK_STR(query1(c, "SELECT to_regclass('" SCHEMA ".unqualified_probe') IS NOT NULL", &v), "t");
    CHECK_STR(query1(c, "SELECT to_regclass('public.unqualified_probe') IS NULL", &v), "t");
    B->disconnect(c);
}

static void test_unmarked_refused(const char *conninfo, const wb_target *t)
{
    /* A schema of the same name that someone else made, holding their data. */
    raw_exec(conninfo, "DROP SCHEMA IF EXISTS " UNMARKED " CASCADE");
    raw_exec(conninfo, "CREATE SCHEMA " UNMARKED "; CREATE TABLE " UNMARKED ".theirs(id int); "
                       "INSERT INTO " UNMARKED ".theirs VALUES (42)");
    wb_target other = *t;
    snprintf(other.schema, sizeof other.schema, "%s", UNMARKED);
    wb_conn *c = NULL;
    wb_error e = {{0}};
    if (B->connect(&other, &c, &e) != 0) {
        CHECK(0);
        return;
    }
    CHECK_INT(B->claim_namespace(c, true, &e), -1);
    CHECK_STR(e.msg, "schema \"" UNMARKED "\" exists but was not created by writebench (no writebench "
                     "mark); refusing to touch it — choose another with --schema");
    CHECK_INT(B->claim_namespace(c, false, &e), -1);
    CHECK_CONTAINS(e.msg, "refusing to touch it");
    /* A comment of someone else's is no mark either. */
    raw_exec(conninfo, "COMMENT ON SCHEMA " UNMARKED " IS 'created by writebench'");
    CHECK_INT(B->claim_namespace(c, true, &e), -1);
    first_value v;
    CHECK_STR(query1(c, "SELECT count(*) FROM " UNMARKED ".theirs WHERE id = 42", &v), "1");
    CHECK_STR(query1(c, "SELECT count(*) FROM pg_tables WHERE schemaname = '" UNMARKED "'", &v), "1");
    B->disconnect(c);
    raw_exec(conninfo, "DROP SCHEMA " UNMARKED " CASCADE");

    /* A schema name that needs quoting works end to end. */
    snprintf(other.schema, sizeof other.schema, "%s", QUOTED_SCHEMA);
    raw_exec(conninfo, "DROP SCHEMA IF EXISTS \"wbunit_pg \"\"quoted\"\"\" CASCADE");
    if (B->connect(&other, &c, &e) != 0) {
        CHECK(0);
        return;
    }
    CHECK_INT(B->claim_namespace(c, true, &e), 0);
    CHECK_INT(B->exec(c, "CREATE TABLE t(x int); INSERT INTO t VALUES (1)", &e), 0);
    wb_buf name = WB_BUF_INIT;
    B->table_name(c, "t", &name);
    wb_buf sql = WB_BUF_INIT;
    wb_buf_printf(&sql, "SELECT count(*) FROM %s", wb_buf_str(&name));
    CHECK_STR(query1(c, wb_buf_str(&sql), &v), "1");
    wb_buf_free(&name);
    wb_buf_free(&sql);
    CHECK_INT(B->exec(c, "DROP SCHEMA \"wbunit_pg \"\"quoted\"\"\" CASCADE", &e), 0);
    B->disconnect(c);
}

typedef struct rows_seen {
    int rows, nulls, stop_after;
    char names[64];
} rows_seen;

static int count_rows(void *arg, int ncols, const char *const *names, const char *const *values)
{
    rows_seen *s = arg;
    s->rows++;
    if (s->rows == 1)
        snprintf(s->names, sizeof s->names, "%s,%s", names[0], ncols > 1 ? names[1] : "");
    for (int i = 0; i < ncols; i++)
        s->nulls += values[i] == NULL;
    return s->stop_after && s->rows >= s->stop_after;
}

static void test_statements(const wb_target *t)
{
    wb_conn *c = NULL;
    wb_error e = {{0}};
    if (B->connect(t, &c, &e) != 0 || B->claim_namespace(c, true, &e) != 0) {
        CHECK(0);
        B->disconnect(c);
        return;
    }
    CHECK_INT(B->exec(c, "CREATE TABLE stmt_probe(id bigint PRIMARY KEY, note text); "
                         "INSERT INTO stmt_probe SELECT i, CASE WHEN i % 2 = 0 THEN NULL ELSE 'x' END "
                         "FROM generate_series(1, 1000) i",
                      &e),
              0);
    rows_seen s = {0};
    CHECK_INT(B->query(c, "SELECT id, note FROM stmt_probe ORDER BY id", count_rows, &s, &e), 0);
    CHECK_INT(s.rows, 1000);
    CHECK_INT(s.nulls, 500);
    CHECK_STR(s.names, "id,note");
    /* Stopping early is not an error, and the connection stays usable. */
    rows_seen early = {.stop_after = 10};
    CHECK_INT(B->query(c, "SELECT id, note FROM stmt_probe ORDER BY id", count_rows, &early, &e), 0);
    CHECK_INT(early.rows, 10);
    first_value v;
    CHECK_STR(query1(c, "SELECT count(*) FROM stmt_probe", &v), "1000");

    /* Errors carry the server's message, the SQLSTATE and the statement. */
    CHECK_INT(B->exec(c, "INSERT INTO stmt_probe VALUES (1, 'dup')", &e), -1);
    CHECK_CONTAINS(e.msg, "duplicate key value violates unique constraint");
    CHECK_CONTAINS(e.msg, "SQLSTATE 23505");
    CHECK_CONTAINS(e.msg, "Key (id)=(1) already exists");
    CHECK_CONTAINS(e.msg, "(in: INSERT INTO stmt_probe");
    CHECK(strchr(e.msg, '\n') == NULL);
    CHECK_INT(B->query(c, "SELECT * FROM no_such_table", count_rows, &s, &e), -1);
    CHECK_CONTAINS(e.msg, "SQLSTATE 42P01");
    /* COPY through exec is refused without leaving the connection in COPY state. */
    CHECK_INT(B->exec(c, "COPY stmt_probe FROM STDIN", &e), -1);
    CHECK_CONTAINS(e.msg, "COPY");
    CHECK_STR(query1(c, "SELECT count(*) FROM stmt_probe", &v), "1000");
    CHECK_INT(B->exec(c, "", &e), 0);
    B->disconnect(c);
}

/* Whether a snapshot's commit count reaches at least want within 30 s. Another
 * connection's commits reach pg_stat_database when its backend flushes its statistics:
 * at transaction end at most once a second, and always when the backend exits, which
 * happens a moment after the client disconnects; hence the polling. The bound is
 * generous because a loaded machine may delay that exit; it costs nothing when the
 * count arrives early. */
static int commits_reach(wb_conn *c, int64_t want, int64_t *seen)
{
    double deadline = wb_clock_s() + 30.0;
    wb_snapshot s;
    do {
        if (B->snapshot(c, &s, NULL) == 0 && s.commits >= want)
            break;
        wb_sleep_ns(50 * 1000000LL);
    } while (wb_clock_s() < deadline);
    *seen = s.commits;
    return s.commits >= want;
}

static void test_snapshot(const wb_target *t)
{
    wb_conn *c = NULL, *other = NULL;
    wb_error e = {{0}};
    if (B->connect(t, &c, &e) != 0 || B->claim_namespace(c, true, &e) != 0) {
        CHECK(0);
        B->disconnect(c);
        return;
    }
    CHECK_INT(B->exec(c, "CREATE TABLE snap_probe(id bigint PRIMARY KEY, note text)", &e), 0);
    wb_snapshot before, after;
    CHECK_INT(B->snapshot(c, &before, &e), 0);
    CHECK(before.db_bytes > 0);
    CHECK(before.wal_bytes > 0);
    CHECK(before.commits > 0);
    CHECK_INT(B->exec(c, "INSERT INTO snap_probe SELECT i, repeat('x', 100) FROM generate_series(1, 5000) i",
                      &e),
              0);
    CHECK_INT(B->snapshot(c, &after, &e), 0);
    CHECK(after.wal_bytes - before.wal_bytes > 5000 * 100); /* the rows went through the WAL */
    CHECK(after.db_bytes >= before.db_bytes);
    /* This connection's own commits are counted at once (its flush is forced): the
     * INSERT and the snapshot's own statements. */
    CHECK(after.commits - before.commits >= 2);

    /* Commits of another connection, 10 single-row transactions, then it disconnects. */
    if (B->connect(t, &other, &e) != 0) {
        CHECK(0);
        B->disconnect(c);
        return;
    }
    wb_snapshot start;
    B->snapshot(c, &start, &e);
    for (int i = 0; i < 10; i++) {
        char sql[128];
        snprintf(sql, sizeof sql, "INSERT INTO snap_probe VALUES (%d, 'other')", 100000 + i);
        CHECK_INT(B->exec(other, sql, &e), 0);
    }
    B->disconnect(other);
    int64_t seen = 0;
    CHECK(commits_reach(c, start.commits + 10, &seen));
    if (seen < start.commits + 10)
        fprintf(stderr, "commits: %lld -> %lld, expected +10\n", (long long)start.commits, (long long)seen);

    /* The backend's peak RSS: the fixture is local. */
    CHECK(B->server_peak_rss_kb != NULL);
    int64_t rss_kb = B->server_peak_rss_kb(c);
    CHECK(rss_kb > 1000);
    printf("server backend VmHWM: %lld kB\n", (long long)rss_kb);
    CHECK_INT(B->server_peak_rss_kb(NULL), -1);

    wb_buf settings = WB_BUF_INIT;
    B->describe_settings(c, &settings);
    const char *text = wb_buf_str(&settings);
    static const char *const lines[] = {
        "postgresql.server_version = ", "postgresql.synchronous_commit = on\n", "postgresql.wal_level = ",
        "postgresql.shared_buffers = ", "postgresql.max_wal_size = ",     "postgresql.fsync = on\n",
        "postgresql.full_page_writes = ", "postgresql.wal_compression = ", "postgresql.checkpoint_timeout = ",
        "postgresql.libpq_version = ",   "postgresql.server_is_local = yes", NULL};
    for (const char *const *l = lines; *l; l++)
        CHECK_CONTAINS(text, *l);
    CHECK(strstr(text, "(unreadable)") == NULL);
    wb_buf_free(&settings);
    B->disconnect(c);
}

/* No password reaches an error message, whatever form it came in. */
static void test_secrets(void)
{
    static const char *const targets[] = {
        /* a server that is not there, with a password in a conninfo */
        "host=/nonexistent-wb-dir port=1 dbname=x user=u password=" SECRET,
        "host=/nonexistent-wb-dir port=1 dbname=x user=u password='" SECRET "'",
        /* a URL whose password libpq cannot decode: it quotes the bad token */
        "postgresql://u:" SECRET "%zz@localhost:1/db",
        "postgresql://u@localhost:1/db?password=" SECRET "%zz",
        "postgresql://u:" SECRET "@%2Fnonexistent-wb-dir:1/db",
        NULL};
    for (const char *const *url = targets; *url; url++) {
        wb_target t;
        wb_error e = {{0}};
        wb_conn *c = NULL;
        if (wb_target_parse(*url, true, &t, &e) != 0) {
            CHECK(strstr(e.msg, "Secret") == NULL);
            continue;
        }
        CHECK_INT(B->connect(&t, &c, &e), -1);
        CHECK(c == NULL);
        CHECK(e.msg[0] != '\0');
        CHECK(strstr(e.msg, "Secret") == NULL);
        CHECK(strstr(e.msg, "hunter") == NULL);
        CHECK(strchr(e.msg, '\n') == NULL);
        printf("refused as expected: %s\n", e.msg);
    }
    /* PGPASSWORD too. */
    setenv("PGPASSWORD", SECRET, 1);
    wb_target t;
    wb_error e = {{0}};
    wb_conn *c = NULL;
    if (wb_target_parse("host=/nonexistent-wb-dir port=1 dbname=x", true, &t, &e) == 0) {
        CHECK_INT(B->connect(&t, &c, &e), -1);
        CHECK(strstr(e.msg, SECRET) == NULL);
    }
    unsetenv("PGPASSWORD");
}

/* pg-temp: a cluster starts, serves, and is gone after stop. */
static void test_pg_temp(void)
{
    /* --db pg-temp: parses to a PostgreSQL target with no conninfo yet, which must
     * never fall back to libpq's default server. */
    wb_target t;
    wb_error e = {{0}};
    CHECK_INT(wb_target_parse("pg-temp:", true, &t, &e), 0);
    CHECK_INT(t.kind, WB_BACKEND_POSTGRES);
    CHECK(t.temp_server);
    CHECK_STR(t.url_redacted, "pg-temp:");
    CHECK_STR(t.schema, "writebench");
    wb_conn *c = NULL;
    CHECK_INT(B->connect(&t, &c, &e), -1);
    CHECK_CONTAINS(e.msg, "pg-temp: the throwaway cluster was not started");

    wb_pg_temp *temp = NULL;
    char conninfo[4096];
    double start = wb_clock_s();
    wb_pg_topology alone = {0};
    if (wb_pg_temp_start(&temp, &alone, "writebench", conninfo, sizeof conninfo, &e) != 0) {
        fprintf(stderr, "pg-temp failed: %s\n", e.msg);
        CHECK(0);
        return;
    }
    printf("pg-temp started in %.1f s: %s\n", wb_clock_s() - start, conninfo);
    CHECK_CONTAINS(conninfo, "dbname=postgres user=postgres");
    char dir[4096] = "";
    sscanf(conninfo, "host='%4095[^']'", dir);
    struct stat st;
    CHECK(dir[0] && stat(dir, &st) == 0);

    snprintf(t.conninfo, sizeof t.conninfo, "%s", conninfo); /* what the runner does */
    CHECK_INT(B->connect(&t, &c, &e), 0);
    if (c) {
        CHECK_INT(B->claim_namespace(c, true, &e), 0);
        first_value v;
        CHECK_STR(query1(c, "SHOW listen_addresses", &v), "");
        CHECK_STR(query1(c, "SHOW fsync", &v), "on");
        CHECK_STR(query1(c, "SELECT current_setting('server_encoding')", &v), "UTF8");
        B->disconnect(c);
    }
    wb_buf desc = WB_BUF_INIT;
    wb_pg_temp_describe(temp, &desc);
    CHECK_CONTAINS(wb_buf_str(&desc), "pg_temp.changed_settings = listen_addresses=''");
    wb_buf_free(&desc);
    wb_pg_temp_stop(temp);
    CHECK(stat(dir, &st) != 0 && errno == ENOENT);
    CHECK(PQping(conninfo) != PQPING_OK);
}

/* The processes whose command line names dir (the servers and pgbouncer of a cluster). */
static int processes_naming(const char *dir)
{
    int found = 0;
    DIR *proc = opendir("/proc");
    for (struct dirent *ent; proc && (ent = readdir(proc)) != NULL;) {
        if (ent->d_name[0] < '0' || ent->d_name[0] > '9')
            continue;
        char path[300], cmdline[4096];
        snprintf(path, sizeof path, "/proc/%s/cmdline", ent->d_name);
        FILE *f = fopen(path, "r");
        if (!f)
            continue;
        size_t n = fread(cmdline, 1, sizeof cmdline - 1, f);
        fclose(f);
        for (size_t i = 0; i < n; i++)
            if (cmdline[i] == '\0')
                cmdline[i] = ' ';
        cmdline[n] = '\0';
        found += strstr(cmdline, dir) != NULL;
    }
    if (proc)
        closedir(proc);
    return found;
}

/* pg-temp with a synchronous standby and pgbouncer: when writebench is SIGKILLed, the
 * watcher still stops the pooler and both servers and removes the directory; no process
 * of the cluster is left. */
static void test_pg_temp_survives_sigkill(void)
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
        wb_pg_topology topo = {WB_PG_STANDBY_SYNC, WB_PG_POOLER_TRANSACTION};
        wb_pg_temp *temp = NULL;
        char conninfo[4096], primary[4096], standby[4096];
        wb_error e = {{0}};
        if (wb_pg_temp_start(&temp, &topo, "writebench", conninfo, sizeof conninfo, &e) != 0) {
            fprintf(stderr, "pg-temp failed: %s\n", e.msg);
            _exit(1);
        }
        if (!wb_pg_temp_conninfo(temp, WB_PG_TEMP_PRIMARY, primary, sizeof primary) ||
            !wb_pg_temp_conninfo(temp, WB_PG_TEMP_STANDBY, standby, sizeof standby))
            _exit(1);
        /* three strings, NUL-separated: the pooler's, the primary's, the standby's */
        if (write(fds[1], conninfo, strlen(conninfo) + 1) < 0 || write(fds[1], primary, strlen(primary) + 1) < 0 ||
            write(fds[1], standby, strlen(standby) + 1) < 0)
            _exit(1);
        close(fds[1]);
        pause(); /* until killed */
        _exit(0);
    }
    close(fds[1]);
    char text[3 * 4096] = "";
    size_t len = 0;
    ssize_t got;
    while (len + 1 < sizeof text && (got = read(fds[0], text + len, sizeof text - 1 - len)) > 0)
        len += (size_t)got;
    close(fds[0]);
    text[len] = '\0';
    const char *parts[3] = {text, NULL, NULL};
    for (int i = 1; i < 3; i++)
        parts[i] = parts[i - 1][0] ? parts[i - 1] + strlen(parts[i - 1]) + 1 : "";
    char dir[4096] = "";
    sscanf(parts[0], "host='%4095[^']'", dir);
    CHECK(dir[0] != '\0');
    for (int i = 0; i < 3; i++) {
        CHECK(parts[i][0] != '\0');
        CHECK(PQping(parts[i]) == PQPING_OK);
    }
    /* what the topology is: the primary sees its synchronous standby, the pooler pools */
    PGconn *pg = PQconnectdb(parts[1]);
    PGresult *r = PQexec(pg, "SELECT sync_state FROM pg_stat_replication");
    CHECK_INT(PQresultStatus(r), PGRES_TUPLES_OK);
    CHECK(PQntuples(r) == 1 && strcmp(PQgetvalue(r, 0, 0), "sync") == 0);
    PQclear(r);
    PQfinish(pg);
    pg = PQconnectdb(parts[2]);
    r = PQexec(pg, "SELECT pg_catalog.pg_is_in_recovery()");
    CHECK(PQresultStatus(r) == PGRES_TUPLES_OK && strcmp(PQgetvalue(r, 0, 0), "t") == 0);
    PQclear(r);
    PQfinish(pg);
    CHECK(dir[0] && processes_naming(dir) >= 3);

    kill(pid, SIGKILL);
    waitpid(pid, NULL, 0);
    /* The watcher notices within a second, then the shutdowns and rm -r. */
    struct stat st;
    double deadline = wb_clock_s() + 30.0;
    while (dir[0] && (stat(dir, &st) == 0 || processes_naming(dir) > 0) && wb_clock_s() < deadline)
        wb_sleep_ns(100 * 1000000LL);
    CHECK(dir[0] && stat(dir, &st) != 0);
    CHECK_INT(processes_naming(dir), 0);
    for (int i = 0; i < 3; i++)
        CHECK(PQping(parts[i]) != PQPING_OK);
}

int main(void)
{
    const char *file = getenv("WB_PG_CONNINFO_FILE");
    if (!file || !*file)
        return CHECK_SKIP("WB_PG_CONNINFO_FILE is not set (CTest sets it; by hand: "
                          "tests/pg/cluster.sh start DIR, then WB_PG_CONNINFO_FILE=DIR/conninfo)");
    char conninfo[4096];
    if (read_conninfo(file, conninfo, sizeof conninfo) != 0) {
        fprintf(stderr, "cannot read the PostgreSQL fixture's conninfo from %s (did pg/start fail?)\n", file);
        CHECK(0);
        return check_finish();
    }
    wb_target t;
    if (make_target(conninfo, SCHEMA, &t) != 0) {
        CHECK(0);
        return check_finish();
    }
    CHECK_INT(t.kind, WB_BACKEND_POSTGRES);

    test_connect_and_caps(&t);
    test_claim(conninfo, &t);
    test_unmarked_refused(conninfo, &t);
    test_statements(&t);
    test_snapshot(&t);
    test_secrets();
    raw_exec(conninfo, "DROP SCHEMA IF EXISTS " SCHEMA " CASCADE");
    test_pg_temp();
    test_pg_temp_survives_sigkill();
    return check_finish();
}

/* Unit tests of the SQLite backend: connecting and creating files, the
 * writebench_meta marker and the refusal of files that are not writebench's,
 * PRAGMAs, queries, snapshots, and the busy handler and commit hook that count
 * lock waits and commits. Everything happens in a fresh temporary directory. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "backends/sqlite.h"
#include "check.h"
#include "util/clock.h"

static char dir[64];
static const wb_backend *be;

/* A file path inside the test directory. */
static const char *in_dir(const char *name)
{
    static char path[4][256];
    static int next;
    char *p = path[next++ % 4];
    snprintf(p, 256, "%s/%s", dir, name);
    return p;
}

static void target_for(const char *path, wb_target *t)
{
    wb_error e;
    if (wb_target_parse(path, true, t, &e) != 0) {
        fprintf(stderr, "cannot parse %s: %s\n", path, e.msg);
        exit(1);
    }
}

/* Connect to path with may_create; NULL (and e filled) on failure. */
static wb_conn *open_at(const char *path, bool may_create, wb_error *e)
{
    wb_target t;
    target_for(path, &t);
    t.may_create = may_create;
    wb_conn *c = NULL;
    memset(e, 0, sizeof *e);
    return be->connect(&t, &c, e) == 0 ? c : NULL;
}

/* A query callback that copies the first value of the first row. */
static int first_value(void *arg, int ncols, const char *const *names, const char *const *values)
{
    (void)names;
    char *out = arg;
    snprintf(out, 256, "%s", ncols > 0 && values[0] ? values[0] : "(null)");
    return 1;
}

static void query1(wb_conn *c, const char *sql, char out[256])
{
    wb_error e;
    strcpy(out, "(no row)");
    if (be->query(c, sql, first_value, out, &e) != 0)
        snprintf(out, 256, "error: %.200s", e.msg);
}

static void test_create_and_claim(void)
{
    const char *path = in_dir("new.db");
    wb_error e;
    CHECK(open_at(path, false, &e) == NULL);
    char expected[512];
    snprintf(expected, sizeof expected, "no database file at %s", path);
    CHECK_STR(e.msg, expected);
    CHECK(access(path, F_OK) != 0); /* nothing was created */

    wb_conn *c = open_at(path, true, &e);
    CHECK(c != NULL);
    if (!c)
        return;
    CHECK(wb_sqlite_db(c) != NULL);
    /* An empty file without create: not writebench's yet. */
    CHECK_INT(be->claim_namespace(c, false, &e), -1);
    snprintf(expected, sizeof expected, "%s holds no writebench tables", path);
    CHECK_STR(e.msg, expected);
    CHECK_INT(be->claim_namespace(c, true, &e), 0);
    char v[256];
    query1(c, "SELECT value FROM writebench_meta WHERE key = 'created_by'", v);
    CHECK_STR(v, "writebench");
    query1(c, "SELECT value FROM writebench_meta WHERE key = 'created_at'", v);
    CHECK(strlen(v) == 20 && v[4] == '-' && v[10] == 'T' && v[19] == 'Z');
    query1(c, "PRAGMA journal_mode", v);
    CHECK_STR(v, "wal");
    query1(c, "PRAGMA foreign_keys", v);
    CHECK_STR(v, "1");
    query1(c, "PRAGMA synchronous", v);
    CHECK_STR(v, "1");
    /* Claiming again, and from another connection without create, is fine. */
    CHECK_INT(be->claim_namespace(c, true, &e), 0);
    wb_conn *c2 = open_at(path, false, &e);
    CHECK(c2 != NULL);
    CHECK_INT(be->claim_namespace(c2, false, &e), 0);
    /* ... also once the workload's tables are there. */
    CHECK_INT(be->exec(c, "CREATE TABLE t(id INTEGER PRIMARY KEY)", &e), 0);
    CHECK_INT(be->claim_namespace(c2, true, &e), 0);
    be->disconnect(c2);
    be->disconnect(c);
    be->disconnect(NULL);
}

static void test_foreign_file(void)
{
    const char *path = in_dir("foreign.db");
    sqlite3 *db;
    CHECK_INT(sqlite3_open(path, &db), SQLITE_OK);
    CHECK_INT(sqlite3_exec(db, "CREATE TABLE mine(x TEXT); INSERT INTO mine VALUES ('keep me')",
                           NULL, NULL, NULL),
              SQLITE_OK);
    sqlite3_close(db);

    wb_error e;
    wb_conn *c = open_at(path, true, &e);
    CHECK(c != NULL);
    if (!c)
        return;
    char expected[512];
    snprintf(expected, sizeof expected,
             "%s was not created by writebench (it holds tables of its own); refusing to write to "
             "it — give --db a new file",
             path);
    CHECK_INT(be->claim_namespace(c, true, &e), -1);
    CHECK_STR(e.msg, expected);
    CHECK_INT(be->claim_namespace(c, false, &e), -1);
    CHECK_STR(e.msg, expected);
    be->disconnect(c);

    /* Untouched: its row, no marker, and still in its own journal mode. */
    CHECK_INT(sqlite3_open(path, &db), SQLITE_OK);
    sqlite3_stmt *st;
    CHECK_INT(sqlite3_prepare_v2(db,
                                 "SELECT (SELECT group_concat(x) FROM mine), (SELECT count(*) FROM "
                                 "sqlite_schema), (SELECT * FROM pragma_journal_mode)",
                                 -1, &st, NULL),
              SQLITE_OK);
    CHECK_INT(sqlite3_step(st), SQLITE_ROW);
    CHECK_STR((const char *)sqlite3_column_text(st, 0), "keep me");
    CHECK_INT(sqlite3_column_int(st, 1), 1);
    CHECK_STR((const char *)sqlite3_column_text(st, 2), "delete");
    sqlite3_finalize(st);
    sqlite3_close(db);
    CHECK(access(in_dir("foreign.db-wal"), F_OK) != 0);

    /* A writebench_meta that someone else made is not the mark either. */
    path = in_dir("fake-meta.db");
    CHECK_INT(sqlite3_open(path, &db), SQLITE_OK);
    CHECK_INT(sqlite3_exec(db,
                           "CREATE TABLE writebench_meta(key TEXT PRIMARY KEY, value TEXT); "
                           "INSERT INTO writebench_meta VALUES ('created_by', 'someone else')",
                           NULL, NULL, NULL),
              SQLITE_OK);
    sqlite3_close(db);
    c = open_at(path, true, &e);
    CHECK(c != NULL);
    CHECK_INT(be->claim_namespace(c, true, &e), -1);
    CHECK_CONTAINS(e.msg, "was not created by writebench");
    be->disconnect(c);
}

static void test_not_a_database(void)
{
    static const char *const contents[] = {
        "hello, this is a text file and certainly not a database\n",
        "a longer text file, longer than SQLite's 100-byte header: "
        "0123456789012345678901234567890123456789012345678901234567890123456789\n",
    };
    for (size_t i = 0; i < sizeof contents / sizeof contents[0]; i++) {
        char name[32];
        snprintf(name, sizeof name, "notes%zu.txt", i);
        const char *path = in_dir(name);
        FILE *f = fopen(path, "w");
        fputs(contents[i], f);
        fclose(f);
        wb_error e;
        CHECK(open_at(path, true, &e) == NULL);
        char expected[512];
        snprintf(expected, sizeof expected, "%s is not a SQLite database", path);
        CHECK_CONTAINS(e.msg, expected);
        /* Left as it was. */
        f = fopen(path, "r");
        char back[256] = "";
        CHECK(fgets(back, sizeof back, f) != NULL);
        fclose(f);
        CHECK_STR(back, contents[i]);
    }
    wb_error e;
    CHECK(open_at(dir, true, &e) == NULL);
    CHECK_CONTAINS(e.msg, "is a directory");
}

static void test_pragmas(void)
{
    const char *path = in_dir("pragmas.db");
    wb_target t;
    wb_error e;
    target_for(path, &t);
    CHECK_INT(wb_target_add_pragma(&t, "synchronous=FULL", &e), 0);
    CHECK_INT(wb_target_add_pragma(&t, "cache_size=-4000", &e), 0);
    CHECK_INT(wb_target_add_pragma(&t, "page_size=8192", &e), 0);
    wb_conn *c = NULL;
    CHECK_INT(be->connect(&t, &c, &e), 0);
    if (!c)
        return;
    wb_buf s = WB_BUF_INIT;
    be->describe_settings(c, &s);
    CHECK_CONTAINS(wb_buf_str(&s), "sqlite.journal_mode = wal\n");
    CHECK_CONTAINS(wb_buf_str(&s), "sqlite.synchronous = FULL\n");
    CHECK_CONTAINS(wb_buf_str(&s), "sqlite.foreign_keys = ON\n");
    CHECK_CONTAINS(wb_buf_str(&s), "sqlite.cache_size = -4000\n");
    /* page_size was applied before WAL fixed the header. */
    CHECK_CONTAINS(wb_buf_str(&s), "sqlite.page_size = 8192\n");
    CHECK_CONTAINS(wb_buf_str(&s), "sqlite.busy_timeout_ms = 600000\n");
    char version[64];
    snprintf(version, sizeof version, "sqlite.version = %s\n", sqlite3_libversion());
    CHECK_CONTAINS(wb_buf_str(&s), version);
    wb_buf_free(&s);
    be->disconnect(c);

    /* Defaults only: page_size and cache_size are still described. */
    target_for(in_dir("defaults.db"), &t);
    CHECK_INT(be->connect(&t, &c, &e), 0);
    be->describe_settings(c, &s);
    CHECK_CONTAINS(wb_buf_str(&s), "sqlite.synchronous = NORMAL\n");
    CHECK_CONTAINS(wb_buf_str(&s), "sqlite.page_size = ");
    CHECK_CONTAINS(wb_buf_str(&s), "sqlite.cache_size = ");
    wb_buf_free(&s);
    be->disconnect(c);

    /* A mistyped PRAGMA is an error, not silently ignored. */
    target_for(in_dir("typo.db"), &t);
    CHECK_INT(wb_target_add_pragma(&t, "synchronus=OFF", &e), 0);
    CHECK_INT(be->connect(&t, &c, &e), -1);
    CHECK_CONTAINS(e.msg, "unknown PRAGMA 'synchronus'");

    /* Another journal mode on request. */
    target_for(in_dir("rollback.db"), &t);
    CHECK_INT(wb_target_add_pragma(&t, "journal_mode=TRUNCATE", &e), 0);
    CHECK_INT(be->connect(&t, &c, &e), 0);
    char v[256];
    query1(c, "PRAGMA journal_mode", v);
    CHECK_STR(v, "truncate");
    be->disconnect(c);
}

/* Collects the rows of a query as "name=value,..." lines. */
static int collect(void *arg, int ncols, const char *const *names, const char *const *values)
{
    wb_buf *out = arg;
    for (int i = 0; i < ncols; i++)
        wb_buf_printf(out, "%s%s=%s", i ? "," : "", names[i], values[i] ? values[i] : "NULL");
    wb_buf_putc(out, '\n');
    return 0;
}

static int stop_after_one(void *arg, int ncols, const char *const *names, const char *const *values)
{
    collect(arg, ncols, names, values);
    return 1;
}

static void test_exec_query_names(void)
{
    wb_error e;
    wb_conn *c = open_at(in_dir("query.db"), true, &e);
    CHECK(c != NULL);
    if (!c)
        return;
    CHECK_INT(
        be->exec(c, "CREATE TABLE q(a INTEGER, b TEXT); INSERT INTO q VALUES (1, 'x'), (2, NULL)",
                 &e),
        0);
    wb_buf out = WB_BUF_INIT;
    CHECK_INT(be->query(c, "SELECT a, b AS bee FROM q ORDER BY a", collect, &out, &e), 0);
    CHECK_STR(wb_buf_str(&out), "a=1,bee=x\na=2,bee=NULL\n");
    wb_buf_reset(&out);
    CHECK_INT(be->query(c, "SELECT a FROM q ORDER BY a", stop_after_one, &out, &e), 0);
    CHECK_STR(wb_buf_str(&out), "a=1\n");
    CHECK_INT(be->query(c, "SELECT nope FROM q", collect, &out, &e), -1);
    CHECK_CONTAINS(e.msg, "no such column: nope");
    CHECK_INT(be->exec(c, "INSERT INTO missing VALUES (1)", &e), -1);
    CHECK_CONTAINS(e.msg, "no such table: missing");
    CHECK_CONTAINS(e.msg, "INSERT INTO missing");

    wb_buf_reset(&out);
    be->table_name(c, "user_account", &out);
    be->table_name(c, "we\"ird", &out);
    CHECK_STR(wb_buf_str(&out), "\"user_account\"\"we\"\"ird\"");
    wb_buf_free(&out);

    char version[32];
    CHECK_INT(be->server_version(c, version, sizeof version, &e), 0);
    CHECK_STR(version, sqlite3_libversion());
    CHECK_STR(be->name, "sqlite");
    CHECK_STR(be->dialect->chr_format, "char(%u)");
    CHECK_STR(be->dialect->distinct_op, "IS NOT");
    CHECK(wb_backend_get(WB_BACKEND_SQLITE) == &wb_sqlite_backend);
    const wb_backend *pg = wb_backend_get(WB_BACKEND_POSTGRES); /* built in from issue 3 on */
    CHECK(pg == NULL || strcmp(pg->name, "postgresql") == 0);
    CHECK(wb_backend_get(WB_BACKEND_COUNT) == NULL);
    be->disconnect(c);
}

static void test_snapshot(void)
{
    wb_error e;
    wb_conn *c = open_at(in_dir("snap.db"), true, &e);
    CHECK(c != NULL);
    if (!c)
        return;
    CHECK_INT(be->claim_namespace(c, true, &e), 0);
    wb_snapshot before, after;
    CHECK_INT(be->snapshot(c, &before, &e), 0);
    CHECK(before.db_bytes > 0);
    CHECK(before.wal_bytes >= 0);
    CHECK_INT(before.commits, -1);
    CHECK_INT(
        be->exec(c,
                 "CREATE TABLE big(id INTEGER PRIMARY KEY, v TEXT);"
                 "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 2000)"
                 " INSERT INTO big SELECT i, printf('%0200d', i) FROM n",
                 &e),
        0);
    CHECK_INT(be->snapshot(c, &after, &e), 0);
    /* wal_bytes counts what was written to the -wal file (2000 rows of 200+ bytes);
     * db_bytes counts the pages in use, wherever they are now (WAL or main file). */
    CHECK(after.wal_bytes - before.wal_bytes > 2000 * 200);
    CHECK(after.db_bytes - before.db_bytes > 2000 * 200);
    /* A checkpoint rewinds the -wal file but writes nothing more to it: the count
     * stays, and the pages in use are the same. */
    wb_snapshot checkpointed;
    CHECK_INT(be->exec(c, "PRAGMA wal_checkpoint(TRUNCATE)", &e), 0);
    CHECK_INT(be->snapshot(c, &checkpointed, &e), 0);
    CHECK_INT(checkpointed.wal_bytes, after.wal_bytes);
    CHECK_INT(checkpointed.db_bytes, after.db_bytes);
    /* Dropping the table frees its pages: in use shrinks though the file does not. */
    CHECK_INT(be->exec(c, "DROP TABLE big", &e), 0);
    CHECK_INT(be->snapshot(c, &after, &e), 0);
    CHECK(after.db_bytes < checkpointed.db_bytes - 2000 * 200);
    be->disconnect(c);
}

static void test_commit_hook(void)
{
    wb_error e;
    wb_conn *c = open_at(in_dir("commits.db"), true, &e);
    CHECK(c != NULL);
    if (!c)
        return;
    wb_counters k;
    memset(&k, 0, sizeof k);
    CHECK_INT(be->exec(c, "CREATE TABLE x(v)", &e), 0); /* not attached yet: not counted */
    be->attach_counters(c, &k);
    CHECK_INT(be->exec(c, "INSERT INTO x VALUES (1); INSERT INTO x VALUES (2)", &e), 0);
    CHECK_INT(
        be->exec(c, "BEGIN IMMEDIATE; INSERT INTO x VALUES (3); INSERT INTO x VALUES (4); COMMIT",
                 &e),
        0);
    CHECK_INT(be->exec(c, "BEGIN IMMEDIATE; INSERT INTO x VALUES (5); ROLLBACK", &e), 0);
    char v[256];
    query1(c, "SELECT count(*) FROM x", v); /* reads commit nothing */
    CHECK_STR(v, "4");
    CHECK_INT(atomic_load(&k.commits), 3);
    CHECK_INT(atomic_load(&k.lock_waits), 0);
    be->attach_counters(c, NULL);
    CHECK_INT(be->exec(c, "INSERT INTO x VALUES (6)", &e), 0);
    CHECK_INT(atomic_load(&k.commits), 3);
    be->disconnect(c);
}

typedef struct waiter {
    wb_conn *c;
    int begin_rc, commit_rc;
    int64_t waited_ns;
    wb_error e;
} waiter;

static void *wait_for_lock(void *p)
{
    waiter *w = p;
    int64_t start = wb_clock_ns();
    w->begin_rc = be->exec(w->c, "BEGIN IMMEDIATE", &w->e);
    w->waited_ns = wb_clock_ns() - start;
    if (w->begin_rc == 0) {
        be->exec(w->c, "INSERT INTO x VALUES ('second')", &w->e);
        w->commit_rc = be->exec(w->c, "COMMIT", &w->e);
    }
    return NULL;
}

/* Whether the busy handler has counted a lock wait, polled for at most 10 s (a
 * bound that only a handler that never runs reaches). */
static int lock_wait_seen(wb_counters *k)
{
    int64_t deadline_ns = wb_clock_ns() + 10 * 1000000000LL;
    while (atomic_load(&k->lock_waits) == 0) {
        if (wb_clock_ns() > deadline_ns)
            return 0;
        wb_sleep_ns(1000000LL);
    }
    return 1;
}

static void test_busy_handler(void)
{
    const char *path = in_dir("busy.db");
    wb_error e;
    wb_conn *holder = open_at(path, true, &e);
    /* A bounded wait, so that a broken handler fails the test instead of hanging it. */
    wb_target bounded;
    target_for(path, &bounded);
    bounded.busy_timeout_ms = 10000;
    wb_conn *other = NULL;
    CHECK_INT(be->connect(&bounded, &other, &e), 0);
    CHECK(holder && other);
    if (!holder || !other)
        return;
    CHECK_INT(be->claim_namespace(holder, true, &e), 0);
    CHECK_INT(be->exec(holder, "CREATE TABLE x(v TEXT)", &e), 0);
    wb_counters k;
    memset(&k, 0, sizeof k);
    be->attach_counters(other, &k);

    CHECK_INT(be->exec(holder, "BEGIN IMMEDIATE; INSERT INTO x VALUES ('first')", &e), 0);
    waiter w = {other, -2, -2, 0, {{0}}};
    pthread_t tid;
    pthread_create(&tid, NULL, wait_for_lock, &w);
    /* The handshake: the lock is released only once the waiter is seen waiting (its
     * busy handler counted the wait), however long the thread takes to get there. */
    CHECK(lock_wait_seen(&k));
    CHECK_INT(be->exec(holder, "COMMIT", &e), 0);
    pthread_join(tid, NULL);
    CHECK_INT(w.begin_rc, 0);
    CHECK_INT(w.commit_rc, 0);
    CHECK(atomic_load(&k.lock_waits) > 0);
    CHECK(atomic_load(&k.lock_wait_ns) > 0);
    /* The time counted is time the waiter really spent in BEGIN IMMEDIATE. */
    CHECK(atomic_load(&k.lock_wait_ns) <= w.waited_ns);
    CHECK_INT(atomic_load(&k.commits), 1);
    char v[256];
    query1(holder, "SELECT group_concat(v) FROM (SELECT v FROM x ORDER BY rowid)", v);
    CHECK_STR(v, "first,second");
    be->disconnect(other);

    /* With a short busy timeout, the waiter gives up and the statement fails. */
    wb_target t;
    target_for(path, &t);
    t.busy_timeout_ms = 30;
    CHECK_INT(be->connect(&t, &other, &e), 0);
    memset(&k, 0, sizeof k);
    be->attach_counters(other, &k);
    CHECK_INT(be->exec(holder, "BEGIN IMMEDIATE", &e), 0);
    w = (waiter){other, -2, -2, 0, {{0}}};
    wait_for_lock(&w);
    CHECK_INT(w.begin_rc, -1);
    CHECK_CONTAINS(w.e.msg, "database is locked");
    /* The handler gives up only once its limit has passed on the clock the test reads
     * too, so this bound holds on any machine; no upper bound: a loaded machine may
     * take as long as it likes to give up, and a handler that never gave up would
     * end the test by its timeout. */
    CHECK(w.waited_ns >= 30 * 1000000LL);
    CHECK_INT(atomic_load(&k.lock_waits), 1);
    CHECK(atomic_load(&k.lock_wait_ns) > 0 && atomic_load(&k.lock_wait_ns) <= w.waited_ns);
    CHECK_INT(atomic_load(&k.commits), 0);
    CHECK_INT(be->exec(holder, "ROLLBACK", &e), 0);
    be->disconnect(other);

    /* --pragma busy_timeout=N sets the counting handler's limit rather than replacing it. */
    target_for(path, &t);
    CHECK_INT(wb_target_add_pragma(&t, "busy_timeout=30", &e), 0);
    CHECK_INT(be->connect(&t, &other, &e), 0);
    memset(&k, 0, sizeof k);
    be->attach_counters(other, &k);
    wb_buf s = WB_BUF_INIT;
    be->describe_settings(other, &s);
    CHECK_CONTAINS(wb_buf_str(&s), "sqlite.busy_timeout_ms = 30\n");
    wb_buf_free(&s);
    CHECK_INT(be->exec(holder, "BEGIN IMMEDIATE", &e), 0);
    w = (waiter){other, -2, -2, 0, {{0}}};
    wait_for_lock(&w);
    CHECK_INT(w.begin_rc, -1);
    CHECK(w.waited_ns >= 30 * 1000000LL); /* the PRAGMA's 30 ms, not the target's 10 minutes */
    CHECK_INT(atomic_load(&k.lock_waits), 1);
    CHECK_INT(be->exec(holder, "ROLLBACK", &e), 0);
    be->disconnect(other);
    target_for(path, &t);
    CHECK_INT(wb_target_add_pragma(&t, "busy_timeout=soon", &e), 0);
    CHECK_INT(be->connect(&t, &other, &e), -1);
    CHECK_CONTAINS(e.msg, "busy_timeout=soon: expected milliseconds");
    be->disconnect(holder);
}

/* An in-memory database is fine outside runs (nothing to measure on disk). */
static void test_memory(void)
{
    wb_target t;
    wb_error e;
    CHECK_INT(wb_target_parse("sqlite::memory:", false, &t, &e), 0);
    wb_conn *c = NULL;
    CHECK_INT(be->connect(&t, &c, &e), 0);
    if (!c)
        return;
    CHECK_INT(be->claim_namespace(c, true, &e), 0);
    wb_snapshot snap;
    CHECK_INT(be->snapshot(c, &snap, &e), 0);
    /* An in-memory database has pages in use but no WAL file to write to. */
    CHECK(snap.db_bytes > 0);
    wb_snapshot later;
    CHECK_INT(be->exec(c, "CREATE TABLE m(x); INSERT INTO m VALUES (1)", &e), 0);
    CHECK_INT(be->snapshot(c, &later, &e), 0);
    CHECK_INT(later.wal_bytes, snap.wal_bytes);
    be->disconnect(c);
}

int main(void)
{
    snprintf(dir, sizeof dir, "%s", "/tmp/wb-test-sqlite-XXXXXX");
    if (!mkdtemp(dir))
        return CHECK_SKIP("cannot create a temporary directory");
    be = wb_backend_get(WB_BACKEND_SQLITE);
    test_create_and_claim();
    test_foreign_file();
    test_not_a_database();
    test_pragmas();
    test_exec_query_names();
    test_snapshot();
    test_commit_hook();
    test_busy_handler();
    test_memory();
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", dir);
    return check_finish();
}

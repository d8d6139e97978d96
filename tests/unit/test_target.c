/* Unit tests of --db parsing (every URL form, errors, password redaction, the
 * in-memory refusal) and of --pragma validation and override. */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "backends/backend.h"
#include "check.h"

/* Parse url and return 0/-1; the target and error are left in t and e. */
static int parse(const char *url, bool for_run, wb_target *t, wb_error *e)
{
    memset(e, 0, sizeof *e);
    return wb_target_parse(url, for_run, t, e);
}

static void test_sqlite_forms(void)
{
    static const struct {
        const char *url, *path, *shown;
    } cases[] = {
        {"sqlite:///abs/dir/file.db", "/abs/dir/file.db", "sqlite:///abs/dir/file.db"},
        {"sqlite://rel/file.db", "rel/file.db", "sqlite:rel/file.db"},
        {"sqlite:file.db", "file.db", "sqlite:file.db"},
        {"plain.db", "plain.db", "sqlite:plain.db"},
        {"/var/tmp/x y.db", "/var/tmp/x y.db", "sqlite:///var/tmp/x y.db"},
        {"./data/bench.sqlite", "./data/bench.sqlite", "sqlite:./data/bench.sqlite"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        wb_target t;
        wb_error e;
        CHECK_INT(parse(cases[i].url, true, &t, &e), 0);
        CHECK_INT(t.kind, WB_BACKEND_SQLITE);
        CHECK_STR(t.path, cases[i].path);
        CHECK_STR(t.url_redacted, cases[i].shown);
        CHECK(!t.path_is_default);
        CHECK(t.may_create);
        CHECK_INT(t.busy_timeout_ms, 600000);
        CHECK_INT(t.npragmas, 0);
    }
}

static void test_default(void)
{
    char tmp[] = "/tmp/wb-test-target-XXXXXX";
    CHECK(mkdtemp(tmp) != NULL);
    const char *old = getenv("TMPDIR");
    char *saved = old ? strdup(old) : NULL;
    setenv("TMPDIR", tmp, 1);

    wb_target a, b;
    wb_error e;
    CHECK_INT(parse(NULL, true, &a, &e), 0);
    CHECK_INT(parse(NULL, true, &b, &e), 0);
    CHECK_INT(a.kind, WB_BACKEND_SQLITE);
    CHECK(a.path_is_default);
    CHECK(a.may_create);
    CHECK(strncmp(a.path, tmp, strlen(tmp)) == 0);
    CHECK_CONTAINS(a.path, "/writebench.db");
    CHECK(strcmp(a.path, b.path) != 0); /* a fresh directory each time */
    CHECK_CONTAINS(a.url_redacted, a.path);

    /* The directory exists, the file does not yet. */
    char dir[4096];
    snprintf(dir, sizeof dir, "%s", a.path);
    *strrchr(dir, '/') = '\0';
    struct stat st;
    CHECK(stat(dir, &st) == 0 && S_ISDIR(st.st_mode));
    CHECK(stat(a.path, &st) != 0);
    rmdir(dir);
    snprintf(dir, sizeof dir, "%s", b.path);
    *strrchr(dir, '/') = '\0';
    rmdir(dir);
    rmdir(tmp);

    if (saved) {
        setenv("TMPDIR", saved, 1);
        free(saved);
    } else {
        unsetenv("TMPDIR");
    }
}

static void test_memory(void)
{
    static const char *const forms[] = {"sqlite::memory:", ":memory:", "sqlite://:memory:"};
    for (size_t i = 0; i < sizeof forms / sizeof forms[0]; i++) {
        wb_target t;
        wb_error e;
        CHECK_INT(parse(forms[i], true, &t, &e), -1);
        CHECK_CONTAINS(e.msg, "each strategy runs in its own process; give a file");
        CHECK_INT(parse(forms[i], false, &t, &e), 0);
        CHECK_STR(t.path, ":memory:");
    }
}

static void test_postgres_forms(void)
{
    static const struct {
        const char *url, *shown;
    } cases[] = {
        {"postgresql://localhost/bench", "postgresql://localhost/bench"},
        {"postgres://u@db.example:5433/bench?sslmode=require",
         "postgres://u@db.example:5433/bench?sslmode=require"},
        {"host=localhost dbname=bench", "host=localhost dbname=bench"},
        {"host = localhost  port=5432 application_name='write bench'",
         "host=localhost port=5432 application_name='write bench'"},
        {"dbname=bench", "dbname=bench"},
        /* libpq's several hosts, the first writable one chosen */
        {"host=standby.example,primary.example port=5432,5433 target_session_attrs=read-write dbname=bench",
         "host=standby.example,primary.example port=5432,5433 target_session_attrs=read-write dbname=bench"},
        {"host=a,b password=secret target_session_attrs=read-write",
         "host=a,b target_session_attrs=read-write"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        wb_target t;
        wb_error e;
        CHECK_INT(parse(cases[i].url, true, &t, &e), 0);
        CHECK_INT(t.kind, WB_BACKEND_POSTGRES);
        CHECK_STR(t.conninfo, cases[i].url);
        CHECK_STR(t.url_redacted, cases[i].shown);
        CHECK_STR(t.schema, "writebench");
        CHECK_STR(t.path, "");
    }
}

/* pg-temp: and its topologies; a bad option is one line naming it and the forms. */
static void test_pg_temp_forms(void)
{
    static const struct {
        const char *url, *options;
    } good[] = {
        {"pg-temp:", ""},
        {"pg-temp:?standby=sync", "standby=sync"},
        {"pg-temp:?standby=async", "standby=async"},
        {"pg-temp:?pooler=transaction", "pooler=transaction"},
        {"pg-temp:?pooler=session&standby=sync", "pooler=session&standby=sync"},
    };
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
        wb_target t;
        wb_error e;
        CHECK_INT(parse(good[i].url, true, &t, &e), 0);
        CHECK_INT(t.kind, WB_BACKEND_POSTGRES);
        CHECK(t.temp_server);
        CHECK_STR(t.temp_server_options, good[i].options);
        CHECK_STR(t.url_redacted, good[i].url);
        CHECK_STR(t.conninfo, ""); /* filled when the cluster starts */
    }
    static const struct {
        const char *url, *message;
    } bad[] = {
        {"pg-temp:?standby=yes", "pg-temp: standby=yes: expected standby=sync or standby=async"},
        {"pg-temp:?pooler=statement", "pg-temp: pooler=statement: expected pooler=session or pooler=transaction"},
        {"pg-temp:?replicas=2", "pg-temp: unknown option 'replicas=2'"},
        {"pg-temp:?standby", "pg-temp: unknown option 'standby'"},
        {"pg-temp:?standby=sync&standby=async", "pg-temp: standby is given twice"},
        {"pg-temp:?standby=sync&", "pg-temp: an empty option after '&'"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        wb_target t;
        wb_error e;
        CHECK_INT(parse(bad[i].url, true, &t, &e), -1);
        CHECK_CONTAINS(e.msg, bad[i].message);
    }
    /* "pg-temp:" followed by anything but "?" stays what it was: a file name */
    wb_target t;
    wb_error e;
    CHECK_INT(parse("pg-temp:x.db", true, &t, &e), 0);
    CHECK_INT(t.kind, WB_BACKEND_SQLITE);
}

static void test_errors(void)
{
    static const char *const bad[] = {
        "oracle://x", "", "http://example.com/x.db", "not a=conninfo", "a=b.db",
        "host='unterminated", "host=x bareword",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        wb_target t;
        wb_error e;
        CHECK_INT(parse(bad[i], true, &t, &e), -1);
        CHECK_CONTAINS(e.msg, "unrecognised --db '");
        CHECK_CONTAINS(e.msg, "expected sqlite:///path/file.db, a file path, postgresql://... or "
                              "a libpq conninfo string, mariadb://user[:password]@host[:port]/database");
    }
    wb_target t;
    wb_error e;
    CHECK_INT(parse("oracle://x", true, &t, &e), -1);
    CHECK_STR(e.msg, "unrecognised --db 'oracle://x': expected sqlite:///path/file.db, a file "
                     "path, postgresql://... or a libpq conninfo string, mariadb://user[:password]@host[:port]/database "
                     "(or mysql://, ?socket=PATH), mariadb-temp:");
    CHECK_INT(parse("sqlite:", true, &t, &e), -1);
    CHECK_CONTAINS(e.msg, "names no file");
    CHECK_INT(parse("sqlite://", true, &t, &e), -1);
    CHECK_CONTAINS(e.msg, "names no file");
}

/* Every form a password can take: it must never survive into url_redacted or an error. */
static void test_redaction(void)
{
    static const struct {
        const char *url, *shown; /* shown NULL: the value is an error */
    } cases[] = {
        {"postgresql://alice:s3cretPW@db.example:5432/bench",
         "postgresql://alice@db.example:5432/bench"},
        {"postgres://alice:s3cretPW@db.example/bench?sslmode=require",
         "postgres://alice@db.example/bench?sslmode=require"},
        {"postgresql://alice@db.example/bench?password=s3cretPW",
         "postgresql://alice@db.example/bench"},
        {"postgresql://db.example/bench?sslmode=require&password=s3cretPW&application_name=wb",
         "postgresql://db.example/bench?sslmode=require&application_name=wb"},
        {"postgresql://db.example/bench?PASSWORD=s3cretPW", "postgresql://db.example/bench"},
        {"postgresql://db.example/bench?pass%77ord=s3cretPW", "postgresql://db.example/bench"},
        {"postgresql://db.example/bench?sslpassword=s3cretPW", "postgresql://db.example/bench"},
        /* A mistyped password with '@', '/' or '?' in it, unencoded. */
        {"postgresql://alice:s3c@ret/PW@db.example/bench", "postgresql://alice@db.example/bench"},
        {"postgresql://alice:s3c?retPW@db.example/bench", "postgresql://alice@db.example/bench"},
        {"postgresql://:s3cretPW@db.example/bench", "postgresql://@db.example/bench"},
        {"host=db.example password=s3cretPW dbname=bench", "host=db.example dbname=bench"},
        {"host=db.example password = 's3cret PW' dbname=bench", "host=db.example dbname=bench"},
        {"password='s3cr\\'etPW' host=db.example", "host=db.example"},
        {"host=db.example sslpassword=s3cretPW", "host=db.example"},
        /* Errors must be redacted too. */
        {"oracle://alice:s3cretPW@db.example/bench", NULL},
        {"host=db.example password=s3cretPW garbage", NULL},
        {"password='s3cretPW", NULL},
        {"oracle://db.example/bench?password=s3cretPW", NULL},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        wb_target t;
        wb_error e;
        int rc = parse(cases[i].url, true, &t, &e);
        if (cases[i].shown) {
            CHECK_INT(rc, 0);
            CHECK_STR(t.url_redacted, cases[i].shown);
            CHECK(strstr(t.url_redacted, "s3c") == NULL);
            CHECK(strstr(t.url_redacted, "PW") == NULL);
        } else {
            CHECK_INT(rc, -1);
            CHECK_CONTAINS(e.msg, "unrecognised --db");
            CHECK(strstr(e.msg, "s3c") == NULL);
            CHECK(strstr(e.msg, "PW") == NULL);
        }
    }
}

static void test_pragmas(void)
{
    wb_target t;
    wb_error e;
    CHECK_INT(parse("sqlite:x.db", true, &t, &e), 0);
    CHECK_INT(wb_target_add_pragma(&t, "synchronous=FULL", &e), 0);
    CHECK_INT(wb_target_add_pragma(&t, "cache_size=-64000", &e), 0);
    CHECK_INT(wb_target_add_pragma(&t, "mmap_size=268435456", &e), 0);
    CHECK_INT(wb_target_add_pragma(&t, "_x1=a.b_c-d", &e), 0);
    CHECK_INT(t.npragmas, 4);
    CHECK_STR(t.pragmas[0], "synchronous=FULL");
    /* The same name again (any case) replaces the earlier value in place. */
    CHECK_INT(wb_target_add_pragma(&t, "SYNCHRONOUS=OFF", &e), 0);
    CHECK_INT(t.npragmas, 4);
    CHECK_STR(t.pragmas[0], "SYNCHRONOUS=OFF");
    CHECK_STR(t.pragmas[1], "cache_size=-64000");

    static const struct {
        const char *assignment, *message;
    } bad[] = {
        {"synchronous", "expected name=value"},
        {"=FULL", "the name must be"},
        {"1abc=2", "the name must be"},
        {"syn chronous=FULL", "the name must be"},
        {"synchronous=", "the value must be"},
        {"synchronous='FULL'", "the value must be"},
        {"synchronous=FULL;DROP TABLE x", "the value must be"},
        {"synchronous=FULL OFF", "the value must be"},
        {"journal_mode=\"WAL\"", "the value must be"},
        {"wal_checkpoint=TRUNCATE", "runs an action"},
        {"Optimize=1", "runs an action"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        memset(&e, 0, sizeof e);
        CHECK_INT(wb_target_add_pragma(&t, bad[i].assignment, &e), -1);
        CHECK_CONTAINS(e.msg, bad[i].message);
    }
    CHECK_INT(t.npragmas, 4);

    /* At most WB_MAX_PRAGMAS distinct names; replacing still works when full. */
    for (int i = t.npragmas; i < WB_MAX_PRAGMAS; i++) {
        char a[32];
        snprintf(a, sizeof a, "p%d=1", i);
        CHECK_INT(wb_target_add_pragma(&t, a, &e), 0);
    }
    CHECK_INT(t.npragmas, WB_MAX_PRAGMAS);
    CHECK_INT(wb_target_add_pragma(&t, "one_too_many=1", &e), -1);
    CHECK_CONTAINS(e.msg, "too many --pragma");
    CHECK_INT(wb_target_add_pragma(&t, "cache_size=-2000", &e), 0);
    CHECK_STR(t.pragmas[1], "cache_size=-2000");

    /* PRAGMAs are SQLite settings (and MariaDB's session variables); PostgreSQL takes none. */
    CHECK_INT(parse("host=localhost", true, &t, &e), 0);
    CHECK_INT(wb_target_add_pragma(&t, "synchronous=OFF", &e), -1);
    CHECK_CONTAINS(e.msg, "--pragma applies to SQLite and MariaDB databases only");
}

int main(void)
{
    test_sqlite_forms();
    test_default();
    test_memory();
    test_postgres_forms();
    test_pg_temp_forms();
    test_errors();
    test_redaction();
    test_pragmas();
    return check_finish();
}

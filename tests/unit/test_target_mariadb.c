/* Unit test of the MariaDB backend's --db forms, without a server
 * (backends/mariadb_target.c): mariadb:// and mysql:// URLs and their parts, a
 * socket as a parameter or as the host, option files, the database as
 * writebench's namespace (and its default), mariadb-temp:, every malformed URL
 * refused in one line that never shows the password, the printable form and the
 * masked argv without the password, --pragma session variables, and the
 * environment an external program gets (the password only there). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"

#include "backends/backend.h"
#include "backends/mariadb_internal.h"

#define SECRET "s3cr3tPW"

static void test_forms(void)
{
    static const struct {
        const char *url, *shown, *database, *host, *socket, *user;
        unsigned port;
    } cases[] = {
        {"mariadb://alice:" SECRET "@db.example:3307/bench", "mariadb://alice@db.example:3307/bench", "bench",
         "db.example", "", "alice", 3307},
        {"mysql://bob@db.example/bench", "mysql://bob@db.example/bench", "bench", "db.example", "", "bob", 0},
        {"mariadb://root@localhost?socket=%2Ftmp%2Fx%2Fsock", "mariadb://root@localhost?socket=%2Ftmp%2Fx%2Fsock",
         "writebench", "localhost", "/tmp/x/sock", "root", 0},
        {"mariadb://root@%2Frun%2Fmysqld%2Fmysqld.sock/wb2", "mariadb://root@%2Frun%2Fmysqld%2Fmysqld.sock/wb2",
         "wb2", "", "/run/mysqld/mysqld.sock", "root", 0},
        {"mariadb://[::1]:3306/x", "mariadb://[::1]:3306/x", "x", "::1", "", "", 3306},
        {"mariadb:///bench?option_file=%2Fhome%2Fa%2F.my.cnf&option_group=bench",
         "mariadb:///bench?option_file=%2Fhome%2Fa%2F.my.cnf&option_group=bench", "bench", "", "", "", 0},
        {"mariadb://u@h/d?password=" SECRET "&connect_timeout=5", "mariadb://u@h/d?connect_timeout=5", "d", "h", "",
         "u", 0},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        wb_target t;
        wb_error e = {{0}};
        CHECK_INT(wb_target_parse(cases[i].url, true, &t, &e), 0);
        if (e.msg[0])
            printf("%s: %s\n", cases[i].url, e.msg);
        CHECK_INT(t.kind, WB_BACKEND_MARIADB);
        CHECK_STR(t.url_redacted, cases[i].shown);
        CHECK_STR(t.schema, cases[i].database);
        CHECK_STR(t.conninfo, cases[i].url);
        CHECK(!t.temp_server);
        wb_mariadb_url u;
        CHECK_INT(wb_mariadb_parse_url(t.conninfo, &u, &e), 0);
        CHECK_STR(u.host, cases[i].host);
        CHECK_STR(u.socket, cases[i].socket);
        CHECK_STR(u.user, cases[i].user);
        CHECK_INT(u.port, cases[i].port);
    }
    wb_mariadb_url u;
    wb_error e = {{0}};
    CHECK_INT(wb_mariadb_parse_url("mariadb://a:" SECRET "@h/d", &u, &e), 0);
    CHECK_STR(u.password, SECRET);
    CHECK_INT(wb_mariadb_parse_url("mariadb://a:p%40ss@h/d?option_file=%2Fx.cnf", &u, &e), 0);
    CHECK_STR(u.password, "p@ss");
    CHECK_STR(u.option_file, "/x.cnf");
    CHECK_INT(wb_mariadb_parse_url("mariadb://h/d?connect_timeout=9", &u, &e), 0);
    CHECK_INT(u.connect_timeout_s, 9);

    wb_target t;
    CHECK_INT(wb_target_parse("mariadb-temp:", true, &t, &e), 0);
    CHECK_INT(t.kind, WB_BACKEND_MARIADB);
    CHECK(t.temp_server);
    CHECK_STR(t.url_redacted, "mariadb-temp:");
    CHECK_STR(t.schema, "writebench");
    CHECK_STR(t.conninfo, "");
    /* "mysql:x" without // was a file name before URLs were recognised, and still is */
    CHECK_INT(wb_target_parse("mysql:x.db", true, &t, &e), 0);
    CHECK_INT(t.kind, WB_BACKEND_SQLITE);
}

static void test_errors(void)
{
    static const struct {
        const char *url, *says;
    } cases[] = {
        {"mariadb://u:" SECRET "@h/d?bogus=1", "unknown parameter 'bogus'"},
        {"mariadb://u:" SECRET "@h/d?socket", "parameter 'socket' has no value"},
        {"mariadb://u:" SECRET "@h:99999/d", "the port must be a number from 1 to 65535"},
        {"mariadb://u:" SECRET "@h:x/d", "the port must be a number"},
        {"mariadb://u:" SECRET "@h/bad-name", "the database name must be 1 to 63 letters"},
        {"mariadb://u:" SECRET "@h/a%2Fb", "the database name must be 1 to 63 letters"},
        {"mariadb://u:" SECRET "@h/d?connect_timeout=0", "connect_timeout must be 1 to 3600 seconds"},
        {"mariadb://u:" SECRET "@[::1/d", "closing ']'"},
        {"mariadb://u:" SECRET "@h/d%ZZ", "malformed"},
        {"mariadb://u:s%00x@h/d", "the password is malformed"},
        {"mariadb://u@h/d?password=" SECRET "&x=1", "unknown parameter 'x'"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        wb_target t;
        wb_error e = {{0}};
        CHECK_INT(wb_target_parse(cases[i].url, true, &t, &e), -1);
        CHECK_CONTAINS(e.msg, cases[i].says);
        CHECK_CONTAINS(e.msg, "--db 'mariadb://u");
        CHECK(strstr(e.msg, SECRET) == NULL);
        CHECK(strchr(e.msg, '\n') == NULL);
    }
    /* a database name longer than 63 bytes */
    char url[200];
    snprintf(url, sizeof url, "mariadb://h/%064d", 0);
    wb_target t;
    wb_error e = {{0}};
    CHECK_INT(wb_target_parse(url, true, &t, &e), -1);
    CHECK_CONTAINS(e.msg, "1 to 63 letters");
}

/* Mask a copy of in as the option parser does with argv, and compare. */
static void check_mask(const char *in, const char *want)
{
    char buf[512];
    snprintf(buf, sizeof buf, "%s", in);
    wb_target_mask_secrets(buf);
    CHECK_STR(buf, want);
    CHECK_INT(strlen(buf), strlen(in));
}

static void test_mask(void)
{
    check_mask("mariadb://me:secret@host/db", "mariadb://me:xxxxxx@host/db");
    check_mask("mysql://me:p@ss/w@host:3306/db", "mysql://me:xxxxxx@host:3306/db");
    check_mask("mariadb://me@host/db?password=secret&socket=%2Fs", "mariadb://me@host/db?password=xxxxxx&socket=%2Fs");
    check_mask("mariadb://me@host/db", "mariadb://me@host/db");
    check_mask("mariadb-temp:", "mariadb-temp:");
}

static void test_pragmas(void)
{
    wb_target t;
    wb_error e = {{0}};
    CHECK_INT(wb_target_parse("mariadb://h/d", true, &t, &e), 0);
    CHECK_INT(wb_target_add_pragma(&t, "sql_mode=NO_BACKSLASH_ESCAPES", &e), 0);
    CHECK_INT(wb_target_add_pragma(&t, "innodb_lock_wait_timeout=50", &e), 0);
    CHECK_INT(t.npragmas, 2);
    CHECK_STR(t.pragmas[0], "sql_mode=NO_BACKSLASH_ESCAPES");
    static const struct {
        const char *assignment, *says;
    } bad[] = {
        {"sql_mode", "write a session variable as name=value"},
        {"=x", "write a session variable as name=value"},
        {"sql mode=x", "name must be letters, digits and '_'"},
        {"sql_mode='x'", "value must be letters"},
        {"sql_mode=x;DROP", "value must be letters"},
        {"sql_mode=a\\b", "value must be letters"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        CHECK_INT(wb_target_add_pragma(&t, bad[i].assignment, &e), -1);
        CHECK_CONTAINS(e.msg, bad[i].says);
    }
}

/* The environment an external program gets, collected into a small table. */
typedef struct env_table {
    int n;
    char names[32][64];
    char values[32][512];
} env_table;

static void env_set(void *arg, const char *name, const char *value)
{
    env_table *t = arg;
    for (int i = 0; i < t->n; i++)
        if (strcmp(t->names[i], name) == 0) {
            snprintf(t->values[i], sizeof t->values[i], "%s", value);
            return;
        }
    if (t->n < 32) {
        snprintf(t->names[t->n], sizeof t->names[0], "%s", name);
        snprintf(t->values[t->n++], sizeof t->values[0], "%s", value);
    }
}

static const char *env_get(void *arg, const char *name)
{
    env_table *t = arg;
    for (int i = 0; i < t->n; i++)
        if (strcmp(t->names[i], name) == 0)
            return t->values[i];
    return NULL;
}

static void test_external_env(void)
{
    wb_target t;
    wb_error e = {{0}};
    CHECK_INT(wb_target_parse("mariadb://al%40ice:p%26w@127.0.0.1:3307/bench?socket=%2Ftmp%2Fs", true, &t, &e), 0);
    env_table env = {0};
    const wb_env ops = {env_set, env_get, &env};
    const wb_backend *b = wb_backend_v2(wb_backend_get(WB_BACKEND_MARIADB));
    CHECK(b && b->external_env);
    if (!b || !b->external_env)
        return;
    b->external_env(&t, "writebench-external-1", &ops);
    CHECK_STR(env_get(&env, "WRITEBENCH_DATABASE_URL"), "mariadb://al%40ice:p%26w@127.0.0.1:3307/bench?socket=%2Ftmp%2Fs");
    CHECK_STR(env_get(&env, "WRITEBENCH_SCHEMA"), "bench");
    CHECK_STR(env_get(&env, "WRITEBENCH_MARIADB_DATABASE"), "bench");
    CHECK_STR(env_get(&env, "WRITEBENCH_MARIADB_USER"), "al@ice");
    CHECK_STR(env_get(&env, "WRITEBENCH_MARIADB_PASSWORD"), "p&w");
    CHECK_STR(env_get(&env, "WRITEBENCH_MARIADB_HOST"), "127.0.0.1");
    CHECK_STR(env_get(&env, "WRITEBENCH_MARIADB_PORT"), "3307");
    CHECK_STR(env_get(&env, "WRITEBENCH_MARIADB_SOCKET"), "/tmp/s");
    CHECK_STR(env_get(&env, "MYSQL_PWD"), "p&w");
    CHECK_STR(env_get(&env, "MYSQL_UNIX_PORT"), "/tmp/s");
    /* the printable form still hides it */
    CHECK(strstr(t.url_redacted, "p%26w") == NULL);
}

int main(void)
{
    test_forms();
    test_errors();
    test_mask();
    test_pragmas();
    test_external_env();
    return check_finish();
}

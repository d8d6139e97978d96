/* Unit tests of workload files on PostgreSQL (the fixture cluster of CTest's pg
 * fixture): the load-time check passes for the shipped workloads and for the
 * test-only tests/workloads/every_feature.yaml, up to the largest keys, and
 * refuses a planted disagreement (wb_workload_test_perturb) of each value type
 * naming the table, column and key, in every column of the test-only
 * tests/workloads/every_type.yaml (every type and generator) too, whose C rows
 * bound as strategies bind them verify; every_feature's DDL (several foreign keys and
 * CHECKs, multi-column unique indexes) runs, and what server-generate writes in
 * both versions verifies. Needs WB_PG_CONNINFO_FILE (set by CTest for test_pg_*
 * tests); without it, skipped. */
#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "runner/verify.h"
#include "strategies/generic/generic.h"
#include "workloads/check.h"
#include "workloads/schema.h"
#include "workloads/workload.h"

#define SCHEMA "wb_test_workload_file"
#define EVERY_FEATURE WB_SOURCE_DIR "/tests/workloads/every_feature.yaml"
#define EVERY_TYPE WB_SOURCE_DIR "/tests/workloads/every_type.yaml"
#define ROWS 500

static const wb_backend *pg_be;

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

/* Drop the test's schema with a plain libpq connection. */
static void drop_schema(const char *conninfo)
{
    PGconn *pg = PQconnectdb(conninfo);
    PQclear(PQexec(pg, "SET client_min_messages = warning"));
    PQclear(PQexec(pg, "DROP SCHEMA IF EXISTS " SCHEMA " CASCADE"));
    PQfinish(pg);
}

static void test_check_passes(wb_conn *c, const wb_workload *every)
{
    wb_error e = {{0}};
    for (const wb_workload *const *w = wb_workloads_shipped(NULL); *w; w++) {
        int rc = wb_workload_check(pg_be, c, *w, WB_KEY_MAX, &e);
        if (rc != 0)
            fprintf(stderr, "%s: %s\n", (*w)->name, e.msg);
        CHECK_INT(rc, 0);
    }
    int rc = wb_workload_check(pg_be, c, every, WB_KEY_MAX, &e);
    if (rc != 0)
        fprintf(stderr, "every_feature: %s\n", e.msg);
    CHECK_INT(rc, 0);
}

static void test_check_refuses(wb_conn *c)
{
    static const struct {
        const char *file, *table, *column;
    } plants[] = {
        {WB_SOURCE_DIR "/workloads/users.yaml", "user_account", "fullname"},
        {WB_SOURCE_DIR "/workloads/products.yaml", "products", "price"},
        {EVERY_FEATURE, "orders", "customer_id"},
    };
    for (size_t i = 0; i < sizeof plants / sizeof plants[0]; i++) {
        wb_workload *w = NULL;
        wb_error e = {{0}};
        CHECK_INT(wb_workload_load(plants[i].file, &w, &e), 0);
        if (!w)
            continue;
        CHECK_INT(wb_workload_test_perturb(w, plants[i].table, plants[i].column), 0);
        CHECK_INT(wb_workload_check(pg_be, c, w, 1000, &e), 1);
        char where[256];
        snprintf(where, sizeof where, "table %s, column %s, key 1, version 1", plants[i].table, plants[i].column);
        CHECK_CONTAINS(e.msg, where);
        CHECK_CONTAINS(e.msg, "postgresql makes");
        wb_workload_free(w);
    }
}

static void test_every_feature_tables(wb_conn *c, const wb_workload *w)
{
    wb_error e = {{0}};
    int rc = wb_schema_reset(pg_be, c, w, &e);
    if (rc != 0)
        fprintf(stderr, "reset: %s\n", e.msg);
    CHECK_INT(rc, 0);
    CHECK_INT(wb_schema_generate(pg_be, c, w, ROWS, 1, &e), 0);
    wb_verify_result v;
    memset(&v, 0, sizeof v);
    CHECK_INT(wb_verify(pg_be, c, w, ROWS, 1, WB_VERIFY_VALUES, &v, &e), 0);
    if (!v.ok)
        fprintf(stderr, "version 1: %s\n", v.detail);
    CHECK(v.ok);
    CHECK_INT(wb_schema_regenerate(pg_be, c, w, ROWS, 2, &e), 0);
    CHECK_INT(wb_verify(pg_be, c, w, ROWS, 2, WB_VERIFY_VALUES, &v, &e), 0);
    CHECK(v.ok);
    CHECK_INT(v.rows_verified, 3 * ROWS);
    /* the constraints are in force: a child row without its parent is refused */
    wb_buf sql = WB_BUF_INIT;
    wb_buf_puts(&sql, "INSERT INTO ");
    pg_be->table_name(c, "orders", &sql);
    wb_buf_printf(&sql, " VALUES (%d, %d, 'x')", ROWS + 1, ROWS + 1);
    CHECK(pg_be->exec(c, wb_buf_str(&sql), &e) != 0);
    CHECK_CONTAINS(e.msg, "foreign key");
    wb_buf_free(&sql);
    CHECK_INT(wb_schema_drop(pg_be, c, w, &e), 0);
}

/* Write keys 1..rows of version into t from C values through PostgreSQL's statement
 * layer, bound as the strategies bind them (wb_gen_bind_row: bytes in bytea's hex
 * form, doubles and booleans as text). */
static int insert_from_c(wb_conn *c, const wb_table *t, int64_t rows, int version)
{
    wb_buf sql = WB_BUF_INIT;
    wb_buf_puts(&sql, "INSERT INTO ");
    pg_be->table_name(c, t->name, &sql);
    wb_buf_puts(&sql, " VALUES (");
    for (int col = 0; col < t->ncolumns; col++)
        wb_buf_printf(&sql, "%s$%d", col ? ", " : "", col + 1);
    wb_buf_puts(&sql, ")");
    wb_stmt *st = NULL;
    wb_error e = {{0}};
    int rc = pg_be->stmt_prepare(c, wb_buf_str(&sql), t->ncolumns, 0, NULL, &st, &e);
    wb_row r = WB_ROW_INIT;
    for (int64_t key = 1; rc == 0 && key <= rows; key++) {
        wb_row_make(t, key, version, &r);
        rc = wb_gen_bind_row(pg_be, st, 0, &r, t->ncolumns, &e);
        if (rc == 0)
            rc = pg_be->stmt_exec(st, "insert", NULL, NULL, NULL, &e);
    }
    if (rc != 0)
        fprintf(stderr, "%s: %s\n", t->name, e.msg);
    pg_be->stmt_finalize(st);
    wb_buf_free(&sql);
    wb_row_free(&r);
    return rc;
}

/* every_type on PostgreSQL: the check passes up to the largest keys; C rows of both
 * versions, bound as strategies bind them, verify (and fail against the other
 * version); rows SQL alone makes verify; a planted disagreement in any column, every
 * type and generator in turn, is refused naming the table and the column. */
static void test_every_type(wb_conn *c)
{
    wb_workload *w = NULL;
    wb_error e = {{0}};
    CHECK_INT(wb_workload_load(EVERY_TYPE, &w, &e), 0);
    if (!w)
        return;
    static const int64_t last_keys[] = {1000, 9876543210LL, WB_KEY_MAX};
    for (size_t i = 0; i < sizeof last_keys / sizeof last_keys[0]; i++) {
        int rc = wb_workload_check(pg_be, c, w, last_keys[i], &e);
        if (rc != 0)
            fprintf(stderr, "every_type up to %lld: %s\n", (long long)last_keys[i], e.msg);
        CHECK_INT(rc, 0);
    }
    for (int version = 1; version <= 2; version++) {
        CHECK_INT(wb_schema_reset(pg_be, c, w, &e), 0);
        CHECK_INT(pg_be->begin(c, &e), 0);
        for (int t = 0; t < w->ntables; t++)
            CHECK_INT(insert_from_c(c, &w->tables[t], ROWS, version), 0);
        CHECK_INT(pg_be->commit(c, &e), 0);
        wb_verify_result v;
        memset(&v, 0, sizeof v);
        CHECK_INT(wb_verify(pg_be, c, w, ROWS, version, WB_VERIFY_VALUES, &v, &e), 0);
        if (!v.ok)
            fprintf(stderr, "every_type version %d: %s\n", version, v.detail);
        CHECK(v.ok);
        CHECK_INT(v.rows_verified, w->ntables * ROWS);
        CHECK_INT(wb_verify(pg_be, c, w, ROWS, 3 - version, WB_VERIFY_VALUES, &v, &e), 0);
        CHECK(!v.ok);
    }
    CHECK_INT(wb_schema_reset(pg_be, c, w, &e), 0);
    CHECK_INT(wb_schema_generate(pg_be, c, w, ROWS, 1, &e), 0);
    CHECK_INT(wb_schema_regenerate(pg_be, c, w, ROWS, 2, &e), 0);
    wb_verify_result v;
    memset(&v, 0, sizeof v);
    CHECK_INT(wb_verify(pg_be, c, w, ROWS, 2, WB_VERIFY_VALUES, &v, &e), 0);
    CHECK(v.ok);
    CHECK_INT(wb_schema_drop(pg_be, c, w, &e), 0);
    int columns = 0, refused = 0;
    for (int t = 0; t < w->ntables; t++)
        for (int col = 1; col < w->tables[t].ncolumns; col++) {
            wb_workload *planted = NULL;
            CHECK_INT(wb_workload_load(EVERY_TYPE, &planted, &e), 0);
            if (!planted)
                continue;
            columns++;
            const char *table = w->tables[t].name, *column = w->tables[t].columns[col].name;
            CHECK_INT(wb_workload_test_perturb(planted, table, column), 0);
            int rc = wb_workload_check(pg_be, c, planted, 1000, &e);
            char where[256];
            snprintf(where, sizeof where, "table %s, column %s, key ", table, column);
            if (rc != 1 || !strstr(e.msg, where) || !strstr(e.msg, "postgresql makes"))
                fprintf(stderr, "%s.%s: %d %s\n", table, column, rc, e.msg);
            refused += rc == 1 && strstr(e.msg, where) && strstr(e.msg, "postgresql makes");
            wb_workload_free(planted);
        }
    CHECK(columns > 25);
    CHECK_INT(refused, columns);
    wb_workload_free(w);
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
    pg_be = wb_backend_get(WB_BACKEND_POSTGRES);
    wb_target t;
    wb_error e = {{0}};
    wb_conn *c = NULL;
    drop_schema(conninfo);
    if (wb_target_parse(conninfo, true, &t, &e) != 0) {
        fprintf(stderr, "%s\n", e.msg);
        CHECK(0);
        return check_finish();
    }
    snprintf(t.schema, sizeof t.schema, "%s", SCHEMA);
    if (pg_be->connect(&t, &c, &e) != 0 || pg_be->claim_namespace(c, true, &e) != 0) {
        fprintf(stderr, "%s\n", e.msg);
        CHECK(0);
        pg_be->disconnect(c);
        return check_finish();
    }
    wb_workload *every = NULL;
    CHECK_INT(wb_workload_load(EVERY_FEATURE, &every, &e), 0);
    if (every) {
        test_check_passes(c, every);
        test_every_feature_tables(c, every);
    }
    test_check_refuses(c);
    test_every_type(c);
    wb_workload_free(every);
    pg_be->disconnect(c);
    drop_schema(conninfo);
    return check_finish();
}

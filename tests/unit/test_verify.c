/* Unit tests of the schema helpers and of verification inside the database, on
 * the real SQLite backend (an in-memory database): tables made by
 * wb_schema_generate verify, and every kind of damage a strategy can do (a
 * wrong value, a lost NULL or tab, a missing row, an extra key, the wrong
 * version) is caught with a one-line detail naming table, key and column. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "runner/verify.h"
#include "workloads/schema.h"

#define ROWS 200 /* >= 80: every hostile kind is among the keys */

static const wb_backend *be;
static const wb_workload *users, *products;

static wb_conn *open_memory(void)
{
    wb_target target;
    wb_error e;
    wb_conn *c = NULL;
    if (wb_target_parse("sqlite::memory:", false, &target, &e) != 0 || be->connect(&target, &c, &e) != 0 ||
        be->claim_namespace(c, true, &e) != 0) {
        fprintf(stderr, "cannot open an in-memory database: %s\n", e.msg);
        be->disconnect(c);
        return NULL;
    }
    return c;
}

static int exec_ok(wb_conn *c, const char *sql)
{
    wb_error e;
    if (be->exec(c, sql, &e) != 0) {
        fprintf(stderr, "%s: %s\n", sql, e.msg);
        return 0;
    }
    return 1;
}

/* Verify and return the result; a check that cannot run counts as a failed CHECK. */
static wb_verify_result verify(wb_conn *c, const wb_workload *w, int64_t rows, int version, wb_verify_mode mode)
{
    wb_verify_result r;
    wb_error e = {""};
    int rc = wb_verify(be, c, w, rows, version, mode, &r, &e);
    if (rc != 0)
        fprintf(stderr, "wb_verify failed: %s\n", e.msg);
    CHECK_INT(rc, 0);
    return r;
}

/* Fresh tables holding keys 1..ROWS of version 1, made by SQL alone. */
static void fresh(wb_conn *c, const wb_workload *w)
{
    wb_error e = {""};
    CHECK_INT(wb_schema_reset(be, c, w, &e), 0);
    CHECK_INT(wb_schema_generate(be, c, w, ROWS, 1, &e), 0);
}

static void test_generated_rows_verify(wb_conn *c)
{
    const wb_workload *both[] = {users, products};
    for (int i = 0; i < 2; i++) {
        const wb_workload *w = both[i];
        wb_error e = {""};
        fresh(c, w);
        wb_verify_result r = verify(c, w, ROWS, 1, WB_VERIFY_VALUES);
        CHECK_INT(r.ok, 1);
        CHECK_INT(r.rows_verified, (int64_t)ROWS * w->ntables);
        CHECK_STR(r.detail, "");
        for (int t = 0; t < w->ntables; t++)
            CHECK_INT(wb_schema_count(be, c, &w->tables[t], &e), ROWS);

        /* the update pass of server-generate: version 2 verifies, version 1 no longer does */
        CHECK_INT(wb_schema_regenerate(be, c, w, ROWS, 2, &e), 0);
        r = verify(c, w, ROWS, 2, WB_VERIFY_VALUES);
        CHECK_INT(r.ok, 1);
        CHECK_INT(r.rows_verified, (int64_t)ROWS * w->ntables);
        r = verify(c, w, ROWS, 1, WB_VERIFY_VALUES);
        CHECK_INT(r.ok, 0);
        CHECK_INT(r.rows_verified, 0);
    }
}

static void test_wrong_values(wb_conn *c)
{
    fresh(c, users);
    CHECK(exec_ok(c, "UPDATE \"user_account\" SET \"fullname\" = 'x' WHERE \"id\" = 42"));
    wb_verify_result r = verify(c, users, ROWS, 1, WB_VERIFY_VALUES);
    CHECK_INT(r.ok, 0);
    CHECK_INT(r.rows_verified, 2 * ROWS - 1);
    CHECK_STR(r.detail,
              "user_account: 1 of 200 rows wrong (first: key 42, fullname is 'x' but should be 'User 42 Smith')");

    /* COUNT mode (programs that write their own values) does not look at values */
    r = verify(c, users, ROWS, 1, WB_VERIFY_COUNT);
    CHECK_INT(r.ok, 1);
    CHECK_INT(r.rows_verified, 2 * ROWS);

    /* a NULL that must not be there, and a tab lost to escaping, in one table */
    fresh(c, products);
    CHECK(exec_ok(c, "UPDATE \"products\" SET \"category\" = NULL WHERE \"id\" = 5"));
    CHECK(exec_ok(c, "UPDATE \"products\" SET \"name\" = 'tab product 47' WHERE \"id\" = 47"));
    r = verify(c, products, ROWS, 1, WB_VERIFY_VALUES);
    CHECK_INT(r.ok, 0);
    CHECK_INT(r.rows_verified, ROWS - 2);
    CHECK_STR(r.detail,
              "products: 2 of 200 rows wrong (first: key 5, category is NULL but should be 'category 5')");

    /* the second wrong row, once the first is fixed: control characters are shown escaped */
    CHECK(exec_ok(c, "UPDATE \"products\" SET \"category\" = 'category 5' WHERE \"id\" = 5"));
    r = verify(c, products, ROWS, 1, WB_VERIFY_VALUES);
    CHECK_STR(r.detail,
              "products: 1 of 200 rows wrong (first: key 47, name is 'tab product 47' but should be 'tab\\tproduct 47')");

    /* a NULL where a value belongs is as wrong as a value where NULL belongs (key 7: name is NULL) */
    fresh(c, products);
    CHECK(exec_ok(c, "UPDATE \"products\" SET \"name\" = '', \"price\" = '79.20' WHERE \"id\" = 7"));
    CHECK(exec_ok(c, "UPDATE \"products\" SET \"price\" = '79.20' WHERE \"id\" = 1"));
    r = verify(c, products, ROWS, 1, WB_VERIFY_VALUES);
    CHECK_STR(r.detail, "products: 2 of 200 rows wrong (first: key 1, price is 79.2 but should be 79.19)");
    CHECK(exec_ok(c, "UPDATE \"products\" SET \"price\" = 79.19 WHERE \"id\" = 1"));
    r = verify(c, products, ROWS, 1, WB_VERIFY_VALUES);
    CHECK_STR(r.detail,
              "products: 1 of 200 rows wrong (first: key 7, name is '' but should be NULL, price is 79.2 but "
              "should be 554.33)");

    /* a quote doubled by hand-made escaping */
    fresh(c, users);
    CHECK(exec_ok(c, "UPDATE \"user_account\" SET \"name\" = 'O''''Brien user27' WHERE \"id\" = 27"));
    r = verify(c, users, ROWS, 1, WB_VERIFY_VALUES);
    CHECK_STR(r.detail, "user_account: 1 of 200 rows wrong (first: key 27, name is 'O''''Brien user27' but "
                        "should be 'O''Brien user27')");
}

static void test_missing_and_extra(wb_conn *c)
{
    fresh(c, users);
    CHECK(exec_ok(c, "DELETE FROM \"address\" WHERE \"id\" IN (9, 150)"));
    wb_verify_result r = verify(c, users, ROWS, 1, WB_VERIFY_VALUES);
    CHECK_INT(r.ok, 0);
    CHECK_INT(r.rows_verified, 2 * ROWS - 2);
    CHECK_STR(r.detail, "address: 2 of 200 rows missing (first: key 9)");
    /* COUNT mode still counts rows */
    r = verify(c, users, ROWS, 1, WB_VERIFY_COUNT);
    CHECK_INT(r.ok, 0);
    CHECK_STR(r.detail, "address: 2 of 200 rows missing (first: key 9)");

    /* key 1 missing, a key beyond N, and a wrong row, in two tables at once */
    CHECK(exec_ok(c, "DELETE FROM \"address\" WHERE \"id\" = 1; DELETE FROM \"user_account\" WHERE \"id\" = 1"));
    CHECK(exec_ok(c, "INSERT INTO \"user_account\" VALUES (201, 'user201', NULL), (0, 'user0', NULL)"));
    CHECK(exec_ok(c, "UPDATE \"address\" SET \"user_id\" = 3 WHERE \"id\" = 2"));
    r = verify(c, users, ROWS, 1, WB_VERIFY_VALUES);
    CHECK_INT(r.ok, 0);
    CHECK_INT(r.rows_verified, (ROWS - 1) + (ROWS - 3 - 1));
    CHECK_STR(r.detail, "user_account: 1 of 200 rows missing (first: key 1), 2 extra rows outside keys 1..200 "
                        "(first: key 0); address: 3 of 200 rows missing (first: key 1), 1 of 200 rows wrong "
                        "(first: key 2, user_id is 3 but should be 2)");

    /* fewer rows than asked for: the rows beyond N are extra */
    fresh(c, products);
    r = verify(c, products, ROWS - 1, 1, WB_VERIFY_COUNT);
    CHECK_INT(r.ok, 0);
    CHECK_INT(r.rows_verified, ROWS - 1);
    CHECK_STR(r.detail, "products: 1 extra row outside keys 1..199 (first: key 200)");
    r = verify(c, products, ROWS + 5, 1, WB_VERIFY_VALUES);
    CHECK_STR(r.detail, "products: 5 of 205 rows missing (first: key 201)");
}

/* A workload numbered from zero (first_key: 0) beside one numbered from one. */
static const char zero_keys_yaml[] =
    "workload: zero_keys\n"
    "description: test-only, keys from 0\n"
    "tables:\n"
    "  - name: parent\n"
    "    key: id\n"
    "    first_key: 0\n"
    "    columns:\n"
    "      - {name: label, type: text, nullable: false, updated: true, hostile: false,\n"
    "         generator: {kind: pattern, prefix: p, suffix: ['', _v2]}}\n"
    "  - name: child\n"
    "    key: id\n"
    "    columns:\n"
    "      - {name: parent_id, type: bigint, nullable: false,\n"
    "         generator: {kind: foreign_key, references: parent, parent: {modulo: 3}}}\n";

/* Query callback: the first row's integers into the int64_t array arg (up to ncols). */
static int read_ints(void *arg, int ncols, const char *const *names, const char *const *values)
{
    (void)names;
    int64_t *out = arg;
    for (int i = 0; i < ncols; i++)
        out[i] = values[i] ? strtoll(values[i], NULL, 10) : -1;
    return 1;
}

/* Keys 0..N-1: server-generate writes them (the values still those of rows 1..N), the
 * verifier checks that range and names the table's own keys when one is missing,
 * extra or wrong, and the update pass verifies; a foreign key to the table holds
 * its parent's key, (k - 1) % 3. */
static void test_keys_from_zero(wb_conn *c)
{
    char path[] = "/tmp/wb-test-zero-keys-XXXXXX.yaml";
    int fd = mkstemps(path, 5);
    CHECK(fd >= 0);
    if (fd < 0)
        return;
    CHECK(write(fd, zero_keys_yaml, sizeof zero_keys_yaml - 1) == (ssize_t)(sizeof zero_keys_yaml - 1));
    close(fd);
    wb_workload *w = NULL;
    wb_error e = {""};
    int loaded = wb_workload_load(path, &w, &e);
    unlink(path);
    if (loaded != 0)
        fprintf(stderr, "zero_keys: %s\n", e.msg);
    CHECK_INT(loaded, 0);
    if (loaded != 0)
        return;
    CHECK_INT(w->tables[0].keys_from_zero, 1);
    CHECK_INT(w->tables[1].keys_from_zero, 0);
    fresh(c, w);
    wb_verify_result r = verify(c, w, ROWS, 1, WB_VERIFY_VALUES);
    CHECK_STR(r.detail, "");
    CHECK_INT(r.rows_verified, 2 * ROWS);
    int64_t got[4] = {-1, -1, -1, -1};
    CHECK_INT(be->query(c, "SELECT min(id), max(id), (SELECT label FROM parent WHERE id = 0) = 'p1', "
                           "(SELECT max(parent_id) FROM child) FROM parent",
                        read_ints, got, &e), 0);
    CHECK_INT(got[0], 0);
    CHECK_INT(got[1], ROWS - 1);
    CHECK_INT(got[2], 1);
    CHECK_INT(got[3], 2);
    r = verify(c, w, ROWS, 1, WB_VERIFY_COUNT);
    CHECK_INT(r.ok, 1);

    CHECK(exec_ok(c, "PRAGMA foreign_keys = OFF"));
    CHECK(exec_ok(c, "DELETE FROM parent WHERE id = 0"));
    CHECK(exec_ok(c, "INSERT INTO parent VALUES (200, 'p201')"));
    CHECK(exec_ok(c, "UPDATE parent SET label = 'x' WHERE id = 5"));
    r = verify(c, w, ROWS, 1, WB_VERIFY_VALUES);
    CHECK_INT(r.ok, 0);
    CHECK_STR(r.detail, "parent: 1 of 200 rows missing (first: key 0), 1 extra row outside keys 0..199 (first: "
                        "key 200), 1 of 200 rows wrong (first: key 5, label is 'x' but should be 'p6')");
    r = verify(c, w, ROWS, 1, WB_VERIFY_COUNT);
    CHECK_STR(r.detail, "parent: 1 of 200 rows missing (first: key 0), 1 extra row outside keys 0..199 (first: "
                        "key 200)");
    CHECK(exec_ok(c, "PRAGMA foreign_keys = ON"));

    fresh(c, w);
    CHECK_INT(wb_schema_regenerate(be, c, w, ROWS, 2, &e), 0);
    r = verify(c, w, ROWS, 2, WB_VERIFY_VALUES);
    CHECK_STR(r.detail, "");
    CHECK_INT(r.rows_verified, 2 * ROWS);
    wb_workload_free(w);
}

/* Big tables are checked in key ranges on several connections at once: the same
 * figures and first keys as one scan, wherever the damage falls. */
static void test_parallel_parts(void)
{
    char dir[] = "/tmp/wb-verify-parts.XXXXXX", url[128], path[96];
    CHECK(mkdtemp(dir) != NULL);
    snprintf(path, sizeof path, "%s/v.db", dir);
    snprintf(url, sizeof url, "sqlite://%s", path);
    wb_target target;
    wb_error e = {""};
    wb_conn *c = NULL;
    CHECK_INT(wb_target_parse(url, true, &target, &e), 0);
    CHECK_INT(be->connect(&target, &c, &e), 0);
    CHECK_INT(be->claim_namespace(c, true, &e), 0);
    CHECK_INT(wb_schema_reset(be, c, products, &e), 0);
    CHECK_INT(wb_schema_generate(be, c, products, ROWS, 1, &e), 0);
    wb_verify_test_rows_per_part(50); /* 200 keys: as many parts as cores, up to 4 */
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    int parts = cores < 4 ? (int)cores : 4;

    wb_verify_result r;
    CHECK_INT(wb_verify_parallel(be, &target, c, products, ROWS, 1, WB_VERIFY_VALUES, &r, &e), 0);
    CHECK_INT(r.ok, 1);
    CHECK_INT(r.parts, parts);
    CHECK_INT(r.rows_verified, ROWS);

    /* damage in the last part and in the first: counted once each, the first key is the
     * smallest; keys above N are read by the last part, keys below 1 by the first */
    CHECK(exec_ok(c, "UPDATE \"products\" SET \"name\" = 'x' || \"id\" WHERE \"id\" IN (199, 3)"));
    CHECK(exec_ok(c, "DELETE FROM \"products\" WHERE \"id\" = 120"));
    CHECK(exec_ok(c, "INSERT INTO \"products\" (\"id\") VALUES (500), (-5)"));
    CHECK_INT(wb_verify_parallel(be, &target, c, products, ROWS, 1, WB_VERIFY_VALUES, &r, &e), 0);
    CHECK_INT(r.ok, 0);
    CHECK_INT(r.parts, parts);
    CHECK_INT(r.rows_verified, ROWS - 3);
    CHECK_STR(r.detail, "products: 1 of 200 rows missing (first: key 120), 2 extra rows outside keys 1..200 "
                        "(first: key -5), 2 of 200 rows wrong (first: key 3, name is 'x3' but should be "
                        "'product 3')");
    wb_verify_result one;
    CHECK_INT(wb_verify(be, c, products, ROWS, 1, WB_VERIFY_VALUES, &one, &e), 0);
    CHECK_STR(one.detail, r.detail);
    CHECK_INT(one.parts, 1);

    /* a private database cannot be seen from a second connection: one part */
    wb_conn *memory = open_memory();
    CHECK(memory != NULL);
    wb_target private_target;
    CHECK_INT(wb_target_parse("sqlite::memory:", false, &private_target, &e), 0);
    if (memory) {
        CHECK_INT(wb_schema_reset(be, memory, products, &e), 0);
        CHECK_INT(wb_schema_generate(be, memory, products, ROWS, 1, &e), 0);
        CHECK_INT(wb_verify_parallel(be, &private_target, memory, products, ROWS, 1, WB_VERIFY_VALUES, &r, &e), 0);
        CHECK_INT(r.ok, 1);
        CHECK_INT(r.parts, 1);
        be->disconnect(memory);
    }
    wb_verify_test_rows_per_part(100000);
    be->disconnect(c);
    char cmd[160];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    CHECK_INT(system(cmd), 0);
}

static void test_version_mismatch(wb_conn *c)
{
    fresh(c, products);
    wb_verify_result r = verify(c, products, ROWS, 2, WB_VERIFY_VALUES);
    CHECK_INT(r.ok, 0);
    CHECK_INT(r.rows_verified, 0);
    CHECK_STR(r.detail, "products: 200 of 200 rows wrong (first: key 1, name is 'product 1' but should be "
                        "'product 1 v2', category is 'category 1' but should be 'category 1 v2', price is "
                        "79.19 but should be 89.32)");
    /* COUNT mode cannot tell versions apart */
    r = verify(c, products, ROWS, 2, WB_VERIFY_COUNT);
    CHECK_INT(r.ok, 1);
}

static void test_long_detail(wb_conn *c)
{
    fresh(c, users);
    CHECK(exec_ok(c, "UPDATE \"user_account\" SET \"fullname\" = 'Zo\xc3\xab' || printf('%.1500c', 'x') "
                     "WHERE \"id\" = 3"));
    wb_verify_result r = verify(c, users, ROWS, 1, WB_VERIFY_VALUES);
    size_t n = strlen(r.detail);
    CHECK(n < sizeof r.detail);
    CHECK(n > 900);
    CHECK(strcmp(r.detail + n - 3, "...") == 0);
    CHECK_CONTAINS(r.detail, "user_account: 1 of 200 rows wrong (first: key 3, fullname is 'Zo\xc3\xab" "xxx");
}

static void test_schema_helpers(wb_conn *c)
{
    wb_error e = {""};
    const wb_table *t = &products->tables[0];
    fresh(c, products);
    /* the constraints of the workload hold */
    CHECK(be->exec(c, "INSERT INTO \"products\" VALUES (1000, 'p', 'c', -1)", &e) != 0);
    CHECK(be->exec(c, "INSERT INTO \"products\" VALUES (1000, 'product 1', 'c', 1)", &e) != 0);
    fresh(c, users);
    CHECK(be->exec(c, "INSERT INTO \"address\" VALUES (1000, 'street', 1000)", &e) != 0);
    CHECK(be->exec(c, "INSERT INTO \"user_account\" VALUES (1000, NULL, NULL)", &e) != 0);

    /* load-then-index: indexes go and come back, and setup is idempotent */
    fresh(c, products);
    CHECK_INT(wb_schema_drop_indexes(be, c, t, &e), 0);
    CHECK(be->exec(c, "INSERT INTO \"products\" VALUES (1000, 'product 1', 'c', 1)", &e) == 0);
    CHECK(exec_ok(c, "DELETE FROM \"products\" WHERE \"id\" = 1000"));
    CHECK_INT(wb_schema_drop_indexes(be, c, t, &e), 0);
    CHECK_INT(wb_schema_create_indexes(be, c, t, &e), 0);
    CHECK_INT(wb_schema_create_indexes(be, c, t, &e), 0);
    CHECK(be->exec(c, "INSERT INTO \"products\" VALUES (1000, 'product 1', 'c', 1)", &e) != 0);
    CHECK_INT(wb_schema_setup(be, c, products, &e), 0);
    CHECK_INT(wb_schema_count(be, c, t, &e), ROWS);

    /* drop, then the check itself cannot run: -1 with the table named */
    CHECK_INT(wb_schema_drop(be, c, products, &e), 0);
    CHECK_INT(wb_schema_drop(be, c, products, &e), 0);
    CHECK_INT(wb_schema_count(be, c, t, &e), -1);
    CHECK_CONTAINS(e.msg, "products");
    wb_verify_result r;
    CHECK_INT(wb_verify(be, c, products, ROWS, 1, WB_VERIFY_VALUES, &r, &e), -1);
    CHECK_CONTAINS(e.msg, "products");
    CHECK_INT(wb_schema_setup(be, c, products, &e), 0);
    CHECK_INT(wb_schema_count(be, c, t, &e), 0);
    r = verify(c, products, 0, 1, WB_VERIFY_VALUES);
    CHECK_INT(r.ok, 1);
    CHECK_INT(r.rows_verified, 0);
    CHECK_INT(wb_schema_generate(be, c, products, 10, 3, &e), -1);
    CHECK_CONTAINS(e.msg, "version");
}

int main(void)
{
    be = wb_backend_get(WB_BACKEND_SQLITE);
    users = wb_workload_find("users");
    products = wb_workload_find("products");
    if (!be || !be->connect)
        return CHECK_SKIP("the SQLite backend is not built in");
    CHECK(users != NULL && products != NULL);
    wb_conn *c = open_memory();
    CHECK(c != NULL);
    if (!c || !users || !products)
        return check_finish();
    test_generated_rows_verify(c);
    test_wrong_values(c);
    test_missing_and_extra(c);
    test_keys_from_zero(c);
    test_parallel_parts();
    test_version_mismatch(c);
    test_long_detail(c);
    test_schema_helpers(c);
    be->disconnect(c);
    return check_finish();
}

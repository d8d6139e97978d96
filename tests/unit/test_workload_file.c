/* Unit tests of workload files (src/workloads/load.c, shipped.c, check.c) on
 * SQLite: the shipped workloads are found by name and by path with one identity;
 * the test-only workload tests/workloads/every_feature.yaml (every generator,
 * every parent row mapping, multi-column and unique indexes, several checks and
 * foreign keys) reads as written, its DDL runs, and rows written from C pass the
 * in-database verification in both versions; the load-time check passes for every
 * workload and refuses a planted disagreement (wb_workload_test_perturb) of each
 * value type, naming the table, column and key; and the sha256 of every shipped
 * file is one analysis counts as the shipped workload (wb_shipped_workloads). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/runs.h"
#include "backends/sqlite.h"
#include "check.h"
#include "runner/verify.h"
#include "workloads/check.h"
#include "workloads/schema.h"
#include "workloads/workload.h"

#define EVERY_FEATURE WB_SOURCE_DIR "/tests/workloads/every_feature.yaml"
#define ROWS 1000

static const wb_backend *sqlite_be;

static wb_conn *open_memory(void)
{
    wb_target target;
    wb_error e;
    wb_conn *c = NULL;
    if (wb_target_parse("sqlite::memory:", false, &target, &e) != 0 || sqlite_be->connect(&target, &c, &e) != 0 ||
        sqlite_be->claim_namespace(c, true, &e) != 0) {
        fprintf(stderr, "cannot open an in-memory database: %s\n", e.msg);
        sqlite_be->disconnect(c);
        return NULL;
    }
    return c;
}

static void test_shipped(void)
{
    wb_error e = {{0}};
    const wb_workload *const *list = wb_workloads_shipped(&e);
    CHECK(list[0] != NULL);
    int n = 0;
    for (; list[n]; n++)
        ;
    CHECK_INT(n, 2);
    /* by name and by path: one file, one identity */
    const wb_workload *by_name = NULL, *by_path = NULL;
    CHECK_INT(wb_workload_open("users", &by_name, &e), 0);
    CHECK_INT(wb_workload_open(WB_SOURCE_DIR "/workloads/users.yaml", &by_path, &e), 0);
    if (by_name && by_path) {
        CHECK(by_name == wb_workload_find("users"));
        CHECK(by_name != by_path);
        CHECK_STR(by_name->sha256, by_path->sha256);
        CHECK_INT((int)strlen(by_name->sha256), 64);
        CHECK(wb_workload_is_shipped(by_path));
    }
    CHECK(wb_workload_find("every_feature") == NULL);
    const wb_workload *none = NULL;
    CHECK_INT(wb_workload_open("nope", &none, &e), -1);
    CHECK_CONTAINS(e.msg, "unknown workload 'nope'");
    CHECK_CONTAINS(e.msg, "products, users");
    CHECK_INT(wb_workload_open("/no/such/file.yaml", &none, &e), -1);
    CHECK_CONTAINS(e.msg, "/no/such/file.yaml");
    /* every shipped file is one the results count as the shipped workload */
    for (int i = 0; list[i]; i++) {
        int listed = 0;
        for (const wb_shipped_workload *s = wb_shipped_workloads; s->name; s++)
            listed |= strcmp(s->name, list[i]->name) == 0 && strcmp(s->sha256, list[i]->sha256) == 0;
        if (!listed)
            fprintf(stderr, "%s (sha256 %s) is not in wb_shipped_workloads (src/analysis/runs.c)\n", list[i]->path,
                    list[i]->sha256);
        CHECK(listed);
    }
}

static void test_labels(void)
{
    char label[64];
    wb_workload_label("users", NULL, label, sizeof label);
    CHECK_STR(label, "users");
    wb_workload_label("users", "", label, sizeof label);
    CHECK_STR(label, "users");
    wb_workload_label("users", wb_workload_find("users")->sha256, label, sizeof label);
    CHECK_STR(label, "users");
    wb_workload_label("users", wb_workload_find("products")->sha256, label, sizeof label);
    CHECK(strncmp(label, "users@", 6) == 0 && strlen(label) == 6 + 16);
    wb_workload_label("orders", "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", label,
                      sizeof label);
    CHECK_STR(label, "orders@0123456789abcdef");
}

/* every_feature reads as the file writes it. */
static void test_every_feature_model(const wb_workload *w)
{
    CHECK_STR(w->name, "every_feature");
    CHECK_INT(w->ntables, 3);
    if (w->ntables != 3)
        return;
    const wb_table *customers = &w->tables[0], *orders = &w->tables[1], *items = &w->tables[2];
    CHECK_STR(customers->columns[0].name, "customer_id");
    CHECK_INT(customers->ncolumns, 5);
    CHECK_INT(customers->nchecks, 2);
    CHECK_STR(customers->checks[1], "length(code) > 2");
    CHECK_INT(customers->nindexes, 3);
    CHECK_STR(customers->indexes[0].name, "customers_email_key"); /* PostgreSQL's default names */
    CHECK_STR(customers->indexes[2].name, "customers_code_region_key");
    CHECK_INT(customers->indexes[1].ncolumns, 2);
    CHECK_STR(customers->indexes[1].columns[1], "code");
    int email = wb_table_column_index(customers, "email"), code = wb_table_column_index(customers, "code"),
        region = wb_table_column_index(customers, "region");
    CHECK(customers->columns[email].unique);
    CHECK(customers->columns[code].unique); /* what keeps (code, region) unique */
    CHECK(!customers->columns[region].unique);
    CHECK(!customers->columns[region].updated);
    CHECK_STR(customers->columns[email].sql_type, "varchar(48)");
    wb_buf decl = WB_BUF_INIT;
    wb_column_declare(customers, email, wb_backend_get(WB_BACKEND_SQLITE)->dialect, &decl);
    CHECK_STR(wb_buf_str(&decl), "VARCHAR(48)");
    wb_buf_free(&decl);
    CHECK_INT(orders->nforeign_keys, 1);
    CHECK_INT(items->nforeign_keys, 2);
    CHECK_STR(items->foreign_keys[0].table, "orders");
    CHECK_STR(items->foreign_keys[1].column, "customer_id");
    CHECK_STR(orders->indexes[0].name, "orders_customer_id_idx");
    /* the parent rows: modulo 5, three children per order, the same customer */
    wb_row r;
    wb_row_make(orders, 12, 1, &r);
    CHECK_INT(r.v[1].i64, 2);
    CHECK_STR(r.v[1].text, "2");
    wb_row_make(items, 7, 2, &r);
    CHECK_INT(r.v[1].i64, 3);
    CHECK_INT(r.v[2].i64, 7);
    /* no hostile values where the file says so; the same in both versions where it is not updated */
    wb_row v1, v2;
    for (int64_t key = 1; key <= 100; key++) {
        wb_row_make(customers, key, 1, &v1);
        wb_row_make(customers, key, 2, &v2);
        char expected[32];
        snprintf(expected, sizeof expected, "C-%lld", (long long)key);
        CHECK_STR(v1.v[code].text, expected);
        CHECK(v1.v[region].is_null == v2.v[region].is_null &&
              (v1.v[region].is_null || strcmp(v1.v[region].text, v2.v[region].text) == 0));
    }
    wb_buf ddl = WB_BUF_INIT;
    wb_schema_create_text(WB_BACKEND_POSTGRES, "writebench", w, &ddl);
    CHECK_CONTAINS(wb_buf_str(&ddl), "\"order_id\" bigint NOT NULL REFERENCES \"writebench\".\"orders\" (\"order_id\")");
    CHECK_CONTAINS(wb_buf_str(&ddl), ", CHECK (credit >= 0), CHECK (length(code) > 2));");
    CHECK_CONTAINS(wb_buf_str(&ddl), "CREATE UNIQUE INDEX \"order_items_order_id_customer_id_key\" ON "
                                     "\"writebench\".\"order_items\" (\"order_id\", \"customer_id\");");
    wb_buf_free(&ddl);
}

/* Insert keys 1..rows of version into every table from C values, bound as strategies bind them. */
static int insert_from_c(sqlite3 *db, const wb_table *t, int64_t rows, int version)
{
    wb_buf sql = WB_BUF_INIT;
    wb_buf_printf(&sql, "INSERT INTO \"%s\" VALUES (", t->name);
    for (int c = 0; c < t->ncolumns; c++)
        wb_buf_puts(&sql, c ? ", ?" : "?");
    wb_buf_puts(&sql, ")");
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(db, wb_buf_str(&sql), -1, &st, NULL) == SQLITE_OK ? 0 : -1;
    for (int64_t key = 1; rc == 0 && key <= rows; key++) {
        wb_row r;
        wb_row_make(t, key, version, &r);
        for (int c = 0; c < t->ncolumns; c++) {
            const wb_value *v = &r.v[c];
            if (v->is_null)
                sqlite3_bind_null(st, c + 1);
            else if (v->type == WB_TYPE_INT64)
                sqlite3_bind_int64(st, c + 1, v->i64);
            else
                sqlite3_bind_text(st, c + 1, v->text, (int)v->len, SQLITE_STATIC);
        }
        if (sqlite3_step(st) != SQLITE_DONE) {
            fprintf(stderr, "%s key %lld: %s\n", t->name, (long long)key, sqlite3_errmsg(db));
            rc = -1;
        }
        sqlite3_reset(st);
    }
    sqlite3_finalize(st);
    wb_buf_free(&sql);
    return rc;
}

/* The DDL runs (foreign keys enforced, CHECKs and unique indexes in force), C rows of
 * both versions verify, and so do the rows SQL alone makes. */
static void test_every_feature_in_sqlite(const wb_workload *w)
{
    wb_conn *c = open_memory();
    CHECK(c != NULL);
    if (!c)
        return;
    sqlite3 *db = wb_sqlite_db(c);
    wb_error e = {{0}};
    for (int version = 1; version <= 2; version++) {
        CHECK_INT(wb_schema_reset(sqlite_be, c, w, &e), 0);
        for (int t = 0; t < w->ntables; t++)
            CHECK_INT(insert_from_c(db, &w->tables[t], ROWS, version), 0);
        wb_verify_result v;
        memset(&v, 0, sizeof v);
        CHECK_INT(wb_verify(sqlite_be, c, w, ROWS, version, WB_VERIFY_VALUES, &v, &e), 0);
        if (!v.ok)
            fprintf(stderr, "every_feature version %d: %s\n", version, v.detail);
        CHECK(v.ok);
        CHECK_INT(v.rows_verified, 3 * ROWS);
        /* and the other version's values are wrong */
        CHECK_INT(wb_verify(sqlite_be, c, w, ROWS, 3 - version, WB_VERIFY_VALUES, &v, &e), 0);
        CHECK(!v.ok);
    }
    CHECK_INT(wb_schema_reset(sqlite_be, c, w, &e), 0);
    CHECK_INT(wb_schema_generate(sqlite_be, c, w, ROWS, 1, &e), 0);
    CHECK_INT(wb_schema_regenerate(sqlite_be, c, w, ROWS, 2, &e), 0);
    wb_verify_result v;
    memset(&v, 0, sizeof v);
    CHECK_INT(wb_verify(sqlite_be, c, w, ROWS, 2, WB_VERIFY_VALUES, &v, &e), 0);
    CHECK(v.ok);
    sqlite_be->disconnect(c);
}

static void test_sample_keys(void)
{
    int64_t keys[128];
    int n = wb_check_sample_keys(10000000000LL, keys);
    CHECK_INT(n, 110);
    CHECK_INT(keys[0], 1);
    CHECK_INT(keys[99], 100);
    CHECK_INT(keys[100], 9999999991LL);
    CHECK_INT(keys[109], 10000000000LL);
    CHECK_INT(wb_check_sample_keys(105, keys), 105);
    CHECK_INT(wb_check_sample_keys(20, keys), 100);
}

/* The load-time check passes for every workload on SQLite, at the largest keys too. */
static void test_check_passes(const wb_workload *every)
{
    wb_conn *c = open_memory();
    CHECK(c != NULL);
    if (!c)
        return;
    wb_error e = {{0}};
    for (const wb_workload *const *w = wb_workloads_shipped(NULL); *w; w++) {
        int rc = wb_workload_check(sqlite_be, c, *w, WB_KEY_MAX, &e);
        if (rc != 0)
            fprintf(stderr, "%s: %s\n", (*w)->name, e.msg);
        CHECK_INT(rc, 0);
    }
    CHECK_INT(wb_workload_check(sqlite_be, c, every, WB_KEY_MAX, &e), 0);
    CHECK_INT(wb_workload_check(sqlite_be, c, every, 1000, &e), 0);
    sqlite_be->disconnect(c);
}

/* A planted disagreement: the C side of one column changed, the SQL side not. The
 * check refuses the workload naming the table, the column and the first key. */
static void test_check_refuses(void)
{
    static const struct {
        const char *file, *table, *column, *key;
    } plants[] = {
        {WB_SOURCE_DIR "/workloads/users.yaml", "address", "street_address", "key 1, version 1"}, /* text */
        {WB_SOURCE_DIR "/workloads/products.yaml", "products", "price", "key 1, version 1"},      /* decimal */
        {EVERY_FEATURE, "order_items", "order_id", "key 1, version 1"},                          /* a foreign key */
        {EVERY_FEATURE, "orders", "order_id", "key 1, version 1"},                               /* the key */
    };
    wb_conn *c = open_memory();
    CHECK(c != NULL);
    for (size_t i = 0; c && i < sizeof plants / sizeof plants[0]; i++) {
        wb_workload *w = NULL;
        wb_error e = {{0}};
        CHECK_INT(wb_workload_load(plants[i].file, &w, &e), 0);
        if (!w)
            continue;
        CHECK_INT(wb_workload_test_perturb(w, plants[i].table, plants[i].column), 0);
        CHECK_INT(wb_workload_check(sqlite_be, c, w, 1000, &e), 1);
        char where[256];
        snprintf(where, sizeof where, "table %s, column %s, %s", plants[i].table, plants[i].column, plants[i].key);
        CHECK_CONTAINS(e.msg, where);
        CHECK_CONTAINS(e.msg, "is refused");
        wb_workload_free(w);
    }
    wb_workload *w = NULL;
    wb_error e;
    CHECK_INT(wb_workload_load(EVERY_FEATURE, &w, &e), 0);
    if (w)
        CHECK_INT(wb_workload_test_perturb(w, "orders", "nope"), -1);
    wb_workload_free(w);
    sqlite_be->disconnect(c);
}

int main(void)
{
    sqlite_be = wb_backend_get(WB_BACKEND_SQLITE);
    test_shipped();
    test_labels();
    test_sample_keys();
    wb_workload *every = NULL;
    wb_error e = {{0}};
    int rc = wb_workload_load(EVERY_FEATURE, &every, &e);
    if (rc != 0)
        fprintf(stderr, "%s\n", e.msg);
    CHECK_INT(rc, 0);
    if (every) {
        test_every_feature_model(every);
        test_every_feature_in_sqlite(every);
        test_check_passes(every);
    }
    test_check_refuses();
    wb_workload_free(every);
    return check_finish();
}

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
#include <unistd.h>

#include "analysis/runs.h"
#include "backends/sqlite.h"
#include "check.h"
#include "runner/verify.h"
#include "strategies/generic/generic.h"
#include "workloads/check.h"
#include "workloads/gen_internal.h"
#include "workloads/schema.h"
#include "workloads/workload.h"

#define EVERY_FEATURE WB_SOURCE_DIR "/tests/workloads/every_feature.yaml"
#define EVERY_TYPE WB_SOURCE_DIR "/tests/workloads/every_type.yaml"
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
    CHECK_INT(n, 4); /* events, orders, products, users */
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
    CHECK_STR(customers->columns[email].type_name, "varchar(48)");
    wb_buf decl = WB_BUF_INIT;
    wb_column_declare(customers, email, wb_backend_get(WB_BACKEND_SQLITE)->dialect, &decl);
    CHECK_STR(wb_buf_str(&decl), "VARCHAR(48)");
    wb_buf_reset(&decl);
    wb_column_declare(customers, email, wb_backend_get(WB_BACKEND_POSTGRES)->dialect, &decl);
    CHECK_STR(wb_buf_str(&decl), "varchar(48)");
    wb_buf_free(&decl);
    CHECK_INT(orders->nforeign_keys, 1);
    CHECK_INT(items->nforeign_keys, 2);
    CHECK_STR(items->foreign_keys[0].table, "orders");
    CHECK_STR(items->foreign_keys[1].column, "customer_id");
    CHECK_STR(orders->indexes[0].name, "orders_customer_id_idx");
    /* keys 0..N-1 in customers and order_items, 1..N in orders */
    CHECK_INT(customers->keys_from_zero, 1);
    CHECK_INT(orders->keys_from_zero, 0);
    CHECK_INT(items->keys_from_zero, 1);
    CHECK_INT(wb_table_key(customers, 1), 0);
    CHECK_INT(wb_table_row(customers, 0), 1);
    /* the parent rows: modulo 5, three children per order, the same customer; a
     * customer's key is its row number less one, its values those of the row number */
    wb_row r = WB_ROW_INIT;
    wb_row_make(customers, 1, 1, &r);
    CHECK_INT(r.v[0].i64, 0);
    CHECK_STR(r.v[0].text, "0");
    CHECK_STR(r.v[code].text, "C-1");
    wb_row_make(orders, 12, 1, &r);
    CHECK_INT(r.v[0].i64, 12);
    CHECK_INT(r.v[1].i64, 1); /* row (12 - 1) % 5 + 1 = 2, key 1 */
    CHECK_STR(r.v[1].text, "1");
    wb_row_make(items, 7, 2, &r);
    CHECK_INT(r.v[0].i64, 6);
    CHECK_INT(r.v[1].i64, 3); /* orders' row and key (7 - 1) / 3 + 1 */
    CHECK_INT(r.v[2].i64, 6); /* customers' row 7, key 6 */
    /* no hostile values where the file says so; the same in both versions where it is not updated */
    wb_row_free(&r);
    wb_row v1 = WB_ROW_INIT, v2 = WB_ROW_INIT;
    for (int64_t key = 1; key <= 100; key++) {
        wb_row_make(customers, key, 1, &v1);
        wb_row_make(customers, key, 2, &v2);
        char expected[32];
        snprintf(expected, sizeof expected, "C-%lld", (long long)key);
        CHECK_STR(v1.v[code].text, expected);
        CHECK(v1.v[region].is_null == v2.v[region].is_null &&
              (v1.v[region].is_null || strcmp(v1.v[region].text, v2.v[region].text) == 0));
    }
    wb_row_free(&v1);
    wb_row_free(&v2);
    wb_buf ddl = WB_BUF_INIT;
    wb_schema_create_text(WB_BACKEND_POSTGRES, "writebench", w, &ddl);
    CHECK_CONTAINS(wb_buf_str(&ddl), "\"order_id\" bigint NOT NULL REFERENCES \"writebench\".\"orders\" (\"order_id\")");
    CHECK_CONTAINS(wb_buf_str(&ddl), ", CHECK (credit >= 0), CHECK (length(code) > 2));");
    CHECK_CONTAINS(wb_buf_str(&ddl), "CREATE UNIQUE INDEX \"order_items_order_id_customer_id_key\" ON "
                                     "\"writebench\".\"order_items\" (\"order_id\", \"customer_id\");");
    wb_buf_free(&ddl);
}

/* Insert keys 1..rows of version into t from C values, through the statement layer
 * and bound as the strategies bind them (wb_gen_bind_row). */
static int insert_from_c(wb_conn *c, const wb_table *t, int64_t rows, int version)
{
    wb_buf sql = WB_BUF_INIT;
    wb_buf_printf(&sql, "INSERT INTO \"%s\" VALUES (", t->name);
    for (int col = 0; col < t->ncolumns; col++)
        wb_buf_puts(&sql, col ? ", ?" : "?");
    wb_buf_puts(&sql, ")");
    wb_stmt *st = NULL;
    wb_error e = {{0}};
    int rc = sqlite_be->stmt_prepare(c, wb_buf_str(&sql), t->ncolumns, 0, NULL, &st, &e);
    wb_row r = WB_ROW_INIT;
    for (int64_t key = 1; rc == 0 && key <= rows; key++) {
        wb_row_make(t, key, version, &r);
        rc = wb_gen_bind_row(sqlite_be, st, 0, &r, t->ncolumns, &e);
        if (rc == 0)
            rc = sqlite_be->stmt_exec(st, "insert", NULL, NULL, NULL, &e);
    }
    if (rc != 0)
        fprintf(stderr, "%s: %s\n", t->name, e.msg);
    sqlite_be->stmt_finalize(st);
    wb_buf_free(&sql);
    wb_row_free(&r);
    return rc;
}

/* Rows of table t whose column col is NULL-safely distinct from its SQL in `version`,
 * compared as the verifier compares (the dialect's comparison form). */
static int64_t count_differing(wb_conn *c, const wb_table *t, int col, int version)
{
    wb_buf sql = WB_BUF_INIT;
    const wb_dialect *d = sqlite_be->dialect;
    wb_buf_printf(&sql, "SELECT count(*) FROM \"%s\" WHERE ", t->name);
    wb_column_compare_part(&t->columns[col], d, 1, &sql);
    wb_buf_printf(&sql, "\"%s\"", t->columns[col].name);
    wb_column_compare_part(&t->columns[col], d, 0, &sql);
    wb_buf_printf(&sql, " %s ", d->distinct_op);
    wb_column_compare_part(&t->columns[col], d, 1, &sql);
    wb_column_sql(t, col, version, "\"id\"", d, &sql);
    wb_column_compare_part(&t->columns[col], d, 0, &sql);
    sqlite3_stmt *st = NULL;
    int64_t n = -1;
    if (sqlite3_prepare_v2(wb_sqlite_db(c), wb_buf_str(&sql), -1, &st, NULL) == SQLITE_OK &&
        sqlite3_step(st) == SQLITE_ROW)
        n = sqlite3_column_int64(st, 0);
    else
        fprintf(stderr, "%s\n", sqlite3_errmsg(wb_sqlite_db(c)));
    sqlite3_finalize(st);
    wb_buf_free(&sql);
    return n;
}

/* The DDL runs (foreign keys enforced, CHECKs and unique indexes in force), C rows of
 * both versions, bound as strategies bind them, verify column by column against the
 * SQL (and every updated column differs from the other version's SQL in every row),
 * and the rows SQL alone makes verify too. Key columns must be named "id" for
 * count_differing when keyed_by_id is set. */
static void test_in_sqlite(const wb_workload *w, int keyed_by_id)
{
    wb_conn *c = open_memory();
    CHECK(c != NULL);
    if (!c)
        return;
    wb_error e = {{0}};
    for (int version = 1; version <= 2; version++) {
        CHECK_INT(wb_schema_reset(sqlite_be, c, w, &e), 0);
        for (int t = 0; t < w->ntables; t++)
            CHECK_INT(insert_from_c(c, &w->tables[t], ROWS, version), 0);
        wb_verify_result v;
        memset(&v, 0, sizeof v);
        CHECK_INT(wb_verify(sqlite_be, c, w, ROWS, version, WB_VERIFY_VALUES, &v, &e), 0);
        if (!v.ok)
            fprintf(stderr, "%s version %d: %s\n", w->name, version, v.detail);
        CHECK(v.ok);
        CHECK_INT(v.rows_verified, w->ntables * ROWS);
        /* and the other version's values are wrong */
        CHECK_INT(wb_verify(sqlite_be, c, w, ROWS, 3 - version, WB_VERIFY_VALUES, &v, &e), 0);
        CHECK(!v.ok);
        for (int t = 0; keyed_by_id && t < w->ntables; t++)
            for (int col = 1; col < w->tables[t].ncolumns; col++) {
                const wb_column *column = &w->tables[t].columns[col];
                int64_t same = count_differing(c, &w->tables[t], col, version);
                int64_t other = count_differing(c, &w->tables[t], col, 3 - version);
                if (same != 0 || other != (column->updated ? ROWS : 0))
                    fprintf(stderr, "%s.%s v%d: %lld rows differ from its SQL, %lld from version %d's\n",
                            w->tables[t].name, column->name, version, (long long)same, (long long)other,
                            3 - version);
                CHECK_INT(same, 0);
                CHECK_INT(other, column->updated ? ROWS : 0);
            }
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

/* Write text to a fresh temporary file and return its path (static); NULL on failure. */
static const char *write_temp(const char *text)
{
    static char path[64];
    snprintf(path, sizeof path, "/tmp/wb-test-workload-XXXXXX.yaml");
    int fd = mkstemps(path, 5);
    if (fd < 0)
        return NULL;
    FILE *f = fdopen(fd, "w");
    fputs(text, f);
    fclose(f);
    return path;
}

/* No fixed limit on a row: 150 columns, and a row of several kilobytes (a long
 * prefix in every hostile kind), are read, made in C, written and verified. */
static void test_wide_rows(void)
{
    enum { NCOLUMNS = 150, PREFIX_BYTES = 3000 };
    wb_buf yaml = WB_BUF_INIT;
    wb_buf_puts(&yaml, "workload: wide\ndescription: test-only, a wide table\ntables:\n  - name: wide\n    key: id\n"
                       "    columns:\n");
    for (int c = 1; c <= NCOLUMNS; c++) {
        wb_buf_printf(&yaml, "      - {name: c%d, type: text, updated: true, generator: {kind: pattern, prefix: \"", c);
        for (int i = 0; i < (c == NCOLUMNS ? PREFIX_BYTES : 4); i++)
            wb_buf_putc(&yaml, (char)('a' + i % 26));
        wb_buf_printf(&yaml, "\", suffix: [\"\", \" v2\"]}, hostile: {offset: %d}}\n", c % 8);
    }
    const char *path = write_temp(wb_buf_str(&yaml));
    wb_buf_free(&yaml);
    CHECK(path != NULL);
    wb_workload *w = NULL;
    wb_error e = {{0}};
    int rc = path ? wb_workload_load(path, &w, &e) : -1;
    if (rc != 0)
        fprintf(stderr, "%s\n", e.msg);
    CHECK_INT(rc, 0);
    wb_conn *c = open_memory();
    if (w && c) {
        const wb_table *t = &w->tables[0];
        CHECK_INT(t->ncolumns, NCOLUMNS + 1);
        CHECK(t->row_text_bytes > PREFIX_BYTES + NCOLUMNS * 4);
        wb_row r = WB_ROW_INIT;
        wb_row_make(t, 37, 2, &r); /* a hostile row: the decorations are in it too */
        CHECK(r.text_len > 1024 + PREFIX_BYTES);
        /* offset 6: kind (37 / 10 + 6 + 1) % 8 = 2, 'O''Brien ' || prefix || '37' || ' v2' */
        CHECK_INT((int64_t)r.v[NCOLUMNS].len, 8 + PREFIX_BYTES + 2 + 3);
        wb_row_free(&r);
        for (int version = 1; version <= 2; version++) {
            CHECK_INT(wb_schema_reset(sqlite_be, c, w, &e), 0);
            CHECK_INT(insert_from_c(c, t, 200, version), 0);
            wb_verify_result v;
            memset(&v, 0, sizeof v);
            CHECK_INT(wb_verify(sqlite_be, c, w, 200, version, WB_VERIFY_VALUES, &v, &e), 0);
            if (!v.ok)
                fprintf(stderr, "wide version %d: %s\n", version, v.detail);
            CHECK(v.ok);
        }
        CHECK_INT(wb_workload_check(sqlite_be, c, w, WB_KEY_MAX, &e), 0);
    }
    sqlite_be->disconnect(c);
    wb_workload_free(w);
    if (path)
        unlink(path);
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
        {EVERY_FEATURE, "order_items", "order_id", "key 0, version 1"}, /* a foreign key; keys from 0 */
        {EVERY_FEATURE, "orders", "order_id", "key 1, version 1"},      /* the key */
        {EVERY_FEATURE, "customers", "customer_id", "key 0, version 1"}, /* a key from 0 */
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

/* Whether generator kind `kind` makes column c or, in a json document, one of its fields. */
static int uses_kind(const wb_column *c, wb_gen_kind kind)
{
    if (c->gen->kind == kind)
        return 1;
    for (int f = 0; c->gen->kind == WB_GEN_JSON && f < c->gen->nfields; f++)
        if (uses_kind(c->gen->fields[f].col, kind))
            return 1;
    return 0;
}

/* every_type holds every SQL type and every generator kind, and its values have the
 * properties its types promise. */
static void test_every_type_model(const wb_workload *w)
{
    int types[WB_SQL_TYPE_COUNT] = {0}, kinds[WB_GEN_JSON + 1] = {0}, nulls = 0, hostile = 0;
    for (int t = 0; t < w->ntables; t++)
        for (int c = 0; c < w->tables[t].ncolumns; c++) {
            const wb_column *col = &w->tables[t].columns[c];
            types[col->sql_type] = 1;
            for (int k = 0; k <= WB_GEN_JSON; k++)
                kinds[k] |= uses_kind(col, (wb_gen_kind)k);
            nulls |= col->gen->null_ppm > 0;
            hostile |= col->gen->hostile && col->type != WB_TYPE_TEXT;
        }
    for (int i = 0; i < WB_SQL_TYPE_COUNT; i++) {
        if (!types[i])
            fprintf(stderr, "every_type has no column of type %s\n", wb_sql_type_name((wb_sql_type)i));
        CHECK(types[i]);
    }
    for (int k = 0; k <= WB_GEN_JSON; k++)
        CHECK(kinds[k]);
    CHECK(nulls);
    CHECK(hostile);
    const wb_table *t = &w->tables[0];
    CHECK(t->columns[wb_table_column_index(t, "c_bigint")].unique);
    CHECK(t->columns[wb_table_column_index(t, "c_email")].unique);
    CHECK(t->columns[wb_table_column_index(t, "c_uuid")].unique);
    CHECK(!t->columns[wb_table_column_index(t, "c_varchar")].unique);
    CHECK(t->row_text_bytes > 3000); /* c_long: a row beyond 1 KiB */
    int c_char = wb_table_column_index(t, "c_char"), c_bytes = wb_table_column_index(t, "c_bytes"),
        c_json = wb_table_column_index(t, "c_json"), c_real = wb_table_column_index(t, "c_real");
    int nul_bytes = 0, padded = 0, escaped = 0, exact = 0;
    wb_row r = WB_ROW_INIT;
    for (int64_t key = 1; key <= 100; key++) {
        wb_row_make(t, key, 1, &r);
        /* char(16): blank-padded to 16 characters, hostile decorations (multi-byte) included */
        if (!r.v[c_char].is_null) {
            size_t chars = 0;
            for (size_t i = 0; i < r.v[c_char].len; i++)
                chars += ((unsigned char)r.v[c_char].text[i] & 0xc0) != 0x80;
            padded += chars == 16;
            CHECK_INT((int64_t)chars, 16);
        }
        /* bytes hold every byte value, NUL included */
        if (!r.v[c_bytes].is_null)
            nul_bytes += memchr(r.v[c_bytes].text, 0, r.v[c_bytes].len) != NULL;
        /* the hostile backslash in a json string is escaped: C:\\temp\\N */
        if (!r.v[c_json].is_null)
            escaped += strstr(r.v[c_json].text, "\"C:\\\\temp\\\\N ") != NULL;
        /* a real is units / 16, exact in a float */
        if (!r.v[c_real].is_null)
            exact += (double)(float)r.v[c_real].f64 == r.v[c_real].f64 && r.v[c_real].i64 == r.v[c_real].f64 * 16;
    }
    wb_row_free(&r);
    CHECK(padded > 50);
    CHECK(nul_bytes > 0);
    CHECK(escaped > 0);
    CHECK(exact > 50);
}

/* A planted disagreement in every column of every_type, each type and generator in
 * turn: the check refuses the workload naming the table and the column. */
static void test_every_type_refused(void)
{
    wb_conn *c = open_memory();
    wb_workload *w = NULL;
    wb_error e = {{0}};
    CHECK_INT(wb_workload_load(EVERY_TYPE, &w, &e), 0);
    int refused = 0, columns = 0;
    for (int t = 0; w && c && t < w->ntables; t++)
        for (int col = 1; col < w->tables[t].ncolumns; col++) {
            wb_workload *planted = NULL;
            CHECK_INT(wb_workload_load(EVERY_TYPE, &planted, &e), 0);
            if (!planted)
                continue;
            columns++;
            const char *table = w->tables[t].name, *column = w->tables[t].columns[col].name;
            CHECK_INT(wb_workload_test_perturb(planted, table, column), 0);
            int rc = wb_workload_check(sqlite_be, c, planted, 1000, &e);
            char where[256];
            snprintf(where, sizeof where, "table %s, column %s, key ", table, column);
            if (rc != 1 || !strstr(e.msg, where))
                fprintf(stderr, "%s.%s: %d %s\n", table, column, rc, e.msg);
            refused += rc == 1 && strstr(e.msg, where) != NULL;
            wb_workload_free(planted);
        }
    CHECK(columns > 25);
    CHECK_INT(refused, columns);
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
        test_in_sqlite(every, 0);
        test_check_passes(every);
    }
    test_check_refuses();
    test_wide_rows();
    wb_workload_free(every);
    wb_workload *types = NULL;
    rc = wb_workload_load(EVERY_TYPE, &types, &e);
    if (rc != 0)
        fprintf(stderr, "%s\n", e.msg);
    CHECK_INT(rc, 0);
    if (types) {
        test_every_type_model(types);
        test_in_sqlite(types, 1);
        wb_conn *c = open_memory();
        static const int64_t last_keys[] = {1000, 123457, 9876543210LL, WB_KEY_MAX};
        for (size_t i = 0; c && i < sizeof last_keys / sizeof last_keys[0]; i++) {
            int check = wb_workload_check(sqlite_be, c, types, last_keys[i], &e);
            if (check != 0)
                fprintf(stderr, "every_type up to %lld: %s\n", (long long)last_keys[i], e.msg);
            CHECK_INT(check, 0);
        }
        sqlite_be->disconnect(c);
        test_every_type_refused();
    }
    wb_workload_free(types);
    return check_finish();
}

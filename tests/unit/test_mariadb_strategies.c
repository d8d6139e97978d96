/* Every strategy of the catalogue that runs on MariaDB, in-process (no fork, no
 * runner) against a real server: the shipped workloads and every_feature, each pass
 * it takes part in, one thread (integration/test_mariadb_run.sh runs every
 * strategy at three too), 257 rows, batch 50, then verified value by value in the
 * database, plus an independent read-back of every hostile row (quotes,
 * backslash-N, tabs, newlines, CRs, UTF-8, NULLs) as text; the shipped workloads
 * again with the session's sql_mode NO_BACKSLASH_ESCAPES. After each run: no transaction left open, and the tables'
 * indexes and constraints exactly as before (load-then-index drops and rebuilds
 * them). Also: a batch past the protocol's 65,535 parameters, split by the
 * multi-row strategies; the skip of replace's update pass where InnoDB cannot
 * delete a referenced row; update-then-insert at three threads (on users), whose
 * InnoDB deadlocks (its gap locks under REPEATABLE READ) are retried, never a
 * failure; every shipped workload (every SQL type) supported. The read-back writes
 * each type's canonical text in SQL of its own, not the dialect's.
 *
 * Needs WB_MARIADB_URL_FILE (set by CTest for test_mariadb_* tests); without it,
 * skipped with the reason. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"

#include "backends/mariadb_internal.h"
#include "runner/verify.h"
#include "strategies/strategy.h"
#include "workloads/schema.h"
#include "workloads/workload.h"

#define DATABASE "wbunit_mariadb_strat"
#define MAX_THREADS 3

static const wb_backend *B = &wb_mariadb_backend;
static wb_target target;
static const char *mode_name = "default sql_mode";

typedef struct test_case {
    const wb_strategy *strategy;
    const wb_workload *workload;
    wb_phase phase;
    int threads;
    int64_t rows;
    int64_t batch;
} test_case;

static char case_text[320];

static void describe_case(const test_case *tc)
{
    snprintf(case_text, sizeof case_text, "strategy %s, workload %s, pass %s, threads %d, rows %lld, batch %lld, %s",
             tc->strategy->name, tc->workload->name, wb_phase_name(tc->phase), tc->threads, (long long)tc->rows,
             (long long)tc->batch, mode_name);
}

#define CHECK_MSG(cond, msg)                                              \
    do {                                                                  \
        int check_ok_ = (cond);                                           \
        if (!check_ok_)                                                   \
            fprintf(stderr, "  [%s] %s\n", case_text, (msg));             \
        CHECK(check_ok_ && #cond);                                        \
    } while (0)
#define CHECK_INT_IN(a, b)                                                \
    do {                                                                  \
        long long check_x_ = (long long)(a), check_y_ = (long long)(b);   \
        if (check_x_ != check_y_)                                         \
            fprintf(stderr, "  [%s]\n", case_text);                       \
        CHECK_INT(check_x_, check_y_);                                    \
    } while (0)

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

typedef struct text_rows {
    wb_buf *out;
} text_rows;

/* Query callback: every value of every row, one line a row ("(null)" for NULL). */
static int append_rows(void *arg, int ncols, const char *const *names, const char *const *values)
{
    (void)names;
    wb_buf *out = arg;
    for (int i = 0; i < ncols; i++)
        wb_buf_printf(out, "%s%s", i ? "|" : "", values[i] ? values[i] : "(null)");
    wb_buf_putc(out, '\n');
    return 0;
}

/* Every index and constraint of the test database, one text. */
static void schema_signature(wb_conn *admin, wb_buf *out)
{
    wb_error e = {{0}};
    wb_buf_reset(out);
    if (B->query(admin,
                 "SELECT CONCAT(TABLE_NAME, ' ', INDEX_NAME, ' ', NON_UNIQUE, ' ', SEQ_IN_INDEX, ' ', COLUMN_NAME) "
                 "FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = '" DATABASE "' UNION ALL "
                 "SELECT CONCAT(TABLE_NAME, ' ', CONSTRAINT_NAME, ' ', CONSTRAINT_TYPE) FROM "
                 "information_schema.TABLE_CONSTRAINTS WHERE CONSTRAINT_SCHEMA = '" DATABASE "' ORDER BY 1",
                 append_rows, out, &e) != 0)
        fprintf(stderr, "schema signature: %s\n", e.msg);
}

/* Append column c of t read back as its canonical text (docs/WORKLOADS.md, "Types"),
 * written here independently of the dialect: MariaDB writes a boolean as 1, strips a
 * CHAR's blanks, adds a DATETIME(6)'s microseconds and keeps no "+00"; a binary
 * fraction as its units (its text's decimal places are the generator's, not the
 * server's), bytes in hex. scale: the column's fraction bits. */
static void put_read_back(wb_buf *sql, const wb_column *c, int scale)
{
    const char *n = c->name;
    switch (c->sql_type) {
    case WB_SQL_BOOLEAN: wb_buf_printf(sql, "IF(\"%s\", 'true', 'false')", n); break;
    case WB_SQL_CHAR: wb_buf_printf(sql, "RPAD(\"%s\", %lld, ' ')", n, (long long)c->type_length); break;
    case WB_SQL_TIMESTAMP: wb_buf_printf(sql, "DATE_FORMAT(\"%s\", '%%Y-%%m-%%d %%H:%%i:%%s')", n); break;
    case WB_SQL_TIMESTAMPTZ:
        wb_buf_printf(sql, "CONCAT(DATE_FORMAT(\"%s\", '%%Y-%%m-%%d %%H:%%i:%%s'), '+00')", n);
        break;
    case WB_SQL_REAL:
    case WB_SQL_DOUBLE: wb_buf_printf(sql, "CAST(\"%s\" * POW(2, %d) AS SIGNED)", n, scale); break;
    case WB_SQL_BYTEA: wb_buf_printf(sql, "LOWER(HEX(\"%s\"))", n); break;
    default: wb_buf_printf(sql, "\"%s\"", n); break;
    }
}

/* Append value v as put_read_back reads it. */
static void put_expected(wb_buf *out, const wb_value *v)
{
    if (v->is_null)
        wb_buf_puts(out, "(null)");
    else if (v->type == WB_TYPE_FLOAT)
        wb_buf_printf(out, "%lld", (long long)v->i64);
    else if (v->type == WB_TYPE_BYTES)
        for (size_t i = 0; i < v->len; i++)
            wb_buf_printf(out, "%02x", (unsigned char)v->text[i]);
    else
        wb_buf_append(out, v->text, v->len);
}

/* Read every hostile row (row number % 10 == 7) of every table back as text and compare it
 * with the generator, independently of the verifier. */
static void check_hostile_rows(wb_conn *admin, const wb_workload *w, int64_t rows, int version)
{
    for (int t = 0; t < w->ntables; t++) {
        const wb_table *table = &w->tables[t];
        wb_buf sql = WB_BUF_INIT, got = WB_BUF_INIT, want = WB_BUF_INIT;
        wb_row first = WB_ROW_INIT;
        wb_row_make(table, 7, version, &first); /* the fraction bits of each column (NULL ones too) */
        wb_buf_puts(&sql, "SELECT ");
        for (int c = 0; c < table->ncolumns; c++) {
            wb_buf_puts(&sql, c ? ", " : "");
            put_read_back(&sql, &table->columns[c], first.v[c].scale);
        }
        wb_row_free(&first);
        wb_buf_puts(&sql, " FROM ");
        B->table_name(admin, table->name, &sql);
        /* by row number: a table numbered from 0 holds row 7 under key 6 */
        wb_buf key = WB_BUF_INIT, row_number = WB_BUF_INIT;
        wb_buf_printf(&key, "\"%s\"", table->columns[0].name);
        wb_table_row_sql(table, wb_buf_str(&key), &row_number);
        wb_buf_printf(&sql, " WHERE %s %% 10 = 7 ORDER BY %s", wb_buf_str(&row_number), wb_buf_str(&key));
        wb_buf_free(&key);
        wb_buf_free(&row_number);
        wb_error e = {{0}};
        CHECK_MSG(B->query(admin, wb_buf_str(&sql), append_rows, &got, &e) == 0, e.msg);
        for (int64_t key = 7; key <= rows; key += 10) {
            wb_row row = WB_ROW_INIT;
            wb_row_make(table, key, version, &row);
            for (int c = 0; c < table->ncolumns; c++) {
                wb_buf_puts(&want, c ? "|" : "");
                put_expected(&want, &row.v[c]);
            }
            wb_buf_putc(&want, '\n');
            wb_row_free(&row);
        }
        CHECK_MSG(strcmp(wb_buf_str(&got), wb_buf_str(&want)) == 0, "a hostile value did not survive");
        wb_buf_free(&sql);
        wb_buf_free(&got);
        wb_buf_free(&want);
    }
}

/* Whether MariaDB's dialect declares every column type of w. */
static int supported(const wb_workload *w)
{
    wb_error e = {{0}};
    return w && wb_schema_supported(B, w, &e) == 0;
}

static void run_case(wb_conn *admin, const test_case *tc)
{
    describe_case(tc);
    const wb_workload *w = tc->workload;
    wb_error e = {{0}};
    wb_conn *conns[MAX_THREADS] = {NULL};
    wb_counters counters;
    memset(&counters, 0, sizeof counters);
    wb_buf before = WB_BUF_INIT, after = WB_BUF_INIT;

    int ok = wb_schema_reset(B, admin, w, &e) == 0 &&
             (tc->phase == WB_PHASE_INSERT || wb_schema_generate(B, admin, w, tc->rows, 1, &e) == 0);
    CHECK_MSG(ok, e.msg);
    if (ok)
        schema_signature(admin, &before);
    int opened = 0;
    for (; ok && opened < tc->threads; opened++) {
        ok = B->connect(&target, &conns[opened], &e) == 0;
        CHECK_MSG(ok, e.msg);
        if (ok)
            B->attach_counters(conns[opened], &counters);
    }
    if (ok) {
        wb_error strategy_error = {{0}};
        wb_ctx ctx = {.backend = B, .target = &target, .workload = w, .phase = tc->phase,
                      .version = tc->phase == WB_PHASE_UPDATE ? 2 : 1, .rows = tc->rows, .batch = tc->batch,
                      .threads = tc->threads, .conns = conns, .counters = &counters, .error = &strategy_error};
        int rc = wb_strategy_fn_for(tc->strategy, WB_BACKEND_MARIADB, NULL)(&ctx);
        int referenced = 0;
        for (int t = 0; t < w->ntables; t++)
            referenced |= w->tables[t].nforeign_keys > 0;
        if (rc == WB_SKIP) {
            /* only replace's update pass, where a foreign key references a table */
            CHECK_MSG(strcmp(tc->strategy->name, "replace") == 0 && tc->phase == WB_PHASE_UPDATE && referenced,
                      strategy_error.msg);
            CHECK_CONTAINS(strategy_error.msg, "InnoDB refuses to delete");
        } else if (tc->strategy->flags & WB_STRAT_CLIENT_FLOOR) {
            CHECK_MSG(rc == 0, strategy_error.msg);
            CHECK_INT_IN(atomic_load(&counters.rows_done), tc->rows * w->ntables);
        } else {
            CHECK_MSG(rc == 0, strategy_error.msg);
            wb_verify_result result;
            memset(&result, 0, sizeof result);
            int vrc = wb_verify(B, admin, w, tc->rows, ctx.version, WB_VERIFY_VALUES, &result, &e);
            CHECK_MSG(vrc == 0, e.msg);
            CHECK_MSG(vrc == 0 && result.ok, result.detail);
            CHECK_INT_IN(result.rows_verified, tc->rows * w->ntables);
            /* a retried transaction's rows are counted once (InnoDB's deadlocks of
             * update-then-insert at three threads are retried, never a failure) */
            CHECK_INT_IN(atomic_load(&counters.rows_done), tc->rows * w->ntables);
            if (atomic_load(&counters.transaction_retries) > 0)
                printf("  [%s] %lld transactions retried\n", case_text, (long long)atomic_load(&counters.transaction_retries));
            check_hostile_rows(admin, w, tc->rows, ctx.version);
            for (int i = 0; i < tc->threads; i++)
                CHECK_MSG(!wb_mariadb_in_transaction(conns[i]), "a transaction was left open");
            schema_signature(admin, &after);
            CHECK_MSG(strcmp(wb_buf_str(&before), wb_buf_str(&after)) == 0, "indexes or constraints differ");
        }
    }
    for (int i = 0; i < opened; i++)
        B->disconnect(conns[i]);
    wb_buf_free(&before);
    wb_buf_free(&after);
}

static void run_strategy_cases(wb_conn *admin, const wb_strategy *s, const wb_workload *w, int64_t rows,
                               int64_t batch, const int *threads, int nthreads)
{
    for (int p = 0; p < 2; p++) {
        if (!(s->passes & (p ? WB_PASS_UPDATE : WB_PASS_INSERT)))
            continue;
        for (int t = 0; t < nthreads; t++) {
            test_case tc = {s, w, p ? WB_PHASE_UPDATE : WB_PHASE_INSERT, threads[t], rows, batch};
            run_case(admin, &tc);
        }
    }
}

/* The catalogue on MariaDB, one thread; with every_feature not NULL, that workload
 * too; with threads_too, users at three threads as well for the strategies that
 * split keys over connections. */
static void test_catalog(wb_conn *admin, const wb_workload *every_feature, int threads_too)
{
    static const int three[] = {MAX_THREADS};
    static const int one[] = {1};
    const wb_workload *users = wb_workload_find("users");
    int strategies = 0;
    for (const wb_strategy *s = wb_catalog; s->name; s++) {
        if (!wb_strategy_fn_for(s, WB_BACKEND_MARIADB, NULL) || (s->flags & WB_STRAT_TEST_ONLY))
            continue;
        strategies++;
        /* 257 rows: not a multiple of the batch or the threads, past every hostile kind */
        int64_t rows = s->flags & WB_STRAT_SLOW ? 97 : 257;
        for (int i = 0; wb_workloads[i]; i++)
            if (supported(wb_workloads[i]))
                run_strategy_cases(admin, s, wb_workloads[i], rows, 50, one, 1);
        if (threads_too && users && (s->flags & WB_STRAT_THREADS))
            run_strategy_cases(admin, s, users, rows, 50, three, 1);
        if (every_feature)
            run_strategy_cases(admin, s, every_feature, rows, 50, one, 1);
    }
    /* Every strategy the README lists for MariaDB runs on it. */
    static const char *const expected[] = {
        "server-generate", "generate-only", "single-autocommit", "single-tx", "batch-commit", "prepared",
        "values-multirow", "load-data", "load-then-index", "select-then-write", "update-then-insert",
        "insert-ignore-then-update", "on-conflict", "on-conflict-batch", "replace", "bulk-update", "commit-queue"};
    for (size_t i = 0; i < sizeof expected / sizeof expected[0]; i++) {
        const wb_strategy *s = wb_strategy_find(expected[i]);
        if (!s || !wb_strategy_fn_for(s, WB_BACKEND_MARIADB, NULL))
            fprintf(stderr, "strategy %s does not run on MariaDB\n", expected[i]);
        CHECK(s && wb_strategy_fn_for(s, WB_BACKEND_MARIADB, NULL));
    }
    CHECK_INT(strategies, (int)(sizeof expected / sizeof expected[0]));
}

/* Every shipped workload is supported: MariaDB's dialect declares every type. */
static void test_every_workload_supported(void)
{
    for (int i = 0; wb_workloads[i]; i++) {
        wb_error e = {{0}};
        CHECK_MSG(wb_schema_supported(B, wb_workloads[i], &e) == 0, e.msg);
    }
}

/* A batch past the protocol's 65,535 parameters (products: 4 columns, at most
 * 16,383 rows a statement): the multi-row strategies split it. */
static void test_large_batch(wb_conn *admin)
{
    static const int one[] = {1};
    static const char *const multirow[] = {"values-multirow", "on-conflict-batch", "bulk-update"};
    const wb_workload *products = wb_workload_find("products");
    for (size_t i = 0; products && i < sizeof multirow / sizeof multirow[0]; i++) {
        const wb_strategy *s = wb_strategy_find(multirow[i]);
        CHECK(s != NULL);
        if (s)
            run_strategy_cases(admin, s, products, 16500, 100000, one, 1);
    }
}

int main(void)
{
    const char *file = getenv("WB_MARIADB_URL_FILE");
    if (!file || !*file)
        return CHECK_SKIP("WB_MARIADB_URL_FILE is not set (CTest sets it; by hand: "
                          "tests/mariadb/server.sh start DIR, then WB_MARIADB_URL_FILE=DIR/url)");
    char url[2048], with_db[2300];
    if (read_url(file, url, sizeof url) != 0) {
        fprintf(stderr, "cannot read the MariaDB fixture's URL from %s\n", file);
        CHECK(0);
        return check_finish();
    }
    const char *q = strchr(url, '?');
    snprintf(with_db, sizeof with_db, "mariadb://root@localhost/" DATABASE "%s", q ? q : "");
    wb_error e = {{0}};
    const wb_workload *every_feature = NULL;
    if (wb_target_parse(with_db, true, &target, &e) != 0 ||
        wb_workload_open(WB_SOURCE_DIR "/tests/workloads/every_feature.yaml", &every_feature, &e) != 0) {
        fprintf(stderr, "%s\n", e.msg);
        CHECK(0);
        return check_finish();
    }
    for (int mode = 0; mode < 2; mode++) {
        if (mode == 1) {
            mode_name = "sql_mode NO_BACKSLASH_ESCAPES";
            CHECK_INT(wb_target_add_pragma(&target, "sql_mode=NO_BACKSLASH_ESCAPES", &e), 0);
        }
        wb_conn *admin = NULL;
        if (B->connect(&target, &admin, &e) != 0 || B->claim_namespace(admin, true, &e) != 0) {
            fprintf(stderr, "%s\n", e.msg);
            CHECK(0);
            B->disconnect(admin);
            return check_finish();
        }
        /* the whole catalogue under the default mode; under NO_BACKSLASH_ESCAPES, where
         * only the escaping differs, the shipped workloads on one thread */
        test_catalog(admin, mode == 0 ? every_feature : NULL, mode == 0);
        if (mode == 0) {
            test_large_batch(admin);
            test_every_workload_supported();
        }
        wb_error ignored = {{0}};
        B->exec(admin, "DROP DATABASE IF EXISTS " DATABASE, &ignored);
        B->disconnect(admin);
    }
    return check_finish();
}

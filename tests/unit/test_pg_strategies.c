/* Every PostgreSQL strategy of the catalogue, run in-process (no fork, no runner)
 * against a real server: both workloads, each pass it takes part in, one and four
 * threads (for strategies that honour --threads), 257 rows, batch 50, then verified
 * value by value in the database, plus an independent read-back of every hostile
 * row (quotes, backslash-N, tabs, newlines, CRs, UTF-8, NULLs). After each run: no
 * transaction left open, no prepared statement left behind, and the tables' indexes
 * and constraints exactly as before (load-then-index drops and rebuilds them).
 * Also: the commit-queue under contention (4 producers, batch 7), the edges (more
 * threads than rows, a batch larger than all rows or than 65,535 parameters), the
 * skipped path (an older server or libpq simulated with wb_pg_caps_override), the
 * failure path (the server's error, connections left clean), and the binary
 * numeric encoder against the server's own binary form and through COPY.
 *
 * Needs WB_PG_CONNINFO_FILE (set by CTest for test_pg_* tests from the "pg" fixture's
 * throwaway cluster); without it, skipped with the reason. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"

#include "backends/postgres.h"
#include "runner/verify.h"
#include "strategies/pg/copy_stream.h"
#include "strategies/pg/pg_strategies.h"
#include "strategies/strategy.h"
#include "workloads/schema.h"
#include "workloads/workload.h"

#define SCHEMA "wbtest_strat"
#define MAX_THREADS 4

static const wb_backend *pg_backend;
static wb_target target;

/* One combination under test. */
typedef struct test_case {
    const wb_strategy *strategy;
    const wb_workload *workload;
    wb_phase phase;
    int threads;
    int64_t rows;
    int64_t batch;
} test_case;

static char case_text[256];

static void describe_case(const test_case *tc)
{
    snprintf(case_text, sizeof case_text, "strategy %s, workload %s, pass %s, threads %d, rows %lld, batch %lld",
             tc->strategy->name, tc->workload->name, wb_phase_name(tc->phase), tc->threads,
             (long long)tc->rows, (long long)tc->batch);
}

/* CHECK, CHECK_INT that also name the combination (and a message) when they fail. */
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

/* The first line of the fixture's conninfo file. */
static int read_conninfo(const char *path, char *out, size_t n)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return -1;
    int ok = fgets(out, (int)n, f) != NULL;
    fclose(f);
    if (!ok)
        return -1;
    out[strcspn(out, "\r\n")] = '\0';
    return 0;
}

/* The text of the only value a query returns on pg ("" on error, printed). */
static void query_value(PGconn *pg, const char *sql, char *out, size_t n)
{
    PGresult *res = PQexec(pg, sql);
    out[0] = '\0';
    if (PQresultStatus(res) == PGRES_TUPLES_OK && PQntuples(res) == 1 && PQnfields(res) == 1)
        snprintf(out, n, "%s", PQgetisnull(res, 0, 0) ? "" : PQgetvalue(res, 0, 0));
    else
        fprintf(stderr, "%s: %s", sql, PQresultErrorMessage(res));
    PQclear(res);
}

/* Every index and constraint of the test schema, one text: what a strategy must leave as it found. */
static void schema_signature(wb_conn *admin, char *out, size_t n)
{
    query_value(wb_pg_conn(admin),
                "SELECT coalesce(string_agg(x, E'\\n' ORDER BY x), '') FROM ("
                "SELECT conrelid::regclass || ' ' || conname || ' ' || pg_get_constraintdef(oid) AS x "
                "FROM pg_constraint WHERE connamespace = '" SCHEMA "'::regnamespace "
                "UNION ALL SELECT pg_get_indexdef(i.indexrelid) FROM pg_index i JOIN pg_class c "
                "ON c.oid = i.indexrelid WHERE c.relnamespace = '" SCHEMA "'::regnamespace) s",
                out, n);
}

/* Read every hostile row (key % 10 == 7) of every table back as text and compare it
 * with the generator, independently of the verifier, in the types whose text is
 * the server's too. */
static void check_hostile_rows(wb_conn *admin, const wb_workload *w, int64_t rows, int version)
{
    PGconn *pg = wb_pg_conn(admin);
    for (int t = 0; t < w->ntables; t++) {
        const wb_table *table = &w->tables[t];
        wb_buf sql = WB_BUF_INIT;
        wb_buf_puts(&sql, "SELECT ");
        for (int c = 0; c < table->ncolumns; c++)
            wb_buf_printf(&sql, "%s\"%s\"", c ? ", " : "", table->columns[c].name);
        wb_buf_puts(&sql, " FROM ");
        pg_backend->table_name(admin, table->name, &sql);
        wb_buf_printf(&sql, " WHERE \"%s\" %% 10 = 7 ORDER BY \"%s\"", table->columns[0].name,
                      table->columns[0].name);
        PGresult *res = PQexec(pg, wb_buf_str(&sql));
        wb_buf_free(&sql);
        CHECK_MSG(PQresultStatus(res) == PGRES_TUPLES_OK, PQresultErrorMessage(res));
        int64_t expected_rows = rows >= 7 ? (rows - 7) / 10 + 1 : 0;
        CHECK_INT_IN(PQntuples(res), expected_rows);
        wb_row row = WB_ROW_INIT;
        for (int r = 0; r < PQntuples(res) && r < expected_rows; r++) {
            wb_row_make(table, 7 + 10 * (int64_t)r, version, &row);
            for (int c = 0; c < table->ncolumns; c++) {
                const wb_value *v = &row.v[c];
                /* the types PostgreSQL writes back in the generator's canonical text (in a
                 * session in UTC with ISO dates); floats, booleans, jsonb and bytea it writes
                 * its own way, and the verifier compares them as values */
                wb_sql_type st = table->columns[c].sql_type;
                if (v->type == WB_TYPE_FLOAT || v->type == WB_TYPE_BOOL || v->type == WB_TYPE_BYTES ||
                    st == WB_SQL_JSONB)
                    continue;
                int same = PQgetisnull(res, r, c) ? v->is_null
                                                  : !v->is_null && strcmp(PQgetvalue(res, r, c), v->text) == 0;
                if (!same)
                    fprintf(stderr, "  %s key %lld column %s: read '%s', generated '%s'\n", table->name,
                            (long long)(7 + 10 * r), table->columns[c].name,
                            PQgetisnull(res, r, c) ? "NULL" : PQgetvalue(res, r, c),
                            v->is_null ? "NULL" : v->text);
                CHECK_MSG(same, "a hostile value did not survive");
            }
        }
        wb_row_free(&row);
        PQclear(res);
    }
}

/* Connections of a strategy must come back idle and without prepared statements. */
static void check_connection_clean(wb_conn *c)
{
    PGconn *pg = wb_pg_conn(c);
    CHECK_MSG(PQtransactionStatus(pg) == PQTRANS_IDLE, "a transaction was left open");
    char count[32];
    query_value(pg, "SELECT count(*) FROM pg_prepared_statements", count, sizeof count);
    CHECK_MSG(strcmp(count, "0") == 0, "prepared statements were left behind");
}

static int connect_conns(wb_conn **conns, int n, wb_counters *counters, wb_error *e)
{
    for (int i = 0; i < n; i++) {
        if (pg_backend->connect(&target, &conns[i], e) != 0)
            return -1;
        pg_backend->attach_counters(conns[i], counters);
    }
    return 0;
}

static void disconnect_conns(wb_conn **conns, int n)
{
    for (int i = 0; i < n; i++) {
        pg_backend->disconnect(conns[i]);
        conns[i] = NULL;
    }
}

/* Fresh tables (with version 1 preloaded by SQL for an update pass). */
static int prepare_tables(wb_conn *admin, const wb_workload *w, wb_phase phase, int64_t rows, wb_error *e)
{
    if (wb_schema_reset(pg_backend, admin, w, e) != 0)
        return -1;
    return phase == WB_PHASE_UPDATE ? wb_schema_generate(pg_backend, admin, w, rows, 1, e) : 0;
}

static wb_ctx make_ctx(const wb_workload *w, wb_phase phase, int64_t rows, int64_t batch, int threads,
                       wb_conn **conns, wb_counters *counters, wb_error *e)
{
    wb_ctx ctx = {
        .backend = pg_backend,
        .target = &target,
        .workload = w,
        .phase = phase,
        .version = phase == WB_PHASE_UPDATE ? 2 : 1,
        .rows = rows,
        .batch = batch,
        .threads = threads,
        .conns = conns,
        .counters = counters,
        .error = e,
    };
    return ctx;
}

/* Run one combination on fresh tables and check what it wrote. */
static void run_case(wb_conn *admin, const test_case *tc)
{
    describe_case(tc);
    const wb_workload *w = tc->workload;
    wb_error e = {{0}};
    wb_conn *conns[MAX_THREADS] = {NULL};
    wb_counters counters = {0};
    char before[4096], after[4096];

    int ok = prepare_tables(admin, w, tc->phase, tc->rows, &e) == 0;
    CHECK_MSG(ok, e.msg);
    if (ok) {
        schema_signature(admin, before, sizeof before);
        ok = connect_conns(conns, tc->threads, &counters, &e) == 0;
        CHECK_MSG(ok, e.msg);
    }
    if (ok) {
        wb_error strategy_error = {{0}};
        wb_ctx ctx = make_ctx(w, tc->phase, tc->rows, tc->batch, tc->threads, conns, &counters, &strategy_error);
        int rc = wb_strategy_fn_for(tc->strategy, WB_BACKEND_POSTGRES, NULL)(&ctx);
        CHECK_MSG(rc == 0, strategy_error.msg);

        wb_verify_result result;
        memset(&result, 0, sizeof result);
        if (tc->strategy->flags & WB_STRAT_CLIENT_FLOOR) {
            /* generate-only: every row made, nothing written; the tables hold what they held */
            CHECK_INT_IN(atomic_load(&counters.rows_done), tc->rows * w->ntables);
            for (int t = 0; t < w->ntables; t++)
                CHECK_INT_IN(wb_schema_count(pg_backend, admin, &w->tables[t], &e),
                             tc->phase == WB_PHASE_UPDATE ? tc->rows : 0);
            disconnect_conns(conns, tc->threads);
            return;
        }
        int vrc = wb_verify(pg_backend, admin, w, tc->rows, ctx.version, WB_VERIFY_VALUES, &result, &e);
        CHECK_MSG(vrc == 0, e.msg);
        CHECK_MSG(vrc == 0 && result.ok, result.detail);
        CHECK_INT_IN(result.rows_verified, tc->rows * w->ntables);
        CHECK_INT_IN(atomic_load(&counters.rows_done), tc->rows * w->ntables);
        check_hostile_rows(admin, w, tc->rows, ctx.version);
        for (int i = 0; i < tc->threads; i++)
            check_connection_clean(conns[i]);
        schema_signature(admin, after, sizeof after);
        CHECK_MSG(strcmp(before, after) == 0, "indexes or constraints differ from before the run");
        if (strcmp(before, after) != 0)
            fprintf(stderr, "  before:\n%s\n  after:\n%s\n", before, after);
    }
    disconnect_conns(conns, tc->threads);
}

/* Every pass of s on w at the given sizes, with each thread count. */
static void run_strategy_cases(wb_conn *admin, const wb_strategy *s, const wb_workload *w, int64_t rows,
                               int64_t batch, const int *threads, int nthreads)
{
    static const struct {
        unsigned pass;
        wb_phase phase;
    } passes[] = {{WB_PASS_INSERT, WB_PHASE_INSERT}, {WB_PASS_UPDATE, WB_PHASE_UPDATE}};
    for (size_t p = 0; p < sizeof passes / sizeof passes[0]; p++) {
        if (!(s->passes & passes[p].pass))
            continue;
        for (int t = 0; t < nthreads; t++) {
            test_case tc = {s, w, passes[p].phase, threads[t], rows, batch};
            run_case(admin, &tc);
        }
    }
}

static const wb_strategy *find_strategy(const char *name)
{
    const wb_strategy *s = wb_strategy_find(name);
    CHECK(s != NULL && wb_strategy_fn_for(s, WB_BACKEND_POSTGRES, NULL) != NULL);
    return s && wb_strategy_fn_for(s, WB_BACKEND_POSTGRES, NULL) ? s : NULL;
}

static void test_catalog(wb_conn *admin)
{
    static const int one_and_four[] = {1, MAX_THREADS};
    static const int one[] = {1};
    static const int four[] = {MAX_THREADS};
    const wb_workload *users = wb_workload_find("users");
    int strategies = 0;
    for (const wb_strategy *s = wb_catalog; s->name; s++) {
        if (!wb_strategy_fn_for(s, WB_BACKEND_POSTGRES, NULL) || (s->flags & WB_STRAT_TEST_ONLY))
            continue;
        strategies++;
        int threaded = (s->flags & WB_STRAT_THREADS) != 0;
        /* 257 rows: not a multiple of the batch or the threads, and past every hostile
         * kind of value (they all occur within the first 80 keys). */
        /* four threads on every workload (orders too: a child whose parent is in
         * another thread's range waits for it at the per-table barrier) */
        for (int i = 0; wb_workloads[i]; i++)
            run_strategy_cases(admin, s, wb_workloads[i], 257, 50, threaded ? one_and_four : one, threaded ? 2 : 1);
        /* The edges, on users (it has the foreign key): a batch larger than all rows,
         * and more threads than rows (some threads get an empty key range). */
        if (users) {
            run_strategy_cases(admin, s, users, 90, 1000, one, 1);
            if (threaded)
                run_strategy_cases(admin, s, users, 3, 50, four, 1);
        }
    }
    /* A batch past the protocol's 65,535 parameters (products: 4 columns, at most
     * 16,383 rows a statement): the multi-row strategies must split it. */
    static const char *const multirow[] = {"values-multirow", "on-conflict-batch", "merge", "bulk-update"};
    const wb_workload *products = wb_workload_find("products");
    for (size_t i = 0; products && i < sizeof multirow / sizeof multirow[0]; i++) {
        const wb_strategy *s = find_strategy(multirow[i]);
        if (s)
            run_strategy_cases(admin, s, products, 16500, 100000, one, 1);
    }

    /* Every strategy that runs on PostgreSQL (the README's "Strategies" table;
     * docs/ARCHITECTURE.md, "Strategy catalogue") is in the catalogue. */
    static const char *const expected[] = {
        "server-generate", "generate-only", "single-autocommit", "single-tx", "batch-commit", "prepared",
        "values-multirow", "pipeline", "unnest", "copy-text", "copy-binary", "copy-freeze", "unlogged-then-logged",
        "load-then-index",
        "select-then-write", "update-then-insert", "on-conflict", "on-conflict-batch", "merge",
        "staging-merge", "staging-on-conflict", "bulk-update", "commit-queue"};
    for (size_t i = 0; i < sizeof expected / sizeof expected[0]; i++) {
        const wb_strategy *s = wb_strategy_find(expected[i]);
        if (!s || !wb_strategy_fn_for(s, WB_BACKEND_POSTGRES, NULL))
            fprintf(stderr, "strategy %s does not run on PostgreSQL\n", expected[i]);
        CHECK(s && wb_strategy_fn_for(s, WB_BACKEND_POSTGRES, NULL));
    }
    CHECK_INT(strategies, (int)(sizeof expected / sizeof expected[0]));
}

/* The commit-queue under contention: four producers racing for a queue a few rows
 * long (batch 7: capacity 28), one writer committing every 7 rows. */
static void test_commit_queue_contention(wb_conn *admin)
{
    const wb_strategy *s = find_strategy("commit-queue");
    if (!s)
        return;
    static const int four[] = {MAX_THREADS};
    for (int i = 0; wb_workloads[i]; i++)
        run_strategy_cases(admin, s, wb_workloads[i], 257, 7, four, 1);
}

/* A strategy the server (or libpq) cannot run returns WB_SKIP with the reason naming
 * the version, and writes nothing. */
static void expect_skip(wb_conn *admin, const char *name, const wb_pg_caps *caps, const char *needle1,
                        const char *needle2)
{
    const wb_strategy *s = find_strategy(name);
    const wb_workload *w = wb_workload_find("products");
    if (!s || !w)
        return;
    snprintf(case_text, sizeof case_text, "skipped path of %s", name);
    wb_error e = {{0}};
    wb_conn *conns[1] = {NULL};
    wb_counters counters = {0};
    int ok = prepare_tables(admin, w, WB_PHASE_INSERT, 10, &e) == 0 && connect_conns(conns, 1, &counters, &e) == 0;
    CHECK_MSG(ok, e.msg);
    if (ok) {
        wb_pg_caps_override(conns[0], caps);
        wb_error reason = {{0}};
        wb_ctx ctx = make_ctx(w, WB_PHASE_INSERT, 10, 50, 1, conns, &counters, &reason);
        CHECK_INT_IN(wb_strategy_fn_for(s, WB_BACKEND_POSTGRES, NULL)(&ctx), WB_SKIP);
        CHECK_CONTAINS(reason.msg, needle1);
        CHECK_CONTAINS(reason.msg, needle2);
        CHECK_INT_IN(wb_schema_count(pg_backend, admin, &w->tables[0], &e), 0);
    }
    disconnect_conns(conns, 1);
}

static void test_skipped_path(wb_conn *admin)
{
    wb_pg_caps real = *wb_pg_caps_of(admin);
    CHECK(real.server_version_num >= 150000); /* the fixture runs PostgreSQL 15 */

    wb_pg_caps old_server = real;
    old_server.server_version_num = 140000; /* the version alone is enough */
    expect_skip(admin, "merge", &old_server, "MERGE needs PostgreSQL 15", "the server is 14.0");
    expect_skip(admin, "staging-merge", &old_server, "MERGE needs PostgreSQL 15", "the server is 14.0");
    old_server.server_version_num = 130011;
    old_server.has_merge = 0;
    expect_skip(admin, "merge", &old_server, "MERGE needs PostgreSQL 15", "the server is 13.11");

    wb_pg_caps old_libpq = real;
    old_libpq.libpq_version = 130000;
    old_libpq.has_pipeline = 0;
    expect_skip(admin, "pipeline", &old_libpq, "libpq 14", "this libpq is 13.0");
}

/* Every insert-only strategy run on tables that already hold its keys: it fails with
 * the server's message (a duplicate key), but for one that empties the tables first
 * (WB_STRAT_TRUNCATES), which replaces them, and leaves its connections usable (no open
 * transaction, not in pipeline mode, no prepared statement) and the tables with
 * their indexes and constraints (load-then-index puts back what it dropped). */
static void test_failures(wb_conn *admin)
{
    const wb_workload *w = wb_workload_find("products");
    if (!w)
        return;
    static const int threads[] = {1, MAX_THREADS};
    for (const wb_strategy *s = wb_catalog; s->name; s++) {
        if (!wb_strategy_fn_for(s, WB_BACKEND_POSTGRES, NULL) || s->passes != WB_PASS_INSERT || (s->flags & WB_STRAT_TEST_ONLY))
            continue;
        for (int t = 0; t < 2; t++) {
            int nthreads = (s->flags & WB_STRAT_THREADS) ? threads[t] : 1;
            if (t == 1 && nthreads == 1)
                continue;
            snprintf(case_text, sizeof case_text, "failure of %s, threads %d", s->name, nthreads);
            wb_error e = {{0}};
            wb_conn *conns[MAX_THREADS] = {NULL};
            wb_counters counters = {0};
            char before[4096], after[4096];
            /* version 1 already in place, then the insert pass of version 1 again */
            int ok = prepare_tables(admin, w, WB_PHASE_UPDATE, 257, &e) == 0;
            CHECK_MSG(ok, e.msg);
            schema_signature(admin, before, sizeof before);
            ok = ok && connect_conns(conns, nthreads, &counters, &e) == 0;
            CHECK_MSG(ok, e.msg);
            if (ok) {
                wb_error failure = {{0}};
                wb_ctx ctx = make_ctx(w, WB_PHASE_INSERT, 257, 50, nthreads, conns, &counters, &failure);
                if (s->flags & WB_STRAT_TRUNCATES) {
                    /* it empties the tables first: the rows there are replaced, which
                     * the verification below checks */
                    CHECK_INT_IN(wb_strategy_fn_for(s, WB_BACKEND_POSTGRES, NULL)(&ctx), 0);
                    CHECK_MSG(failure.msg[0] == '\0', failure.msg);
                } else {
                    CHECK_INT_IN(wb_strategy_fn_for(s, WB_BACKEND_POSTGRES, NULL)(&ctx), -1);
                    CHECK_CONTAINS(failure.msg, "duplicate key value violates unique constraint");
                    CHECK_MSG(strchr(failure.msg, '\n') == NULL, failure.msg);
                }
                for (int i = 0; i < nthreads; i++) {
                    check_connection_clean(conns[i]);
                    CHECK_MSG(PQpipelineStatus(wb_pg_conn(conns[i])) == PQ_PIPELINE_OFF, "left in pipeline mode");
                }
                schema_signature(admin, after, sizeof after);
                CHECK_MSG(strcmp(before, after) == 0, "indexes or constraints differ after a failure");
                wb_verify_result result;
                memset(&result, 0, sizeof result);
                CHECK_INT_IN(wb_verify(pg_backend, admin, w, 257, 1, WB_VERIFY_VALUES, &result, &e), 0);
                CHECK_MSG(result.ok, result.detail);
            }
            disconnect_conns(conns, nthreads);
        }
    }
}

/* A pipelined insert that fails in the middle of a later segment names the table and
 * key of the statement that failed, found from its position in the pipeline. */
static void test_pipeline_failure_names_key(wb_conn *admin)
{
    const wb_strategy *s = find_strategy("pipeline");
    const wb_workload *w = wb_workload_find("products");
    if (!s || !w)
        return;
    snprintf(case_text, sizeof case_text, "pipeline failing at key 120");
    wb_error e = {{0}};
    wb_conn *conns[1] = {NULL};
    wb_counters counters = {0};
    wb_buf sql = WB_BUF_INIT;
    wb_buf_puts(&sql, "DELETE FROM ");
    pg_backend->table_name(admin, w->tables[0].name, &sql);
    wb_buf_puts(&sql, " WHERE id <> 120");
    int ok = prepare_tables(admin, w, WB_PHASE_UPDATE, 257, &e) == 0 && pg_backend->exec(admin, wb_buf_str(&sql), &e) == 0 &&
             connect_conns(conns, 1, &counters, &e) == 0;
    wb_buf_free(&sql);
    CHECK_MSG(ok, e.msg);
    if (ok) {
        wb_error failure = {{0}};
        wb_ctx ctx = make_ctx(w, WB_PHASE_INSERT, 257, 50, 1, conns, &counters, &failure);
        CHECK_INT_IN(wb_strategy_fn_for(s, WB_BACKEND_POSTGRES, NULL)(&ctx), -1);
        CHECK_CONTAINS(failure.msg, "products key 120: insert: ERROR:  duplicate key value");
        /* the two segments before the failing one were read and reported */
        CHECK_INT_IN(atomic_load(&counters.rows_done), 100);
        check_connection_clean(conns[0]);
        CHECK_INT_IN(wb_schema_count(pg_backend, admin, &w->tables[0], &e), 1);
    }
    disconnect_conns(conns, 1);
}

/* --- the binary numeric encoder --- */

static const int64_t numeric_cases[] = {0, 5, 100, 9999, 10000, 1234567, 9999999999LL, 120, 1, 10, 99, 1000000, 100000000};

static void cents_text(int64_t cents, char *out, size_t n)
{
    int64_t m = cents < 0 ? -cents : cents;
    snprintf(out, n, "%s%lld.%02lld", cents < 0 ? "-" : "", (long long)(m / 100), (long long)(m % 100));
}

/* Each value sent in binary as a parameter reads back as its exact text, and the
 * encoding is byte for byte the server's own binary form of the same number. */
static void test_numeric_parameters(PGconn *pg)
{
    int64_t values[sizeof numeric_cases / sizeof numeric_cases[0] + 1];
    size_t n = 0;
    for (; n < sizeof numeric_cases / sizeof numeric_cases[0]; n++)
        values[n] = numeric_cases[n];
    values[n++] = -120; /* the encoder handles signs, though the workloads never need one */
    for (size_t i = 0; i < n; i++) {
        unsigned char bin[WB_PGS_NUMERIC_MAX_BYTES];
        char expected[32];
        size_t len = wb_pgs_numeric_binary(values[i], 2, bin);
        cents_text(values[i], expected, sizeof expected);
        snprintf(case_text, sizeof case_text, "numeric %s", expected);

        const Oid numeric_oid = 1700;
        const char *param_values[1] = {(const char *)bin};
        int lengths[1] = {(int)len}, formats[1] = {1};
        PGresult *res = PQexecParams(pg, "SELECT $1::text", 1, &numeric_oid, param_values, lengths, formats, 0);
        CHECK_MSG(PQresultStatus(res) == PGRES_TUPLES_OK, PQresultErrorMessage(res));
        if (PQresultStatus(res) == PGRES_TUPLES_OK)
            CHECK_STR(PQgetvalue(res, 0, 0), expected);
        PQclear(res);

        /* The server's binary form of the same value, for a byte comparison. */
        const char *text_values[1] = {expected};
        res = PQexecParams(pg, "SELECT $1::numeric(20,2)", 1, NULL, text_values, NULL, NULL, 1);
        CHECK_MSG(PQresultStatus(res) == PGRES_TUPLES_OK, PQresultErrorMessage(res));
        if (PQresultStatus(res) == PGRES_TUPLES_OK) {
            int same = PQgetlength(res, 0, 0) == (int)len && memcmp(PQgetvalue(res, 0, 0), bin, len) == 0;
            CHECK_MSG(same, "the encoding differs from the server's binary numeric");
        }
        PQclear(res);
    }
}

/* The edge values of the workloads' prices through a real COPY (FORMAT binary) into
 * numeric(10,2), read back as text. */
static void test_numeric_copy(PGconn *pg)
{
    static const int64_t edges[] = {0, 5, 100, 9999, 10000, 1234567, 9999999999LL};
    static const wb_column columns[] = {
        {.name = "id", .type = WB_TYPE_INT64, .sql_type = WB_SQL_BIGINT, .type_name = "bigint"},
        {.name = "price", .type = WB_TYPE_DECIMAL, .sql_type = WB_SQL_NUMERIC, .type_length = 10, .type_scale = 2,
         .type_name = "numeric(10,2)", .nullable = 1},
    };
    static const wb_table table = {.name = "wb_numeric_test", .columns = columns, .ncolumns = 2};
    snprintf(case_text, sizeof case_text, "numeric through COPY binary");
    PGresult *res = PQexec(pg, "CREATE TEMPORARY TABLE wb_numeric_test (id bigint, price numeric(10,2))");
    CHECK_MSG(PQresultStatus(res) == PGRES_COMMAND_OK, PQresultErrorMessage(res));
    PQclear(res);
    res = PQexec(pg, "COPY wb_numeric_test (id, price) FROM STDIN (FORMAT binary)");
    CHECK_MSG(PQresultStatus(res) == PGRES_COPY_IN, PQresultErrorMessage(res));
    PQclear(res);

    wb_buf data = WB_BUF_INIT;
    wb_pgs_copy_binary_header(&data);
    size_t n = sizeof edges / sizeof edges[0];
    for (size_t i = 0; i <= n; i++) {
        wb_value values[2];
        wb_row row = {.ncolumns = 2, .v = values};
        row.v[0] = (wb_value){.type = WB_TYPE_INT64, .i64 = (int64_t)i + 1, .text = "x", .len = 1};
        /* the last row: a NULL price */
        row.v[1] = i < n ? (wb_value){.type = WB_TYPE_DECIMAL, .i64 = edges[i], .scale = 2, .text = "x", .len = 1}
                         : (wb_value){.type = WB_TYPE_DECIMAL, .is_null = 1};
        wb_pgs_copy_binary_row(&table, &row, &data);
    }
    wb_pgs_copy_binary_trailer(&data);
    CHECK_INT(PQputCopyData(pg, data.data, (int)data.len), 1);
    CHECK_INT(PQputCopyEnd(pg, NULL), 1);
    wb_buf_free(&data);
    while ((res = PQgetResult(pg)) != NULL) {
        CHECK_MSG(PQresultStatus(res) == PGRES_COMMAND_OK, PQresultErrorMessage(res));
        PQclear(res);
    }

    res = PQexec(pg, "SELECT price::text FROM wb_numeric_test ORDER BY id");
    CHECK_MSG(PQresultStatus(res) == PGRES_TUPLES_OK, PQresultErrorMessage(res));
    CHECK_INT(PQntuples(res), (int)n + 1);
    for (int i = 0; i < PQntuples(res) && i < (int)n + 1; i++) {
        if (i == (int)n) {
            CHECK(PQgetisnull(res, i, 0));
            continue;
        }
        char expected[32];
        cents_text(edges[i], expected, sizeof expected);
        CHECK_STR(PQgetvalue(res, i, 0), expected);
    }
    PQclear(res);
    PQclear(PQexec(pg, "DROP TABLE wb_numeric_test"));
}

int main(void)
{
    const char *file = getenv("WB_PG_CONNINFO_FILE");
    if (!file || !*file)
        return CHECK_SKIP("WB_PG_CONNINFO_FILE is not set: no PostgreSQL cluster to test against "
                          "(CTest's pg fixture sets it; or tests/pg/cluster.sh start DIR and point it at DIR/conninfo)");
    char conninfo[4096];
    if (read_conninfo(file, conninfo, sizeof conninfo) != 0) {
        fprintf(stderr, "cannot read the conninfo file %s\n", file);
        return 1;
    }
    pg_backend = wb_backend_get(WB_BACKEND_POSTGRES);
    if (!pg_backend)
        return CHECK_SKIP("the PostgreSQL backend is not built in");
    if (!wb_workloads[0])
        return CHECK_SKIP("no workloads built in yet");

    wb_error e = {{0}};
    wb_conn *admin = NULL;
    if (wb_target_parse(conninfo, true, &target, &e) != 0) {
        fprintf(stderr, "cannot parse the conninfo: %s\n", e.msg);
        return 1;
    }
    snprintf(target.schema, sizeof target.schema, "%s", SCHEMA);
    if (pg_backend->connect(&target, &admin, &e) != 0 || pg_backend->claim_namespace(admin, true, &e) != 0) {
        fprintf(stderr, "cannot connect and claim schema %s: %s\n", SCHEMA, e.msg);
        pg_backend->disconnect(admin);
        return 1;
    }

    test_numeric_parameters(wb_pg_conn(admin));
    test_numeric_copy(wb_pg_conn(admin));
    test_skipped_path(admin);
    test_failures(admin);
    test_pipeline_failure_names_key(admin);
    test_commit_queue_contention(admin);
    test_catalog(admin);

    if (pg_backend->exec(admin, "DROP SCHEMA " SCHEMA " CASCADE", &e) != 0)
        fprintf(stderr, "cleanup: %s\n", e.msg);
    pg_backend->disconnect(admin);
    return check_finish();
}

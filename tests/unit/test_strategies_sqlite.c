/* Every SQLite strategy of the catalogue, run in-process (no fork, no runner) on a
 * fresh database file: both workloads, each pass it takes part in, one and three
 * threads, then verified value by value. The deliberately wrong test-only
 * strategies must fail verification with a detail naming what is wrong. Also the
 * edges: a batch larger than the rows, more threads than rows, and the update pass
 * of replace on users, where INSERT OR REPLACE deletes parent rows that children
 * reference (foreign keys on). */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"

#include "backends/sqlite.h"
#include "runner/verify.h"
#include "strategies/strategy.h"
#include "workloads/schema.h"
#include "workloads/workload.h"

/* One combination under test. */
typedef struct test_case {
    const wb_strategy *strategy;
    const wb_workload *workload;
    wb_phase phase;
    int threads;
    int64_t rows;
    int64_t batch;
    int max_parameters; /* > 0: lower the connections' bound-parameter limit to this */
} test_case;

static char case_text[256];

/* Remember which combination the following checks are about. */
static void describe_case(const test_case *tc)
{
    snprintf(case_text, sizeof case_text,
             "strategy %s, workload %s, pass %s, threads %d, rows %lld, batch %lld, parameter limit %d",
             tc->strategy->name, tc->workload->name, wb_phase_name(tc->phase), tc->threads,
             (long long)tc->rows, (long long)tc->batch, tc->max_parameters);
}

/* CHECK, CHECK_INT, CHECK_CONTAINS that also name the combination when they fail. */
#define CHECK_IN(cond)                                                    \
    do {                                                                  \
        int check_ok_ = (cond);                                           \
        if (!check_ok_)                                                   \
            fprintf(stderr, "  [%s]\n", case_text);                       \
        CHECK(check_ok_ && #cond);                                        \
    } while (0)
#define CHECK_INT_IN(a, b)                                                \
    do {                                                                  \
        long long check_x_ = (long long)(a), check_y_ = (long long)(b);   \
        if (check_x_ != check_y_)                                         \
            fprintf(stderr, "  [%s]\n", case_text);                       \
        CHECK_INT(check_x_, check_y_);                                    \
    } while (0)
#define CHECK_MSG(cond, msg)                                              \
    do {                                                                  \
        int check_ok_ = (cond);                                           \
        if (!check_ok_)                                                   \
            fprintf(stderr, "  [%s] %s\n", case_text, (msg));             \
        CHECK(check_ok_ && #cond);                                        \
    } while (0)

/* Remove a temporary directory and everything in it (the database, -wal, -shm). */
static void remove_dir(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d)
        return;
    struct dirent *entry;
    char path[4096];
    while ((entry = readdir(d)) != NULL) {
        if (strcmp(entry->d_name, ".") == 0 || strcmp(entry->d_name, "..") == 0)
            continue;
        snprintf(path, sizeof path, "%s/%s", dir, entry->d_name);
        unlink(path);
    }
    closedir(d);
    rmdir(dir);
}

static int is_test_strategy(const test_case *tc, const char *name)
{
    return strcmp(tc->strategy->name, name) == 0;
}

/* Whether text mentions the name of any table of w. */
static int mentions_table(const wb_workload *w, const char *text)
{
    for (int t = 0; t < w->ntables; t++)
        if (strstr(text, w->tables[t].name))
            return 1;
    return 0;
}

/* Whether text mentions the name of any text column of w. */
static int mentions_text_column(const wb_workload *w, const char *text)
{
    for (int t = 0; t < w->ntables; t++)
        for (int c = 0; c < w->tables[t].ncolumns; c++)
            if (w->tables[t].columns[c].type == WB_TYPE_TEXT && strstr(text, w->tables[t].columns[c].name))
                return 1;
    return 0;
}

/* Run one combination on a fresh database and check what it wrote. */
static void run_case(const test_case *tc)
{
    describe_case(tc);
    const wb_backend *b = wb_backend_get(WB_BACKEND_SQLITE);
    const wb_workload *w = tc->workload;
    wb_error e = {{0}};
    char dir[] = "/tmp/wb-test-strategies-XXXXXX";
    if (!mkdtemp(dir)) {
        CHECK_MSG(0, "mkdtemp failed");
        return;
    }
    char url[4200];
    snprintf(url, sizeof url, "sqlite://%s/x.db", dir);

    wb_target target;
    wb_conn *admin = NULL;
    wb_conn *conns[8] = {NULL};
    wb_counters counters = {0};
    int ok = wb_target_parse(url, true, &target, &e) == 0;
    CHECK_MSG(ok, e.msg);
    if (ok) {
        ok = b->connect(&target, &admin, &e) == 0 && b->claim_namespace(admin, true, &e) == 0 &&
             wb_schema_reset(b, admin, w, &e) == 0;
        CHECK_MSG(ok, e.msg);
    }
    if (ok && tc->phase == WB_PHASE_UPDATE) {
        ok = wb_schema_generate(b, admin, w, tc->rows, 1, &e) == 0;
        CHECK_MSG(ok, e.msg);
    }
    for (int i = 0; ok && i < tc->threads; i++) {
        ok = b->connect(&target, &conns[i], &e) == 0;
        CHECK_MSG(ok, e.msg);
        if (ok)
            b->attach_counters(conns[i], &counters);
        if (ok && tc->max_parameters > 0)
            sqlite3_limit(wb_sqlite_db(conns[i]), SQLITE_LIMIT_VARIABLE_NUMBER, tc->max_parameters);
    }
    if (ok) {
        /* Without foreign keys the replace case below would prove nothing. */
        sqlite3_stmt *st = NULL;
        int fk = -1;
        if (sqlite3_prepare_v2(wb_sqlite_db(conns[0]), "PRAGMA foreign_keys", -1, &st, NULL) == SQLITE_OK &&
            sqlite3_step(st) == SQLITE_ROW)
            fk = sqlite3_column_int(st, 0);
        sqlite3_finalize(st);
        CHECK_INT_IN(fk, 1);
    }

    if (ok) {
        wb_error strategy_error = {{0}};
        wb_ctx ctx = {
            .backend = b,
            .target = &target,
            .workload = w,
            .phase = tc->phase,
            .version = tc->phase == WB_PHASE_UPDATE ? 2 : 1,
            .rows = tc->rows,
            .batch = tc->batch,
            .threads = tc->threads,
            .conns = conns,
            .counters = &counters,
            .error = &strategy_error,
        };
        int rc = wb_strategy_fn_for(tc->strategy, WB_BACKEND_SQLITE, NULL)(&ctx);
        CHECK_MSG(rc == 0, strategy_error.msg);

        wb_verify_result result;
        memset(&result, 0, sizeof result);
        int vrc = wb_verify(b, admin, w, tc->rows, ctx.version, WB_VERIFY_VALUES, &result, &e);
        CHECK_MSG(vrc == 0, e.msg);
        int64_t expected_rows = tc->rows * w->ntables;
        if (tc->strategy->flags & WB_STRAT_CLIENT_FLOOR) {
            /* generate-only: every row made, nothing written or committed */
            CHECK_INT_IN(atomic_load(&counters.rows_done), expected_rows);
            CHECK_INT_IN(atomic_load(&counters.commits), 0);
            for (int t = 0; t < w->ntables; t++)
                CHECK_INT_IN(wb_schema_count(b, admin, &w->tables[t], &e), tc->phase == WB_PHASE_UPDATE ? tc->rows : 0);
            if (tc->phase == WB_PHASE_UPDATE) { /* still version 1, untouched */
                CHECK_INT_IN(wb_verify(b, admin, w, tc->rows, 1, WB_VERIFY_VALUES, &result, &e), 0);
                CHECK_MSG(result.ok, result.detail);
            }
        } else if (is_test_strategy(tc, "test-drop-row") || is_test_strategy(tc, "test-mangle-quote")) {
            CHECK_MSG(vrc == 0 && !result.ok, "a wrong strategy passed verification");
            CHECK_MSG(mentions_table(w, result.detail), result.detail);
            if (is_test_strategy(tc, "test-mangle-quote"))
                CHECK_MSG(mentions_text_column(w, result.detail), result.detail);
        } else {
            CHECK_MSG(vrc == 0 && result.ok, result.detail);
            CHECK_INT_IN(result.rows_verified, expected_rows);
            CHECK_INT_IN(atomic_load(&counters.rows_done), expected_rows);
            CHECK_IN(atomic_load(&counters.commits) > 0);
        }
    }

    for (int i = 0; i < tc->threads; i++)
        if (conns[i])
            b->disconnect(conns[i]);
    if (admin)
        b->disconnect(admin);
    remove_dir(dir);
}

/* A write that fails midway must come back as an error naming the table, with no
 * deadlock between threads (commit-queue: producers blocked on a full queue must
 * stop when the writer fails). The failure: a row already holds the unique name
 * that key 5 is about to write, under another key, which ON CONFLICT (id) does not cover. */
static void run_error_case(const char *strategy_name, int threads)
{
    const wb_strategy *s = wb_strategy_find(strategy_name);
    const wb_workload *w = wb_workload_find("products");
    CHECK(s != NULL && w != NULL);
    if (!s || !w)
        return;
    test_case tc = {s, w, WB_PHASE_INSERT, threads, 200, 2, 0};
    describe_case(&tc);
    const wb_backend *b = wb_backend_get(WB_BACKEND_SQLITE);
    const wb_table *t = &w->tables[0];
    int name_column = wb_table_column_index(t, "name");
    CHECK_IN(name_column > 0 && t->columns[name_column].unique);
    wb_error e = {{0}};
    char dir[] = "/tmp/wb-test-strategies-XXXXXX";
    if (!mkdtemp(dir) || name_column <= 0) {
        CHECK_MSG(0, "mkdtemp failed or no unique name column");
        return;
    }
    char url[4200];
    snprintf(url, sizeof url, "sqlite://%s/x.db", dir);
    wb_target target;
    wb_conn *admin = NULL, *conns[8] = {NULL};
    wb_counters counters = {0};
    int ok = wb_target_parse(url, true, &target, &e) == 0 && b->connect(&target, &admin, &e) == 0 &&
             b->claim_namespace(admin, true, &e) == 0 && wb_schema_reset(b, admin, w, &e) == 0;
    CHECK_MSG(ok, e.msg);
    if (ok) {
        wb_row row = WB_ROW_INIT;
        wb_row_make(t, 5, 1, &row);
        wb_buf sql = WB_BUF_INIT;
        wb_buf_puts(&sql, "INSERT INTO ");
        b->table_name(admin, t->name, &sql);
        wb_buf_printf(&sql, " (\"%s\", \"%s\") VALUES (100000, ?)", t->columns[0].name,
                      t->columns[name_column].name);
        sqlite3_stmt *st = NULL;
        sqlite3 *db = wb_sqlite_db(admin);
        ok = sqlite3_prepare_v2(db, wb_buf_str(&sql), -1, &st, NULL) == SQLITE_OK &&
             sqlite3_bind_text(st, 1, row.v[name_column].text, (int)row.v[name_column].len, SQLITE_STATIC) == SQLITE_OK &&
             sqlite3_step(st) == SQLITE_DONE;
        CHECK_MSG(ok, sqlite3_errmsg(db));
        sqlite3_finalize(st);
        wb_buf_free(&sql);
        wb_row_free(&row);
    }
    for (int i = 0; ok && i < threads; i++) {
        ok = b->connect(&target, &conns[i], &e) == 0;
        CHECK_MSG(ok, e.msg);
        if (ok)
            b->attach_counters(conns[i], &counters);
    }
    if (ok) {
        wb_error strategy_error = {{0}};
        wb_ctx ctx = {.backend = b, .target = &target, .workload = w, .phase = WB_PHASE_INSERT, .version = 1,
                      .rows = tc.rows, .batch = tc.batch, .threads = threads, .conns = conns,
                      .counters = &counters, .error = &strategy_error};
        CHECK_INT_IN(wb_strategy_fn_for(s, WB_BACKEND_SQLITE, NULL)(&ctx), -1);
        CHECK_CONTAINS(strategy_error.msg, t->name);
        CHECK_CONTAINS(strategy_error.msg, "UNIQUE");
        /* The failed transaction was rolled back: no connection is left holding the lock. */
        for (int i = 0; i < threads; i++)
            CHECK_IN(sqlite3_get_autocommit(wb_sqlite_db(conns[i])));
    }
    for (int i = 0; i < threads; i++)
        if (conns[i])
            b->disconnect(conns[i]);
    if (admin)
        b->disconnect(admin);
    remove_dir(dir);
}

/* Every pass of every visible SQLite strategy (but the crashing and hanging ones) on w. */
static void run_strategy_cases(const wb_strategy *s, const wb_workload *w, int64_t rows, int64_t batch,
                               int max_parameters, const int *threads, int nthreads)
{
    static const struct {
        unsigned pass;
        wb_phase phase;
    } passes[] = {{WB_PASS_INSERT, WB_PHASE_INSERT}, {WB_PASS_UPDATE, WB_PHASE_UPDATE}};
    for (size_t p = 0; p < sizeof passes / sizeof passes[0]; p++) {
        if (!(s->passes & passes[p].pass))
            continue;
        for (int t = 0; t < nthreads; t++) {
            test_case tc = {s, w, passes[p].phase, threads[t], rows, batch, max_parameters};
            run_case(&tc);
        }
    }
}

static int runnable(const wb_strategy *s)
{
    return wb_strategy_visible(s) && wb_strategy_fn_for(s, WB_BACKEND_SQLITE, NULL) && strcmp(s->name, "test-crash") != 0 &&
           strcmp(s->name, "test-hang") != 0;
}

int main(void)
{
    setenv("WRITEBENCH_TEST_STRATEGIES", "1", 1);
    alarm(100); /* a deadlock fails the test (SIGALRM) instead of hanging until CTest's timeout */
    if (!wb_workloads[0])
        return CHECK_SKIP("no workloads built in yet");

    /* 257 rows: not a multiple of the batch or the threads, and past every hostile kind
     * of value (they all occur within the first 80 keys). */
    static const int one_and_three[] = {1, 3};
    static const int three[] = {3};
    static const int one[] = {1};
    for (const wb_strategy *s = wb_catalog; s->name; s++) {
        if (!runnable(s))
            continue;
        /* three threads on every workload (orders too: a child whose parent is in
         * another thread's range waits for it at the per-table barrier) */
        for (int i = 0; wb_workloads[i]; i++)
            run_strategy_cases(s, wb_workloads[i], 257, 50, 0, one_and_three, 2);
        /* The edges, on users (it has the foreign key): a batch larger than all rows,
         * more threads than rows (some threads get an empty key range), and a low
         * bound-parameter limit. Not for the wrong strategies: 2 rows hold no quote. */
        const wb_workload *users = wb_workload_find("users");
        if (users && !(s->flags & WB_STRAT_TEST_ONLY)) {
            run_strategy_cases(s, users, 90, 1000, 0, one, 1);
            run_strategy_cases(s, users, 2, 50, 0, three, 1);
            /* Multi-row statements limited by the library's bound-parameter limit (20:
             * 6 user_account rows of 3 columns a statement), with a tail statement. */
            run_strategy_cases(s, users, 90, 1000, 20, one, 1);
        }
    }
    /* A failing write, where threads could deadlock or leave a transaction open. */
    static const char *const failing[] = {"commit-queue", "on-conflict", "on-conflict-batch",
                                          "select-then-write"};
    for (size_t i = 0; i < sizeof failing / sizeof failing[0]; i++) {
        run_error_case(failing[i], 1);
        run_error_case(failing[i], 3);
    }
    return check_finish();
}

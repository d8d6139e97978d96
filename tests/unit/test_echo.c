/* --echo on SQLite (backends/echo.h): long values elided, each statement a strategy
 * sends printed once with a duration, and the per-statement summary counting exactly
 * the statements sent (prepared on N rows: N inserts per table, one BEGIN, one COMMIT).
 * The buffered output: nothing when echo is off; every line exactly once and in order
 * across many buffer flushes, from several threads, after a pause (the age flush),
 * at a child's exit, and through the runner's forked child (wb_child_run), whose
 * summary counts the statements it sent. The echo module writes to a temporary file
 * instead of stderr. */
#include <dirent.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "check.h"

#include "backends/echo.h"
#include "backends/sqlite.h"
#include "runner/child.h"
#include "strategies/strategy.h"
#include "util/clock.h"
#include "workloads/schema.h"
#include "workloads/workload.h"

#define ROWS 7

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

/* Everything written to the sink so far, as one string (caller frees). */
static char *sink_text(FILE *sink)
{
    wb_echo_flush();
    long size = ftell(sink);
    char *text = wb_xcalloc((size_t)size + 1, 1);
    rewind(sink);
    size_t got = fread(text, 1, (size_t)size, sink);
    text[got] = '\0';
    fseek(sink, 0, SEEK_END);
    return text;
}

/* Lines of text that contain needle. */
static int count_lines(const char *text, const char *needle)
{
    int n = 0;
    for (const char *line = text; *line;) {
        const char *end = strchr(line, '\n');
        size_t len = end ? (size_t)(end - line) : strlen(line);
        char *copy = wb_xstrdup(line);
        copy[len] = '\0';
        if (strstr(copy, needle))
            n++;
        free(copy);
        line += len + (end ? 1 : 0);
    }
    return n;
}

/* The numbers that follow each occurrence of prefix in text, in order, into out
 * (at most cap); returns how many. */
static int numbers_after(const char *text, const char *prefix, long *out, int cap)
{
    int n = 0;
    for (const char *p = strstr(text, prefix); p && n < cap; p = strstr(p + 1, prefix))
        out[n++] = strtol(p + strlen(prefix), NULL, 10);
    return n;
}

/* Wait until the monotonic clock, the one echo.c reads for a buffer's age, shows
 * more than ms milliseconds since since_ns: the pause the age flush is about,
 * checked on echo's own clock (polled, so a loaded machine only makes it longer). */
static void pause_past(int64_t since_ns, long ms)
{
    while (wb_clock_ns() - since_ns <= ms * 1000000LL)
        wb_sleep_ns(1000000LL);
}

/* Echo off: recording is one test of a flag; nothing is counted, nothing written. */
static void test_off(FILE *sink)
{
    CHECK(!wb_echo_active);
    long before = ftell(sink);
    wb_echo_record("SELECT 1", NULL, 1000);
    wb_echo_record_params("SELECT $1", 1, (const char *const[]){"1"}, 1000);
    wb_echo_summary("nothing");
    wb_echo_flush();
    CHECK_INT(wb_echo_count(NULL), 0);
    CHECK_INT(wb_echo_distinct(), 0);
    CHECK_INT(ftell(sink), before);
}

#define ORDER_LINES 3000 /* about 150 kB of lines: the buffer is written out twice or more */

/* Many statements: the buffer is written out by itself when full, and in the end
 * every line is there exactly once, in the order recorded, before the summary. */
static void test_buffered_order(FILE *sink)
{
    wb_echo_flush();
    long start = ftell(sink);
    char shown[64];
    for (int i = 0; i < ORDER_LINES; i++) {
        snprintf(shown, sizeof shown, "INSERT INTO t VALUES (%d)", i);
        wb_echo_record("INSERT INTO t VALUES (?)", shown, 1000);
    }
    CHECK(ftell(sink) - start >= 64 * 1024); /* written while recording, not only at the end */
    wb_echo_summary("the order test");
    char *all = sink_text(sink);
    const char *text = all + start;
    static long seen[ORDER_LINES + 1];
    int n = numbers_after(text, "ms  INSERT INTO t VALUES (", seen, ORDER_LINES + 1);
    CHECK_INT(n, ORDER_LINES);
    int in_order = 1;
    for (int i = 0; i < n; i++)
        in_order &= seen[i] == i;
    CHECK(in_order);
    char header[96];
    snprintf(header, sizeof header, "summary of the order test: %d statements, 1 distinct", ORDER_LINES);
    CHECK_CONTAINS(text, header);
    const char *last = strstr(text, "VALUES (2999)"), *summary = strstr(text, "summary of the order test");
    CHECK(last && summary && last < summary);
    free(all);
}

#define THREADS 4
#define LINES_PER_THREAD 2000

static void *record_lines(void *arg)
{
    int t = (int)(intptr_t)arg;
    char shown[64];
    for (int i = 0; i < LINES_PER_THREAD; i++) {
        snprintf(shown, sizeof shown, "SELECT %d", t * LINES_PER_THREAD + i);
        wb_echo_record("SELECT ?", shown, 1000);
    }
    return NULL;
}

/* Threads share the buffer: every line exactly once, each thread's in its order. */
static void test_threads(FILE *sink)
{
    wb_echo_flush();
    long start = ftell(sink);
    pthread_t threads[THREADS];
    for (int t = 0; t < THREADS; t++)
        pthread_create(&threads[t], NULL, record_lines, (void *)(intptr_t)t);
    for (int t = 0; t < THREADS; t++)
        pthread_join(threads[t], NULL);
    CHECK_INT(wb_echo_count("SELECT ?"), THREADS * LINES_PER_THREAD);
    char *all = sink_text(sink);
    static long seen[THREADS * LINES_PER_THREAD + 1];
    int n = numbers_after(all + start, "ms  SELECT ", seen, THREADS * LINES_PER_THREAD + 1);
    CHECK_INT(n, THREADS * LINES_PER_THREAD);
    static int times[THREADS * LINES_PER_THREAD];
    memset(times, 0, sizeof times);
    long next[THREADS] = {0};
    int once = 1, in_order = 1;
    for (int i = 0; i < n; i++) {
        long v = seen[i];
        if (v < 0 || v >= THREADS * LINES_PER_THREAD) {
            once = 0;
            continue;
        }
        times[v]++;
        in_order &= v % LINES_PER_THREAD == next[v / LINES_PER_THREAD]++;
    }
    for (int v = 0; v < THREADS * LINES_PER_THREAD; v++)
        once &= times[v] == 1;
    CHECK(once);
    CHECK(in_order);
    free(all);
    wb_echo_forget();
}

/* After a pause of more than 100 ms, a line is written out without a flush: at
 * once after a slow statement (1 ms or more), within 16 fast ones otherwise. */
static void test_age_flush(FILE *sink)
{
    wb_echo_flush();
    int64_t flushed_ns = wb_clock_ns(); /* no earlier than the flush's own reading */
    long start = ftell(sink);
    pause_past(flushed_ns, 150);
    wb_echo_record("SELECT pg_sleep(?)", "SELECT pg_sleep(0.002)", 2000000);
    CHECK(ftell(sink) > start);
    flushed_ns = wb_clock_ns(); /* the slow statement's line was just written out */
    start = ftell(sink);
    pause_past(flushed_ns, 150);
    for (int i = 0; i < 16; i++)
        wb_echo_record("SELECT 1", NULL, 1000);
    CHECK(ftell(sink) > start);
    wb_echo_forget();
}

/* A child that records and exits without flushing: atexit writes its lines (the
 * runner's child ends with exit()). A crash would lose the buffered ones. */
static void test_exit_flush(FILE *sink)
{
    wb_echo_flush();
    fflush(sink);
    long start = ftell(sink);
    pid_t pid = fork();
    if (pid == 0) {
        wb_echo_forget();
        char shown[64];
        for (int i = 0; i < 10; i++) {
            snprintf(shown, sizeof shown, "SELECT 'child %d'", i);
            wb_echo_record("SELECT ?", shown, 1000);
        }
        exit(0);
    }
    int status = -1;
    CHECK(pid > 0 && waitpid(pid, &status, 0) == pid);
    CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    fseek(sink, 0, SEEK_END);
    char *all = sink_text(sink);
    long seen[11];
    CHECK_INT(numbers_after(all + start, "ms  SELECT 'child ", seen, 11), 10);
    CHECK(seen[0] == 0 && seen[9] == 9);
    free(all);
}

static void test_elide(void)
{
    char long_value[101];
    memset(long_value, 'x', 100);
    long_value[100] = '\0';
    wb_buf sql = WB_BUF_INIT, out = WB_BUF_INIT;
    wb_buf_printf(&sql, "INSERT INTO t VALUES (1, 'short', '%s', 'it''s', 'two\nlines')", long_value);
    wb_echo_elide(wb_buf_str(&sql), &out);
    CHECK_CONTAINS(wb_buf_str(&out), "'short'");
    CHECK_CONTAINS(wb_buf_str(&out), "'it''s'");
    CHECK_CONTAINS(wb_buf_str(&out), "...' (100 characters)");
    CHECK_CONTAINS(wb_buf_str(&out), "'two lines'");
    CHECK(strstr(wb_buf_str(&out), long_value) == NULL);
    CHECK(strchr(wb_buf_str(&out), '\n') == NULL);
    wb_buf_free(&sql);
    wb_buf_free(&out);
}

static void test_params(FILE *sink)
{
    char long_value[201];
    memset(long_value, 'y', 200);
    long_value[200] = '\0';
    const char *values[3] = {"42", NULL, long_value};
    wb_echo_record_params("UPDATE t SET a = $2, b = $3 WHERE id = $1", 3, values, 1500000);
    char *text = sink_text(sink);
    CHECK_CONTAINS(text, "1.500 ms  UPDATE t SET a = $2, b = $3 WHERE id = $1  -- $1='42', $2=NULL, $3='yyyy");
    CHECK_CONTAINS(text, "...' (200 characters)");
    CHECK(strstr(text, long_value) == NULL);
    CHECK_INT(wb_echo_count("UPDATE t SET a = $2, b = $3 WHERE id = $1"), 1);
    free(text);
    wb_echo_forget();
}

/* Run `prepared` on a workload with echo on and check the lines and the summary. */
static void test_strategy(FILE *sink, const char *dir, const char *workload_name)
{
    const wb_backend *b = wb_backend_get(WB_BACKEND_SQLITE);
    const wb_workload *w = wb_workload_find(workload_name);
    const wb_strategy *prepared = wb_strategy_find("prepared");
    CHECK(w && prepared);
    if (!w || !prepared)
        return;
    wb_error e = {{0}};
    char url[4200];
    snprintf(url, sizeof url, "sqlite://%s/%s.db", dir, workload_name);
    wb_target target;
    CHECK(wb_target_parse(url, true, &target, &e) == 0);
    wb_conn *admin = NULL, *conn = NULL;
    /* The set-up runs without echo; the strategy's connection with it. */
    int ok = b->connect(&target, &admin, &e) == 0 && b->claim_namespace(admin, true, &e) == 0 &&
             wb_schema_reset(b, admin, w, &e) == 0;
    CHECK(ok);
    target.echo = true;
    ok = ok && b->connect(&target, &conn, &e) == 0;
    CHECK(ok);
    if (!ok) {
        b->disconnect(admin);
        return;
    }
    CHECK(wb_echo_active);
    /* The connection's own statements (PRAGMAs) were echoed; start the count here. */
    char *before = sink_text(sink);
    CHECK(count_lines(before, "PRAGMA") > 0);
    free(before);
    wb_echo_forget();
    long start = ftell(sink);

    wb_counters counters = {0};
    b->attach_counters(conn, &counters);
    wb_error strategy_error = {{0}};
    wb_conn *conns[1] = {conn};
    wb_ctx ctx = {.backend = b, .target = &target, .workload = w, .phase = WB_PHASE_INSERT,
                  .version = 1, .rows = ROWS, .batch = 3, .threads = 1, .conns = conns,
                  .counters = &counters, .error = &strategy_error};
    CHECK(wb_strategy_fn_for(prepared, WB_BACKEND_SQLITE, NULL)(&ctx) == 0);

    int64_t expected = (int64_t)ROWS * w->ntables + 2; /* + BEGIN IMMEDIATE and COMMIT */
    CHECK_INT(wb_echo_count(NULL), expected);
    CHECK_INT(wb_echo_count("BEGIN IMMEDIATE"), 1);
    CHECK_INT(wb_echo_count("COMMIT"), 1);
    CHECK_INT(wb_echo_distinct(), w->ntables + 2);

    char *all = sink_text(sink);
    const char *text = all + start;
    CHECK_INT(count_lines(text, "[echo] "), expected);
    CHECK_INT(count_lines(text, " ms  "), expected);
    for (int t = 0; t < w->ntables; t++) {
        char needle[128];
        snprintf(needle, sizeof needle, "ms  INSERT INTO \"%s\"", w->tables[t].name);
        CHECK_INT(count_lines(text, needle), ROWS);
        /* Each row printed once, with its key as a value: the first and the last. */
        snprintf(needle, sizeof needle, "INSERT INTO \"%s\"", w->tables[t].name);
        CHECK(strstr(text, needle) != NULL);
    }
    CHECK_CONTAINS(text, "VALUES (1, ");
    CHECK_CONTAINS(text, "VALUES (7, ");
    free(all);

    /* The summary: one row per statement, the insert counted ROWS times. */
    start = ftell(sink);
    wb_echo_summary("the test");
    all = sink_text(sink);
    text = all + start;
    char header[128];
    snprintf(header, sizeof header, "summary of the test: %lld statements, %d distinct",
             (long long)expected, w->ntables + 2);
    CHECK_CONTAINS(text, header);
    CHECK_CONTAINS(text, "count     total_ms    mean_ms     p95_ms     max_ms  statement");
    char row[128];
    snprintf(row, sizeof row, "[echo] %9d ", ROWS);
    CHECK_INT(count_lines(text, row), w->ntables);
    CHECK_INT(count_lines(text, "VALUES (?"), w->ntables); /* the text with parameters, not values */
    CHECK_INT(count_lines(text, "        1 "), 2);
    free(all);
    CHECK_INT(wb_echo_count(NULL), 0); /* the summary starts the next test from zero */

    /* A long bound value is elided in the echoed line. */
    char long_value[301];
    memset(long_value, 'z', 300);
    long_value[300] = '\0';
    sqlite3_stmt *st = NULL;
    CHECK(sqlite3_prepare_v2(wb_sqlite_db(conn), "SELECT length(?)", -1, &st, NULL) == SQLITE_OK);
    sqlite3_bind_text(st, 1, long_value, -1, SQLITE_STATIC);
    CHECK(sqlite3_step(st) == SQLITE_ROW);
    sqlite3_finalize(st);
    all = sink_text(sink);
    CHECK_CONTAINS(all, "SELECT length('zzzzzzzzzzzzzzzzzzzz...' (300 characters))");
    CHECK(strstr(all, long_value) == NULL);
    CHECK_INT(wb_echo_count("SELECT length(?)"), 1);
    free(all);

    /* Values are shown for the first WB_ECHO_VALUES_SHOWN runs of a statement, then
     * its text with parameters: every run is still one line and one count. */
    long before_repeats = ftell(sink);
    CHECK(sqlite3_prepare_v2(wb_sqlite_db(conn), "SELECT ? + 1", -1, &st, NULL) == SQLITE_OK);
    for (int i = 0; i < WB_ECHO_VALUES_SHOWN + 50; i++) {
        sqlite3_bind_int(st, 1, 1000000 + i);
        CHECK(sqlite3_step(st) == SQLITE_ROW);
        sqlite3_reset(st);
    }
    sqlite3_finalize(st);
    all = sink_text(sink);
    CHECK_INT(wb_echo_count("SELECT ? + 1"), WB_ECHO_VALUES_SHOWN + 50);
    CHECK_INT(count_lines(all + before_repeats, "ms  SELECT 1000"), WB_ECHO_VALUES_SHOWN);
    CHECK_INT(count_lines(all + before_repeats, "ms  SELECT ? + 1  -- values shown for the first 100 runs"), 50);
    free(all);
    wb_echo_forget();

    /* Through the runner's forked child: its lines and its summary, once each, the
     * summary counting what it sent; the parent's own lines are not repeated. */
    CHECK(wb_schema_reset(b, admin, w, &e) == 0);
    char *parent_lines = sink_text(sink);
    free(parent_lines);
    long child_start = ftell(sink);
    wb_child_outcome outcome;
    wb_error child_error = {{0}};
    ctx.conns = NULL;
    ctx.threads = 1;
    CHECK(wb_child_run(&ctx, wb_strategy_fn_for(prepared, WB_BACKEND_SQLITE, NULL), 60, NULL, NULL, &outcome, &child_error) == 0);
    CHECK(outcome.status == WB_STATUS_OK);
    fseek(sink, 0, SEEK_END);
    all = sink_text(sink);
    text = all + child_start;
    for (int t = 0; t < w->ntables; t++) {
        char needle[128];
        snprintf(needle, sizeof needle, "ms  INSERT INTO \"%s\"", w->tables[t].name);
        CHECK_INT(count_lines(text, needle), ROWS);
    }
    CHECK_INT(count_lines(text, "ms  BEGIN IMMEDIATE"), 1);
    CHECK_INT(count_lines(text, "ms  PRAGMA foreign_keys"), 1); /* the child's connection only */
    CHECK_INT(count_lines(text, "summary of this test ("), 1);
    /* The summary counts the lines the child printed before it (its connection's
     * statements too): the header's total, and the insert's row. */
    char *summary = strstr(text, "[echo] summary of this test (");
    CHECK(summary != NULL);
    if (summary) {
        *summary = '\0';
        int printed = count_lines(text, " ms  ");
        *summary = '[';
        snprintf(header, sizeof header, ": %d statements, ", printed);
        CHECK_CONTAINS(summary, header);
        snprintf(row, sizeof row, "[echo] %9d ", ROWS);
        CHECK_INT(count_lines(summary, row), w->ntables);
    }
    free(all);

    b->disconnect(conn);
    b->disconnect(admin);
}

int main(void)
{
    FILE *sink = tmpfile();
    CHECK(sink != NULL);
    if (!sink)
        return check_finish();
    wb_echo_set_sink(sink);
    test_off(sink);
    wb_echo_enable();
    test_elide();
    test_params(sink);
    test_buffered_order(sink);
    test_threads(sink);
    test_age_flush(sink);
    test_exit_flush(sink);
    wb_echo_disable();
    CHECK(!wb_echo_active);

    char dir[] = "/tmp/wb-test-echo-XXXXXX";
    CHECK(mkdtemp(dir) != NULL);
    wb_echo_set_sink(sink);
    test_strategy(sink, dir, "products");
    test_strategy(sink, dir, "users");
    wb_echo_disable();
    wb_echo_set_sink(NULL);
    fclose(sink);
    remove_dir(dir);
    return check_finish();
}

/* --echo on PostgreSQL (backends/echo.h) against the fixture cluster: the strategy
 * `prepared` on N rows of products, echoed with durations, and the statements counted
 * twice: by echo and by the server. pg_stat_statements is not loaded in the fixture
 * (it needs shared_preload_libraries), so the server's count is its statement log:
 * log_statement = 'all' is switched on for the test (ALTER SYSTEM + reload) and the
 * lines of the strategy's backend process (log_line_prefix's default "%m [%p] ") are
 * read from the cluster's postgres.log, next to the conninfo file. log_statement logs
 * simple queries and each Execute of the extended protocol, not Parse: so the
 * server's count is echo's count less the PREPAREs, which the test checks too.
 * The same count is made for `profile`'s own statements (its reads' plans and
 * executions, and the caching study), which go through the backend's statement layer; and
 * load-then-index's catalogue queries are checked to be echoed with their values.
 *
 * Needs WB_PG_CONNINFO_FILE (set by CTest for test_pg_* tests); without it, skipped. */
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "backends/echo.h"
#include "backends/postgres.h"
#include "profile/cache.h"
#include "profile/reads.h"
#include "strategies/strategy.h"
#include "unit/check.h"
#include "util/clock.h"
#include "workloads/schema.h"
#include "workloads/workload.h"

#define SCHEMA "wbunit_pg_echo"
#define ROWS 9
#define SECRET_HINT "password"

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

/* Run SQL on a plain libpq connection. */
static int raw_exec(const char *conninfo, const char *sql)
{
    PGconn *pg = PQconnectdb(conninfo);
    PGresult *r = PQexec(pg, sql);
    int ok = PQresultStatus(r) == PGRES_COMMAND_OK || PQresultStatus(r) == PGRES_TUPLES_OK;
    if (!ok)
        fprintf(stderr, "raw_exec(%s): %s", sql, PQerrorMessage(pg));
    PQclear(r);
    PQfinish(pg);
    return ok ? 0 : -1;
}

/* The file's contents from offset on (caller frees). */
static char *read_from(const char *path, long offset)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return wb_xstrdup("");
    fseek(f, 0, SEEK_END);
    long size = ftell(f);
    if (offset > size)
        offset = size;
    fseek(f, offset, SEEK_SET);
    char *text = wb_xcalloc((size_t)(size - offset) + 1, 1);
    size_t got = fread(text, 1, (size_t)(size - offset), f);
    text[got] = '\0';
    fclose(f);
    return text;
}

/* What was written to the stream from offset on (caller frees). */
static char *read_from_stream(FILE *f, long offset)
{
    wb_echo_flush();
    long size = ftell(f);
    char *text = wb_xcalloc((size_t)(size - offset) + 1, 1);
    fseek(f, offset, SEEK_SET);
    size_t got = fread(text, 1, (size_t)(size - offset), f);
    text[got] = '\0';
    fseek(f, 0, SEEK_END);
    return text;
}

static long file_size(const char *path)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return 0;
    fseek(f, 0, SEEK_END);
    long size = ftell(f);
    fclose(f);
    return size;
}

/* How long the waits below poll before they give up: far more than a loaded machine
 * needs, and only reached when what they wait for never happens. */
#define WAIT_BOUND_S 30.0

/* Whether a new session sees log_statement = 'all', polled for at most WAIT_BOUND_S:
 * pg_reload_conf() signals the postmaster, which rereads the file in its own time,
 * and a session takes the setting when it starts. Once one new session has it, every
 * later one has it too. */
static int log_statement_all(const char *conninfo)
{
    double deadline_s = wb_clock_s() + WAIT_BOUND_S;
    for (;;) {
        PGconn *pg = PQconnectdb(conninfo);
        PGresult *r = PQexec(pg, "SHOW log_statement");
        int all = PQresultStatus(r) == PGRES_TUPLES_OK && strcmp(PQgetvalue(r, 0, 0), "all") == 0;
        PQclear(r);
        PQfinish(pg);
        if (all)
            return 1;
        if (wb_clock_s() > deadline_s)
            return 0;
        wb_sleep_ns(10 * 1000000LL);
    }
}

/* Whether the server's log from offset on holds a marker statement sent now, polled
 * for at most WAIT_BOUND_S. A server process writes a statement's log line before
 * it answers the statement, and all of them write to one file (or one pipe to the
 * logging collector), in order: once the marker is there, so is every line of the
 * sessions that finished before it was sent. */
static int log_caught_up(const char *conninfo, const char *log_path, long offset)
{
    static int markers;
    char marker[64], sql[96];
    snprintf(marker, sizeof marker, "wb_log_marker_%d_%d", (int)getpid(), ++markers);
    snprintf(sql, sizeof sql, "SELECT '%s'", marker);
    if (raw_exec(conninfo, sql) != 0)
        return 0;
    double deadline_s = wb_clock_s() + WAIT_BOUND_S;
    for (;;) {
        char *log = read_from(log_path, offset);
        int found = strstr(log, marker) != NULL;
        free(log);
        if (found)
            return 1;
        if (wb_clock_s() > deadline_s)
            return 0;
        wb_sleep_ns(10 * 1000000LL);
    }
}

/* Lines of text containing both a and b (b may be NULL). */
static int count_lines(const char *text, const char *a, const char *b)
{
    int n = 0;
    for (const char *line = text; *line;) {
        const char *end = strchr(line, '\n');
        size_t len = end ? (size_t)(end - line) : strlen(line);
        char *copy = wb_xcalloc(len + 1, 1);
        memcpy(copy, line, len);
        if (strstr(copy, a) && (!b || strstr(copy, b)))
            n++;
        free(copy);
        line += len + (end ? 1 : 0);
    }
    return n;
}

/* Run a strategy by name on a new echoing connection (insert pass, ROWS rows, batch
 * 4 after a schema reset) and return what it echoed (caller frees); NULL on failure. */
static char *echo_strategy(const wb_backend *b, wb_target *target, wb_conn *admin,
                           const wb_workload *w, const char *name, FILE *sink)
{
    wb_error e = {{0}};
    const wb_strategy *s = wb_strategy_find(name);
    wb_conn *conn = NULL;
    if (!s || !wb_strategy_fn_for(s, WB_BACKEND_POSTGRES, NULL) || wb_schema_reset(b, admin, w, &e) != 0 ||
        b->connect(target, &conn, &e) != 0) {
        fprintf(stderr, "%s: cannot start: %s\n", name, e.msg);
        return NULL;
    }
    wb_echo_forget();
    long start = ftell(sink);
    wb_counters counters = {0};
    wb_conn *conns[1] = {conn};
    wb_ctx ctx = {.backend = b, .target = target, .workload = w, .phase = WB_PHASE_INSERT,
                  .version = 1, .rows = ROWS, .batch = 4, .threads = 1, .conns = conns,
                  .counters = &counters, .error = &e};
    int rc = wb_strategy_fn_for(s, WB_BACKEND_POSTGRES, NULL)(&ctx);
    if (rc != 0)
        fprintf(stderr, "%s: %s\n", name, e.msg);
    b->disconnect(conn);
    return rc == 0 ? read_from_stream(sink, start) : NULL;
}

int main(void)
{
    const char *file = getenv("WB_PG_CONNINFO_FILE");
    if (!file)
        return CHECK_SKIP("WB_PG_CONNINFO_FILE is not set (CTest sets it)");
    char conninfo[4096];
    if (read_conninfo(file, conninfo, sizeof conninfo) != 0)
        return CHECK_SKIP("no conninfo in WB_PG_CONNINFO_FILE: the fixture cluster did not start");
    /* cluster.sh starts the server with pg_ctl -l <cluster>/postgres.log, the data
     * directory being <cluster>/data. */
    char log_path[4200] = "";
    PGconn *raw = PQconnectdb(conninfo);
    PGresult *r = PQexec(raw, "SELECT setting FROM pg_catalog.pg_settings WHERE name = 'data_directory'");
    if (PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) == 1) {
        char data_dir[4096];
        snprintf(data_dir, sizeof data_dir, "%s", PQgetvalue(r, 0, 0));
        snprintf(log_path, sizeof log_path, "%s/postgres.log", dirname(data_dir));
    }
    PQclear(r);
    PQfinish(raw);
    if (!log_path[0] || access(log_path, R_OK) != 0)
        return CHECK_SKIP("the server's log (postgres.log beside its data directory) is not readable: "
                          "cannot count on the server");

    const wb_backend *b = wb_backend_get(WB_BACKEND_POSTGRES);
    const wb_workload *w = wb_workload_find("products");
    const wb_strategy *prepared = wb_strategy_find("prepared");
    CHECK(b && w && prepared && wb_strategy_fn_for(prepared, WB_BACKEND_POSTGRES, NULL));
    if (!b || !w || !prepared || !wb_strategy_fn_for(prepared, WB_BACKEND_POSTGRES, NULL))
        return check_finish();

    wb_error e = {{0}};
    wb_target target;
    CHECK(wb_target_parse(conninfo, true, &target, &e) == 0);
    snprintf(target.schema, sizeof target.schema, "%s", SCHEMA);
    wb_conn *admin = NULL, *conn = NULL;
    int ok = b->connect(&target, &admin, &e) == 0 && b->claim_namespace(admin, true, &e) == 0 &&
             wb_schema_reset(b, admin, w, &e) == 0;
    CHECK(ok);
    if (!ok) {
        fprintf(stderr, "set-up: %s\n", e.msg);
        b->disconnect(admin);
        return check_finish();
    }
    CHECK(!wb_echo_active); /* no echo until a target asks for it */

    CHECK(raw_exec(conninfo, "ALTER SYSTEM SET log_statement = 'all'") == 0);
    CHECK(raw_exec(conninfo, "SELECT pg_reload_conf()") == 0);
    CHECK(log_statement_all(conninfo));

    FILE *sink = tmpfile();
    wb_echo_set_sink(sink);
    target.echo = true;
    ok = b->connect(&target, &conn, &e) == 0;
    CHECK(ok);
    CHECK(wb_echo_active);
    if (ok) {
        int pid = PQbackendPID(wb_pg_conn(conn));
        char pid_tag[32];
        snprintf(pid_tag, sizeof pid_tag, "[%d] ", pid);
        wb_echo_forget(); /* count from here: the strategy's statements only */
        long log_start = file_size(log_path);
        long sink_start = ftell(sink);

        wb_counters counters = {0};
        wb_error strategy_error = {{0}};
        wb_conn *conns[1] = {conn};
        wb_ctx ctx = {.backend = b, .target = &target, .workload = w, .phase = WB_PHASE_INSERT,
                      .version = 1, .rows = ROWS, .batch = 4, .threads = 1, .conns = conns,
                      .counters = &counters, .error = &strategy_error};
        int rc = wb_strategy_fn_for(prepared, WB_BACKEND_POSTGRES, NULL)(&ctx);
        CHECK(rc == 0);
        if (rc != 0)
            fprintf(stderr, "prepared: %s\n", strategy_error.msg);

        int64_t echoed = wb_echo_count(NULL);
        char *lines = read_from_stream(sink, sink_start);
        int prepares = count_lines(lines, "ms  PREPARE AS ", NULL);
        CHECK_INT(count_lines(lines, "[echo] ", NULL), echoed);   /* each statement once */
        CHECK_INT(count_lines(lines, " ms  ", NULL), echoed);      /* ... with its duration */
        CHECK_INT(prepares, w->ntables);                           /* one PREPARE per table */
        CHECK_INT(count_lines(lines, "ms  INSERT INTO ", "-- $1='"), ROWS); /* with its values */
        CHECK_INT(count_lines(lines, "ms  BEGIN", NULL), 1);
        CHECK_INT(count_lines(lines, "ms  COMMIT", NULL), 1);
        CHECK(strstr(lines, "host=") == NULL && strstr(lines, SECRET_HINT) == NULL);
        free(lines);

        /* The server's count of the same statements, from its log. */
        b->disconnect(conn); /* DEALLOCATEs are done: the session's statements are all sent */
        conn = NULL;
        CHECK_INT(wb_echo_count(NULL), echoed); /* disconnecting sends nothing */
        CHECK(log_caught_up(conninfo, log_path, log_start));
        char *log = read_from(log_path, log_start);
        int server = count_lines(log, pid_tag, "LOG:  statement: ") + count_lines(log, pid_tag, "LOG:  execute ");
        int server_inserts = count_lines(log, pid_tag, "INSERT INTO");
        fprintf(stderr, "echo counted %lld statements (%d PREPAREs, not logged by the server); "
                        "the server logged %d\n", (long long)echoed, prepares, server);
        CHECK_INT(server, echoed - prepares);
        CHECK_INT(server_inserts, ROWS);
        free(log);

        /* The summary counts what was sent: the insert ROWS times. */
        long summary_start = ftell(sink);
        wb_echo_summary("the test");
        char *summary = read_from_stream(sink, summary_start);
        char header[96];
        snprintf(header, sizeof header, "summary of the test: %lld statements", (long long)echoed);
        CHECK_CONTAINS(summary, header);
        char row[64];
        snprintf(row, sizeof row, "[echo] %9d ", ROWS);
        CHECK_INT(count_lines(summary, row, "INSERT INTO"), 1);
        free(summary);
    }

    /* profile's statements on the ROWS rows `prepared` left: each read's plan and
     * its executions (one warm-up + PROFILE_REPEAT), then the caching study; echo's
     * count against the server's log again, and each read echoed once per execution. */
    ok = b->connect(&target, &conn, &e) == 0;
    CHECK(ok);
    if (ok) {
        enum { PROFILE_REPEAT = 3 };
        char pid_tag[32];
        snprintf(pid_tag, sizeof pid_tag, "[%d] ", PQbackendPID(wb_pg_conn(conn)));
        wb_echo_forget();
        long log_start = file_size(log_path);
        long sink_start = ftell(sink);
        wb_read_def *reads = NULL;
        int nreads = wb_reads_derive(w, &reads);
        CHECK_INT(nreads, 3); /* products: by key, by its unique name, by category */
        for (int i = 0; reads && i < nreads; i++) {
            wb_buf plan = WB_BUF_INIT;
            wb_latency latency;
            CHECK(wb_read_plan(b, conn, &reads[i], ROWS, &plan, &e) == 0);
            CHECK(wb_read_measure(b, conn, &reads[i], ROWS, PROFILE_REPEAT, &latency, &e) == 0);
            wb_buf_free(&plan);
        }
        free(reads);
        wb_cache_study_options options;
        wb_cache_study_options_default(&options);
        options.lookups = 30;
        wb_cache_study_result study;
        CHECK(wb_cache_study(b, conn, w, ROWS, &options, &study, &e) == 0);
        int64_t echoed = wb_echo_count(NULL);
        char *lines = read_from_stream(sink, sink_start);
        int prepares = count_lines(lines, "ms  PREPARE AS ", NULL);
        CHECK_INT(count_lines(lines, " ms  ", NULL), echoed);
        CHECK_INT(prepares, 3 + 2); /* one per read, the study's SELECT and UPDATE */
        CHECK_INT(count_lines(lines, "ms  EXPLAIN (ANALYZE, BUFFERS) ", NULL), 3);
        /* each read: its plan, the checked warm-up and the timed executions, with their values */
        CHECK_INT(count_lines(lines, "WHERE \"name\" = $1  -- $1='", NULL), 1 + 1 + PROFILE_REPEAT);
        CHECK_INT(count_lines(lines, "WHERE \"category\" = $1  -- $1='", NULL), 1 + 1 + PROFILE_REPEAT);
        CHECK_INT(count_lines(lines, "ms  DEALLOCATE wb_cache_", NULL), 2);
        free(lines);
        b->disconnect(conn);
        conn = NULL;
        CHECK(log_caught_up(conninfo, log_path, log_start));
        char *log = read_from(log_path, log_start);
        int server = count_lines(log, pid_tag, "LOG:  statement: ") + count_lines(log, pid_tag, "LOG:  execute ");
        fprintf(stderr, "profile: echo counted %lld statements (%d PREPAREs); the server logged %d\n",
                (long long)echoed, prepares, server);
        CHECK_INT(server, echoed - prepares);
        free(log);
        wb_echo_forget();
    }

    /* Pipeline mode: one entry per sync batch (9 rows synced every 4: three batches,
     * the last with the COMMIT), besides the PREPARE and DEALLOCATE outside it. */
    char *lines = echo_strategy(b, &target, admin, w, "pipeline", sink);
    CHECK(lines != NULL);
    if (lines) {
        CHECK_INT(count_lines(lines, "ms  (pipeline) ", "statements up to a sync"), 3);
        CHECK_INT(wb_echo_count("(pipeline) statements up to a sync"), 3);
        CHECK_INT(count_lines(lines, "ms  INSERT INTO ", NULL), 0); /* inside the batches */
        free(lines);
    }
    /* COPY: one entry per COPY, from the COPY command to the end of its data. */
    lines = echo_strategy(b, &target, admin, w, "copy-text", sink);
    CHECK(lines != NULL);
    if (lines) {
        char copy_rows[32];
        snprintf(copy_rows, sizeof copy_rows, "-- %d rows", ROWS);
        CHECK_INT(count_lines(lines, "ms  COPY ", copy_rows), 1);
        CHECK_INT(count_lines(lines, "[echo] ", NULL), 3); /* BEGIN, COPY, COMMIT */
        free(lines);
    }

    /* load-then-index: its two catalogue queries per table are echoed with the table's
     * name as their value, like every other statement it sends. */
    lines = echo_strategy(b, &target, admin, w, "load-then-index", sink);
    CHECK(lines != NULL);
    if (lines) {
        CHECK_INT(count_lines(lines, "ms  SELECT quote_ident(conname), pg_get_constraintdef(oid)", "-- $1='"),
                  w->ntables);
        CHECK_INT(count_lines(lines, "ms  SELECT i.indexrelid::regclass::text", "-- $1='"), w->ntables);
        CHECK_INT(count_lines(lines, "ms  COPY ", NULL), w->ntables);
        free(lines);
    }

    CHECK(raw_exec(conninfo, "ALTER SYSTEM RESET log_statement") == 0);
    CHECK(raw_exec(conninfo, "SELECT pg_reload_conf()") == 0);
    b->disconnect(conn);
    b->disconnect(admin);
    wb_echo_disable();
    wb_echo_set_sink(NULL);
    fclose(sink);
    return check_finish();
}

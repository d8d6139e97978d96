/* Part of bench/echo-overhead.sh (issue 5): the cost of --echo per statement, measured
 * inside one process so that the rest of a shared machine cancels out. single-tx's
 * work (prepare, bind, step, finalize of one INSERT per row, all in one transaction)
 * runs on three SQLite connections, each on its own file: without echo, with
 * --echo (lines to /dev/null), and with a trace callback that does nothing (what
 * SQLite's own tracing costs, which --echo cannot avoid). Rows go in blocks of
 * BLOCK_ROWS, the three connections taking turns in rotating order, so drift in the
 * machine's load hits all three alike; each block is timed.
 *
 * Usage: echo-interleaved DIR [ROWS]   (DIR: an empty directory for the three files)
 * Prints one line: "plain S echo S noop S" (seconds, the sum of the blocks). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backends/echo.h"
#include "backends/sqlite.h"
#include "strategies/sqlite/common.h"
#include "util/clock.h"
#include "workloads/schema.h"
#include "workloads/workload.h"

/* Rows per turn: long enough that reading the clock costs nothing, short enough
 * that the turns interleave many times a second. */
#define BLOCK_ROWS 1000

enum { PLAIN, ECHO, NOOP, KINDS };

/* A trace callback that does nothing: SQLite's side of tracing alone. */
static int noop_trace(unsigned type, void *arg, void *stmt, void *x)
{
    (void)type, (void)arg, (void)stmt, (void)x;
    return 0;
}

/* Open DIR/name.db with the workload's tables, empty; with echo set, --echo's
 * connection. Exits with a message on failure. */
static wb_conn *open_file(const char *dir, const char *name, bool echo, const wb_workload *w)
{
    const wb_backend *b = wb_backend_get(WB_BACKEND_SQLITE);
    wb_target target;
    wb_error e = {{0}};
    char url[4200];
    snprintf(url, sizeof url, "sqlite://%s/%s.db", dir, name);
    wb_conn *c = NULL;
    if (wb_target_parse(url, true, &target, &e) != 0 || b->connect(&target, &c, &e) != 0 ||
        b->claim_namespace(c, true, &e) != 0 || wb_schema_reset(b, c, w, &e) != 0) {
        fprintf(stderr, "echo-interleaved: %s\n", e.msg);
        exit(1);
    }
    if (echo) { /* the set-up above is not echoed; the measured statements are */
        b->disconnect(c);
        target.echo = true;
        if (b->connect(&target, &c, &e) != 0) {
            fprintf(stderr, "echo-interleaved: %s\n", e.msg);
            exit(1);
        }
    }
    return c;
}

/* Insert keys first..last into t as single-tx does (the SQL parsed anew per row). */
static void insert_rows(sqlite3 *db, const char *sql, const wb_table *t, int64_t first, int64_t last)
{
    wb_error e = {{0}};
    for (int64_t key = first; key <= last; key++) {
        wb_row row;
        wb_row_make(t, key, 1, &row);
        sqlite3_stmt *st = NULL;
        if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK || wb_sq_bind_row(db, st, 1, &row, &e) != 0 ||
            sqlite3_step(st) != SQLITE_DONE) {
            fprintf(stderr, "echo-interleaved: insert of key %lld: %s\n", (long long)key, sqlite3_errmsg(db));
            exit(1);
        }
        sqlite3_finalize(st);
    }
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: echo-interleaved DIR [ROWS]\n");
        return 2;
    }
    int64_t rows = argc > 2 ? atoll(argv[2]) : 100000;
    const wb_workload *w = wb_workload_find("products");
    const wb_table *t = &w->tables[0];
    FILE *devnull = fopen("/dev/null", "w");
    if (!devnull || rows < 1)
        return 2;
    wb_echo_set_sink(devnull);
    static const char *const names[KINDS] = {"plain", "echo", "noop"};
    wb_conn *conns[KINDS];
    char *sql[KINDS];
    double seconds[KINDS] = {0};
    for (int k = 0; k < KINDS; k++) {
        conns[k] = open_file(argv[1], names[k], k == ECHO, w);
        wb_buf text = WB_BUF_INIT;
        wb_sq_insert_sql(conns[k], t, "INSERT", 1, 0, &text);
        sql[k] = wb_xstrdup(wb_buf_str(&text));
        wb_buf_free(&text);
        sqlite3_exec(wb_sqlite_db(conns[k]), "BEGIN IMMEDIATE", NULL, NULL, NULL);
    }
    sqlite3_trace_v2(wb_sqlite_db(conns[NOOP]), SQLITE_TRACE_STMT | SQLITE_TRACE_PROFILE, noop_trace, NULL);
    for (int64_t first = 1, turn = 0; first <= rows; first += BLOCK_ROWS, turn++) {
        int64_t last = first + BLOCK_ROWS - 1 < rows ? first + BLOCK_ROWS - 1 : rows;
        for (int i = 0; i < KINDS; i++) {
            int k = (int)((turn + i) % KINDS); /* who goes first rotates */
            int64_t start_ns = wb_clock_ns();
            insert_rows(wb_sqlite_db(conns[k]), sql[k], t, first, last);
            seconds[k] += (double)(wb_clock_ns() - start_ns) / 1e9;
        }
    }
    const wb_backend *b = wb_backend_get(WB_BACKEND_SQLITE);
    for (int k = 0; k < KINDS; k++) {
        sqlite3_exec(wb_sqlite_db(conns[k]), "COMMIT", NULL, NULL, NULL);
        b->disconnect(conns[k]);
        free(sql[k]);
    }
    wb_echo_disable();
    wb_echo_set_sink(NULL);
    fclose(devnull);
    printf("plain %.6f echo %.6f noop %.6f\n", seconds[PLAIN], seconds[ECHO], seconds[NOOP]);
    return 0;
}

/* Unit tests of runner/console: what a run prints per test and in its closing
 * ranked tables, captured from stdout, for built-in strategies and external
 * programs (whose names carry their language: "orm_add_all [python]"); and the
 * tables fitted to the terminal's width (COLUMNS, stdout being a file here). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "runner/console.h"
#include "util/buf.h"
#include "util/fs.h"

static char path[] = "/tmp/wb-test-console-XXXXXX";

/* What fn(arg) prints on stdout. */
static char *captured(void (*fn)(const void *), const void *arg)
{
    fflush(stdout);
    int saved = dup(STDOUT_FILENO);
    FILE *f = fopen(path, "w");
    if (saved < 0 || !f)
        abort();
    dup2(fileno(f), STDOUT_FILENO);
    fn(arg);
    fflush(stdout);
    dup2(saved, STDOUT_FILENO);
    close(saved);
    fclose(f);
    wb_buf text = WB_BUF_INIT;
    wb_error e;
    if (wb_fs_read_file(path, &text, &e) < 0)
        abort();
    return text.data ? text.data : calloc(1, 1);
}

static void result(wb_result *r, const char *strategy, const char *phase, double rows_per_s, int external,
                   const char *language)
{
    wb_result_init(r);
    snprintf(r->strategy, sizeof r->strategy, "%s", strategy);
    snprintf(r->phase, sizeof r->phase, "%s", phase);
    snprintf(r->test, sizeof r->test, "%s-%s", strategy, phase);
    r->rows = 1000;
    r->threads = 1;
    r->batch = 1000;
    r->repeat = 1;
    r->success = 1;
    r->status = WB_STATUS_OK;
    r->rows_per_s = rows_per_s;
    r->duration_s = 2000.0 / rows_per_s;
    r->peak_rss_kb = 6000;
    r->commits = 1;
    r->external = external;
    snprintf(r->language, sizeof r->language, "%s", language);
    snprintf(r->verify, sizeof r->verify, "values");
}

/* A scan's results: two batch sizes of a batching strategy, a strategy that ignores
 * --batch (batch -1), a slow one at fewer rows, and generate-only's floor. */
static wb_result scan[5];

static void print_scan(const void *arg)
{
    (void)arg;
    wb_console_summary(scan, 5);
}

/* One ranking per (phase, rows, batch, threads, check): never a table mixing sizes;
 * a test that ignores batch is ranked in every batch group of its rows. */
static void test_groups(void)
{
    result(&scan[0], "values-multirow", "insert", 500000, 0, "c");
    scan[0].batch = 100;
    result(&scan[1], "values-multirow", "insert", 900000, 0, "c");
    result(&scan[2], "prepared", "insert", 700000, 0, "c");
    scan[2].batch = -1;
    scan[2].threads_ignored = 1;
    result(&scan[3], "single-autocommit", "insert", 30000, 0, "c");
    scan[3].rows = 10;
    scan[3].batch = -1;
    scan[3].slow = 1;
    result(&scan[4], "generate-only", "insert", 9000000, 0, "c");
    scan[4].batch = -1;
    snprintf(scan[4].verify, sizeof scan[4].verify, "none");
    char *text = captured(print_scan, NULL);
    const char *b100 = strstr(text, "insert pass, 1,000 rows, batch 100, 1 thread, verified, fastest first:\n");
    const char *b1000 = strstr(text, "insert pass, 1,000 rows, batch 1,000, 1 thread, verified, fastest first:\n");
    const char *small = strstr(text, "insert pass, 10 rows, 1 thread, verified, fastest first:\n");
    CHECK(b100 && b1000 && small);
    if (b100 && b1000 && small) {
        /* batch 100: prepared (700k) ranks above values-multirow at batch 100 (500k) */
        CHECK(b100 < b1000 && b1000 < small);
        const char *prepared_in_100 = strstr(b100, "     1  prepared ");
        CHECK(prepared_in_100 && prepared_in_100 < b1000);
        const char *vm_in_1000 = strstr(b1000, "     1  values-multirow ");
        CHECK(vm_in_1000 && vm_in_1000 < small);
        const char *prepared_in_1000 = strstr(b1000, "     2  prepared ");
        CHECK(prepared_in_1000 && prepared_in_1000 < small);
        CHECK(strstr(small, "     1  single-autocommit ") != NULL);
        /* the slow test at 10 rows is never ranked among the 1,000-row tests */
        const char *slow = strstr(text, "single-autocommit");
        CHECK(slow && slow > small);
    }
    /* generate-only is the floor under each ranking, never ranked itself */
    CHECK(strstr(text, "  generate-only ") == NULL);
    CHECK_CONTAINS(text, "  client floor: generate-only makes and encodes 9,000,000 rows/s and sends nothing");
    free(text);
}

static wb_result results[4];

static void print_summary(const void *arg)
{
    (void)arg;
    wb_console_summary(results, 4);
}

static void print_one(const void *arg)
{
    wb_console c;
    wb_console_init(&c);
    c.progress_enabled = 0;
    wb_console_result(&c, arg);
}

static void print_titles_and_one(const void *arg)
{
    wb_console c;
    wb_console_init(&c);
    c.progress_enabled = 0;
    c.scan = 1;
    wb_console_titles(&c);
    wb_console_result(&c, arg);
}

/* Every line of the tables in text (those indented: not the headings) is at
 * most width columns wide (the note may wrap). */
static int fits(const char *text, int width)
{
    for (const char *line = text; *line;) {
        const char *end = strchr(line, '\n');
        if (!end || (strncmp(line, "  ", 2) == 0 && end - line > width))
            return 0;
        line = end + 1;
    }
    return 1;
}

/* At 60 columns the tables leave out their least important columns and say which;
 * at 200 they show every one. */
static void test_width(void)
{
    setenv("COLUMNS", "60", 1);
    char *text = captured(print_summary, NULL);
    CHECK(strstr(text, "commits") == NULL || strstr(text, "left out") < strstr(text, "commits"));
    CHECK(strstr(text, "client  ") == NULL);
    CHECK_CONTAINS(text, "  rank  strategy                      rows/s  result\n");
    CHECK_CONTAINS(text, "  (left out to fit 60 columns: rows, batch, threads,\n"
                         "   % of ref, client, peak RSS, commits; widen the terminal\n   or set COLUMNS)\n");
    CHECK(fits(text, 60));
    free(text);
    text = captured(print_titles_and_one, &results[0]);
    CHECK_CONTAINS(text, "  test                                rows/s  result\n");
    CHECK_CONTAINS(text,
                   "  (left out to fit 60 columns: rows, batch, threads,\n   seconds, % of ref, client, peak RSS;");
    CHECK_CONTAINS(text, "  prepared-insert                    100,000  verified\n");
    CHECK(fits(text, 60));
    free(text);

    setenv("COLUMNS", "200", 1);
    text = captured(print_summary, NULL);
    CHECK(strstr(text, "left out") == NULL);
    CHECK_CONTAINS(text, "  rank  strategy                       rows  batch threads        rows/s % of ref  client   "
                         "peak RSS   commits  result\n");
    free(text);
    text = captured(print_titles_and_one, &results[0]);
    CHECK(strstr(text, "left out") == NULL);
    CHECK_CONTAINS(text, "  test                                 rows  batch threads    seconds        rows/s "
                         "% of ref  client   peak RSS  result\n");
    free(text);
    unsetenv("COLUMNS");
}

int main(void)
{
    if (isatty(STDOUT_FILENO))
        unsetenv("COLUMNS"); /* captured output is a file either way */
    int fd = mkstemp(path);
    if (fd < 0)
        return CHECK_SKIP("cannot create a temporary file");
    close(fd);
    result(&results[0], "prepared", "insert", 100000, 0, "c");
    result(&results[1], "orm_add_all", "insert", 4000, 1, "python");
    result(&results[2], "go_copy", "insert", 150000, 1, "native");
    result(&results[3], "shelly", "insert", 1000, 1, ""); /* the runner left the language empty */

    char *text = captured(print_summary, NULL);
    CHECK_CONTAINS(text, "insert pass, 1,000 rows, batch 1,000, 1 thread, verified, fastest first:\n");
    /* ranked by rows/s, the external programs marked, the built-in not */
    CHECK_CONTAINS(text, "\n     1  go_copy [native]     ");
    CHECK_CONTAINS(text, "\n     2  prepared             ");
    CHECK_CONTAINS(text, "\n     3  orm_add_all [python] ");
    CHECK_CONTAINS(text, "\n     4  shelly [unknown]     ");
    CHECK(strstr(text, "[c]") == NULL);
    free(text);

    test_groups();
    text = captured(print_one, &results[1]);
    CHECK_CONTAINS(text, "  orm_add_all-insert [python] ");
    CHECK_CONTAINS(text, "verified\n");
    free(text);
    text = captured(print_one, &results[0]);
    CHECK(strncmp(text, "  prepared-insert    ", 21) == 0);
    CHECK(strchr(text, '[') == NULL);
    free(text);
    test_width();
    unlink(path);
    return check_finish();
}

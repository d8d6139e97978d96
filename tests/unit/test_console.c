/* Unit tests of runner/console: what a run prints per test and in its closing
 * ranked tables, captured from stdout, for built-in strategies and external
 * programs (whose names carry their language: "orm_add_all [python]"). */
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

int main(void)
{
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

    text = captured(print_one, &results[1]);
    CHECK_CONTAINS(text, "  orm_add_all-insert [python] ");
    CHECK_CONTAINS(text, "verified\n");
    free(text);
    text = captured(print_one, &results[0]);
    CHECK(strncmp(text, "  prepared-insert    ", 21) == 0);
    CHECK(strchr(text, '[') == NULL);
    free(text);
    unlink(path);
    return check_finish();
}

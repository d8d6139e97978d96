/* Unit tests of analysis/runs: results written by the real writer
 * (runner/run_files) read back unchanged, and every kind of damaged file
 * refused whole with a reason that names the defect. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "analysis/runs.h"
#include "check.h"
#include "runner/run_files.h"
#include "util/buf.h"
#include "util/fs.h"

static char base[] = "/tmp/wb-test-runs-XXXXXX";

/* The header line of results format 1 (the writer's first 24 columns), with its
 * newline: the rows below are of that format, which must stay readable. */
static void header(wb_buf *out)
{
    for (int i = 0; wb_results_csv_columns[i] && i < 24; i++)
        wb_buf_printf(out, "%s%s", i ? "," : "", wb_results_csv_columns[i]);
    wb_buf_putc(out, '\n');
}

static const char *good_row =
    "r1,prepared-insert,prepared,insert,sqlite,3.40.1,users,100,1,,1,1,200,0.012500,16000.0,0.000100,"
    "0.010000,0.002000,6000,,40960,1,8192,\n";

/* Parse header + body; returns the parser's status, the message in e. */
static int parse(const char *body, wb_error *e, int *n)
{
    wb_buf data = WB_BUF_INIT;
    header(&data);
    wb_buf_puts(&data, body);
    wb_result *rows;
    int rc = wb_results_csv_parse(data.data, data.len, &rows, n, e);
    free(rows);
    wb_buf_free(&data);
    return rc;
}

static void test_parse_good(void)
{
    wb_buf data = WB_BUF_INIT;
    header(&data);
    wb_buf_puts(&data, good_row);
    /* an error message spanning lines, quoted, and a failed test's empty figures */
    wb_buf_puts(&data, "r1,single-tx-update,single-tx,update,sqlite,3.40.1,users,100,1,,1,0,,,,0.000100,"
                       ",,,,,,,\"verify: user_account.name differs\nat id 3, \"\"x\"\"\"\n");
    wb_result *rows;
    int n;
    wb_error e;
    CHECK_INT(wb_results_csv_parse(data.data, data.len, &rows, &n, &e), 0);
    CHECK_INT(n, 2);
    if (n == 2) {
        CHECK_STR(rows[0].test, "prepared-insert");
        CHECK_INT(rows[0].rows, 100);
        CHECK_INT(rows[0].batch, -1); /* empty = unknown */
        CHECK(rows[0].duration_s == 0.0125);
        CHECK(rows[0].rows_per_s == 16000.0);
        CHECK_INT(rows[0].peak_rss_kb, 6000);
        CHECK_INT(rows[0].server_peak_rss_kb, -1);
        CHECK_INT(rows[0].db_bytes, 8192);
        CHECK_INT(rows[0].success, 1);
        CHECK_INT(rows[0].status, WB_STATUS_OK);
        /* a file from before the batch latency columns: unknown, not zero */
        CHECK_INT(rows[0].batches, -1);
        CHECK(isnan(rows[0].batch_p50_ms) && isnan(rows[0].batch_max_ms));
        CHECK_INT(rows[1].success, 0);
        CHECK(isnan(rows[1].duration_s));
        CHECK_STR(rows[1].error, "verify: user_account.name differs\nat id 3, \"x\"");
        CHECK_INT(rows[1].status, WB_STATUS_FAILED);
    }
    free(rows);
    wb_buf_free(&data);

    /* columns appended by a later version are allowed (the compatibility rule) */
    data = (wb_buf)WB_BUF_INIT;
    for (int i = 0; wb_results_csv_columns[i] && i < 24; i++)
        wb_buf_printf(&data, "%s,", wb_results_csv_columns[i]);
    wb_buf_puts(&data, "future_column\n");
    wb_buf_append(&data, good_row, strlen(good_row) - 1);
    wb_buf_puts(&data, ",42\n");
    CHECK_INT(wb_results_csv_parse(data.data, data.len, &rows, &n, &e), 0);
    CHECK_INT(n, 1);
    free(rows);
    wb_buf_free(&data);

    /* a negative growth of the database is a real figure */
    CHECK_INT(parse("r1,prepared-insert,prepared,insert,sqlite,3.40.1,users,100,1,,1,1,200,0.0125,16000.0,,"
                    ",,,,,,-8192,\n",
                    &e, &n),
              0);
}

static void test_parse_bad(void)
{
    wb_error e;
    int n;
    wb_result *rows;
    CHECK_INT(wb_results_csv_parse("", 0, &rows, &n, &e), -1);
    CHECK_CONTAINS(e.msg, "empty");

    /* header only: nothing was recorded */
    CHECK_INT(parse("", &e, &n), -1);
    CHECK_CONTAINS(e.msg, "holds no results");

    /* truncated: the last line has no newline */
    wb_buf cut = WB_BUF_INIT;
    wb_buf_append(&cut, good_row, 40);
    CHECK_INT(parse(wb_buf_str(&cut), &e, &n), -1);
    CHECK_CONTAINS(e.msg, "truncated: line 2 ends without a newline");
    /* a record with fewer fields (cut, then a newline) */
    wb_buf_putc(&cut, '\n');
    CHECK_INT(parse(wb_buf_str(&cut), &e, &n), -1);
    CHECK_CONTAINS(e.msg, "line 2:");
    CHECK_CONTAINS(e.msg, "a cut-off record");
    wb_buf_free(&cut);

    /* a quoted field never closed */
    CHECK_INT(parse("r1,\"prepared-insert,prepared\n", &e, &n), -1);
    CHECK_CONTAINS(e.msg, "unterminated quoted field");

    /* numbers that are not numbers */
    CHECK_INT(parse("r1,prepared-insert,prepared,insert,sqlite,3.40.1,users,1e2,1,,1,1,200,0.0125,16000.0,,,,,,,,,\n",
                    &e, &n),
              -1);
    CHECK_CONTAINS(e.msg, "rows is not a whole number: '1e2'");
    CHECK_INT(parse("r1,prepared-insert,prepared,insert,sqlite,3.40.1,users,100,1,,1,1,200,fast,16000.0,,,,,,,,,\n",
                    &e, &n),
              -1);
    CHECK_CONTAINS(e.msg, "duration_s is not a number: 'fast'");
    CHECK_INT(parse("r1,prepared-insert,prepared,insert,sqlite,3.40.1,users,100,1,,1,1,200,nan,16000.0,,,,,,,,,\n",
                    &e, &n),
              -1);
    CHECK_INT(parse("r1,prepared-insert,prepared,insert,sqlite,3.40.1,users,100,1,,1,1,200,-0.5,16000.0,,,,,,,,,\n",
                    &e, &n),
              -1);
    CHECK_INT(parse("r1,prepared-insert,prepared,insert,sqlite,3.40.1,users,100,1,,1,yes,200,0.1,16000.0,,,,,,,,,\n",
                    &e, &n),
              -1);
    CHECK_CONTAINS(e.msg, "success must be 0 or 1");
    /* -1 would read back as "unknown": refused rather than changed */
    CHECK_INT(parse("r1,prepared-insert,prepared,insert,sqlite,3.40.1,users,100,1,,1,1,200,0.1,16000.0,,,,,,,,-1,\n",
                    &e, &n),
              -1);
    /* unknown phase, and a test name that does not match */
    CHECK_INT(parse("r1,prepared-delete,prepared,delete,sqlite,3.40.1,users,100,1,,1,1,200,0.1,16000.0,,,,,,,,,\n",
                    &e, &n),
              -1);
    CHECK_CONTAINS(e.msg, "unknown phase 'delete'");
    CHECK_INT(parse("r1,other-insert,prepared,insert,sqlite,3.40.1,users,100,1,,1,1,200,0.1,16000.0,,,,,,,,,\n",
                    &e, &n),
              -1);
    CHECK_CONTAINS(e.msg, "is not '<strategy>-<phase>'");

    /* foreign files */
    const char *foreign = "name,age\nalice,30\n";
    CHECK_INT(wb_results_csv_parse(foreign, strlen(foreign), &rows, &n, &e), -1);
    CHECK_CONTAINS(e.msg, "not a writebench results.csv");
    const char garbage[] = "\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR";
    CHECK_INT(wb_results_csv_parse(garbage, sizeof garbage - 1, &rows, &n, &e), -1);
    /* columns reordered */
    wb_buf swapped = WB_BUF_INIT;
    wb_buf_puts(&swapped, "run_id,strategy,test");
    for (int i = 3; wb_results_csv_columns[i]; i++)
        wb_buf_printf(&swapped, ",%s", wb_results_csv_columns[i]);
    wb_buf_puts(&swapped, "\n");
    CHECK_INT(wb_results_csv_parse(swapped.data, swapped.len, &rows, &n, &e), -1);
    CHECK_CONTAINS(e.msg, "header column 2 is 'strategy', expected 'test'");
    wb_buf_free(&swapped);
}

static void write_text(const char *dir, const char *name, const char *text)
{
    char path[4200];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "w");
    if (f) {
        fputs(text, f);
        fclose(f);
    }
}

/* Results written by runner/run_files come back with the same figures (to the
 * CSV's printed precision) and the results.json extras. */
static void test_round_trip(void)
{
    char results_dir[256];
    snprintf(results_dir, sizeof results_dir, "%s/results", base);
    wb_run_files *f;
    wb_error e;
    CHECK_INT(wb_run_files_open(results_dir, "20260101T000000Z-aaaa", &f, &e), 0);
    if (!f)
        return;
    CHECK_INT(wb_run_files_write_conf(f, "# settings\nrun_id = 20260101T000000Z-aaaa\nrows = 100\ncommand = a = b\n", &e), 0);
    wb_result r;
    wb_result_init(&r);
    snprintf(r.run_id, sizeof r.run_id, "20260101T000000Z-aaaa");
    snprintf(r.test, sizeof r.test, "prepared-insert");
    snprintf(r.strategy, sizeof r.strategy, "prepared");
    snprintf(r.phase, sizeof r.phase, "insert");
    snprintf(r.backend, sizeof r.backend, "sqlite");
    snprintf(r.workload, sizeof r.workload, "users");
    r.rows = 100;
    r.threads = 1;
    r.repeat = 1;
    r.success = 1;
    r.rows_verified = 200;
    r.duration_s = 0.0125;
    r.rows_per_s = 16000;
    r.peak_rss_kb = 6000;
    r.wal_bytes = 40960;
    r.server_share = 0.75;
    r.lock_waits = 3;
    r.slow = 1;
    CHECK_INT(wb_run_files_add(f, &r, &e), 0);
    snprintf(r.test, sizeof r.test, "prepared-update");
    snprintf(r.phase, sizeof r.phase, "update");
    r.success = 0;
    r.status = WB_STATUS_CRASHED;
    snprintf(r.error, sizeof r.error, "crashed: signal 11");
    CHECK_INT(wb_run_files_add(f, &r, &e), 0);
    wb_run_files_close(f);

    wb_run_set set = WB_RUN_SET_INIT;
    CHECK_INT(wb_runs_load(results_dir, NULL, 0, 0, &set, &e), 0);
    CHECK_INT(set.nruns, 1);
    CHECK_INT(set.nresults, 2);
    if (set.nresults == 2) {
        CHECK_STR(set.runs[0].run_id, "20260101T000000Z-aaaa");
        CHECK(set.results[0].duration_s == 0.0125);
        CHECK(set.results[0].server_share == 0.75); /* from results.json */
        CHECK_INT(set.results[0].lock_waits, 3);
        CHECK_INT(set.results[0].slow, 1);
        CHECK_INT(set.results[1].status, WB_STATUS_CRASHED); /* results.json's, not guessed */
        CHECK_STR(set.results[1].error, "crashed: signal 11");
        CHECK_STR(wb_run_conf_get(&set.runs[0], "rows"), "100");
        CHECK_STR(wb_run_conf_get(&set.runs[0], "command"), "a = b"); /* split at the first " = " */
        CHECK(wb_run_conf_get(&set.runs[0], "# settings") == NULL);
        CHECK(wb_run_of_result(&set, 1) == &set.runs[0]);
        CHECK(wb_run_of_result(&set, 2) == NULL);
    }
    wb_runs_free(&set);

    /* named: by id and by path (the same run twice counts once) */
    char path[512];
    snprintf(path, sizeof path, "%s/20260101T000000Z-aaaa/", results_dir);
    const char *names[] = {"20260101T000000Z-aaaa", path};
    CHECK_INT(wb_runs_load(results_dir, names, 2, 0, &set, &e), 0);
    CHECK_INT(set.nruns, 1);
    wb_runs_free(&set);

    /* a missing named run is an error, naming it */
    const char *missing[] = {"20260101T000000Z-aaaa", "nope"};
    CHECK_INT(wb_runs_load(results_dir, missing, 2, 0, &set, &e), -1);
    CHECK_CONTAINS(e.msg, "no run 'nope' under");
    CHECK_INT(set.nruns, 0);

    /* a newer format is skipped; an unreadable run next to a good one is skipped */
    char dir[512];
    snprintf(dir, sizeof dir, "%s/20260101T000001Z-bbbb", results_dir);
    mkdir(dir, 0777);
    wb_buf csv = WB_BUF_INIT;
    header(&csv);
    wb_buf_puts(&csv, good_row);
    write_text(dir, "results.csv", wb_buf_str(&csv));
    write_text(dir, "results.json", "{\"format\": \"writebench-results\", \"format_version\": 99, \"results\": {}}");
    CHECK_INT(wb_run_read_dir(dir, &set, &e), -1);
    CHECK_CONTAINS(e.msg, "newer writebench");
    CHECK_CONTAINS(e.msg, "format_version 99");
    /* results.json with fewer results than results.csv (killed between the writes) is fine */
    write_text(dir, "results.json", "{\"format\": \"writebench-results\", \"format_version\": 1, \"results\": []}");
    CHECK_INT(wb_run_read_dir(dir, &set, &e), 0);
    wb_runs_free(&set);
    /* ... but different results are not */
    write_text(dir, "results.json",
               "{\"format_version\": 1, \"results\": [{\"test\": \"single-tx-insert\", \"repeat\": 1}]}");
    CHECK_INT(wb_run_read_dir(dir, &set, &e), -1);
    CHECK_CONTAINS(e.msg, "disagree");
    write_text(dir, "results.json", "{\"format_version\": 1, \"results\": [");
    CHECK_INT(wb_run_read_dir(dir, &set, &e), -1);
    CHECK_CONTAINS(e.msg, "results.json is not valid JSON");
    wb_buf_free(&csv);

    /* the whole directory: the good run is read, the bad one skipped and counted */
    CHECK_INT(wb_runs_load(results_dir, NULL, 0, 0, &set, &e), 0);
    CHECK_INT(set.nruns, 1);
    CHECK_INT(set.nskipped, 1);
    wb_runs_free(&set);

    /* nothing readable: an error */
    const char *only_bad[] = {"20260101T000001Z-bbbb"};
    CHECK_INT(wb_runs_load(results_dir, only_bad, 1, 0, &set, &e), -1);
    CHECK_CONTAINS(e.msg, "none of the named runs could be read");
    char empty_dir[512];
    snprintf(empty_dir, sizeof empty_dir, "%s/empty", base);
    mkdir(empty_dir, 0777);
    CHECK_INT(wb_runs_load(empty_dir, NULL, 0, 0, &set, &e), -1);
    CHECK_CONTAINS(e.msg, "no runs under");
    CHECK_INT(wb_runs_load("/nonexistent/results", NULL, 0, 0, &set, &e), -1);
    CHECK_CONTAINS(e.msg, "/nonexistent/results");
}

/* A run directory dir/name holding results.csv (the header and body) and, when
 * json is not NULL, results.json; read with wb_run_read_dir into *set. */
static int read_run(const char *name, const char *body, const char *json, wb_run_set *set, wb_error *e)
{
    char dir[512];
    snprintf(dir, sizeof dir, "%s/origin/%s", base, name);
    char parent[512];
    snprintf(parent, sizeof parent, "%s/origin", base);
    mkdir(parent, 0777);
    mkdir(dir, 0777);
    wb_buf csv = WB_BUF_INIT;
    header(&csv);
    wb_buf_puts(&csv, body);
    write_text(dir, "results.csv", wb_buf_str(&csv));
    wb_buf_free(&csv);
    char path[600];
    snprintf(path, sizeof path, "%s/results.json", dir);
    unlink(path);
    if (json)
        write_text(dir, "results.json", json);
    e->msg[0] = '\0';
    return wb_run_read_dir(dir, set, e);
}

/* An external program's tests and a built-in's, as results.csv rows. */
static const char *origin_rows =
    "r1,orm_add_all-insert,orm_add_all,insert,sqlite,3.40.1,users,100,1,,1,1,200,0.5,400.0,,,,30000,,,,,\n"
    "r1,orm_add_all-update,orm_add_all,update,sqlite,3.40.1,users,100,1,,1,1,200,0.6,333.3,,,,30000,,,,,\n"
    "r1,prepared-insert,prepared,insert,sqlite,3.40.1,users,100,1,,1,1,200,0.0125,16000.0,,,,6000,,,,,\n";

/* results.json for origin_rows whose objects end with extra[i] (after the
 * matching test and repeat); n objects. */
static void origin_json(wb_buf *out, const char *const *extra, int n)
{
    static const char *const tests[] = {"orm_add_all-insert", "orm_add_all-update", "prepared-insert"};
    wb_buf_puts(out, "{\"format\": \"writebench-results\", \"format_version\": 1, \"results\": [");
    for (int i = 0; i < n; i++)
        wb_buf_printf(out, "%s{\"test\": \"%s\", \"repeat\": 1%s%s}", i ? ", " : "", tests[i], extra[i][0] ? ", " : "",
                      extra[i]);
    wb_buf_puts(out, "]}\n");
}

/* The origin and language of each result: written by run_files, read back;
 * runs from before origins existed are built-in C; a killed run's last CSV rows
 * take them from the same strategy's earlier tests; any other value writebench
 * never writes skips the run whole, with the reason. */
static void test_origin(void)
{
    /* round trip through the real writer */
    char results_dir[256];
    snprintf(results_dir, sizeof results_dir, "%s/origin-results", base);
    wb_run_files *f;
    wb_error e;
    CHECK_INT(wb_run_files_open(results_dir, "20260101T000000Z-cccc", &f, &e), 0);
    if (!f)
        return;
    wb_result r;
    wb_result_init(&r);
    snprintf(r.test, sizeof r.test, "orm_add_all-insert");
    snprintf(r.strategy, sizeof r.strategy, "orm_add_all");
    snprintf(r.phase, sizeof r.phase, "insert");
    snprintf(r.backend, sizeof r.backend, "postgresql");
    snprintf(r.workload, sizeof r.workload, "users");
    r.rows = 100, r.threads = 1, r.repeat = 1, r.success = 1;
    r.duration_s = 0.5;
    r.external = 1;
    snprintf(r.language, sizeof r.language, "python");
    snprintf(r.io, sizeof r.io, "async"); /* and a cache's counts, as a program reports them */
    r.cache_lookups = 10000;
    r.stale_reads = 9641;
    CHECK_INT(wb_run_files_add(f, &r, &e), 0);
    snprintf(r.test, sizeof r.test, "prepared-insert");
    snprintf(r.strategy, sizeof r.strategy, "prepared");
    r.external = 0;
    snprintf(r.language, sizeof r.language, "c");
    snprintf(r.io, sizeof r.io, "sync");
    r.cache_lookups = r.stale_reads = -1;
    CHECK_INT(wb_run_files_add(f, &r, &e), 0);
    wb_run_files_close(f);
    wb_run_set set = WB_RUN_SET_INIT;
    CHECK_INT(wb_runs_load(results_dir, NULL, 0, 0, &set, &e), 0);
    CHECK_INT(set.nresults, 2);
    if (set.nresults == 2) {
        CHECK_INT(set.results[0].external, 1);
        CHECK_STR(set.results[0].language, "python");
        CHECK_STR(set.results[0].io, "async");
        CHECK_INT(set.results[0].cache_lookups, 10000);
        CHECK_INT(set.results[0].stale_reads, 9641);
        CHECK_INT(set.results[1].external, 0);
        CHECK_STR(set.results[1].language, "c");
        CHECK_STR(set.results[1].io, "sync");
        CHECK_INT(set.results[1].cache_lookups, -1);
        CHECK_INT(set.results[1].stale_reads, -1);
    }
    wb_runs_free(&set);

    /* a run from before origins: no keys at all, or no results.json -> built-in, c */
    static const char *const none[] = {"", "", ""};
    wb_buf json = WB_BUF_INIT;
    origin_json(&json, none, 3);
    CHECK_INT(read_run("old", origin_rows, wb_buf_str(&json), &set, &e), 0);
    CHECK_INT(read_run("csv-only", origin_rows, NULL, &set, &e), 0);
    CHECK_INT(set.nresults, 6);
    for (int i = 0; i < set.nresults; i++) {
        CHECK_INT(set.results[i].external, 0);
        CHECK_STR(set.results[i].language, "c");
        CHECK_STR(set.results[i].io, "sync"); /* before io: every program synchronous */
        CHECK_INT(set.results[i].stale_reads, -1);
    }
    wb_runs_free(&set);

    /* every key present, and the writer's own spelling */
    static const char *const all[] = {"\"origin\": \"external\", \"language\": \"python\"",
                                      "\"language\": \"python\", \"origin\": \"external\"",
                                      "\"origin\": \"built-in\", \"language\": \"c\""};
    wb_buf_reset(&json);
    origin_json(&json, all, 3);
    CHECK_INT(read_run("new", origin_rows, wb_buf_str(&json), &set, &e), 0);
    if (set.nresults == 3) {
        CHECK(set.results[0].external && set.results[1].external && !set.results[2].external);
        CHECK_STR(set.results[1].language, "python");
        CHECK_STR(set.results[2].language, "c");
    }
    wb_runs_free(&set);

    /* results.json two tests behind results.csv: no kill between two writes
     * explains that, so the run is damaged */
    wb_buf_reset(&json);
    origin_json(&json, all, 1);
    CHECK_INT(read_run("two-behind", origin_rows, wb_buf_str(&json), &set, &e), -1);
    CHECK_CONTAINS(e.msg, "damaged");
    CHECK_CONTAINS(e.msg, "results.csv holds 3 tests but results.json 1");

    /* killed between the writes: results.json holds all but the last test; the
     * last one, prepared, is built-in */
    wb_buf_reset(&json);
    origin_json(&json, all, 2);
    CHECK_INT(read_run("killed", origin_rows, wb_buf_str(&json), &set, &e), 0);
    if (set.nresults == 3) {
        CHECK_INT(set.results[1].external, 1);
        CHECK_STR(set.results[1].language, "python");
        CHECK_INT(set.results[2].external, 0);
        CHECK_STR(set.results[2].language, "c");
    }
    wb_runs_free(&set);

    /* values writebench never writes: the run is skipped, saying which result and why */
    static const struct {
        const char *extra;
        const char *reason;
    } bad[] = {
        {"\"origin\": \"plugin\", \"language\": \"python\"",
         "result 1 ('orm_add_all-insert'): origin 'plugin' is neither 'built-in' nor 'external'"},
        {"\"origin\": 1, \"language\": \"python\"", "origin is not a string"},
        {"\"origin\": \"external\", \"language\": \"\"", "language '' is not a name of 1 to 15 printable bytes"},
        {"\"origin\": \"external\", \"language\": \"pythonpythonpython\"",
         "language 'pythonpythonpython' is not a name"},
        {"\"origin\": \"external\", \"language\": \"py\\nthon\"", "language '(control characters)'"},
        {"\"origin\": \"external\", \"language\": null", "language is not a string"},
        {"\"origin\": \"external\"", "result 1 ('orm_add_all-insert') has an origin but no language"},
        {"\"language\": \"python\"", "has a language but no origin"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        const char *extra[] = {bad[i].extra, all[1], all[2]};
        wb_buf_reset(&json);
        origin_json(&json, extra, 3);
        int rc = read_run("bad", origin_rows, wb_buf_str(&json), &set, &e);
        CHECK_INT(rc, -1);
        CHECK_CONTAINS(e.msg, bad[i].reason);
        CHECK_INT(set.nresults, 0);
        wb_runs_free(&set);
    }
    /* some objects with origins and some without: which ones is unknowable */
    static const char *const mixed[] = {"\"origin\": \"external\", \"language\": \"python\"", "", ""};
    wb_buf_reset(&json);
    origin_json(&json, mixed, 3);
    CHECK_INT(read_run("mixed", origin_rows, wb_buf_str(&json), &set, &e), -1);
    CHECK_CONTAINS(e.msg, "result 2 ('orm_add_all-update') lacks origin and language, result 1 has them");
    wb_runs_free(&set);
    wb_buf_free(&json);
}

/* Whether a run is whole: results.json's end mark read back through the real
 * writer; a success that results.csv and results.json disagree on is damage. */
static void test_whole_or_cut_short(void)
{
    char results_dir[256];
    snprintf(results_dir, sizeof results_dir, "%s/state-results", base);
    static const char *const ids[] = {"20260101T000000Z-f001", "20260101T000000Z-f002", "20260101T000000Z-f003"};
    static const char *const ends[] = {NULL, "interrupted by SIGINT", "running"};
    for (int k = 0; k < 3; k++) {
        wb_run_files *f;
        wb_error e;
        CHECK_INT(wb_run_files_open(results_dir, ids[k], &f, &e), 0);
        if (!f)
            return;
        wb_run_files_set_planned(f, 7);
        wb_result r;
        wb_result_init(&r);
        snprintf(r.test, sizeof r.test, "prepared-insert");
        snprintf(r.strategy, sizeof r.strategy, "prepared");
        snprintf(r.phase, sizeof r.phase, "insert");
        snprintf(r.verify, sizeof r.verify, "values");
        r.rows = 10;
        r.repeat = 1;
        r.success = 1;
        r.duration_s = 0.5;
        CHECK_INT(wb_run_files_add(f, &r, &e), 0);
        if (k < 2) /* the third is never marked: killed */
            CHECK_INT(wb_run_files_finish(f, ends[k], &e), 0);
        wb_run_files_close(f);
    }
    wb_run_set set = WB_RUN_SET_INIT;
    wb_error e;
    CHECK_INT(wb_runs_load(results_dir, NULL, 0, 0, &set, &e), 0);
    CHECK_INT(set.nruns, 3);
    CHECK_INT(set.ncut_short, 2);
    if (set.nruns == 3) {
        CHECK_INT(set.runs[0].state, WB_RUN_FINISHED);
        CHECK_INT(set.runs[1].state, WB_RUN_CUT_SHORT);
        CHECK_STR(set.runs[1].cut_short, "interrupted by SIGINT");
        CHECK_INT(set.runs[1].tests_planned, 7);
        CHECK_INT(set.runs[2].state, WB_RUN_CUT_SHORT);
        char what[700];
        wb_run_describe_cut_short(&set.runs[1], what, sizeof what);
        CHECK_STR(what, "1 of 7 tests, cut short: interrupted by SIGINT");
        wb_run_describe_cut_short(&set.runs[2], what, sizeof what);
        CHECK_STR(what, "1 of 7 tests, cut short: no end recorded (killed, or still running)");
        CHECK_STR(set.results[0].verify, "values");
    }
    wb_runs_free(&set);
    CHECK_INT(wb_runs_load(results_dir, NULL, 0, WB_RUNS_WHOLE_ONLY, &set, &e), 0);
    CHECK_INT(set.nruns, 1);
    CHECK_INT(set.nleft_out, 2);
    CHECK_INT(set.nresults, 1);
    wb_runs_free(&set);

    /* results.json never marked (its last write failed), but run.log says why the run
     * ended: the reason is taken from there */
    {
        char logged_dir[300];
        snprintf(logged_dir, sizeof logged_dir, "%s/logged-results", base);
        wb_run_files *f;
        CHECK_INT(wb_run_files_open(logged_dir, "20260101T000000Z-f004", &f, &e), 0);
        if (f) {
            wb_result r;
            wb_result_init(&r);
            snprintf(r.test, sizeof r.test, "prepared-insert");
            snprintf(r.strategy, sizeof r.strategy, "prepared");
            snprintf(r.phase, sizeof r.phase, "insert");
            r.rows = 10;
            r.repeat = 1;
            r.success = 1;
            r.duration_s = 0.5;
            CHECK_INT(wb_run_files_add(f, &r, &e), 0);
            wb_run_files_log(f, "run ended: 1 tests, 0 failed; cut short: writebench's own error: File too large");
            wb_run_files_close(f);
        }
        CHECK_INT(wb_runs_load(logged_dir, NULL, 0, 0, &set, &e), 0);
        CHECK_INT(set.nruns, 1);
        if (set.nruns == 1) {
            CHECK_INT(set.runs[0].state, WB_RUN_CUT_SHORT);
            CHECK_STR(set.runs[0].cut_short,
                      "writebench's own error: File too large (from run.log: results.json could not record the end)");
        }
        wb_runs_free(&set);
    }

    /* a success the two files disagree on: damaged, skipped whole */
    char dir[512], path[600];
    snprintf(dir, sizeof dir, "%s/%s", results_dir, ids[0]);
    snprintf(path, sizeof path, "%s/results.json", dir);
    wb_buf json = WB_BUF_INIT;
    CHECK_INT(wb_fs_read_file(path, &json, &e), 0);
    char *success = strstr(json.data, "\"success\": true");
    CHECK(success != NULL);
    if (success) {
        static const char was[] = "\"success\": true";
        wb_buf fixed = WB_BUF_INIT;
        wb_buf_append(&fixed, json.data, (size_t)(success - json.data));
        wb_buf_puts(&fixed, "\"success\": false");
        wb_buf_puts(&fixed, success + strlen(was));
        write_text(dir, "results.json", wb_buf_str(&fixed));
        wb_buf_free(&fixed);
        CHECK_INT(wb_run_read_dir(dir, &set, &e), -1);
        CHECK_CONTAINS(e.msg, "damaged: results.csv and results.json disagree on the success of result 1");
    }
    wb_buf_free(&json);
    wb_runs_free(&set);
}

int main(void)
{
    if (!mkdtemp(base))
        return CHECK_SKIP("cannot create a temporary directory");
    test_parse_good();
    test_parse_bad();
    test_round_trip();
    test_origin();
    test_whole_or_cut_short();
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", base);
    if (system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", base);
    return check_finish();
}

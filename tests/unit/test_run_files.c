/* Unit tests of runner/run_files and runner/result: the results directory check,
 * the run id, and a run directory's files written and read back: results.csv
 * parsed with util/csv column by column, results.json parsed by Python (when
 * python3 is present), run.conf, code.diff and run.log. */
#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "check.h"
#include "runner/result.h"
#include "runner/run_files.h"
#include "util/csv.h"
#include "util/fs.h"

#ifndef WB_SOURCE_DIR
#define WB_SOURCE_DIR ""
#endif

extern const char *const wb_build_version;
extern const char *const wb_build_commit;

static char base[] = "/tmp/wb-test-run-files-XXXXXX";

/* The columns of docs/ARCHITECTURE.md, "Results files", written out here rather
 * than taken from the code under test. */
static const char *const expected_columns[] = {
    "run_id", "test", "strategy", "phase", "backend", "server_version", "workload", "rows",
    "threads", "batch", "repeat", "success", "rows_verified", "duration_s", "rows_per_s",
    "connect_s", "cpu_user_s", "cpu_sys_s", "peak_rss_kb", "server_peak_rss_kb", "wal_bytes",
    "commits", "db_bytes", "error", "verify", "verify_s", "process_s", "settings", "standby_received_bytes",
    "standby_lag_bytes", "standby_replay_lag_s", "batches", "batch_p50_ms", "batch_p95_ms", "batch_p99_ms",
    "batch_max_ms",
};
#define NCOLUMNS (sizeof expected_columns / sizeof *expected_columns)

static const char *hostile_error = "verify: name is \"O'Brien, Jr.\", expected \"x\"\nline 2\r\nZo\xc3\xab, 東京";

static void path_join(char *out, size_t n, const char *a, const char *b)
{
    if (snprintf(out, n, "%s/%s", a, b) >= (int)n)
        abort(); /* test paths are short; a cut one would test the wrong file */
}

static int is_dir(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

static int dir_is_empty(const char *path)
{
    char cmd[1024];
    if (snprintf(cmd, sizeof cmd, "test -z \"$(ls -A '%s')\"", path) >= (int)sizeof cmd)
        abort();
    return system(cmd) == 0;
}

static void test_status_and_init(void)
{
    CHECK_STR(wb_status_name(WB_STATUS_OK), "ok");
    CHECK_STR(wb_status_name(WB_STATUS_FAILED), "failed");
    CHECK_STR(wb_status_name(WB_STATUS_CRASHED), "crashed");
    CHECK_STR(wb_status_name(WB_STATUS_TIMEOUT), "timeout");
    CHECK_STR(wb_status_name(WB_STATUS_SKIPPED), "skipped");
    CHECK_STR(wb_status_name((wb_status)99), "unknown");

    wb_result r;
    memset(&r, 0x5a, sizeof r);
    wb_result_init(&r);
    CHECK_STR(r.run_id, "");
    CHECK_STR(r.test, "");
    CHECK_STR(r.error, "");
    CHECK_INT(r.rows, -1);
    CHECK_INT(r.rows_verified, -1);
    CHECK(isnan(r.duration_s) && isnan(r.rows_per_s) && isnan(r.connect_s));
    CHECK(isnan(r.cpu_user_s) && isnan(r.cpu_sys_s));
    CHECK_INT(r.peak_rss_kb, -1);
    CHECK_INT(r.server_peak_rss_kb, -1);
    CHECK_INT(r.wal_bytes, -1);
    CHECK_INT(r.commits, -1);
    CHECK_INT(r.db_bytes, -1);
    CHECK_INT(r.success, 0);
    CHECK_INT(r.status, WB_STATUS_OK);
    CHECK_INT(r.slow, 0);
    CHECK_INT(r.lock_waits, -1);
    CHECK(isnan(r.lock_wait_s));
    CHECK(isnan(r.server_share));
    /* a built-in strategy unless the runner says otherwise */
    CHECK_INT(r.external, 0);
    CHECK_STR(r.language, "c");
    CHECK_STR(wb_result_language(&r), "c");

    /* origins: the names results.json uses, and nothing else parses */
    CHECK_STR(wb_origin_name(0), "built-in");
    CHECK_STR(wb_origin_name(1), "external");
    int external = -1;
    CHECK_INT(wb_origin_parse("external", &external), 0);
    CHECK_INT(external, 1);
    CHECK_INT(wb_origin_parse("built-in", &external), 0);
    CHECK_INT(external, 0);
    CHECK_INT(wb_origin_parse("builtin", &external), -1);
    CHECK_INT(wb_origin_parse("External", &external), -1);
    CHECK_INT(wb_origin_parse(NULL, &external), -1);
    /* a language left empty is never written empty */
    r.language[0] = '\0';
    CHECK_STR(wb_result_language(&r), "c");
    r.external = 1;
    CHECK_STR(wb_result_language(&r), "unknown");
    snprintf(r.language, sizeof r.language, "python");
    CHECK_STR(wb_result_language(&r), "python");
}

static void test_results_dir_check(void)
{
    char path[512], file[512], sub[512];
    wb_error e = {""};

    /* a missing directory (and its missing parent) is accepted but not created:
     * nothing is written before every input has been checked */
    path_join(path, sizeof path, base, "results/deeper");
    CHECK_INT(wb_results_dir_check(path, &e), 0);
    CHECK(!is_dir(path));
    CHECK(dir_is_empty(base));
    /* an existing one is fine, and stays empty */
    CHECK_INT(wb_fs_mkdir_p(path, &e), 0);
    CHECK_INT(wb_results_dir_check(path, &e), 0);
    CHECK(dir_is_empty(path));

    /* a regular file is not a directory */
    path_join(file, sizeof file, base, "plain-file");
    CHECK_INT(wb_fs_write_file_atomic(file, "x", 1, &e), 0);
    e.msg[0] = 0;
    CHECK_INT(wb_results_dir_check(file, &e), -1);
    CHECK_CONTAINS(e.msg, file);
    CHECK_CONTAINS(e.msg, "not a directory");
    CHECK(strchr(e.msg, '\n') == NULL);

    /* a directory cannot be made under a regular file */
    path_join(sub, sizeof sub, file, "sub");
    e.msg[0] = 0;
    CHECK_INT(wb_results_dir_check(sub, &e), -1);
    CHECK_CONTAINS(e.msg, sub);
    CHECK_CONTAINS(e.msg, "not a directory");

    CHECK_INT(wb_results_dir_check("", &e), -1);

    /* An unwritable directory. Root (as in CI) writes through permission bits, so
     * there the chmod case cannot fail; a path under a regular file (above) is
     * the unwritable case root still cannot write, and we check it again. */
    if (geteuid() != 0) {
        char ro[512];
        path_join(ro, sizeof ro, base, "read-only");
        CHECK_INT(mkdir(ro, 0700), 0);
        CHECK_INT(chmod(ro, 0500), 0);
        e.msg[0] = 0;
        CHECK_INT(wb_results_dir_check(ro, &e), -1);
        CHECK_CONTAINS(e.msg, ro);
        CHECK_CONTAINS(e.msg, "not writable");
        char ro_sub[600];
        path_join(ro_sub, sizeof ro_sub, ro, "sub");
        e.msg[0] = 0;
        CHECK_INT(wb_results_dir_check(ro_sub, &e), -1);
        CHECK_CONTAINS(e.msg, ro_sub);
        CHECK_CONTAINS(e.msg, "Permission denied");
        chmod(ro, 0700);
    } else {
        printf("note: running as root, so the chmod 0500 case is replaced by '<file>/sub'\n");
        e.msg[0] = 0;
        CHECK_INT(wb_results_dir_check(sub, &e), -1);
        CHECK_CONTAINS(e.msg, sub);
    }
}

static void test_run_id(void)
{
    char id[64];
    int distinct = 0;
    char first[64] = "";
    for (int i = 0; i < 8; i++) {
        wb_run_id_make(id, sizeof id);
        /* YYYYMMDDTHHMMSSZ-xxxx */
        CHECK_INT(strlen(id), 21);
        int shape_ok = id[8] == 'T' && id[15] == 'Z' && id[16] == '-';
        for (int k = 0; k < 8; k++)
            shape_ok &= isdigit((unsigned char)id[k]) != 0;
        for (int k = 9; k < 15; k++)
            shape_ok &= isdigit((unsigned char)id[k]) != 0;
        for (int k = 17; k < 21; k++)
            shape_ok &= isxdigit((unsigned char)id[k]) && !isupper((unsigned char)id[k]);
        if (!shape_ok)
            fprintf(stderr, "bad run id: %s\n", id);
        CHECK(shape_ok);
        if (i == 0)
            strcpy(first, id);
        else if (strcmp(first, id) != 0)
            distinct = 1;
    }
    CHECK(distinct); /* the random suffix differs (chance of 8 equal suffixes: 2^-112) */

    /* the timestamp is now, in UTC */
    struct tm tm = {0};
    CHECK(strptime(id, "%Y%m%dT%H%M%SZ", &tm) != NULL);
    double skew_s = difftime(time(NULL), timegm(&tm));
    CHECK(skew_s >= 0 && skew_s < 5);

    char small[5];
    wb_run_id_make(small, sizeof small);
    CHECK_INT(strlen(small), 4);
}

/* Three results: a complete one, one with every figure unknown (an external
 * Python program's), and a failure whose error holds quotes, commas, CR, LF and
 * UTF-8. */
static void make_results(wb_result r[3], const char *run_id)
{
    wb_result_init(&r[0]);
    snprintf(r[0].run_id, sizeof r[0].run_id, "%s", run_id);
    strcpy(r[0].test, "prepared-insert");
    strcpy(r[0].strategy, "prepared");
    strcpy(r[0].phase, "insert");
    strcpy(r[0].backend, "sqlite");
    strcpy(r[0].server_version, "3.40.1");
    strcpy(r[0].workload, "users");
    r[0].rows = 1000, r[0].threads = 2, r[0].batch = 100, r[0].repeat = 1;
    r[0].success = 1, r[0].status = WB_STATUS_OK;
    r[0].rows_verified = 2000;
    r[0].duration_s = 0.0123456789;
    r[0].rows_per_s = 162000.00731;
    r[0].connect_s = 0.0005;
    r[0].cpu_user_s = 0.01;
    r[0].cpu_sys_s = 0.002;
    r[0].peak_rss_kb = 5120;
    r[0].wal_bytes = 123456;
    r[0].commits = 1;
    r[0].db_bytes = 0; /* a real zero, which must stay 0 and not become empty */
    r[0].lock_waits = 3;
    r[0].lock_wait_s = 0.25;
    r[0].server_share = 0.5;
    snprintf(r[0].settings, sizeof r[0].settings, "synchronous=FULL");
    r[0].standby_received_bytes = 4096;
    r[0].standby_lag_bytes = 512;
    r[0].standby_replay_lag_s = 0.0025;
    r[0].batches = 20;
    r[0].batch_p50_ms = 0.5;
    r[0].batch_p95_ms = 1.25;
    r[0].batch_p99_ms = 2.0;
    r[0].batch_max_ms = 200.000001;

    wb_result_init(&r[1]); /* run_id left empty: the run's own id is written */
    strcpy(r[1].test, "single-autocommit-insert");
    strcpy(r[1].strategy, "single-autocommit");
    strcpy(r[1].phase, "insert");
    strcpy(r[1].backend, "sqlite");
    strcpy(r[1].workload, "users");
    r[1].rows = 10, r[1].threads = 1, r[1].batch = 1, r[1].repeat = 2;
    r[1].status = WB_STATUS_TIMEOUT;
    r[1].slow = 1;
    r[1].external = 1; /* an external program: in results.json only, never a CSV column */
    snprintf(r[1].language, sizeof r[1].language, "python");
    snprintf(r[1].io, sizeof r[1].io, "async");
    r[1].cache_lookups = 1000;
    r[1].stale_reads = 17;
    r[1].transaction_retries = 4;

    wb_result_init(&r[2]);
    snprintf(r[2].run_id, sizeof r[2].run_id, "%s", run_id);
    strcpy(r[2].test, "replace-update");
    strcpy(r[2].strategy, "replace");
    strcpy(r[2].phase, "update");
    strcpy(r[2].backend, "sqlite");
    strcpy(r[2].server_version, "3.40.1");
    strcpy(r[2].workload, "products");
    r[2].rows = 50, r[2].threads = 1, r[2].batch = 1000, r[2].repeat = 1;
    r[2].status = WB_STATUS_FAILED;
    r[2].rows_verified = 49;
    r[2].duration_s = 2.0;
    r[2].rows_per_s = 25.0;
    r[2].connect_s = 0.0;
    r[2].cpu_user_s = 1.5;
    r[2].cpu_sys_s = 0.000001;
    r[2].peak_rss_kb = 8;
    r[2].commits = 50;
    r[2].wal_bytes = -1;
    r[2].db_bytes = 4096;
    snprintf(r[2].error, sizeof r[2].error, "%s", hostile_error);
}

static void check_csv(const char *run_dir, const char *run_id)
{
    /* the rows of make_results as results.csv must spell them */
    const char *const expected_rows[3][NCOLUMNS] = {
        {run_id, "prepared-insert", "prepared", "insert", "sqlite", "3.40.1", "users", "1000", "2", "100", "1",
         "1", "2000", "0.012346", "162000.0", "0.000500", "0.010000", "0.002000", "5120", "", "123456", "1",
         "0", "", "", "", "", "synchronous=FULL", "4096", "512", "0.002500",
         "20", "0.500000", "1.250000", "2.000000", "200.000001"},
        {run_id, "single-autocommit-insert", "single-autocommit", "insert", "sqlite", "", "users", "10", "1",
         "1", "2", "0", "", "", "", "", "", "", "", "", "", "", "", "", "", "", "", "", "", "", "", "", "", "", "", ""},
        {run_id, "replace-update", "replace", "update", "sqlite", "3.40.1", "products", "50", "1", "1000", "1",
         "0", "49", "2.000000", "25.0", "0.000000", "1.500000", "0.000001", "8", "", "", "50", "4096",
         hostile_error, "", "", "", "", "", "", "", "", "", "", "", ""},
    };
    char path[512];
    path_join(path, sizeof path, run_dir, "results.csv");
    wb_buf text = WB_BUF_INIT;
    wb_error e = {""};
    CHECK_INT(wb_fs_read_file(path, &text, &e), 0);
    wb_csv_reader rd;
    wb_csv_reader_init(&rd, text.data, text.len);
    wb_csv_record rec = WB_CSV_RECORD_INIT;

    CHECK_INT(wb_csv_next(&rd, &rec, &e), 1);
    CHECK_INT(rec.count, NCOLUMNS);
    for (size_t c = 0; c < NCOLUMNS && c < rec.count; c++)
        CHECK_STR(wb_csv_get(&rec, c), expected_columns[c]);
    for (size_t c = 0; c < NCOLUMNS; c++)
        CHECK_STR(wb_results_csv_columns[c], expected_columns[c]);
    CHECK(wb_results_csv_columns[NCOLUMNS] == NULL);

    for (int row = 0; row < 3; row++) {
        int rc = wb_csv_next(&rd, &rec, &e);
        CHECK_INT(rc, 1);
        if (rc != 1) {
            fprintf(stderr, "results.csv row %d: %s\n", row + 1, e.msg);
            break;
        }
        CHECK_INT(rec.count, NCOLUMNS);
        for (size_t c = 0; c < NCOLUMNS && c < rec.count; c++) {
            if (strcmp(wb_csv_get(&rec, c), expected_rows[row][c]) != 0)
                fprintf(stderr, "row %d column %s:\n", row + 1, expected_columns[c]);
            CHECK_STR(wb_csv_get(&rec, c), expected_rows[row][c]);
        }
    }
    CHECK_INT(wb_csv_next(&rd, &rec, &e), 0);
    CHECK(text.len > 0 && text.data[text.len - 1] == '\n');
    wb_csv_record_free(&rec);
    wb_buf_free(&text);
}

/* Run a Python script (written to a file, so no shell quoting) on results.json. */
static void check_json_with_python(const char *run_dir, const char *script_text, const char *run_id)
{
    char script[512], json[512], cmd[1600];
    path_join(script, sizeof script, base, "check.py");
    path_join(json, sizeof json, run_dir, "results.json");
    wb_error e = {""};
    CHECK_INT(wb_fs_write_file_atomic(script, script_text, strlen(script_text), &e), 0);
    snprintf(cmd, sizeof cmd, "python3 '%s' '%s' '%s'", script, json, run_id);
    int rc = system(cmd);
    if (rc != 0) {
        wb_buf text = WB_BUF_INIT;
        wb_fs_read_file(json, &text, &e);
        fprintf(stderr, "results.json rejected by %s:\n%s\n", script, wb_buf_str(&text));
        wb_buf_free(&text);
    }
    CHECK_INT(rc, 0);
}

static const char *json_empty_script =
    "import json, sys\n"
    "d = json.load(open(sys.argv[1], encoding='utf-8'))\n"
    "assert d == {'format': 'writebench-results', 'format_version': 2, 'run_id': sys.argv[2], 'run_state': 'running',\n"
    "             'cut_short': None, 'tests_planned': None, 'tests_recorded': 0, 'results': []}, d\n";

static const char *json_full_script =
    "import json, sys\n"
    "d = json.load(open(sys.argv[1], encoding='utf-8'))\n"
    "assert d['format'] == 'writebench-results' and d['format_version'] == 2, d\n"
    "assert d['run_state'] == 'running' and d['tests_recorded'] == 3, d\n"
    "assert d['run_id'] == sys.argv[2]\n"
    "r = d['results']\n"
    "assert len(r) == 3, len(r)\n"
    "keys = ['run_id', 'test', 'strategy', 'phase', 'backend', 'server_version', 'workload', 'rows',\n"
    "        'threads', 'batch', 'repeat', 'success', 'rows_verified', 'duration_s', 'rows_per_s',\n"
    "        'connect_s', 'cpu_user_s', 'cpu_sys_s', 'peak_rss_kb', 'server_peak_rss_kb', 'wal_bytes',\n"
    "        'commits', 'db_bytes', 'error', 'verify', 'verify_s', 'process_s', 'settings',\n"
    "        'standby_received_bytes', 'standby_lag_bytes', 'standby_replay_lag_s', 'batches', 'batch_p50_ms',\n"
    "        'batch_p95_ms', 'batch_p99_ms', 'batch_max_ms', 'status', 'slow', 'lock_waits',\n"
    "        'lock_wait_s', 'server_share', 'origin', 'language', 'client_share',\n"
    "        'io', 'cache_lookups', 'stale_reads', 'transaction_retries']\n"
    "for o in r:\n"
    "    assert list(o.keys()) == keys, list(o.keys())\n"
    "    assert o['run_id'] == sys.argv[2]\n"
    "a, b, c = r\n"
    "assert a['success'] is True and a['status'] == 'ok' and a['slow'] is False\n"
    "assert a['rows'] == 1000 and a['threads'] == 2 and a['batch'] == 100 and a['repeat'] == 1\n"
    "assert a['duration_s'] == 0.0123456789 and a['rows_per_s'] == 162000.00731\n"
    "assert a['connect_s'] == 0.0005 and a['cpu_user_s'] == 0.01 and a['cpu_sys_s'] == 0.002\n"
    "assert a['peak_rss_kb'] == 5120 and a['server_peak_rss_kb'] is None\n"
    "assert a['wal_bytes'] == 123456 and a['commits'] == 1 and a['db_bytes'] == 0\n"
    "assert a['batches'] == 20 and a['batch_p50_ms'] == 0.5 and a['batch_max_ms'] == 200.000001\n"
    "assert b['batches'] is None and b['batch_p99_ms'] is None\n"
    "assert a['lock_waits'] == 3 and a['lock_wait_s'] == 0.25 and a['server_share'] == 0.5\n"
    "assert a['error'] == '' and a['server_version'] == '3.40.1'\n"
    "assert a['origin'] == 'built-in' and a['language'] == 'c', (a['origin'], a['language'])\n"
    "assert b['origin'] == 'external' and b['language'] == 'python', (b['origin'], b['language'])\n"
    "assert c['origin'] == 'built-in' and c['language'] == 'c'\n"
    "assert a['io'] == 'sync' and a['cache_lookups'] is None and a['stale_reads'] is None\n"
    "assert b['io'] == 'async' and b['cache_lookups'] == 1000 and b['stale_reads'] == 17\n"
    "assert a['transaction_retries'] is None and b['transaction_retries'] == 4\n"
    "assert b['success'] is False and b['status'] == 'timeout' and b['slow'] is True\n"
    "assert b['rows'] == 10 and b['repeat'] == 2 and b['server_version'] == ''\n"
    "for k in ['rows_verified', 'duration_s', 'rows_per_s', 'connect_s', 'cpu_user_s', 'cpu_sys_s',\n"
    "          'peak_rss_kb', 'server_peak_rss_kb', 'wal_bytes', 'commits', 'db_bytes',\n"
    "          'lock_waits', 'lock_wait_s', 'server_share']:\n"
    "    assert b[k] is None, (k, b[k])\n"
    "assert c['status'] == 'failed' and c['success'] is False\n"
    "assert c['error'] == 'verify: name is \"O\\'Brien, Jr.\", expected \"x\"\\nline 2\\r\\nZo\\u00eb, \\u6771\\u4eac', "
    "repr(c['error'])\n"
    "assert c['wal_bytes'] is None and c['db_bytes'] == 4096 and c['cpu_sys_s'] == 0.000001\n"
    "assert c['connect_s'] == 0 and c['duration_s'] == 2\n";

static int have_python(void)
{
    return system("command -v python3 >/dev/null 2>&1") == 0;
}

static void test_run_directory(void)
{
    char results[512], run_dir[600], path[700];
    path_join(results, sizeof results, base, "results");
    char run_id[64];
    wb_run_id_make(run_id, sizeof run_id);
    wb_error e = {""};
    wb_run_files *f = NULL;

    int rc = wb_run_files_open(results, run_id, &f, &e);
    CHECK_INT(rc, 0);
    if (rc != 0) {
        fprintf(stderr, "open: %s\n", e.msg);
        return;
    }
    path_join(run_dir, sizeof run_dir, results, run_id);
    CHECK_STR(wb_run_files_dir(f), run_dir);
    CHECK(is_dir(run_dir));

    /* before any result: the header only, and an empty valid results.json */
    wb_buf text = WB_BUF_INIT;
    path_join(path, sizeof path, run_dir, "results.csv");
    CHECK_INT(wb_fs_read_file(path, &text, &e), 0);
    CHECK_STR(wb_buf_str(&text),
              "run_id,test,strategy,phase,backend,server_version,workload,rows,threads,batch,repeat,"
              "success,rows_verified,duration_s,rows_per_s,connect_s,cpu_user_s,cpu_sys_s,peak_rss_kb,"
              "server_peak_rss_kb,wal_bytes,commits,db_bytes,error,verify,verify_s,process_s,settings,"
              "standby_received_bytes,standby_lag_bytes,standby_replay_lag_s,batches,batch_p50_ms,batch_p95_ms,"
              "batch_p99_ms,batch_max_ms\n");
    path_join(path, sizeof path, run_dir, "run.log");
    CHECK_INT(wb_fs_file_size(path), 0);
    if (have_python())
        check_json_with_python(run_dir, json_empty_script, run_id);

    /* the same run id again is refused */
    wb_run_files *again = NULL;
    e.msg[0] = 0;
    CHECK_INT(wb_run_files_open(results, run_id, &again, &e), -1);
    CHECK(again == NULL);
    CHECK_CONTAINS(e.msg, "already exists");
    CHECK_CONTAINS(e.msg, run_id);
    /* run ids that are not one plain path component are refused */
    CHECK_INT(wb_run_files_open(results, "../escape", &again, &e), -1);
    CHECK_INT(wb_run_files_open(results, "a/b", &again, &e), -1);
    CHECK_INT(wb_run_files_open(results, "", &again, &e), -1);
    CHECK_INT(wb_run_files_open(results, ".hidden", &again, &e), -1);

    wb_result r[3];
    make_results(r, run_id);
    for (int i = 0; i < 3; i++) {
        rc = wb_run_files_add(f, &r[i], &e);
        CHECK_INT(rc, 0);
        if (rc != 0)
            fprintf(stderr, "add: %s\n", e.msg);
    }
    /* read back while the run is still open: nothing waits in a buffer */
    check_csv(run_dir, run_id);
    if (have_python())
        check_json_with_python(run_dir, json_full_script, run_id);
    else
        printf("note: python3 not found, results.json not checked with a JSON parser\n");
    path_join(path, sizeof path, run_dir, "results.json.tmp");
    CHECK(access(path, F_OK) != 0); /* the temporary file was renamed away */

    /* run.conf holds exactly the given text */
    const char *conf = "command = writebench run --rows 10\nrun_id = x\n";
    CHECK_INT(wb_run_files_write_conf(f, conf, &e), 0);
    path_join(path, sizeof path, run_dir, "run.conf");
    wb_buf_reset(&text);
    CHECK_INT(wb_fs_read_file(path, &text, &e), 0);
    CHECK_STR(wb_buf_str(&text), conf);

    /* code.diff: version line, then git facts when the source is a checkout */
    CHECK_INT(wb_run_files_write_code_diff(f, &e), 0);
    path_join(path, sizeof path, run_dir, "code.diff");
    wb_buf_reset(&text);
    CHECK_INT(wb_fs_read_file(path, &text, &e), 0);
    char first_line[256];
    snprintf(first_line, sizeof first_line, "writebench %s (commit %s)\n", wb_build_version, wb_build_commit);
    CHECK(strncmp(wb_buf_str(&text), first_line, strlen(first_line)) == 0);
    CHECK_CONTAINS(wb_buf_str(&text), "external strategies: none\n");
    char git_probe[600];
    snprintf(git_probe, sizeof git_probe, "git -C '%s' rev-parse HEAD >/dev/null 2>&1", WB_SOURCE_DIR);
    if (WB_SOURCE_DIR[0] && system(git_probe) == 0) {
        CHECK_CONTAINS(wb_buf_str(&text), "git commit: ");
        CHECK_CONTAINS(wb_buf_str(&text), "git status --short");
        CHECK_CONTAINS(wb_buf_str(&text), "\ngit diff HEAD");
    } else {
        CHECK_CONTAINS(wb_buf_str(&text), "git: ");
    }

    /* run.log: one timestamped entry per call, continuation lines indented */
    wb_run_files_log(f, "started %d tests", 42);
    wb_run_files_log(f, "error in full:\nsecond line\n");
    path_join(path, sizeof path, run_dir, "run.log");
    wb_buf_reset(&text);
    CHECK_INT(wb_fs_read_file(path, &text, &e), 0);
    const char *log = wb_buf_str(&text);
    /* "2026-11-22T03:15:00.123Z started 42 tests\n" */
    CHECK(strlen(log) > 25 && log[4] == '-' && log[10] == 'T' && log[19] == '.' && log[23] == 'Z' && log[24] == ' ');
    CHECK(strncmp(log + 25, "started 42 tests\n", 17) == 0);
    const char *second = strchr(log, '\n') + 1;
    CHECK(second[23] == 'Z');
    CHECK(strcmp(second + 25, "error in full:\n  second line\n") == 0);

    wb_buf_free(&text);
    wb_run_files_close(f);
    wb_run_files_close(NULL);
}

int main(void)
{
    if (!mkdtemp(base))
        return CHECK_SKIP("cannot create a temporary directory");
    test_status_and_init();
    test_results_dir_check();
    test_run_id();
    test_run_directory();
    char cmd[600];
    snprintf(cmd, sizeof cmd, "chmod -R u+rwx '%s' 2>/dev/null; rm -rf '%s'", base, base);
    if (system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", base);
    return check_finish();
}

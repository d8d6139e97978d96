/* Unit tests of the run loop (runner/run.c, wb_run_tests) through a mock executor
 * (docs/ARCHITECTURE.md, "The runner"): no fork, no database, no clock. The mock
 * records every call and returns scripted outcomes; the loop's files go to a
 * temporary results directory (no code.diff, which would run git).
 *
 * Covered: the order of tests, the scan and its planned tests, skips and
 * failures, the references' shares, the commit-overhead calibration, and the
 * stop reasons with the exit status cmd_run maps them to. */
#define _XOPEN_SOURCE 700
#include <fcntl.h>
#include <ftw.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check.h"
#include "cli/cli.h"
#include "runner/executor.h"
#include "runner/run.h"
#include "runner/run_files.h"
#include "strategies/external.h"
#include "util/fs.h"

#define CHECK_NEAR(a, b) CHECK(fabs((double)(a) - (double)(b)) < 1e-9)

/* ---- fake strategies: flags as the catalogue's; their function must never run ---- */

static int functions_called;

static int never_called(wb_ctx *ctx)
{
    (void)ctx;
    functions_called++;
    return -1;
}

#define FAKE(name_, passes_, flags_)                                                                     \
    {.name = name_, .family = "test", .passes = passes_, .flags = flags_,                               \
     .description = "a fake strategy of test_runner.c", .idiom = "-", .generic = never_called}
#define INS WB_PASS_INSERT
#define UPD WB_PASS_UPDATE

static const wb_strategy plain = FAKE("plain", INS | UPD, 0);
static const wb_strategy plain2 = FAKE("plain2", INS | UPD, 0);
static const wb_strategy batching = FAKE("batching", INS, WB_STRAT_BATCH);
static const wb_strategy threaded = FAKE("threaded", INS | UPD, WB_STRAT_THREADS | WB_STRAT_BATCH);
static const wb_strategy slow = FAKE("slow-one", INS, WB_STRAT_SLOW);
static const wb_strategy update_only = FAKE("update-only", UPD, 0);
static const wb_strategy skipper = FAKE("skipper", INS | UPD, 0);
/* needs what a probe can take away (WB_CAP_PROBED_ONLY) */
static const wb_strategy keeps_statements = {.name = "keeps-statements", .family = "test", .passes = INS | UPD,
                                             .description = "-", .idiom = "-", .generic = never_called,
                                             .needs = WB_CAP_KEPT_STATEMENTS};

/* An external program, as wb_external_add makes one (wb_external_of finds it). */
static wb_external program = {
    .name = "ext",
    .path = "/nonexistent/ext.py",
    .language = "python",
    .strategy = {.name = "ext", .family = "external", .passes = INS | UPD, .flags = WB_STRAT_EXTERNAL,
                 .description = "an external program", .idiom = "-", .run = {never_called, never_called}},
};

static const wb_strategy *server_generate, *generate_only; /* the catalogue's own references */

/* ---- the mock executor ---- */

/* What a test matching (strategy, phase, rows, repeat, threads) does; 0 or NULL
 * match anything, phase -1 too. The first matching rule wins; no rule: it passes. */
typedef struct rule {
    const char *strategy;
    int phase;
    int64_t rows, repeat;
    int threads;
    /* the outcome */
    wb_status status;       /* from the child (OK: then verified) */
    double duration_s;      /* 0: 1.0 */
    int verify_fails;       /* the check finds a wrong value */
    int64_t server_commits; /* what the server's count grows by (when it counts) */
    int64_t hook_commits;   /* the child's own count; 0: -1 (unknown) */
    int start_fails;        /* execute cannot start the test (writebench's own fault) */
    int signal_during;      /* this signal arrives while the test runs */
    int signal_after;       /* this signal arrives after the test, before the next */
    int server_gone;        /* the database cannot be reached from this test on */
} rule;

typedef struct call {
    char strategy[64];
    wb_phase phase;
    int version;
    int64_t repeat, rows, batch;
    int threads;
    int insert_left_version1, check_changed;
    char output_dir[4096];
    int fn_is_the_strategys;
    char pragmas[256]; /* the PRAGMAs of the target the strategy gets, ';'-joined */
} call;

#define MAX_CALLS 128

typedef struct mock {
    const rule *rules;
    int nrules;
    int server_counts_commits;             /* the snapshots carry commits (PostgreSQL-like) */
    int64_t overhead[WB_MAX_THREADS + 1];  /* what calibrate_commits answers per thread count */
    int calibrations[WB_MAX_THREADS + 1];  /* how often it was asked */
    call prepared[MAX_CALLS];              /* every prepare, in order */
    int nprepared;
    call executed[MAX_CALLS];              /* every execute, in order */
    int nexecuted;
    int checks, reachable_checks;
    int signal;                            /* the interrupt state interrupted() reports */
    int gone;                              /* the database cannot be reached */
} mock;

static const rule *rule_for(const mock *m, const wb_test *t)
{
    static const rule pass = {0};
    for (int i = 0; i < m->nrules; i++) {
        const rule *r = &m->rules[i];
        if ((!r->strategy || strcmp(r->strategy, t->strategy->name) == 0) &&
            (r->phase < 0 || r->phase == (int)t->ctx->phase) && (!r->rows || r->rows == t->ctx->rows) &&
            (!r->repeat || r->repeat == t->ctx->repeat) && (!r->threads || r->threads == t->ctx->threads))
            return r;
    }
    return &pass;
}

static void record(call *c, const wb_test *t)
{
    memset(c, 0, sizeof *c);
    snprintf(c->strategy, sizeof c->strategy, "%s", t->strategy->name);
    c->phase = t->ctx->phase;
    c->version = t->ctx->version;
    c->repeat = t->ctx->repeat;
    c->rows = t->ctx->rows;
    c->batch = t->ctx->batch;
    c->threads = t->ctx->threads;
    c->insert_left_version1 = t->insert_left_version1;
    c->check_changed = t->check_changed;
    snprintf(c->output_dir, sizeof c->output_dir, "%s", t->ctx->output_dir ? t->ctx->output_dir : "");
    c->fn_is_the_strategys = t->fn == wb_strategy_fn_for(t->strategy, WB_BACKEND_SQLITE, NULL);
    size_t used = 0;
    for (int i = 0; t->ctx->target && i < t->ctx->target->npragmas && used < sizeof c->pragmas; i++)
        used += (size_t)snprintf(c->pragmas + used, sizeof c->pragmas - used, "%s%s", i ? ";" : "",
                                 t->ctx->target->pragmas[i]);
}

enum { DB_BYTES_BEFORE = 1000, COMMITS_BEFORE = 5000 };

static int mock_prepare(void *impl, const wb_test *t, wb_snapshot *before, wb_error *e)
{
    (void)e;
    mock *m = impl;
    if (m->nprepared < MAX_CALLS)
        record(&m->prepared[m->nprepared++], t);
    *before = WB_SNAPSHOT_UNKNOWN;
    before->db_bytes = DB_BYTES_BEFORE;
    before->commits = m->server_counts_commits ? COMMITS_BEFORE : -1;
    return 0;
}

static int mock_execute(void *impl, const wb_test *t, wb_progress_fn progress, void *progress_arg,
                        wb_child_outcome *out, wb_error *e)
{
    mock *m = impl;
    (void)progress, (void)progress_arg;
    const rule *r = rule_for(m, t);
    if (m->nexecuted < MAX_CALLS)
        record(&m->executed[m->nexecuted++], t);
    if (r->start_fails)
        return wb_fail(e, "cannot fork: scripted");
    memset(out, 0, sizeof *out);
    out->status = r->status;
    out->duration_s = r->duration_s > 0 ? r->duration_s : 1.0;
    out->connect_s = 0.001;
    out->process_s = NAN; /* a built-in: no process of its own, as wb_child_run reports it */
    out->cpu_user_s = out->cpu_sys_s = 0;
    out->peak_rss_kb = 1024;
    out->server_peak_rss_kb = -1;
    out->rows_done = t->ctx->rows * t->ctx->workload->ntables;
    out->commits = r->hook_commits ? r->hook_commits : -1;
    out->end_ok = 1;
    out->end = WB_SNAPSHOT_UNKNOWN;
    if (r->status == WB_STATUS_SKIPPED)
        snprintf(out->error, sizeof out->error, "skipped: scripted");
    else if (r->status != WB_STATUS_OK)
        snprintf(out->error, sizeof out->error, "scripted failure");
    if (r->signal_during)
        m->signal = r->signal_during;
    if (m->signal) { /* as wb_child_run: a signal ends the running test at once */
        out->interrupted = 1;
        out->status = WB_STATUS_FAILED;
        snprintf(out->error, sizeof out->error, "interrupted by the user");
    }
    if (r->signal_after)
        m->signal = r->signal_after;
    if (r->server_gone)
        m->gone = 1;
    return 0;
}

static int mock_check(void *impl, const wb_test *t, const wb_child_outcome *o, wb_snapshot *after, wb_result *r)
{
    mock *m = impl;
    const rule *script = rule_for(m, t);
    m->checks++;
    *after = WB_SNAPSHOT_UNKNOWN;
    after->db_bytes = DB_BYTES_BEFORE + 500;
    after->commits = m->server_counts_commits ? COMMITS_BEFORE + script->server_commits : -1;
    if (o->status == WB_STATUS_OK && strcmp(r->verify, "none") != 0) {
        if (script->verify_fails) {
            r->status = WB_STATUS_FAILED;
            snprintf(r->error, sizeof r->error, "verification failed: scripted");
        } else {
            r->rows_verified = t->ctx->rows * t->ctx->workload->ntables;
        }
        r->verify_s = 0.01;
    }
    return 0;
}

static int mock_reachable(void *impl, wb_error *e)
{
    mock *m = impl;
    m->reachable_checks++;
    return m->gone ? wb_fail(e, "scripted: the server went away") : 0;
}

static int64_t mock_calibrate(void *impl, const wb_test *t)
{
    mock *m = impl;
    int threads = t->ctx->threads;
    m->calibrations[threads]++;
    return m->overhead[threads];
}

static int mock_interrupted(void *impl)
{
    return ((mock *)impl)->signal;
}

static wb_executor mock_executor(mock *m)
{
    return (wb_executor){
        .impl = m,
        .prepare = mock_prepare,
        .execute = mock_execute,
        .check = mock_check,
        .reachable = mock_reachable,
        .calibrate_commits = mock_calibrate,
        .interrupted = mock_interrupted,
    };
}

/* ---- running the loop ---- */

static char results_dir[] = "/tmp/wb-test-runner-XXXXXX";
static wb_run_config cfg; /* large: off the stack */
static int runs;
static const wb_probe *run_probe; /* what the next run's probe found; NULL: not probed */

/* A configuration of one combination (rows 100, batch 10, threads 1), no repeat. */
static void config(const wb_strategy *const *strategies, int n)
{
    memset(&cfg, 0, sizeof cfg);
    cfg.target.kind = WB_BACKEND_SQLITE;
    snprintf(cfg.target.url_redacted, sizeof cfg.target.url_redacted, "sqlite:///nonexistent/mock.db");
    snprintf(cfg.target.path, sizeof cfg.target.path, "/nonexistent/mock.db");
    cfg.workload = wb_workload_find("users");
    for (int i = 0; i < n; i++)
        cfg.strategies[i] = strategies[i];
    cfg.nstrategies = n;
    cfg.rows_list[0] = 100;
    cfg.nrows = 1;
    cfg.batch_list[0] = 10;
    cfg.nbatch = 1;
    cfg.threads_list[0] = 1;
    cfg.nthreads = 1;
    cfg.slow_rows_limit = 1000;
    cfg.repeat = 1;
    cfg.timeout_s = 60;
    cfg.results_dir = results_dir;
    cfg.verify = WB_VERIFY_VALUES;
}

/* Run the loop on the mock; its console goes to /dev/null (WB_TEST_VERBOSE=1 shows it). */
static void run(mock *m, wb_run_outcome *out)
{
    char run_id[64];
    snprintf(run_id, sizeof run_id, "mock-run-%02d", ++runs); /* unique, unlike a random suffix */
    wb_error e = {{0}};
    wb_run_files *files = NULL;
    int opened = wb_run_files_open(results_dir, run_id, &files, &e) == 0;
    CHECK(opened);
    if (!opened) {
        fprintf(stderr, "%s\n", e.msg);
        exit(1);
    }
    static wb_run_config before;
    before = cfg;
    wb_executor x = mock_executor(m);
    wb_run_start start = {
        .run_id = run_id,
        .server_version = "mock 1.0",
        .backend = wb_backend_get(WB_BACKEND_SQLITE),
        .target = &cfg.target,
        .files = files,
        .probe = run_probe,
    };
    int quiet = !getenv("WB_TEST_VERBOSE");
    int saved_stdout = -1;
    if (quiet) {
        fflush(stdout);
        saved_stdout = dup(1);
        int null_fd = open("/dev/null", O_WRONLY);
        dup2(null_fd, 1);
        close(null_fd);
    }
    wb_run_tests(&cfg, &start, &x, out);
    if (quiet) {
        fflush(stdout);
        dup2(saved_stdout, 1);
        close(saved_stdout);
    }
    CHECK(memcmp(&before, &cfg, sizeof cfg) == 0); /* the configuration is read-only */
}

static const call *find_call(const call *calls, int n, const char *strategy, wb_phase phase, int64_t repeat)
{
    for (int i = 0; i < n; i++)
        if (strcmp(calls[i].strategy, strategy) == 0 && calls[i].phase == phase && calls[i].repeat == repeat)
            return &calls[i];
    return NULL;
}

static const wb_result *find_result(const wb_run_outcome *o, const char *test, int64_t rows, int64_t threads,
                                    int64_t repeat)
{
    for (int i = 0; i < o->tests_run; i++)
        if (strcmp(o->results[i].test, test) == 0 && o->results[i].rows == rows &&
            o->results[i].threads == threads && o->results[i].repeat == repeat)
            return &o->results[i];
    return NULL;
}

/* ---- the tests ---- */

/* The references first (in the order given), then the strategies as given (the
 * externals, appended by cmd_run, last), each insert before its update. */
static void test_order(void)
{
    const wb_strategy *given[] = {&plain, server_generate, &threaded, generate_only, &update_only, &program.strategy};
    config(given, 6);
    mock m = {0};
    wb_run_outcome o;
    run(&m, &o);
    static const struct {
        const char *strategy;
        wb_phase phase;
    } expected[] = {
        {"server-generate", WB_PHASE_INSERT}, {"server-generate", WB_PHASE_UPDATE},
        {"generate-only", WB_PHASE_INSERT},   {"generate-only", WB_PHASE_UPDATE},
        {"plain", WB_PHASE_INSERT},           {"plain", WB_PHASE_UPDATE},
        {"threaded", WB_PHASE_INSERT},        {"threaded", WB_PHASE_UPDATE},
        {"update-only", WB_PHASE_UPDATE},     {"ext", WB_PHASE_INSERT},
        {"ext", WB_PHASE_UPDATE},
    };
    int n = (int)(sizeof expected / sizeof expected[0]);
    CHECK_INT(m.nexecuted, n);
    CHECK_INT(m.nprepared, n);
    for (int i = 0; i < n && i < m.nexecuted; i++) {
        CHECK_STR(m.executed[i].strategy, expected[i].strategy);
        CHECK_INT(m.executed[i].phase, expected[i].phase);
        CHECK_INT(m.executed[i].version, expected[i].phase == WB_PHASE_UPDATE ? 2 : 1);
        CHECK(m.executed[i].fn_is_the_strategys);
    }
    /* The results are recorded in the same order, under "<strategy>-<phase>". */
    CHECK_INT(o.tests_run, n);
    CHECK_INT(o.tests_planned, n);
    for (int i = 0; i < n && i < o.tests_run; i++) {
        char test[128];
        snprintf(test, sizeof test, "%s-%s", expected[i].strategy, wb_phase_name(expected[i].phase));
        CHECK_STR(o.results[i].test, test);
        CHECK_INT(o.results[i].success, 1);
    }
    /* An update pass after its own verified insert pass starts from it; one without
     * an insert pass gets version 1 loaded first. */
    const call *c = find_call(m.prepared, m.nprepared, "plain", WB_PHASE_UPDATE, 1);
    CHECK(c && c->insert_left_version1 == 1);
    c = find_call(m.prepared, m.nprepared, "update-only", WB_PHASE_UPDATE, 1);
    CHECK(c && c->insert_left_version1 == 0);
    /* The external program gets a directory of its own, absolute, made empty. */
    c = find_call(m.executed, m.nexecuted, "ext", WB_PHASE_INSERT, 1);
    CHECK(c && c->output_dir[0] == '/');
    CHECK(c && strstr(c->output_dir, "/external/ext/insert-r1-n100-b10-t1") != NULL);
    struct stat sb;
    CHECK(c && stat(c->output_dir, &sb) == 0 && S_ISDIR(sb.st_mode));
    c = find_call(m.executed, m.nexecuted, "plain", WB_PHASE_INSERT, 1);
    CHECK(c && c->output_dir[0] == '\0');
    const wb_result *ext = find_result(&o, "ext-insert", 100, 1, 1);
    CHECK(ext && ext->external == 1);
    CHECK(ext && strcmp(ext->language, "python") == 0);
    CHECK(ext && isnan(ext->connect_s)); /* its own connections: not timed apart */
    /* generate-only writes nothing and is not verified. */
    const wb_result *floor = find_result(&o, "generate-only-insert", 100, 1, 1);
    CHECK(floor && strcmp(floor->verify, "none") == 0 && floor->rows_verified == -1);
    CHECK_INT(o.stop, WB_STOP_NONE);
    CHECK_INT(o.failed, 0);
    CHECK(o.run_dir[0] != '\0');
    CHECK_INT(wb_cli_run_exit_status(&o), 0);
    CHECK_INT(functions_called, 0);
    wb_run_outcome_free(&o);
}

/* The cross product of rows x batch x threads (threads fastest), repeats outermost;
 * a strategy that ignores --batch or --threads runs only at its first value; slow
 * strategies at --slow-rows; tests_planned counts exactly what runs. */
static void test_scan(void)
{
    const wb_strategy *given[] = {&batching, &threaded, server_generate, &slow};
    config(given, 4);
    cfg.rows_list[0] = 100, cfg.rows_list[1] = 200, cfg.nrows = 2;
    cfg.batch_list[0] = 10, cfg.batch_list[1] = 20, cfg.nbatch = 2;
    cfg.threads_list[0] = 1, cfg.threads_list[1] = 3, cfg.nthreads = 2;
    cfg.slow_rows_limit = 150;
    cfg.repeat = 2;
    mock m = {0};
    wb_run_outcome o;
    run(&m, &o);
    /* Written out rather than computed, so that it does not repeat the loop's logic. */
    static const struct {
        const char *strategy;
        wb_phase phase;
        int64_t rows, batch;
        int threads;
    } expected[] = {
        /* rows 100, batch 10, threads 1 */
        {"server-generate", WB_PHASE_INSERT, 100, 10, 1},
        {"server-generate", WB_PHASE_UPDATE, 100, 10, 1},
        {"batching", WB_PHASE_INSERT, 100, 10, 1},
        {"threaded", WB_PHASE_INSERT, 100, 10, 1},
        {"threaded", WB_PHASE_UPDATE, 100, 10, 1},
        {"slow-one", WB_PHASE_INSERT, 100, 10, 1},
        /* rows 100, batch 10, threads 3 */
        {"threaded", WB_PHASE_INSERT, 100, 10, 3},
        {"threaded", WB_PHASE_UPDATE, 100, 10, 3},
        /* rows 100, batch 20, threads 1 */
        {"batching", WB_PHASE_INSERT, 100, 20, 1},
        {"threaded", WB_PHASE_INSERT, 100, 20, 1},
        {"threaded", WB_PHASE_UPDATE, 100, 20, 1},
        /* rows 100, batch 20, threads 3 */
        {"threaded", WB_PHASE_INSERT, 100, 20, 3},
        {"threaded", WB_PHASE_UPDATE, 100, 20, 3},
        /* rows 200: the same, slow-one at --slow-rows 150 */
        {"server-generate", WB_PHASE_INSERT, 200, 10, 1},
        {"server-generate", WB_PHASE_UPDATE, 200, 10, 1},
        {"batching", WB_PHASE_INSERT, 200, 10, 1},
        {"threaded", WB_PHASE_INSERT, 200, 10, 1},
        {"threaded", WB_PHASE_UPDATE, 200, 10, 1},
        {"slow-one", WB_PHASE_INSERT, 150, 10, 1},
        {"threaded", WB_PHASE_INSERT, 200, 10, 3},
        {"threaded", WB_PHASE_UPDATE, 200, 10, 3},
        {"batching", WB_PHASE_INSERT, 200, 20, 1},
        {"threaded", WB_PHASE_INSERT, 200, 20, 1},
        {"threaded", WB_PHASE_UPDATE, 200, 20, 1},
        {"threaded", WB_PHASE_INSERT, 200, 20, 3},
        {"threaded", WB_PHASE_UPDATE, 200, 20, 3},
    };
    int per_repeat = (int)(sizeof expected / sizeof expected[0]);
    CHECK_INT(m.nexecuted, 2 * per_repeat);
    CHECK_INT(o.tests_planned, 2 * per_repeat);
    CHECK_INT(o.tests_run, 2 * per_repeat);
    for (int i = 0; i < 2 * per_repeat && i < m.nexecuted; i++) {
        const call *c = &m.executed[i];
        int k = i % per_repeat;
        CHECK_STR(c->strategy, expected[k].strategy);
        CHECK_INT(c->phase, expected[k].phase);
        CHECK_INT(c->rows, expected[k].rows);
        CHECK_INT(c->batch, expected[k].batch);
        CHECK_INT(c->threads, expected[k].threads);
        CHECK_INT(c->repeat, 1 + i / per_repeat);
    }
    /* What the results record: the batch only where it is honoured, the thread count
     * it ran with, slow only where --slow-rows cut the rows. */
    const wb_result *r = find_result(&o, "batching-insert", 200, 1, 2);
    CHECK(r && r->batch == 10);
    r = find_result(&o, "server-generate-insert", 200, 1, 2);
    CHECK(r && r->batch == -1 && r->threads_ignored);
    r = find_result(&o, "threaded-update", 100, 3, 1);
    CHECK(r && r->threads == 3 && !r->threads_ignored);
    r = find_result(&o, "slow-one-insert", 150, 1, 1);
    CHECK(r && r->slow == 1);
    r = find_result(&o, "slow-one-insert", 100, 1, 1);
    CHECK(r && r->slow == 0);
    CHECK_INT(wb_cli_run_exit_status(&o), 0);
    wb_run_outcome_free(&o);

    /* One combination, no scan: tests_planned is every pass of every strategy. */
    const wb_strategy *few[] = {&plain, &batching, &update_only};
    config(few, 3);
    cfg.repeat = 3;
    mock one = {0};
    run(&one, &o);
    CHECK_INT(o.tests_planned, 3 * (2 + 1 + 1));
    CHECK_INT(o.tests_run, o.tests_planned);
    CHECK_INT(one.nexecuted, o.tests_planned);
    wb_run_outcome_free(&o);
}

/* A skipped test is recorded as skipped, is not a failure, and the run goes on; a
 * failed test counts, and its update pass gets version 1 loaded instead. */
static void test_skip_and_failure(void)
{
    const wb_strategy *given[] = {&skipper, &plain, &plain2};
    config(given, 3);
    static const rule rules[] = {
        {.strategy = "skipper", .phase = WB_PHASE_INSERT, .status = WB_STATUS_SKIPPED},
    };
    mock m = {.rules = rules, .nrules = 1};
    wb_run_outcome o;
    run(&m, &o);
    CHECK_INT(m.nexecuted, 6);
    CHECK_INT(o.tests_run, 6);
    CHECK_INT(o.skipped, 1);
    CHECK_INT(o.failed, 0);
    CHECK_INT(o.stop, WB_STOP_NONE);
    const wb_result *r = find_result(&o, "skipper-insert", 100, 1, 1);
    CHECK(r && r->status == WB_STATUS_SKIPPED && !r->success);
    CHECK(r && strcmp(r->error, "skipped: scripted") == 0);
    const call *c = find_call(m.prepared, m.nprepared, "skipper", WB_PHASE_UPDATE, 1);
    CHECK(c && c->insert_left_version1 == 0); /* nothing verified to start from */
    CHECK(find_result(&o, "plain2-update", 100, 1, 1) != NULL);
    CHECK_INT(wb_cli_run_exit_status(&o), 0);
    wb_run_outcome_free(&o);

    static const rule failing[] = {
        {.strategy = "plain", .phase = WB_PHASE_INSERT, .verify_fails = 1},
        {.strategy = "plain2", .phase = WB_PHASE_UPDATE, .status = WB_STATUS_CRASHED},
    };
    mock f = {.rules = failing, .nrules = 2};
    run(&f, &o);
    CHECK_INT(o.tests_run, 6);
    CHECK_INT(o.failed, 2);
    CHECK_INT(o.skipped, 0);
    r = find_result(&o, "plain-insert", 100, 1, 1);
    CHECK(r && r->status == WB_STATUS_FAILED && strcmp(r->error, "verification failed: scripted") == 0);
    c = find_call(f.prepared, f.nprepared, "plain", WB_PHASE_UPDATE, 1);
    CHECK(c && c->insert_left_version1 == 0);
    r = find_result(&o, "plain2-update", 100, 1, 1);
    CHECK(r && r->status == WB_STATUS_CRASHED);
    CHECK_INT(f.reachable_checks, 2); /* after each failed test, and only then */
    CHECK_INT(o.stop, WB_STOP_NONE);
    CHECK_INT(wb_cli_run_exit_status(&o), 1);
    wb_run_outcome_free(&o);
}

/* server_share: rows/s over server-generate's of the same phase, repeat and row
 * count (unknown when it failed); client_share: generate-only's time scaled to the
 * test's rows, divided by its threads, over its duration. */
/* Settings are an axis of the scan like batch: rows x settings x batch x threads, each
 * test under one combination of the values (the last setting fastest), the target the
 * strategy gets carrying it, the results labelled with it; the reference runs again
 * under each settings, and every strategy, batching or not, runs under each. */
static void test_settings_scan(void)
{
    const wb_strategy *given[] = {&batching, &plain, server_generate};
    config(given, 3);
    cfg.batch_list[0] = 10, cfg.batch_list[1] = 20, cfg.nbatch = 2;
    static const struct {
        const char *name;
        int nvalues;
        const char *values[2];
    } axes[] = {{"synchronous", 2, {"FULL", "OFF"}}, {"cache_size", 1, {"-4000"}}};
    cfg.nsettings = 2;
    for (int i = 0; i < 2; i++) {
        wb_setting_axis *a = &cfg.settings[i];
        snprintf(a->name, sizeof a->name, "%s", axes[i].name);
        a->pragma = true;
        a->nvalues = axes[i].nvalues;
        for (int v = 0; v < a->nvalues && v < 2; v++)
            snprintf(a->values[v], sizeof a->values[v], "%s", axes[i].values[v] ? axes[i].values[v] : "");
    }
    CHECK_INT(wb_run_settings_combinations(&cfg), 2);
    mock m = {0};
    wb_run_outcome o;
    run(&m, &o);
    static const struct {
        const char *strategy;
        wb_phase phase;
        int64_t batch;
        const char *settings;
    } expected[] = {
        {"server-generate", WB_PHASE_INSERT, 10, "synchronous=FULL;cache_size=-4000"},
        {"server-generate", WB_PHASE_UPDATE, 10, "synchronous=FULL;cache_size=-4000"},
        {"batching", WB_PHASE_INSERT, 10, "synchronous=FULL;cache_size=-4000"},
        {"plain", WB_PHASE_INSERT, 10, "synchronous=FULL;cache_size=-4000"},
        {"plain", WB_PHASE_UPDATE, 10, "synchronous=FULL;cache_size=-4000"},
        {"batching", WB_PHASE_INSERT, 20, "synchronous=FULL;cache_size=-4000"},
        {"server-generate", WB_PHASE_INSERT, 10, "synchronous=OFF;cache_size=-4000"},
        {"server-generate", WB_PHASE_UPDATE, 10, "synchronous=OFF;cache_size=-4000"},
        {"batching", WB_PHASE_INSERT, 10, "synchronous=OFF;cache_size=-4000"},
        {"plain", WB_PHASE_INSERT, 10, "synchronous=OFF;cache_size=-4000"},
        {"plain", WB_PHASE_UPDATE, 10, "synchronous=OFF;cache_size=-4000"},
        {"batching", WB_PHASE_INSERT, 20, "synchronous=OFF;cache_size=-4000"},
    };
    int n = (int)(sizeof expected / sizeof expected[0]);
    CHECK_INT(m.nexecuted, n);
    CHECK_INT(o.tests_run, n);
    CHECK_INT(o.tests_planned, n);
    for (int i = 0; i < n && i < m.nexecuted && i < o.tests_run; i++) {
        CHECK_STR(m.executed[i].strategy, expected[i].strategy);
        CHECK_INT(m.executed[i].phase, expected[i].phase);
        CHECK_INT(m.executed[i].batch, expected[i].batch);
        CHECK_STR(o.results[i].settings, expected[i].settings);
        /* the strategy's target carries the combination's PRAGMAs */
        CHECK_STR(m.executed[i].pragmas, expected[i].settings);
    }
    /* the reference's share is of the same settings' reference */
    const wb_result *ref = &o.results[6], *plain_off = &o.results[9];
    CHECK_STR(ref->settings, "synchronous=OFF;cache_size=-4000");
    CHECK(!isnan(plain_off->server_share));
    CHECK_NEAR(plain_off->server_share, plain_off->rows_per_s / ref->rows_per_s);
    CHECK(cfg.target.npragmas == 0); /* the run's own target is never changed */
    CHECK_INT(wb_cli_run_exit_status(&o), 0);
    wb_run_outcome_free(&o);
}

/* A strategy needing what the probe found missing is skipped before anything is
 * prepared or run, with the probe's reason; the others run; a skip is no failure. */
static void test_probe_skips(void)
{
    const wb_strategy *given[] = {&plain, &keeps_statements};
    config(given, 2);
    static wb_probe probe;
    memset(&probe, 0, sizeof probe);
    probe.probed = WB_CAP_KEPT_STATEMENTS | WB_CAP_COPY;
    probe.missing = WB_CAP_KEPT_STATEMENTS;
    int bit = 0;
    while ((1u << bit) != WB_CAP_KEPT_STATEMENTS)
        bit++;
    snprintf(probe.why[bit], sizeof probe.why[bit], "the statement was gone (scripted)");
    run_probe = &probe;
    mock m = {0};
    wb_run_outcome o;
    run(&m, &o);
    run_probe = NULL;
    CHECK_INT(o.tests_run, 4);
    CHECK_INT(o.tests_planned, 4);
    CHECK_INT(o.skipped, 2);
    CHECK_INT(o.failed, 0);
    CHECK_INT(m.nexecuted, 2); /* plain's two passes only */
    CHECK_INT(m.nprepared, 2);
    CHECK(find_call(m.prepared, m.nprepared, "keeps-statements", WB_PHASE_INSERT, 1) == NULL);
    for (int phase = 0; phase < 2; phase++) {
        const wb_result *r = find_result(&o, phase ? "keeps-statements-update" : "keeps-statements-insert", 100, 1, 1);
        CHECK(r && r->status == WB_STATUS_SKIPPED && !r->success);
        CHECK(r && strcmp(r->error, "skipped: it needs prepared statements kept between transactions, which this "
                                    "connection lacks: the statement was gone (scripted)") == 0);
    }
    const wb_result *p = find_result(&o, "plain-insert", 100, 1, 1);
    CHECK(p && p->success);
    CHECK_INT(wb_cli_run_exit_status(&o), 0);
    CHECK_INT(functions_called, 0);
    wb_run_outcome_free(&o);
}

static void test_shares(void)
{
    const wb_strategy *given[] = {&plain, &threaded, &slow, server_generate, generate_only};
    config(given, 5);
    cfg.rows_list[0] = 100, cfg.rows_list[1] = 200, cfg.nrows = 2;
    cfg.threads_list[0] = 1, cfg.threads_list[1] = 2, cfg.nthreads = 2;
    cfg.slow_rows_limit = 50;
    cfg.repeat = 2;
    enum { I = WB_PHASE_INSERT, U = WB_PHASE_UPDATE };
    static const rule rules[] = {
        /* repeat 1, rows 100 */
        {.strategy = "server-generate", .phase = I, .rows = 100, .repeat = 1, .duration_s = 0.1},
        {.strategy = "server-generate", .phase = U, .rows = 100, .repeat = 1, .duration_s = 0.2},
        {.strategy = "generate-only", .phase = I, .rows = 100, .repeat = 1, .duration_s = 0.05},
        {.strategy = "plain", .phase = I, .rows = 100, .repeat = 1, .duration_s = 0.4},
        {.strategy = "plain", .phase = U, .rows = 100, .repeat = 1, .duration_s = 0.8},
        {.strategy = "threaded", .phase = I, .rows = 100, .repeat = 1, .threads = 2, .duration_s = 0.5},
        {.strategy = "slow-one", .phase = I, .rows = 50, .repeat = 1, .duration_s = 0.25},
        /* repeat 1, rows 200 */
        {.strategy = "server-generate", .phase = I, .rows = 200, .repeat = 1, .duration_s = 0.1},
        {.strategy = "plain", .phase = I, .rows = 200, .repeat = 1, .duration_s = 0.5},
        /* repeat 2, rows 100: another reference */
        {.strategy = "server-generate", .phase = I, .rows = 100, .repeat = 2, .duration_s = 0.2},
        {.strategy = "plain", .phase = I, .rows = 100, .repeat = 2, .duration_s = 0.4},
        /* repeat 2, rows 200: the reference's insert pass fails */
        {.strategy = "server-generate", .phase = I, .rows = 200, .repeat = 2, .status = WB_STATUS_FAILED},
        {.strategy = "server-generate", .phase = U, .rows = 200, .repeat = 2, .duration_s = 0.5},
        {.strategy = "plain", .phase = U, .rows = 200, .repeat = 2, .duration_s = 1.0},
    };
    mock m = {.rules = rules, .nrules = (int)(sizeof rules / sizeof rules[0])};
    wb_run_outcome o;
    run(&m, &o);
    CHECK_INT(o.tests_run, o.tests_planned);
    const wb_result *r = find_result(&o, "plain-insert", 100, 1, 1);
    CHECK(r && r->server_share > 0);
    CHECK_NEAR(r ? r->server_share : 0, 0.25); /* 0.1 s against 0.4 s for the same rows */
    r = find_result(&o, "plain-update", 100, 1, 1);
    CHECK_NEAR(r ? r->server_share : 0, 0.25); /* the update pass against the reference's update */
    r = find_result(&o, "server-generate-insert", 100, 1, 1);
    CHECK_NEAR(r ? r->server_share : 0, 1.0);
    r = find_result(&o, "plain-insert", 200, 1, 1);
    CHECK_NEAR(r ? r->server_share : 0, 0.2); /* the reference at 200 rows, not at 100 */
    r = find_result(&o, "threaded-insert", 100, 2, 1);
    /* threads 2: another combination of the same row count keeps its reference */
    CHECK_NEAR(r ? r->server_share : 0, (100.0 * 2 / 0.5) / (100.0 * 2 / 0.1));
    r = find_result(&o, "plain-insert", 100, 1, 2);
    CHECK_NEAR(r ? r->server_share : 0, 0.5); /* repeat 2's own reference */
    r = find_result(&o, "plain-insert", 200, 1, 2);
    CHECK(r && r->success && isnan(r->server_share)); /* the reference failed: unknown */
    r = find_result(&o, "threaded-insert", 200, 2, 2);
    CHECK(r && isnan(r->server_share));
    r = find_result(&o, "plain-update", 200, 1, 2);
    CHECK_NEAR(r ? r->server_share : 0, 0.5); /* its update pass still ran */

    r = find_result(&o, "threaded-insert", 100, 2, 1);
    CHECK_NEAR(r ? r->client_share : 0, 0.05 * (100.0 / 100.0) / 2 / 0.5);
    r = find_result(&o, "slow-one-insert", 50, 1, 1);
    CHECK_NEAR(r ? r->client_share : 0, 0.05 * (50.0 / 100.0) / 1 / 0.25);
    r = find_result(&o, "plain-insert", 100, 1, 1);
    CHECK_NEAR(r ? r->client_share : 0, 0.05 / 0.4);
    r = find_result(&o, "generate-only-insert", 100, 1, 1);
    CHECK(r && isnan(r->client_share) && isnan(r->server_share)); /* the floor itself */
    CHECK_INT(o.failed, 1);
    wb_run_outcome_free(&o);
}

/* The commit overhead is calibrated once per thread count and subtracted from the
 * server's count, which never becomes negative; without a server count the child's
 * own count is used and nothing is calibrated. */
static void test_commit_calibration(void)
{
    const wb_strategy *given[] = {&plain, &threaded};
    config(given, 2);
    cfg.threads_list[0] = 1, cfg.threads_list[1] = 2, cfg.nthreads = 2;
    cfg.repeat = 2;
    static const rule rules[] = {
        {.strategy = "plain", .phase = WB_PHASE_INSERT, .server_commits = 10},
        {.strategy = "plain", .phase = WB_PHASE_UPDATE, .server_commits = 3},
        {.strategy = "threaded", .phase = WB_PHASE_INSERT, .threads = 2, .server_commits = 12},
        {.strategy = "threaded", .phase = WB_PHASE_UPDATE, .threads = 2, .server_commits = 1},
        {.strategy = "threaded", .phase = WB_PHASE_UPDATE, .threads = 1, .server_commits = 0},
    };
    mock m = {.rules = rules, .nrules = (int)(sizeof rules / sizeof rules[0]), .server_counts_commits = 1};
    m.overhead[1] = 3;
    m.overhead[2] = 5;
    wb_run_outcome o;
    run(&m, &o);
    CHECK_INT(o.tests_run, 2 * (2 + 2 + 2));
    CHECK_INT(m.calibrations[1], 1);
    CHECK_INT(m.calibrations[2], 1);
    for (int t = 3; t <= WB_MAX_THREADS; t++)
        CHECK_INT(m.calibrations[t], 0);
    const wb_result *r = find_result(&o, "plain-insert", 100, 1, 2);
    CHECK(r && r->commits == 10 - 3);
    r = find_result(&o, "plain-update", 100, 1, 1);
    CHECK(r && r->commits == 0); /* exactly the overhead: none of the strategy's own */
    r = find_result(&o, "threaded-insert", 100, 2, 1);
    CHECK(r && r->commits == 12 - 5);
    r = find_result(&o, "threaded-update", 100, 2, 1);
    CHECK(r && r->commits == -1); /* 1 - 5: the statistics lagged, unknown rather than negative */
    r = find_result(&o, "threaded-update", 100, 1, 2);
    CHECK(r && r->commits == -1); /* 0 - 3 */
    r = find_result(&o, "plain-insert", 100, 1, 1);
    CHECK(r && r->db_bytes == 500);
    wb_run_outcome_free(&o);

    static const rule hooks[] = {{.strategy = "plain", .hook_commits = 42}};
    mock h = {.rules = hooks, .nrules = 1};
    h.overhead[1] = 3;
    run(&h, &o);
    r = find_result(&o, "plain-insert", 100, 1, 1);
    CHECK(r && r->commits == 42); /* the child's commit hook, as counted */
    r = find_result(&o, "threaded-insert", 100, 1, 1);
    CHECK(r && r->commits == -1);
    CHECK_INT(h.calibrations[1], 0);
    CHECK_INT(h.calibrations[2], 0);
    wb_run_outcome_free(&o);
}

/* results.json of a run contains text. */
static int run_json_contains(const char *run_dir, const char *text)
{
    char path[4200];
    snprintf(path, sizeof path, "%s/results.json", run_dir);
    wb_buf json = WB_BUF_INIT;
    int found = wb_fs_read_file(path, &json, NULL) == 0 && strstr(wb_buf_str(&json), text) != NULL;
    wb_buf_free(&json);
    return found;
}

/* Why a run stops, what the outcome says, and the exit status. */
static void test_stops(void)
{
    const wb_strategy *given[] = {&plain, &plain2};
    wb_run_outcome o;

    /* Ctrl-C during a test: that test is not recorded, nothing more runs, 130. */
    config(given, 2);
    static const rule sigint[] = {{.strategy = "plain", .phase = WB_PHASE_UPDATE, .signal_during = SIGINT}};
    mock a = {.rules = sigint, .nrules = 1};
    run(&a, &o);
    CHECK_INT(a.nexecuted, 2);
    CHECK_INT(o.tests_run, 1);
    CHECK_INT(o.tests_planned, 4);
    CHECK_STR(o.results[0].test, "plain-insert");
    CHECK_INT(o.stop, WB_STOP_INTERRUPTED);
    CHECK_STR(o.stop_reason, "interrupted by SIGINT");
    CHECK_INT(o.interrupt_signal, SIGINT);
    CHECK_INT(o.failed, 0);
    CHECK(o.run_dir[0] != '\0');
    CHECK(run_json_contains(o.run_dir, "interrupted by SIGINT"));
    CHECK_INT(wb_cli_run_exit_status(&o), 130);
    wb_run_outcome_free(&o);

    /* SIGTERM after the last test, between tests: every test kept, still cut short, 143. */
    config(given, 2);
    static const rule sigterm[] = {{.strategy = "plain2", .phase = WB_PHASE_UPDATE, .signal_after = SIGTERM}};
    mock b = {.rules = sigterm, .nrules = 1};
    run(&b, &o);
    CHECK_INT(o.tests_run, 4);
    CHECK_INT(o.stop, WB_STOP_INTERRUPTED);
    CHECK_STR(o.stop_reason, "interrupted by SIGTERM");
    CHECK_INT(wb_cli_run_exit_status(&o), 143);
    wb_run_outcome_free(&o);

    /* SIGINT as the first test ended (between two tests): that test is kept, no
     * other test starts (the audit saw every remaining test run), 130. */
    config(given, 2);
    static const rule between[] = {{.strategy = "plain", .phase = WB_PHASE_INSERT, .signal_after = SIGINT}};
    mock between_mock = {.rules = between, .nrules = 1};
    run(&between_mock, &o);
    CHECK_INT(between_mock.nexecuted, 1);
    CHECK_INT(o.tests_run, 1);
    CHECK_INT(o.tests_planned, 4);
    CHECK_STR(o.results[0].test, "plain-insert");
    CHECK_INT(o.stop, WB_STOP_INTERRUPTED);
    CHECK_STR(o.stop_reason, "interrupted by SIGINT");
    CHECK_INT(wb_cli_run_exit_status(&o), 130);
    wb_run_outcome_free(&o);

    /* A signal before the first test (during setup): no test starts, still 130. */
    config(given, 2);
    mock before_mock = {.signal = SIGINT};
    run(&before_mock, &o);
    CHECK_INT(before_mock.nexecuted, 0);
    CHECK_INT(o.tests_run, 0);
    CHECK_INT(o.stop, WB_STOP_INTERRUPTED);
    CHECK_INT(wb_cli_run_exit_status(&o), 130);
    wb_run_outcome_free(&o);

    /* The database goes away: the failed test is recorded, the run stops, 1. */
    config(given, 2);
    static const rule gone[] = {
        {.strategy = "plain", .phase = WB_PHASE_INSERT, .status = WB_STATUS_FAILED, .server_gone = 1}};
    mock c = {.rules = gone, .nrules = 1};
    run(&c, &o);
    CHECK_INT(c.nexecuted, 1);
    CHECK_INT(c.reachable_checks, 1);
    CHECK_INT(o.tests_run, 1);
    CHECK_INT(o.failed, 1);
    CHECK_INT(o.stop, WB_STOP_UNREACHABLE);
    CHECK_STR(o.stop_reason, "database unreachable: scripted: the server went away");
    CHECK_INT(o.interrupt_signal, 0);
    CHECK_INT(o.own_fault, 0);
    CHECK(run_json_contains(o.run_dir, "database unreachable: "));
    CHECK_INT(wb_cli_run_exit_status(&o), 1);
    wb_run_outcome_free(&o);

    /* A failed test while the database is still there: checked, and the run goes on. */
    config(given, 2);
    static const rule failed[] = {{.strategy = "plain", .phase = WB_PHASE_INSERT, .status = WB_STATUS_TIMEOUT}};
    mock d = {.rules = failed, .nrules = 1};
    run(&d, &o);
    CHECK_INT(d.reachable_checks, 1); /* after the timeout only: the other tests passed */
    CHECK_INT(o.tests_run, 4);
    CHECK_INT(o.stop, WB_STOP_NONE);
    CHECK_INT(wb_cli_run_exit_status(&o), 1);
    wb_run_outcome_free(&o);

    /* writebench's own fault: the test is not measured (not the strategy's failure),
     * the run stops, the directory is kept with what was measured, 2. */
    config(given, 2);
    static const rule no_fork[] = {{.strategy = "plain", .phase = WB_PHASE_UPDATE, .start_fails = 1}};
    mock f = {.rules = no_fork, .nrules = 1};
    run(&f, &o);
    CHECK_INT(f.nexecuted, 2);
    CHECK_INT(o.tests_run, 2);
    CHECK_INT(o.not_measured, 1);
    CHECK_INT(o.failed, 0);
    CHECK(o.tests_run == 2 && o.results[1].status == WB_STATUS_NOT_MEASURED);
    CHECK(o.tests_run == 2 &&
          strcmp(o.results[1].error, "not measured: cannot start the test's process: cannot fork: scripted") == 0);
    CHECK_INT(o.stop, WB_STOP_OWN_FAULT);
    CHECK_INT(o.own_fault, 1);
    CHECK(o.run_dir[0] != '\0');
    CHECK_INT(wb_cli_run_exit_status(&o), 2);
    wb_run_outcome_free(&o);

    /* The mapping alone: nothing kept is 2; a signal wins over writebench's own fault. */
    wb_run_outcome none;
    memset(&none, 0, sizeof none);
    none.stop = WB_STOP_NOT_STARTED;
    CHECK_INT(wb_cli_run_exit_status(&none), 2);
    none.stop = WB_STOP_OWN_FAULT;
    none.own_fault = 1;
    snprintf(none.run_dir, sizeof none.run_dir, "/somewhere");
    none.interrupt_signal = SIGINT;
    CHECK_INT(wb_cli_run_exit_status(&none), 130);
    none.interrupt_signal = 0;
    CHECK_INT(wb_cli_run_exit_status(&none), 2);
    none.own_fault = 0;
    none.stop = WB_STOP_NONE;
    none.failed = 1;
    CHECK_INT(wb_cli_run_exit_status(&none), 1);
    none.failed = 0;
    none.skipped = 3;
    CHECK_INT(wb_cli_run_exit_status(&none), 0);
}

static int remove_entry(const char *path, const struct stat *sb, int type, struct FTW *ftw)
{
    (void)sb, (void)type, (void)ftw;
    return remove(path);
}

int main(void)
{
    server_generate = wb_strategy_find("server-generate");
    generate_only = wb_strategy_find("generate-only");
    CHECK(server_generate && (server_generate->flags & WB_STRAT_REFERENCE));
    CHECK(generate_only && (generate_only->flags & WB_STRAT_CLIENT_FLOOR));
    if (!server_generate || !generate_only || !mkdtemp(results_dir)) {
        check_finish();
        return 1;
    }
    test_order();
    test_scan();
    test_skip_and_failure();
    test_settings_scan();
    test_probe_skips();
    test_shares();
    test_commit_calibration();
    test_stops();
    nftw(results_dir, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
    return check_finish();
}

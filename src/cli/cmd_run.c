/* `writebench run`: read the options into a wb_run_config, check every one of
 * them before anything is written anywhere, then hand over to wb_run().
 *
 * Order matters (docs/ARCHITECTURE.md, "Safety"): everything that only reads is checked first; the
 * results directory, which wb_results_dir_check may create, comes after those;
 * the default --db, which makes a fresh temporary directory, comes last. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/cli.h"
#include "advise/advise_code.h"
#include "analysis/report.h"
#include "analysis/runs.h"
#include "analysis/export.h"
#include "analysis/findings.h"
#include "runner/run.h"
#include "runner/run_files.h"
#include "strategies/external.h"
#include "workloads/schema.h"
#include "util/parse.h"
#include "util/term.h"

#define WB_STR_(x) #x
#define WB_STR(x) WB_STR_(x)

/* Upper bounds that only catch typos (an extra zero or three), not real limits. */
#define MAX_ROWS 10000000000LL
#define MAX_BATCH 100000000LL
#define MAX_THREADS WB_MAX_THREADS
#define MAX_REPEAT 100000
#define MAX_TIMEOUT_S (7 * 24 * 3600)

typedef struct run_options {
    const char *db;
    const char *schema;
    const char *workload;
    const char *rows; /* a number or a comma list: the scan */
    const char *strategies;
    const char *batch;
    const char *threads;
    int64_t repeat;
    double timeout_s;
    const char *results;
    const char *verify;
    int64_t slow_rows;
    wb_opt_list pragmas;
    wb_opt_list sets;
    wb_opt_list external_dirs;
    const char *external_slow;
    wb_opt_list external_params;
    wb_opt_list external_io;
    wb_opt_rest external;
    int report;
    const char *export_json;
    const char *export_markdown;
    int echo;
} run_options;

#define OPT(name, kind, field, value, help, min, max) \
    {name, kind, offsetof(run_options, field), value, help, min, max}

static const wb_opt run_opts[] = {
    OPT("--db", WB_OPT_DB, db, "URL",
        "the database to write into: sqlite:///path/file.db (a file writebench creates and "
        "owns), postgresql://... or a libpq conninfo string (writebench works in its own schema), "
        "pg-temp: (a throwaway local PostgreSQL cluster for this run), mariadb://user@host/database "
        "or mysql://... (writebench works in that database, which it creates and marks) or "
        "mariadb-temp: (a throwaway local MariaDB server). Default: a new SQLite file in a fresh "
        "temporary directory, printed at the start.", 0, 0),
    OPT("--schema", WB_OPT_STRING, schema, "NAME",
        "PostgreSQL: the schema writebench creates and works in; one that exists without "
        "writebench's mark is refused. Default: writebench.", 0, 0),
    OPT("--workload", WB_OPT_STRING, workload, "NAME|FILE",
        "the tables and data to write: users (user_account and address, insert or update), "
        "products (one table with unique and secondary indexes, bulk load), or the path of a "
        "workload file (docs/WORKLOADS.md). Default: users.", 0, 0),
    OPT("--rows", WB_OPT_STRING, rows, "N[,N...]",
        "rows per table; a comma list runs every value (with every --batch and --threads "
        "value): a parameter scan. Default: " WB_STR(WB_DEFAULT_ROWS) ".", 0, 0),
    OPT("--strategies", WB_OPT_STRING, strategies, "LIST",
        "all, or comma-separated strategy names ('writebench describe' lists them). Default: all.",
        0, 0),
    OPT("--batch", WB_OPT_STRING, batch, "B[,B...]",
        "rows per batch, statement or commit, for the strategies that batch; a comma list "
        "scans. Default: " WB_STR(WB_DEFAULT_BATCH) ".", 0, 0),
    OPT("--threads", WB_OPT_STRING, threads, "T[,T...]",
        "connections writing disjoint key ranges at once, for the strategies that can (1 to "
        WB_STR(MAX_THREADS) "); a comma list scans. Default: " WB_STR(WB_DEFAULT_THREADS) ".", 0, 0),
    OPT("--repeat", WB_OPT_INT64, repeat, "K",
        "run the whole sequence K times. Default: " WB_STR(WB_DEFAULT_REPEAT) ".", 1, MAX_REPEAT),
    OPT("--timeout", WB_OPT_SECONDS, timeout_s, "SECONDS",
        "stop a test that runs longer and record it as timed out; also how long a writer "
        "waits for a lock. Default: " WB_STR(WB_DEFAULT_TIMEOUT_S) ".", 0, MAX_TIMEOUT_S),
    OPT("--results", WB_OPT_STRING, results, "DIR",
        "where run directories are kept. Default: " WB_DEFAULT_RESULTS_DIR ".", 0, 0),
    OPT("--verify", WB_OPT_STRING, verify, "MODE",
        "values checks every column of every row; count checks only row counts and keys "
        "(for programs that write their own values). Default: values.", 0, 0),
    OPT("--slow-rows", WB_OPT_INT64, slow_rows, "N",
        "rows per table for the slow strategies (one commit per row), never more than --rows. "
        "Default: " WB_STR(WB_DEFAULT_SLOW_ROWS) ".", 1, MAX_ROWS),
    OPT("--pragma", WB_OPT_LIST, pragmas, "NAME=VALUE[,VALUE...]",
        "a SQLite PRAGMA for every connection, replacing the default of that name "
        "(journal_mode=WAL, synchronous=NORMAL, foreign_keys=ON); on MariaDB a session variable "
        "(sql_mode=NO_BACKSLASH_ESCAPES); a comma list runs every "
        "value, as --set does; may be repeated.", 0, 0),
    OPT("--set", WB_OPT_LIST, sets, "NAME=VALUE[,VALUE...]",
        "a session setting on every connection of the strategies (PostgreSQL: SET, e.g. "
        "synchronous_commit=off, commit_delay=100); a comma list runs every value, crossed with "
        "--rows, --batch and --threads, each its own group in the results; may be repeated. A "
        "setting the role may not change is refused before the run.", 0, 0),
    OPT("--report", WB_OPT_FLAG, report, NULL,
        "at the end, write the run's HTML report (report.html in the run's directory) and "
        "print its path.", 0, 0),
    OPT("--export-json", WB_OPT_STRING, export_json, "FILE",
        "at the end, write the run's aggregate (as 'writebench aggregate --format json') to FILE.", 0, 0),
    OPT("--export-markdown", WB_OPT_STRING, export_markdown, "FILE",
        "at the end, write the run's aggregate as a Markdown table to FILE.", 0, 0),
    OPT("--external-dir", WB_OPT_LIST, external_dirs, "DIR",
        "also measure every executable file in DIR as a strategy named after the file "
        "(without its extension); may be repeated. docs/EXTERNAL.md is the programs' protocol.", 0, 0),
    OPT("--external-slow", WB_OPT_STRING, external_slow, "NAME[,NAME...]",
        "run these external programs at --slow-rows and mark them slow, as the built-in "
        "one-commit-per-row strategies are.", 0, 0),
    OPT("--external-params", WB_OPT_LIST, external_params, "NAME=LIST",
        "which of --batch and --threads the external program NAME honours: batch, threads, "
        "batch,threads or none; it then runs once for the values it ignores, which results leave "
        "empty (threads 1). Overrides a '# writebench: params=LIST' line in its script; may be "
        "repeated.", 0, 0),
    OPT("--external-io", WB_OPT_LIST, external_io, "NAME=sync|async",
        "the I/O model of the external program NAME, recorded (results.json io) for findings to "
        "compare asyncio programs with the synchronous ones and with C. Overrides an 'io=' word of "
        "its '# writebench:' line (a binary has none); may be repeated.", 0, 0),
    OPT("--external", WB_OPT_REST, external, "NAME=PROGRAM [ARGS...]",
        "also measure a program as the strategy NAME: started without a shell, measured "
        "(its whole process tree) and verified like a built-in one. Takes the rest of the "
        "command line; each further --external starts the next program. docs/EXTERNAL.md.",
        0, 0),
    OPT("--echo", WB_OPT_FLAG, echo, NULL,
        "print every SQL statement writebench sends, with its duration, to stderr (long "
        "values elided), and a per-statement summary (count, total, mean, p95, max) after "
        "each test.", 0, 0),
    WB_OPT_END,
};

/* --verify values and their modes. */
static const struct {
    const char *name;
    wb_verify_mode mode;
} verify_modes[] = {
    {"values", WB_VERIFY_VALUES},
    {"count", WB_VERIFY_COUNT},
};

static int parse_verify(const char *name, wb_verify_mode *out)
{
    for (size_t i = 0; i < sizeof verify_modes / sizeof verify_modes[0]; i++)
        if (strcmp(verify_modes[i].name, name) == 0) {
            *out = verify_modes[i].mode;
            return 0;
        }
    return wb_cli_fail("run", "--verify must be values or count, got '%s'", name);
}

/* Everything the target decides that does not create anything: its backend and,
 * for a named --db, the parsed target itself. Reports and returns 2 on a mistake. */
static int check_target(const run_options *o, wb_run_config *cfg, const wb_backend **backend)
{
    wb_error e = {{0}};
    cfg->target.kind = wb_backend_default_kind(); /* the default --db */
    if (o->db && wb_target_parse(o->db, true, &cfg->target, &e) != 0)
        return wb_cli_fail("run", "%s", e.msg);
    *backend = wb_backend_get(cfg->target.kind);
    if (wb_cli_check_pragmas("run", &o->pragmas, *backend) != 0)
        return 2;
    if (wb_cli_apply_schema("run", o->schema, &cfg->target) != 0)
        return 2;
    return 0;
}

/* --rows, --batch and --threads: each a number or a comma list (the scan). */
static int parse_scans(const run_options *o, wb_run_config *cfg)
{
    wb_error e = {{0}};
    if (wb_parse_int64_list(o->rows, 1, MAX_ROWS, "--rows", cfg->rows_list, WB_MAX_SCAN, &cfg->nrows, &e) != 0 ||
        wb_parse_int64_list(o->batch, 1, MAX_BATCH, "--batch", cfg->batch_list, WB_MAX_SCAN, &cfg->nbatch, &e) != 0 ||
        wb_parse_int64_list(o->threads, 1, MAX_THREADS, "--threads", cfg->threads_list, WB_MAX_SCAN, &cfg->nthreads,
                            &e) != 0)
        return wb_cli_fail("run", "%s", e.msg);
    return 0;
}

/* --external-slow: each name must be one of the programs; those run at --slow-rows. */
static int mark_slow(const char *list, wb_external_set *set)
{
    if (!list)
        return 0;
    char *copy = wb_xstrdup(list), *save = NULL;
    int rc = 0;
    for (char *name = strtok_r(copy, ",", &save); name && rc == 0; name = strtok_r(NULL, ",", &save)) {
        int found = 0;
        for (int i = 0; i < set->count; i++)
            if (strcmp(set->items[i]->name, name) == 0) {
                set->items[i]->strategy.flags |= WB_STRAT_SLOW;
                found = 1;
            }
        if (!found)
            rc = wb_cli_fail("run", "--external-slow %s: no --external or --external-dir program has that name", name);
    }
    free(copy);
    return rc;
}

/* The programs of --external-dir and --external, appended to the selected strategies. */
static int add_externals(const run_options *o, wb_external_set *set, wb_run_config *cfg)
{
    wb_error e = {{0}};
    for (int i = 0; i < o->external_dirs.count; i++)
        if (wb_external_add_dir(set, o->external_dirs.items[i], &e) != 0)
            return wb_cli_fail("run", "%s", e.msg);
    if (o->external.argc) {
        /* The parser stops at the first --external: the words from there on are programs. */
        char **words = o->external.argv - 1;
        if (wb_external_add_command_line(set, words, o->external.argc + 1, &e) != 0)
            return wb_cli_fail("run", "%s", e.msg);
    }
    if (mark_slow(o->external_slow, set) != 0)
        return 2;
    for (int i = 0; i < o->external_params.count; i++)
        if (wb_external_declare_params(set, o->external_params.items[i], &e) != 0)
            return wb_cli_fail("run", "%s", e.msg);
    for (int i = 0; i < o->external_io.count; i++)
        if (wb_external_declare_io(set, o->external_io.items[i], &e) != 0)
            return wb_cli_fail("run", "%s", e.msg);
    for (int i = 0; i < set->count; i++) {
        if (cfg->nstrategies >= WB_MAX_SELECTED)
            return wb_cli_fail("run", "more than %d strategies and programs at once", WB_MAX_SELECTED);
        cfg->strategies[cfg->nstrategies++] = &set->items[i]->strategy;
    }
    cfg->externals = set;
    return 0;
}

/* An output file named by --export-*: its directory must exist and be writable now,
 * before the run, rather than fail after an hour of measuring. */
static int check_output_path(const char *option, const char *path)
{
    if (!path)
        return 0;
    if (!*path)
        return wb_cli_fail("run", "%s needs a file name", option);
    char dir[4096];
    snprintf(dir, sizeof dir, "%s", path);
    char *slash = strrchr(dir, '/');
    if (!slash)
        snprintf(dir, sizeof dir, ".");
    else if (slash == dir)
        dir[1] = '\0';
    else
        *slash = '\0';
    struct stat st;
    if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode))
        return wb_cli_fail("run", "%s %s: the directory '%s' does not exist", option, path, dir);
    if (access(dir, W_OK | X_OK) != 0)
        return wb_cli_fail("run", "%s %s: the directory '%s' is not writable", option, path, dir);
    return 0;
}

/* After the run: the HTML report and the aggregate exports of this run alone, from
 * the same reader, aggregate and writer as `writebench aggregate` and `report`. */
static int write_outputs(const run_options *o, const char *run_dir)
{
    if (!o->report && !o->export_json && !o->export_markdown)
        return 0;
    wb_error e = {{0}};
    wb_run_set runs = WB_RUN_SET_INIT;
    const char *names[] = {run_dir};
    if (wb_runs_load(NULL, names, 1, 0, &runs, &e) != 0)
        return wb_cli_fail("run", "cannot read the run back: %s", e.msg);
    int rc = 0;
    if (o->report) {
        char path[4200];
        snprintf(path, sizeof path, "%s/%s", run_dir, WB_REPORT_FILE_NAME);
        wb_report_set_code_lister(wb_advise_report_code); /* the Advice section lists the code */
        if (wb_report_write(&runs, path, &e) != 0)
            rc = wb_cli_fail("run", "%s", e.msg);
        else
            printf("report:   %s\n", path);
    }
    static const struct {
        size_t option_offset;
        const char *option;
        wb_format format;
    } exports[] = {
        {offsetof(run_options, export_json), "--export-json", WB_FORMAT_JSON},
        {offsetof(run_options, export_markdown), "--export-markdown", WB_FORMAT_MARKDOWN},
    };
    for (size_t i = 0; i < sizeof exports / sizeof exports[0] && rc == 0; i++) {
        const char *path = *(const char *const *)((const char *)o + exports[i].option_offset);
        if (path && wb_export_aggregate(&runs, exports[i].format, path, &e) != 0)
            rc = wb_cli_fail("run", "%s: %s", exports[i].option, e.msg);
        else if (path)
            printf("exported: %s\n", path);
    }
    wb_runs_free(&runs);
    return rc;
}

/* After the rankings (wb_run_config.after_rankings): the run's findings, printed
 * for the reader and kept as findings.json in the run's directory. arg is an
 * int set to 2 when they cannot be written (writebench's own fault). */
static void print_findings(void *arg, const wb_result *results, int n, const char *run_dir)
{
    int *status = arg;
    if (n == 0)
        return;
    wb_error e = {{0}};
    wb_findings f = WB_FINDINGS_INIT;
    if (wb_findings_compute(results, n, &f, &e) != 0) {
        *status = wb_cli_fail("run", "findings: %s", e.msg);
        return;
    }
    wb_buf text = WB_BUF_INIT;
    wb_buf_putc(&text, '\n');
    wb_findings_text(&f, wb_term_width(), &text);
    fputs(wb_buf_str(&text), stdout);
    wb_buf_free(&text);
    /* a run directory removed under the run: that error was said once already */
    int dir_kept = access(run_dir, F_OK) == 0;
    if (dir_kept && wb_findings_write(&f, run_dir, &e) != 0)
        *status = wb_cli_fail("run", "%s", e.msg);
    else if (dir_kept)
        printf("  (kept in %s/%s)\n", run_dir, WB_FINDINGS_FILE_NAME);
    fflush(stdout);
    wb_findings_free(&f);
}

/* The exit status of a run (docs/ARCHITECTURE.md, "Command line"): 2 when nothing
 * was kept (nothing could run, or writebench's own fault left nothing measured);
 * 128 + the signal after SIGINT or SIGTERM, the shell's convention; 2 after
 * writebench's own fault; 1 when a test failed or the run was cut short (the
 * database went away); 0 when every test passed, skips included. */
int wb_cli_run_exit_status(const wb_run_outcome *o)
{
    if (!o->run_dir[0])
        return 2;
    if (o->interrupt_signal)
        return 128 + o->interrupt_signal;
    if (o->own_fault)
        return 2;
    return o->failed || o->stop != WB_STOP_NONE ? 1 : 0;
}

int cmd_run(int argc, char **argv)
{
    run_options o = {
        .workload = "users",
        .rows = WB_STR(WB_DEFAULT_ROWS),
        .strategies = "all",
        .batch = WB_STR(WB_DEFAULT_BATCH),
        .threads = WB_STR(WB_DEFAULT_THREADS),
        .repeat = WB_DEFAULT_REPEAT,
        .timeout_s = WB_DEFAULT_TIMEOUT_S,
        .results = WB_DEFAULT_RESULTS_DIR,
        .verify = "values",
        .slow_rows = WB_DEFAULT_SLOW_ROWS,
    };
    int status;
    if (wb_cli_parse(run_opts, argc, argv, &o, NULL, NULL, &status) != 0)
        return status;
    static wb_run_config cfg; /* large (the target holds paths): keep it off the stack */
    memset(&cfg, 0, sizeof cfg);
    if (parse_scans(&o, &cfg) != 0)
        return 2;

    const wb_backend *backend = NULL;
    wb_error e = {{0}};
    if (wb_cli_find_workload("run", o.workload, &cfg.workload) != 0 || parse_verify(o.verify, &cfg.verify) != 0 ||
        check_target(&o, &cfg, &backend) != 0)
        return 2;
    if (wb_schema_supported(backend, cfg.workload, &e) != 0)
        return wb_cli_fail("run", "%s", e.msg);
    if (wb_strategy_select(o.strategies, cfg.target.kind, cfg.strategies, WB_MAX_SELECTED,
                           &cfg.nstrategies, &e) != 0)
        return wb_cli_fail("run", "%s", e.msg);
    static wb_external_set externals; /* lives until the process ends */
    if (add_externals(&o, &externals, &cfg) != 0)
        return 2;
    if (cfg.nstrategies == 0)
        return wb_cli_fail("run", "no strategy to run on %s%s", backend->name ? backend->name : "this backend",
                           strcmp(o.strategies, "none") == 0 ? " (--strategies none needs --external or --external-dir)"
                                                             : "");
    /* --set and --pragma: scan axes, each value checked by the backend; the target keeps
     * each PRAGMA's first value. Pragmas are checked on a scratch target when --db is
     * the default: the real one does not exist until the very end. */
    static wb_opt_list first_pragmas;
    if (wb_cli_run_settings(&o.sets, &o.pragmas, &cfg, &first_pragmas) != 0)
        return 2;
    wb_target scratch = {.kind = wb_backend_default_kind()};
    if (wb_cli_add_pragmas("run", &first_pragmas, o.db ? &cfg.target : &scratch) != 0)
        return 2;

    if (check_output_path("--export-json", o.export_json) != 0 ||
        check_output_path("--export-markdown", o.export_markdown) != 0)
        return 2;

    /* Only now may anything be created: the results directory, then the default database. */
    if (wb_results_dir_check(o.results, &e) != 0)
        return wb_cli_fail("run", "%s", e.msg);
    if (!o.db) {
        if (wb_target_parse(NULL, true, &cfg.target, &e) != 0)
            return wb_cli_fail("run", "%s", e.msg);
        if (wb_cli_add_pragmas("run", &first_pragmas, &cfg.target) != 0)
            return 2;
    }
    cfg.target.busy_timeout_ms = (int64_t)(o.timeout_s * 1000.0);
    cfg.target.echo = o.echo != 0;
    cfg.slow_rows_limit = o.slow_rows;
    cfg.repeat = o.repeat;
    cfg.timeout_s = o.timeout_s;
    cfg.results_dir = o.results;
    cfg.argc = argc;
    cfg.argv = argv;
    int findings_status = 0;
    cfg.after_rankings = print_findings;
    cfg.after_rankings_arg = &findings_status;
    wb_run_outcome outcome;
    wb_run(&cfg, &outcome);
    status = wb_cli_run_exit_status(&outcome);
    if (findings_status && status != 130 && status != 143)
        status = findings_status;
    if (outcome.run_dir[0] && status != 2 && status != 130 && write_outputs(&o, outcome.run_dir) != 0)
        status = 2;
    wb_run_outcome_free(&outcome);
    wb_external_set_free(&externals);
    return status;
}

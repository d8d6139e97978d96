/* The run protocol (docs/ARCHITECTURE.md, "Run protocol"): for every selected strategy and each of its
 * passes, reset the tables (or load version 1 for an update pass that needs it),
 * run the strategy in a forked child measured from outside, verify inside the
 * database, and record the result at once; --repeat times. The loop does all
 * of that through an executor (executor.h: the database and a forked child in
 * production, a mock in the unit tests) and never touches either itself. */
#include "runner/run.h"

#include <limits.h>
#include <math.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "backends/lock.h"
#include "runner/child.h"
#include "runner/conf.h"
#include "runner/console.h"
#include "runner/executor.h"
#include "runner/run_files.h"
#include "strategies/external.h"
#include "util/fs.h"
#include "util/format.h"
#include "util/self.h"
#include "workloads/check.h"
#include "workloads/schema.h"

/* One combination of the scan: a value of each of --rows, --batch and --threads,
 * the runner's own (the configuration only lists them). */
typedef struct combination {
    int64_t rows;      /* rows per table */
    int64_t slow_rows; /* min(--slow-rows, rows): what WB_STRAT_SLOW strategies write */
    int64_t batch;
    int64_t threads;
    int batch_index, threads_index; /* their places in the lists */
    int settings_index;             /* which combination of the settings' values */
} combination;

typedef struct run_state {
    const wb_run_config *cfg;
    const wb_executor *x;
    const wb_backend *backend;
    const wb_target *target;  /* what the strategies get (wb_run_start) */
    wb_target *test_target;   /* target with the current combination's settings (NULL: no settings) */
    char settings[256];       /* their label, the results' settings column */
    const char *run_id;
    const char *server_version;
    const wb_probe *probe;    /* the capabilities the connections lack (wb_run_start), NULL: not probed */
    wb_run_files *files;
    wb_console console;
    wb_result *results; /* every finished test, for the closing tables */
    int nresults, cap;
    double reference_rate[2]; /* server-generate rows/s per phase, current repeat and row count */
    int failed;               /* tests that did not verify */
    int64_t commit_overhead[WB_MAX_THREADS + 1]; /* per thread count: commits writebench's own
                                                  * connections and readings add to a test's count; -1 not measured */
    double floor_s[2];        /* generate-only's duration per phase, current repeat and row count; NAN none */
    int64_t floor_rows[2];    /* the rows per table it made */
    wb_run_stop stop;         /* the run ends early (not WB_STOP_NONE): stop_reason says why */
    char stop_reason[512];    /* "interrupted by SIGINT", "database unreachable: ...", ... */
    int own_fault;            /* writebench's own fault (a write error), also after the loop */
} run_state;

static int64_t commit_overhead(run_state *st, const wb_test *t);

/* End the run early; the first reason given is the one recorded. */
static void stop_run(run_state *st, wb_run_stop why, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void stop_run(run_state *st, wb_run_stop why, const char *fmt, ...)
{
    st->own_fault |= why == WB_STOP_OWN_FAULT;
    if (st->stop)
        return;
    st->stop = why;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(st->stop_reason, sizeof st->stop_reason, fmt, ap);
    va_end(ap);
}

/* writebench's own fault during a test (no fork, no room for a file): the test is
 * recorded as not measured, never as the strategy's failure, and the run stops. */
static void own_fault(run_state *st, wb_result *r, const char *what, const char *why)
{
    r->status = WB_STATUS_NOT_MEASURED;
    snprintf(r->error, sizeof r->error, "not measured: %.200s: %.1800s", what, why); /* bounded: why may be a whole message */
    fprintf(stderr, "writebench: %s: %s: %s (writebench's own error, not the strategy's); stopping the run\n",
            r->test, what, why);
    stop_run(st, WB_STOP_OWN_FAULT, "writebench's own error: %s: %s", what, why);
}

/* "SIGTERM" or "SIGINT", for the reason a run was cut short. */
static const char *signal_name(int sig)
{
    return sig == SIGTERM ? "SIGTERM" : "SIGINT";
}

/* The table names of the workload, "user_account, address". */
static void table_list(const wb_workload *w, wb_buf *out)
{
    for (int i = 0; i < w->ntables; i++)
        wb_buf_printf(out, "%s%s", i ? ", " : "", w->tables[i].name);
}

/* Difference of two figures, or -1 when either is unknown. */
static int64_t growth(int64_t before, int64_t after)
{
    return before >= 0 && after >= 0 ? after - before : -1;
}

static void remember(run_state *st, const wb_result *r)
{
    if (st->nresults == st->cap) {
        st->cap = st->cap ? st->cap * 2 : 32;
        st->results = wb_xrealloc(st->results, sizeof *st->results * (size_t)st->cap);
    }
    st->results[st->nresults++] = *r;
}

/* Fill the identity columns of a result. */
static void result_identity(run_state *st, const combination *c, const wb_strategy *s, wb_phase phase,
                            int64_t rows, int threads, int64_t repeat, wb_result *r)
{
    wb_result_init(r);
    snprintf(r->run_id, sizeof r->run_id, "%s", st->run_id);
    snprintf(r->test, sizeof r->test, "%s-%s", s->name, wb_phase_name(phase));
    snprintf(r->strategy, sizeof r->strategy, "%s", s->name);
    snprintf(r->phase, sizeof r->phase, "%s", wb_phase_name(phase));
    snprintf(r->backend, sizeof r->backend, "%s", st->backend->name);
    snprintf(r->server_version, sizeof r->server_version, "%s", st->server_version);
    snprintf(r->workload, sizeof r->workload, "%s", st->cfg->workload->name);
    r->rows = rows;
    r->threads = threads;
    /* A strategy that ignores --batch gets an empty batch, so scans over batch sizes
     * do not make groups that differ only in a setting it never used. */
    r->batch = (s->flags & WB_STRAT_BATCH) ? c->batch : -1;
    r->repeat = repeat;
    snprintf(r->settings, sizeof r->settings, "%s", st->settings);
    r->slow = (s->flags & WB_STRAT_SLOW) && rows < c->rows;
    const wb_external *x = wb_external_of(s);
    r->external = x != NULL;
    snprintf(r->language, sizeof r->language, "%s", x ? x->language : "c");
    snprintf(r->io, sizeof r->io, "%s", x ? x->io : "sync");
    snprintf(r->verify, sizeof r->verify, "%s",
             (s->flags & WB_STRAT_CLIENT_FLOOR) ? "none" : st->cfg->verify == WB_VERIFY_COUNT ? "count" : "values");
    r->threads_ignored = !(s->flags & WB_STRAT_THREADS);
}

/* An external program's directory for this test, made empty:
 * <run>/external/<name>/<phase>-r<repeat>-n<rows>-b<batch>-t<threads>, and -s<k> (the
 * k-th combination of the settings, from 1) when the run scans settings. */
static int external_output_dir(run_state *st, const combination *c, const wb_result *r, char *out, size_t n,
                               wb_error *e)
{
    char relative[4096], settings[24] = "";
    if (wb_run_settings_combinations(st->cfg) > 1)
        snprintf(settings, sizeof settings, "-s%d", c->settings_index + 1);
    snprintf(relative, sizeof relative, "%s/external/%s/%s-r%lld-n%lld-b%lld-t%lld%s", wb_run_files_dir(st->files),
             r->strategy, r->phase, (long long)r->repeat, (long long)r->rows, (long long)c->batch,
             (long long)r->threads, settings);
    if (wb_fs_mkdir_p(relative, e) != 0)
        return -1;
    /* Absolute, so a program that changes directory still finds it. */
    char absolute[PATH_MAX];
    if (!realpath(relative, absolute) || strlen(absolute) >= n)
        return wb_fail(e, "%s: cannot resolve the path", relative);
    snprintf(out, n, "%s", absolute);
    return 0;
}

/* Copy the program's stderr into run.log, a line each, so the log tells the whole story. */
static void log_program_stderr(run_state *st, const wb_result *r, const char *output_dir)
{
    char path[4200];
    snprintf(path, sizeof path, "%s/stderr.txt", output_dir);
    wb_buf text = WB_BUF_INIT;
    if (wb_fs_read_file(path, &text, NULL) == 0 && text.len > 0) {
        enum { MAX_LOGGED_LINES = 200 };
        int lines = 0;
        char *save = NULL;
        for (char *line = strtok_r(text.data, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
            if (++lines > MAX_LOGGED_LINES) {
                wb_run_files_log(st->files, "%s stderr: ... (more in %s)", r->test, path);
                break;
            }
            wb_run_files_log(st->files, "%s stderr: %s", r->test, line);
        }
    }
    wb_buf_free(&text);
}

/* What the runner cannot know of an external program: it opens its own connections
 * (no connect time apart) and, on SQLite, its commits and WAL writes happen outside
 * writebench's hooks and counting VFS (on MariaDB its commits, which writebench
 * counts on its own connections). */
static void forget_unmeasured(run_state *st, wb_result *r)
{
    r->connect_s = NAN;
    if (!(st->backend->caps & (WB_CAP_SERVER_COUNTERS | WB_CAP_SERVER_WAL)))
        r->wal_bytes = -1;
    if (!(st->backend->caps & WB_CAP_SERVER_COUNTERS))
        r->commits = -1;
}

/* The test's figures from the readings before and after it: growth, and the
 * server's commit count less what writebench's own connections add. */
static void measure(run_state *st, const wb_test *t, const wb_snapshot *before, const wb_snapshot *after,
                    const wb_child_outcome *o, wb_result *r)
{
    r->db_bytes = growth(before->db_bytes, after->db_bytes);
    /* The WAL figure is read by the child right after the strategy: on SQLite it is a
     * count kept in the writing process itself. No reading, no figure. */
    r->wal_bytes = o->end_ok ? growth(before->wal_bytes, o->end.wal_bytes) : -1;
    int64_t server_commits = growth(before->commits, after->commits);
    /* A backend whose commits are the server's own counts none itself: unknown then. */
    int64_t counted = (st->backend->caps & WB_CAP_SERVER_COUNTERS) ? -1 : o->commits;
    r->commits = server_commits >= 0 ? server_commits - commit_overhead(st, t) : counted;
    if (r->commits < -1)
        r->commits = -1; /* the server's statistics lagged: unknown rather than wrong */
    /* A standby, as the child read it right after the strategy: what it had received
     * by then, and how far its replay was behind. */
    if (o->end_ok) {
        r->standby_received_bytes = growth(before->standby_write_lsn, o->end.standby_write_lsn);
        r->standby_lag_bytes = o->end.standby_lag_bytes;
        r->standby_replay_lag_s = o->end.standby_replay_lag_s;
    }
}

/* Whether the probe found the connections lacking a capability s needs; if so, r is
 * the skip, with what the probe saw. */
static int skipped_by_probe(const run_state *st, const wb_strategy *s, wb_result *r)
{
    unsigned lost = st->probe ? s->needs & st->probe->missing : 0;
    if (!lost)
        return 0;
    int bit = 0;
    while (!(lost & (1u << bit)))
        bit++;
    r->status = WB_STATUS_SKIPPED;
    snprintf(r->error, sizeof r->error, "skipped: it needs %s, which this connection lacks: %s",
             wb_capability_name(1u << bit), st->probe->why[bit]);
    return 1;
}

/* Run one pass of one strategy; returns 1 when it left verified data of its version. */
static int run_test(run_state *st, const combination *c, const wb_strategy *s, wb_phase phase, int64_t repeat,
                    int insert_left_version1)
{
    const wb_run_config *cfg = st->cfg;
    /* A signal that came before this test (during setup, between two tests, or as a
     * test ended) stops the run here: the child's wait reads the flag only while a
     * test's process runs, and no test may start after the user asked to stop. */
    int signal_seen = st->x->interrupted(st->x->impl);
    if (signal_seen) {
        stop_run(st, WB_STOP_INTERRUPTED, "interrupted by %s", signal_name(signal_seen));
        return 0;
    }
    int64_t rows = (s->flags & WB_STRAT_SLOW) ? c->slow_rows : c->rows;
    int threads = (s->flags & WB_STRAT_THREADS) ? (int)c->threads : 1;
    int version = phase == WB_PHASE_UPDATE ? 2 : 1;
    wb_result r;
    result_identity(st, c, s, phase, rows, threads, repeat, &r);
    int check_changed = phase == WB_PHASE_UPDATE && cfg->verify == WB_VERIFY_COUNT && strcmp(r.verify, "none") != 0;
    wb_run_files_log(st->files, "%s (repeat %lld): start, %lld rows per table, %d thread(s)", r.test,
                     (long long)repeat, (long long)rows, threads);

    wb_error e = {{0}};
    wb_snapshot before = WB_SNAPSHOT_UNKNOWN;
    wb_child_outcome o;
    memset(&o, 0, sizeof o);
    const wb_external *external = wb_external_of(s);
    char output_dir[4096] = "";
    wb_ctx ctx = {
        .backend = st->backend,
        .target = st->test_target ? st->test_target : st->target,
        .workload = cfg->workload,
        .phase = phase,
        .version = version,
        .rows = rows,
        .batch = c->batch,
        .threads = threads,
        .external = external,
        .output_dir = external ? output_dir : NULL,
        .repeat = repeat,
        .timeout_s = cfg->timeout_s,
    };
    wb_test t = {
        .strategy = s,
        .ctx = &ctx,
        .fn = wb_strategy_fn_for(s, cfg->target.kind, NULL),
        .timeout_s = cfg->timeout_s,
        .insert_left_version1 = insert_left_version1,
        .check_changed = check_changed,
    };
    if (skipped_by_probe(st, s, &r)) {
        /* not started at all: nothing to prepare, run or verify */
    } else if (external && external_output_dir(st, c, &r, output_dir, sizeof output_dir, &e) != 0) {
        own_fault(st, &r, "cannot make the program's output directory", e.msg);
    } else if (st->x->prepare(st->x->impl, &t, &before, &e) != 0) {
        r.status = WB_STATUS_FAILED;
        snprintf(r.error, sizeof r.error, "could not prepare the tables: %s", e.msg);
    } else {
        st->console.test = r.test;
        st->console.total_rows = rows * cfg->workload->ntables;
        if (st->x->execute(st->x->impl, &t, wb_console_progress, &st->console, &o, &e) != 0) {
            own_fault(st, &r, "cannot start the test's process", e.msg);
        } else if (o.status == WB_STATUS_FAILED && o.storage_errno) {
            /* the database's file could not grow: the machine's fault, the strategy's never */
            char what[160];
            snprintf(what, sizeof what, "the database's file cannot grow (%s)", strerror(o.storage_errno));
            own_fault(st, &r, what, o.error);
        } else {
            r.status = o.status;
            snprintf(r.error, sizeof r.error, "%s", o.error);
            r.duration_s = o.duration_s;
            r.process_s = o.process_s;
            r.cache_lookups = o.cache_lookups;
            r.stale_reads = o.stale_reads;
            r.connect_s = o.connect_s;
            r.cpu_user_s = o.cpu_user_s;
            r.cpu_sys_s = o.cpu_sys_s;
            r.peak_rss_kb = o.peak_rss_kb;
            r.server_peak_rss_kb = o.server_peak_rss_kb;
            r.lock_waits = o.lock_waits;
            r.lock_wait_s = o.lock_wait_s;
            r.transaction_retries = o.transaction_retries;
            if (o.batches > 0) { /* none recorded: unknown, not zero */
                r.batches = o.batches;
                r.batch_p50_ms = o.batch_p50_ms;
                r.batch_p95_ms = o.batch_p95_ms;
                r.batch_p99_ms = o.batch_p99_ms;
                r.batch_max_ms = o.batch_max_ms;
            }
            if (!isnan(o.duration_s) && o.duration_s > 0)
                r.rows_per_s = (double)(rows * cfg->workload->ntables) / o.duration_s;
            wb_snapshot after;
            if (o.interrupted)
                stop_run(st, WB_STOP_INTERRUPTED, "interrupted by %s", signal_name(st->x->interrupted(st->x->impl)));
            else if (st->x->check(st->x->impl, &t, &o, &after, &r) == 0)
                measure(st, &t, &before, &after, &o, &r);
            if (external)
                forget_unmeasured(st, &r);
        }
        if (external)
            log_program_stderr(st, &r, output_dir);
    }
    if (st->stop && o.interrupted) {
        wb_console_clear(&st->console);
        wb_run_files_log(st->files, "%s: interrupted by the user; not recorded", r.test);
        return 0;
    }

    r.success = r.status == WB_STATUS_OK;
    if (r.success && (s->flags & WB_STRAT_REFERENCE))
        st->reference_rate[phase] = r.rows_per_s;
    if (r.success && (s->flags & WB_STRAT_CLIENT_FLOOR)) {
        st->floor_s[phase] = r.duration_s;
        st->floor_rows[phase] = rows;
    } else if (r.success && !isnan(st->reference_rate[phase]) && st->reference_rate[phase] > 0) {
        r.server_share = r.rows_per_s / st->reference_rate[phase];
    }
    /* The client's share: the floor's time for this many rows, spread over this
     * test's threads (the client work is split between them), over its duration. */
    if (r.success && !(s->flags & WB_STRAT_CLIENT_FLOOR) && !isnan(st->floor_s[phase]) && st->floor_rows[phase] > 0 &&
        r.duration_s > 0)
        r.client_share = st->floor_s[phase] * ((double)rows / (double)st->floor_rows[phase]) / (double)threads /
                         r.duration_s;
    if (!r.success && r.status != WB_STATUS_SKIPPED && r.status != WB_STATUS_NOT_MEASURED)
        st->failed++;

    if (wb_run_files_add(st->files, &r, &e) != 0) {
        fprintf(stderr, "writebench: cannot record the result of %s: %s (writebench's own error, not the "
                        "strategy's); stopping the run\n",
                r.test, e.msg);
        stop_run(st, WB_STOP_OWN_FAULT, "writebench's own error: cannot record a result: %s", e.msg);
    }
    char verified[48] = "not verified";
    if (r.rows_verified >= 0)
        snprintf(verified, sizeof verified, "%lld rows verified", (long long)r.rows_verified);
    /* A skipped or crashed test's error already starts with its status ("skipped: ..."). */
    const char *detail = wb_result_error_detail(&r);
    wb_run_files_log(st->files, "%s: %s%s%s (%.6f s, %s)", r.test, wb_status_name(r.status), detail[0] ? ": " : "",
                     detail, isnan(r.duration_s) ? 0.0 : r.duration_s, verified);
    wb_console_result(&st->console, &r);
    remember(st, &r);
    return r.success;
}

/* After a failed test: is the database still there? If not, end the run cleanly. */
static void check_still_reachable(run_state *st)
{
    wb_error e = {{0}};
    if (st->x->reachable(st->x->impl, &e) != 0) {
        fprintf(stderr, "writebench: the database cannot be reached any more (%s); stopping the run\n", e.msg);
        wb_run_files_log(st->files, "database unreachable, run stopped: %s", e.msg);
        stop_run(st, WB_STOP_UNREACHABLE, "database unreachable: %s", e.msg);
    }
}

/* Append a scan list as "1,000 / 10,000". */
static void format_list(wb_buf *out, const int64_t *values, int n)
{
    for (int i = 0; i < n; i++) {
        char v[32];
        wb_format_count(v, sizeof v, values[i]);
        wb_buf_printf(out, "%s%s", i ? " / " : "", v);
    }
}

static void print_header(run_state *st)
{
    const wb_run_config *cfg = st->cfg;
    char slow[32];
    wb_format_count(slow, sizeof slow, cfg->slow_rows_limit);
    wb_buf tables = WB_BUF_INIT, rows = WB_BUF_INIT, batch = WB_BUF_INIT, threads = WB_BUF_INIT;
    table_list(cfg->workload, &tables);
    format_list(&rows, cfg->rows_list, cfg->nrows);
    format_list(&batch, cfg->batch_list, cfg->nbatch);
    format_list(&threads, cfg->threads_list, cfg->nthreads);
    int64_t largest_rows = cfg->rows_list[0];
    for (int i = 1; i < cfg->nrows; i++)
        if (cfg->rows_list[i] > largest_rows)
            largest_rows = cfg->rows_list[i];
    printf("writebench run %s\n", st->run_id);
    printf("  database:  %s %s, %s\n", st->backend->name, st->server_version, cfg->target.url_redacted);
    printf("  workload:  %s (%s), %s rows per table", cfg->workload->name, wb_buf_str(&tables), wb_buf_str(&rows));
    if (cfg->slow_rows_limit < largest_rows)
        printf("; slow strategies at most %s rows (marked slow)", slow);
    printf("\n  settings:  batch %s, threads %s, repeat %lld, timeout %g s, verify %s\n", wb_buf_str(&batch),
           wb_buf_str(&threads), (long long)cfg->repeat, cfg->timeout_s,
           cfg->verify == WB_VERIFY_COUNT ? "count" : "values");
    for (int i = 0; i < cfg->nsettings; i++) {
        const wb_setting_axis *a = &cfg->settings[i];
        printf("  %-10s %s = ", a->pragma ? "pragma:" : "set:", a->name);
        for (int v = 0; v < a->nvalues; v++)
            printf("%s%s", v ? " / " : "", a->values[v]);
        printf("\n");
    }
    int combinations = cfg->nrows * cfg->nbatch * cfg->nthreads * wb_run_settings_combinations(cfg);
    if (combinations > 1)
        printf("  scan:      %d combinations of rows, batch, threads%s\n", combinations,
               cfg->nsettings ? " and settings" : "");
    printf("  results:   %s/\n\n", wb_run_files_dir(st->files));
    wb_console_titles(&st->console);
    fflush(stdout);
    wb_buf_free(&tables);
    wb_buf_free(&rows);
    wb_buf_free(&batch);
    wb_buf_free(&threads);
}

static void print_footer(run_state *st)
{
    wb_console_summary(st->results, st->nresults);
    if (st->cfg->after_rankings)
        st->cfg->after_rankings(st->cfg->after_rankings_arg, st->results, st->nresults, wb_run_files_dir(st->files));
    int verified = 0, skipped = 0, not_written = 0;
    double verify_s = 0;
    for (int i = 0; i < st->nresults; i++) {
        int wrote = strcmp(st->results[i].verify, "none") != 0;
        verified += st->results[i].success && wrote;
        not_written += st->results[i].success && !wrote;
        skipped += st->results[i].status == WB_STATUS_SKIPPED;
        if (!isnan(st->results[i].verify_s))
            verify_s += st->results[i].verify_s;
    }
    wb_buf others = WB_BUF_INIT;
    if (skipped)
        wb_buf_printf(&others, ", %d skipped", skipped);
    if (not_written)
        wb_buf_printf(&others, ", %d wrote nothing by design (generate-only)", not_written);
    printf("\n%d of %d tests %s%s.\n", verified, st->nresults,
           st->cfg->verify == WB_VERIFY_COUNT ? "counted" : "verified", wb_buf_str(&others));
    wb_buf_free(&others);
    printf("verification: %.3f s in all, outside the timed regions\n", verify_s);
    if (st->stop)
        printf("run cut short: %s\n", st->stop_reason);
    if (access(wb_run_files_dir(st->files), F_OK) == 0)
        printf("results:  %s/ (results.csv, results.json, run.conf, code.diff, run.log)\n", wb_run_files_dir(st->files));
    else /* removed under the run: the error said so; do not point at what is gone */
        printf("results:  %s/ is gone: it was removed during the run\n", wb_run_files_dir(st->files));
    if (st->cfg->target.path[0]) {
        /* A database file: the binary that ran, not "writebench", which may not be on $PATH: the hint
         * is pasted as it is, so every word is quoted for the shell where needed. */
        wb_buf hint = WB_BUF_INIT;
        wb_shell_word(wb_self_path(), &hint);
        wb_buf_puts(&hint, " count --db ");
        wb_shell_word(st->cfg->target.url_redacted, &hint);
        wb_buf_puts(&hint, " --workload ");
        /* a workload from a file is found again by its path */
        const wb_workload *w = st->cfg->workload;
        wb_shell_word(wb_workload_is_shipped(w) ? w->name : w->path, &hint);
        printf("database: %s keeps what the last test wrote; see it with\n          %s\n", st->cfg->target.path,
               wb_buf_str(&hint));
        wb_buf_free(&hint);
    }
    fflush(stdout);
}

/* The overhead for a test's thread count, measured the first time it is needed (every
 * test's connections are alike but for their number: the same target, the same
 * settings, only their values differ). */
static int64_t commit_overhead(run_state *st, const wb_test *t)
{
    int threads = t->ctx->threads;
    if (threads < 1 || threads > WB_MAX_THREADS)
        return 0;
    if (st->commit_overhead[threads] < 0)
        st->commit_overhead[threads] = st->x->calibrate_commits(st->x->impl, t);
    return st->commit_overhead[threads];
}

/* The i-th strategy to run: references first, then the others in the order given. */
static const wb_strategy *run_order(const wb_run_config *cfg, int i)
{
    int seen = 0;
    for (int pass = 0; pass < 2; pass++)
        for (int k = 0; k < cfg->nstrategies; k++) {
            int is_reference = (cfg->strategies[k]->flags & WB_STRAT_RUNS_FIRST) != 0;
            if (is_reference == (pass == 0) && seen++ == i)
                return cfg->strategies[k];
        }
    return cfg->strategies[i];
}

int wb_run_settings_combinations(const wb_run_config *cfg)
{
    int n = 1;
    for (int i = 0; i < cfg->nsettings; i++)
        n *= cfg->settings[i].nvalues > 0 ? cfg->settings[i].nvalues : 1;
    return n;
}

int wb_run_settings_apply(const wb_run_config *cfg, int k, wb_target *t, char *label, size_t label_size, wb_error *e)
{
    if (label_size)
        label[0] = '\0';
    size_t used = 0;
    /* the last setting varies fastest: its index is k's lowest "digit" */
    int index[WB_MAX_SETTING_AXES];
    for (int i = cfg->nsettings - 1; i >= 0; i--) {
        int n = cfg->settings[i].nvalues > 0 ? cfg->settings[i].nvalues : 1;
        index[i] = k % n;
        k /= n;
    }
    for (int i = 0; i < cfg->nsettings; i++) {
        const wb_setting_axis *a = &cfg->settings[i];
        char assignment[sizeof a->name + sizeof a->values[0] + 2];
        snprintf(assignment, sizeof assignment, "%s=%s", a->name, a->values[index[i]]);
        int rc = a->pragma ? wb_target_add_pragma(t, assignment, e) : wb_target_add_session_setting(t, assignment, e);
        if (rc != 0)
            return -1;
        if (used < label_size)
            used += (size_t)snprintf(label + used, label_size - used, "%s%s", i ? ";" : "", assignment);
    }
    return 0;
}

/* Every combination of the scan: rows x settings x batch x threads. */
static int scan_size(const wb_run_config *cfg)
{
    return cfg->nrows * wb_run_settings_combinations(cfg) * cfg->nbatch * cfg->nthreads;
}

/* The scan's k-th combination of rows, settings, batch and threads (threads vary
 * fastest, rows slowest: a row count's reference runs first, for each settings). */
static combination combination_at(const wb_run_config *cfg, int k)
{
    combination c;
    int nsettings = wb_run_settings_combinations(cfg);
    c.threads_index = k % cfg->nthreads;
    c.batch_index = (k / cfg->nthreads) % cfg->nbatch;
    c.settings_index = (k / (cfg->nthreads * cfg->nbatch)) % nsettings;
    int rows_index = k / (cfg->nthreads * cfg->nbatch * nsettings);
    c.rows = cfg->rows_list[rows_index];
    c.batch = cfg->batch_list[c.batch_index];
    c.threads = cfg->threads_list[c.threads_index];
    c.slow_rows = cfg->slow_rows_limit < c.rows ? cfg->slow_rows_limit : c.rows;
    return c;
}

/* Whether combination c runs strategy s (see run_combination). */
static int combination_runs(const combination *c, const wb_strategy *s)
{
    return !((c->batch_index > 0 && !(s->flags & WB_STRAT_BATCH)) ||
             (c->threads_index > 0 && !(s->flags & WB_STRAT_THREADS)));
}

/* Every selected strategy at the scan's k-th combination. A strategy that ignores
 * --batch (or --threads) runs only at the first batch (threads) value: the other
 * values would repeat the very same test. */
static void run_combination(run_state *st, int64_t repeat, int k)
{
    const wb_run_config *cfg = st->cfg;
    combination c = combination_at(cfg, k);
    if (st->test_target) {
        /* The combination's settings on the strategies' connections; the backend took
         * every value before the run started (wb_run), so it takes them now. */
        wb_error e = {{0}};
        *st->test_target = *st->target;
        if (wb_run_settings_apply(cfg, c.settings_index, st->test_target, st->settings, sizeof st->settings, &e) != 0)
            stop_run(st, WB_STOP_OWN_FAULT, "writebench's own error: the settings of a combination: %s", e.msg);
    }
    /* The reference ignores batch and threads, so it runs in the first combination of
     * each row count and settings and stays the reference for the others of them. */
    if (c.batch_index == 0 && c.threads_index == 0) {
        st->reference_rate[WB_PHASE_INSERT] = st->reference_rate[WB_PHASE_UPDATE] = NAN;
        st->floor_s[WB_PHASE_INSERT] = st->floor_s[WB_PHASE_UPDATE] = NAN;
    }
    for (int i = 0; i < cfg->nstrategies && !st->stop; i++) {
        /* The reference runs first so every other test can be given its share of it. */
        const wb_strategy *s = run_order(cfg, i);
        if (!combination_runs(&c, s))
            continue;
        int left_version1 = 0;
        if (s->passes & WB_PASS_INSERT) {
            left_version1 = run_test(st, &c, s, WB_PHASE_INSERT, repeat, 0);
            if (!left_version1 && !st->stop)
                check_still_reachable(st);
        }
        if ((s->passes & WB_PASS_UPDATE) && !st->stop) {
            if (!run_test(st, &c, s, WB_PHASE_UPDATE, repeat, left_version1) && !st->stop)
                check_still_reachable(st);
        }
    }
}

/* The tests a whole run makes: every pass of every strategy in every combination it
 * runs in, --repeat times. Recorded so that a run cut short says "3 of 21 tests". */
static int64_t planned_tests(const wb_run_config *cfg)
{
    int64_t per_repeat = 0;
    int combinations = scan_size(cfg);
    for (int k = 0; k < combinations; k++) {
        combination c = combination_at(cfg, k);
        for (int i = 0; i < cfg->nstrategies; i++)
            if (combination_runs(&c, cfg->strategies[i]))
                per_repeat += ((cfg->strategies[i]->passes & WB_PASS_INSERT) != 0) +
                              ((cfg->strategies[i]->passes & WB_PASS_UPDATE) != 0);
    }
    return per_repeat * cfg->repeat;
}

/* Make the run's directory with run.conf and code.diff; on failure say so in one
 * line and leave nothing behind. */
static int open_run_files(const wb_run_config *cfg, const char *run_id, const char *server_version,
                          const char *settings, wb_run_files **files)
{
    wb_error e = {{0}};
    wb_buf conf = WB_BUF_INIT;
    if (wb_run_files_open(cfg->results_dir, run_id, files, &e) != 0) {
        fprintf(stderr, "writebench: %s (writebench's own error; nothing was measured)\n", e.msg);
        return -1;
    }
    wb_conf_text(cfg, run_id, server_version, settings, &conf);
    int rc = wb_run_files_write_conf(*files, wb_buf_str(&conf), &e);
    wb_buf_free(&conf);
    wb_buf external_lines = WB_BUF_INIT, workload_lines = WB_BUF_INIT;
    if (cfg->externals)
        wb_external_describe(cfg->externals, &external_lines);
    wb_buf_printf(&workload_lines, "workload: %s\nworkload file: %s\nworkload sha256: %s\n", cfg->workload->name,
                  cfg->workload->path, cfg->workload->sha256);
    if (rc == 0)
        rc = wb_run_files_write_code_diff_with(*files, wb_buf_str(&workload_lines), wb_buf_str(&external_lines), &e);
    wb_buf_free(&workload_lines);
    wb_buf_free(&external_lines);
    if (rc != 0) {
        fprintf(stderr, "writebench: %s (writebench's own error; nothing was measured)\n", e.msg);
        wb_run_files_discard(*files); /* nothing measured: no half-made run directory */
        *files = NULL;
        return -1;
    }
    return 0;
}

/* Before the first test: every combination of the settings' values on a connection
 * like the strategies', so that a value the server refuses (a setting the role may not
 * change) stops the run now, with the server's reason, rather than fail every test.
 * --set needs the settings to stay on the connection: behind a transaction pooler a
 * SET would land on some shared server session, so it is refused. */
static int check_settings(const wb_run_config *cfg, const wb_db_executor *dx, const wb_target *client, wb_error *e)
{
    int sets = 0;
    for (int i = 0; i < cfg->nsettings; i++)
        sets += !cfg->settings[i].pragma;
    int bit = 0;
    while (bit < WB_CAP_COUNT && (1u << bit) != WB_CAP_SESSION_STATE)
        bit++;
    if (sets && (dx->probe.missing & WB_CAP_SESSION_STATE))
        return wb_fail(e, "--set needs %s, which this connection lacks: %s", wb_capability_name(WB_CAP_SESSION_STATE),
                       dx->probe.why[bit]);
    /* each value alone, so that the refusal names the one at fault */
    int rc = 0;
    wb_target *t = wb_xmalloc(sizeof *t);
    for (int i = 0; i < cfg->nsettings && rc == 0; i++)
        for (int v = 0; v < cfg->settings[i].nvalues && rc == 0; v++) {
            const wb_setting_axis *a = &cfg->settings[i];
            char assignment[sizeof a->name + sizeof a->values[0] + 2];
            snprintf(assignment, sizeof assignment, "%s=%s", a->name, a->values[v]);
            *t = *client;
            wb_conn *c = NULL;
            rc = a->pragma ? wb_target_add_pragma(t, assignment, e) : wb_target_add_session_setting(t, assignment, e);
            if (rc == 0 && dx->backend->connect(t, &c, e) != 0)
                rc = wb_fail_prefix(e, "%s %s is refused: ", a->pragma ? "--pragma" : "--set", assignment);
            dx->backend->disconnect(c);
        }
    free(t);
    return rc;
}

/* An outcome before anything ran. */
static void outcome_init(wb_run_outcome *out)
{
    memset(out, 0, sizeof *out);
    out->stop = WB_STOP_NOT_STARTED;
}

void wb_run_tests(const wb_run_config *cfg, const wb_run_start *start, const wb_executor *executor,
                  wb_run_outcome *out)
{
    run_state state;
    run_state *st = &state;
    memset(st, 0, sizeof *st);
    st->cfg = cfg;
    st->x = executor;
    st->backend = start->backend;
    st->target = start->target;
    st->run_id = start->run_id;
    st->server_version = start->server_version;
    st->probe = start->probe;
    st->files = start->files;
    outcome_init(out);
    wb_error e = {{0}};
    out->tests_planned = planned_tests(cfg);
    wb_run_files_set_planned(st->files, out->tests_planned);

    for (int t = 0; t <= WB_MAX_THREADS; t++)
        st->commit_overhead[t] = -1;
    wb_console_init(&st->console);
    st->console.scan = cfg->nbatch > 1 || cfg->nthreads > 1;
    st->console.settings_scan = wb_run_settings_combinations(cfg) > 1;
    if (cfg->nsettings) {
        st->test_target = wb_xmalloc(sizeof *st->test_target);
        *st->test_target = *st->target;
    }
    for (int i = 0; i < cfg->nstrategies; i++) { /* "<name>-update [python]" */
        const wb_external *x = wb_external_of(cfg->strategies[i]);
        int width = (int)strlen(cfg->strategies[i]->name) + (int)strlen("-update") + (x ? (int)strlen(x->language) + 3 : 0);
        if (width > st->console.test_width)
            st->console.test_width = width;
    }
    wb_run_files_log(st->files, "run started: %s %s, %s", st->backend->name, st->server_version,
                     cfg->target.url_redacted);
    print_header(st);

    /* Repeats outermost, so that drift of a shared machine spreads over every
     * combination of the scan instead of landing on one. */
    int combinations = scan_size(cfg);
    for (int64_t repeat = 1; repeat <= cfg->repeat && !st->stop; repeat++)
        for (int k = 0; k < combinations && !st->stop; k++)
            run_combination(st, repeat, k);

    int interrupted = executor->interrupted(executor->impl);
    if (interrupted) /* between two tests: no test saw it */
        stop_run(st, WB_STOP_INTERRUPTED, "interrupted by %s", signal_name(interrupted));
    wb_run_files_log(st->files, "run ended: %d tests, %d failed%s%s", st->nresults, st->failed,
                     st->stop ? "; cut short: " : "", st->stop ? st->stop_reason : "");
    if (wb_run_files_finish(st->files, st->stop ? st->stop_reason : NULL, &e) != 0) {
        /* one line per fault: a write that failed already said so, and this one
         * fails for the same reason */
        if (!st->own_fault)
            fprintf(stderr, "writebench: cannot mark the run's end in results.json: %s (writebench's own error)\n",
                    e.msg);
        st->own_fault = 1;
    }
    print_footer(st);

    out->stop = st->stop;
    _Static_assert(sizeof out->stop_reason == sizeof st->stop_reason, "the reason is copied whole");
    memcpy(out->stop_reason, st->stop_reason, sizeof out->stop_reason); /* "" when not stopped */
    out->interrupt_signal = interrupted;
    out->own_fault = st->own_fault;
    out->tests_run = st->nresults;
    out->failed = st->failed;
    for (int i = 0; i < st->nresults; i++) {
        out->skipped += st->results[i].status == WB_STATUS_SKIPPED;
        out->not_measured += st->results[i].status == WB_STATUS_NOT_MEASURED;
    }
    out->results = st->results;
    if (st->own_fault && wb_run_files_count(st->files) == 0) {
        /* writebench failed before it measured anything: leave nothing behind
         * (the fault itself was said in one line already) */
        wb_run_files_log(st->files, "nothing was measured: the run directory is removed");
        wb_run_files_discard(st->files);
        free(st->test_target);
        return;
    }
    snprintf(out->run_dir, sizeof out->run_dir, "%s", wb_run_files_dir(st->files));
    wb_run_files_close(st->files);
    free(st->test_target);
}

void wb_run_outcome_free(wb_run_outcome *out)
{
    free(out->results);
    out->results = NULL;
}

void wb_run(const wb_run_config *cfg, wb_run_outcome *out)
{
    outcome_init(out);
    const wb_backend *backend = wb_backend_get(cfg->target.kind);
    if (!backend) {
        fprintf(stderr, "writebench: this backend is not built in yet\n");
        return;
    }
    /* From here on Ctrl-C ends the run cleanly: the throwaway cluster is stopped and
     * removed, and every finished result is already on disk. */
    wb_interrupt_install();
    /* The run's own copy of the target (large: paths), which it may change. Our
     * connections' name on the server, unique to this run, so that waiting for them
     * to end (backend await_others) never waits for another run's. */
    wb_target *target = wb_xmalloc(sizeof *target);
    *target = cfg->target;
    snprintf(target->application_name, sizeof target->application_name, "writebench-run-%d", (int)getpid());
    wb_error e = {{0}};
    wb_buf settings = WB_BUF_INIT;
    wb_temp_server *server = NULL;
    wb_db_lock *lock = NULL; /* one run per database: held for the whole run */
    char run_id[64];
    wb_run_id_make(run_id, sizeof run_id); /* made here: the lock names it */
    if (cfg->target.temp_server && !backend->temp_server_start) {
        fprintf(stderr, "writebench: %s has no throwaway server\n", backend->display_name);
        free(target);
        return;
    }
    if (cfg->target.temp_server) {
        fprintf(stderr, "writebench: starting a throwaway %s...\n", backend->temp_server_noun);
        if (backend->temp_server_start(target, &server, &e) != 0) {
            fprintf(stderr, "writebench: %s %s\n", cfg->target.url_redacted, e.msg);
            free(target);
            return;
        }
        backend->temp_server_describe(server, &settings);
    }
    /* A throwaway server with parts: writebench's own connections (the lock, reset,
     * readings, verification) go to the primary itself, past a pooler in front; a standby
     * is verified after every test. */
    wb_target *direct = NULL, *standby = NULL;
    if (server && wb_backend_v3(backend) && backend->temp_server_reach) {
        direct = wb_xmalloc(sizeof *direct);
        *direct = *target;
        if (!backend->temp_server_reach(server, WB_TEMP_PRIMARY, direct) || strcmp(direct->conninfo, target->conninfo) == 0) {
            free(direct);
            direct = NULL;
        }
        standby = wb_xmalloc(sizeof *standby);
        *standby = *target;
        if (!backend->temp_server_reach(server, WB_TEMP_STANDBY, standby)) {
            free(standby);
            standby = NULL;
        }
    }
    /* the workload's C and SQL definitions are held to each other up to the run's last key */
    int64_t last_key = 1;
    for (int i = 0; i < cfg->nrows; i++)
        last_key = cfg->rows_list[i] > last_key ? cfg->rows_list[i] : last_key;
    wb_db_executor dx = {.backend = backend, .target = direct ? direct : target, .workload = cfg->workload,
                         .verify = cfg->verify, .check_last_key = last_key, .client = direct ? target : NULL,
                         .standby = standby, .server = server};
    int opened = wb_db_executor_open(&dx, run_id, &settings, &lock, &e) == 0;
    if (!opened || check_settings(cfg, &dx, target, &e) != 0) {
        fprintf(stderr, "writebench: %s\n", e.msg);
        /* The default database made for a run that cannot start: a refused input leaves nothing. */
        if (backend->discard_target)
            backend->discard_target(&cfg->target);
    } else if (open_run_files(cfg, run_id, dx.server_version, wb_buf_str(&settings), &dx.files) == 0) {
        wb_executor x = wb_db_executor_get(&dx);
        wb_run_start start = {
            .run_id = run_id,
            .server_version = dx.server_version,
            .backend = backend,
            .target = target,
            .files = dx.files,
            .probe = &dx.probe,
        };
        wb_run_tests(cfg, &start, &x, out);
    }
    wb_db_lock_release(lock);
    wb_buf_free(&settings);
    if (server)
        backend->temp_server_stop(server);
    free(direct);
    free(standby);
    free(target);
}

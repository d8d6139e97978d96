/* `writebench profile`: load the workload with one fast verified strategy, then
 * measure the workload's typical reads (latency and plan), and the index
 * trade-off: the same load and reads without each secondary index and
 * constraint, and with each candidate index the reads would want, each effect
 * judged against the noise of its repeats. Results go to a run directory like
 * a run's, with profile.csv (docs/FORMATS.md). Whatever happens, profile ends
 * with the tables as `setup` makes them and a throwaway cluster removed. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "backends/echo.h"
#include "backends/lock.h"
#include "cli/cli.h"
#include "profile/profile.h"
#include "profile/profile_report.h"
#include "runner/child.h"
#include "runner/run.h"
#include "runner/run_files.h"
#include "util/csv.h"
#include "util/fs.h"
#include "workloads/check.h"

#define WB_STR_(x) #x
#define WB_STR(x) WB_STR_(x)

#define DEFAULT_ROWS 100000
#define DEFAULT_REPEAT 200
#define DEFAULT_BATCH 1000
#define DEFAULT_LOAD_REPEAT 3
#define MAX_ROWS 1000000000LL
#define MAX_REPEAT 10000000LL
#define MAX_BATCH 100000000LL
#define MAX_TIMEOUT_S (7 * 24 * 3600)

typedef struct profile_options {
    const char *db;
    const char *schema;
    const char *workload;
    int64_t rows;
    int64_t repeat;
    int64_t load_repeat;
    int64_t batch;
    double timeout_s;
    const char *strategy;
    const char *results;
    wb_opt_list pragmas;
    int baseline_only;
    int no_cache;
    int report;
    const char *zipf;
    int64_t cache_capacity;
    int64_t cache_lookups;
    int echo;
} profile_options;

#define OPT(name, kind, field, value, help, min, max) \
    {name, kind, offsetof(profile_options, field), value, help, min, max}

static const wb_opt profile_opts[] = {
    OPT("--db", WB_OPT_DB, db, "URL",
        "the database to profile in: sqlite:///path/file.db (a file writebench creates and owns), "
        "postgresql://... / a libpq conninfo (writebench works in its own schema), pg-temp: (a "
        "throwaway local PostgreSQL cluster, removed at the end), mariadb://... (its own database) or "
        "mariadb-temp:. Default: a new SQLite file in a fresh temporary directory.", 0, 0),
    OPT("--schema", WB_OPT_STRING, schema, "NAME",
        "PostgreSQL: writebench's schema. Default: writebench.", 0, 0),
    OPT("--workload", WB_OPT_STRING, workload, "NAME|FILE",
        "users, products, or the path of a workload file. Default: products.", 0, 0),
    OPT("--rows", WB_OPT_INT64, rows, "N",
        "rows per table loaded before the reads. Default: " WB_STR(DEFAULT_ROWS) ".", 1, MAX_ROWS),
    OPT("--repeat", WB_OPT_INT64, repeat, "K",
        "executions of each read (after one untimed warm-up). Default: " WB_STR(DEFAULT_REPEAT) ".", 1,
        MAX_REPEAT),
    OPT("--load-repeat", WB_OPT_INT64, load_repeat, "L",
        "loads per variant, from the same empty state; the median load time counts. Default: "
        WB_STR(DEFAULT_LOAD_REPEAT) ".", 1, WB_PROFILE_MAX_LOADS),
    OPT("--strategy", WB_OPT_STRING, strategy, "NAME",
        "the insert strategy that loads the rows, or fastest: load once with every insert "
        "strategy (not the slow ones) and keep the fastest that verified. Default: "
        "values-multirow on SQLite, copy-binary on PostgreSQL (among the fastest in the README's "
        "runs that keep the indexes in place; 'fastest' measures it on your database).", 0, 0),
    OPT("--timeout", WB_OPT_SECONDS, timeout_s, "SECONDS",
        "stop a load that runs longer (it runs in a child process, as run's tests do) and fail "
        "its variant. Default: " WB_STR(WB_DEFAULT_TIMEOUT_S) ".", 0, MAX_TIMEOUT_S),
    OPT("--batch", WB_OPT_INT64, batch, "B",
        "rows per batch for a loading strategy that batches. Default: " WB_STR(DEFAULT_BATCH) ".", 1,
        MAX_BATCH),
    OPT("--results", WB_OPT_STRING, results, "DIR",
        "where run directories are kept. Default: results.", 0, 0),
    OPT("--pragma", WB_OPT_LIST, pragmas, "NAME=VALUE",
        "a SQLite PRAGMA (MariaDB: a session variable) for every connection, replacing the default "
        "of that name; may be repeated.",
        0, 0),
    OPT("--baseline-only", WB_OPT_FLAG, baseline_only, NULL,
        "measure the workload's schema only, without the index trade-off.", 0, 0),
    OPT("--report", WB_OPT_FLAG, report, NULL,
        "at the end, write the profile's HTML report (report.html in its run directory) and print "
        "its path.", 0, 0),
    OPT("--no-cache", WB_OPT_FLAG, no_cache, NULL,
        "skip the caching study (Zipf point lookups: plain, prepared and through an LRU cache; "
        "stale reads after updates with and without invalidation).", 0, 0),
    OPT("--zipf", WB_OPT_STRING, zipf, "S",
        "the caching study's Zipf exponent (0 < S <= 10; larger is more skewed). Default: 1.0.", 0, 0),
    OPT("--cache-capacity", WB_OPT_INT64, cache_capacity, "N",
        "LRU cache entries. Default: a tenth of --rows (at least 1).", 1, MAX_ROWS),
    OPT("--cache-lookups", WB_OPT_INT64, cache_lookups, "N",
        "point lookups per path in the caching study. Default: 10000.", 1, MAX_REPEAT),
    OPT("--echo", WB_OPT_FLAG, echo, NULL,
        "print every SQL statement writebench sends, with its duration, to stderr (long "
        "values elided), and a per-statement summary (count, total, mean, p95, max) after "
        "the set-up, each strategy tried by --strategy fastest, each variant and the caching "
        "study. The measured latencies then include the echo's own cost.", 0, 0),
    WB_OPT_END,
};

/* The default loading strategy: the first of these the backend runs (by its
 * capabilities: COPY where there is COPY), among the fastest in the README's figures. */
static const char *const default_strategies[] = {"copy-binary", "values-multirow", NULL};

static const char *default_strategy(wb_backend_kind kind)
{
    for (const char *const *name = default_strategies; *name; name++) {
        const wb_strategy *s = wb_strategy_find(*name);
        if (s && wb_strategy_fn_for(s, kind, NULL))
            return *name;
    }
    return "fastest";
}

/* The loading strategy: an insert strategy the backend runs. load-then-index is
 * refused: it rebuilds every index of the table, undoing the variant's change.
 * Test-only strategies (visible only with WRITEBENCH_TEST_STRATEGIES=1) may load
 * too, so that writebench's tests can make a load crash or hang. */
static int pick_strategy(const profile_options *o, wb_backend_kind kind, const wb_strategy **out)
{
    const char *name = o->strategy ? o->strategy : default_strategy(kind);
    if (strcmp(name, "fastest") == 0) { /* chosen by measuring, once the database is there */
        *out = NULL;
        return 0;
    }
    *out = wb_strategy_find(name);
    if (!*out) {
        wb_buf near = WB_BUF_INIT;
        wb_strategy_suggest(name, &near);
        wb_cli_fail("profile", "unknown strategy '%s'%s%s", name, near.len ? "; did you mean " : "",
                    wb_buf_str(&near));
        wb_buf_free(&near);
        return 2;
    }
    int inserts = strcmp((*out)->family, "insert") == 0 || ((*out)->flags & WB_STRAT_TEST_ONLY);
    if (!inserts || !((*out)->passes & WB_PASS_INSERT))
        return wb_cli_fail("profile", "--strategy %s is not an insert strategy", name);
    if ((*out)->flags & WB_STRAT_REBUILDS_INDEXES)
        return wb_cli_fail("profile", "--strategy %s rebuilds every index, which the "
                                      "trade-off removes one at a time; choose another", name);
    wb_buf why_not = WB_BUF_INIT;
    int runs = wb_strategy_fn_for(*out, kind, &why_not) != NULL;
    if (!runs)
        wb_cli_fail("profile", "--strategy %s does not run on this backend: %s", name, wb_buf_str(&why_not));
    wb_buf_free(&why_not);
    return runs ? 0 : 2;
}

/* Append the command line with the --db value redacted (it may hold a password). */
static void command_line(int argc, char **argv, const wb_target *t, wb_buf *out)
{
    wb_buf_puts(out, "writebench");
    for (int i = 0; i < argc; i++) {
        const char *arg = argv[i];
        if (strncmp(arg, "--db=", 5) == 0) {
            wb_buf_printf(out, " --db=%s", t->url_redacted);
            continue;
        }
        wb_buf_printf(out, " %s", arg);
        if (strcmp(arg, "--db") == 0 && i + 1 < argc) {
            wb_buf_printf(out, " %s", t->url_redacted);
            i++;
        }
    }
}

/* profile.csv's columns (docs/FORMATS.md); append new ones at the end only. */
static const char *const csv_columns =
    "run_id,backend,workload,rows,strategy,variant,read,repetitions,rows_returned,"
    "mean_us,p50_us,p95_us,p99_us,load_s,load_repetitions,plan,"
    "load_change_pct,load_p,load_verdict,read_change_pct,read_p,read_verdict,"
    "read_kind,read_table,read_columns,rows_checked";

/* Append an effect's three profile.csv fields (",change,p,verdict"); empty when unknown. */
static void csv_effect(wb_buf *line, const wb_effect *ef)
{
    wb_buf_putc(line, ',');
    if (isfinite(ef->change_pct))
        wb_buf_printf(line, "%.3f", ef->change_pct);
    wb_buf_putc(line, ',');
    if (isfinite(ef->p))
        wb_buf_printf(line, "%.4g", ef->p);
    wb_buf_putc(line, ',');
    wb_csv_field_str(line, wb_effect_verdict_name(ef->verdict));
}

/* Append one profile.csv row per read of variant v (flushed, so a cut-short profile keeps them);
 * base is the baseline's result, for the effects. */
static void csv_rows(FILE *f, const char *run_id, const wb_profile_config *cfg, const wb_variant *v,
                     const wb_variant_result *r, const wb_variant_result *base)
{
    wb_effect load = wb_profile_load_effect(v, r, base);
    for (int i = 0; i < r->nreads; i++) {
        const wb_latency *l = &r->latency[i];
        wb_buf line = WB_BUF_INIT;
        wb_csv_field_str(&line, run_id);
        wb_buf_printf(&line, ",%s,%s,%lld,%s,", cfg->backend->name, cfg->workload->name,
                      (long long)cfg->rows, cfg->strategy->name);
        wb_csv_field_str(&line, v->name);
        const wb_read_def *read = &cfg->reads[i];
        wb_buf_putc(&line, ',');
        wb_csv_field_str(&line, read->name);
        wb_buf_printf(&line, ",%lld,%.2f,%.3f,%.3f,%.3f,%.3f,%.6f,%lld,",
                      (long long)l->repetitions, l->rows_returned_mean, l->mean_us, l->p50_us, l->p95_us,
                      l->p99_us, r->load_s, (long long)r->load_repetitions);
        wb_csv_field(&line, r->plan[i].data ? r->plan[i].data : "", r->plan[i].len);
        csv_effect(&line, &load);
        wb_effect read_effect = wb_profile_read_effect(v, r, base, i);
        csv_effect(&line, &read_effect);
        wb_buf_printf(&line, ",%s,", wb_read_kind_name(read->kind));
        wb_csv_field_str(&line, read->kind == WB_READ_JOIN_CHILDREN ? read->parent->name : read->table->name);
        wb_buf_putc(&line, ',');
        wb_csv_field_str(&line, read->columns_text);
        wb_buf_printf(&line, ",%lld\n", (long long)l->rows_checked);
        fputs(wb_buf_str(&line), f);
        wb_buf_free(&line);
    }
    fflush(f);
}

/* Print a variant's load, each read's latency line and its plan lines. */
static void print_variant(const wb_profile_config *cfg, const wb_variant *v, const wb_variant_result *r)
{
    printf("\n== %s: %s\n", v->name, v->subject);
    if (v->note)
        printf("   (%s)\n", v->note);
    printf("load: %.3f s (median of %lld), %lld rows verified\n", r->load_s, (long long)r->load_repetitions,
           (long long)r->rows_verified);
    for (int i = 0; i < r->nreads; i++) {
        const wb_latency *l = &r->latency[i];
        printf("read %s: mean %.1f us, p50 %.1f us, p95 %.1f us, p99 %.1f us (%lld executions, %.1f rows each, "
               "%lld rows checked)\n",
               cfg->reads[i].name, l->mean_us, l->p50_us, l->p95_us, l->p99_us, (long long)l->repetitions,
               l->rows_returned_mean, (long long)l->rows_checked);
        const char *plan = wb_buf_str(&r->plan[i]);
        while (*plan) {
            const char *end = strchr(plan, '\n');
            size_t len = end ? (size_t)(end - plan) : strlen(plan);
            printf("    plan: %.*s\n", (int)len, plan);
            plan += len + (end ? 1 : 0);
        }
    }
    fflush(stdout);
}

/* The reads every variant measures, one line each: "  by-key:products  one products row by its key id". */
static void print_reads(const wb_profile_config *cfg)
{
    printf("reads (from the workload's keys, indexes and foreign keys):\n");
    for (int i = 0; i < cfg->nreads; i++)
        printf("  %s  %s\n", cfg->reads[i].name, cfg->reads[i].description);
    fflush(stdout);
}

/* cache.csv's columns (docs/FORMATS.md); append new ones at the end only. */
static const char *const cache_csv_columns =
    "run_id,backend,workload,table,rows,zipf_s,seed,capacity,distinct_keys,path,lookups,hits,hit_ratio,"
    "mean_us,p50_us,p95_us,p99_us,speedup,updates,stale_reads,stale_ratio";

/* cache_curve.csv's columns (docs/FORMATS.md); append new ones at the end only. */
static const char *const cache_curve_csv_columns =
    "run_id,backend,workload,table,rows,zipf_s,seed,lookups,capacity,hits,hit_ratio";

/* Print the caching study and write cache.csv and cache_curve.csv in the run directory. */
static int report_cache(const wb_cache_study_result *c, const char *run_dir, const char *run_id,
                        const wb_profile_config *cfg)
{
    printf("\ncaching study: %s, %lld rows, Zipf s = %.2f (seed %llu), LRU capacity %lld, "
           "%lld distinct keys among the lookups\n",
           c->table, (long long)c->rows, c->zipf_s, (unsigned long long)c->seed, (long long)c->capacity,
           (long long)c->distinct_keys);
    char path[4200];
    snprintf(path, sizeof path, "%s/cache.csv", run_dir);
    FILE *f = fopen(path, "w");
    if (!f)
        return wb_cli_fail("profile", "cannot create %s", path);
    wb_buf csv = WB_BUF_INIT;
    wb_buf_printf(&csv, "%s\n", cache_csv_columns);
    for (int i = 0; i < WB_CACHE_PATHS; i++) {
        const wb_cache_path_result *p = &c->paths[i];
        printf("  %-9s %lld lookups, mean %.1f us, p50 %.1f us, p95 %.1f us, p99 %.1f us, speedup %.2fx",
               p->name, (long long)p->lookups, p->mean_us, p->p50_us, p->p95_us, p->p99_us, p->speedup);
        if (i == WB_CACHE_PATH_CACHED)
            printf(", hit ratio %.4f", p->hit_ratio);
        printf("\n");
        wb_csv_field_str(&csv, run_id);
        wb_buf_printf(&csv, ",%s,%s,%s,%lld,%.4f,%llu,%lld,%lld,%s,%lld,%lld,%.6f,%.3f,%.3f,%.3f,%.3f,%.4f,,,\n",
                      cfg->backend->name, cfg->workload->name, c->table, (long long)c->rows, c->zipf_s,
                      (unsigned long long)c->seed, (long long)c->capacity, (long long)c->distinct_keys, p->name,
                      (long long)p->lookups, (long long)p->hits, p->hit_ratio, p->mean_us, p->p50_us, p->p95_us,
                      p->p99_us, p->speedup);
    }
    for (int i = 0; i < 2; i++) {
        const wb_cache_stale_result *st = &c->stale[i];
        const char *name = st->invalidate ? "update-invalidate" : "update-no-invalidate";
        printf("  %s: %lld updates, %lld cached lookups, hit ratio %.4f, stale reads %lld (%.2f%% of lookups)\n",
               st->invalidate ? "update pass, invalidation on write" : "update pass, no invalidation      ",
               (long long)st->updates, (long long)st->lookups, st->hit_ratio, (long long)st->stale_reads,
               st->stale_ratio * 100.0);
        wb_csv_field_str(&csv, run_id);
        wb_buf_printf(&csv, ",%s,%s,%s,%lld,%.4f,%llu,%lld,%lld,%s,%lld,%lld,%.6f,,,,,,%lld,%lld,%.6f\n",
                      cfg->backend->name, cfg->workload->name, c->table, (long long)c->rows, c->zipf_s,
                      (unsigned long long)c->seed, (long long)c->capacity, (long long)c->distinct_keys, name,
                      (long long)st->lookups, (long long)st->hits, st->hit_ratio, (long long)st->updates,
                      (long long)st->stale_reads, st->stale_ratio);
    }
    int ok = fputs(wb_buf_str(&csv), f) >= 0;
    ok = (fclose(f) == 0) && ok;
    if (!ok) {
        wb_buf_free(&csv);
        return wb_cli_fail("profile", "cannot write %s", path);
    }
    /* the hit ratio against capacity: the read phase's lookups replayed through the LRU */
    wb_buf_reset(&csv);
    wb_buf_printf(&csv, "%s\n", cache_curve_csv_columns);
    printf("  hit ratio against capacity (the same lookups replayed through the LRU):");
    for (int i = 0; i < c->ncurve; i++) {
        const wb_cache_curve_point *pt = &c->curve[i];
        printf("%s %lld: %.3f", i ? "," : "", (long long)pt->capacity, pt->hit_ratio);
        wb_csv_field_str(&csv, run_id);
        wb_buf_printf(&csv, ",%s,%s,%s,%lld,%.4f,%llu,%lld,%lld,%lld,%.6f\n", cfg->backend->name,
                      cfg->workload->name, c->table, (long long)c->rows, c->zipf_s, (unsigned long long)c->seed,
                      (long long)c->paths[WB_CACHE_PATH_CACHED].lookups, (long long)pt->capacity,
                      (long long)pt->hits, pt->hit_ratio);
    }
    printf("\n");
    snprintf(path, sizeof path, "%s/cache_curve.csv", run_dir);
    wb_error e = {{0}};
    int rc = wb_fs_write_file_atomic(path, csv.data, csv.len, &e);
    wb_buf_free(&csv);
    if (rc != 0)
        return wb_cli_fail("profile", "%s", e.msg);
    return 0;
}

/* "unique index products_name_key: load +12.0%, read by-name -95.1%, read
 * by-category no significant difference, ...": what having each index or
 * constraint costs or saves, on the load and on each read's p50 latency, each
 * judged against the noise of its repeats (wb_profile_effect). */
static void print_tradeoff(const wb_profile_config *cfg, const wb_variant *v, const wb_variant_result *r, int n)
{
    printf("\nindex trade-off (what having each costs or saves: median load time, and p50 latency per read; "
           "+ slower, - faster; \"no significant difference\" when Welch's t-test on the repeats finds none "
           "at 95%%):\n");
    const wb_variant_result *base = &r[0];
    for (int i = 1; i < n; i++) {
        printf("  %s: ", v[i].subject);
        if (v[i].not_possible) {
            printf("%s\n", v[i].not_possible);
            continue;
        }
        if (!r[i].ran || !base->ran) {
            printf("not measured (failed)\n");
            continue;
        }
        wb_buf line = WB_BUF_INIT;
        wb_effect ef = wb_profile_load_effect(&v[i], &r[i], base);
        wb_buf_puts(&line, "load ");
        wb_effect_text(ef.verdict, ef.change_pct, &line);
        for (int k = 0; k < r[i].nreads; k++) {
            ef = wb_profile_read_effect(&v[i], &r[i], base, k);
            wb_buf_printf(&line, ", read %s ", cfg->reads[k].name);
            wb_effect_text(ef.verdict, ef.change_pct, &line);
        }
        printf("%s\n", wb_buf_str(&line));
        wb_buf_free(&line);
    }
}

/* Server version and write settings for run.conf, from one connection, on which
 * the workload's C and SQL definitions are also checked against each other up to
 * key last_key. */
static int describe_target(const wb_backend *b, const wb_target *t, const wb_workload *w, int64_t last_key,
                           wb_buf *version, wb_buf *settings, wb_error *e)
{
    wb_conn *c = NULL;
    char text[256] = "";
    if (b->connect(t, &c, e) != 0 || b->claim_namespace(c, true, e) != 0 ||
        b->server_version(c, text, sizeof text, e) != 0 || wb_workload_check(b, c, w, last_key, e) != 0) {
        b->disconnect(c);
        return -1;
    }
    wb_buf_puts(version, text);
    b->describe_settings(c, settings);
    b->disconnect(c);
    return 0;
}

/* Write run.conf: the settings of this profile, in run.conf's "key = value" form. */
static int write_conf(wb_run_files *files, const char *run_id, const wb_profile_config *cfg, int argc,
                      char **argv, const char *version, const char *settings, wb_error *e)
{
    wb_buf conf = WB_BUF_INIT;
    wb_buf_printf(&conf, "run_id = %s\ncommand = ", run_id);
    command_line(argc, argv, &cfg->target, &conf);
    wb_buf_printf(&conf,
                  "\nkind = profile\nbackend = %s\nserver_version = %s\ndatabase = %s\nworkload = %s\n"
                  "workload_file = %s\nworkload_sha256 = %s\nrows = %lld\nrepeat = %lld\nload_repeat = %lld\nstrategy = %s\nbatch = %lld\ntimeout_s = %g\n%s",
                  cfg->backend->name, version, cfg->target.url_redacted, cfg->workload->name,
                  cfg->workload->path, cfg->workload->sha256, (long long)cfg->rows, (long long)cfg->repeat, (long long)cfg->load_repeat, cfg->strategy->name,
                  (long long)cfg->batch, cfg->timeout_s, settings);
    int rc = wb_run_files_write_conf(files, wb_buf_str(&conf), e);
    wb_buf_free(&conf);
    return rc;
}

/* Run every variant, print and record each; returns the exit status. */
static int profile_all(const wb_profile_config *cfg, const wb_variant *variants, int nvariants,
                       wb_run_files *files, FILE *csv, const char *run_id)
{
    wb_variant_result results[WB_PROFILE_MAX_VARIANTS];
    memset(results, 0, sizeof results);
    int failed = 0;
    for (int i = 0; i < nvariants && !wb_interrupted(); i++) {
        wb_error e = {{0}};
        if (variants[i].not_possible) {
            printf("\n== %s: %s\n%s: skipped\n", variants[i].name, variants[i].subject, variants[i].not_possible);
            wb_run_files_log(files, "%s: skipped, %s", variants[i].name, variants[i].not_possible);
            continue;
        }
        wb_run_files_log(files, "%s: start", variants[i].name);
        if (wb_profile_run_variant(cfg, &variants[i], &results[i], &e) != 0) {
            if (wb_interrupted()) {
                wb_run_files_log(files, "%s: interrupted by the user", variants[i].name);
                break; /* said on stderr once, at the end */
            }
            fprintf(stderr, "writebench profile: %s: %s\n", variants[i].name, e.msg);
            wb_run_files_log(files, "%s: failed: %s", variants[i].name, e.msg);
            failed = 1;
            if (i == 0)
                break; /* without the baseline nothing compares */
            continue;
        }
        print_variant(cfg, &variants[i], &results[i]);
        csv_rows(csv, run_id, cfg, &variants[i], &results[i], &results[0]);
        if (results[i].cache_ran && report_cache(&results[i].cache, wb_run_files_dir(files), run_id, cfg) != 0)
            failed = 1;
        wb_run_files_log(files, "%s: done, load %.3f s", variants[i].name, results[i].load_s);
    }
    if (nvariants > 1 && results[0].ran && !wb_interrupted())
        print_tradeoff(cfg, variants, results, nvariants);
    for (int i = 0; i < nvariants; i++)
        wb_variant_result_free(&results[i]);
    return failed;
}

/* The end of a profile that changed the tables, however it ended: put them back
 * (wb_profile_restore) and say so. Returns the exit status: 128 + the signal
 * after an interrupt (130 SIGINT, 143 SIGTERM, as run), 1 after a failure (the
 * restore's own included), 0 otherwise. */
static int finish(const wb_profile_config *cfg, wb_run_files *files, int failed)
{
    wb_error e = {{0}};
    int restored = wb_profile_restore(cfg, &e) == 0;
    wb_echo_summary("the clean-up (the tables as setup makes them)"); /* --echo; nothing when off */
    if (restored) {
        wb_run_files_log(files, "tables reset to the workload's own schema, as setup makes them");
        if (!wb_interrupted() && !cfg->target.temp_server) /* a throwaway server goes next */
            printf("database: %s holds the workload's tables as setup makes them (empty)\n",
                   cfg->target.url_redacted);
    } else {
        fprintf(stderr, "writebench profile: could not put the tables back as setup makes them: %s\n", e.msg);
        wb_run_files_log(files, "could not put the tables back as setup makes them: %s", e.msg);
        failed = 1;
    }
    if (wb_interrupted()) {
        fprintf(stderr, "writebench profile: interrupted by the user%s\n",
                restored ? "; the tables are back as setup makes them" : "");
        wb_run_files_log(files, "profile interrupted by the user");
        return 128 + wb_interrupt_signal();
    }
    return failed ? 1 : 0;
}

/* Print and clear the lines of --strategy fastest ("  name: 0.123 s"), and log them
 * when the run directory exists. */
static void report_tried(wb_buf *tried, wb_run_files *files)
{
    for (const char *line = wb_buf_str(tried); *line;) {
        const char *end = strchr(line, '\n');
        if (!files)
            printf("  %.*s\n", (int)(end - line), line);
        else
            wb_run_files_log(files, "--strategy fastest: %.*s", (int)(end - line), line);
        line = end + 1;
    }
}

/* Everything after the database was found usable and locked (run.conf's settings
 * so far in settings, the server's version in version): choose the strategy, make
 * the run directory, run the variants, put the tables back. Returns the exit status. */
static int profile_locked(const profile_options *o, wb_profile_config *cfg, int argc, char **argv,
                          wb_buf *settings, const char *run_id, wb_buf version)
{
    wb_error e = {{0}};
    int described = wb_profile_begin(cfg, &e);
    wb_echo_summary("the set-up (server version and settings)"); /* --echo; nothing when off */
    if (described != 0) {
        wb_buf_free(&version);
        return wb_cli_fail("profile", "%s", e.msg);
    }
    /* From the first load on the tables change: every way out below goes through finish(). */
    wb_buf tried = WB_BUF_INIT;
    int loaded = !cfg->strategy; /* --strategy fastest loads before the run directory exists */
    if (!cfg->strategy) {
        printf("choosing the fastest insert strategy at %lld rows:\n", (long long)cfg->rows);
        fflush(stdout);
        int rc = wb_profile_pick_fastest(cfg, &cfg->strategy, &tried, &e);
        report_tried(&tried, NULL);
        if (rc != 0) {
            if (!wb_interrupted())
                fprintf(stderr, "writebench profile: %s\n", e.msg);
            wb_buf_free(&tried);
            wb_buf_free(&version);
            return finish(cfg, NULL, 1);
        }
    }
    wb_run_files *files = NULL;
    FILE *csv = NULL;
    char csv_path[4200];
    wb_buf workload_lines = WB_BUF_INIT;
    wb_buf_printf(&workload_lines, "workload: %s\nworkload file: %s\nworkload sha256: %s\n", cfg->workload->name,
                  cfg->workload->path, cfg->workload->sha256);
    if (wb_run_files_open(o->results, run_id, &files, &e) == 0 &&
        write_conf(files, run_id, cfg, argc, argv, wb_buf_str(&version), wb_buf_str(settings), &e) == 0 &&
        wb_run_files_write_code_diff_with(files, wb_buf_str(&workload_lines), NULL, &e) == 0) {
        snprintf(csv_path, sizeof csv_path, "%s/profile.csv", wb_run_files_dir(files));
        csv = fopen(csv_path, "w");
        if (!csv)
            wb_fail(&e, "cannot create %s", csv_path);
    }
    wb_buf_free(&version);
    wb_buf_free(&workload_lines);
    if (!csv) {
        fprintf(stderr, "writebench profile: %s\n", e.msg);
        wb_buf_free(&tried);
        if (loaded)
            finish(cfg, NULL, 1);
        wb_run_files_close(files);
        return 2; /* writebench's own fault: nothing was measured */
    }
    report_tried(&tried, files);
    wb_buf_free(&tried);
    fprintf(csv, "%s\n", csv_columns);

    wb_variant variants[WB_PROFILE_MAX_VARIANTS];
    int omitted = 0;
    int nvariants =
        wb_profile_variants(cfg->workload, cfg->target.kind, variants, WB_PROFILE_MAX_VARIANTS, &omitted);
    if (o->baseline_only)
        nvariants = 1, omitted = 0;
    printf("profile %s: %s, %lld rows loaded with %s (batch %lld), %lld executions per read\n"
           "database: %s\nrun: %s\n",
           run_id, cfg->workload->name, (long long)cfg->rows, cfg->strategy->name, (long long)cfg->batch,
           (long long)cfg->repeat, cfg->target.url_redacted, wb_run_files_dir(files));
    print_reads(cfg);
    if (omitted) {
        printf("(%d more variants of the trade-off than the %d profile runs at most: not measured)\n", omitted,
               WB_PROFILE_MAX_VARIANTS);
        wb_run_files_log(files, "%d variants not measured: more than %d", omitted, WB_PROFILE_MAX_VARIANTS);
    }
    wb_run_files_log(files, "profile started: %d variants, loads in a child process, timeout %g s", nvariants,
                     cfg->timeout_s);
    int failed = profile_all(cfg, variants, nvariants, files, csv, run_id);
    fclose(csv);
    printf("\nprofile.csv: %s\n", csv_path);
    if (o->report && !wb_interrupted()) {
        if (wb_profile_report_write(wb_run_files_dir(files), run_id, &e) == 0)
            printf("report: %s/report.html\n", wb_run_files_dir(files));
        else
            failed = wb_cli_fail("profile", "%s", e.msg) != 0;
    }
    int status = finish(cfg, files, failed);
    int interrupted = status > 128;
    wb_run_files_log(files, "profile finished%s", interrupted ? ", interrupted" : status ? " with failures" : "");
    /* the run's end in results.json, as `run` marks it: without it readers take the run as killed */
    if (wb_run_files_finish(files, interrupted ? "interrupted" : NULL, &e) != 0)
        status = wb_cli_fail("profile", "%s", e.msg);
    wb_run_files_close(files);
    return status;
}

/* Describe the database, take its lock (one writebench per database, held until
 * the tables are put back), then profile_locked. Returns the exit status. */
static int profile_measure(const profile_options *o, wb_profile_config *cfg, int argc, char **argv,
                           wb_buf *settings)
{
    wb_error e = {{0}};
    char run_id[64];
    wb_run_id_make(run_id, sizeof run_id); /* made here: the lock names it */
    wb_db_lock *lock = NULL;
    wb_buf version = WB_BUF_INIT;
    if (describe_target(cfg->backend, &cfg->target, cfg->workload, cfg->rows, &version, settings, &e) != 0 ||
        wb_db_lock_take(&cfg->target, "profile", run_id, &lock, &e) != 0) {
        wb_echo_summary("the set-up (server version and settings)"); /* --echo; nothing when off */
        wb_buf_free(&version);
        return wb_cli_fail("profile", "%s", e.msg);
    }
    int status = profile_locked(o, cfg, argc, argv, settings, run_id, version);
    wb_db_lock_release(lock);
    return status;
}

/* The database's part of the command, bracketed so that it ends the same way
 * whatever happens: Ctrl-C and SIGTERM kill the running load and end the profile
 * at the next step, the tables are put back, and a throwaway cluster (pg-temp:)
 * is stopped and removed. */
static int profile_database(const profile_options *o, wb_profile_config *cfg, int argc, char **argv)
{
    wb_interrupt_install();
    /* Our connections' name on the server, unique to this profile, so that the wait
     * before the clean-up is for this profile's killed loads only (await_others). */
    snprintf(cfg->target.application_name, sizeof cfg->target.application_name, "writebench-profile-%d",
             (int)getpid());
    wb_error e = {{0}};
    wb_buf settings = WB_BUF_INIT;
    wb_temp_server *server = NULL;
    const wb_backend *b = cfg->backend;
    if (cfg->target.temp_server) {
        if (!b->temp_server_start)
            return wb_cli_fail("profile", "%s has no throwaway server", b->display_name);
        fprintf(stderr, "writebench profile: starting a throwaway %s...\n", b->temp_server_noun);
        if (b->temp_server_start(&cfg->target, &server, &e) != 0)
            return wb_cli_fail("profile", "%s %s", cfg->target.url_redacted, e.msg);
        b->temp_server_describe(server, &settings);
    }
    int status = profile_measure(o, cfg, argc, argv, &settings);
    wb_buf_free(&settings);
    if (server)
        b->temp_server_stop(server);
    return status;
}

/* The command: check every option, then make the run directory and run the variants. */
int cmd_profile(int argc, char **argv)
{
    profile_options o;
    memset(&o, 0, sizeof o);
    o.workload = "products";
    o.rows = DEFAULT_ROWS;
    o.repeat = DEFAULT_REPEAT;
    o.load_repeat = DEFAULT_LOAD_REPEAT;
    o.batch = DEFAULT_BATCH;
    o.timeout_s = WB_DEFAULT_TIMEOUT_S;
    o.results = "results";
    int status = 0;
    if (wb_cli_parse(profile_opts, argc, argv, &o, NULL, NULL, &status) != 0)
        return status;
    wb_profile_config cfg;
    memset(&cfg, 0, sizeof cfg);
    cfg.rows = o.rows;
    cfg.repeat = o.repeat;
    cfg.load_repeat = o.load_repeat;
    cfg.batch = o.batch;
    if (wb_cli_find_workload("profile", o.workload, &cfg.workload) != 0)
        return 2;
    wb_error e = {{0}};
    /* Everything that only reads is checked before the results directory and the
     * default database, which create things. */
    cfg.target.kind = wb_backend_default_kind();
    if (o.db && wb_target_parse(o.db, true, &cfg.target, &e) != 0)
        return wb_cli_fail("profile", "%s", e.msg);
    if (wb_cli_check_pragmas("profile", &o.pragmas, wb_backend_get(cfg.target.kind)) != 0)
        return 2;
    if (wb_cli_apply_schema("profile", o.schema, &cfg.target) != 0)
        return 2;
    /* Pragmas are checked on a scratch target when --db is the default: the real one
     * does not exist until the results directory has been checked. */
    wb_target scratch = {.kind = wb_backend_default_kind()};
    if (wb_cli_add_pragmas("profile", &o.pragmas, o.db ? &cfg.target : &scratch) != 0)
        return 2;
    cfg.backend = wb_backend_get(cfg.target.kind);
    if (pick_strategy(&o, cfg.target.kind, &cfg.strategy) != 0)
        return 2;
    wb_cache_study_options cache;
    wb_cache_study_options_default(&cache);
    if (o.zipf) {
        char *end = NULL;
        cache.zipf_s = strtod(o.zipf, &end);
        if (!*o.zipf || *end || !(cache.zipf_s > 0 && cache.zipf_s <= 10))
            return wb_cli_fail("profile", "--zipf must be a number above 0 and at most 10, got '%s'", o.zipf);
    }
    if (o.cache_capacity)
        cache.capacity = o.cache_capacity;
    if (o.cache_lookups)
        cache.lookups = o.cache_lookups;
    cfg.cache = o.no_cache ? NULL : &cache;
    if (wb_results_dir_check(o.results, &e) != 0)
        return wb_cli_fail("profile", "%s", e.msg);
    if (!o.db && wb_target_parse(NULL, true, &cfg.target, &e) != 0)
        return wb_cli_fail("profile", "%s", e.msg);
    cfg.target.may_create = true;
    if (!o.db && wb_cli_add_pragmas("profile", &o.pragmas, &cfg.target) != 0)
        return 2;
    cfg.target.echo = o.echo != 0;

    cfg.timeout_s = o.timeout_s;
    wb_read_def *reads = NULL;
    cfg.nreads = wb_reads_derive(cfg.workload, &reads);
    cfg.reads = reads;
    status = profile_database(&o, &cfg, argc, argv);
    free(reads);
    return status;
}

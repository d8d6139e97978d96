/* The trade-off variants and one measured pass per variant (see profile.h).
 *
 * Each variant starts from the same empty state (wb_schema_reset) and changes
 * the schema before the load, so the load time includes maintaining exactly
 * the indexes and constraints the variant has. SQLite cannot drop a CHECK
 * constraint (ALTER TABLE has no DROP CONSTRAINT): that variant is skipped and
 * says so. Its foreign key is not dropped either, but its enforcement is a
 * per-connection switch (PRAGMA foreign_keys), which is what SQLite users turn
 * off for a bulk load: the variant runs with foreign_keys=OFF.
 *
 * The loads run in a forked child (runner/child.h), exactly as `run` runs a
 * test: the parent never runs strategy code, so a strategy that crashes or hangs
 * costs the variant, not profile, and profile can still undo its changes
 * (wb_profile_restore). The parent holds no connection across the fork:
 * SQLite's documentation warns against carrying an open connection over a
 * fork() (its locks are per process), and the child opens its own anyway. */
#include "profile/profile.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backends/echo.h"
#include "runner/child.h"
#include "runner/verify.h"
#include "util/sql_text.h"
#include "workloads/schema.h"

/* Whether some index of t starts with column: it serves the equality on it. */
static int index_leads_with(const wb_table *t, const char *column)
{
    for (int i = 0; i < t->nindexes; i++)
        if (strcmp(t->indexes[i].columns[0], column) == 0)
            return 1;
    return 0;
}

/* The column of a foreign key of t that only index i of t serves (leads with), or NULL:
 * on a backend whose foreign keys need an index (dialect fk_needs_index), i cannot be
 * dropped while that foreign key stands. */
static const char *only_index_of_fk(const wb_table *t, int i)
{
    for (int f = 0; f < t->nforeign_keys; f++) {
        const char *column = t->foreign_keys[f].column;
        if (strcmp(t->indexes[i].columns[0], column) != 0)
            continue;
        int others = strcmp(t->columns[0].name, column) == 0; /* the key leads its own index */
        for (int j = 0; j < t->nindexes; j++)
            others += j != i && strcmp(t->indexes[j].columns[0], column) == 0;
        if (!others)
            return column;
    }
    return NULL;
}

/* Whether name is taken by an index of w or by one of the candidates out[0..n). */
static int index_name_taken(const wb_workload *w, const wb_variant *out, int n, const char *name)
{
    for (int t = 0; t < w->ntables; t++)
        for (int i = 0; i < w->tables[t].nindexes; i++)
            if (strcmp(w->tables[t].indexes[i].name, name) == 0)
                return 1;
    for (int i = 0; i < n; i++)
        if (out[i].kind == WB_VARIANT_ADD_INDEX && strcmp(out[i].candidate_name, name) == 0)
            return 1;
    return 0;
}

/* Name candidate v "<table>_<column>_idx", as PostgreSQL would name it, unless that
 * is taken or too long for an identifier: then "<table>_fk<i>_idx" with a free i. */
static void name_candidate(const wb_workload *w, const wb_variant *out, int n, wb_variant *v, int fk_index)
{
    enum { IDENTIFIER_MAX_BYTES = 63 };
    int len = snprintf(v->candidate_name, sizeof v->candidate_name, "%s_%s_idx", v->table->name, v->index_column);
    for (int i = fk_index + 1; len > IDENTIFIER_MAX_BYTES || index_name_taken(w, out, n, v->candidate_name); i++)
        len = snprintf(v->candidate_name, sizeof v->candidate_name, "%s_fk%d_idx", v->table->name, i);
    v->index_name = v->candidate_name;
}

/* Whether the first n variants hold a switched-off foreign key already. */
static int fk_switch_added(const wb_variant *out, int n)
{
    for (int i = 0; i < n; i++)
        if (out[i].kind == WB_VARIANT_DROP_FK)
            return 1;
    return 0;
}

/* The number of foreign keys of every table of w. */
static int count_foreign_keys(const wb_workload *w)
{
    int n = 0;
    for (int t = 0; t < w->ntables; t++)
        n += w->tables[t].nforeign_keys;
    return n;
}

/* The foreign-key variant(s) of table: one per foreign key where the backend drops
 * constraints; where it can only switch enforcement off for the connection (SQLite's
 * PRAGMA foreign_keys), that switch takes every foreign key at once, so one variant
 * for the whole workload, named after its foreign key when it has only one. */
#define ADD() (n < cap ? memset(&out[n], 0, sizeof out[n]), &out[n++] : (++*omitted, NULL))
static int add_fk_variants(const wb_workload *w, const wb_table *table, const wb_backend *b, int droppable,
                           wb_variant *out, int n, int cap, int *omitted)
{
    const char *fk_off = b ? b->dialect->fk_off_setting : NULL;
    int switched = !droppable && fk_off, total = count_foreign_keys(w);
    for (int i = 0; i < table->nforeign_keys; i++) {
        if (switched && fk_switch_added(out, n))
            break;
        wb_variant *v = ADD();
        if (!v)
            continue;
        const char *column = table->foreign_keys[i].column;
        v->kind = WB_VARIANT_DROP_FK;
        v->table = table;
        v->fk_column = column;
        snprintf(v->name, sizeof v->name, "without:%s_%s_fkey", table->name, column);
        snprintf(v->subject, sizeof v->subject, "foreign key %s.%s", table->name, column);
        if (switched && total > 1) {
            v->table = NULL;
            v->fk_column = NULL;
            snprintf(v->name, sizeof v->name, "without:foreign_keys");
            snprintf(v->subject, sizeof v->subject, "every foreign key (%d)", total);
        }
        if (switched) {
            snprintf(v->why, sizeof v->why, "%s cannot drop %s: enforcement is off instead (PRAGMA %s)",
                     b->display_name, total > 1 ? "them" : "it", fk_off);
            v->note = v->why;
        } else if (!droppable) {
            snprintf(v->why, sizeof v->why, "not droppable on %s (ALTER TABLE has no DROP CONSTRAINT)",
                     b ? b->display_name : "this backend");
            v->not_possible = v->why;
        }
    }
    return n;
}

int wb_profile_variants(const wb_workload *w, wb_backend_kind kind, wb_variant *out, int cap, int *omitted)
{
    int n = 0, none = 0;
    if (!omitted)
        omitted = &none;
    *omitted = 0;
    const wb_backend *b = wb_backend_get(kind);
    /* A backend that cannot drop a constraint: the CHECK stays, and a foreign key is
     * only switched off where the backend has a setting for that. */
    int droppable = b && (b->caps & WB_CAP_DROP_CONSTRAINT) && b->drop_constraints_sql;
    wb_variant *v = ADD();
    if (!v)
        return 0;
    v->kind = WB_VARIANT_BASELINE;
    snprintf(v->name, sizeof v->name, "baseline");
    snprintf(v->subject, sizeof v->subject, "the workload's schema");
    for (int t = 0; t < w->ntables; t++) {
        const wb_table *table = &w->tables[t];
        for (int i = 0; i < table->nindexes; i++) {
            if (!(v = ADD()))
                continue;
            v->kind = WB_VARIANT_DROP_INDEX;
            v->table = table;
            v->index_name = table->indexes[i].name;
            snprintf(v->name, sizeof v->name, "without:%s", v->index_name);
            snprintf(v->subject, sizeof v->subject, "%sindex %s", table->indexes[i].unique ? "unique " : "",
                     v->index_name);
            const char *fk_column = b && b->dialect->fk_needs_index ? only_index_of_fk(table, i) : NULL;
            if (fk_column) {
                snprintf(v->why, sizeof v->why, "%s cannot drop it: the foreign key %s.%s needs an index that leads "
                         "with its column", b->display_name, table->name, fk_column);
                v->not_possible = v->why;
            }
        }
        /* all of a table's CHECKs at once */
        if (table->nchecks > 0 && (v = ADD())) {
            v->kind = WB_VARIANT_DROP_CHECK;
            v->table = table;
            snprintf(v->name, sizeof v->name, "without:%s_check", table->name);
            if (table->nchecks == 1)
                snprintf(v->subject, sizeof v->subject, "CHECK (%s)", table->checks[0]);
            else
                snprintf(v->subject, sizeof v->subject, "CHECK (%s) and %d more", table->checks[0],
                         table->nchecks - 1);
            if (!droppable) {
                snprintf(v->why, sizeof v->why, "not droppable on %s (ALTER TABLE has no DROP CONSTRAINT)",
                         b ? b->display_name : "this backend");
                v->not_possible = v->why;
            }
        }
        n = add_fk_variants(w, table, b, droppable, out, n, cap, omitted);
    }
    /* The candidates: what the reads would want that the workload lacks. Every read
     * but one compares a key or an index's leading columns; the parent-to-children
     * join compares a child's foreign key column, which may have no index. */
    for (int t = 0; t < w->ntables; t++) {
        const wb_table *table = &w->tables[t];
        for (int i = 0; i < table->nforeign_keys; i++) {
            const char *column = table->foreign_keys[i].column;
            if (index_leads_with(table, column) || !(v = ADD()))
                continue;
            v->kind = WB_VARIANT_ADD_INDEX;
            v->table = table;
            v->index_column = column;
            name_candidate(w, out, n - 1, v, i);
            snprintf(v->name, sizeof v->name, "with:%s", v->index_name);
            snprintf(v->subject, sizeof v->subject, "index %s (candidate)", v->index_name);
        }
    }
    return n;
}
#undef ADD

/* Change the freshly reset schema into the variant's. */
static int apply_variant(const wb_backend *b, wb_conn *c, const wb_variant *v, wb_error *e)
{
    const wb_dialect *d = b->dialect;
    wb_buf sql = WB_BUF_INIT;
    int status = 0;
    switch (v->kind) {
    case WB_VARIANT_BASELINE:
        break;
    case WB_VARIANT_DROP_INDEX:
        wb_buf_puts(&sql, "DROP INDEX ");
        if (d->drop_index_on_table) {
            wb_sql_identifier(&sql, v->index_name);
            wb_buf_puts(&sql, " ON ");
            b->table_name(c, v->table->name, &sql);
        } else {
            b->table_name(c, v->index_name, &sql);
        }
        break;
    case WB_VARIANT_DROP_CHECK:
    case WB_VARIANT_DROP_FK:
        if (!(b->caps & WB_CAP_DROP_CONSTRAINT) || !b->drop_constraints_sql)
            break; /* switched off on the connection (see the top comment) */
        status = b->drop_constraints_sql(c, v->table->name,
                                         v->kind == WB_VARIANT_DROP_CHECK ? WB_CONSTRAINT_CHECK
                                                                          : WB_CONSTRAINT_FOREIGN_KEY,
                                         v->fk_column, &sql, e);
        break;
    case WB_VARIANT_ADD_INDEX:
        wb_buf_puts(&sql, "CREATE INDEX ");
        if (d->index_name_qualified)
            b->table_name(c, v->index_name, &sql);
        else
            wb_sql_identifier(&sql, v->index_name); /* goes to the table's namespace */
        wb_buf_puts(&sql, " ON ");
        b->table_name(c, v->table->name, &sql);
        wb_buf_puts(&sql, " (");
        wb_sql_identifier(&sql, v->index_column);
        wb_buf_puts(&sql, ")");
        break;
    }
    if (status == 0 && sql.len)
        status = b->exec(c, wb_buf_str(&sql), e);
    if (status != 0)
        wb_fail_prefix(e, "changing the schema for %s: ", v->name);
    wb_buf_free(&sql);
    return status;
}

/* Load keys 1..rows with strategy s in a forked child measured from outside, as
 * `run` does: killed at cfg->timeout_s or on Ctrl-C, a crash recorded as one.
 * *duration_s is the strategy's own wall time (its connection opened before the
 * clock). The caller holds no connection (see the top comment). */
static int load(const wb_profile_config *cfg, const wb_target *target, const wb_strategy *s, double *duration_s,
                wb_error *e)
{
    wb_ctx ctx = {.backend = cfg->backend, .target = target, .workload = cfg->workload,
                  .phase = WB_PHASE_INSERT, .version = 1, .rows = cfg->rows, .batch = cfg->batch,
                  .threads = 1, .repeat = 1, .timeout_s = cfg->timeout_s};
    wb_child_outcome o;
    if (wb_child_run(&ctx, wb_strategy_fn_for(s, target->kind, NULL), cfg->timeout_s, NULL, NULL, &o, e) != 0)
        return wb_fail_prefix(e, "loading with %s: ", s->name);
    /* o.error names what happened: "crashed: killed by signal 11 (...)", "timeout: killed
     * after 600 s", "skipped: <the server's reason>", "interrupted by the user", or the
     * strategy's own error. */
    if (o.status != WB_STATUS_OK)
        return wb_fail(e, "loading with %s: %s", s->name, o.error);
    *duration_s = o.duration_s;
    return 0;
}

/* Connect to target and make sure the namespace is writebench's. */
static int connect_ours(const wb_backend *b, const wb_target *target, wb_conn **c, wb_error *e)
{
    *c = NULL;
    if (b->connect(target, c, e) != 0 || b->claim_namespace(*c, true, e) != 0) {
        b->disconnect(*c);
        *c = NULL;
        return -1;
    }
    return 0;
}

/* --echo: print the summary of the statements sent since the last one, titled
 * "<what> <name>" (nothing when echo is off). */
static void echo_summary(const char *what, const char *name)
{
    if (!wb_echo_active)
        return;
    char title[256];
    snprintf(title, sizeof title, "%s %s", what, name);
    wb_echo_summary(title);
}

/* Bring the tables to variant v's empty state: reset, then the variant's change. */
static int prepare_schema(const wb_profile_config *cfg, const wb_target *target, const wb_variant *v, wb_error *e)
{
    wb_conn *c = NULL;
    int status = connect_ours(cfg->backend, target, &c, e);
    if (status == 0)
        status = wb_schema_reset(cfg->backend, c, cfg->workload, e);
    if (status == 0)
        status = apply_variant(cfg->backend, c, v, e);
    cfg->backend->disconnect(c);
    return status;
}

/* Verify keys 1..rows of version 1, every value; *rows_verified on success. */
static int verify_load(const wb_profile_config *cfg, wb_conn *c, int64_t *rows_verified, wb_error *e)
{
    wb_verify_result verified;
    memset(&verified, 0, sizeof verified);
    if (wb_verify(cfg->backend, c, cfg->workload, cfg->rows, 1, WB_VERIFY_VALUES, &verified, e) != 0)
        return -1;
    if (!verified.ok)
        return wb_fail(e, "the load did not verify: %s", verified.detail);
    *rows_verified = verified.rows_verified;
    return 0;
}

/* ANALYZE each of the workload's tables: fresh statistics, as a loaded table would
 * have after autovacuum. Table by table, because a bare ANALYZE on PostgreSQL
 * would write statistics for every table of the database, not only writebench's. */
static int analyze_tables(const wb_profile_config *cfg, wb_conn *c, wb_error *e)
{
    int status = 0;
    for (int t = 0; status == 0 && t < cfg->workload->ntables; t++) {
        wb_buf sql = WB_BUF_INIT;
        const char *analyze = cfg->backend->dialect->analyze_prefix;
        wb_buf_puts(&sql, analyze ? analyze : "ANALYZE ");
        cfg->backend->table_name(c, cfg->workload->tables[t].name, &sql);
        status = cfg->backend->exec(c, wb_buf_str(&sql), e);
        wb_buf_free(&sql);
    }
    return status;
}

/* The error of a step the user's Ctrl-C (or SIGTERM) ended. */
static int interrupted(wb_error *e)
{
    return wb_fail(e, "interrupted by the user");
}

/* qsort order of doubles. */
static int compare_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Whether s can load for profile on backend kind: an insert strategy, not slow,
 * not one that rebuilds the indexes (it would build again what a variant removed). */
static int loading_strategy(const wb_strategy *s, wb_backend_kind kind)
{
    return strcmp(s->family, "insert") == 0 && (s->passes & WB_PASS_INSERT) &&
           !(s->flags & (WB_STRAT_SLOW | WB_STRAT_REBUILDS_INDEXES)) && wb_strategy_fn_for(s, kind, NULL) &&
           wb_strategy_visible(s);
}

/* The workload's own schema, which every strategy of --strategy fastest loads into. */
static const wb_variant baseline_variant = {.kind = WB_VARIANT_BASELINE, .name = "baseline"};

int wb_profile_pick_fastest(const wb_profile_config *cfg, const wb_strategy **out, wb_buf *report, wb_error *e)
{
    const wb_backend *b = cfg->backend;
    *out = NULL;
    double best_s = 0;
    int status = 0;
    for (const wb_strategy *s = wb_catalog; status == 0 && s->name; s++) {
        if (!loading_strategy(s, cfg->target.kind))
            continue;
        if (wb_interrupted()) {
            status = interrupted(e);
            break;
        }
        status = prepare_schema(cfg, &cfg->target, &baseline_variant, e);
        echo_summary("the schema before loading with", s->name); /* the child echoes its own */
        if (status != 0)
            break;
        double duration_s = 0;
        int64_t rows_verified = 0;
        wb_error load_error = {{0}};
        int rc = load(cfg, &cfg->target, s, &duration_s, &load_error);
        if (rc == 0) {
            wb_conn *c = NULL;
            rc = connect_ours(b, &cfg->target, &c, &load_error);
            if (rc == 0)
                rc = verify_load(cfg, c, &rows_verified, &load_error);
            b->disconnect(c);
            echo_summary("verifying the load with", s->name);
        }
        if (wb_interrupted()) {
            status = interrupted(e);
            break;
        }
        if (rc != 0) {
            wb_buf_printf(report, "%s: failed: %s\n", s->name, load_error.msg);
            continue;
        }
        wb_buf_printf(report, "%s: %.6f s\n", s->name, duration_s);
        if (!*out || duration_s < best_s)
            *out = s, best_s = duration_s;
    }
    if (status == 0 && !*out)
        status = wb_fail(e, "no insert strategy loaded and verified on this backend");
    return status;
}

void wb_variant_result_free(wb_variant_result *r)
{
    for (int i = 0; r->plan && i < r->nreads; i++)
        wb_buf_free(&r->plan[i]);
    free(r->plan);
    free(r->latency);
    r->plan = NULL;
    r->latency = NULL;
    r->nreads = 0;
}

int wb_profile_run_variant(const wb_profile_config *cfg, const wb_variant *v, wb_variant_result *out,
                           wb_error *e)
{
    memset(out, 0, sizeof *out);
    wb_stats_init(&out->load_samples_s);
    if (v->not_possible)
        return 0;
    const wb_backend *b = cfg->backend;
    wb_target target = cfg->target;
    const char *fk_off = b->dialect->fk_off_setting;
    if (v->kind == WB_VARIANT_DROP_FK && !(b->caps & WB_CAP_DROP_CONSTRAINT) && fk_off &&
        wb_target_add_pragma(&target, fk_off, e) != 0)
        return -1;
    /* The load is short and noisy: it runs load_repeat times from the same empty
     * state and the median counts; the last load stays for the reads. */
    int64_t loads = cfg->load_repeat < 1 ? 1 : cfg->load_repeat > WB_PROFILE_MAX_LOADS ? WB_PROFILE_MAX_LOADS : cfg->load_repeat;
    double load_s[WB_PROFILE_MAX_LOADS];
    int status = 0;
    for (int64_t l = 0; status == 0 && l < loads; l++) {
        if (wb_interrupted())
            return interrupted(e);
        status = prepare_schema(cfg, &target, v, e);
        echo_summary("the schema for", v->name); /* before the child, which echoes its own */
        if (status == 0)
            status = load(cfg, &target, cfg->strategy, &load_s[l], e);
    }
    if (status != 0)
        return -1;
    for (int64_t l = 0; l < loads; l++)
        wb_stats_add(&out->load_samples_s, load_s[l]);
    qsort(load_s, (size_t)loads, sizeof load_s[0], compare_double);
    out->load_s = loads % 2 ? load_s[loads / 2] : (load_s[loads / 2 - 1] + load_s[loads / 2]) / 2;
    out->load_repetitions = loads;

    wb_conn *c = NULL;
    status = connect_ours(b, &target, &c, e);
    if (status == 0)
        status = verify_load(cfg, c, &out->rows_verified, e);
    if (status == 0)
        status = analyze_tables(cfg, c, e);
    out->nreads = cfg->nreads;
    out->latency = wb_xcalloc((size_t)(cfg->nreads > 0 ? cfg->nreads : 1), sizeof *out->latency);
    out->plan = wb_xcalloc((size_t)(cfg->nreads > 0 ? cfg->nreads : 1), sizeof *out->plan);
    for (int i = 0; status == 0 && i < cfg->nreads; i++) {
        status = wb_read_plan(b, c, &cfg->reads[i], cfg->rows, &out->plan[i], e);
        if (status == 0)
            status = wb_read_measure(b, c, &cfg->reads[i], cfg->rows, cfg->repeat, &out->latency[i], e);
    }
    echo_summary("the variant", v->name);
    if (status == 0 && v->kind == WB_VARIANT_BASELINE && cfg->cache) {
        status = wb_cache_study(b, c, cfg->workload, cfg->rows, cfg->cache, &out->cache, e);
        if (status != 0)
            wb_fail_prefix(e, "caching study: ");
        out->cache_ran = status == 0;
        echo_summary("the caching study on", v->name);
    }
    b->disconnect(c);
    out->ran = status == 0;
    return status;
}

/* ---- leaving nothing behind ---------------------------------------------- */

/* The statistics tables that ANALYZE creates in writebench's namespace when they
 * are missing (SQLite's sqlite_stat1, ...): the dialect's statistics_tables_sql lists
 * them; PostgreSQL keeps statistics outside the schema and drops them with the
 * table, so it lists none. */

/* Row callback: append "<name>\n" (the list starts with a newline, so that
 * "\n<name>\n" finds a name whole). */
static int row_statistics_table(void *arg, int ncols, const char *const *names, const char *const *values)
{
    (void)names;
    if (ncols > 0 && values[0])
        wb_buf_printf(arg, "%s\n", values[0]);
    return 0;
}

/* The statistics tables that exist now, "\n"-separated, starting with a newline. */
static int statistics_tables_now(const wb_profile_config *cfg, wb_conn *c, wb_buf *out, wb_error *e)
{
    const char *sql = cfg->backend->dialect->statistics_tables_sql;
    wb_buf_putc(out, '\n');
    return sql ? cfg->backend->query(c, sql, row_statistics_table, out, e) : 0;
}

int wb_profile_begin(wb_profile_config *cfg, wb_error *e)
{
    wb_conn *c = NULL;
    wb_buf before = WB_BUF_INIT;
    int status = connect_ours(cfg->backend, &cfg->target, &c, e);
    if (status == 0)
        status = statistics_tables_now(cfg, c, &before, e);
    if (status == 0 && before.len >= sizeof cfg->statistics_before)
        status = wb_fail(e, "too many statistics tables to remember: %s", wb_buf_str(&before));
    if (status == 0)
        snprintf(cfg->statistics_before, sizeof cfg->statistics_before, "%s", wb_buf_str(&before));
    cfg->backend->disconnect(c);
    wb_buf_free(&before);
    return status;
}

int wb_profile_restore(const wb_profile_config *cfg, wb_error *e)
{
    const wb_backend *b = cfg->backend;
    wb_conn *c = NULL;
    if (b->connect(&cfg->target, &c, e) != 0 || b->claim_namespace(c, false, e) != 0) {
        b->disconnect(c);
        return -1;
    }
    /* A load killed at the timeout or by Ctrl-C may still have a server process holding
     * its locks for a moment; the reset would wait for them anyway, this is just politer. */
    enum { MAX_WAIT_MS = 5000 };
    if (b->await_others)
        b->await_others(c, NULL, MAX_WAIT_MS);
    /* Dropping and re-creating the tables undoes every variant at once (a candidate
     * index goes with its table, a dropped index or constraint comes back) and whatever
     * a killed load left half-done. */
    int status = wb_schema_reset(b, c, cfg->workload, e);
    wb_buf now = WB_BUF_INIT;
    if (status == 0)
        status = statistics_tables_now(cfg, c, &now, e);
    /* each one listed now that was not there before profile: ANALYZE's own */
    for (const char *name = wb_buf_str(&now) + 1; status == 0 && *name;) {
        const char *end = strchr(name, '\n');
        char table[256], whole[260];
        snprintf(table, sizeof table, "%.*s", (int)(end - name), name);
        snprintf(whole, sizeof whole, "\n%s\n", table);
        if (!strstr(cfg->statistics_before, whole)) {
            wb_buf sql = WB_BUF_INIT;
            wb_buf_puts(&sql, "DROP TABLE ");
            wb_sql_identifier(&sql, table);
            status = b->exec(c, wb_buf_str(&sql), e);
            wb_buf_free(&sql);
        }
        name = end + 1;
    }
    wb_buf_free(&now);
    b->disconnect(c);
    return status;
}

/* ---- effects against the noise ------------------------------------------- */

wb_effect wb_profile_effect(double with_median, const wb_stats *with, double without_median,
                            const wb_stats *without)
{
    wb_effect ef = {NAN, NAN, WB_EFFECT_UNKNOWN};
    if (!with || !without || with->n < 1 || without->n < 1 || !isfinite(with_median) ||
        !isfinite(without_median) || without_median <= 0)
        return ef;
    ef.change_pct = (with_median / without_median - 1.0) * 100.0;
    /* One sample says nothing about the noise: say so rather than guess. */
    wb_welch w;
    if (with->n < 2 || without->n < 2 || wb_welch_stats(with, without, &w) != 0 || isnan(w.p)) {
        ef.verdict = WB_EFFECT_NOT_JUDGED;
        return ef;
    }
    ef.p = w.p;
    ef.verdict = w.p < WB_EFFECT_ALPHA ? WB_EFFECT_SIGNIFICANT : WB_EFFECT_NO_DIFFERENCE;
    return ef;
}

/* Which result has the thing and which has not: a removed index or constraint is in
 * the baseline, a candidate in the variant. */
static void with_and_without(const wb_variant *v, const wb_variant_result *r, const wb_variant_result *base,
                             const wb_variant_result **with, const wb_variant_result **without)
{
    int added = v->kind == WB_VARIANT_ADD_INDEX;
    *with = added ? r : base;
    *without = added ? base : r;
}

wb_effect wb_profile_load_effect(const wb_variant *v, const wb_variant_result *r, const wb_variant_result *base)
{
    wb_effect unknown = {NAN, NAN, WB_EFFECT_UNKNOWN};
    if (v->kind == WB_VARIANT_BASELINE || !r->ran || !base->ran)
        return unknown;
    const wb_variant_result *with, *without;
    with_and_without(v, r, base, &with, &without);
    return wb_profile_effect(with->load_s, &with->load_samples_s, without->load_s, &without->load_samples_s);
}

wb_effect wb_profile_read_effect(const wb_variant *v, const wb_variant_result *r, const wb_variant_result *base,
                                 int k)
{
    wb_effect unknown = {NAN, NAN, WB_EFFECT_UNKNOWN};
    if (v->kind == WB_VARIANT_BASELINE || !r->ran || !base->ran || k < 0 || k >= r->nreads || k >= base->nreads)
        return unknown;
    const wb_variant_result *with, *without;
    with_and_without(v, r, base, &with, &without);
    return wb_profile_effect(with->latency[k].p50_us, &with->latency[k].samples_us, without->latency[k].p50_us,
                             &without->latency[k].samples_us);
}

static const char *const verdict_names[] = {
    [WB_EFFECT_SIGNIFICANT] = "significant",
    [WB_EFFECT_NO_DIFFERENCE] = "no significant difference",
    [WB_EFFECT_NOT_JUDGED] = "not judged",
    [WB_EFFECT_UNKNOWN] = "",
};

const char *wb_effect_verdict_name(wb_effect_verdict v)
{
    return (size_t)v < sizeof verdict_names / sizeof *verdict_names ? verdict_names[v] : "";
}

wb_effect_verdict wb_effect_verdict_parse(const char *name)
{
    for (size_t i = 0; name && *name && i < sizeof verdict_names / sizeof *verdict_names; i++)
        if (strcmp(name, verdict_names[i]) == 0)
            return (wb_effect_verdict)i;
    return WB_EFFECT_UNKNOWN;
}

void wb_effect_text(wb_effect_verdict v, double change_pct, wb_buf *out)
{
    if (v == WB_EFFECT_NO_DIFFERENCE)
        wb_buf_puts(out, "no significant difference");
    else if (v == WB_EFFECT_UNKNOWN || !isfinite(change_pct))
        wb_buf_puts(out, "not measured");
    else
        wb_buf_printf(out, "%+.1f%%%s", change_pct,
                      v == WB_EFFECT_NOT_JUDGED ? " (not judged: fewer than 2 samples a side)" : "");
}

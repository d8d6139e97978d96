/* The trade-off variants and one measured pass per variant (see profile.h).
 *
 * Each variant starts from the same empty state (wb_schema_reset) and changes
 * the schema before the load, so the load time includes maintaining exactly
 * the indexes and constraints the variant has. SQLite cannot drop a CHECK
 * constraint (ALTER TABLE has no DROP CONSTRAINT): that variant is skipped and
 * says so. Its foreign key is not dropped either, but its enforcement is a
 * per-connection switch (PRAGMA foreign_keys), which is what SQLite users turn
 * off for a bulk load: the variant runs with foreign_keys=OFF. */
#include "profile/profile.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backends/echo.h"
#include "runner/verify.h"
#include "util/clock.h"
#include "util/sql_text.h"
#include "workloads/schema.h"

/* Indexes the reads would want but the workloads lack. */
typedef struct candidate {
    const char *workload;
    const char *table;
    const char *index_name;
    const char *column;
    const char *serves; /* which read, for the docs and the table */
} candidate;

static const candidate candidates[] = {
    {"products", "products", "products_price_idx", "price", "price-above"},
    {"users", "address", "address_user_id_idx", "user_id", "user-with-address"},
    {"users", "user_account", "user_account_name_idx", "name", "users-by-name-prefix"},
};

/* The table of that name in w, or NULL. */
static const wb_table *table_named(const wb_workload *w, const char *name)
{
    for (int i = 0; i < w->ntables; i++)
        if (strcmp(w->tables[i].name, name) == 0)
            return &w->tables[i];
    return NULL;
}

int wb_profile_variants(const wb_workload *w, wb_backend_kind kind, wb_variant *out, int cap)
{
    int n = 0;
    int sqlite = kind == WB_BACKEND_SQLITE;
#define ADD() (n < cap ? memset(&out[n], 0, sizeof out[n]), &out[n++] : NULL)
    wb_variant *v = ADD();
    if (!v)
        return 0;
    v->kind = WB_VARIANT_BASELINE;
    snprintf(v->name, sizeof v->name, "baseline");
    snprintf(v->subject, sizeof v->subject, "the workload's schema");
    for (int t = 0; t < w->ntables; t++) {
        const wb_table *table = &w->tables[t];
        for (int i = 0; i < table->nindexes && (v = ADD()); i++) {
            v->kind = WB_VARIANT_DROP_INDEX;
            v->table = table;
            v->index_name = table->indexes[i].name;
            snprintf(v->name, sizeof v->name, "without:%s", v->index_name);
            snprintf(v->subject, sizeof v->subject, "%sindex %s", table->indexes[i].unique ? "unique " : "",
                     v->index_name);
        }
        if (table->check && (v = ADD())) {
            v->kind = WB_VARIANT_DROP_CHECK;
            v->table = table;
            snprintf(v->name, sizeof v->name, "without:%s_check", table->name);
            snprintf(v->subject, sizeof v->subject, "CHECK (%s)", table->check);
            if (sqlite)
                v->not_possible = "not droppable on SQLite (ALTER TABLE has no DROP CONSTRAINT)";
        }
        if (table->fk_column && (v = ADD())) {
            v->kind = WB_VARIANT_DROP_FK;
            v->table = table;
            snprintf(v->name, sizeof v->name, "without:%s_%s_fkey", table->name, table->fk_column);
            snprintf(v->subject, sizeof v->subject, "foreign key %s.%s", table->name, table->fk_column);
            if (sqlite)
                v->note = "SQLite cannot drop it: enforcement is off instead (PRAGMA foreign_keys=OFF)";
        }
    }
    for (size_t i = 0; i < sizeof candidates / sizeof candidates[0]; i++) {
        const candidate *c = &candidates[i];
        const wb_table *table = table_named(w, c->table);
        if (strcmp(c->workload, w->name) != 0 || !table || !(v = ADD()))
            continue;
        v->kind = WB_VARIANT_ADD_INDEX;
        v->table = table;
        v->index_name = c->index_name;
        v->index_column = c->column;
        snprintf(v->name, sizeof v->name, "with:%s", c->index_name);
        snprintf(v->subject, sizeof v->subject, "index %s (candidate)", c->index_name);
    }
#undef ADD
    return n;
}

/* Row callback: append the first column, quoted as an identifier, and stop. */
static int row_first(void *arg, int ncols, const char *const *names, const char *const *values)
{
    (void)names;
    if (ncols > 0 && values[0])
        wb_sql_identifier((wb_buf *)arg, values[0]);
    return 1;
}

/* Append the PostgreSQL name of t's constraint of type contype ('c' or 'f'),
 * read from the catalogue: the default names are the server's choice. */
static int pg_constraint_name(const wb_backend *b, wb_conn *c, const wb_table *t, char contype, wb_buf *out,
                              wb_error *e)
{
    wb_buf qualified = WB_BUF_INIT, sql = WB_BUF_INIT;
    b->table_name(c, t->name, &qualified);
    wb_buf_puts(&sql, "SELECT conname FROM pg_constraint WHERE conrelid = '");
    for (const char *p = wb_buf_str(&qualified); *p; p++) { /* a string literal: quotes doubled */
        if (*p == '\'')
            wb_buf_putc(&sql, '\'');
        wb_buf_putc(&sql, *p);
    }
    wb_buf_printf(&sql, "'::regclass AND contype = '%c'", contype);
    int status = b->query(c, wb_buf_str(&sql), row_first, out, e);
    wb_buf_free(&qualified);
    wb_buf_free(&sql);
    if (status == 0 && out->len == 0)
        return wb_fail(e, "%s has no constraint of type '%c'", t->name, contype);
    return status;
}

/* Change the freshly reset schema into the variant's. */
static int apply_variant(const wb_backend *b, wb_conn *c, const wb_variant *v, wb_error *e)
{
    int pg = b->dialect->kind == WB_BACKEND_POSTGRES;
    wb_buf sql = WB_BUF_INIT, name = WB_BUF_INIT;
    int status = 0;
    switch (v->kind) {
    case WB_VARIANT_BASELINE:
        break;
    case WB_VARIANT_DROP_INDEX:
        wb_buf_puts(&sql, "DROP INDEX ");
        b->table_name(c, v->index_name, &sql);
        break;
    case WB_VARIANT_DROP_CHECK:
    case WB_VARIANT_DROP_FK:
        if (!pg) /* SQLite's foreign key: switched off on the connection (see the top comment) */
            break;
        status = pg_constraint_name(b, c, v->table, v->kind == WB_VARIANT_DROP_CHECK ? 'c' : 'f', &name, e);
        wb_buf_puts(&sql, "ALTER TABLE ");
        b->table_name(c, v->table->name, &sql);
        wb_buf_printf(&sql, " DROP CONSTRAINT %s", wb_buf_str(&name));
        break;
    case WB_VARIANT_ADD_INDEX:
        wb_buf_puts(&sql, "CREATE INDEX ");
        if (pg)
            wb_sql_identifier(&sql, v->index_name); /* goes to the table's schema */
        else
            b->table_name(c, v->index_name, &sql);
        wb_buf_puts(&sql, " ON ");
        b->table_name(c, v->table->name, &sql);
        wb_buf_puts(&sql, " (");
        wb_sql_identifier(&sql, v->index_column);
        /* the prefix read compares in byte order: its index must too */
        int text = v->table->columns[wb_table_column_index(v->table, v->index_column)].type == WB_TYPE_TEXT;
        wb_buf_puts(&sql, pg && text ? " COLLATE \"C\")" : ")");
        break;
    }
    if (status == 0 && sql.len)
        status = b->exec(c, wb_buf_str(&sql), e);
    if (status != 0)
        wb_fail_prefix(e, "changing the schema for %s: ", v->name);
    wb_buf_free(&sql);
    wb_buf_free(&name);
    return status;
}

/* Load keys 1..rows with the loading strategy on c; *duration_s is its wall time. */
static int load(const wb_profile_config *cfg, const wb_target *target, wb_conn *c, double *duration_s,
                wb_error *e)
{
    wb_counters counters;
    memset(&counters, 0, sizeof counters);
    wb_error strategy_error = {{0}};
    wb_ctx ctx = {.backend = cfg->backend, .target = target, .workload = cfg->workload,
                  .phase = WB_PHASE_INSERT, .version = 1, .rows = cfg->rows, .batch = cfg->batch,
                  .threads = 1, .conns = &c, .counters = &counters, .error = &strategy_error};
    double start = wb_clock_s();
    int rc = cfg->strategy->run[target->kind](&ctx);
    *duration_s = wb_clock_s() - start;
    if (rc != 0)
        return wb_fail(e, "loading with %s%s: %s", cfg->strategy->name,
                       rc == WB_SKIP ? " (skipped by the server)" : "", strategy_error.msg);
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

/* qsort order of doubles. */
static int compare_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Whether s can load for profile on backend kind: an insert strategy, not slow,
 * not load-then-index (it would rebuild the indexes a variant removed). */
static int loading_strategy(const wb_strategy *s, wb_backend_kind kind)
{
    return strcmp(s->family, "insert") == 0 && (s->passes & WB_PASS_INSERT) && !(s->flags & WB_STRAT_SLOW) &&
           strcmp(s->name, "load-then-index") != 0 && s->run[kind] != NULL && wb_strategy_visible(s);
}

int wb_profile_pick_fastest(const wb_profile_config *cfg, const wb_strategy **out, wb_buf *report, wb_error *e)
{
    const wb_backend *b = cfg->backend;
    wb_conn *c = NULL;
    *out = NULL;
    if (b->connect(&cfg->target, &c, e) != 0 || b->claim_namespace(c, true, e) != 0) {
        b->disconnect(c);
        return -1;
    }
    double best_s = 0;
    int status = 0;
    for (const wb_strategy *s = wb_catalog; status == 0 && s->name; s++) {
        if (!loading_strategy(s, cfg->target.kind))
            continue;
        wb_profile_config one = *cfg;
        one.strategy = s;
        double duration_s = 0;
        wb_error load_error = {{0}};
        wb_verify_result verified = {0};
        status = wb_schema_reset(b, c, cfg->workload, e);
        if (status != 0)
            break;
        int rc = load(&one, &cfg->target, c, &duration_s, &load_error);
        if (rc == 0 && wb_verify(b, c, cfg->workload, cfg->rows, 1, WB_VERIFY_VALUES, &verified, &load_error) != 0)
            rc = -1;
        if (rc == 0 && !verified.ok)
            rc = wb_fail(&load_error, "did not verify: %s", verified.detail);
        echo_summary("loading with", s->name);
        if (rc != 0) {
            wb_buf_printf(report, "%s: failed: %s\n", s->name, load_error.msg);
            continue;
        }
        wb_buf_printf(report, "%s: %.6f s\n", s->name, duration_s);
        if (!*out || duration_s < best_s)
            *out = s, best_s = duration_s;
    }
    b->disconnect(c);
    if (status == 0 && !*out)
        status = wb_fail(e, "no insert strategy loaded and verified on this backend");
    return status;
}

void wb_variant_result_free(wb_variant_result *r)
{
    for (int i = 0; i < WB_PROFILE_MAX_READS; i++)
        wb_buf_free(&r->plan[i]);
}

int wb_profile_run_variant(const wb_profile_config *cfg, const wb_variant *v, wb_variant_result *out,
                           wb_error *e)
{
    memset(out, 0, sizeof *out);
    if (v->not_possible)
        return 0;
    const wb_backend *b = cfg->backend;
    wb_target target = cfg->target;
    if (v->kind == WB_VARIANT_DROP_FK && target.kind == WB_BACKEND_SQLITE &&
        wb_target_add_pragma(&target, "foreign_keys=OFF", e) != 0)
        return -1;
    wb_conn *c = NULL;
    if (b->connect(&target, &c, e) != 0 || b->claim_namespace(c, true, e) != 0) {
        b->disconnect(c);
        return -1;
    }
    /* The load is short and noisy: it runs load_repeat times from the same empty
     * state and the median counts; the last load stays for the reads. */
    int64_t loads = cfg->load_repeat < 1 ? 1 : cfg->load_repeat > WB_PROFILE_MAX_LOADS ? WB_PROFILE_MAX_LOADS : cfg->load_repeat;
    double load_s[WB_PROFILE_MAX_LOADS];
    int status = 0;
    for (int64_t l = 0; status == 0 && l < loads; l++) {
        status = wb_schema_reset(b, c, cfg->workload, e);
        if (status == 0)
            status = apply_variant(b, c, v, e);
        if (status == 0)
            status = load(cfg, &target, c, &load_s[l], e);
    }
    if (status == 0) {
        qsort(load_s, (size_t)loads, sizeof load_s[0], compare_double);
        out->load_s = loads % 2 ? load_s[loads / 2] : (load_s[loads / 2 - 1] + load_s[loads / 2]) / 2;
        out->load_repetitions = loads;
    }
    wb_verify_result verified;
    if (status == 0)
        status = wb_verify(b, c, cfg->workload, cfg->rows, 1, WB_VERIFY_VALUES, &verified, e);
    if (status == 0 && !verified.ok)
        status = wb_fail(e, "the load did not verify: %s", verified.detail);
    if (status == 0) {
        out->rows_verified = verified.rows_verified;
        /* fresh statistics, as a loaded table would have after autovacuum */
        status = b->exec(c, "ANALYZE", e);
    }
    out->reads = wb_reads_for(cfg->workload, &out->nreads);
    if (out->nreads > WB_PROFILE_MAX_READS)
        out->nreads = WB_PROFILE_MAX_READS;
    for (int i = 0; status == 0 && i < out->nreads; i++) {
        status = wb_read_plan(b, c, cfg->workload, &out->reads[i], cfg->rows, &out->plan[i], e);
        if (status == 0)
            status = wb_read_measure(b, c, cfg->workload, &out->reads[i], cfg->rows, cfg->repeat,
                                     &out->latency[i], e);
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

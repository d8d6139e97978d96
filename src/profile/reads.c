/* The workload's typical reads (see reads.h). Parameters come from the
 * generator (wb_row_make), so a lookup always asks for a value that exists;
 * the key of repetition rep is spread over 1..rows by a multiplicative hash so
 * that successive repetitions do not hit neighbouring pages. */
#include "profile/reads.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "runner/child.h"
#include "util/clock.h"

/* The key repetition rep looks up: deterministic, spread over 1..rows. */
static int64_t key_of(int64_t rows, int64_t rep)
{
    return 1 + (int64_t)(((uint64_t)rep * 2654435761u) % (uint64_t)rows);
}

/* Make p the text value text[0..len), cut to fit. */
static void set_text(wb_read_param *p, const char *text, size_t len)
{
    if (len >= sizeof p->text)
        len = sizeof p->text - 1;
    memcpy(p->text, text, len);
    p->text[len] = '\0';
    p->type = WB_TYPE_TEXT;
}

/* Column col of the first row at or after key k (wrapping) where it is not NULL:
 * hostile values include NULLs, and "= NULL" would match nothing. */
static void column_param(const wb_table *t, int col, int64_t rows, int64_t k, wb_read_param *out)
{
    wb_row row;
    for (int64_t tries = 0; tries < rows; tries++) {
        wb_row_make(t, k, 1, &row);
        if (!row.v[col].is_null) {
            set_text(out, row.v[col].text, row.v[col].len);
            return;
        }
        k = k % rows + 1;
    }
    set_text(out, "", 0);
}

/* Append the backend's qualified, quoted name of table. */
static void put_table(const wb_backend *b, wb_conn *c, const char *table, wb_buf *out)
{
    b->table_name(c, table, out);
}

/* Append parameter n (1-based) in the dialect's numbered form: "$1", "?1". */
static void put_param(const wb_backend *b, int n, wb_buf *out)
{
    wb_buf_printf(out, "%s%d", b->dialect->param_prefix, n);
}

/* --- products --- (each read: an sql_ builder and a params_ filler, see wb_read_def) */

static void sql_by_name(const wb_backend *b, wb_conn *c, wb_buf *out)
{
    wb_buf_puts(out, "SELECT id, name, category, price FROM ");
    put_table(b, c, "products", out);
    wb_buf_puts(out, " WHERE name = ");
    put_param(b, 1, out);
}

static void params_by_name(const wb_workload *w, int64_t rows, int64_t rep, wb_read_param *out)
{
    column_param(&w->tables[0], wb_table_column_index(&w->tables[0], "name"), rows, key_of(rows, rep), out);
}

static void sql_by_category(const wb_backend *b, wb_conn *c, wb_buf *out)
{
    wb_buf_puts(out, "SELECT id, name, category, price FROM ");
    put_table(b, c, "products", out);
    wb_buf_puts(out, " WHERE category = ");
    put_param(b, 1, out);
}

static void params_by_category(const wb_workload *w, int64_t rows, int64_t rep, wb_read_param *out)
{
    column_param(&w->tables[0], wb_table_column_index(&w->tables[0], "category"), rows, key_of(rows, rep),
                 out);
}

static void sql_price_above(const wb_backend *b, wb_conn *c, wb_buf *out)
{
    wb_buf_puts(out, "SELECT id, name, price FROM ");
    put_table(b, c, "products", out);
    wb_buf_puts(out, " WHERE price > ");
    put_param(b, 1, out);
}

/* Thresholds 9900.00..9989.00: prices spread over 0..9999.99, so about 0.1% to
 * 1% of the rows, the selective range query an index on price would serve. */
static void params_price_above(const wb_workload *w, int64_t rows, int64_t rep, wb_read_param *out)
{
    (void)w;
    (void)rows;
    out->type = WB_TYPE_DECIMAL;
    out->i64 = (9900 + rep % 90) * 100;
    snprintf(out->text, sizeof out->text, "%lld.00", (long long)(out->i64 / 100));
}

static void sql_count_per_category(const wb_backend *b, wb_conn *c, wb_buf *out)
{
    wb_buf_puts(out, "SELECT category, count(*) FROM ");
    put_table(b, c, "products", out);
    wb_buf_puts(out, " GROUP BY category");
}

static void params_none(const wb_workload *w, int64_t rows, int64_t rep, wb_read_param *out)
{
    (void)w, (void)rows, (void)rep, (void)out;
}

/* --- users --- */

static void sql_user_by_id(const wb_backend *b, wb_conn *c, wb_buf *out)
{
    wb_buf_puts(out, "SELECT id, name, fullname FROM ");
    put_table(b, c, "user_account", out);
    wb_buf_puts(out, " WHERE id = ");
    put_param(b, 1, out);
}

static void params_user_key(const wb_workload *w, int64_t rows, int64_t rep, wb_read_param *out)
{
    (void)w;
    out->type = WB_TYPE_INT64;
    out->i64 = key_of(rows, rep);
    snprintf(out->text, sizeof out->text, "%lld", (long long)out->i64);
}

static void sql_user_with_address(const wb_backend *b, wb_conn *c, wb_buf *out)
{
    wb_buf_puts(out, "SELECT u.id, u.name, u.fullname, a.street_address FROM ");
    put_table(b, c, "user_account", out);
    wb_buf_puts(out, " u JOIN ");
    put_table(b, c, "address", out);
    wb_buf_puts(out, " a ON a.user_id = u.id WHERE u.id = ");
    put_param(b, 1, out);
}

/* A byte-order range, so that a plain b-tree index can serve it: on PostgreSQL
 * the comparison is in the "C" collation (the candidate index is too); SQLite's
 * default BINARY collation already is byte order. LIKE 'p%' would need
 * case_sensitive_like on SQLite and text_pattern_ops on PostgreSQL. */
static void sql_users_by_prefix(const wb_backend *b, wb_conn *c, wb_buf *out)
{
    const char *collate = b->dialect->byte_order_collation;
    wb_buf_puts(out, "SELECT id, name FROM ");
    put_table(b, c, "user_account", out);
    wb_buf_printf(out, " WHERE name%s >= ", collate);
    put_param(b, 1, out);
    wb_buf_printf(out, " AND name%s < ", collate);
    put_param(b, 2, out);
}

/* The prefix is a user's name without its last character (UTF-8 aware); the
 * upper bound is the prefix with its last byte plus one. */
static void params_users_by_prefix(const wb_workload *w, int64_t rows, int64_t rep, wb_read_param *out)
{
    column_param(&w->tables[0], wb_table_column_index(&w->tables[0], "name"), rows, key_of(rows, rep),
                 &out[0]);
    size_t len = strlen(out[0].text);
    if (len > 1) {
        len--;
        while (len > 1 && ((unsigned char)out[0].text[len] & 0xC0) == 0x80)
            len--;
        out[0].text[len] = '\0';
    }
    out[1] = out[0];
    len = strlen(out[1].text);
    if (len > 0 && (unsigned char)out[1].text[len - 1] < 0x7F)
        out[1].text[len - 1]++;
    else if (len + 4 < sizeof out[1].text) /* past ASCII: the prefix + U+10FFFF, still valid UTF-8 */
        memcpy(out[1].text + len, "\xF4\x8F\xBF\xBF", 5);
}

static const wb_read_def reads[] = {
    {"products", "by-name", "one product by its unique name", 1, sql_by_name, params_by_name},
    {"products", "by-category", "every product of one category (1 of 100)", 1, sql_by_category,
     params_by_category},
    {"products", "price-above", "products above a price threshold (about 0.1-1% of rows)", 1,
     sql_price_above, params_price_above},
    {"products", "count-per-category", "row count of each category (whole-table aggregate)", 0,
     sql_count_per_category, params_none},
    {"users", "user-by-id", "one user by primary key", 1, sql_user_by_id, params_user_key},
    {"users", "user-with-address", "one user joined with its address", 1, sql_user_with_address,
     params_user_key},
    {"users", "users-by-name-prefix", "users whose name starts with a prefix", 2, sql_users_by_prefix,
     params_users_by_prefix},
};

const wb_read_def *wb_reads_for(const wb_workload *w, int *n)
{
    const wb_read_def *first = NULL;
    *n = 0;
    /* the reads name the shipped workloads' columns: a file that only shares a name gets none */
    if (!wb_workload_is_shipped(w))
        return NULL;
    for (size_t i = 0; i < sizeof reads / sizeof reads[0]; i++)
        if (strcmp(reads[i].workload, w->name) == 0) {
            if (!first)
                first = &reads[i];
            (*n)++;
        }
    return first;
}

/* --- execution, through the backend's statement layer --- */

typedef struct prepared {
    const wb_backend *b;
    wb_stmt *stmt;
    int nparams;
} prepared;

/* Prepare sql once on c (a statement that stays prepared: a named one on a server). */
static int prepare(const wb_backend *b, wb_conn *c, const char *sql, int nparams, prepared *p, wb_error *e)
{
    p->b = b;
    p->nparams = nparams;
    p->stmt = NULL;
    if (b->stmt_prepare(c, sql, nparams, 0, NULL, &p->stmt, e) != 0)
        return wb_fail_prefix(e, "preparing '%s': ", sql);
    return 0;
}

/* Release what prepare() made. */
static void unprepare(prepared *p)
{
    p->b->stmt_finalize(p->stmt);
    p->stmt = NULL;
}

/* Bind params to st: integers as integers, decimals and text as their text (an
 * exact decimal; SQLite compares it with the NUMERIC column as a number). With
 * as_text, every one as text (a plan's parameters). */
static int bind_params(const wb_backend *b, wb_stmt *st, const wb_read_param *params, int nparams, int as_text,
                       wb_error *e)
{
    for (int i = 0; i < nparams; i++) {
        const wb_read_param *p = &params[i];
        int integer = p->type == WB_TYPE_INT64 && !as_text;
        wb_bind_value value = {integer ? WB_BIND_INT64 : WB_BIND_TEXT, p->i64, p->text, strlen(p->text)};
        if (b->stmt_bind(st, i, 1, &value, e) != 0)
            return wb_fail_prefix(e, "parameter %d: ", i + 1);
    }
    return 0;
}

/* Execute p once with params, fetching every row into nothing; *rows_out = rows. */
static int run_prepared(prepared *p, const wb_read_param *params, int64_t *rows_out, wb_error *e)
{
    if (bind_params(p->b, p->stmt, params, p->nparams, 0, e) != 0)
        return -1;
    return p->b->stmt_exec(p->stmt, "read", NULL, NULL, rows_out, e);
}

/* qsort order of int64_t. */
static int compare_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

/* Nearest-rank percentile of sorted values, in microseconds. */
static double percentile_us(const int64_t *sorted_ns, int64_t n, double pct)
{
    int64_t rank = (int64_t)((pct / 100.0) * (double)n + 0.999999);
    if (rank < 1)
        rank = 1;
    if (rank > n)
        rank = n;
    return (double)sorted_ns[rank - 1] / 1000.0;
}

int wb_read_measure(const wb_backend *b, wb_conn *c, const wb_workload *w, const wb_read_def *r,
                    int64_t rows, int64_t repeat, wb_latency *out, wb_error *e)
{
    memset(out, 0, sizeof *out);
    wb_buf sql = WB_BUF_INIT;
    r->sql(b, c, &sql);
    prepared p;
    int status = prepare(b, c, wb_buf_str(&sql), r->nparams, &p, e);
    if (status != 0) {
        wb_buf_free(&sql);
        return -1;
    }
    int64_t *ns = wb_xcalloc((size_t)repeat, sizeof *ns);
    wb_read_param params[WB_READ_MAX_PARAMS];
    int64_t returned = 0, total_returned = 0;
    memset(params, 0, sizeof params);
    r->params(w, rows, 0, params);
    status = run_prepared(&p, params, &returned, e); /* warm-up: not timed */
    for (int64_t i = 0; status == 0 && i < repeat; i++) {
        if (wb_interrupted()) { /* a scan at many rows, K times: Ctrl-C must not wait for it */
            status = wb_fail(e, "interrupted by the user");
            break;
        }
        r->params(w, rows, i, params);
        int64_t start = wb_clock_ns();
        status = run_prepared(&p, params, &returned, e);
        ns[i] = wb_clock_ns() - start;
        total_returned += returned;
    }
    if (status == 0) {
        double sum = 0;
        wb_stats_init(&out->samples_us);
        for (int64_t i = 0; i < repeat; i++) {
            sum += (double)ns[i];
            wb_stats_add(&out->samples_us, (double)ns[i] / 1000.0);
        }
        qsort(ns, (size_t)repeat, sizeof *ns, compare_i64);
        out->repetitions = repeat;
        out->mean_us = sum / (double)repeat / 1000.0;
        out->p50_us = percentile_us(ns, repeat, 50);
        out->p95_us = percentile_us(ns, repeat, 95);
        out->p99_us = percentile_us(ns, repeat, 99);
        out->rows_returned_mean = (double)total_returned / (double)repeat;
    } else {
        wb_fail_prefix(e, "read %s: ", r->name);
    }
    free(ns);
    unprepare(&p);
    wb_buf_free(&sql);
    return status;
}

/* A plan's rows as lines: one per row, or (the dialect's explain_tree) the rows
 * (id, parent, unused, detail) indented by their depth, like the sqlite3 shell. */
typedef struct plan_lines {
    int tree;
    int ids[256], depths[256], n;
    wb_buf *out;
} plan_lines;

static int plan_row(void *arg, int ncols, const char *const *names, const char *const *values)
{
    (void)names;
    plan_lines *pl = arg;
    if (!pl->tree) {
        wb_buf_printf(pl->out, "%s\n", ncols > 0 && values[0] ? values[0] : "");
        return 0;
    }
    if (ncols < 4)
        return 0;
    int id = values[0] ? atoi(values[0]) : 0, parent = values[1] ? atoi(values[1]) : 0, depth = 0;
    for (int i = 0; i < pl->n; i++)
        if (pl->ids[i] == parent)
            depth = pl->depths[i] + 1;
    if (pl->n < 256)
        pl->ids[pl->n] = id, pl->depths[pl->n] = depth, pl->n++;
    for (int d = 0; d < depth; d++)
        wb_buf_puts(pl->out, "  ");
    wb_buf_printf(pl->out, "%s\n", values[3] ? values[3] : "");
    return 0;
}

int wb_read_plan(const wb_backend *b, wb_conn *c, const wb_workload *w, const wb_read_def *r,
                 int64_t rows, wb_buf *out, wb_error *e)
{
    wb_buf sql = WB_BUF_INIT;
    r->sql(b, c, &sql);
    wb_read_param params[WB_READ_MAX_PARAMS];
    memset(params, 0, sizeof params);
    r->params(w, rows, 0, params);
    /* The dialect's EXPLAIN with the parameters bound: the plan the prepared statement
     * gets (PostgreSQL: EXPLAIN (ANALYZE, BUFFERS), which runs it). */
    wb_buf explain = WB_BUF_INIT;
    wb_buf_printf(&explain, "%s%s", b->dialect->explain_prefix, wb_buf_str(&sql));
    plan_lines lines = {b->dialect->explain_tree, {0}, {0}, 0, out};
    wb_stmt *st = NULL;
    int status = b->stmt_prepare(c, wb_buf_str(&explain), r->nparams, WB_STMT_ONCE, NULL, &st, e);
    if (status == 0)
        status = bind_params(b, st, params, r->nparams, 1, e);
    if (status == 0)
        status = b->stmt_exec(st, "EXPLAIN", plan_row, &lines, NULL, e);
    b->stmt_finalize(st);
    wb_buf_free(&explain);
    wb_buf_free(&sql);
    if (status != 0)
        wb_fail_prefix(e, "read %s: ", r->name);
    return status;
}

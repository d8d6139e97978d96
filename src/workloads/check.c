/* The load-time check (see check.h): the two definitions of every column, the C
 * generator and its SQL expression, compared on the target database itself for a
 * sample of rows before anything is measured.
 *
 * One SELECT per table: the C values travel as literals in a VALUES list, the
 * database computes the SQL expressions of the same keys next to them and
 * returns the first row where any column is distinct from its expression (and
 * the expression's value as text, for the message). So the comparison uses the
 * database's own arithmetic, text functions and NULL rules, exactly as the
 * verifier will. */
#include "workloads/check.h"

#include <malloc.h>
#include <stdlib.h>
#include <string.h>

#include "util/display.h"
#include "workloads/gen_internal.h"

#define LOW_KEYS 100 /* keys 1..100 hold every hostile kind of every column, in both versions */
#define HIGH_KEYS 10 /* the last keys of the run: the biggest numbers */

int wb_check_sample_keys(int64_t last_key, int64_t *keys)
{
    int n = 0;
    for (int64_t k = 1; k <= LOW_KEYS; k++)
        keys[n++] = k;
    int64_t from = last_key - HIGH_KEYS + 1;
    if (from <= LOW_KEYS)
        from = LOW_KEYS + 1;
    for (int64_t k = from; k <= last_key; k++)
        keys[n++] = k;
    return n;
}

/* The SQL type a C value's literal is given when it is NULL, so that the VALUES
 * column has the column's kind of type on PostgreSQL even where the sample holds
 * only NULLs. Both backends accept these names. */
static const char *const null_cast[] = {
    [WB_TYPE_INT64] = "bigint",
    [WB_TYPE_TEXT] = "text",
    [WB_TYPE_DECIMAL] = "numeric",
};

/* Append the C value v as an SQL literal. */
static void put_literal(wb_buf *out, const wb_value *v, const wb_dialect *d)
{
    if (v->is_null)
        wb_buf_printf(out, "CAST(NULL AS %s)", null_cast[v->type]);
    else if (v->type == WB_TYPE_TEXT)
        wb_sql_text_value(out, v->text, v->len, d);
    else
        wb_buf_append(out, v->text, v->len); /* digits, or the exact decimal "79.19" */
}

/* What the query found: the first row where C and SQL differ. */
typedef struct finding {
    int found;
    int64_t key;
    int version;
    int column;
    char *sql_value; /* as text; NULL for SQL NULL */
    int ncolumns;
} finding;

static int read_finding(void *arg, int ncols, const char *const *names, const char *const *values)
{
    (void)names;
    finding *f = arg;
    if (ncols < 2 + 2 * f->ncolumns || !values[0] || !values[1])
        return 1;
    f->found = 1;
    f->key = strtoll(values[0], NULL, 10);
    f->version = atoi(values[1]);
    for (int c = 0; c < f->ncolumns; c++)
        if (values[2 + 2 * c] && strcmp(values[2 + 2 * c], "1") == 0) {
            f->column = c;
            f->sql_value = values[3 + 2 * c] ? wb_xstrdup(values[3 + 2 * c]) : NULL;
            break;
        }
    return 1;
}

/* Append the check's SELECT for table t over keys[0..nkeys), both versions. */
static void put_check_query(const wb_table *t, const int64_t *keys, int nkeys, const wb_dialect *d, wb_buf *sql)
{
    wb_buf_puts(sql, "SELECT k, v");
    for (int c = 0; c < t->ncolumns; c++)
        wb_buf_printf(sql, ", CASE WHEN c%d %s x%d THEN 1 ELSE 0 END, CAST(x%d AS TEXT)", c, d->distinct_op, c, c);
    wb_buf_puts(sql, " FROM (SELECT k, v");
    for (int c = 0; c < t->ncolumns; c++) {
        wb_buf_printf(sql, ", c%d, CASE WHEN v = 1 THEN ", c);
        wb_column_sql(t, c, 1, "k", d, sql);
        wb_buf_puts(sql, " ELSE ");
        wb_column_sql(t, c, 2, "k", d, sql);
        wb_buf_printf(sql, " END AS x%d", c);
    }
    /* VALUES names its columns column1, column2, ... on both backends */
    wb_buf_puts(sql, " FROM (SELECT column1 AS k, column2 AS v");
    for (int c = 0; c < t->ncolumns; c++)
        wb_buf_printf(sql, ", column%d AS c%d", c + 3, c);
    wb_buf_puts(sql, " FROM (VALUES ");
    wb_row r = WB_ROW_INIT;
    for (int i = 0; i < nkeys; i++)
        for (int version = 1; version <= 2; version++) {
            wb_row_make(t, keys[i], version, &r);
            wb_buf_printf(sql, "%s(%lld, %d", i || version > 1 ? ", " : "", (long long)keys[i], version);
            for (int c = 0; c < t->ncolumns; c++) {
                wb_buf_puts(sql, ", ");
                put_literal(sql, &r.v[c], d);
            }
            wb_buf_putc(sql, ')');
        }
    wb_row_free(&r);
    wb_buf_puts(sql, ") AS c_values) AS sample) AS both_sides WHERE ");
    for (int c = 0; c < t->ncolumns; c++)
        wb_buf_printf(sql, "%sc%d %s x%d", c ? " OR " : "", c, d->distinct_op, c);
    wb_buf_puts(sql, " ORDER BY k, v LIMIT 1");
}

int wb_workload_check(const wb_backend *b, wb_conn *c, const wb_workload *w, int64_t last_key, wb_error *e)
{
    int64_t keys[LOW_KEYS + HIGH_KEYS];
    int nkeys = wb_check_sample_keys(last_key, keys);
    wb_buf sql = WB_BUF_INIT;
    int rc = 0;
    for (int i = 0; i < w->ntables && rc == 0; i++) {
        const wb_table *t = &w->tables[i];
        wb_buf_reset(&sql);
        put_check_query(t, keys, nkeys, b->dialect, &sql);
        finding f = {.ncolumns = t->ncolumns};
        if (b->query(c, wb_buf_str(&sql), read_finding, &f, e) != 0) {
            rc = wb_fail_prefix(e, "workload %s (%s), checking table %s's C values against its SQL: ", w->name,
                                w->path, t->name);
            break;
        }
        if (!f.found)
            continue;
        wb_row r = WB_ROW_INIT;
        wb_row_make(t, f.key, f.version, &r);
        const wb_value *v = &r.v[f.column];
        wb_buf in_c = WB_BUF_INIT, in_sql = WB_BUF_INIT;
        if (v->type == WB_TYPE_TEXT || v->is_null)
            wb_display_text(&in_c, v->is_null ? NULL : v->text, v->len);
        else
            wb_buf_append(&in_c, v->text, v->len);
        if (t->columns[f.column].type == WB_TYPE_TEXT || !f.sql_value)
            wb_display_text(&in_sql, f.sql_value, f.sql_value ? strlen(f.sql_value) : 0);
        else
            wb_buf_puts(&in_sql, f.sql_value);
        wb_fail(e,
                     "workload %s (%s) is refused: its C and SQL definitions disagree in table %s, column %s, key "
                     "%lld, version %d: C makes %s, %s makes %s",
                     w->name, w->path, t->name, t->columns[f.column].name, (long long)f.key, f.version,
                     wb_buf_str(&in_c), b->name, wb_buf_str(&in_sql));
        rc = 1;
        wb_buf_free(&in_c);
        wb_buf_free(&in_sql);
        wb_row_free(&r);
        free(f.sql_value);
    }
    wb_buf_free(&sql);
    /* The check's statements are large (every sampled row's values and expressions:
     * megabytes of SQLite's parser memory). Freed, they would stay resident in the
     * process that ran them, and a run forks every test's child from it, so each
     * test's peak RSS would carry them: hand them back to the system now. */
    malloc_trim(0);
    return rc;
}

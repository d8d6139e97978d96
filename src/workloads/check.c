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

/* Append the C value v of column c as an SQL literal of its type: text through
 * wb_sql_text_value, bytes as the dialect's hex literal, numbers and booleans as
 * they are written, each with the dialect's cast of a parameter of that type, so
 * that the VALUES column has the column's type on PostgreSQL even where the
 * sample holds only NULLs. */
static void put_literal(wb_buf *out, const wb_column *c, const wb_value *v, const wb_dialect *d)
{
    static const char hex[] = "0123456789abcdef";
    const char *cast = d->types[c->sql_type].param_cast;
    if (cast)
        wb_buf_putc(out, '('); /* a cast binds tighter than the || of text pieces */
    if (v->is_null) {
        wb_buf_puts(out, "NULL");
    } else if (v->type == WB_TYPE_BYTES) {
        wb_buf_puts(out, d->bytes_from_hex.open);
        for (size_t i = 0; i < v->len; i++) {
            wb_buf_putc(out, hex[(unsigned char)v->text[i] >> 4]);
            wb_buf_putc(out, hex[(unsigned char)v->text[i] & 15]);
        }
        wb_buf_puts(out, d->bytes_from_hex.close);
    } else if (v->type == WB_TYPE_TEXT || v->type == WB_TYPE_TIME || v->type == WB_TYPE_UUID ||
               v->type == WB_TYPE_JSON) {
        wb_sql_text_value(out, v->text, wb_value_sent_len(v, d), d);
    } else {
        wb_buf_append(out, v->text, v->len); /* digits, the exact decimal "79.19", true or false */
    }
    if (cast) {
        wb_buf_putc(out, ')');
        wb_buf_puts(out, cast);
    }
}

/* Append v as a person should see it: numbers and booleans as they are, bytes in
 * hex, the rest quoted with its control characters visible. */
static void put_shown(wb_buf *out, const wb_value *v)
{
    if (v->is_null || v->type == WB_TYPE_TEXT || v->type == WB_TYPE_TIME || v->type == WB_TYPE_UUID ||
        v->type == WB_TYPE_JSON) {
        wb_display_text(out, v->is_null ? NULL : v->text, v->len);
    } else if (v->type == WB_TYPE_BYTES) {
        wb_buf_puts(out, "\\x");
        for (size_t i = 0; i < v->len; i++)
            wb_buf_printf(out, "%02x", (unsigned char)v->text[i]);
    } else {
        wb_buf_append(out, v->text, v->len);
    }
}

/* Values in the refusal are cut to this many bytes, so that the message keeps its end
 * (which backend made what) whatever the values' length. */
#define SHOWN_BYTES 160

/* Cut b to SHOWN_BYTES on a UTF-8 character boundary, marked with "...". */
static void cut_shown(wb_buf *b)
{
    if (b->len <= SHOWN_BYTES)
        return;
    size_t keep = SHOWN_BYTES;
    while (keep > 0 && ((unsigned char)b->data[keep] & 0xc0) == 0x80)
        keep--;
    b->len = keep;
    b->data[keep] = '\0';
    wb_buf_puts(b, "...");
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

/* Append the column named <side><c> in the comparison form of column col. */
static void put_compared(wb_buf *sql, const wb_column *col, const wb_dialect *d, const char *side, int c)
{
    wb_column_compare_part(col, d, 1, sql);
    wb_buf_printf(sql, "%s%d", side, c);
    wb_column_compare_part(col, d, 0, sql);
}

/* Append "c<c> is NULL-safely distinct from x<c>" in column col's comparison form and
 * the dialect's form of distinctness. */
static void put_distinct(wb_buf *sql, const wb_column *col, const wb_dialect *d, int c)
{
    wb_buf_puts(sql, wb_dialect_text(d->distinct_open));
    put_compared(sql, col, d, "c", c);
    wb_buf_printf(sql, " %s ", d->distinct_op);
    put_compared(sql, col, d, "x", c);
    wb_buf_puts(sql, wb_dialect_text(d->distinct_close));
}

/* Append the check's SELECT for table t over keys[0..nkeys), both versions. The C
 * values are a VALUES list named by a WITH clause's column list, the one way to name
 * its columns that SQLite, PostgreSQL and MariaDB all take. */
static void put_check_query(const wb_table *t, const int64_t *keys, int nkeys, const wb_dialect *d, wb_buf *sql)
{
    wb_buf_puts(sql, "WITH c_values (k, v");
    for (int c = 0; c < t->ncolumns; c++)
        wb_buf_printf(sql, ", c%d", c);
    wb_buf_puts(sql, ") AS (VALUES ");
    wb_row r = WB_ROW_INIT;
    for (int i = 0; i < nkeys; i++)
        for (int version = 1; version <= 2; version++) {
            wb_row_make(t, keys[i], version, &r);
            wb_buf_printf(sql, "%s(%lld, %d", i || version > 1 ? ", " : "", (long long)keys[i], version);
            for (int c = 0; c < t->ncolumns; c++) {
                wb_buf_puts(sql, ", ");
                put_literal(sql, &t->columns[c], &r.v[c], d);
            }
            wb_buf_putc(sql, ')');
        }
    wb_row_free(&r);
    wb_buf_puts(sql, ") SELECT k, v");
    for (int c = 0; c < t->ncolumns; c++) {
        wb_buf_puts(sql, ", CASE WHEN ");
        put_distinct(sql, &t->columns[c], d, c);
        wb_buf_printf(sql, " THEN 1 ELSE 0 END, CAST(x%d AS %s)", c, d->cast_type[WB_TYPE_TEXT]);
    }
    wb_buf_puts(sql, " FROM (SELECT k, v");
    for (int c = 0; c < t->ncolumns; c++) {
        wb_buf_printf(sql, ", c%d, CASE WHEN v = 1 THEN ", c);
        wb_column_sql(t, c, 1, "k", d, sql);
        wb_buf_puts(sql, " ELSE ");
        wb_column_sql(t, c, 2, "k", d, sql);
        wb_buf_printf(sql, " END AS x%d", c);
    }
    /* Fenced (the dialect's subquery_fence): SQLite would otherwise flatten the query
     * around them into every row of the VALUES list, copying every expression once
     * per sampled row (seconds of parsing for a wide table), and put each expression
     * where its alias x is used (three times). */
    wb_buf_printf(sql, " FROM (SELECT * FROM c_values%s) AS sample%s) AS both_sides WHERE ", d->subquery_fence,
                  d->subquery_fence);
    for (int c = 0; c < t->ncolumns; c++) {
        wb_buf_puts(sql, c ? " OR " : "");
        put_distinct(sql, &t->columns[c], d, c);
    }
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
        put_shown(&in_c, v);
        wb_type type = t->columns[f.column].type;
        if (type == WB_TYPE_TEXT || type == WB_TYPE_TIME || type == WB_TYPE_UUID || type == WB_TYPE_JSON ||
            !f.sql_value)
            wb_display_text(&in_sql, f.sql_value, f.sql_value ? strlen(f.sql_value) : 0);
        else
            wb_buf_puts(&in_sql, f.sql_value);
        cut_shown(&in_c);
        cut_shown(&in_sql);
        wb_fail(e,
                     "workload %s (%s) is refused: its C and SQL definitions disagree in table %s, column %s, key "
                     "%lld, version %d: C makes %s, %s makes %s",
                     w->name, w->path, t->name, t->columns[f.column].name, (long long)wb_table_key(t, f.key),
                     f.version,
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

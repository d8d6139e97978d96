/* Verification inside the database (see verify.h).
 *
 * Per table, ONE query scans the table once and returns: all rows, rows whose
 * key is outside 1..N (extra), rows inside 1..N whose columns are NULL-safely
 * distinct from their wb_column_sql() expression (wrong), and the first wrong
 * and first extra key; missing = N - (rows - extra), since the key is the
 * primary key. Only on failure do further queries run, to find the first
 * missing key and to show the first wrong row column by column. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/sql_text.h"
#include "runner/verify.h"
#include "util/display.h"

/* The first wrong key is computed in a subquery that the planner must not merge
 * into the aggregate: merged, the long comparison expression would be evaluated
 * once per aggregate that uses it. The dialect's subquery_fence keeps it apart. */

typedef struct table_check {
    int64_t total, extra, wrong;
    int64_t first_wrong, first_extra; /* -1: none */
    int seen;
} table_check;

/* A query value as an integer, or `none` for SQL NULL. */
static int64_t value_or(const char *text, int64_t none)
{
    return text ? strtoll(text, NULL, 10) : none;
}

/* Query callback: the five figures of the check query. */
static int read_check(void *arg, int ncols, const char *const *names, const char *const *values)
{
    (void)names;
    table_check *tc = arg;
    if (ncols < 5)
        return 1;
    tc->total = value_or(values[0], 0);
    tc->extra = value_or(values[1], 0);
    tc->wrong = value_or(values[2], 0);
    tc->first_wrong = value_or(values[3], -1);
    tc->first_extra = value_or(values[4], -1);
    tc->seen = 1;
    return 1;
}

/* ("col" IS NOT <expression of the key>), in the dialect's form: true when column
 * col is wrong. */
static void put_differs(const wb_backend *b, const wb_table *t, int col, int version, const char *key_sql,
                        wb_buf *out)
{
    const wb_dialect *d = b->dialect;
    wb_buf_printf(out, "(%s", wb_dialect_text(d->distinct_open));
    wb_sql_identifier(out, t->columns[col].name);
    wb_buf_printf(out, " %s ", d->distinct_op);
    wb_column_sql(t, col, version, key_sql, d, out);
    wb_buf_printf(out, "%s)", wb_dialect_text(d->distinct_close));
}

/* Append the one check query of table t (see the top of this file). */
static void build_check_sql(const wb_backend *b, wb_conn *c, const wb_table *t, int64_t rows, int version,
                            wb_verify_mode mode, wb_buf *out)
{
    wb_buf key = WB_BUF_INIT;
    wb_sql_identifier(&key, t->columns[0].name);
    const char *k = wb_buf_str(&key);

    wb_buf_printf(out,
                  "SELECT count(*), count(CASE WHEN NOT r THEN 1 END), count(x), min(x), "
                  "min(CASE WHEN NOT r THEN %s END) FROM (SELECT %s, (%s BETWEEN 1 AND %lld) AS r, ",
                  k, k, k, (long long)rows);
    if (mode == WB_VERIFY_COUNT || t->ncolumns < 2) {
        wb_buf_printf(out, "CAST(NULL AS %s)", b->dialect->cast_type[WB_TYPE_INT64]);
    } else {
        /* CASE, not AND: only CASE promises that keys outside 1..N (which may
         * overflow the price arithmetic on PostgreSQL) are never computed */
        wb_buf_printf(out, "CASE WHEN NOT (%s BETWEEN 1 AND %lld) THEN NULL WHEN ", k, (long long)rows);
        for (int col = 1; col < t->ncolumns; col++) {
            if (col > 1)
                wb_buf_puts(out, " OR ");
            put_differs(b, t, col, version, k, out);
        }
        wb_buf_printf(out, " THEN %s END", k);
    }
    wb_buf_puts(out, " AS x FROM ");
    b->table_name(c, t->name, out);
    wb_buf_printf(out, "%s) AS v", b->dialect->subquery_fence);
    wb_buf_free(&key);
}

/* Query callback: the first value of the first row (-1 for NULL). */
static int read_one_int(void *arg, int ncols, const char *const *names, const char *const *values)
{
    (void)names;
    int64_t *out = arg;
    if (ncols >= 1)
        *out = value_or(values[0], -1);
    return 1;
}

/* The smallest key in 1..rows absent from t (only called when one is missing). */
static int find_first_missing(const wb_backend *b, wb_conn *c, const wb_table *t, int64_t rows,
                              int64_t *first, wb_error *e)
{
    wb_buf sql = WB_BUF_INIT, table = WB_BUF_INIT, key = WB_BUF_INIT;
    b->table_name(c, t->name, &table);
    wb_sql_identifier(&key, t->columns[0].name);
    const char *tn = wb_buf_str(&table), *k = wb_buf_str(&key);
    /* key 1, or the first present key whose successor is absent: index lookups, no key series */
    wb_buf_printf(&sql,
                  "SELECT CASE WHEN NOT EXISTS (SELECT 1 FROM %s WHERE %s = 1) THEN 1 "
                  "ELSE (SELECT min(a.%s) + 1 FROM %s AS a WHERE a.%s BETWEEN 1 AND %lld "
                  "AND NOT EXISTS (SELECT 1 FROM %s AS b WHERE b.%s = a.%s + 1)) END",
                  tn, k, k, tn, k, (long long)(rows - 1), tn, k, k);
    *first = -1;
    int rc = b->query(c, wb_buf_str(&sql), read_one_int, first, e);
    wb_buf_free(&sql);
    wb_buf_free(&table);
    wb_buf_free(&key);
    return rc;
}

/* Append a value read back from the database, as a person should see it. */
static void put_shown(wb_buf *out, wb_type type, const char *text)
{
    if (text && type != WB_TYPE_TEXT && text[0] && strspn(text, "0123456789.-+eE") == strlen(text))
        wb_buf_puts(out, text);
    else
        wb_display_text(out, text, text ? strlen(text) : 0);
}

typedef struct wrong_row {
    const wb_table *t;
    const wb_row *expected;
    wb_buf *detail;
} wrong_row;

/* Columns come in pairs: the stored value, then whether it differs. */
static int describe_columns(void *arg, int ncols, const char *const *names, const char *const *values)
{
    (void)names;
    wrong_row *w = arg;
    for (int col = 1; col < w->t->ncolumns && 2 * col - 1 < ncols; col++) {
        const char *stored = values[2 * col - 2], *differs = values[2 * col - 1];
        if (!differs || (strcmp(differs, "1") != 0 && strcmp(differs, "t") != 0))
            continue;
        const wb_column *column = &w->t->columns[col];
        const wb_value *v = &w->expected->v[col];
        wb_buf_printf(w->detail, ", %s is ", column->name);
        put_shown(w->detail, column->type, stored);
        wb_buf_puts(w->detail, " but should be ");
        if (v->is_null)
            wb_buf_puts(w->detail, "NULL");
        else if (column->type == WB_TYPE_TEXT)
            wb_display_text(w->detail, v->text, v->len);
        else
            wb_buf_append(w->detail, v->text, v->len);
    }
    return 1;
}

/* Append ", col is X but should be Y" for each wrong column of row key. */
static int describe_wrong_row(const wb_backend *b, wb_conn *c, const wb_table *t, int64_t key, int version,
                              wb_buf *detail, wb_error *e)
{
    wb_buf sql = WB_BUF_INIT, k = WB_BUF_INIT;
    wb_sql_identifier(&k, t->columns[0].name);
    wb_buf_puts(&sql, "SELECT ");
    for (int col = 1; col < t->ncolumns; col++) {
        if (col > 1)
            wb_buf_puts(&sql, ", ");
        wb_sql_identifier(&sql, t->columns[col].name);
        wb_buf_puts(&sql, ", ");
        put_differs(b, t, col, version, wb_buf_str(&k), &sql);
    }
    wb_buf_puts(&sql, " FROM ");
    b->table_name(c, t->name, &sql);
    wb_buf_printf(&sql, " WHERE %s = %lld", wb_buf_str(&k), (long long)key);

    wb_row expected;
    wb_row_make(t, key, version, &expected);
    wrong_row w = {t, &expected, detail};
    int rc = b->query(c, wb_buf_str(&sql), describe_columns, &w, e);
    wb_buf_free(&sql);
    wb_buf_free(&k);
    return rc;
}

/* one or many, by n. */
static const char *plural(int64_t n, const char *one, const char *many)
{
    return n == 1 ? one : many;
}

/* Check one table; append its failure to detail ("; " between tables). */
static int verify_table(const wb_backend *b, wb_conn *c, const wb_table *t, int64_t rows, int version,
                        wb_verify_mode mode, wb_verify_result *out, wb_buf *detail, wb_error *e)
{
    wb_buf sql = WB_BUF_INIT;
    table_check tc = {0, 0, 0, -1, -1, 0};
    build_check_sql(b, c, t, rows, version, mode, &sql);
    int rc = b->query(c, wb_buf_str(&sql), read_check, &tc, e);
    wb_buf_free(&sql);
    if (rc != 0)
        return wb_fail_prefix(e, "verify %s: ", t->name);
    if (!tc.seen)
        return wb_fail(e, "verify %s: the check query returned no row", t->name);

    int64_t present = tc.total - tc.extra;
    int64_t missing = rows - present > 0 ? rows - present : 0;
    out->rows_verified += present - tc.wrong;
    if (missing == 0 && tc.extra == 0 && tc.wrong == 0)
        return 0;

    out->ok = 0;
    const char *sep = "";
    wb_buf_printf(detail, "%s%s: ", detail->len ? "; " : "", t->name);
    if (missing) {
        int64_t first = -1;
        if (find_first_missing(b, c, t, rows, &first, e) != 0)
            return wb_fail_prefix(e, "verify %s: ", t->name);
        wb_buf_printf(detail, "%lld of %lld %s missing (first: key %lld)", (long long)missing,
                      (long long)rows, plural(rows, "row", "rows"), (long long)first);
        sep = ", ";
    }
    if (tc.extra) {
        wb_buf_printf(detail, "%s%lld extra %s outside keys 1..%lld (first: key %lld)", sep,
                      (long long)tc.extra, plural(tc.extra, "row", "rows"), (long long)rows,
                      (long long)tc.first_extra);
        sep = ", ";
    }
    if (tc.wrong) {
        wb_buf_printf(detail, "%s%lld of %lld %s wrong (first: key %lld", sep, (long long)tc.wrong,
                      (long long)rows, plural(rows, "row", "rows"), (long long)tc.first_wrong);
        if (describe_wrong_row(b, c, t, tc.first_wrong, version, detail, e) != 0)
            return wb_fail_prefix(e, "verify %s: ", t->name);
        wb_buf_putc(detail, ')');
    }
    return 0;
}

/* Copy text into a fixed buffer, cutting on a UTF-8 character boundary with "..." when it is too long. */
static void copy_detail(char *dst, size_t cap, const char *text, size_t len)
{
    if (len < cap) {
        memcpy(dst, text, len + 1);
        return;
    }
    size_t keep = cap - 4;
    while (keep > 0 && ((unsigned char)text[keep] & 0xc0) == 0x80)
        keep--;
    memcpy(dst, text, keep);
    memcpy(dst + keep, "...", 4);
}

int wb_verify(const wb_backend *b, wb_conn *c, const wb_workload *w, int64_t rows, int version,
              wb_verify_mode mode, wb_verify_result *out, wb_error *e)
{
    wb_buf detail = WB_BUF_INIT;
    out->ok = 1;
    out->rows_verified = 0;
    out->detail[0] = '\0';
    if (version != 1 && version != 2)
        return wb_fail(e, "verify: data version must be 1 or 2 (got %d)", version);
    for (int i = 0; i < w->ntables; i++) {
        if (verify_table(b, c, &w->tables[i], rows, version, mode, out, &detail, e) != 0) {
            wb_buf_free(&detail);
            return -1;
        }
    }
    copy_detail(out->detail, sizeof out->detail, wb_buf_str(&detail), detail.len);
    wb_buf_free(&detail);
    return 0;
}

/* ---- --verify count: did the update pass change anything? ---- */

/* The side table that keeps a table's changed columns before an update pass. */
static void put_before_name(const wb_backend *b, wb_conn *c, const wb_table *t, wb_buf *out)
{
    char name[160];
    snprintf(name, sizeof name, "writebench_before_%s", t->name);
    b->table_name(c, name, out);
}

/* Whether t has columns that version 2 changes. */
static int has_updated_columns(const wb_table *t)
{
    for (int col = 1; col < t->ncolumns; col++)
        if (t->columns[col].updated)
            return 1;
    return 0;
}

int wb_verify_forget_before(const wb_backend *b, wb_conn *c, const wb_workload *w, wb_error *e)
{
    wb_buf sql = WB_BUF_INIT;
    for (int i = 0; i < w->ntables; i++) {
        wb_buf_puts(&sql, "DROP TABLE IF EXISTS ");
        put_before_name(b, c, &w->tables[i], &sql);
        wb_buf_puts(&sql, ";\n");
    }
    int rc = b->exec(c, wb_buf_str(&sql), e);
    wb_buf_free(&sql);
    return rc;
}

int wb_verify_keep_before(const wb_backend *b, wb_conn *c, const wb_workload *w, wb_error *e)
{
    if (wb_verify_forget_before(b, c, w, e) != 0)
        return -1;
    wb_buf sql = WB_BUF_INIT;
    for (int i = 0; i < w->ntables; i++) {
        const wb_table *t = &w->tables[i];
        if (!has_updated_columns(t))
            continue;
        wb_buf_puts(&sql, "CREATE TABLE ");
        put_before_name(b, c, t, &sql);
        wb_buf_puts(&sql, " AS SELECT ");
        wb_sql_identifier(&sql, t->columns[0].name);
        for (int col = 1; col < t->ncolumns; col++)
            if (t->columns[col].updated) {
                wb_buf_puts(&sql, ", ");
                wb_sql_identifier(&sql, t->columns[col].name);
            }
        wb_buf_puts(&sql, " FROM ");
        b->table_name(c, t->name, &sql);
        wb_buf_puts(&sql, ";\n");
    }
    int rc = sql.len ? b->exec(c, wb_buf_str(&sql), e) : 0;
    wb_buf_free(&sql);
    return rc == 0 ? 0 : wb_fail_prefix(e, "keeping the rows before the update pass: ");
}

/* Query callback: a count and the first key (NULL: none). */
static int read_count_and_key(void *arg, int ncols, const char *const *names, const char *const *values)
{
    (void)names;
    int64_t *out = arg;
    if (ncols >= 2) {
        out[0] = value_or(values[0], 0);
        out[1] = value_or(values[1], -1);
    }
    return 1;
}

int wb_verify_changed(const wb_backend *b, wb_conn *c, const wb_workload *w, int64_t rows, wb_verify_result *out,
                      wb_error *e)
{
    wb_buf detail = WB_BUF_INIT, sql = WB_BUF_INIT, key = WB_BUF_INIT;
    wb_buf_puts(&detail, out->detail);
    int rc = 0;
    for (int i = 0; i < w->ntables && rc == 0; i++) {
        const wb_table *t = &w->tables[i];
        if (!has_updated_columns(t))
            continue;
        wb_buf_reset(&sql);
        wb_buf_reset(&key);
        wb_buf_puts(&key, "cur.");
        wb_sql_identifier(&key, t->columns[0].name);
        const char *k = wb_buf_str(&key);
        /* unchanged: every changed column still equals what was kept (NULL-safely);
         * should have changed: the generator's two versions differ in some column */
        wb_buf_printf(&sql, "SELECT count(*), min(%s) FROM ", k);
        b->table_name(c, t->name, &sql);
        wb_buf_puts(&sql, " AS cur JOIN ");
        put_before_name(b, c, t, &sql);
        wb_buf_puts(&sql, " AS prev ON prev.");
        wb_sql_identifier(&sql, t->columns[0].name);
        wb_buf_printf(&sql, " = %s WHERE %s BETWEEN 1 AND %lld", k, k, (long long)rows);
        for (int col = 1; col < t->ncolumns; col++) {
            if (!t->columns[col].updated)
                continue;
            wb_buf_printf(&sql, " AND NOT (%scur.", wb_dialect_text(b->dialect->distinct_open));
            wb_sql_identifier(&sql, t->columns[col].name);
            wb_buf_printf(&sql, " %s prev.", b->dialect->distinct_op);
            wb_sql_identifier(&sql, t->columns[col].name);
            wb_buf_printf(&sql, "%s)", wb_dialect_text(b->dialect->distinct_close));
        }
        wb_buf_puts(&sql, " AND (");
        for (int col = 1, n = 0; col < t->ncolumns; col++) {
            if (!t->columns[col].updated)
                continue;
            if (n++)
                wb_buf_puts(&sql, " OR ");
            wb_buf_printf(&sql, "(%s", wb_dialect_text(b->dialect->distinct_open));
            wb_column_sql(t, col, 1, k, b->dialect, &sql);
            wb_buf_printf(&sql, " %s ", b->dialect->distinct_op);
            wb_column_sql(t, col, 2, k, b->dialect, &sql);
            wb_buf_printf(&sql, "%s)", wb_dialect_text(b->dialect->distinct_close));
        }
        wb_buf_puts(&sql, ")");
        int64_t found[2] = {0, -1};
        rc = b->query(c, wb_buf_str(&sql), read_count_and_key, found, e);
        if (rc != 0) {
            rc = wb_fail_prefix(e, "checking that the update pass changed %s: ", t->name);
        } else if (found[0] > 0) {
            out->ok = 0;
            out->rows_verified -= found[0] < out->rows_verified ? found[0] : out->rows_verified;
            wb_buf_printf(&detail, "%s%s: %lld of %lld %s unchanged by the update pass although version 2 "
                                   "changes them (first: key %lld)",
                          detail.len ? "; " : "", t->name, (long long)found[0], (long long)rows,
                          plural(rows, "row", "rows"), (long long)found[1]);
        }
    }
    if (rc == 0)
        copy_detail(out->detail, sizeof out->detail, wb_buf_str(&detail), detail.len);
    wb_buf_free(&detail);
    wb_buf_free(&sql);
    wb_buf_free(&key);
    return rc;
}

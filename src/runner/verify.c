/* Verification inside the database (see verify.h).
 *
 * Per table, a values query (cut into key-range parts on big tables, see below)
 * scans keys 1..N once and counts the rows present there and the rows whose columns
 * are NULL-safely distinct from their wb_column_sql() expression (wrong); a counts
 * query reads only the keys outside 1..N (extra) and the first of them, two index
 * range lookups. missing = N - present, since the key is the primary key. The table
 * is read once: on PostgreSQL the first read of freshly loaded rows also sets every
 * row's hint bits (it writes every page), so a second full scan for count(*) would
 * cost as much as the check itself. Only on failure do further queries run: to find
 * the first missing key, the first wrong key, and to show the first wrong row
 * column by column. Without a values check (--verify count) the counts query counts
 * all rows itself. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util/sql_text.h"
#include "runner/verify.h"
#include "util/display.h"

/* Parts: the values scan of a big table is cut into key ranges checked at once on
 * several connections (one per core, at most WB_VERIFY_MAX_PARTS), because on
 * SQLite evaluating every column's SQL definition for every row is CPU work of one
 * core per query, and verification should cost little beside the load it checks.
 * A part has at least rows_per_part keys: below that, the extra
 * connection costs more than it saves. */
#define WB_VERIFY_MAX_PARTS 4
static int64_t rows_per_part = 100000;

void wb_verify_test_rows_per_part(int64_t rows)
{
    rows_per_part = rows;
}

typedef struct table_check {
    int64_t total, present, extra, wrong; /* total: only when the counts query counts all rows */
    int64_t first_wrong, first_extra; /* -1: none */
    int seen;
} table_check;

/* A query value as an integer, or `none` for SQL NULL. */
static int64_t value_or(const char *text, int64_t none)
{
    return text ? strtoll(text, NULL, 10) : none;
}

/* Query callback: the three figures of the counts query (all rows or 0, extra rows, first extra key). */
static int read_counts(void *arg, int ncols, const char *const *names, const char *const *values)
{
    (void)names;
    table_check *tc = arg;
    if (ncols < 3)
        return 1;
    tc->total = value_or(values[0], 0);
    tc->extra = value_or(values[1], 0);
    tc->first_extra = value_or(values[2], -1);
    tc->seen = 1;
    return 1;
}

/* ("col" IS NOT <expression of the key>), in the dialect's form: true when column
 * col is wrong. */
static void put_differs(const wb_backend *b, const wb_table *t, int col, int version, const char *key_sql,
                        wb_buf *out)
{
    const wb_column *c = &t->columns[col];
    wb_buf_printf(out, "(%s", wb_dialect_text(b->dialect->distinct_open));
    wb_column_compare_part(c, b->dialect, 1, out);
    wb_sql_identifier(out, c->name);
    wb_column_compare_part(c, b->dialect, 0, out);
    wb_buf_printf(out, " %s ", b->dialect->distinct_op);
    wb_column_compare_part(c, b->dialect, 1, out);
    wb_column_sql(t, col, version, key_sql, b->dialect, out);
    wb_column_compare_part(c, b->dialect, 0, out);
    wb_buf_printf(out, "%s)", wb_dialect_text(b->dialect->distinct_close));
}

/* Whether values of this type are shown as quoted text (else as they are: numbers). */
static int shown_quoted(wb_type type)
{
    return type == WB_TYPE_TEXT || type == WB_TYPE_TIME || type == WB_TYPE_UUID || type == WB_TYPE_JSON ||
           type == WB_TYPE_BYTES;
}

/* Append the counts query of table t, used when no values scan runs: all rows, rows
 * whose key is outside 1..N and the first of them. Only the key is read. */
static void build_counts_sql(const wb_backend *b, wb_conn *c, const wb_table *t, int64_t rows, wb_buf *out)
{
    wb_buf key = WB_BUF_INIT, table = WB_BUF_INIT;
    wb_sql_identifier(&key, t->columns[0].name);
    b->table_name(c, t->name, &table);
    const char *k = wb_buf_str(&key), *tn = wb_buf_str(&table);
    long long first = (long long)wb_table_key(t, 1), last = (long long)wb_table_key(t, rows);
    wb_buf_printf(out,
                  "SELECT (SELECT count(*) FROM %s), (SELECT count(*) FROM %s WHERE %s < %lld OR %s > %lld), "
                  "(SELECT min(%s) FROM %s WHERE %s < %lld OR %s > %lld)",
                  tn, tn, k, first, k, last, k, tn, k, first, k, last);
    wb_buf_free(&key);
    wb_buf_free(&table);
}

/* Append "CASE WHEN key BETWEEN the keys of rows lo and hi THEN (any column differs)
 * END": true for a wrong row of the range. The CASE repeats the range of the WHERE
 * because only CASE promises that the definitions are never computed for other keys
 * (which may overflow the price arithmetic on PostgreSQL). k is the key column. */
static void put_row_wrong(const wb_backend *b, const wb_table *t, int64_t lo, int64_t hi, int version,
                          const char *k, wb_buf *out)
{
    wb_buf row = WB_BUF_INIT;
    wb_table_row_sql(t, k, &row);
    wb_buf_printf(out, "CASE WHEN %s BETWEEN %lld AND %lld THEN (", k, (long long)wb_table_key(t, lo),
                  (long long)wb_table_key(t, hi));
    for (int col = 1; col < t->ncolumns; col++) {
        if (col > 1)
            wb_buf_puts(out, " OR ");
        put_differs(b, t, col, version, wb_buf_str(&row), out);
    }
    wb_buf_puts(out, ") END");
    wb_buf_free(&row);
}

/* One key range of a table's values scan, on its own connection. The first part also
 * reads the keys below 1 and the last the keys above N, so that the parts together
 * read every row once, the extra ones included. */
typedef struct values_part {
    const wb_backend *b;
    wb_conn *c;
    const wb_table *t;
    int64_t rows;   /* N */
    int64_t lo, hi; /* the part's row numbers inside 1..N (keys: wb_table_key) */
    int open_below, open_above;
    int version;
    int64_t found[4]; /* rows read, wrong rows, extra rows (outside 1..N), first extra key (-1: none) */
    int rc;
    wb_error e;
} values_part;

/* Append the values query of part p: the rows it reads, the rows whose columns are
 * NULL-safely distinct from their SQL definitions, the rows outside 1..N and the
 * first of them. The key range selects rows by the primary key. Every row's check
 * is written once (a second aggregate over it, such as the first wrong key, would
 * compute every definition twice); the first wrong key is found afterwards, on failure. */
static void build_values_sql(const values_part *p, wb_buf *out)
{
    wb_buf key = WB_BUF_INIT;
    wb_sql_identifier(&key, p->t->columns[0].name);
    const char *k = wb_buf_str(&key);
    long long first = (long long)wb_table_key(p->t, 1), last = (long long)wb_table_key(p->t, p->rows);
    long long lo = (long long)wb_table_key(p->t, p->lo), hi = (long long)wb_table_key(p->t, p->hi);
    wb_buf_puts(out, "SELECT count(*), sum(CASE WHEN ");
    put_row_wrong(p->b, p->t, p->lo, p->hi, p->version, k, out);
    wb_buf_printf(out,
                  " THEN 1 ELSE 0 END), sum(CASE WHEN %s BETWEEN %lld AND %lld THEN 0 ELSE 1 END), "
                  "min(CASE WHEN %s BETWEEN %lld AND %lld THEN NULL ELSE %s END) FROM ",
                  k, first, last, k, first, last, k);
    p->b->table_name(p->c, p->t->name, out);
    if (!p->open_below && !p->open_above)
        wb_buf_printf(out, " WHERE %s BETWEEN %lld AND %lld", k, lo, hi);
    else if (!p->open_below)
        wb_buf_printf(out, " WHERE %s >= %lld", k, lo);
    else if (!p->open_above)
        wb_buf_printf(out, " WHERE %s <= %lld", k, hi);
    wb_buf_free(&key);
}

/* Query callback: the first value of the first row (-1 for NULL). */
static int read_one_int(void *arg, int ncols, const char *const *names, const char *const *values);

/* The smallest wrong key of t in rows lo..hi (only called when that range has one). */
static int find_first_wrong(const wb_backend *b, wb_conn *c, const wb_table *t, int64_t lo, int64_t hi,
                            int version, int64_t *first, wb_error *e)
{
    wb_buf sql = WB_BUF_INIT, key = WB_BUF_INIT;
    wb_sql_identifier(&key, t->columns[0].name);
    const char *k = wb_buf_str(&key);
    wb_buf_printf(&sql, "SELECT min(%s) FROM ", k);
    b->table_name(c, t->name, &sql);
    wb_buf_printf(&sql, " WHERE %s BETWEEN %lld AND %lld AND ", k, (long long)wb_table_key(t, lo),
                  (long long)wb_table_key(t, hi));
    put_row_wrong(b, t, lo, hi, version, k, &sql);
    *first = -1;
    int rc = b->query(c, wb_buf_str(&sql), read_one_int, first, e);
    wb_buf_free(&sql);
    wb_buf_free(&key);
    return rc;
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

/* The smallest key of rows 1..rows absent from t (only called when one is missing). */
static int find_first_missing(const wb_backend *b, wb_conn *c, const wb_table *t, int64_t rows,
                              int64_t *first, wb_error *e)
{
    wb_buf sql = WB_BUF_INIT, table = WB_BUF_INIT, key = WB_BUF_INIT;
    b->table_name(c, t->name, &table);
    wb_sql_identifier(&key, t->columns[0].name);
    const char *tn = wb_buf_str(&table), *k = wb_buf_str(&key);
    /* the first key, or the first present key whose successor is absent: index lookups, no key series */
    long long first_key = (long long)wb_table_key(t, 1);
    wb_buf_printf(&sql,
                  "SELECT CASE WHEN NOT EXISTS (SELECT 1 FROM %s WHERE %s = %lld) THEN %lld "
                  "ELSE (SELECT min(a.%s) + 1 FROM %s AS a WHERE a.%s BETWEEN %lld AND %lld "
                  "AND NOT EXISTS (SELECT 1 FROM %s AS b WHERE b.%s = a.%s + 1)) END",
                  tn, k, first_key, first_key, k, tn, k, first_key, (long long)wb_table_key(t, rows - 1), tn, k, k);
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
    if (text && !shown_quoted(type) && text[0] && strspn(text, "0123456789.-+eE") == strlen(text))
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
        if (v->is_null) {
            wb_buf_puts(w->detail, "NULL");
        } else if (column->type == WB_TYPE_BYTES) {
            /* as PostgreSQL shows bytea */
            wb_buf_puts(w->detail, "'\\\\x");
            for (size_t i = 0; i < v->len; i++)
                wb_buf_printf(w->detail, "%02x", (unsigned char)v->text[i]);
            wb_buf_putc(w->detail, '\'');
        } else if (shown_quoted(column->type)) {
            wb_display_text(w->detail, v->text, v->len);
        } else {
            wb_buf_append(w->detail, v->text, v->len);
        }
    }
    return 1;
}

/* Append ", col is X but should be Y" for each wrong column of row key. */
static int describe_wrong_row(const wb_backend *b, wb_conn *c, const wb_table *t, int64_t key, int version,
                              wb_buf *detail, wb_error *e)
{
    wb_buf sql = WB_BUF_INIT, k = WB_BUF_INIT, row = WB_BUF_INIT;
    wb_sql_identifier(&k, t->columns[0].name);
    wb_table_row_sql(t, wb_buf_str(&k), &row);
    wb_buf_puts(&sql, "SELECT ");
    for (int col = 1; col < t->ncolumns; col++) {
        if (col > 1)
            wb_buf_puts(&sql, ", ");
        wb_sql_identifier(&sql, t->columns[col].name);
        wb_buf_puts(&sql, ", ");
        put_differs(b, t, col, version, wb_buf_str(&row), &sql);
    }
    wb_buf_puts(&sql, " FROM ");
    b->table_name(c, t->name, &sql);
    wb_buf_printf(&sql, " WHERE %s = %lld", wb_buf_str(&k), (long long)key);

    wb_row expected = WB_ROW_INIT;
    wb_row_make(t, wb_table_row(t, key), version, &expected);
    wrong_row w = {t, &expected, detail};
    int rc = b->query(c, wb_buf_str(&sql), describe_columns, &w, e);
    wb_buf_free(&sql);
    wb_buf_free(&k);
    wb_buf_free(&row);
    wb_row_free(&expected);
    return rc;
}

/* one or many, by n. */
static const char *plural(int64_t n, const char *one, const char *many)
{
    return n == 1 ? one : many;
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

/* Query callback: the four figures of a values part (a NULL sum is 0: sum() over no rows). */
static int read_part_figures(void *arg, int ncols, const char *const *names, const char *const *values)
{
    (void)names;
    int64_t *out = arg;
    if (ncols >= 4) {
        out[0] = value_or(values[0], 0);
        out[1] = value_or(values[1], 0);
        out[2] = value_or(values[2], 0);
        out[3] = value_or(values[3], -1);
    }
    return 1;
}

/* Thread body: run one part's values query. */
static void *run_values_part(void *arg)
{
    values_part *p = arg;
    wb_buf sql = WB_BUF_INIT;
    build_values_sql(p, &sql);
    p->found[0] = p->found[1] = p->found[2] = 0;
    p->found[3] = -1;
    p->rc = p->b->query(p->c, wb_buf_str(&sql), read_part_figures, p->found, &p->e);
    wb_buf_free(&sql);
    return NULL;
}

/* Read every row of t once, cut into nconns parts checked at once (conns[0] in this
 * thread): count into tc the rows of keys 1..rows present, the wrong ones and the
 * extra ones, and find the first wrong and the first extra key. */
static int check_values(const wb_backend *b, wb_conn *const *conns, int nconns, const wb_table *t, int64_t rows,
                        int version, table_check *tc, wb_error *e)
{
    values_part parts[WB_VERIFY_MAX_PARTS];
    pthread_t tids[WB_VERIFY_MAX_PARTS];
    int started[WB_VERIFY_MAX_PARTS] = {0};
    int n = nconns < WB_VERIFY_MAX_PARTS ? nconns : WB_VERIFY_MAX_PARTS;
    int64_t per_part = (rows + n - 1) / n;
    for (int i = 0; i < n; i++) {
        parts[i] = (values_part){.b = b, .c = conns[i], .t = t, .rows = rows, .version = version};
        parts[i].open_below = i == 0;
        parts[i].open_above = i == n - 1;
        parts[i].lo = 1 + i * per_part;
        parts[i].hi = i == n - 1 ? rows : (i + 1) * per_part;
    }
    for (int i = 1; i < n; i++)
        started[i] = pthread_create(&tids[i], NULL, run_values_part, &parts[i]) == 0;
    run_values_part(&parts[0]);
    for (int i = 1; i < n; i++) {
        if (started[i])
            pthread_join(tids[i], NULL);
        else
            run_values_part(&parts[i]); /* no thread: check the part here, after the others */
    }
    tc->present = tc->wrong = tc->extra = 0;
    tc->first_wrong = tc->first_extra = -1;
    int first_wrong_part = -1; /* parts are in key order: the first with wrong rows holds the first */
    for (int i = 0; i < n; i++) {
        if (parts[i].rc != 0) {
            *e = parts[i].e;
            return -1;
        }
        tc->present += parts[i].found[0] - parts[i].found[2];
        tc->wrong += parts[i].found[1];
        tc->extra += parts[i].found[2];
        /* keys may be negative: whether a part saw an extra row is its count, not the key */
        if (parts[i].found[2] > 0 && (tc->extra == parts[i].found[2] || parts[i].found[3] < tc->first_extra))
            tc->first_extra = parts[i].found[3];
        if (parts[i].found[1] > 0 && first_wrong_part < 0)
            first_wrong_part = i;
    }
    if (first_wrong_part < 0)
        return 0;
    const values_part *p = &parts[first_wrong_part];
    return find_first_wrong(b, conns[0], t, p->lo, p->hi, version, &tc->first_wrong, e);
}

/* Check one table; append its failure to detail ("; " between tables). */
static int verify_table(const wb_backend *b, wb_conn *const *conns, int nconns, const wb_table *t, int64_t rows,
                        int version, wb_verify_mode mode, wb_verify_result *out, wb_buf *detail, wb_error *e)
{
    wb_conn *c = conns[0];
    wb_buf sql = WB_BUF_INIT;
    table_check tc = {0, 0, 0, 0, -1, -1, 0};
    int64_t present;
    if (mode == WB_VERIFY_VALUES && t->ncolumns >= 2 && rows > 0) {
        if (check_values(b, conns, nconns, t, rows, version, &tc, e) != 0)
            return wb_fail_prefix(e, "verify %s: ", t->name);
        present = tc.present;
    } else {
        build_counts_sql(b, c, t, rows, &sql);
        int rc = b->query(c, wb_buf_str(&sql), read_counts, &tc, e);
        wb_buf_free(&sql);
        if (rc != 0)
            return wb_fail_prefix(e, "verify %s: ", t->name);
        if (!tc.seen)
            return wb_fail(e, "verify %s: the check query returned no row", t->name);
        present = tc.total - tc.extra;
    }
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
        wb_buf_printf(detail, "%s%lld extra %s outside keys %lld..%lld (first: key %lld)", sep,
                      (long long)tc.extra, plural(tc.extra, "row", "rows"), (long long)wb_table_key(t, 1),
                      (long long)wb_table_key(t, rows), (long long)tc.first_extra);
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

/* How many parts the values scans of `rows` keys are cut into (see the top of this file). */
static int parts_for(const wb_target *target, int64_t rows)
{
    if (!target || target->in_memory)
        return 1; /* a private database: no second connection can see it */
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    int64_t n = rows / rows_per_part;
    if (n > cores)
        n = cores;
    if (n > WB_VERIFY_MAX_PARTS)
        n = WB_VERIFY_MAX_PARTS;
    return n < 1 ? 1 : (int)n;
}

/* wb_verify on conns[0..nconns-1]. */
static int verify_on(const wb_backend *b, wb_conn *const *conns, int nconns, const wb_workload *w, int64_t rows,
                     int version, wb_verify_mode mode, wb_verify_result *out, wb_error *e)
{
    wb_buf detail = WB_BUF_INIT;
    out->ok = 1;
    out->rows_verified = 0;
    out->parts = 1;
    out->detail[0] = '\0';
    if (version != 1 && version != 2)
        return wb_fail(e, "verify: data version must be 1 or 2 (got %d)", version);
    for (int i = 0; i < w->ntables; i++) {
        if (verify_table(b, conns, nconns, &w->tables[i], rows, version, mode, out, &detail, e) != 0) {
            wb_buf_free(&detail);
            return -1;
        }
    }
    copy_detail(out->detail, sizeof out->detail, wb_buf_str(&detail), detail.len);
    wb_buf_free(&detail);
    return 0;
}

int wb_verify(const wb_backend *b, wb_conn *c, const wb_workload *w, int64_t rows, int version,
              wb_verify_mode mode, wb_verify_result *out, wb_error *e)
{
    return verify_on(b, &c, 1, w, rows, version, mode, out, e);
}

int wb_verify_parallel(const wb_backend *b, const wb_target *target, wb_conn *c, const wb_workload *w,
                       int64_t rows, int version, wb_verify_mode mode, wb_verify_result *out, wb_error *e)
{
    wb_conn *conns[WB_VERIFY_MAX_PARTS] = {c};
    int nconns = 1, wanted = mode == WB_VERIFY_VALUES ? parts_for(target, rows) : 1;
    wb_error ignored = {{0}};
    /* a connection that cannot be opened only makes the check slower, never wrong */
    while (nconns < wanted && b->connect(target, &conns[nconns], &ignored) == 0)
        nconns++;
    int rc = verify_on(b, conns, nconns, w, rows, version, mode, out, e);
    out->parts = nconns;
    for (int i = 1; i < nconns; i++)
        b->disconnect(conns[i]);
    return rc;
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

int wb_verify_changed(const wb_backend *b, wb_conn *c, const wb_workload *w, int64_t rows, wb_verify_result *out,
                      wb_error *e)
{
    wb_buf detail = WB_BUF_INIT, sql = WB_BUF_INIT, key = WB_BUF_INIT, row = WB_BUF_INIT;
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
        wb_buf_reset(&row);
        wb_table_row_sql(t, k, &row);
        /* unchanged: every changed column still equals what was kept (NULL-safely);
         * should have changed: the generator's two versions differ in some column */
        wb_buf_printf(&sql, "SELECT count(*), min(%s) FROM ", k);
        b->table_name(c, t->name, &sql);
        wb_buf_puts(&sql, " AS cur JOIN ");
        put_before_name(b, c, t, &sql);
        wb_buf_puts(&sql, " AS prev ON prev.");
        wb_sql_identifier(&sql, t->columns[0].name);
        wb_buf_printf(&sql, " = %s WHERE %s BETWEEN %lld AND %lld", k, k, (long long)wb_table_key(t, 1),
                      (long long)wb_table_key(t, rows));
        for (int col = 1; col < t->ncolumns; col++) {
            if (!t->columns[col].updated)
                continue;
            const wb_column *c = &t->columns[col];
            wb_buf_printf(&sql, " AND NOT (%s", wb_dialect_text(b->dialect->distinct_open));
            wb_column_compare_part(c, b->dialect, 1, &sql);
            wb_buf_puts(&sql, "cur.");
            wb_sql_identifier(&sql, c->name);
            wb_column_compare_part(c, b->dialect, 0, &sql);
            wb_buf_printf(&sql, " %s ", b->dialect->distinct_op);
            wb_column_compare_part(c, b->dialect, 1, &sql);
            wb_buf_puts(&sql, "prev.");
            wb_sql_identifier(&sql, c->name);
            wb_column_compare_part(c, b->dialect, 0, &sql);
            wb_buf_printf(&sql, "%s)", wb_dialect_text(b->dialect->distinct_close));
        }
        wb_buf_puts(&sql, " AND (");
        for (int col = 1, n = 0; col < t->ncolumns; col++) {
            if (!t->columns[col].updated)
                continue;
            if (n++)
                wb_buf_puts(&sql, " OR ");
            const wb_column *c = &t->columns[col];
            wb_buf_printf(&sql, "(%s", wb_dialect_text(b->dialect->distinct_open));
            wb_column_compare_part(c, b->dialect, 1, &sql);
            wb_column_sql(t, col, 1, wb_buf_str(&row), b->dialect, &sql);
            wb_column_compare_part(c, b->dialect, 0, &sql);
            wb_buf_printf(&sql, " %s ", b->dialect->distinct_op);
            wb_column_compare_part(c, b->dialect, 1, &sql);
            wb_column_sql(t, col, 2, wb_buf_str(&row), b->dialect, &sql);
            wb_column_compare_part(c, b->dialect, 0, &sql);
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
    wb_buf_free(&row);
    return rc;
}

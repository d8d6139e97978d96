/* The reads derived from the workload (see reads.h). Parameters come from the
 * generator (wb_row_make), so a lookup always asks for a value that exists; the
 * key of repetition rep is spread over 1..rows by a multiplicative hash so that
 * successive repetitions do not hit neighbouring pages. What a read returns is
 * checked the same way: the rows it must return are the rows 1..rows whose
 * generated values satisfy its condition, and every value of each must be the
 * generator's (compared in the canonical text of the caching study,
 * wb_cache_row_text, so that one place knows how each type reads back). */
#include "profile/reads.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "profile/cache.h"
#include "runner/child.h"
#include "util/clock.h"
#include "util/sql_text.h"

/* ---- deriving the reads ---------------------------------------------------- */

static const char *const kind_names[] = {
    [WB_READ_BY_KEY] = "by-key",
    [WB_READ_BY_UNIQUE] = "by-unique",
    [WB_READ_BY_PREFIX] = "by-prefix",
    [WB_READ_JOIN_PARENT] = "join-parent",
    [WB_READ_JOIN_CHILDREN] = "join-children",
};

const char *wb_read_kind_name(wb_read_kind k)
{
    return (size_t)k < sizeof kind_names / sizeof *kind_names ? kind_names[k] : "?";
}

/* The growing list of reads. */
typedef struct read_list {
    wb_read_def *reads;
    int n, cap;
} read_list;

static wb_read_def *add_read(read_list *l, wb_read_kind kind, const wb_table *t)
{
    if (l->n == l->cap) {
        l->cap = l->cap ? 2 * l->cap : 16;
        l->reads = wb_xrealloc(l->reads, (size_t)l->cap * sizeof *l->reads);
    }
    wb_read_def *r = &l->reads[l->n++];
    memset(r, 0, sizeof *r);
    r->kind = kind;
    r->table = t;
    r->fk_column = -1;
    r->nparams = 1;
    return r;
}

/* A read by the first n columns of index ix of t: by-unique when they are all of a
 * unique index's, else by-prefix. */
static void add_index_read(read_list *l, const wb_table *t, const wb_index *ix, int n)
{
    int unique = ix->unique && n == ix->ncolumns;
    wb_read_def *r = add_read(l, unique ? WB_READ_BY_UNIQUE : WB_READ_BY_PREFIX, t);
    r->index_name = ix->name;
    r->nparams = n;
    wb_buf cols = WB_BUF_INIT;
    for (int i = 0; i < n; i++) {
        r->columns[i] = wb_table_column_index(t, ix->columns[i]);
        wb_buf_printf(&cols, "%s%s", i ? "+" : "", ix->columns[i]);
    }
    snprintf(r->columns_text, sizeof r->columns_text, "%s", wb_buf_str(&cols));
    snprintf(r->name, sizeof r->name, "%s:%s(%s)", wb_read_kind_name(r->kind), t->name, wb_buf_str(&cols));
    if (unique)
        snprintf(r->description, sizeof r->description, "one %s row by its unique (%s), index %s", t->name,
                 wb_buf_str(&cols), ix->name);
    else
        snprintf(r->description, sizeof r->description, "every %s row with the (%s) of one row, index %s",
                 t->name, wb_buf_str(&cols), ix->name);
    wb_buf_free(&cols);
}

/* Whether the first n columns of ix are, as a set, the columns some read of t in
 * reads[0..count) compares, or the key alone (which the key lookup reads). */
static int already_read(const read_list *l, const wb_table *t, const wb_index *ix, int n)
{
    if (n == 1 && wb_table_column_index(t, ix->columns[0]) == 0)
        return 1;
    for (int i = 0; i < l->n; i++) {
        const wb_read_def *r = &l->reads[i];
        if (r->table != t || (r->kind != WB_READ_BY_UNIQUE && r->kind != WB_READ_BY_PREFIX) || r->nparams != n)
            continue;
        int same = 1;
        for (int c = 0; c < n && same; c++) {
            int found = 0, column = wb_table_column_index(t, ix->columns[c]);
            for (int k = 0; k < n; k++)
                found |= r->columns[k] == column;
            same = found;
        }
        if (same)
            return 1;
    }
    return 0;
}

/* The table of that name in w (an earlier one: foreign keys reference earlier tables). */
static const wb_table *table_named(const wb_workload *w, const char *name)
{
    for (int i = 0; i < w->ntables; i++)
        if (strcmp(w->tables[i].name, name) == 0)
            return &w->tables[i];
    return NULL;
}

int wb_reads_derive(const wb_workload *w, wb_read_def **out)
{
    read_list l = {NULL, 0, 0};
    for (int ti = 0; ti < w->ntables; ti++) {
        const wb_table *t = &w->tables[ti];
        wb_read_def *r = add_read(&l, WB_READ_BY_KEY, t);
        snprintf(r->name, sizeof r->name, "by-key:%s", t->name);
        snprintf(r->columns_text, sizeof r->columns_text, "%s", t->columns[0].name);
        snprintf(r->description, sizeof r->description, "one %s row by its key %s", t->name, t->columns[0].name);

        /* A column set is read once: the unique indexes first (a prefix with the same
         * columns is the same lookup), and never the key alone (the lookup above). */
        for (int i = 0; i < t->nindexes; i++)
            if (t->indexes[i].unique && !already_read(&l, t, &t->indexes[i], t->indexes[i].ncolumns))
                add_index_read(&l, t, &t->indexes[i], t->indexes[i].ncolumns);
        for (int i = 0; i < t->nindexes; i++)
            for (int n = 1; n <= t->indexes[i].ncolumns; n++)
                if (!already_read(&l, t, &t->indexes[i], n))
                    add_index_read(&l, t, &t->indexes[i], n);

        for (int i = 0; i < t->nforeign_keys; i++) {
            const wb_foreign_key *fk = &t->foreign_keys[i];
            const wb_table *parent = table_named(w, fk->table);
            int column = wb_table_column_index(t, fk->column);
            if (!parent || column < 0)
                continue; /* the loader refuses both: nothing to join */
            for (int way = 0; way < 2; way++) {
                r = add_read(&l, way == 0 ? WB_READ_JOIN_PARENT : WB_READ_JOIN_CHILDREN, t);
                r->parent = parent;
                r->fk_column = column;
                snprintf(r->columns_text, sizeof r->columns_text, "%s", fk->column);
                snprintf(r->name, sizeof r->name, "%s:%s.%s", wb_read_kind_name(r->kind), t->name, fk->column);
                if (way == 0)
                    snprintf(r->description, sizeof r->description,
                             "one %s row joined with the %s row its %s references", t->name, parent->name,
                             fk->column);
                else
                    snprintf(r->description, sizeof r->description,
                             "one %s row joined with every %s row whose %s references it", parent->name, t->name,
                             fk->column);
            }
        }
    }
    *out = l.reads;
    return l.n;
}

/* ---- SQL ------------------------------------------------------------------- */

/* Append t's columns, each qualified by alias when there is one; ", " before each
 * but the very first of the list (*first). */
static void put_columns(const wb_table *t, const char *alias, int *first, wb_buf *out)
{
    for (int i = 0; i < t->ncolumns; i++) {
        if (!*first)
            wb_buf_puts(out, ", ");
        *first = 0;
        if (alias)
            wb_buf_printf(out, "%s.", alias);
        wb_sql_identifier(out, t->columns[i].name);
    }
}

/* Append "<alias>.<column> = <placeholder n>". */
static void put_condition(const wb_backend *b, const char *alias, const char *column, int n, wb_buf *out)
{
    if (alias)
        wb_buf_printf(out, "%s.", alias);
    wb_sql_identifier(out, column);
    wb_buf_printf(out, " = %s%d", b->dialect->param_prefix, n);
}

void wb_read_sql(const wb_read_def *r, const wb_backend *b, wb_conn *c, wb_buf *out)
{
    const wb_table *t = r->table, *p = r->parent;
    int first = 1;
    wb_buf_puts(out, "SELECT ");
    switch (r->kind) {
    case WB_READ_BY_KEY:
    case WB_READ_BY_UNIQUE:
    case WB_READ_BY_PREFIX:
        put_columns(t, NULL, &first, out);
        wb_buf_puts(out, " FROM ");
        b->table_name(c, t->name, out);
        wb_buf_puts(out, " WHERE ");
        if (r->kind == WB_READ_BY_KEY)
            put_condition(b, NULL, t->columns[0].name, 1, out);
        for (int i = 0; r->kind != WB_READ_BY_KEY && i < r->nparams; i++) {
            if (i)
                wb_buf_puts(out, " AND ");
            put_condition(b, NULL, t->columns[r->columns[i]].name, i + 1, out);
        }
        break;
    case WB_READ_JOIN_PARENT: /* the child's columns, then its parent's */
    case WB_READ_JOIN_CHILDREN: /* the parent's columns, then each child's */
        if (r->kind == WB_READ_JOIN_PARENT)
            put_columns(t, "c", &first, out), put_columns(p, "p", &first, out);
        else
            put_columns(p, "p", &first, out), put_columns(t, "c", &first, out);
        wb_buf_puts(out, " FROM ");
        b->table_name(c, r->kind == WB_READ_JOIN_PARENT ? t->name : p->name, out);
        wb_buf_puts(out, r->kind == WB_READ_JOIN_PARENT ? " c JOIN " : " p JOIN ");
        b->table_name(c, r->kind == WB_READ_JOIN_PARENT ? p->name : t->name, out);
        wb_buf_puts(out, r->kind == WB_READ_JOIN_PARENT ? " p ON p." : " c ON c.");
        wb_sql_identifier(out, r->kind == WB_READ_JOIN_PARENT ? p->columns[0].name : t->columns[r->fk_column].name);
        wb_buf_puts(out, r->kind == WB_READ_JOIN_PARENT ? " = c." : " = p.");
        wb_sql_identifier(out, r->kind == WB_READ_JOIN_PARENT ? t->columns[r->fk_column].name : p->columns[0].name);
        wb_buf_puts(out, " WHERE ");
        if (r->kind == WB_READ_JOIN_PARENT)
            put_condition(b, "c", t->columns[0].name, 1, out);
        else
            put_condition(b, "p", p->columns[0].name, 1, out);
        break;
    }
}

/* ---- parameters -------------------------------------------------------------- */

/* The key repetition rep starts from: deterministic, spread over 1..rows. */
static int64_t key_of(int64_t rows, int64_t rep)
{
    return 1 + (int64_t)(((uint64_t)rep * 2654435761u) % (uint64_t)rows);
}

/* The compared columns of r in table r->table: the index's, or the foreign key. */
static int compared_columns(const wb_read_def *r, int cols[WB_READ_MAX_PARAMS])
{
    switch (r->kind) {
    case WB_READ_BY_KEY:
        cols[0] = 0;
        return 1;
    case WB_READ_JOIN_PARENT:
    case WB_READ_JOIN_CHILDREN:
        cols[0] = r->fk_column;
        return 1;
    default:
        memcpy(cols, r->columns, (size_t)r->nparams * sizeof *cols);
        return r->nparams;
    }
}

/* The row repetition rep is about (its key and values in *row): the first row at or
 * after key_of(rep), wrapping, whose compared columns are not NULL (hostile values
 * include NULLs, and "= NULL" matches nothing). Returns its key; *found is 0 when
 * every row has a NULL there (then the row of key_of(rep)). */
static int64_t anchor_of(const wb_read_def *r, int64_t rows, int64_t rep, wb_row *row, int *found)
{
    int cols[WB_READ_MAX_PARAMS];
    int n = compared_columns(r, cols);
    int64_t start = key_of(rows, rep), k = start;
    for (int64_t tries = 0; tries < rows; tries++) {
        wb_row_make(r->table, k, 1, row);
        int nulls = 0;
        for (int i = 0; i < n; i++)
            nulls += row->v[cols[i]].is_null;
        if (!nulls) {
            *found = 1;
            return k;
        }
        k = k % rows + 1;
    }
    *found = 0;
    wb_row_make(r->table, start, 1, row);
    return start;
}

/* Make p the value v (cut to fit its text). */
static void set_param(wb_read_param *p, const wb_value *v)
{
    size_t len = v->is_null ? 0 : v->len;
    if (len >= sizeof p->text)
        len = sizeof p->text - 1;
    p->type = v->type;
    p->sql_type = v->sql_type;
    p->is_null = v->is_null;
    p->i64 = v->i64;
    if (len)
        memcpy(p->text, v->text, len);
    p->text[len] = '\0';
}

/* Make p the integer i. */
static void set_int_param(wb_read_param *p, int64_t i)
{
    p->type = WB_TYPE_INT64;
    p->sql_type = WB_SQL_BIGINT;
    p->is_null = 0;
    p->i64 = i;
    snprintf(p->text, sizeof p->text, "%lld", (long long)i);
}

/* Fill out from the anchor row: what each kind compares with its parameters. */
static void params_of(const wb_read_def *r, const wb_row *anchor, int64_t anchor_key, wb_read_param *out)
{
    switch (r->kind) {
    case WB_READ_BY_KEY:
    case WB_READ_JOIN_PARENT:
        set_int_param(&out[0], wb_table_key(r->table, anchor_key));
        break;
    case WB_READ_JOIN_CHILDREN: /* the parent its anchor child references: it has a child */
        set_param(&out[0], &anchor->v[r->fk_column]);
        break;
    case WB_READ_BY_UNIQUE:
    case WB_READ_BY_PREFIX:
        for (int i = 0; i < r->nparams; i++)
            set_param(&out[i], &anchor->v[r->columns[i]]);
        break;
    }
}

void wb_read_params(const wb_read_def *r, int64_t rows, int64_t rep, wb_read_param *out)
{
    wb_row anchor = WB_ROW_INIT;
    int found = 0;
    int64_t key = anchor_of(r, rows, rep, &anchor, &found);
    params_of(r, &anchor, key, out);
    wb_row_free(&anchor);
}

/* ---- checking what a read returned ------------------------------------------ */

/* Whether a and b compare equal as SQL's "=" does: never when either is NULL. */
static int values_equal(const wb_value *a, const wb_value *b)
{
    if (a->is_null || b->is_null)
        return 0;
    switch (a->type) {
    case WB_TYPE_INT64:
    case WB_TYPE_DECIMAL:
    case WB_TYPE_FLOAT:
    case WB_TYPE_BOOL:
    case WB_TYPE_TIME:
        return a->i64 == b->i64 && a->scale == b->scale; /* one column: one scale */
    default:
        break;
    }
    return a->len == b->len && memcmp(a->text, b->text, a->len) == 0; /* byte order collations */
}

/* Whether row (of r->table) satisfies r's condition for the anchor row; parent_key
 * is what a join-children read asked for. */
static int row_matches(const wb_read_def *r, const wb_row *row, int64_t key, const wb_row *anchor,
                       int64_t anchor_key, int64_t parent_key)
{
    switch (r->kind) {
    case WB_READ_BY_KEY:
    case WB_READ_BY_UNIQUE:
    case WB_READ_JOIN_PARENT:
        return key == anchor_key;
    case WB_READ_BY_PREFIX:
        for (int i = 0; i < r->nparams; i++)
            if (!values_equal(&row->v[r->columns[i]], &anchor->v[r->columns[i]]))
                return 0;
        return 1;
    case WB_READ_JOIN_CHILDREN:
        return !row->v[r->fk_column].is_null && row->v[r->fk_column].i64 == parent_key;
    }
    return 0;
}

/* The check of one execution: the anchor, the keys returned, the first mismatch. */
typedef struct checker {
    const wb_read_def *r;
    int64_t rows;
    wb_row anchor;
    int64_t anchor_key, parent_key;
    int64_t *keys; /* the looked-up table's keys returned */
    size_t nkeys, cap;
    wb_buf expected, got;
    wb_error *e;
    int failed;
} checker;

/* The canonical text of the version-1 row of key in t into out. */
static void expected_text(const wb_table *t, int64_t key, wb_row *row, wb_buf *out)
{
    wb_row_make(t, key, 1, row);
    const char **values = wb_xcalloc((size_t)row->ncolumns, sizeof *values);
    for (int i = 0; i < row->ncolumns; i++)
        values[i] = row->v[i].is_null ? NULL : row->v[i].text;
    wb_buf_reset(out);
    wb_cache_row_text(t, values, out);
    free(values);
}

/* Whether values (t's columns as returned) are t's row of key, exactly; fails ck if not. */
static int check_part(checker *ck, const wb_table *t, int64_t key, const char *const *values, wb_row *row)
{
    expected_text(t, key, row, &ck->expected);
    wb_buf_reset(&ck->got);
    wb_cache_row_text(t, values, &ck->got);
    if (strcmp(wb_buf_str(&ck->got), wb_buf_str(&ck->expected)) == 0)
        return 0;
    ck->failed = 1;
    wb_fail(ck->e, "%s key %lld: returned \"%s\", the generator's row is \"%s\"", t->name,
            (long long)wb_table_key(t, key), wb_buf_str(&ck->got), wb_buf_str(&ck->expected));
    return 1;
}

/* The row number of the key in a returned key column's text of t, or -1 when it is not
 * the key of a row 1..rows. */
static int64_t row_of_key(const wb_table *t, const char *text, int64_t rows)
{
    if (!text || !*text)
        return -1;
    char *end = NULL;
    long long k = strtoll(text, &end, 10);
    int64_t row = wb_table_row(t, (int64_t)k);
    return *end || row < 1 || row > rows ? -1 : row;
}

/* Row callback: check one returned row. */
static int check_row(void *arg, int ncols, const char *const *names, const char *const *values)
{
    (void)names;
    checker *ck = arg;
    const wb_read_def *r = ck->r;
    const wb_table *t = r->table, *p = r->parent;
    int joined = r->kind == WB_READ_JOIN_PARENT || r->kind == WB_READ_JOIN_CHILDREN;
    int expected_cols = t->ncolumns + (joined ? p->ncolumns : 0);
    if (ncols != expected_cols) {
        ck->failed = 1;
        wb_fail(ck->e, "returned %d columns, expected %d", ncols, expected_cols);
        return 1;
    }
    /* the looked-up table's columns, and the parent's for a join */
    const char *const *own = r->kind == WB_READ_JOIN_CHILDREN ? values + p->ncolumns : values;
    const char *const *parents = r->kind == WB_READ_JOIN_CHILDREN ? values : values + t->ncolumns;
    int64_t key = row_of_key(t, own[0], ck->rows); /* its row number */
    if (key < 0) {
        ck->failed = 1;
        wb_fail(ck->e, "returned %s key '%s', not a key %lld..%lld", t->name, own[0] ? own[0] : "NULL",
                (long long)wb_table_key(t, 1), (long long)wb_table_key(t, ck->rows));
        return 1;
    }
    wb_row row = WB_ROW_INIT, parent_row = WB_ROW_INIT;
    int stop = check_part(ck, t, key, own, &row) != 0;
    if (!stop && !row_matches(r, &row, key, &ck->anchor, ck->anchor_key, ck->parent_key)) {
        ck->failed = 1;
        wb_fail(ck->e, "returned %s key %lld, which does not satisfy the read's condition", t->name,
                (long long)wb_table_key(t, key));
        stop = 1;
    }
    if (!stop && joined && check_part(ck, p, wb_table_row(p, row.v[r->fk_column].i64), parents, &parent_row) != 0)
        stop = 1;
    wb_row_free(&row);
    wb_row_free(&parent_row);
    if (stop)
        return 1;
    if (ck->nkeys == ck->cap) {
        ck->cap = ck->cap ? 2 * ck->cap : 64;
        ck->keys = wb_xrealloc(ck->keys, ck->cap * sizeof *ck->keys);
    }
    ck->keys[ck->nkeys++] = key;
    return 0;
}

/* qsort order of int64_t. */
static int compare_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

/* How many rows the read must return for the anchor: one for the lookups of one row,
 * else the rows 1..rows that satisfy its condition (one pass of the generator). */
static int64_t expected_rows(const checker *ck)
{
    const wb_read_def *r = ck->r;
    if (r->kind == WB_READ_BY_KEY || r->kind == WB_READ_BY_UNIQUE || r->kind == WB_READ_JOIN_PARENT) {
        int cols[WB_READ_MAX_PARAMS];
        int n = compared_columns(r, cols);
        for (int i = 0; i < n; i++)
            if (ck->anchor.v[cols[i]].is_null)
                return 0; /* every row has a NULL there: nothing can match */
        return 1;
    }
    int64_t count = 0;
    wb_row row = WB_ROW_INIT;
    for (int64_t k = 1; k <= ck->rows; k++) {
        wb_row_make(r->table, k, 1, &row);
        count += row_matches(r, &row, k, &ck->anchor, ck->anchor_key, ck->parent_key);
    }
    wb_row_free(&row);
    return count;
}

/* After an execution checked row by row: every row was the generator's and satisfied
 * the condition; now no key twice, and exactly as many as the generator says. */
static int check_totals(checker *ck, int64_t *rows_checked)
{
    const wb_read_def *r = ck->r;
    if (ck->failed)
        return -1;
    if (ck->nkeys > 1)
        qsort(ck->keys, ck->nkeys, sizeof *ck->keys, compare_i64);
    for (size_t i = 1; i < ck->nkeys; i++)
        if (ck->keys[i] == ck->keys[i - 1])
            return wb_fail(ck->e, "returned %s key %lld twice", r->table->name,
                           (long long)wb_table_key(r->table, ck->keys[i]));
    int64_t want = expected_rows(ck);
    if ((int64_t)ck->nkeys != want)
        return wb_fail(ck->e, "returned %zu rows, the generator says %lld", ck->nkeys, (long long)want);
    if (rows_checked)
        *rows_checked = (int64_t)ck->nkeys;
    return 0;
}

static void checker_init(checker *ck, const wb_read_def *r, int64_t rows, int64_t rep, wb_read_param *params,
                         wb_error *e)
{
    memset(ck, 0, sizeof *ck);
    ck->r = r;
    ck->rows = rows;
    ck->e = e;
    int found = 0;
    ck->anchor_key = anchor_of(r, rows, rep, &ck->anchor, &found);
    params_of(r, &ck->anchor, ck->anchor_key, params);
    ck->parent_key = r->kind == WB_READ_JOIN_CHILDREN ? params[0].i64 : 0;
}

static void checker_free(checker *ck)
{
    wb_row_free(&ck->anchor);
    free(ck->keys);
    wb_buf_free(&ck->expected);
    wb_buf_free(&ck->got);
}

/* ---- execution, through the backend's statement layer ----------------------- */

/* Bind params to st: integers as integers, decimals and text as their text (an
 * exact decimal; SQLite compares it with the NUMERIC column as a number). With
 * as_text, every one as text (a plan's parameters). */
static int bind_params(const wb_backend *b, wb_stmt *st, const wb_read_param *params, int nparams, int as_text,
                       wb_error *e)
{
    for (int i = 0; i < nparams; i++) {
        const wb_read_param *p = &params[i];
        int integer = p->type == WB_TYPE_INT64 && !as_text;
        /* the bytes the strategies send: a timestamptz without "+00" where the type has no zone (MariaDB) */
        const wb_value sent = {.sql_type = p->sql_type, .len = strlen(p->text)};
        wb_bind_value value = {p->is_null ? WB_BIND_NULL : integer ? WB_BIND_INT64 : WB_BIND_TEXT, p->i64, p->text,
                               wb_value_sent_len(&sent, b->dialect), 0};
        if (b->stmt_bind(st, i, 1, &value, e) != 0)
            return wb_fail_prefix(e, "parameter %d: ", i + 1);
    }
    return 0;
}

/* Execute st once for repetition rep and check what it returned (see wb_read_check). */
static int exec_checked(const wb_backend *b, wb_stmt *st, const wb_read_def *r, int64_t rows, int64_t rep,
                        int64_t *rows_checked, wb_error *e)
{
    wb_read_param params[WB_READ_MAX_PARAMS];
    checker ck;
    checker_init(&ck, r, rows, rep, params, e);
    int status = bind_params(b, st, params, r->nparams, 0, e);
    if (status == 0)
        status = b->stmt_exec(st, "read", check_row, &ck, NULL, e);
    if (status == 0 || ck.failed) /* a row the callback refused stops the execution: its error counts */
        status = check_totals(&ck, rows_checked);
    checker_free(&ck);
    return status;
}

int wb_read_check(const wb_backend *b, wb_conn *c, const wb_read_def *r, int64_t rows, int64_t rep,
                  int64_t *rows_checked, wb_error *e)
{
    wb_buf sql = WB_BUF_INIT;
    wb_read_sql(r, b, c, &sql);
    wb_stmt *st = NULL;
    int status = b->stmt_prepare(c, wb_buf_str(&sql), r->nparams, WB_STMT_ONCE, NULL, &st, e);
    if (status == 0)
        status = exec_checked(b, st, r, rows, rep, rows_checked, e);
    b->stmt_finalize(st);
    wb_buf_free(&sql);
    if (status != 0)
        wb_fail_prefix(e, "read %s: ", r->name);
    return status;
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

/* Whether an execution of r that returned `returned` rows is plausible without
 * recomputing its rows: a lookup of one row returns exactly one, any other read at
 * least one (its parameters are a row's own values), unless no row can match. */
static int plausible(const wb_read_def *r, int64_t returned, int64_t checked_rows)
{
    if (checked_rows == 0)
        return returned == 0; /* a column NULL in every row */
    if (r->kind == WB_READ_BY_KEY || r->kind == WB_READ_BY_UNIQUE || r->kind == WB_READ_JOIN_PARENT)
        return returned == 1;
    return returned >= 1;
}

int wb_read_measure(const wb_backend *b, wb_conn *c, const wb_read_def *r, int64_t rows, int64_t repeat,
                    wb_latency *out, wb_error *e)
{
    memset(out, 0, sizeof *out);
    wb_buf sql = WB_BUF_INIT;
    wb_read_sql(r, b, c, &sql);
    wb_stmt *st = NULL;
    /* prepared once and kept (a named statement on a server) */
    if (b->stmt_prepare(c, wb_buf_str(&sql), r->nparams, 0, NULL, &st, e) != 0) {
        wb_fail_prefix(e, "read %s: preparing '%s': ", r->name, wb_buf_str(&sql));
        wb_buf_free(&sql);
        return -1;
    }
    int64_t *ns = wb_xcalloc((size_t)repeat, sizeof *ns);
    wb_read_param params[WB_READ_MAX_PARAMS];
    int64_t returned = 0, total_returned = 0;
    memset(params, 0, sizeof params);
    /* the warm-up, not timed: every row it returns checked against the generator */
    int status = exec_checked(b, st, r, rows, 0, &out->rows_checked, e);
    for (int64_t i = 0; status == 0 && i < repeat; i++) {
        if (wb_interrupted()) { /* a scan at many rows, K times: Ctrl-C must not wait for it */
            status = wb_fail(e, "interrupted by the user");
            break;
        }
        wb_read_params(r, rows, i, params);
        if ((status = bind_params(b, st, params, r->nparams, 0, e)) != 0)
            break;
        int64_t start = wb_clock_ns();
        status = b->stmt_exec(st, "read", NULL, NULL, &returned, e);
        ns[i] = wb_clock_ns() - start;
        total_returned += returned;
        if (status == 0 && !plausible(r, returned, out->rows_checked))
            status = wb_fail(e, "execution %lld returned %lld rows", (long long)i + 1, (long long)returned);
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
    b->stmt_finalize(st);
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

int wb_read_plan(const wb_backend *b, wb_conn *c, const wb_read_def *r, int64_t rows, wb_buf *out, wb_error *e)
{
    wb_buf sql = WB_BUF_INIT;
    wb_read_sql(r, b, c, &sql);
    wb_read_param params[WB_READ_MAX_PARAMS];
    memset(params, 0, sizeof params);
    wb_read_params(r, rows, 0, params);
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

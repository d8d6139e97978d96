/* The workload's tables in a database (see schema.h): DDL built from the column
 * definitions in the backend's dialect (declared types, index forms, names), and
 * server-generate's SQL-only writes.
 *
 * Secondary unique constraints are separate CREATE UNIQUE INDEX statements on
 * every backend, so that load-then-index can drop and rebuild them like any
 * other index. */
#include <stdlib.h>
#include <string.h>

#include "util/sql_text.h"
#include "workloads/schema.h"

/* Run sql (several statements) as one transaction; roll back on failure. */
static int exec_transaction(const wb_backend *b, wb_conn *c, const char *sql, wb_error *e)
{
    if (b->exec(c, b->dialect->begin_sql, e) != 0)
        return -1;
    if (b->exec(c, sql, e) != 0 || b->exec(c, "COMMIT", e) != 0) {
        wb_error ignored;
        b->exec(c, "ROLLBACK", &ignored);
        return -1;
    }
    return 0;
}

/* How the DDL names tables and indexes: through the backend's table_name on a
 * connection, or, for DDL shown without one (workload show), in a given schema
 * (PostgreSQL) or bare (SQLite), as table_name would. */
typedef struct namer {
    const wb_backend *b;
    wb_conn *c;
    const char *schema; /* used instead of table_name when not NULL */
} namer;

static void put_name(const namer *n, const char *table, wb_buf *out)
{
    if (n->schema) {
        wb_sql_identifier(out, n->schema);
        wb_buf_putc(out, '.');
        wb_sql_identifier(out, table);
    } else {
        n->b->table_name(n->c, table, out);
    }
}

/* The name of t's key column (columns[0]). */
static const char *key_column(const wb_table *t)
{
    return t->columns[0].name;
}

/* The table of that name in w (the target of a foreign key), or NULL. */
static const wb_table *find_table(const wb_workload *w, const char *name)
{
    for (int i = 0; i < w->ntables; i++)
        if (strcmp(w->tables[i].name, name) == 0)
            return &w->tables[i];
    return NULL;
}

/* The foreign key of column `column` of t, or NULL. */
static const wb_foreign_key *foreign_key_of(const wb_table *t, const char *column)
{
    for (int i = 0; i < t->nforeign_keys; i++)
        if (strcmp(t->foreign_keys[i].column, column) == 0)
            return &t->foreign_keys[i];
    return NULL;
}

/* Whether column col of t is in one of t's secondary indexes. */
static int is_indexed(const wb_table *t, int col)
{
    for (int i = 0; i < t->nindexes; i++)
        for (int c = 0; c < t->indexes[i].ncolumns; c++)
            if (strcmp(t->indexes[i].columns[c], t->columns[col].name) == 0)
                return 1;
    return 0;
}

/* How an indexed text column is declared on a dialect that cannot index long text
 * whole (indexed_text_decl): 0 as its own type, 1 narrowed to its longest value,
 * 2 as its own type with its indexes in the long form (long_text_index_suffix). */
static int indexed_text_form(const wb_dialect *d, const wb_table *t, int col)
{
    const wb_column *c = &t->columns[col];
    if (!d->indexed_text_decl || (c->sql_type != WB_SQL_TEXT && c->sql_type != WB_SQL_VARCHAR) || !is_indexed(t, col))
        return 0;
    int64_t bound = c->sql_type == WB_SQL_VARCHAR ? c->type_length : 0; /* varchar(n)'s n; 0: unbounded */
    if (bound > 0 && bound <= d->indexed_text_max_chars)
        return 0;
    return c->max_chars <= d->indexed_text_max_chars ? 1 : 2;
}

void wb_column_declare(const wb_table *t, int col, const wb_dialect *d, wb_buf *out)
{
    const wb_column *c = &t->columns[col];
    if (indexed_text_form(d, t, col) == 1) {
        wb_buf_printf(out, d->indexed_text_decl, (long long)(c->max_chars > 0 ? c->max_chars : 1));
        return;
    }
    wb_buf_printf(out, d->types[c->sql_type].decl, (long long)c->type_length, (long long)c->type_scale);
}

/* Append CREATE TABLE for t: key, types, NOT NULL, foreign keys and CHECKs. */
static void put_create_table(const namer *n, const wb_workload *w, const wb_table *t, int if_not_exists,
                             wb_buf *out)
{
    wb_buf_puts(out, if_not_exists ? "CREATE TABLE IF NOT EXISTS " : "CREATE TABLE ");
    put_name(n, t->name, out);
    wb_buf_puts(out, " (");
    for (int i = 0; i < t->ncolumns; i++) {
        const wb_column *col = &t->columns[i];
        if (i)
            wb_buf_puts(out, ", ");
        wb_sql_identifier(out, col->name);
        wb_buf_putc(out, ' ');
        wb_column_declare(t, i, n->b->dialect, out);
        if (i == 0)
            wb_buf_puts(out, " PRIMARY KEY");
        else if (!col->nullable)
            wb_buf_puts(out, " NOT NULL");
        const wb_foreign_key *fk = foreign_key_of(t, col->name);
        if (fk) {
            const wb_table *parent = find_table(w, fk->table);
            wb_buf_puts(out, " REFERENCES ");
            put_name(n, fk->table, out);
            wb_buf_puts(out, " (");
            wb_sql_identifier(out, parent ? key_column(parent) : "id");
            wb_buf_putc(out, ')');
        }
    }
    for (int i = 0; i < t->nchecks; i++)
        wb_buf_printf(out, ", CHECK (%s)", t->checks[i]);
    wb_buf_puts(out, ");\n");
}

/* Whether index ix of t needs the dialect's long form: one of its columns is a text
 * too long to index whole. */
static int needs_long_index(const wb_dialect *d, const wb_table *t, const wb_index *ix)
{
    for (int c = 0; c < ix->ncolumns; c++) {
        int col = wb_table_column_index(t, ix->columns[c]);
        if (col >= 0 && indexed_text_form(d, t, col) == 2)
            return 1;
    }
    return 0;
}

/* Append CREATE [UNIQUE] INDEX [IF NOT EXISTS] for each secondary index of t. */
static void put_create_indexes(const namer *n, const wb_table *t, int if_not_exists, wb_buf *out)
{
    const wb_dialect *d = n->b->dialect;
    for (int i = 0; i < t->nindexes; i++) {
        const wb_index *ix = &t->indexes[i];
        wb_buf_puts(out, ix->unique ? "CREATE UNIQUE INDEX " : "CREATE INDEX ");
        if (if_not_exists)
            wb_buf_puts(out, "IF NOT EXISTS ");
        if (d->index_name_qualified)
            put_name(n, ix->name, out);
        else
            wb_sql_identifier(out, ix->name);
        wb_buf_puts(out, " ON ");
        put_name(n, t->name, out);
        wb_buf_puts(out, " (");
        for (int c = 0; c < ix->ncolumns; c++) {
            if (c)
                wb_buf_puts(out, ", ");
            wb_sql_identifier(out, ix->columns[c]);
        }
        wb_buf_putc(out, ')');
        if (needs_long_index(d, t, ix))
            wb_buf_puts(out, d->long_text_index_suffix);
        if (ix->where)
            wb_buf_printf(out, " WHERE %s", ix->where); /* checked at load: one expression */
        wb_buf_puts(out, ";\n");
    }
}

/* Append DROP INDEX IF EXISTS for each secondary index of t. */
static void put_drop_indexes(const namer *n, const wb_table *t, wb_buf *out)
{
    for (int i = 0; i < t->nindexes; i++) {
        wb_buf_puts(out, "DROP INDEX IF EXISTS ");
        if (n->b->dialect->drop_index_on_table) {
            wb_sql_identifier(out, t->indexes[i].name);
            wb_buf_puts(out, " ON ");
            put_name(n, t->name, out);
        } else {
            put_name(n, t->indexes[i].name, out); /* qualified on PostgreSQL: DROP needs the schema */
        }
        wb_buf_puts(out, ";\n");
    }
}

/* Append DROP TABLE IF EXISTS for every table, children first. */
static void put_drop_tables(const namer *n, const wb_workload *w, wb_buf *out)
{
    for (int i = w->ntables - 1; i >= 0; i--) {
        wb_buf_puts(out, "DROP TABLE IF EXISTS ");
        put_name(n, w->tables[i].name, out);
        wb_buf_puts(out, ";\n");
    }
}

/* Append the DDL of every table and its indexes, parents first. */
static void put_create_all(const namer *n, const wb_workload *w, int if_not_exists, wb_buf *out)
{
    for (int i = 0; i < w->ntables; i++) {
        put_create_table(n, w, &w->tables[i], if_not_exists, out);
        /* indexes always IF NOT EXISTS: reset drops the tables and their indexes first anyway */
        put_create_indexes(n, &w->tables[i], 1, out);
    }
}

void wb_schema_create_text(wb_backend_kind kind, const char *schema, const wb_workload *w, wb_buf *out)
{
    const wb_backend *b = wb_backend_get(kind);
    namer n = {b, NULL, b->dialect->qualified_table_names ? schema : NULL};
    wb_error e = {{0}};
    if (wb_schema_supported(b, w, &e) != 0) {
        wb_buf_printf(out, "-- %s\n", e.msg);
        return;
    }
    for (int i = 0; i < w->ntables; i++) {
        put_create_table(&n, w, &w->tables[i], 0, out);
        put_create_indexes(&n, &w->tables[i], 0, out);
    }
}

/* Run the statements in sql as one transaction and free sql. */
static int run_built(const wb_backend *b, wb_conn *c, wb_buf *sql, wb_error *e)
{
    int rc = exec_transaction(b, c, wb_buf_str(sql), e);
    wb_buf_free(sql);
    return rc;
}

/* Run server-generate's statements (one per table, parents first) and free sql. */
static int run_generate(const wb_backend *b, wb_conn *c, wb_buf *sql, wb_error *e)
{
    if (b->dialect->generate_in_transaction)
        return run_built(b, c, sql, e);
    int rc = b->exec(c, wb_buf_str(sql), e);
    wb_buf_free(sql);
    return rc;
}

int wb_schema_supported(const wb_backend *b, const wb_workload *w, wb_error *e)
{
    for (int i = 0; i < w->ntables; i++) {
        for (int x = 0; x < w->tables[i].nindexes && !b->dialect->partial_indexes; x++)
            if (w->tables[i].indexes[x].where)
                return wb_fail(e, "workload %s: index %s of table %s is partial (WHERE %.80s), and %s has no partial "
                                  "indexes",
                               w->name, w->tables[i].indexes[x].name, w->tables[i].name,
                               w->tables[i].indexes[x].where, b->display_name);
        for (int col = 0; col < w->tables[i].ncolumns; col++) {
            const wb_column *c = &w->tables[i].columns[col];
            if (!b->dialect->types[c->sql_type].decl)
                return wb_fail(e, "workload %s: column %s.%s is %s, which writebench does not support on %s yet",
                               w->name, w->tables[i].name, c->name, wb_sql_type_name(c->sql_type),
                               b->display_name);
        }
    }
    return 0;
}

int wb_schema_reset(const wb_backend *b, wb_conn *c, const wb_workload *w, wb_error *e)
{
    if (wb_schema_supported(b, w, e) != 0)
        return -1;
    namer n = {b, c, NULL};
    wb_buf sql = WB_BUF_INIT;
    put_drop_tables(&n, w, &sql);
    put_create_all(&n, w, 0, &sql);
    return run_built(b, c, &sql, e);
}

int wb_schema_setup(const wb_backend *b, wb_conn *c, const wb_workload *w, wb_error *e)
{
    if (wb_schema_supported(b, w, e) != 0)
        return -1;
    namer n = {b, c, NULL};
    wb_buf sql = WB_BUF_INIT;
    put_create_all(&n, w, 1, &sql);
    return run_built(b, c, &sql, e);
}

int wb_schema_drop(const wb_backend *b, wb_conn *c, const wb_workload *w, wb_error *e)
{
    namer n = {b, c, NULL};
    wb_buf sql = WB_BUF_INIT;
    put_drop_tables(&n, w, &sql);
    return run_built(b, c, &sql, e);
}

int wb_schema_drop_indexes(const wb_backend *b, wb_conn *c, const wb_table *t, wb_error *e)
{
    if (t->nindexes == 0)
        return 0;
    namer n = {b, c, NULL};
    wb_buf sql = WB_BUF_INIT;
    put_drop_indexes(&n, t, &sql);
    return run_built(b, c, &sql, e);
}

int wb_schema_create_indexes(const wb_backend *b, wb_conn *c, const wb_table *t, wb_error *e)
{
    if (t->nindexes == 0)
        return 0;
    namer n = {b, c, NULL};
    wb_buf sql = WB_BUF_INIT;
    put_create_indexes(&n, t, 1, &sql);
    return run_built(b, c, &sql, e);
}

typedef struct count_arg {
    int64_t count;
    int seen;
} count_arg;

/* Query callback: the first value of the first row as an integer. */
static int read_count(void *arg, int ncols, const char *const *names, const char *const *values)
{
    (void)names;
    count_arg *a = arg;
    if (ncols >= 1 && values[0]) {
        a->count = strtoll(values[0], NULL, 10);
        a->seen = 1;
    }
    return 1;
}

int64_t wb_schema_count(const wb_backend *b, wb_conn *c, const wb_table *t, wb_error *e)
{
    wb_buf sql = WB_BUF_INIT;
    count_arg a = {0, 0};
    wb_buf_puts(&sql, "SELECT count(*) FROM ");
    b->table_name(c, t->name, &sql);
    int rc = b->query(c, wb_buf_str(&sql), read_count, &a, e);
    wb_buf_free(&sql);
    if (rc != 0)
        return wb_fail_prefix(e, "%s: ", t->name);
    if (!a.seen)
        return wb_fail(e, "%s: count(*) returned no row", t->name);
    return a.count;
}

/* Fail unless rows >= 0 and version is 1 or 2. */
static int check_size(int64_t rows, int version, wb_error *e)
{
    if (rows < 0)
        return wb_fail(e, "rows must not be negative (got %lld)", (long long)rows);
    if (version != 1 && version != 2)
        return wb_fail(e, "data version must be 1 or 2 (got %d)", version);
    return 0;
}

int wb_schema_generate(const wb_backend *b, wb_conn *c, const wb_workload *w, int64_t rows, int version,
                       wb_error *e)
{
    if (check_size(rows, version, e) != 0)
        return -1;
    if (rows == 0)
        return 0;
    const wb_dialect *dd = b->dialect;
    wb_buf sql = WB_BUF_INIT;
    for (int i = 0; i < w->ntables; i++) {
        const wb_table *t = &w->tables[i];
        wb_buf_printf(&sql, dd->series_prefix, (long long)rows);
        wb_buf_puts(&sql, "INSERT INTO ");
        b->table_name(c, t->name, &sql);
        wb_buf_puts(&sql, " (");
        for (int col = 0; col < t->ncolumns; col++) {
            if (col)
                wb_buf_puts(&sql, ", ");
            wb_sql_identifier(&sql, t->columns[col].name);
        }
        wb_buf_puts(&sql, ") SELECT ");
        for (int col = 0; col < t->ncolumns; col++) {
            if (col)
                wb_buf_puts(&sql, ", ");
            wb_column_sql(t, col, version, "k", b->dialect, &sql);
        }
        wb_buf_puts(&sql, " FROM ");
        wb_buf_printf(&sql, dd->series_from, (long long)rows);
        wb_buf_puts(&sql, ";\n");
    }
    return run_generate(b, c, &sql, e);
}

int wb_schema_regenerate(const wb_backend *b, wb_conn *c, const wb_workload *w, int64_t rows, int version,
                         wb_error *e)
{
    if (check_size(rows, version, e) != 0)
        return -1;
    if (rows == 0)
        return 0;
    wb_buf sql = WB_BUF_INIT, key = WB_BUF_INIT, row = WB_BUF_INIT;
    for (int i = 0; i < w->ntables; i++) {
        const wb_table *t = &w->tables[i];
        int nupdated = 0;
        for (int col = 1; col < t->ncolumns; col++)
            nupdated += t->columns[col].updated != 0;
        if (nupdated == 0)
            continue;
        wb_buf_reset(&key);
        wb_sql_identifier(&key, key_column(t));
        wb_buf_reset(&row);
        wb_table_row_sql(t, wb_buf_str(&key), &row);
        wb_buf_puts(&sql, "UPDATE ");
        b->table_name(c, t->name, &sql);
        wb_buf_puts(&sql, " SET ");
        for (int col = 1, n = 0; col < t->ncolumns; col++) {
            if (!t->columns[col].updated)
                continue;
            if (n++)
                wb_buf_puts(&sql, ", ");
            wb_sql_identifier(&sql, t->columns[col].name);
            wb_buf_puts(&sql, " = ");
            wb_column_sql(t, col, version, wb_buf_str(&row), b->dialect, &sql);
        }
        wb_buf_printf(&sql, " WHERE %s BETWEEN %lld AND %lld;\n", wb_buf_str(&key), (long long)wb_table_key(t, 1),
                      (long long)wb_table_key(t, rows));
    }
    wb_buf_free(&key);
    wb_buf_free(&row);
    return run_generate(b, c, &sql, e);
}

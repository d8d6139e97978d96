/* The MariaDB backend's describe_tables (backend.h): tables read from
 * information_schema (TABLES, COLUMNS, STATISTICS, KEY_COLUMN_USAGE,
 * CHECK_CONSTRAINTS) in one READ ONLY transaction that is rolled back, on a session
 * whose transactions default to read-only (the target's read_only): nothing is
 * written, no database created or marked, no lock taken.
 *
 * MariaDB's types are translated to PostgreSQL's spelling (describe.h) by a table:
 * TINYINT(1) is boolean, DATETIME timestamp, TIMESTAMP (an instant the server keeps
 * in UTC) timestamptz, a LONGTEXT with a JSON_VALID check json, the BLOBs bytea, an
 * ENUM text with its labels. MariaDB keeps no per-column statistics in
 * information_schema (its engine-independent ones, mysql.column_stats, exist only
 * after an ANALYZE ... PERSISTENT, which writes): the shape of the data is left to
 * the inference's defaults, and the file says so. A name is "database.table", or a
 * table of the database the URL names. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backends/mariadb_internal.h"
#include "util/buf.h"

typedef struct reader {
    wb_conn *c;
    wb_schema_desc *d;
    wb_error *e;
} reader;

/* Rows of a query, copied (the callback's values live for one row only). */
typedef struct rows {
    int ncols, n, cap;
    char **v; /* n * ncols values, NULL for SQL NULL */
} rows;

static int collect(void *arg, int ncols, const char *const *names, const char *const *values)
{
    (void)names;
    rows *r = arg;
    if (r->ncols == 0)
        r->ncols = ncols;
    if (r->n == r->cap) {
        r->cap = r->cap ? 2 * r->cap : 16;
        r->v = wb_xrealloc(r->v, (size_t)r->cap * (size_t)r->ncols * sizeof *r->v);
    }
    for (int i = 0; i < r->ncols; i++)
        r->v[r->n * r->ncols + i] = i < ncols && values[i] ? wb_xstrdup(values[i]) : NULL;
    r->n++;
    return 0;
}

static void rows_free(rows *r)
{
    for (int i = 0; i < r->n * r->ncols; i++)
        free(r->v[i]);
    free(r->v);
    memset(r, 0, sizeof *r);
}

/* Value (row i, column j) of r. */
static const char *at(const rows *r, int i, int j)
{
    return r->v[i * r->ncols + j];
}

/* Run sql into out; -1 with e naming what. */
static int query(reader *r, const char *sql, rows *out, const char *what)
{
    memset(out, 0, sizeof *out);
    if (wb_mariadb_backend.query(r->c, sql, collect, out, r->e) != 0) {
        rows_free(out);
        return wb_fail_prefix(r->e, "%s: ", what);
    }
    return 0;
}

/* Append s as a string literal, escaped for the connection's sql_mode. */
static void put_literal(reader *r, wb_buf *sql, const char *s)
{
    size_t n = strlen(s);
    wb_buf_reserve(sql, 2 * n + 3);
    sql->data[sql->len++] = '\'';
    sql->len += mysql_real_escape_string(wb_mariadb_mysql(r->c), sql->data + sql->len, s, (unsigned long)n);
    sql->data[sql->len++] = '\'';
    sql->data[sql->len] = '\0';
}

/* "TABLE_SCHEMA = 'db' AND TABLE_NAME = 't'" with the given column names. */
static void put_where(reader *r, wb_buf *sql, const char *schema_col, const char *table_col, const wb_desc_table *t)
{
    wb_buf_printf(sql, " WHERE %s = ", schema_col);
    put_literal(r, sql, t->schema);
    wb_buf_printf(sql, " AND %s = ", table_col);
    put_literal(r, sql, t->name);
}

/* MariaDB's DATA_TYPE to PostgreSQL's spelling; %s gets the parameters noted. */
typedef enum { P_NONE, P_LENGTH, P_PRECISION } type_params;
static const struct {
    const char *mariadb; /* DATA_TYPE, lower case */
    const char *pg;
    type_params params;
} types[] = {
    {"tinyint", "smallint", P_NONE},    {"smallint", "smallint", P_NONE},   {"mediumint", "integer", P_NONE},
    {"int", "integer", P_NONE},         {"bigint", "bigint", P_NONE},       {"decimal", "numeric", P_PRECISION},
    {"float", "real", P_NONE},          {"double", "double precision", P_NONE},
    {"char", "character", P_LENGTH},    {"varchar", "character varying", P_LENGTH},
    {"tinytext", "text", P_NONE},       {"text", "text", P_NONE},           {"mediumtext", "text", P_NONE},
    {"longtext", "text", P_NONE},       {"date", "date", P_NONE},           {"datetime", "timestamp", P_NONE},
    {"timestamp", "timestamp with time zone", P_NONE},                      {"uuid", "uuid", P_NONE},
    {"tinyblob", "bytea", P_NONE},      {"blob", "bytea", P_NONE},          {"mediumblob", "bytea", P_NONE},
    {"longblob", "bytea", P_NONE},      {"binary", "bytea", P_NONE},        {"varbinary", "bytea", P_NONE},
    {"enum", "text", P_NONE},
};

/* An unsigned integer needs the next wider type to hold its range. */
static const struct {
    const char *mariadb, *pg;
} unsigned_types[] = {
    {"tinyint", "smallint"}, {"smallint", "integer"}, {"mediumint", "integer"},
    {"int", "bigint"},       {"bigint", "numeric(20,0)"},
};

/* The labels of COLUMN_TYPE "enum('a','b''c')", into c. */
static void read_enum_labels(reader *r, wb_desc_column *c, const char *column_type)
{
    const char *p = strchr(column_type, '(');
    wb_buf label = WB_BUF_INIT;
    while (p && *p) {
        p = strchr(p, '\'');
        if (!p)
            break;
        wb_buf_reset(&label);
        for (p++; *p; p++) {
            if (*p == '\'' && p[1] == '\'') {
                wb_buf_putc(&label, '\'');
                p++;
            } else if (*p == '\\' && p[1]) {
                wb_buf_putc(&label, *++p);
            } else if (*p == '\'') {
                break;
            } else {
                wb_buf_putc(&label, *p);
            }
        }
        wb_desc_push_string(r->d, &c->enum_labels, &c->nenum_labels, &c->cap_enum_labels, wb_buf_str(&label));
        if (*p)
            p++;
    }
    wb_buf_free(&label);
}

/* Column c's type in PostgreSQL's spelling, from its information_schema.COLUMNS row. */
static char *pg_type(reader *r, const char *data_type, const char *column_type, const char *length,
                     const char *precision, const char *scale)
{
    if (strcmp(column_type, "tinyint(1)") == 0)
        return wb_desc_strdup(r->d, "boolean"); /* BOOLEAN's own declaration */
    if (strstr(column_type, "unsigned"))
        for (size_t i = 0; i < sizeof unsigned_types / sizeof unsigned_types[0]; i++)
            if (strcmp(data_type, unsigned_types[i].mariadb) == 0)
                return wb_desc_strdup(r->d, unsigned_types[i].pg);
    for (size_t i = 0; i < sizeof types / sizeof types[0]; i++) {
        if (strcmp(data_type, types[i].mariadb) != 0)
            continue;
        if (types[i].params == P_LENGTH && length)
            return wb_desc_printf(r->d, "%s(%s)", types[i].pg, length);
        if (types[i].params == P_PRECISION && precision)
            return wb_desc_printf(r->d, "%s(%s,%s)", types[i].pg, precision, scale ? scale : "0");
        return wb_desc_strdup(r->d, types[i].pg);
    }
    return wb_desc_strdup(r->d, column_type); /* not translated: the inference names it */
}

static int read_columns(reader *r, wb_desc_table *t)
{
    wb_buf sql = WB_BUF_INIT;
    wb_buf_puts(&sql, "SELECT COLUMN_NAME, LOWER(DATA_TYPE), LOWER(COLUMN_TYPE), IS_NULLABLE, COLUMN_DEFAULT, EXTRA, "
                      "GENERATION_EXPRESSION, CHARACTER_MAXIMUM_LENGTH, NUMERIC_PRECISION, NUMERIC_SCALE, COLUMN_KEY "
                      "FROM information_schema.COLUMNS");
    put_where(r, &sql, "TABLE_SCHEMA", "TABLE_NAME", t);
    wb_buf_puts(&sql, " ORDER BY ORDINAL_POSITION");
    rows res;
    int rc = query(r, wb_buf_str(&sql), &res, "reading the table's columns");
    wb_buf_free(&sql);
    if (rc != 0)
        return -1;
    for (int i = 0; i < res.n; i++) {
        wb_desc_column *c = wb_desc_add_column(r->d, t);
        c->name = wb_desc_strdup(r->d, at(&res, i, 0));
        const char *data_type = at(&res, i, 1), *column_type = at(&res, i, 2);
        c->type = pg_type(r, data_type, column_type, at(&res, i, 7), at(&res, i, 8), at(&res, i, 9));
        if (strcmp(c->type, column_type) != 0)
            c->declared_type = wb_desc_strdup(r->d, column_type);
        c->not_null = strcmp(at(&res, i, 3), "NO") == 0;
        const char *def = at(&res, i, 4), *extra = at(&res, i, 5) ? at(&res, i, 5) : "";
        /* 10.2 and later write a default as an expression: NULL is the word */
        if (strstr(extra, "GENERATED"))
            c->generated_sql = wb_desc_strdup(r->d, at(&res, i, 6));
        else if (def && strcmp(def, "NULL") != 0)
            c->default_sql = wb_desc_strdup(r->d, def);
        if (strstr(extra, "auto_increment"))
            c->identity = WB_DESC_IDENTITY_SERIAL;
        if (strcmp(data_type, "enum") == 0)
            read_enum_labels(r, c, column_type);
    }
    rows_free(&res);
    return 0;
}

static int read_indexes(reader *r, wb_desc_table *t)
{
    wb_buf sql = WB_BUF_INIT;
    wb_buf_puts(&sql, "SELECT INDEX_NAME, NON_UNIQUE, COLUMN_NAME, LOWER(INDEX_TYPE), SEQ_IN_INDEX FROM "
                      "information_schema.STATISTICS");
    put_where(r, &sql, "TABLE_SCHEMA", "TABLE_NAME", t);
    wb_buf_puts(&sql, " ORDER BY INDEX_NAME = 'PRIMARY' DESC, INDEX_NAME, SEQ_IN_INDEX");
    rows res;
    int rc = query(r, wb_buf_str(&sql), &res, "reading the table's indexes");
    wb_buf_free(&sql);
    if (rc != 0)
        return -1;
    wb_desc_index *ix = NULL;
    for (int i = 0; i < res.n; i++) {
        if (!ix || strcmp(ix->name, at(&res, i, 0)) != 0) {
            ix = wb_desc_add_index(r->d, t);
            ix->name = wb_desc_strdup(r->d, at(&res, i, 0));
            ix->primary = strcmp(ix->name, "PRIMARY") == 0;
            ix->unique = strcmp(at(&res, i, 1), "0") == 0;
            const char *method = at(&res, i, 3);
            if (method && strcmp(method, "btree") != 0)
                ix->method = wb_desc_strdup(r->d, method);
        }
        wb_desc_push_string(r->d, &ix->columns, &ix->ncolumns, &ix->cap_columns, at(&res, i, 2));
    }
    rows_free(&res);
    return 0;
}

static int read_foreign_keys(reader *r, wb_desc_table *t)
{
    wb_buf sql = WB_BUF_INIT;
    wb_buf_puts(&sql, "SELECT CONSTRAINT_NAME, COLUMN_NAME, REFERENCED_TABLE_SCHEMA, REFERENCED_TABLE_NAME, "
                      "REFERENCED_COLUMN_NAME FROM information_schema.KEY_COLUMN_USAGE");
    put_where(r, &sql, "TABLE_SCHEMA", "TABLE_NAME", t);
    wb_buf_puts(&sql, " AND REFERENCED_TABLE_NAME IS NOT NULL ORDER BY CONSTRAINT_NAME, ORDINAL_POSITION");
    rows res;
    int rc = query(r, wb_buf_str(&sql), &res, "reading the table's foreign keys");
    wb_buf_free(&sql);
    if (rc != 0)
        return -1;
    wb_desc_fk *fk = NULL;
    for (int i = 0; i < res.n; i++) {
        if (!fk || strcmp(fk->name, at(&res, i, 0)) != 0) {
            fk = wb_desc_add_fk(r->d, t);
            fk->name = wb_desc_strdup(r->d, at(&res, i, 0));
            fk->parent_schema = wb_desc_strdup(r->d, at(&res, i, 2));
            fk->parent_table = wb_desc_strdup(r->d, at(&res, i, 3));
        }
        wb_desc_push_string(r->d, &fk->columns, &fk->ncolumns, &fk->cap_columns, at(&res, i, 1));
        wb_desc_push_string(r->d, &fk->parent_columns, &fk->nparent_columns, &fk->cap_parent_columns,
                            at(&res, i, 4));
    }
    rows_free(&res);
    return 0;
}

/* The expression with MariaDB's `identifiers` as "identifiers" (the form the
 * workload file and every backend read), string literals left alone. */
static char *ansi_quoted(reader *r, const char *expr)
{
    wb_buf out = WB_BUF_INIT;
    for (const char *p = expr; *p; p++) {
        if (*p == '\'') {
            wb_buf_putc(&out, *p);
            for (p++; *p; p++) {
                wb_buf_putc(&out, *p);
                if (*p == '\\' && p[1])
                    wb_buf_putc(&out, *++p);
                else if (*p == '\'' && p[1] == '\'')
                    wb_buf_putc(&out, *++p);
                else if (*p == '\'')
                    break;
            }
            if (!*p)
                break;
        } else {
            wb_buf_putc(&out, *p == '`' ? '"' : *p);
        }
    }
    char *s = wb_desc_strdup(r->d, wb_buf_str(&out));
    wb_buf_free(&out);
    return s;
}

/* CHECK constraints; a JSON column's json_valid(`c`) check makes its LONGTEXT json. */
static int read_checks(reader *r, wb_desc_table *t)
{
    wb_buf sql = WB_BUF_INIT;
    wb_buf_puts(&sql, "SELECT CONSTRAINT_NAME, CHECK_CLAUSE FROM information_schema.CHECK_CONSTRAINTS");
    put_where(r, &sql, "CONSTRAINT_SCHEMA", "TABLE_NAME", t);
    wb_buf_puts(&sql, " ORDER BY CONSTRAINT_NAME");
    rows res;
    int rc = query(r, wb_buf_str(&sql), &res, "reading the table's CHECK constraints");
    wb_buf_free(&sql);
    if (rc != 0)
        return -1;
    for (int i = 0; i < res.n; i++) {
        const char *name = at(&res, i, 0), *clause = at(&res, i, 1) ? at(&res, i, 1) : "";
        wb_desc_column *c = wb_desc_find_column(t, name);
        /* the server quotes the name as the session's sql_mode does: ANSI_QUOTES' "c" */
        char json_check[300], json_check_ansi[300];
        snprintf(json_check, sizeof json_check, "json_valid(`%s`)", name);
        snprintf(json_check_ansi, sizeof json_check_ansi, "json_valid(\"%s\")", name);
        if (c && strcmp(c->type, "text") == 0 &&
            (strcmp(clause, json_check) == 0 || strcmp(clause, json_check_ansi) == 0)) {
            c->declared_type = wb_desc_strdup(r->d, c->declared_type ? c->declared_type : "longtext");
            c->type = wb_desc_strdup(r->d, "json");
            continue;
        }
        wb_desc_check *ck = wb_desc_add_check(r->d, t);
        ck->name = wb_desc_strdup(r->d, name);
        ck->expr = ansi_quoted(r, clause);
    }
    rows_free(&res);
    return 0;
}

static int describe_one(reader *r, const char *wanted, bool common_values)
{
    const char *dot = strchr(wanted, '.');
    char schema[256], name[256];
    snprintf(schema, sizeof schema, "%.*s", dot ? (int)(dot - wanted) : 255,
             dot ? wanted : wb_mariadb_database(r->c));
    snprintf(name, sizeof name, "%s", dot ? dot + 1 : wanted);
    wb_buf sql = WB_BUF_INIT;
    wb_buf_puts(&sql, "SELECT TABLE_SCHEMA, TABLE_NAME, TABLE_ROWS FROM information_schema.TABLES WHERE TABLE_SCHEMA = ");
    put_literal(r, &sql, schema);
    wb_buf_puts(&sql, " AND TABLE_NAME = ");
    put_literal(r, &sql, name);
    wb_buf_puts(&sql, " AND TABLE_TYPE = 'BASE TABLE'");
    char what[300];
    snprintf(what, sizeof what, "--table %.200s", wanted);
    rows res;
    int rc = query(r, wb_buf_str(&sql), &res, what);
    wb_buf_free(&sql);
    if (rc != 0)
        return -1;
    if (res.n != 1) {
        rows_free(&res);
        return wb_fail(r->e, "--table %s: the server has no such table (DATABASE.TABLE; the URL's database when no "
                             "database is given)",
                       wanted);
    }
    if (wb_desc_find_table(r->d, at(&res, 0, 0), at(&res, 0, 1))) {
        rows_free(&res);
        return 0; /* named twice */
    }
    wb_desc_table *t = wb_desc_add_table(r->d);
    t->schema = wb_desc_strdup(r->d, at(&res, 0, 0));
    t->name = wb_desc_strdup(r->d, at(&res, 0, 1));
    t->rows_estimate = at(&res, 0, 2) ? strtod(at(&res, 0, 2), NULL) : -1; /* InnoDB's estimate */
    rows_free(&res);
    if (common_values)
        wb_desc_add_note(r->d, "%s.%s: MariaDB keeps no most common values to copy (--copy-common-values)",
                         t->schema, t->name);
    return read_columns(r, t) == 0 && read_indexes(r, t) == 0 && read_foreign_keys(r, t) == 0 &&
                   read_checks(r, t) == 0
               ? 0
               : -1;
}

int wb_mariadb_describe_tables(wb_conn *c, const char *const *names, int n, bool common_values,
                               wb_schema_desc *out, wb_error *e)
{
    reader r = {c, out, e};
    out->source = wb_desc_printf(out, "MariaDB %s", mysql_get_server_info(wb_mariadb_mysql(c)));
    wb_desc_add_note(out, "MariaDB keeps no per-column statistics in information_schema: null shares, distinct "
                          "counts and widths are the inference's defaults");
    /* one consistent snapshot, in a transaction that cannot write */
    int rc = wb_mariadb_exec(c, "START TRANSACTION READ ONLY", "START TRANSACTION READ ONLY", e);
    for (int i = 0; i < n && rc == 0; i++)
        rc = describe_one(&r, names[i], common_values);
    wb_error ignored = {{0}};
    wb_mariadb_exec(c, "ROLLBACK", "ROLLBACK", &ignored);
    return rc;
}

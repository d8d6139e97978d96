/* The SQLite backend's describe_tables (backend.h): tables of a file opened
 * read-only (SQLITE_OPEN_READONLY and PRAGMA query_only, so nothing can change
 * it), read through PRAGMA table_xinfo, index_list, index_info and
 * foreign_key_list. SQLite keeps no CHECK constraints apart and no statistics
 * of a column's values: the table's own CREATE statement (with its indexes')
 * goes into create_sql, from which `workload init` reads the checks and the
 * partial indexes' predicates with PostgreSQL's parser; SQLite's own words that
 * parser would not take (AUTOINCREMENT, WITHOUT ROWID, STRICT) are left out of
 * it. Declared types become PostgreSQL's spelling by SQLite's own rules: an
 * INTEGER is 64 bits, and an unknown name takes the affinity its letters give. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "backends/sqlite_internal.h"
#include "util/buf.h"

/* Declared names SQLite programs use, in PostgreSQL's words; matched without the
 * parameters, which follow ("VARCHAR(30)" -> "varchar(30)"). */
static const struct {
    const char *declared;
    const char *pg;
    int keeps_params; /* the parameters carry over */
} known_types[] = {
    {"integer", "bigint", 0}, /* SQLite's integers are 64 bits (INTEGER PRIMARY KEY is the rowid) */
    {"int", "bigint", 0},
    {"bigint", "bigint", 0},
    {"int8", "bigint", 0},
    {"smallint", "smallint", 0},
    {"int2", "smallint", 0},
    {"int4", "integer", 0},
    {"mediumint", "integer", 0},
    {"tinyint", "smallint", 0},
    {"text", "text", 0},
    {"clob", "text", 0},
    {"varchar", "varchar", 1},
    {"character varying", "varchar", 1},
    {"varying character", "varchar", 1},
    {"nvarchar", "varchar", 1},
    {"native character", "char", 1},
    {"nchar", "char", 1},
    {"char", "char", 1},
    {"character", "char", 1},
    {"numeric", "numeric", 1},
    {"decimal", "numeric", 1},
    {"real", "real", 0},
    {"float", "double precision", 0},
    {"double", "double precision", 0},
    {"double precision", "double precision", 0},
    {"boolean", "boolean", 0},
    {"bool", "boolean", 0},
    {"date", "date", 0},
    {"datetime", "timestamp", 0},
    {"timestamp", "timestamp", 0},
    {"timestamptz", "timestamptz", 0},
    {"uuid", "uuid", 0},
    {"json", "json", 0},
    {"jsonb", "jsonb", 0},
    {"blob", "bytea", 0},
    {"bytea", "bytea", 0},
};

/* SQLite's affinity rules (https://sqlite.org/datatype3.html, 3.1) for a name it
 * does not know: the first that applies. */
static const struct {
    const char *contains;
    const char *pg;
} affinities[] = {
    {"int", "bigint"}, {"char", "text"}, {"clob", "text"}, {"text", "text"},
    {"blob", "bytea"}, {"real", "double precision"}, {"floa", "double precision"}, {"doub", "double precision"},
};

/* The declared type in PostgreSQL's spelling. */
static void pg_type_of(const char *declared, char *out, size_t n)
{
    char lower[128], name[128];
    size_t len = 0;
    for (const char *p = declared; *p && len + 1 < sizeof lower; p++)
        lower[len++] = (char)tolower((unsigned char)*p);
    lower[len] = '\0';
    const char *params = strchr(lower, '(');
    size_t name_len = params ? (size_t)(params - lower) : len;
    while (name_len > 0 && lower[name_len - 1] == ' ')
        name_len--;
    snprintf(name, sizeof name, "%.*s", (int)name_len, lower);
    if (!name[0]) {
        snprintf(out, n, "bytea"); /* no type: BLOB affinity */
        return;
    }
    for (size_t i = 0; i < sizeof known_types / sizeof known_types[0]; i++)
        if (strcmp(name, known_types[i].declared) == 0) {
            snprintf(out, n, "%s%s", known_types[i].pg, known_types[i].keeps_params && params ? params : "");
            return;
        }
    for (size_t i = 0; i < sizeof affinities / sizeof affinities[0]; i++)
        if (strstr(name, affinities[i].contains)) {
            snprintf(out, n, "%s", affinities[i].pg);
            return;
        }
    snprintf(out, n, "numeric"); /* NUMERIC affinity */
}

/* ---- statements ---- */

typedef struct reader {
    wb_conn *c;
    sqlite3 *db;
    wb_schema_desc *d;
    wb_error *e;
} reader;

static int fail_db(reader *r, const char *what)
{
    return wb_fail(r->e, "cannot describe %s: %s", what, sqlite3_errmsg(r->db));
}

/* Prepare sql with one text parameter. */
static int prepare(reader *r, const char *sql, const char *param, sqlite3_stmt **st)
{
    if (sqlite3_prepare_v2(r->db, sql, -1, st, NULL) != SQLITE_OK ||
        sqlite3_bind_text(*st, 1, param, -1, SQLITE_TRANSIENT) != SQLITE_OK)
        return fail_db(r, param);
    return 0;
}

static const char *column_text(sqlite3_stmt *st, int i)
{
    return (const char *)sqlite3_column_text(st, i);
}

/* Append text without SQLite's words that PostgreSQL's parser would not take:
 * AUTOINCREMENT anywhere outside quotes, and a table's options after its last ')'. */
static void for_pg_parser(const char *sql, int is_table, wb_buf *out)
{
    size_t len = strlen(sql), last_paren = len;
    for (size_t i = 0; i < len && is_table; i++)
        if (sql[i] == ')')
            last_paren = i;
    char quote = 0;
    for (size_t i = 0; i < len; i++) {
        char ch = sql[i];
        if (quote) {
            if (ch == quote)
                quote = 0;
        } else if (ch == '\'' || ch == '"' || ch == '`' || ch == '[') {
            quote = ch == '[' ? ']' : ch;
        } else if (strncasecmp(sql + i, "autoincrement", 13) == 0 && (i == 0 || !isalnum((unsigned char)sql[i - 1])) &&
                   !isalnum((unsigned char)sql[i + 13]) && sql[i + 13] != '_') {
            i += 12;
            continue;
        }
        if (i > last_paren && last_paren < len)
            break; /* WITHOUT ROWID, STRICT */
        wb_buf_putc(out, ch);
    }
}

static int read_columns(reader *r, wb_desc_table *t)
{
    sqlite3_stmt *st;
    if (prepare(r, "SELECT cid, name, type, \"notnull\", dflt_value, pk, hidden FROM pragma_table_xinfo(?1) "
                   "ORDER BY cid",
                t->name, &st) != 0)
        return -1;
    wb_desc_index *pk = NULL;
    int pk_columns = 0, rc;
    char *pk_names[64] = {0};
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        wb_desc_column *c = wb_desc_add_column(r->d, t);
        const char *declared = column_text(st, 2) ? column_text(st, 2) : "";
        char pg[160];
        pg_type_of(declared, pg, sizeof pg);
        c->name = wb_desc_strdup(r->d, column_text(st, 1));
        c->type = wb_desc_strdup(r->d, pg);
        if (strcasecmp(declared, pg) != 0)
            c->declared_type = wb_desc_strdup(r->d, declared[0] ? declared : "(no type)");
        c->not_null = sqlite3_column_int(st, 3) != 0;
        c->default_sql = wb_desc_strdup(r->d, column_text(st, 4));
        int pk_at = sqlite3_column_int(st, 5), hidden = sqlite3_column_int(st, 6);
        if (hidden == 2 || hidden == 3)
            c->generated_sql = wb_desc_strdup(r->d, "its expression");
        if (pk_at > 0 && pk_at <= 64) {
            pk_names[pk_at - 1] = c->name;
            pk_columns = pk_at > pk_columns ? pk_at : pk_columns;
        }
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE)
        return fail_db(r, t->name);
    if (pk_columns) {
        pk = wb_desc_add_index(r->d, t);
        pk->primary = pk->unique = true;
        for (int i = 0; i < pk_columns; i++)
            wb_desc_push_string(r->d, &pk->columns, &pk->ncolumns, &pk->cap_columns, pk_names[i]);
        /* INTEGER PRIMARY KEY is the rowid: SQLite numbers it */
        wb_desc_column *key = pk_columns == 1 ? wb_desc_find_column(t, pk_names[0]) : NULL;
        if (key && key->declared_type && strcasecmp(key->declared_type, "integer") == 0)
            key->identity = WB_DESC_IDENTITY_SERIAL;
    }
    return 0;
}

static int read_index_columns(reader *r, const wb_desc_table *t, wb_desc_index *ix, const char *name)
{
    sqlite3_stmt *st;
    if (prepare(r, "SELECT cid, name FROM pragma_index_info(?1) ORDER BY seqno", name, &st) != 0)
        return -1;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        /* cid -2: an expression; -1: the rowid */
        const char *column = sqlite3_column_int(st, 0) >= 0 ? column_text(st, 1) : NULL;
        wb_desc_push_string(r->d, &ix->columns, &ix->ncolumns, &ix->cap_columns, column);
        if (!column)
            ix->expressions = wb_desc_strdup(r->d, "an expression");
    }
    (void)t;
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? 0 : fail_db(r, name);
}

static int read_indexes(reader *r, wb_desc_table *t)
{
    sqlite3_stmt *st;
    if (prepare(r, "SELECT name, \"unique\", origin, partial FROM pragma_index_list(?1) ORDER BY name", t->name,
                &st) != 0)
        return -1;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *origin = column_text(st, 2);
        if (origin && strcmp(origin, "pk") == 0)
            continue; /* the primary key, read with the columns */
        const char *name = column_text(st, 0);
        wb_desc_index *ix = wb_desc_add_index(r->d, t);
        /* sqlite_autoindex_*: the index behind a UNIQUE constraint, named by SQLite */
        ix->name = origin && strcmp(origin, "u") == 0 ? NULL : wb_desc_strdup(r->d, name);
        ix->unique = sqlite3_column_int(st, 1) != 0;
        ix->partial = sqlite3_column_int(st, 3) != 0;
        if (read_index_columns(r, t, ix, name) != 0) {
            sqlite3_finalize(st);
            return -1;
        }
    }
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? 0 : fail_db(r, t->name);
}

static int read_foreign_keys(reader *r, wb_desc_table *t)
{
    sqlite3_stmt *st;
    if (prepare(r, "SELECT id, \"table\", \"from\", \"to\" FROM pragma_foreign_key_list(?1) ORDER BY id, seq",
                t->name, &st) != 0)
        return -1;
    int rc, last_id = -1;
    wb_desc_fk *fk = NULL;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        int id = sqlite3_column_int(st, 0);
        if (!fk || id != last_id) {
            fk = wb_desc_add_fk(r->d, t);
            fk->parent_table = wb_desc_strdup(r->d, column_text(st, 1));
            last_id = id;
        }
        wb_desc_push_string(r->d, &fk->columns, &fk->ncolumns, &fk->cap_columns, column_text(st, 2));
        if (column_text(st, 3)) /* NULL: the parent's primary key */
            wb_desc_push_string(r->d, &fk->parent_columns, &fk->nparent_columns, &fk->cap_parent_columns,
                                column_text(st, 3));
    }
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? 0 : fail_db(r, t->name);
}

/* The table's CREATE statement and its indexes', for the checks and predicates. */
static int read_create_sql(reader *r, wb_desc_table *t)
{
    sqlite3_stmt *st;
    if (prepare(r, "SELECT sql, type = 'table' FROM sqlite_schema WHERE tbl_name = ?1 AND sql IS NOT NULL AND type "
                   "IN ('table', 'index') ORDER BY type = 'index', name",
                t->name, &st) != 0)
        return -1;
    wb_buf sql = WB_BUF_INIT;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        for_pg_parser(column_text(st, 0), sqlite3_column_int(st, 1), &sql);
        wb_buf_puts(&sql, ";\n");
    }
    sqlite3_finalize(st);
    t->create_sql = wb_desc_strdup(r->d, wb_buf_str(&sql));
    wb_buf_free(&sql);
    return rc == SQLITE_DONE ? 0 : fail_db(r, t->name);
}

static int describe_one(reader *r, const char *wanted)
{
    const char *name = strncasecmp(wanted, "main.", 5) == 0 ? wanted + 5 : wanted;
    sqlite3_stmt *st;
    if (prepare(r, "SELECT name FROM sqlite_schema WHERE type = 'table' AND name = ?1 COLLATE NOCASE", name, &st) != 0)
        return -1;
    int rc = sqlite3_step(st);
    char *found = rc == SQLITE_ROW ? wb_desc_strdup(r->d, column_text(st, 0)) : NULL;
    sqlite3_finalize(st);
    if (!found)
        return wb_fail(r->e, "--table %s: %s has no such table", wanted, r->d->source);
    if (wb_desc_find_table(r->d, NULL, found))
        return 0; /* named twice */
    wb_desc_table *t = wb_desc_add_table(r->d);
    t->name = found;
    return read_columns(r, t) == 0 && read_indexes(r, t) == 0 && read_foreign_keys(r, t) == 0 &&
                   read_create_sql(r, t) == 0
               ? 0
               : -1;
}

int wb_sqlite_describe_tables(wb_conn *c, const char *const *names, int n, bool common_values, wb_schema_desc *out,
                              wb_error *e)
{
    (void)common_values; /* SQLite keeps no statistics of a column's values */
    reader r = {c, wb_sqlite_db(c), out, e};
    const char *path = sqlite3_db_filename(r.db, "main");
    const char *base = path ? strrchr(path, '/') : NULL;
    out->source = wb_desc_printf(out, "SQLite file %s", base ? base + 1 : path ? path : "?");
    for (int i = 0; i < n; i++)
        if (describe_one(&r, names[i]) != 0)
            return -1;
    return 0;
}

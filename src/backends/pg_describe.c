/* The PostgreSQL backend's describe_tables (backend.h): tables read from the
 * catalogs (pg_class, pg_attribute, format_type, pg_attrdef, pg_index,
 * pg_constraint, pg_enum) and pg_stats, in one REPEATABLE READ READ ONLY
 * transaction that is rolled back, on a session whose transactions default to
 * read-only (the target's read_only): nothing is written, no schema claimed.
 *
 * pg_stats gives the data's shape (null_frac, n_distinct, avg_width); its
 * values (most_common_vals) are read only when asked (common_values), and its
 * histograms never. Names go to the server as literals (PQescapeLiteral), and
 * --table's "schema.table" is split by the server's own parse_ident, so quoting
 * and case work as in SQL. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backends/pg_internal.h"
#include "util/buf.h"

typedef struct reader {
    PGconn *pg;
    wb_schema_desc *d;
    wb_error *e;
} reader;

/* Run a query of rows; NULL with e set ("<what>: <server message>") on failure. */
static PGresult *query(reader *r, const char *sql, const char *what)
{
    PGresult *res = wb_pg_exec_echoed(r->pg, sql, NULL);
    if (PQresultStatus(res) != PGRES_TUPLES_OK) {
        wb_pg_fail(r->e, r->pg, res, what);
        PQclear(res);
        return NULL;
    }
    return res;
}

/* Append s as an SQL literal. */
static void put_literal(reader *r, wb_buf *sql, const char *s)
{
    char *lit = PQescapeLiteral(r->pg, s, strlen(s));
    wb_buf_puts(sql, lit ? lit : "NULL");
    PQfreemem(lit);
}

/* The value of a row's field, NULL for SQL NULL. */
static const char *field(const PGresult *res, int row, int col)
{
    return PQgetisnull(res, row, col) ? NULL : PQgetvalue(res, row, col);
}

static int read_columns(reader *r, wb_desc_table *t, const char *oid)
{
    wb_buf sql = WB_BUF_INIT;
    wb_buf_printf(&sql,
                  "SELECT a.attname, pg_catalog.format_type(CASE WHEN t.typtype = 'd' THEN t.typbasetype ELSE "
                  "a.atttypid END, CASE WHEN t.typtype = 'd' THEN t.typtypmod ELSE a.atttypmod END), a.attnotnull, "
                  "pg_catalog.pg_get_expr(d.adbin, d.adrelid), a.attidentity, a.attgenerated, t.typtype, a.atttypid, "
                  "CASE WHEN t.typtype = 'd' THEN pg_catalog.format_type(a.atttypid, a.atttypmod) END "
                  "FROM pg_catalog.pg_attribute a JOIN pg_catalog.pg_type t ON t.oid = a.atttypid "
                  "LEFT JOIN pg_catalog.pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum "
                  "WHERE a.attrelid = %s AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum",
                  oid);
    PGresult *res = query(r, wb_buf_str(&sql), "reading the table's columns");
    wb_buf_free(&sql);
    if (!res)
        return -1;
    int rc = 0;
    for (int i = 0; i < PQntuples(res) && rc == 0; i++) {
        wb_desc_column *c = wb_desc_add_column(r->d, t);
        c->name = wb_desc_strdup(r->d, field(res, i, 0));
        c->type = wb_desc_strdup(r->d, field(res, i, 1));
        c->declared_type = wb_desc_strdup(r->d, field(res, i, 8)); /* a domain's name */
        c->not_null = strcmp(field(res, i, 2), "t") == 0;
        const char *def = field(res, i, 3), *identity = field(res, i, 4), *generated = field(res, i, 5);
        if (generated && *generated)
            c->generated_sql = wb_desc_strdup(r->d, def);
        else
            c->default_sql = wb_desc_strdup(r->d, def);
        if (identity && *identity == 'a')
            c->identity = WB_DESC_IDENTITY_ALWAYS;
        else if (identity && *identity == 'd')
            c->identity = WB_DESC_IDENTITY_BY_DEFAULT;
        else if (c->default_sql && strncmp(c->default_sql, "nextval(", 8) == 0)
            c->identity = WB_DESC_IDENTITY_SERIAL;
        if (strcmp(field(res, i, 6), "e") == 0) {
            wb_buf labels = WB_BUF_INIT;
            wb_buf_printf(&labels,
                          "SELECT enumlabel FROM pg_catalog.pg_enum WHERE enumtypid = %s ORDER BY enumsortorder",
                          field(res, i, 7));
            PGresult *lr = query(r, wb_buf_str(&labels), "reading an enum type's labels");
            wb_buf_free(&labels);
            if (!lr) {
                rc = -1;
                break;
            }
            for (int k = 0; k < PQntuples(lr); k++)
                wb_desc_push_string(r->d, &c->enum_labels, &c->nenum_labels, &c->cap_enum_labels, field(lr, k, 0));
            PQclear(lr);
        }
    }
    PQclear(res);
    return rc;
}

static int read_index_columns(reader *r, wb_desc_index *ix, const char *index_oid)
{
    wb_buf sql = WB_BUF_INIT;
    wb_buf_printf(&sql,
                  "SELECT a.attname, CASE WHEN k.attnum = 0 THEN pg_catalog.pg_get_indexdef(i.indexrelid, k.i::int, "
                  "true) END FROM pg_catalog.pg_index i CROSS JOIN LATERAL pg_catalog.unnest(i.indkey::pg_catalog.int2[]) "
                  "WITH ORDINALITY AS k(attnum, i) LEFT JOIN pg_catalog.pg_attribute a ON a.attrelid = i.indrelid AND "
                  "a.attnum = k.attnum AND k.attnum > 0 WHERE i.indexrelid = %s AND k.i <= i.indnkeyatts ORDER BY k.i",
                  index_oid);
    PGresult *res = query(r, wb_buf_str(&sql), "reading an index's columns");
    wb_buf_free(&sql);
    if (!res)
        return -1;
    wb_buf expressions = WB_BUF_INIT;
    for (int i = 0; i < PQntuples(res); i++) {
        wb_desc_push_string(r->d, &ix->columns, &ix->ncolumns, &ix->cap_columns, field(res, i, 0));
        if (!field(res, i, 0))
            wb_buf_printf(&expressions, "%s%s", expressions.len ? ", " : "", field(res, i, 1) ? field(res, i, 1) : "?");
    }
    if (expressions.len)
        ix->expressions = wb_desc_strdup(r->d, wb_buf_str(&expressions));
    wb_buf_free(&expressions);
    PQclear(res);
    return 0;
}

static int read_indexes(reader *r, wb_desc_table *t, const char *oid)
{
    wb_buf sql = WB_BUF_INIT;
    wb_buf_printf(&sql,
                  "SELECT ic.relname, i.indisunique, i.indisprimary, pg_catalog.pg_get_expr(i.indpred, i.indrelid), "
                  "am.amname, i.indexrelid FROM pg_catalog.pg_index i JOIN pg_catalog.pg_class ic ON ic.oid = "
                  "i.indexrelid JOIN pg_catalog.pg_am am ON am.oid = ic.relam WHERE i.indrelid = %s ORDER BY ic.relname",
                  oid);
    PGresult *res = query(r, wb_buf_str(&sql), "reading the table's indexes");
    wb_buf_free(&sql);
    if (!res)
        return -1;
    int rc = 0;
    for (int i = 0; i < PQntuples(res) && rc == 0; i++) {
        wb_desc_index *ix = wb_desc_add_index(r->d, t);
        ix->name = wb_desc_strdup(r->d, field(res, i, 0));
        ix->unique = strcmp(field(res, i, 1), "t") == 0;
        ix->primary = strcmp(field(res, i, 2), "t") == 0;
        ix->predicate = wb_desc_strdup(r->d, field(res, i, 3));
        ix->partial = ix->predicate != NULL;
        if (strcmp(field(res, i, 4), "btree") != 0)
            ix->method = wb_desc_strdup(r->d, field(res, i, 4));
        rc = read_index_columns(r, ix, field(res, i, 5));
    }
    PQclear(res);
    return rc;
}

/* "CHECK (expr)" (pg_get_constraintdef), perhaps NOT VALID or NO INHERIT: expr. */
static char *check_expression(reader *r, const char *def)
{
    static const char *const suffixes[] = {" NOT VALID", " NO INHERIT"};
    size_t len = strlen(def);
    if (strncmp(def, "CHECK (", 7) != 0)
        return wb_desc_strdup(r->d, def);
    for (int again = 1; again;) {
        again = 0;
        for (size_t i = 0; i < sizeof suffixes / sizeof suffixes[0]; i++) {
            size_t n = strlen(suffixes[i]);
            if (len > n && strncmp(def + len - n, suffixes[i], n) == 0) {
                len -= n;
                again = 1;
            }
        }
    }
    if (len < 8 || def[len - 1] != ')')
        return wb_desc_strdup(r->d, def);
    return wb_desc_strndup(r->d, def + 7, len - 8);
}

static int read_constraints(reader *r, wb_desc_table *t, const char *oid)
{
    wb_buf sql = WB_BUF_INIT;
    wb_buf_printf(&sql,
                  "SELECT c.conname, c.contype, pg_catalog.pg_get_constraintdef(c.oid, true), fn.nspname, fc.relname, "
                  "c.oid FROM pg_catalog.pg_constraint c LEFT JOIN pg_catalog.pg_class fc ON fc.oid = c.confrelid "
                  "LEFT JOIN pg_catalog.pg_namespace fn ON fn.oid = fc.relnamespace WHERE c.conrelid = %s AND "
                  "c.contype IN ('f', 'c') ORDER BY c.conname",
                  oid);
    PGresult *res = query(r, wb_buf_str(&sql), "reading the table's constraints");
    wb_buf_free(&sql);
    if (!res)
        return -1;
    int rc = 0;
    for (int i = 0; i < PQntuples(res) && rc == 0; i++) {
        if (strcmp(field(res, i, 1), "c") == 0) {
            wb_desc_check *ck = wb_desc_add_check(r->d, t);
            ck->name = wb_desc_strdup(r->d, field(res, i, 0));
            ck->expr = check_expression(r, field(res, i, 2));
            continue;
        }
        wb_desc_fk *fk = wb_desc_add_fk(r->d, t);
        fk->name = wb_desc_strdup(r->d, field(res, i, 0));
        fk->parent_schema = wb_desc_strdup(r->d, field(res, i, 3));
        fk->parent_table = wb_desc_strdup(r->d, field(res, i, 4));
        wb_buf cols = WB_BUF_INIT;
        wb_buf_printf(&cols,
                      "SELECT a.attname, pa.attname FROM pg_catalog.pg_constraint c CROSS JOIN LATERAL "
                      "ROWS FROM (pg_catalog.unnest(c.conkey), pg_catalog.unnest(c.confkey)) WITH ORDINALITY AS k(child, parent, i) "
                      "JOIN "
                      "pg_catalog.pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.child JOIN "
                      "pg_catalog.pg_attribute pa ON pa.attrelid = c.confrelid AND pa.attnum = k.parent WHERE c.oid = "
                      "%s ORDER BY k.i",
                      field(res, i, 5));
        PGresult *cr = query(r, wb_buf_str(&cols), "reading a foreign key's columns");
        wb_buf_free(&cols);
        if (!cr) {
            rc = -1;
            break;
        }
        for (int k = 0; k < PQntuples(cr); k++) {
            wb_desc_push_string(r->d, &fk->columns, &fk->ncolumns, &fk->cap_columns, field(cr, k, 0));
            wb_desc_push_string(r->d, &fk->parent_columns, &fk->nparent_columns, &fk->cap_parent_columns,
                                field(cr, k, 1));
        }
        PQclear(cr);
    }
    PQclear(res);
    return rc;
}

/* pg_stats: the shape of each column's data; its most common values when asked. */
static int read_stats(reader *r, wb_desc_table *t, int partitioned, bool common_values)
{
    wb_buf where = WB_BUF_INIT, sql = WB_BUF_INIT;
    wb_buf_puts(&where, "s.schemaname = ");
    put_literal(r, &where, t->schema);
    wb_buf_puts(&where, " AND s.tablename = ");
    put_literal(r, &where, t->name);
    wb_buf_printf(&where, " AND s.inherited = %s", partitioned ? "true" : "false");
    wb_buf_printf(&sql, "SELECT s.attname, s.null_frac, s.n_distinct, s.avg_width FROM pg_catalog.pg_stats s WHERE %s",
                  wb_buf_str(&where));
    PGresult *res = query(r, wb_buf_str(&sql), "reading pg_stats");
    int rc = res ? 0 : -1;
    for (int i = 0; res && i < PQntuples(res); i++) {
        wb_desc_column *c = wb_desc_find_column(t, field(res, i, 0));
        if (!c)
            continue;
        c->stats.present = true;
        c->stats.null_frac = field(res, i, 1) ? strtod(field(res, i, 1), NULL) : 0;
        c->stats.n_distinct = field(res, i, 2) ? strtod(field(res, i, 2), NULL) : 0;
        c->stats.avg_width_bytes = field(res, i, 3) ? atoi(field(res, i, 3)) : 0;
    }
    PQclear(res);
    if (rc == 0 && common_values) {
        wb_buf_reset(&sql);
        wb_buf_printf(&sql,
                      "SELECT s.attname, u.v, u.f FROM pg_catalog.pg_stats s CROSS JOIN LATERAL "
                      "ROWS FROM (pg_catalog.unnest(s.most_common_vals::text::text[]), pg_catalog.unnest(s.most_common_freqs)) "
                      "WITH ORDINALITY AS u(v, f, i) WHERE %s ORDER BY s.attname, u.i",
                      wb_buf_str(&where));
        res = query(r, wb_buf_str(&sql), "reading pg_stats' most common values");
        rc = res ? 0 : -1;
        for (int i = 0; res && i < PQntuples(res); i++) {
            wb_desc_column *c = wb_desc_find_column(t, field(res, i, 0));
            if (!c || !field(res, i, 1))
                continue;
            wb_desc_common_value *v = wb_desc_push(r->d, (void ***)&c->stats.common, &c->stats.ncommon,
                                                   &c->stats.cap_common, sizeof *v);
            v->value = wb_desc_strdup(r->d, field(res, i, 1));
            v->freq = field(res, i, 2) ? strtod(field(res, i, 2), NULL) : 0;
        }
        PQclear(res);
    }
    wb_buf_free(&where);
    wb_buf_free(&sql);
    return rc;
}

static int describe_one(reader *r, const char *wanted, bool common_values)
{
    wb_buf sql = WB_BUF_INIT;
    wb_buf_puts(&sql, "SELECT c.oid, n.nspname, c.relname, c.reltuples, c.relkind FROM pg_catalog.pg_class c JOIN "
                      "pg_catalog.pg_namespace n ON n.oid = c.relnamespace, pg_catalog.parse_ident(");
    put_literal(r, &sql, wanted);
    wb_buf_puts(&sql, ") AS p(parts) WHERE c.relkind IN ('r', 'p') AND n.nspname = CASE WHEN "
                      "pg_catalog.array_length(p.parts, 1) = 2 THEN p.parts[1] ELSE 'public' END AND c.relname = "
                      "p.parts[pg_catalog.array_length(p.parts, 1)]");
    char what[300];
    snprintf(what, sizeof what, "--table %.200s", wanted);
    PGresult *res = query(r, wb_buf_str(&sql), what);
    wb_buf_free(&sql);
    if (!res)
        return -1;
    if (PQntuples(res) != 1) {
        PQclear(res);
        return wb_fail(r->e, "--table %s: the database has no such table (SCHEMA.TABLE; public when no schema is "
                             "given)",
                       wanted);
    }
    if (wb_desc_find_table(r->d, field(res, 0, 1), field(res, 0, 2))) {
        PQclear(res);
        return 0; /* named twice */
    }
    wb_desc_table *t = wb_desc_add_table(r->d);
    t->schema = wb_desc_strdup(r->d, field(res, 0, 1));
    t->name = wb_desc_strdup(r->d, field(res, 0, 2));
    double reltuples = strtod(field(res, 0, 3), NULL);
    t->rows_estimate = reltuples >= 0 ? reltuples : -1; /* -1: never vacuumed or analyzed */
    char oid[32];
    snprintf(oid, sizeof oid, "%s", field(res, 0, 0));
    int partitioned = strcmp(field(res, 0, 4), "p") == 0;
    PQclear(res);
    return read_columns(r, t, oid) == 0 && read_indexes(r, t, oid) == 0 && read_constraints(r, t, oid) == 0 &&
                   read_stats(r, t, partitioned, common_values) == 0
               ? 0
               : -1;
}

int wb_pg_describe_tables(wb_conn *c, const char *const *names, int n, bool common_values, wb_schema_desc *out,
                          wb_error *e)
{
    reader r = {wb_pg_conn(c), out, e};
    out->source = wb_desc_printf(out, "PostgreSQL database %s", PQdb(r.pg));
    /* one snapshot of the catalogs, and a transaction that cannot write */
    PGresult *begin = wb_pg_exec_echoed(r.pg, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", NULL);
    int rc = PQresultStatus(begin) == PGRES_COMMAND_OK ? 0 : wb_pg_fail(e, r.pg, begin, "BEGIN READ ONLY");
    PQclear(begin);
    for (int i = 0; i < n && rc == 0; i++)
        rc = describe_one(&r, names[i], common_values);
    PQclear(wb_pg_exec_echoed(r.pg, "ROLLBACK", NULL));
    return rc;
}

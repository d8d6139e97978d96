/* Unit tests of `workload init` (src/workloads/init*.c, ddl.c, pgq.c) without a
 * database and without the workload loader:
 *   - types in PostgreSQL's spellings map to the format's (init_types.c);
 *   - CHECK expressions are read as ranges, choices, IS NOT NULL or nothing, also in
 *     the catalogs' rendering (casts, = ANY (ARRAY[...])) (init_check.c);
 *   - positions count lines and characters, and libpg_query's cursor (characters) is
 *     turned into the right byte (pgq.c);
 *   - the DDL reader keeps expressions' exact source text (a CHECK holding ')' in a
 *     string, a DEFAULT, a partial index's WHERE, a generated column), enum labels,
 *     nextval defaults as serial, and names a table beyond the column limit;
 *   - statistics (as pg_stats gives them) become nulls, a modulo, a width, weighted
 *     choices and a foreign key's parents, and never any value without common values;
 *   - the rules' table is the one docs/WORKLOADS.md shows (WB_PRINT_INIT_RULES=1 prints
 *     it), and init's output is the same every time. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "util/fs.h"
#include "workloads/ddl.h"
#include "workloads/init.h"
#include "workloads/init_internal.h"
#include "workloads/pgq.h"
#include "workloads/workload.h"

static void test_types(void)
{
    static const struct {
        const char *pg, *spelled;
        init_class cls;
        int supported;
    } cases[] = {
        {"int4", "integer", IC_INT, 1},
        {"integer", "integer", IC_INT, 1},
        {"int8", "bigint", IC_INT, 1},
        {"smallint", "smallint", IC_INT, 1},
        {"character varying(30)", "varchar(30)", IC_TEXT, 1},
        {"varchar", "text", IC_TEXT, 1},
        {"bpchar(2)", "char(2)", IC_CHAR, 1},
        {"character", "char(1)", IC_CHAR, 1},
        {"numeric(10,2)", "numeric(10,2)", IC_DECIMAL, 1},
        {"numeric(7)", "numeric(7,0)", IC_DECIMAL, 1},
        {"numeric", "numeric(18,2)", IC_DECIMAL, 1},
        {"numeric(50,2)", "text", IC_TEXT, 0},
        {"float8", "double precision", IC_FLOAT, 1},
        {"float(10)", "real", IC_FLOAT, 1},
        {"timestamp(3) with time zone", "timestamptz", IC_TIME, 1},
        {"timestamp without time zone", "timestamp", IC_TIME, 1},
        {"pg_catalog.bool", "boolean", IC_BOOL, 1},
        {"jsonb", "jsonb", IC_JSON, 1},
        {"bytea", "bytea", IC_BYTES, 1},
        {"uuid", "uuid", IC_UUID, 1},
        {"integer[]", "text", IC_TEXT, 0},
        {"inet", "text", IC_TEXT, 0},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        init_type t;
        wb_init_type(cases[i].pg, &t);
        CHECK_STR(t.spelled, cases[i].spelled);
        CHECK_INT(t.cls, cases[i].cls);
        CHECK_INT(t.supported, cases[i].supported);
        if (!cases[i].supported)
            CHECK_CONTAINS(t.note, "written as text");
    }
}

static void test_checks(void)
{
    wb_schema_desc mem = WB_SCHEMA_DESC_INIT;
    init_check k;

    wb_init_check_read("price >= 0", &mem, &k);
    CHECK_INT(k.kind, IK_RANGE);
    CHECK_STR(k.column, "price");
    CHECK(k.lo.set && !k.lo.strict && k.lo.v.number && k.lo.v.value == 0);
    CHECK(!k.hi.set);
    CHECK(k.portable);

    wb_init_check_read("0 < qty AND qty <= 10 AND qty IS NOT NULL", &mem, &k);
    CHECK_INT(k.kind, IK_RANGE);
    CHECK(k.lo.set && k.lo.strict && k.hi.set && !k.hi.strict && k.hi.v.value == 10 && k.not_null);

    wb_init_check_read("level BETWEEN -5 AND 5", &mem, &k);
    CHECK_INT(k.kind, IK_RANGE);
    CHECK(k.lo.v.value == -5 && k.hi.v.value == 5);

    wb_init_check_read("grade IN ('a', 'b''s')", &mem, &k);
    CHECK_INT(k.kind, IK_CHOICE);
    CHECK_INT(k.nchoices, 2);
    if (k.nchoices == 2)
        CHECK_STR(k.choices[1].text, "b's");

    /* the catalogs' rendering: casts and = ANY (ARRAY[...]) read the same, not portable */
    wb_init_check_read("(price >= (0)::numeric)", &mem, &k);
    CHECK_INT(k.kind, IK_RANGE);
    CHECK(!k.portable);
    wb_init_check_read("((status)::text = ANY ((ARRAY['new'::character varying, 'paid'::character varying])::text[]))",
                       &mem, &k);
    CHECK_INT(k.kind, IK_CHOICE);
    CHECK_INT(k.nchoices, 2);
    CHECK(!k.portable);

    wb_init_check_read("\"Unit Price\" > 0", &mem, &k);
    CHECK_STR(k.column, "Unit Price");
    CHECK_INT(k.nrefs, 1);

    /* what init cannot follow */
    static const char *const others[] = {"a < b", "length(name) > 3", "a > 0 OR a < -5", "a <> 0", "x = y + 1",
                                          "a IN (1, b)", "a >= 0 AND b >= 0", "not valid sql ((("};
    for (size_t i = 0; i < sizeof others / sizeof others[0]; i++) {
        wb_init_check_read(others[i], &mem, &k);
        CHECK_INT(k.kind, IK_OTHER);
    }
    wb_desc_free(&mem);
}

static void test_positions(void)
{
    const char *text = "ab\ncafé x\n";
    wb_desc_pos p = wb_pgq_position(text, 0);
    CHECK_INT(p.line, 1);
    CHECK_INT(p.column, 1);
    p = wb_pgq_position(text, 9); /* the 'x' after "café " (é is 2 bytes) */
    CHECK_INT(p.line, 2);
    CHECK_INT(p.column, 6);
    /* libpg_query's cursor counts characters: character 9 is the 'x' */
    CHECK_INT((int)wb_pgq_cursor_offset(text, 9), 9);
    CHECK_INT((int)wb_pgq_cursor_offset(text, 0), (int)strlen(text));
}

static void test_ddl_reader(void)
{
    const char *sql = "CREATE TYPE mood AS ENUM ('low', 'high');\n"
                      "CREATE TABLE t (\n"
                      "  id bigint,\n"
                      "  note text DEFAULT 'a, (b)' NOT NULL CHECK (note <> ')' AND (length(note) > 0)),\n"
                      "  m mood,\n"
                      "  total numeric(10,2) GENERATED ALWAYS AS (round(1.5, 1)) STORED\n"
                      ");\n"
                      "CREATE INDEX t_note ON t (note) WHERE note <> 'x;y';\n"
                      "ALTER TABLE t ALTER COLUMN id SET DEFAULT nextval('t_id_seq'::regclass);\n";
    wb_schema_desc d = WB_SCHEMA_DESC_INIT;
    wb_error e = {{0}};
    CHECK_INT(wb_ddl_read_text("t.sql", sql, &d, &e), 0);
    CHECK_INT(d.ntables, 1);
    if (d.ntables == 1) {
        const wb_desc_table *t = d.tables[0];
        CHECK_INT(t->ncolumns, 4);
        CHECK_INT(t->pos.line, 2);
        const wb_desc_column *note = wb_desc_find_column(t, "note"), *m = wb_desc_find_column(t, "m");
        const wb_desc_column *id = wb_desc_find_column(t, "id"), *total = wb_desc_find_column(t, "total");
        CHECK(note && note->not_null);
        if (note) {
            CHECK_STR(note->default_sql, "'a, (b)'");
            CHECK_INT(note->pos.line, 4);
            CHECK_INT(note->pos.column, 3);
        }
        CHECK(m && m->nenum_labels == 2);
        CHECK(id && id->identity == WB_DESC_IDENTITY_SERIAL);
        if (total)
            CHECK_STR(total->generated_sql, "round(1.5, 1)");
        CHECK_INT(t->nchecks, 1);
        if (t->nchecks == 1)
            CHECK_STR(t->checks[0]->expr, "note <> ')' AND (length(note) > 0)");
        CHECK_INT(t->nindexes, 1);
        if (t->nindexes == 1) {
            CHECK(t->indexes[0]->partial);
            CHECK_STR(t->indexes[0]->predicate, "note <> 'x;y'");
        }
    }
    wb_desc_free(&d);

    /* the column limit follows the format's (WB_MAX_TABLE_COLUMNS, the key included) */
    for (int extra = 0; extra <= 1; extra++) {
        wb_buf wide = WB_BUF_INIT, yaml = WB_BUF_INIT;
        wb_buf_puts(&wide, "CREATE TABLE wide (id bigint PRIMARY KEY");
        for (int c = 1; c < WB_MAX_TABLE_COLUMNS + extra; c++)
            wb_buf_printf(&wide, ", c%d text", c);
        wb_buf_puts(&wide, ");");
        wb_schema_desc w = WB_SCHEMA_DESC_INIT;
        wb_init_options o = {.label = "wide.sql"};
        CHECK_INT(wb_ddl_read_text("wide.sql", wb_buf_str(&wide), &w, &e), 0);
        int rc = wb_init_from_desc(&w, &o, &yaml, &e);
        CHECK_INT(rc, extra ? -1 : 0);
        if (extra)
            CHECK_CONTAINS(e.msg, "wide.sql:1:14: table wide has");
        wb_desc_free(&w);
        wb_buf_free(&wide);
        wb_buf_free(&yaml);
    }
}

/* A table as a PostgreSQL catalog and pg_stats would describe it. */
static void describe_with_stats(wb_schema_desc *d, int common_values)
{
    d->source = wb_desc_strdup(d, "PostgreSQL database test");
    wb_desc_table *parent = wb_desc_add_table(d);
    parent->schema = wb_desc_strdup(d, "app");
    parent->name = wb_desc_strdup(d, "parents");
    wb_desc_column *c = wb_desc_add_column(d, parent);
    c->name = wb_desc_strdup(d, "id");
    c->type = wb_desc_strdup(d, "bigint");
    c = wb_desc_add_column(d, parent);
    c->name = wb_desc_strdup(d, "name");
    c->type = wb_desc_strdup(d, "text");
    wb_desc_index *pk = wb_desc_add_index(d, parent);
    pk->primary = pk->unique = true;
    wb_desc_push_string(d, &pk->columns, &pk->ncolumns, &pk->cap_columns, "id");

    wb_desc_table *t = wb_desc_add_table(d);
    t->schema = wb_desc_strdup(d, "app");
    t->name = wb_desc_strdup(d, "items");
    t->rows_estimate = 10000;
    static const char *const names[] = {"id", "parent_id", "status", "remark", "flag"};
    static const char *const types[] = {"bigint", "bigint", "text", "character varying(100)", "boolean"};
    for (int i = 0; i < 5; i++) {
        c = wb_desc_add_column(d, t);
        c->name = wb_desc_strdup(d, names[i]);
        c->type = wb_desc_strdup(d, types[i]);
        c->stats.present = i > 0;
    }
    t->columns[1]->stats.n_distinct = 25;      /* 25 parents */
    t->columns[2]->stats.n_distinct = 3;
    t->columns[2]->stats.null_frac = 0.12;
    t->columns[2]->stats.avg_width_bytes = 9;
    t->columns[3]->stats.n_distinct = -1;      /* every value its own */
    t->columns[3]->stats.avg_width_bytes = 40;
    if (common_values) {
        static const char *const values[] = {"shipped", "open", "lost"};
        static const double freqs[] = {0.5, 0.3, 0.08};
        for (int i = 0; i < 3; i++) {
            wb_desc_common_value *v = wb_desc_push(d, (void ***)&t->columns[2]->stats.common,
                                                   &t->columns[2]->stats.ncommon, &t->columns[2]->stats.cap_common,
                                                   sizeof *v);
            v->value = wb_desc_strdup(d, values[i]);
            v->freq = freqs[i];
        }
    }
    pk = wb_desc_add_index(d, t);
    pk->primary = pk->unique = true;
    wb_desc_push_string(d, &pk->columns, &pk->ncolumns, &pk->cap_columns, "id");
    wb_desc_fk *fk = wb_desc_add_fk(d, t);
    wb_desc_push_string(d, &fk->columns, &fk->ncolumns, &fk->cap_columns, "parent_id");
    fk->parent_schema = wb_desc_strdup(d, "app");
    fk->parent_table = wb_desc_strdup(d, "parents");
}

static void test_statistics(void)
{
    for (int common = 0; common <= 1; common++) {
        wb_schema_desc d = WB_SCHEMA_DESC_INIT;
        describe_with_stats(&d, common);
        wb_buf yaml = WB_BUF_INIT;
        wb_error e = {{0}};
        wb_init_options o = {0};
        CHECK_INT(wb_init_from_desc(&d, &o, &yaml, &e), 0);
        const char *out = wb_buf_str(&yaml);
        CHECK_CONTAINS(out, "workload: parents\n");
        CHECK_CONTAINS(out, "generator: {kind: foreign_key, references: parents, parent: {modulo: 25}}");
        CHECK_CONTAINS(out, "# from pg_stats: null_frac 0.12\n        nulls: 0.12\n");
        /* every value its own, as wide as 40 characters: the key's 5 digits and a prefix of 35 */
        CHECK_CONTAINS(out, "{kind: pattern, prefix: \"remark xxxxxxxxxxxxxxxxxxxxxxxxxxxx\", suffix:");
        if (common) {
            CHECK_CONTAINS(out, "{kind: choice, values: [\"shipped\", \"open\", \"lost\"], weights: [5000, 3000, 800]}");
        } else {
            CHECK_CONTAINS(out, "{kind: pattern, prefix: \"status x\", modulo: 3,");
            CHECK(!strstr(out, "shipped"));
        }
        /* the same description gives the same file */
        wb_buf again = WB_BUF_INIT;
        CHECK_INT(wb_init_from_desc(&d, &o, &again, &e), 0);
        CHECK_STR(wb_buf_str(&again), out);
        wb_buf_free(&again);
        wb_buf_free(&yaml);
        wb_desc_free(&d);
    }
}

/* The rules as docs/WORKLOADS.md's table: one row per rule, in order. */
static void rules_table(wb_buf *out)
{
    wb_buf_puts(out, "| # | type | when | name like | generator |\n|---|---|---|---|---|\n");
    for (int i = 0; wb_init_rule_doc(i); i++) {
        const init_rule_doc *r = wb_init_rule_doc(i);
        wb_buf_printf(out, "| %d | %s | %s | ", i + 1, r->types, r->when[0] ? r->when : "");
        if (r->names) {
            for (const char *p = r->names; *p; p++) {
                if (*p == '|')
                    wb_buf_puts(out, ", ");
                else if (*p == '*')
                    wb_buf_puts(out, "\\*");
                else
                    wb_buf_putc(out, *p);
            }
        }
        wb_buf_puts(out, " | ");
        for (const char *p = r->generator; *p; p++) {
            if (*p == '|')
                wb_buf_putc(out, '\\'); /* a cell's | would end it */
            wb_buf_putc(out, *p);
        }
        wb_buf_puts(out, " |\n");
    }
}

static void test_rules_documented(void)
{
    wb_buf table = WB_BUF_INIT, doc = WB_BUF_INIT;
    rules_table(&table);
    if (getenv("WB_PRINT_INIT_RULES"))
        fputs(wb_buf_str(&table), stdout);
    wb_error e;
    CHECK_INT(wb_fs_read_file(WB_SOURCE_DIR "/docs/WORKLOADS.md", &doc, &e), 0);
    CHECK_CONTAINS(wb_buf_str(&doc), wb_buf_str(&table));
    wb_buf_free(&table);
    wb_buf_free(&doc);
}

int main(void)
{
    test_types();
    test_checks();
    test_positions();
    test_ddl_reader();
    test_statistics();
    test_rules_documented();
    return check_finish();
}

/* `writebench workload init` (init.h): from a description of tables to a
 * workload file.
 *
 * The steps, each below in its own part: pick the tables; give tables and
 * columns plain SQL names; find each table's integer key (refusing a table
 * without one); keep the foreign keys a workload can hold and order the tables
 * parents first (refusing a cycle); read the CHECK constraints (init_check.c);
 * choose every column's generator by the rules (init_rules.c); keep the checks
 * the chosen generators satisfy and the indexes the format can hold; write the
 * YAML, each choice with a comment saying where it came from. Nothing here
 * knows which database or file the description came from. */
#include <ctype.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "workloads/ddl.h"
#include "workloads/init.h"
#include "workloads/init_internal.h"
#include "workloads/pgq.h"
#include "workloads/workload.h"

#define COLUMN_NAME_MAX 63     /* PostgreSQL's NAMEDATALEN - 1, as the format allows */
#define DESCRIPTION_MAX 900
#define DISTINCT_SHARE 0.9     /* statistics: fewer distinct values than this share of the rows repeat */
#define NULLS_MIN 0.005        /* a smaller share of NULLs rounds to none */

typedef struct check_entry {
    const wb_desc_check *src;
    init_check k;
    init_table *table;
    init_column *column;   /* the one column it bounds; NULL for the key, a foreign key or several */
    bool on_keys;          /* it bounds the key or a foreign key, which hold keys 1..N */
    bool in_range;         /* one of the ranges of its column (init_column.range) */
    char *text;            /* as the workload file writes it */
    const char *why_not;   /* NULL when kept */
} check_entry;

typedef struct state {
    const wb_init_options *o;
    wb_schema_desc *d;
    wb_error *e;
    init_table *tables;    /* in the source's order */
    int ntables;
    int *order;            /* parents first */
    check_entry *checks;
    int nchecks;
    char (*relations)[64]; /* tables' and indexes' names, which share one namespace */
    int nrelations;
} state;

static int fail_at(state *s, wb_desc_pos pos, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* One line, with the file, line and column in front when the source is a file. */
static int fail_at(state *s, wb_desc_pos pos, const char *fmt, ...)
{
    char msg[900];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (s->o->label && pos.line > 0)
        return wb_fail(s->e, "%s:%d:%d: %s", s->o->label, pos.line, pos.column, msg);
    return wb_fail(s->e, "%s", msg);
}

/* A table as messages name it: schema.table when the source gave a schema. */
static void table_label(const wb_desc_table *t, char *out, size_t n)
{
    if (t->schema)
        snprintf(out, n, "%s.%s", t->schema, t->name);
    else
        snprintf(out, n, "%s", t->name);
}

/* ---- names ---- */

static int is_identifier(const char *s)
{
    if (!*s)
        return 0;
    for (size_t i = 0; s[i]; i++) {
        char c = s[i];
        int letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
        if (!letter && !(i > 0 && c >= '0' && c <= '9'))
            return 0;
    }
    return 1;
}

static int reserved_prefix(const char *s)
{
    return strncasecmp(s, "writebench_", 11) == 0 || strncasecmp(s, "sqlite_", 7) == 0;
}

/* A plain SQL name of at most max bytes for src: itself when it is one, else its
 * letters and digits with '_' for the rest; relation names also avoid the prefixes
 * reserved for writebench's and SQLite's own tables. */
static void plain_name(const char *src, size_t max, int relation, char out[64])
{
    if (is_identifier(src) && strlen(src) <= max && !(relation && reserved_prefix(src))) {
        snprintf(out, 64, "%s", src);
        return;
    }
    char buf[256];
    size_t n = 0;
    for (const unsigned char *p = (const unsigned char *)src; *p && n + 1 < sizeof buf; p++) {
        int keep = isalnum(*p) && *p < 0x80;
        if (keep)
            buf[n++] = (char)tolower(*p); /* as PostgreSQL folds an unquoted name */
        else if (n > 0 && buf[n - 1] != '_')
            buf[n++] = '_';
    }
    while (n > 0 && buf[n - 1] == '_')
        n--;
    buf[n] = '\0';
    char joined[300];
    const char *lead = n == 0 ? (relation ? "t" : "c") : isdigit((unsigned char)buf[0]) ? (relation ? "t_" : "c_") : "";
    snprintf(joined, sizeof joined, "%s%s%s", relation && reserved_prefix(buf) ? "t_" : "", lead, buf);
    snprintf(out, 64, "%.*s", (int)max, joined);
}

/* Make name unique among taken[0..n) (ignoring case, as SQLite does) by a suffix _2, _3, ... */
static void unique_name(char name[64], size_t max, char (*taken)[64], int n)
{
    char base[64];
    snprintf(base, sizeof base, "%s", name);
    for (int k = 2;; k++) {
        int clash = 0;
        for (int i = 0; i < n && !clash; i++)
            clash = strcasecmp(taken[i], name) == 0;
        if (!clash)
            return;
        char suffix[16];
        snprintf(suffix, sizeof suffix, "_%d", k);
        size_t keep = strlen(base);
        if (keep + strlen(suffix) > max)
            keep = max - strlen(suffix);
        snprintf(name, 64, "%.*s%s", (int)keep, base, suffix);
    }
}

static void add_relation(state *s, const char *name)
{
    s->relations = wb_xrealloc(s->relations, (size_t)(s->nrelations + 1) * sizeof *s->relations);
    snprintf(s->relations[s->nrelations++], 64, "%s", name);
}

/* ---- picking the tables ---- */

/* Whether --table's value names t: "table", "schema.table"; a table the file
 * creates without a schema is in public, as PostgreSQL would put it. */
static int names_table(const char *wanted, const wb_desc_table *t)
{
    const char *dot = strrchr(wanted, '.');
    if (!dot)
        return strcmp(wanted, t->name) == 0;
    const char *schema = t->schema ? t->schema : "public";
    return strcmp(dot + 1, t->name) == 0 && strlen(schema) == (size_t)(dot - wanted) &&
           strncmp(wanted, schema, (size_t)(dot - wanted)) == 0;
}

static int pick_tables(state *s)
{
    s->tables = wb_xcalloc((size_t)(s->d->ntables ? s->d->ntables : 1), sizeof *s->tables);
    for (int w = 0; w < s->o->ntables; w++) {
        int found = 0;
        for (int i = 0; i < s->d->ntables && !found; i++)
            found = names_table(s->o->tables[w], s->d->tables[i]);
        if (!found)
            return wb_fail(s->e, "--table %s: %s defines no such table", s->o->tables[w],
                           s->d->source ? s->d->source : "the source");
    }
    for (int i = 0; i < s->d->ntables; i++) {
        int wanted = s->o->ntables == 0;
        for (int w = 0; w < s->o->ntables && !wanted; w++)
            wanted = names_table(s->o->tables[w], s->d->tables[i]);
        if (!wanted)
            continue;
        init_table *t = &s->tables[s->ntables];
        t->src = s->d->tables[i];
        t->index = s->ntables++;
        t->rows = t->src->rows_estimate;
    }
    if (s->ntables == 0)
        return wb_fail(s->e, "%s defines no table (CREATE TABLE): there is nothing to make a workload of",
                       s->d->source ? s->d->source : "the source");
    if (s->ntables > WB_MAX_TABLES)
        return wb_fail(s->e, "%s has %d tables; a workload holds at most %d: name some with --table",
                       s->d->source ? s->d->source : "the source", s->ntables, WB_MAX_TABLES);
    return 0;
}

/* SQLite keeps a table's CREATE statement, not its CHECKs: read them (and the
 * predicates of its partial indexes) from it with the DDL reader. */
static void read_create_sql(state *s, wb_desc_table *t)
{
    if (!t->create_sql)
        return;
    wb_schema_desc tmp = WB_SCHEMA_DESC_INIT;
    wb_error why;
    char label[160];
    table_label(t, label, sizeof label);
    if (wb_ddl_read_text(label, t->create_sql, &tmp, &why) != 0 || tmp.ntables != 1) {
        wb_desc_add_note(s->d, "the CHECK constraints of %s were not read: PostgreSQL's parser cannot read its "
                               "CREATE TABLE (%s)", label, tmp.ntables == 1 || tmp.ntables == 0 ? why.msg : "?");
        wb_desc_free(&tmp);
        return;
    }
    const wb_desc_table *parsed = tmp.tables[0];
    int had_checks = t->nchecks > 0;
    for (int k = 0; k < parsed->nchecks && !had_checks; k++) {
        wb_desc_check *c = wb_desc_add_check(s->d, t);
        c->name = wb_desc_strdup(s->d, parsed->checks[k]->name);
        c->expr = wb_desc_strdup(s->d, parsed->checks[k]->expr);
    }
    for (int i = 0; i < t->nindexes; i++) {
        wb_desc_index *ix = t->indexes[i];
        for (int k = 0; ix->partial && !ix->predicate && ix->name && k < parsed->nindexes; k++)
            if (parsed->indexes[k]->name && strcmp(parsed->indexes[k]->name, ix->name) == 0)
                ix->predicate = wb_desc_strdup(s->d, parsed->indexes[k]->predicate);
    }
    wb_desc_free(&tmp);
}

/* ---- tables, keys, columns ---- */

static void name_tables(state *s)
{
    for (int i = 0; i < s->ntables; i++) {
        init_table *t = &s->tables[i];
        plain_name(t->src->name, WB_NAME_MAX, 1, t->name);
        unique_name(t->name, WB_NAME_MAX, s->relations, s->nrelations);
        add_relation(s, t->name);
        char label[160];
        table_label(t->src, label, sizeof label);
        if (t->src->pos.line)
            wb_buf_printf(&t->notes, "%s (%s, line %d)", label, s->d->source ? s->d->source : "", t->src->pos.line);
        else
            wb_buf_printf(&t->notes, "%s", label);
        if (strcmp(t->name, t->src->name) != 0)
            wb_buf_printf(&t->notes, "\nrenamed %s: a workload's table names are plain SQL names of at most %d "
                                     "bytes, not starting with writebench_ or sqlite_", t->name, WB_NAME_MAX);
    }
}

static const char *identity_words(wb_desc_identity id)
{
    static const char *const words[] = {
        [WB_DESC_IDENTITY_NONE] = "",
        [WB_DESC_IDENTITY_ALWAYS] = " GENERATED ALWAYS AS IDENTITY",
        [WB_DESC_IDENTITY_BY_DEFAULT] = " GENERATED BY DEFAULT AS IDENTITY",
        [WB_DESC_IDENTITY_SERIAL] = ", numbered by the database",
    };
    return words[id];
}

/* The table's integer key: its one-column integer PRIMARY KEY, or without one its
 * one identity or serial column. Anything else is refused. */
static int find_key(state *s, init_table *t)
{
    const wb_desc_table *src = t->src;
    char label[160];
    table_label(src, label, sizeof label);
    const wb_desc_index *pk = NULL;
    for (int i = 0; i < src->nindexes && !pk; i++)
        if (src->indexes[i]->primary)
            pk = src->indexes[i];
    init_type type;
    const char *how;
    if (pk) {
        if (pk->ncolumns != 1)
            return fail_at(s, pk->pos,
                           "table %s: its primary key has %d columns; a workload table needs one integer key column "
                           "that numbers its rows 1..N (add one, e.g. id bigint GENERATED ALWAYS AS IDENTITY PRIMARY "
                           "KEY, and make these columns UNIQUE)",
                           label, pk->ncolumns);
        t->key_src = wb_desc_find_column(src, pk->columns[0]);
        wb_init_type(t->key_src->type, &type);
        if (type.cls != IC_INT || !type.supported)
            return fail_at(s, pk->pos,
                           "table %s: its primary key %s is %s, not an integer; a workload table needs one integer "
                           "key column that numbers its rows 1..N",
                           label, t->key_src->name, type.supported ? type.spelled : t->key_src->type);
        how = "PRIMARY KEY";
    } else {
        int candidates = 0;
        for (int i = 0; i < src->ncolumns; i++) {
            wb_init_type(src->columns[i]->type, &type);
            if (src->columns[i]->identity != WB_DESC_IDENTITY_NONE && type.cls == IC_INT) {
                candidates++;
                t->key_src = src->columns[i];
            }
        }
        if (candidates != 1)
            return fail_at(s, src->pos,
                           "table %s has no primary key%s: a workload table needs one integer key column that numbers "
                           "its rows 1..N (a one-column integer PRIMARY KEY)",
                           label, candidates > 1 ? " and several identity columns" : "");
        how = "no PRIMARY KEY: its one identity column";
    }
    plain_name(t->key_src->name, COLUMN_NAME_MAX, 0, t->key);
    wb_init_type(t->key_src->type, &type);
    wb_buf_printf(&t->notes, "\nkey %s: %s, %s%s%s", t->key, how,
                  t->key_src->declared_type ? t->key_src->declared_type : type.spelled,
                  identity_words(t->key_src->identity),
                  strcmp(type.spelled, "bigint") == 0 ? "" : " (a workload's key is bigint)");
    if (strcmp(t->key, t->key_src->name) != 0)
        wb_buf_printf(&t->notes, "; renamed from \"%s\"", t->key_src->name);
    return 0;
}

/* The share of NULLs, the distinct count and the width the statistics give. */
static void read_stats(init_column *c)
{
    const wb_desc_stats *st = &c->src->stats;
    if (!st->present)
        return;
    double rows = c->table->rows, d = 0;
    if (st->n_distinct > 0)
        d = st->n_distinct;
    else if (st->n_distinct < 0 && rows > 0)
        d = -st->n_distinct * rows;
    /* n_distinct counts the values that are not NULL */
    double values = rows > 0 ? rows * (1 - st->null_frac) : -1;
    if (d >= 1 && (values <= 0 || d < DISTINCT_SHARE * values))
        c->distinct = llround(d);
    if ((IC_BIT(c->type.cls) & (IC_TEXTS | IC_BIT(IC_BYTES))) && st->avg_width_bytes > 0)
        c->width_chars = st->avg_width_bytes;
    if (c->nullable && st->null_frac >= NULLS_MIN)
        c->nulls = st->null_frac > 1 ? 1 : st->null_frac;
}

static int build_columns(state *s, init_table *t)
{
    const wb_desc_table *src = t->src;
    char label[160];
    table_label(src, label, sizeof label);
    if (src->ncolumns < 2)
        return fail_at(s, src->pos, "table %s has no column besides its key; a workload table needs at least one",
                       label);
    if (src->ncolumns > WB_MAX_TABLE_COLUMNS)
        return fail_at(s, src->pos, "table %s has %d columns besides its key; a workload table holds at most %d",
                       label, src->ncolumns - 1, WB_MAX_TABLE_COLUMNS - 1);
    t->columns = wb_xcalloc((size_t)(src->ncolumns ? src->ncolumns : 1), sizeof *t->columns);
    char (*taken)[64] = wb_xcalloc((size_t)src->ncolumns + 1, sizeof *taken);
    snprintf(taken[0], 64, "%s", t->key);
    int ntaken = 1;
    for (int i = 0; i < src->ncolumns; i++) {
        const wb_desc_column *dc = src->columns[i];
        if (dc == t->key_src)
            continue;
        init_column *c = &t->columns[t->ncolumns++];
        c->src = dc;
        c->table = t;
        plain_name(dc->name, COLUMN_NAME_MAX, 0, c->name);
        unique_name(c->name, COLUMN_NAME_MAX, taken, ntaken);
        snprintf(taken[ntaken++], 64, "%s", c->name);
        wb_init_type(dc->type, &c->type);
        c->nullable = !dc->not_null;
        if (strcmp(c->name, dc->name) != 0)
            wb_buf_printf(&c->notes, "\"%s\" in the source: renamed to a plain SQL name\n", dc->name);
        if (dc->nenum_labels)
            snprintf(c->type.note, sizeof c->type.note, "enum type %s: written as text", dc->type);
        if (c->type.note[0])
            wb_buf_printf(&c->notes, "%s\n", c->type.note);
        if (dc->declared_type && c->type.supported && !dc->enum_labels)
            wb_buf_printf(&c->notes, "declared %s\n", dc->declared_type);
        if (dc->identity != WB_DESC_IDENTITY_NONE)
            wb_buf_printf(&c->notes, "%s in the source: written as an ordinary column\n",
                          identity_words(dc->identity) + (identity_words(dc->identity)[0] == ',' ? 2 : 1));
        if (dc->generated_sql)
            wb_buf_printf(&c->notes, "GENERATED ALWAYS AS (%s) in the source: written as an ordinary column\n",
                          dc->generated_sql);
        else if (dc->default_sql && dc->identity == WB_DESC_IDENTITY_NONE)
            wb_buf_printf(&c->notes, "DEFAULT %s in the source (writebench writes every column)\n", dc->default_sql);
        read_stats(c);
    }
    free(taken);
    return 0;
}

static init_column *column_named(init_table *t, const char *src_name)
{
    for (int i = 0; i < t->ncolumns; i++)
        if (strcmp(t->columns[i].src->name, src_name) == 0)
            return &t->columns[i];
    return NULL;
}

/* A column's name as a check writes it: bare when PostgreSQL and SQLite read it as
 * it is, else double-quoted. */
static void put_column_sql(wb_buf *out, const char *name)
{
    int bare = is_identifier(name);
    for (const char *p = name; *p && bare; p++)
        bare = !(*p >= 'A' && *p <= 'Z');
    /* a keyword would not be read as a name: the parser says */
    if (bare) {
        PgQueryScanResult scan = pg_query_scan(name);
        PgQuery__ScanResult *r =
            scan.error ? NULL : pg_query__scan_result__unpack(NULL, scan.pbuf.len, (const uint8_t *)scan.pbuf.data);
        bare = r && r->n_tokens == 1 &&
               (r->tokens[0]->token == PG_QUERY__TOKEN__IDENT ||
                r->tokens[0]->keyword_kind == PG_QUERY__KEYWORD_KIND__UNRESERVED_KEYWORD);
        if (r)
            pg_query__scan_result__free_unpacked(r, NULL);
        pg_query_free_scan_result(scan);
    }
    if (bare) {
        wb_buf_puts(out, name);
        return;
    }
    wb_buf_putc(out, '"');
    for (const char *p = name; *p; p++) {
        if (*p == '"')
            wb_buf_putc(out, '"');
        wb_buf_putc(out, *p);
    }
    wb_buf_putc(out, '"');
}

/* ---- foreign keys and the order of the tables ---- */

static void fk_text(const wb_desc_fk *fk, wb_buf *out)
{
    wb_buf_puts(out, "FOREIGN KEY (");
    for (int i = 0; i < fk->ncolumns; i++)
        wb_buf_printf(out, "%s%s", i ? ", " : "", fk->columns[i]);
    wb_buf_printf(out, ") REFERENCES %s%s%s", fk->parent_schema ? fk->parent_schema : "",
                  fk->parent_schema ? "." : "", fk->parent_table);
    if (fk->nparent_columns) {
        wb_buf_puts(out, " (");
        for (int i = 0; i < fk->nparent_columns; i++)
            wb_buf_printf(out, "%s%s", i ? ", " : "", fk->parent_columns[i]);
        wb_buf_putc(out, ')');
    }
}

static init_table *table_of(state *s, const char *schema, const char *name)
{
    for (int i = 0; i < s->ntables; i++) {
        const wb_desc_table *t = s->tables[i].src;
        if (strcmp(t->name, name) == 0 && (!schema || !t->schema || strcmp(schema, t->schema) == 0))
            return &s->tables[i];
    }
    return NULL;
}

static int read_foreign_keys(state *s, init_table *t)
{
    for (int f = 0; f < t->src->nfks; f++) {
        const wb_desc_fk *fk = t->src->fks[f];
        wb_buf text = WB_BUF_INIT;
        fk_text(fk, &text);
        init_table *parent = table_of(s, fk->parent_schema, fk->parent_table);
        init_column *c = fk->ncolumns == 1 ? column_named(t, fk->columns[0]) : NULL;
        const char *why = NULL;
        char buf[256];
        if (fk->ncolumns != 1) {
            why = "a workload's foreign key is one column";
        } else if (parent == t) {
            int rc = fail_at(s, fk->pos,
                             "table %s references itself (%s): writebench writes a table's rows parents first, so a "
                             "table whose rows reference its own cannot be a workload; leave out that foreign key",
                             t->src->name, wb_buf_str(&text));
            wb_buf_free(&text);
            return rc;
        } else if (!parent) {
            int known = wb_desc_find_table(s->d, fk->parent_schema, fk->parent_table) != NULL;
            why = known ? "that table is not among --table" : "that table is not part of this workload";
        } else if (fk->nparent_columns > 1 ||
                   (fk->nparent_columns == 1 && strcmp(fk->parent_columns[0], parent->key_src->name) != 0)) {
            snprintf(buf, sizeof buf, "it references a column other than %s's key %s", parent->src->name,
                     parent->key_src->name);
            why = buf;
        } else if (!c) {
            why = "it is on this table's key: both tables hold keys 1..N, so every row's parent exists";
        } else if (c->type.cls != IC_INT) {
            snprintf(buf, sizeof buf, "column %s is %s, not an integer", c->name, c->type.spelled);
            why = buf;
        } else if (c->fk_parent) {
            snprintf(buf, sizeof buf, "column %s already references %s", c->name, c->fk_parent->name);
            why = buf;
        }
        if (why)
            wb_buf_printf(&t->notes, "\nnot kept: %s: %s", wb_buf_str(&text), why);
        else
            c->fk_parent = parent;
        wb_buf_free(&text);
    }
    return 0;
}

/* Refuse foreign keys in a cycle, naming it; then order the tables parents first,
 * keeping the source's order where the keys allow. */
static int order_tables(state *s)
{
    int n = s->ntables;
    int *state_of = wb_xcalloc((size_t)n, sizeof *state_of); /* 0 new, 1 on the path, 2 done */
    int *path = wb_xcalloc((size_t)n + 1, sizeof *path);
    int rc = 0;
    /* depth-first from every table along its foreign keys to its parents */
    for (int start = 0; start < n && rc == 0; start++) {
        if (state_of[start])
            continue;
        int depth = 0, *next = wb_xcalloc((size_t)n + 1, sizeof *next);
        path[0] = start;
        state_of[start] = 1;
        while (depth >= 0 && rc == 0) {
            init_table *t = &s->tables[path[depth]];
            int moved = 0;
            while (next[depth] < t->ncolumns && !moved) {
                const init_column *c = &t->columns[next[depth]++];
                if (!c->fk_parent)
                    continue;
                int p = c->fk_parent->index;
                if (state_of[p] == 1) {
                    wb_buf cycle = WB_BUF_INIT;
                    int from = 0;
                    while (path[from] != p)
                        from++;
                    for (int i = from; i <= depth; i++) {
                        const init_table *on = &s->tables[path[i]];
                        wb_buf_printf(&cycle, "%s.%s -> ", on->src->name, on->columns[next[i] - 1].src->name);
                    }
                    wb_buf_puts(&cycle, s->tables[p].src->name);
                    const wb_desc_fk *where = NULL;
                    for (int f = 0; f < t->src->nfks && !where; f++)
                        if (t->src->fks[f]->ncolumns == 1 && strcmp(t->src->fks[f]->columns[0], c->src->name) == 0)
                            where = t->src->fks[f];
                    rc = fail_at(s, where ? where->pos : t->src->pos,
                                 "foreign keys form a cycle (%s): writebench writes parents before children, so "
                                 "tables that reference each other cannot be a workload; leave out one of these "
                                 "foreign keys",
                                 wb_buf_str(&cycle));
                    wb_buf_free(&cycle);
                } else if (state_of[p] == 0) {
                    state_of[p] = 1;
                    path[++depth] = p;
                    next[depth] = 0;
                    moved = 1;
                }
            }
            if (!moved && rc == 0) {
                state_of[path[depth]] = 2;
                depth--;
            }
        }
        free(next);
    }
    free(path);
    /* Kahn's order: the first table (in the source's order) whose parents are placed */
    s->order = wb_xcalloc((size_t)n, sizeof *s->order);
    int *placed = state_of;
    memset(placed, 0, (size_t)n * sizeof *placed);
    for (int k = 0; k < n && rc == 0; k++) {
        for (int i = 0; i < n; i++) {
            if (placed[i])
                continue;
            int ready = 1;
            for (int c = 0; c < s->tables[i].ncolumns && ready; c++)
                ready = !s->tables[i].columns[c].fk_parent || placed[s->tables[i].columns[c].fk_parent->index];
            if (ready) {
                placed[i] = 1;
                s->order[k] = i;
                break;
            }
        }
    }
    free(state_of);
    return rc;
}

/* ---- unique columns and checks ---- */

static void mark_unique(init_table *t)
{
    for (int i = 0; i < t->src->nindexes; i++) {
        const wb_desc_index *ix = t->src->indexes[i];
        if (!ix->unique || ix->primary || ix->ncolumns != 1 || !ix->columns[0])
            continue;
        init_column *c = column_named(t, ix->columns[0]);
        if (c)
            c->unique = true;
    }
}

/* A constant as SQL writes it. */
static void put_sql_const(wb_buf *out, const init_const *v)
{
    if (v->number || v->boolean) {
        wb_buf_puts(out, v->text);
        return;
    }
    wb_buf_putc(out, '\'');
    for (const char *p = v->text; *p; p++) {
        if (*p == '\'')
            wb_buf_putc(out, '\'');
        wb_buf_putc(out, *p);
    }
    wb_buf_putc(out, '\'');
}

/* The check as the workload file writes it: the source's text, its column names
 * replaced by the workload's where they differ; or, when the text is not the same
 * on both backends (casts, = ANY), written out plainly from what it says. */
/* Append expr (read into k) with every column reference renamed to the column's
 * name in the workload file. Returns 0, or -1 (nothing appended) when expr cannot be
 * kept as text: it is not the same on SQLite and PostgreSQL, or holds a comment or ';'. */
static int put_renamed_expression(const init_table *t, const char *expr, const init_check *k, wb_buf *out)
{
    if (!k->portable || strstr(expr, "--") || strstr(expr, "/*") || strchr(expr, ';'))
        return -1;
    int at = 0;
    for (int i = 0; i < k->nrefs; i++) {
        const char *name = k->refs[i].name;
        const char *renamed = NULL;
        if (strcmp(name, t->key_src->name) == 0)
            renamed = t->key;
        for (int c = 0; c < t->ncolumns && !renamed; c++)
            if (strcmp(t->columns[c].src->name, name) == 0)
                renamed = t->columns[c].name;
        if (!renamed)
            continue;
        wb_buf_append(out, expr + at, (size_t)(k->refs[i].start - at));
        wb_buf tmp = WB_BUF_INIT;
        wb_buf_append(&tmp, expr + k->refs[i].start, (size_t)(k->refs[i].end - k->refs[i].start));
        if (strcmp(renamed, name) == 0 && strcmp(wb_buf_str(&tmp), name) == 0)
            wb_buf_puts(out, name); /* as written */
        else
            put_column_sql(out, renamed);
        wb_buf_free(&tmp);
        at = k->refs[i].end;
    }
    wb_buf_puts(out, expr + at);
    return 0;
}

static char *check_text(state *s, check_entry *ce)
{
    const init_check *k = &ce->k;
    const char *expr = ce->src->expr;
    wb_buf out = WB_BUF_INIT;
    if (put_renamed_expression(ce->table, expr, k, &out) != 0) {
        const char *name = ce->column ? ce->column->name : ce->table->key;
        for (int c = 0; c < ce->table->ncolumns && !ce->column; c++)
            if (strcmp(ce->table->columns[c].src->name, k->column) == 0)
                name = ce->table->columns[c].name;
        const char *sep = "";
        if (k->not_null) {
            put_column_sql(&out, name);
            wb_buf_puts(&out, " IS NOT NULL");
            sep = " AND ";
        }
        if (k->kind == IK_RANGE && k->lo.set && k->hi.set && !k->lo.strict && !k->hi.strict) {
            wb_buf_puts(&out, sep);
            put_column_sql(&out, name);
            wb_buf_puts(&out, " BETWEEN ");
            put_sql_const(&out, &k->lo.v);
            wb_buf_puts(&out, " AND ");
            put_sql_const(&out, &k->hi.v);
        } else if (k->kind == IK_RANGE) {
            for (int b = 0; b < 2; b++) {
                const init_bound *bound = b ? &k->hi : &k->lo;
                if (!bound->set)
                    continue;
                wb_buf_puts(&out, sep);
                put_column_sql(&out, name);
                wb_buf_printf(&out, " %s%s ", b ? "<" : ">", bound->strict ? "" : "=");
                put_sql_const(&out, &bound->v);
                sep = " AND ";
            }
        } else if (k->kind == IK_CHOICE) {
            wb_buf_puts(&out, sep);
            put_column_sql(&out, name);
            wb_buf_puts(&out, " IN (");
            for (int i = 0; i < k->nchoices; i++) {
                if (i)
                    wb_buf_puts(&out, ", ");
                put_sql_const(&out, &k->choices[i]);
            }
            wb_buf_putc(&out, ')');
        }
    }
    char *text = wb_desc_strdup(s->d, wb_buf_str(&out));
    wb_buf_free(&out);
    return text;
}

/* Read every check, and give the columns they bound their range or choice. */
static void read_checks(state *s)
{
    int total = 0;
    for (int i = 0; i < s->ntables; i++)
        total += s->tables[i].src->nchecks;
    s->checks = wb_xcalloc((size_t)(total ? total : 1), sizeof *s->checks);
    for (int i = 0; i < s->ntables; i++) {
        init_table *t = &s->tables[i];
        for (int x = 0; x < t->src->nchecks; x++) {
            check_entry *ce = &s->checks[s->nchecks++];
            ce->src = t->src->checks[x];
            ce->table = t;
            wb_init_check_read(ce->src->expr, s->d, &ce->k);
            if (ce->k.kind == IK_OTHER) {
                ce->why_not = "init cannot tell that generated values satisfy it";
                continue;
            }
            init_column *c = column_named(t, ce->k.column);
            int is_key = strcmp(ce->k.column, t->key_src->name) == 0;
            if (!c && !is_key) {
                ce->why_not = "it names no column of the table";
                continue;
            }
            ce->column = c;
            if (is_key || c->fk_parent) {
                /* keys and parent keys are 1..N: a lower bound at most 1 holds, nothing else does */
                const init_bound *lo = &ce->k.lo;
                ce->on_keys = true;
                if (!(ce->k.kind == IK_NOT_NULL ||
                      (ce->k.kind == IK_RANGE && !ce->k.hi.set && lo->v.number &&
                       (lo->strict ? lo->v.value < 1 : lo->v.value <= 1))))
                    ce->why_not = "keys run 1..N, which it does not allow for every N";
            } else if (ce->k.kind == IK_NOT_NULL) {
                c->nullable = false;
            } else if (ce->k.kind == IK_RANGE) {
                /* several ranges of one column: the generator keeps inside them all */
                if (!c->range)
                    c->range_merged = ce->k;
                else
                    wb_init_check_merge(&c->range_merged, &ce->k);
                c->range = &c->range_merged;
                ce->in_range = true;
            } else if (ce->k.kind == IK_CHOICE && !c->choice) {
                c->choice = &ce->k;
            } else {
                ce->why_not = "the column is already bounded by another CHECK";
            }
            if (!ce->why_not && ce->k.not_null && c)
                c->nullable = false;
        }
    }
    for (int i = 0; i < s->nchecks; i++) {
        check_entry *ce = &s->checks[i];
        ce->text = check_text(s, ce);
        if (ce->in_range)
            ce->column->range_text = ce->column->range_text
                                         ? wb_desc_printf(s->d, "%s) AND (%s", ce->column->range_text, ce->text)
                                         : ce->text;
        if (ce->column && ce->column->choice == &ce->k)
            ce->column->choice_text = ce->text;
    }
}

/* After the rules: a range or choice is kept when the generator keeps inside it. */
static void settle_checks(state *s)
{
    for (int i = 0; i < s->nchecks; i++) {
        check_entry *ce = &s->checks[i];
        if (ce->why_not || ce->on_keys || !ce->column || ce->k.kind == IK_NOT_NULL)
            continue;
        if (!ce->column->honours_check)
            ce->why_not = "the column's generator was not chosen from it";
    }
}

/* ---- writing ---- */

static void put_notes(wb_buf *out, int indent, const char *notes)
{
    for (const char *p = notes; *p;) {
        size_t n = strcspn(p, "\n");
        char *line = wb_xmalloc(n + 1);
        memcpy(line, p, n);
        line[n] = '\0';
        if (n)
            wb_init_yaml_comment(out, indent, line);
        free(line);
        p += n + (p[n] == '\n');
    }
}

static void put_column(wb_buf *out, const init_column *c)
{
    put_notes(out, 6, wb_buf_str(&c->notes));
    wb_buf_printf(out, "      - name: %s\n        type: %s\n        nullable: %s\n        updated: %s\n", c->name,
                  c->type.spelled, c->nullable ? "true" : "false", c->updated ? "true" : "false");
    if (c->why.len)
        wb_init_yaml_comment(out, 8, wb_buf_str(&c->why));
    wb_buf_printf(out, "        generator: %s\n", wb_buf_str(&c->generator));
    if (c->hostile_off)
        wb_buf_puts(out, "        hostile: false\n");
    if (c->nulls > 0) {
        char why[96];
        snprintf(why, sizeof why, "from pg_stats: null_frac %.4g", c->src->stats.null_frac);
        wb_init_yaml_comment(out, 8, why);
        wb_buf_puts(out, "        nulls: ");
        wb_init_yaml_number(out, c->nulls < 0.01 ? 0.01 : c->nulls, 2);
        wb_buf_putc(out, '\n');
    }
}

/* The index's columns in the workload's names; -1 when one is an expression or unknown. */
static int index_columns(const init_table *t, const wb_desc_index *ix, const char **names, int *distinct)
{
    *distinct = 0;
    for (int i = 0; i < ix->ncolumns; i++) {
        if (!ix->columns[i])
            return -1;
        if (strcmp(ix->columns[i], t->key_src->name) == 0) {
            names[i] = t->key;
            *distinct = 1;
            continue;
        }
        const init_column *c = NULL;
        for (int k = 0; k < t->ncolumns && !c; k++)
            if (strcmp(t->columns[k].src->name, ix->columns[i]) == 0)
                c = &t->columns[k];
        if (!c)
            return -1;
        names[i] = c->name;
        *distinct |= c->distinct_values;
    }
    return 0;
}

static void put_indexes(state *s, wb_buf *out, const init_table *t)
{
    wb_buf lines = WB_BUF_INIT;
    const char **kept_cols[WB_MAX_INDEXES];
    int kept_n[WB_MAX_INDEXES], kept_unique[WB_MAX_INDEXES], nkept = 0;
    for (int i = 0; i < t->src->nindexes; i++) {
        const wb_desc_index *ix = t->src->indexes[i];
        if (ix->primary)
            continue;
        char label[80];
        snprintf(label, sizeof label, "%s%s", ix->name ? "index " : "an index", ix->name ? ix->name : "");
        const char **names = wb_xcalloc((size_t)ix->ncolumns + 1, sizeof *names);
        int distinct;
        int unique = ix->unique;
        wb_buf notes = WB_BUF_INIT;
        const char *why_not = NULL;
        if (ix->method)
            why_not = "the format makes btree indexes";
        else if (index_columns(t, ix, names, &distinct) != 0)
            why_not = "it indexes an expression";
        else if (ix->ncolumns > WB_MAX_INDEX_COLUMNS)
            why_not = "it has more columns than the format allows";
        else if (nkept == WB_MAX_INDEXES)
            why_not = "a workload table has at most 16 indexes";
        for (int k = 0; k < nkept && !why_not; k++) {
            int same = kept_n[k] == ix->ncolumns && kept_unique[k] == unique;
            for (int c = 0; same && c < ix->ncolumns; c++)
                same = strcmp(kept_cols[k][c], names[c]) == 0;
            if (same)
                why_not = "another index of the same columns is kept";
        }
        if (why_not) {
            wb_buf_printf(&lines, "      # not kept: %s%s%s: %s\n", label, ix->expressions ? " on " : "",
                          ix->expressions ? ix->expressions : "", why_not);
            free(names);
            wb_buf_free(&notes);
            continue;
        }
        /* a partial index keeps its predicate, its columns renamed, when the text means the same on
         * both backends; otherwise it becomes a full index, which the note says */
        wb_buf where = WB_BUF_INIT;
        if (ix->partial && ix->predicate) {
            init_check k;
            wb_init_check_read(ix->predicate, s->d, &k);
            if (put_renamed_expression(t, ix->predicate, &k, &where) != 0)
                wb_buf_printf(&notes, "partial in the source (WHERE %s), a predicate not written the same on "
                                      "SQLite and PostgreSQL: a full index here\n",
                              ix->predicate);
        } else if (ix->partial) {
            wb_buf_puts(&notes, "partial in the source, but its predicate could not be read: a full index here\n");
        }
        if (unique && !distinct) {
            unique = 0;
            wb_buf_printf(&notes, "unique in the source, but none of its columns gets values that never repeat: a "
                                  "plain index here\n");
        }
        char name[64];
        if (ix->name) {
            plain_name(ix->name, COLUMN_NAME_MAX, 1, name);
        } else {
            wb_buf gen = WB_BUF_INIT;
            wb_buf_puts(&gen, t->name);
            for (int c = 0; c < ix->ncolumns; c++)
                wb_buf_printf(&gen, "_%s", names[c]);
            wb_buf_puts(&gen, unique ? "_key" : "_idx");
            plain_name(wb_buf_str(&gen), COLUMN_NAME_MAX, 1, name);
            wb_buf_free(&gen);
        }
        unique_name(name, COLUMN_NAME_MAX, s->relations, s->nrelations);
        add_relation(s, name);
        put_notes(&lines, 6, wb_buf_str(&notes));
        wb_buf_free(&notes);
        wb_buf_printf(&lines, "      - {name: %s, columns: [", name);
        for (int c = 0; c < ix->ncolumns; c++)
            wb_buf_printf(&lines, "%s%s", c ? ", " : "", names[c]);
        wb_buf_printf(&lines, "]%s", unique ? ", unique: true" : "");
        if (where.len) {
            wb_buf_puts(&lines, ", where: ");
            wb_init_yaml_quote(&lines, wb_buf_str(&where));
        }
        wb_buf_puts(&lines, "}\n");
        wb_buf_free(&where);
        kept_cols[nkept] = names;
        kept_n[nkept] = ix->ncolumns;
        kept_unique[nkept++] = unique;
    }
    if (nkept)
        wb_buf_puts(out, "    indexes:\n");
    wb_buf_puts(out, wb_buf_str(&lines));
    for (int k = 0; k < nkept; k++)
        free(kept_cols[k]);
    wb_buf_free(&lines);
}

static void put_checks(state *s, wb_buf *out, const init_table *t)
{
    int kept = 0;
    wb_buf lines = WB_BUF_INIT;
    for (int i = 0; i < s->nchecks; i++) {
        const check_entry *ce = &s->checks[i];
        if (ce->table != t)
            continue;
        if (!ce->why_not && kept == WB_MAX_CHECKS)
            ((check_entry *)ce)->why_not = "a workload table has at most 8 checks";
        if (ce->why_not) {
            char line[1400];
            snprintf(line, sizeof line, "not kept: CHECK (%s): %s", ce->src->expr, ce->why_not);
            wb_init_yaml_comment(&lines, 6, line);
            continue;
        }
        kept++;
        wb_buf_puts(&lines, "      - ");
        wb_init_yaml_quote(&lines, ce->text);
        wb_buf_putc(&lines, '\n');
    }
    if (kept)
        wb_buf_puts(out, "    checks:\n");
    wb_buf_puts(out, wb_buf_str(&lines));
    wb_buf_free(&lines);
}

/* The workload's name: --name, else the file's or first table's, as a name the
 * format takes (letters, digits, '_', '-', '.', starting with a letter or digit). */
static void workload_name(state *s, char out[41])
{
    const char *from = s->o->name ? s->o->name : s->o->label ? s->d->source : s->tables[0].name;
    char base[256];
    snprintf(base, sizeof base, "%s", from ? from : "workload");
    char *dot = strrchr(base, '.');
    if (!s->o->name && s->o->label && dot && dot != base)
        *dot = '\0'; /* shop.sql: shop */
    size_t n = 0;
    for (const char *p = base; *p && n < WB_NAME_MAX; p++) {
        char c = *p;
        int ok = isalnum((unsigned char)c) && (unsigned char)c < 0x80;
        ok |= n > 0 && (c == '_' || c == '-' || c == '.');
        if (ok)
            out[n++] = c;
        else if (n > 0 && out[n - 1] != '_')
            out[n++] = '_';
    }
    out[n] = '\0';
    if (n == 0)
        snprintf(out, 41, "workload");
}

static void write_yaml(state *s, wb_buf *out)
{
    char name[41];
    workload_name(s, name);
    wb_buf desc = WB_BUF_INIT;
    for (int i = 0; i < s->ntables; i++) {
        size_t before = desc.len;
        wb_buf_printf(&desc, "%s%s", i == 0 ? "" : i + 1 == s->ntables ? " and " : ", ", s->tables[s->order[i]].name);
        if (desc.len > DESCRIPTION_MAX) {
            desc.len = before;
            desc.data[before] = '\0';
            wb_buf_puts(&desc, " and more");
            break;
        }
    }
    wb_buf_printf(&desc, " from %s", s->d->source ? s->d->source : "a database");
    wb_buf_printf(out, "# A writebench workload file (docs/WORKLOADS.md), written by `writebench workload init` from "
                       "%s.\n",
                  s->d->source ? s->d->source : "a database");
    wb_buf_puts(out, "# Each generator's comment says where it came from: edit freely, then check the file with\n"
                     "# `writebench workload check FILE --db URL` and run it with `writebench run --workload FILE`.\n");
    for (int i = 0; i < s->d->nnotes; i++)
        wb_init_yaml_comment(out, 0, s->d->notes[i]);
    wb_buf_printf(out, "workload: %s\ndescription: ", name);
    wb_init_yaml_quote(out, wb_buf_str(&desc));
    wb_buf_puts(out, "\ntables:\n");
    wb_buf_free(&desc);
    for (int i = 0; i < s->ntables; i++) {
        const init_table *t = &s->tables[s->order[i]];
        if (i)
            wb_buf_putc(out, '\n');
        put_notes(out, 2, wb_buf_str(&t->notes));
        wb_buf_printf(out, "  - name: %s\n    key: %s\n    columns:\n", t->name, t->key);
        for (int c = 0; c < t->ncolumns; c++)
            put_column(out, &t->columns[c]);
        put_indexes(s, out, t);
        put_checks(s, out, t);
    }
}

static void free_state(state *s)
{
    for (int i = 0; i < s->ntables; i++) {
        init_table *t = &s->tables[i];
        for (int c = 0; c < t->ncolumns; c++) {
            wb_buf_free(&t->columns[c].generator);
            wb_buf_free(&t->columns[c].why);
            wb_buf_free(&t->columns[c].notes);
        }
        free(t->columns);
        wb_buf_free(&t->notes);
    }
    free(s->tables);
    free(s->order);
    free(s->checks);
    free(s->relations);
}

int wb_init_from_desc(wb_schema_desc *d, const wb_init_options *o, wb_buf *yaml, wb_error *e)
{
    state s = {.o = o, .d = d, .e = e};
    int rc = pick_tables(&s);
    for (int i = 0; rc == 0 && i < s.ntables; i++)
        read_create_sql(&s, (wb_desc_table *)s.tables[i].src);
    if (rc == 0)
        name_tables(&s);
    for (int i = 0; rc == 0 && i < s.ntables; i++)
        rc = find_key(&s, &s.tables[i]);
    for (int i = 0; rc == 0 && i < s.ntables; i++)
        rc = build_columns(&s, &s.tables[i]);
    for (int i = 0; rc == 0 && i < s.ntables; i++)
        rc = read_foreign_keys(&s, &s.tables[i]);
    if (rc == 0)
        rc = order_tables(&s);
    if (rc == 0) {
        for (int i = 0; i < s.ntables; i++)
            mark_unique(&s.tables[i]);
        read_checks(&s);
        for (int i = 0; i < s.ntables; i++)
            for (int c = 0; c < s.tables[i].ncolumns; c++)
                wb_init_choose(&s.tables[i].columns[c]);
        settle_checks(&s);
        write_yaml(&s, yaml);
    }
    free_state(&s);
    return rc;
}

int wb_init_from_ddl(const char *path, const wb_init_options *o, wb_buf *yaml, wb_error *e)
{
    wb_schema_desc d = WB_SCHEMA_DESC_INIT;
    wb_init_options with_label = *o;
    with_label.label = path;
    int rc = wb_ddl_read_file(path, &d, e);
    if (rc == 0)
        rc = wb_init_from_desc(&d, &with_label, yaml, e);
    wb_desc_free(&d);
    return rc;
}

/* Reading a workload file (docs/WORKLOADS.md, "The format") into a wb_workload.
 *
 * Everything that can be known without a database is checked here, each mistake
 * one line naming the file, line and column of the YAML node at fault: unknown
 * keys, types and generators, a generator that cannot fill its column's type, a
 * foreign key to a table that does not come earlier, a unique index whose values
 * would repeat, a varchar too short for the longest value any key up to
 * WB_KEY_MAX can get (hostile decorations included), a row too big for wb_row.
 * Then a sample of rows is made in C: a column that version 2 changes must
 * differ in every row, one it leaves alone must not, and unique columns must not
 * repeat. Whether the SQL definitions agree with the C ones is for the target
 * database to say (check.c).
 *
 * The SQL types and the generator kinds are two tables below: a new type or
 * generator is one entry, and the format stays as it is. */
#include <nettle/sha2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util/display.h"
#include "util/fs.h"
#include "workloads/load_internal.h"

/* A workload file is a page of text; anything much bigger is not one. */
#define FILE_MAX_BYTES (1024 * 1024)
#define CHECK_MAX_BYTES 1000
#define DESCRIPTION_MAX_BYTES 1000
#define IDENTIFIER_MAX_BYTES 63 /* PostgreSQL's NAMEDATALEN - 1 */
#define SAMPLE_LOW_KEYS 200     /* keys 1..200 hold every hostile kind of every column, in both versions */
#define SAMPLE_HIGH_KEYS 10     /* and the last keys before WB_KEY_MAX */
#define UNIQUE_SAMPLE_KEYS 1000

/* ---- memory: every allocation of one workload, freed together ---- */

void *wb_load_alloc(loaded_workload *lw, size_t n)
{
    wb_load_block *b = wb_xcalloc(1, sizeof *b + n);
    b->next = lw->blocks;
    lw->blocks = b;
    return b->data;
}

char *wb_load_copy(loaded_workload *lw, const char *s, size_t len)
{
    char *p = wb_load_alloc(lw, len + 1);
    memcpy(p, s, len);
    p[len] = '\0';
    return p;
}

#define alloc wb_load_alloc
#define copy_text wb_load_copy

void wb_workload_free(wb_workload *w)
{
    if (!w)
        return;
    loaded_workload *lw = (loaded_workload *)w;
    for (wb_load_block *b = lw->blocks, *next; b; b = next) {
        next = b->next;
        free(b);
    }
    free(lw);
}

/* ---- names ---- */

/* Whether s (len bytes) is a plain SQL identifier: a letter or '_', then letters,
 * digits and '_'. Such a name needs no care anywhere (strategies and messages put
 * it between double quotes as it is). */
static int is_identifier(const char *s, size_t len)
{
    if (len == 0)
        return 0;
    for (size_t i = 0; i < len; i++) {
        char c = s[i];
        int letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
        if (!letter && !(i > 0 && c >= '0' && c <= '9'))
            return 0;
    }
    return 1;
}

/* Read node as a name of at most max bytes (what: "a table's name"). Tables and
 * indexes share one namespace with writebench's own (SQLite's writebench_meta,
 * writebench_before_<table>) and SQLite's (sqlite_*), whose prefixes are refused. */
static int read_name(loader *l, yaml_node_t *node, const char *what, size_t max, int relation, const char **out)
{
    const char *s;
    size_t len;
    if (wb_yaml_string(&l->y, node, what, &s, &len, l->e) != 0)
        return -1;
    if (!is_identifier(s, len))
        return FAIL(l, node, "%s '%.60s' is not a plain SQL name (a letter or '_', then letters, digits and '_')",
                    what, s);
    if (len > max)
        return FAIL(l, node, "%s '%.60s...' is %zu bytes long; at most %zu", what, s, len, max);
    if (relation && (strncasecmp(s, "writebench_", 11) == 0 || strncasecmp(s, "sqlite_", 7) == 0))
        return FAIL(l, node, "%s '%s' starts with a prefix reserved for writebench's and SQLite's own tables", what,
                    s);
    *out = copy_text(l->lw, s, len);
    return 0;
}

/* ---- SQL types ---- */

/* A type a column may have, as the file writes it: PostgreSQL's spellings, any
 * case. How each backend declares it is its dialect's (wb_dialect.types). */
typedef struct sql_type {
    const char *names[4];       /* lower case, single spaces; names[0] is the canonical one */
    int min_params, max_params; /* the numbers in parentheses: varchar(n), numeric(p,s) */
    int64_t min[2], max[2];     /* each parameter's range */
    wb_type value_type;         /* what the generator must make */
    wb_sql_type sql;
    int has_length;             /* its first parameter is a length in characters */
    const char *spelled;        /* the canonical spelling, a printf format of the parameters */
} sql_type;

static const sql_type sql_types[] = {
    {{"bigint", "int8"}, 0, 0, {0, 0}, {0, 0}, WB_TYPE_INT64, WB_SQL_BIGINT, 0, "bigint"},
    {{"integer", "int", "int4"}, 0, 0, {0, 0}, {0, 0}, WB_TYPE_INT64, WB_SQL_INTEGER, 0, "integer"},
    {{"smallint", "int2"}, 0, 0, {0, 0}, {0, 0}, WB_TYPE_INT64, WB_SQL_SMALLINT, 0, "smallint"},
    /* numeric(p) is numeric(p,0) */
    {{"numeric", "decimal"}, 1, 2, {1, 0}, {38, 38}, WB_TYPE_DECIMAL, WB_SQL_NUMERIC, 0, "numeric(%lld,%lld)"},
    {{"real", "float4"}, 0, 0, {0, 0}, {0, 0}, WB_TYPE_FLOAT, WB_SQL_REAL, 0, "real"},
    {{"double precision", "float8"}, 0, 0, {0, 0}, {0, 0}, WB_TYPE_FLOAT, WB_SQL_DOUBLE, 0, "double precision"},
    {{"boolean", "bool"}, 0, 0, {0, 0}, {0, 0}, WB_TYPE_BOOL, WB_SQL_BOOLEAN, 0, "boolean"},
    {{"text"}, 0, 0, {0, 0}, {0, 0}, WB_TYPE_TEXT, WB_SQL_TEXT, 0, "text"},
    {{"varchar", "character varying"}, 1, 1, {1, 0}, {10485760, 0}, WB_TYPE_TEXT, WB_SQL_VARCHAR, 1,
     "varchar(%lld)"},
    {{"char", "character"}, 1, 1, {1, 0}, {10485760, 0}, WB_TYPE_TEXT, WB_SQL_CHAR, 1, "char(%lld)"},
    {{"date"}, 0, 0, {0, 0}, {0, 0}, WB_TYPE_TIME, WB_SQL_DATE, 0, "date"},
    {{"timestamp", "timestamp without time zone"}, 0, 0, {0, 0}, {0, 0}, WB_TYPE_TIME, WB_SQL_TIMESTAMP, 0,
     "timestamp"},
    {{"timestamptz", "timestamp with time zone"}, 0, 0, {0, 0}, {0, 0}, WB_TYPE_TIME, WB_SQL_TIMESTAMPTZ, 0,
     "timestamptz"},
    {{"uuid"}, 0, 0, {0, 0}, {0, 0}, WB_TYPE_UUID, WB_SQL_UUID, 0, "uuid"},
    {{"json"}, 0, 0, {0, 0}, {0, 0}, WB_TYPE_JSON, WB_SQL_JSON, 0, "json"},
    {{"jsonb"}, 0, 0, {0, 0}, {0, 0}, WB_TYPE_JSON, WB_SQL_JSONB, 0, "jsonb"},
    {{"bytea"}, 0, 0, {0, 0}, {0, 0}, WB_TYPE_BYTES, WB_SQL_BYTEA, 0, "bytea"},
};

/* How a type is written with its parameters, for messages: "varchar(n)". */
static void put_type_shown(const sql_type *t, wb_buf *out)
{
    wb_buf_puts(out, t->names[0]);
    if (t->max_params == 1)
        wb_buf_puts(out, "(n)");
    else if (t->max_params == 2)
        wb_buf_puts(out, "(p,s)");
}

/* The type whose name s begins with (lower case, single spaces), the longest such
 * name, followed by nothing, a space or '('; its length in *name_len. */
static const sql_type *find_type(const char *s, size_t *name_len)
{
    const sql_type *found = NULL;
    for (size_t i = 0; i < COUNT(sql_types); i++)
        for (int k = 0; k < 4 && sql_types[i].names[k]; k++) {
            size_t n = strlen(sql_types[i].names[k]);
            if (strncmp(s, sql_types[i].names[k], n) == 0 && (s[n] == '\0' || s[n] == '(' || s[n] == ' ') &&
                (!found || n > *name_len)) {
                found = &sql_types[i];
                *name_len = n;
            }
        }
    return found;
}

int wb_load_type(loader *l, yaml_node_t *node, column_build *cb)
{
    const char *raw;
    size_t len;
    if (wb_yaml_string(&l->y, node, "a column's type", &raw, &len, l->e) != 0)
        return -1;
    /* lower case, runs of spaces as one, none around the parentheses' contents */
    char s[128];
    size_t n = 0;
    for (size_t i = 0; i < len && n + 1 < sizeof s; i++) {
        char c = raw[i] >= 'A' && raw[i] <= 'Z' ? (char)(raw[i] - 'A' + 'a') : raw[i];
        if (c == ' ' && (n == 0 || s[n - 1] == ' '))
            continue;
        s[n++] = c;
    }
    while (n > 0 && s[n - 1] == ' ')
        n--;
    s[n] = '\0';
    size_t name_len = 0;
    const sql_type *t = find_type(s, &name_len);
    if (!t) {
        wb_buf known = WB_BUF_INIT;
        for (size_t i = 0; i < COUNT(sql_types); i++) {
            if (i)
                wb_buf_puts(&known, ", ");
            put_type_shown(&sql_types[i], &known);
        }
        int rc = FAIL(l, node, "unknown type '%.60s' (the types are: %s)", raw, wb_buf_str(&known));
        wb_buf_free(&known);
        return rc;
    }
    wb_buf shown = WB_BUF_INIT;
    put_type_shown(t, &shown);
    long long params[2] = {0, 0};
    int nparams = 0, bad = 0;
    const char *p = s + name_len;
    while (*p == ' ')
        p++;
    if (*p == '(') {
        p++;
        for (;;) {
            while (*p == ' ')
                p++;
            char *end;
            long long v = strtoll(p, &end, 10);
            if (end == p || nparams == 2) {
                bad = 1;
                break;
            }
            params[nparams++] = v;
            p = end;
            while (*p == ' ')
                p++;
            if (*p == ',') {
                p++;
                continue;
            }
            bad = *p++ != ')';
            break;
        }
    }
    while (!bad && *p == ' ')
        p++;
    if (bad || *p || nparams < t->min_params || nparams > t->max_params) {
        int rc = FAIL(l, node, "type '%.60s': write %s", raw, wb_buf_str(&shown));
        wb_buf_free(&shown);
        return rc;
    }
    wb_buf_free(&shown);
    for (int i = 0; i < nparams; i++)
        if (params[i] < t->min[i] || params[i] > t->max[i])
            return FAIL(l, node, "type '%.60s': %lld is outside %lld..%lld", raw, params[i], (long long)t->min[i],
                        (long long)t->max[i]);
    if (t->sql == WB_SQL_NUMERIC && params[1] > params[0])
        return FAIL(l, node, "type '%.60s': the scale %lld is larger than the precision %lld", raw, params[1],
                    params[0]);
    char spelled[64];
    cb->col.type = t->value_type;
    cb->col.sql_type = t->sql;
    cb->col.type_length = params[0];
    cb->col.type_scale = params[1];
    snprintf(spelled, sizeof spelled, t->spelled, params[0], params[1]);
    cb->col.type_name = copy_text(l->lw, spelled, strlen(spelled));
    cb->type_chars = t->has_length ? params[0] : 0;
    return 0;
}

/* ---- tables ---- */

static int parse_column(loader *l, table_build *tb, yaml_node_t *node)
{
    column_build *cb = &tb->columns[tb->ncolumns];
    memset(cb, 0, sizeof *cb);
    cb->node = node;
    wb_yaml_field f[] = {{"name", 1, NULL, NULL},      {"type", 1, NULL, NULL},    {"nullable", 0, NULL, NULL},
                         {"updated", 0, NULL, NULL},   {"generator", 1, NULL, NULL}, {"hostile", 0, NULL, NULL},
                         {"nulls", 0, NULL, NULL}};
    if (wb_yaml_fields(&l->y, node, "a column", f, (int)COUNT(f), l->e) != 0 ||
        read_name(l, f[0].value, "a column's name", IDENTIFIER_MAX_BYTES, 0, &cb->col.name) != 0)
        return -1;
    for (int i = 0; i < tb->ncolumns; i++)
        if (strcasecmp(tb->columns[i].col.name, cb->col.name) == 0)
            return FAIL(l, f[0].value, "table %s has two columns named %s", tb->name, cb->col.name);
    cb->type_node = f[1].value;
    cb->gen_node = f[4].value;
    cb->col.nullable = 1; /* SQL's default */
    if (wb_load_type(l, f[1].value, cb) != 0 ||
        (f[2].value && wb_yaml_bool(&l->y, f[2].value, "nullable", &cb->col.nullable, l->e) != 0) ||
        (f[3].value && wb_yaml_bool(&l->y, f[3].value, "updated", &cb->col.updated, l->e) != 0))
        return -1;
    wb_buf salt = WB_BUF_INIT;
    wb_buf_printf(&salt, "%s.%s", tb->name, cb->col.name);
    cb->salt_name = copy_text(l->lw, wb_buf_str(&salt), salt.len);
    wb_buf_free(&salt);
    if (wb_load_generator(l, tb, cb, f[4].value, f[5].value, f[6].value) != 0)
        return -1;
    tb->ncolumns++;
    return 0;
}

/* Column index in tb of that name, or -1. */
static int column_named(const table_build *tb, const char *name)
{
    for (int i = 0; i < tb->ncolumns; i++)
        if (strcmp(tb->columns[i].col.name, name) == 0)
            return i;
    return -1;
}

/* Read node as one SQL expression (what: "check", "index predicate") that goes into a
 * statement as it is written: nothing in it may end the statement or hide the rest.
 * *out: a copy. */
static int read_expression(loader *l, yaml_node_t *node, const char *what, const char **out)
{
    const char *s;
    size_t len;
    if (wb_yaml_string(&l->y, node, what, &s, &len, l->e) != 0)
        return -1;
    if (len == 0 || len > CHECK_MAX_BYTES)
        return FAIL(l, node, "a %s must be an SQL expression of 1 to %d bytes", what, CHECK_MAX_BYTES);
    int depth = 0;
    char quote = 0;
    for (size_t i = 0; i < len; i++) {
        char c = s[i];
        if (quote) {
            if (c == quote)
                quote = 0; /* a doubled quote closes and opens again: the same */
            continue;
        }
        if (c == '\'' || c == '"')
            quote = c;
        else if (c == '(')
            depth++;
        else if (c == ')' && --depth < 0)
            return FAIL(l, node, "%s '%.60s': a ')' without its '('", what, s);
        else if (c == ';' || (c == '-' && s[i + 1] == '-') || (c == '/' && s[i + 1] == '*'))
            return FAIL(l, node, "%s '%.60s': one expression, without ';' or comments", what, s);
    }
    if (quote || depth)
        return FAIL(l, node, "%s '%.60s': an unclosed %s", what, s, quote ? "quote" : "'('");
    *out = copy_text(l->lw, s, len);
    return 0;
}

static int parse_index(loader *l, table_build *tb, yaml_node_t *node)
{
    wb_index *ix = &tb->indexes[tb->nindexes];
    wb_yaml_field f[] = {{"name", 0, NULL, NULL},
                         {"columns", 1, NULL, NULL},
                         {"unique", 0, NULL, NULL},
                         {"where", 0, NULL, NULL}};
    if (wb_yaml_fields(&l->y, node, "an index", f, (int)COUNT(f), l->e) != 0)
        return -1;
    ix->where = NULL;
    if (f[3].value && read_expression(l, f[3].value, "index predicate", &ix->where) != 0)
        return -1;
    int n = wb_yaml_count(&l->y, f[1].value, "an index's columns", 1, WB_MAX_INDEX_COLUMNS, l->e);
    if (n < 0 || (f[2].value && wb_yaml_bool(&l->y, f[2].value, "unique", &ix->unique, l->e) != 0))
        return -1;
    const char **columns = alloc(l->lw, (size_t)n * sizeof *columns);
    size_t default_len = strlen(tb->name) + 4;
    for (int i = 0; i < n; i++) {
        yaml_node_t *item = wb_yaml_item(&l->y, f[1].value, i);
        const char *name;
        size_t len;
        if (wb_yaml_string(&l->y, item, "an index's column", &name, &len, l->e) != 0)
            return -1;
        int c = column_named(tb, name);
        if (c < 0)
            return FAIL(l, item, "table %s has no column '%.60s'", tb->name, name);
        for (int j = 0; j < i; j++)
            if (strcmp(columns[j], name) == 0)
                return FAIL(l, item, "column %s is named twice in one index", name);
        columns[i] = tb->columns[c].col.name;
        default_len += len + 1;
    }
    ix->columns = columns;
    ix->ncolumns = n;
    if (f[0].value) {
        if (read_name(l, f[0].value, "an index's name", IDENTIFIER_MAX_BYTES, 1, &ix->name) != 0)
            return -1;
    } else {
        /* PostgreSQL's own choice for an unnamed one: <table>_<columns>_key or _idx */
        if (default_len > IDENTIFIER_MAX_BYTES)
            return FAIL(l, node, "this index's default name would be longer than %d bytes: give it a name",
                        IDENTIFIER_MAX_BYTES);
        char *name = alloc(l->lw, default_len + 1);
        strcpy(name, tb->name);
        for (int i = 0; i < n; i++)
            strcat(strcat(name, "_"), columns[i]);
        strcat(name, ix->unique ? "_key" : "_idx");
        ix->name = name;
    }
    tb->index_nodes[tb->nindexes++] = node;
    return 0;
}

/* A CHECK constraint goes into CREATE TABLE as it is written. */
static int parse_check(loader *l, table_build *tb, yaml_node_t *node)
{
    return read_expression(l, node, "check", &tb->checks[tb->nchecks++]);
}

/* Unique indexes: at least one of an index's columns must never repeat (the key,
 * or a column whose generator gives every key its own value); those columns are
 * marked unique, so hostile rows give them no '' either. */
static int check_unique_indexes(loader *l, table_build *tb)
{
    for (int i = 0; i < tb->nindexes; i++) {
        const wb_index *ix = &tb->indexes[i];
        if (!ix->unique)
            continue;
        int distinct = 0;
        const column_build *first = NULL;
        for (int c = 0; c < ix->ncolumns; c++) {
            column_build *cb = &tb->columns[column_named(tb, ix->columns[c])];
            if (cb == &tb->columns[0]) {
                distinct = 1;
                continue;
            }
            if (!cb->repeats) {
                cb->col.unique = 1;
                distinct = 1;
            } else if (!first) {
                first = cb;
            }
        }
        if (!distinct)
            return FAIL(l, first->gen_node, "column %s is in unique index %s, but its generator repeats values: %s",
                        first->col.name, ix->name, first->repeats);
    }
    return 0;
}

/* Lengths: varchar(n) holds every value; and the most bytes a row can take, which
 * wb_row_make reserves. */
static int check_lengths(loader *l, table_build *tb)
{
    int64_t row_bytes = 0;
    for (int c = 0; c < tb->ncolumns; c++) {
        column_build *cb = &tb->columns[c];
        int64_t chars, bytes;
        wb_load_longest(cb, &chars, &bytes);
        cb->col.max_chars = chars; /* a backend may declare an indexed text column as long as this */
        if (cb->type_chars && chars > cb->type_chars)
            return FAIL(l, cb->type_node,
                        "column %s is %s, but its values reach %lld characters (keys up to %lld, hostile "
                        "decorations included)",
                        cb->col.name, cb->col.type_name, (long long)chars, (long long)WB_KEY_MAX);
        row_bytes += bytes + 8; /* its NUL, and up to 7 bytes of the test-only perturbation */
    }
    tb->row_text_bytes = (size_t)row_bytes;
    return 0;
}

static int parse_table(loader *l, yaml_node_t *node, table_build *tb)
{
    memset(tb, 0, sizeof *tb);
    tb->node = node;
    wb_yaml_field f[] = {{"name", 1, NULL, NULL},    {"key", 1, NULL, NULL},    {"columns", 1, NULL, NULL},
                         {"indexes", 0, NULL, NULL}, {"checks", 0, NULL, NULL}, {"first_key", 0, NULL, NULL}};
    if (wb_yaml_fields(&l->y, node, "a table", f, (int)COUNT(f), l->e) != 0 ||
        read_name(l, f[0].value, "a table's name", WB_NAME_MAX, 1, &tb->name) != 0)
        return -1;
    for (int i = 0; i < l->ntables; i++)
        if (strcasecmp(l->tables[i].name, tb->name) == 0)
            return FAIL(l, f[0].value, "two tables named %s", tb->name);
    int n = wb_yaml_count(&l->y, f[2].value, "columns", 1, WB_MAX_TABLE_COLUMNS - 1, l->e);
    if (n < 0)
        return -1;
    tb->columns = alloc(l->lw, (size_t)(n + 1) * sizeof *tb->columns);
    /* the key: column 0, keys 1..N, or 0..N-1 with first_key: 0 */
    int64_t first_key = 1;
    if (f[5].value && wb_yaml_int(&l->y, f[5].value, "first_key", 0, 1, &first_key, l->e) != 0)
        return -1;
    tb->keys_from_zero = first_key == 0;
    column_build *key = &tb->columns[0];
    if (read_name(l, f[1].value, "the key column's name", IDENTIFIER_MAX_BYTES, 0, &key->col.name) != 0)
        return -1;
    key->col.type = WB_TYPE_INT64;
    key->col.sql_type = WB_SQL_BIGINT; /* SQLite declares it INTEGER: INTEGER PRIMARY KEY is the rowid */
    key->col.type_name = "bigint";
    key->col.gen = key->gen = alloc(l->lw, sizeof *key->gen);
    key->gen->kind = WB_GEN_KEY;
    key->gen->parent_row = WB_PARENT_SAME;
    key->gen->parent_keys_from_zero = tb->keys_from_zero;
    key->node = key->type_node = key->gen_node = f[1].value;
    tb->ncolumns = 1;
    for (int i = 0; i < n; i++)
        if (parse_column(l, tb, wb_yaml_item(&l->y, f[2].value, i)) != 0)
            return -1;
    tb->indexes = alloc(l->lw, WB_MAX_INDEXES * sizeof *tb->indexes);
    n = f[3].value ? wb_yaml_count(&l->y, f[3].value, "indexes", 0, WB_MAX_INDEXES, l->e) : 0;
    if (n < 0)
        return -1;
    for (int i = 0; i < n; i++)
        if (parse_index(l, tb, wb_yaml_item(&l->y, f[3].value, i)) != 0)
            return -1;
    tb->checks = alloc(l->lw, WB_MAX_CHECKS * sizeof *tb->checks);
    n = f[4].value ? wb_yaml_count(&l->y, f[4].value, "checks", 0, WB_MAX_CHECKS, l->e) : 0;
    if (n < 0)
        return -1;
    for (int i = 0; i < n; i++)
        if (parse_check(l, tb, wb_yaml_item(&l->y, f[4].value, i)) != 0)
            return -1;
    return check_unique_indexes(l, tb) == 0 && check_lengths(l, tb) == 0 ? 0 : -1;
}

/* The table tb as the workload keeps it. */
static void finish_table(loader *l, const table_build *tb, wb_table *t)
{
    wb_column *columns = alloc(l->lw, (size_t)tb->ncolumns * sizeof *columns);
    int nfks = 0;
    for (int c = 0; c < tb->ncolumns; c++) {
        columns[c] = tb->columns[c].col;
        nfks += tb->columns[c].references != NULL;
    }
    wb_foreign_key *fks = alloc(l->lw, (size_t)(nfks ? nfks : 1) * sizeof *fks);
    for (int c = 0, i = 0; c < tb->ncolumns; c++)
        if (tb->columns[c].references)
            fks[i++] = (wb_foreign_key){columns[c].name, tb->columns[c].references};
    t->name = tb->name;
    t->columns = columns;
    t->ncolumns = tb->ncolumns;
    t->keys_from_zero = tb->keys_from_zero;
    t->indexes = tb->indexes;
    t->nindexes = tb->nindexes;
    t->checks = tb->checks;
    t->nchecks = tb->nchecks;
    t->foreign_keys = fks;
    t->nforeign_keys = nfks;
    t->row_text_bytes = tb->row_text_bytes;
}

/* ---- the sample made in C ---- */

static int same_value(const wb_value *a, const wb_value *b)
{
    if (a->is_null || b->is_null)
        return a->is_null == b->is_null;
    return a->i64 == b->i64 && a->len == b->len && memcmp(a->text, b->text, a->len) == 0;
}

/* Every updated column differs between the versions, every other one does not, in
 * keys 1..SAMPLE_LOW_KEYS and the last SAMPLE_HIGH_KEYS keys. */
static int check_versions(loader *l, const wb_table *t, const table_build *tb)
{
    wb_row v1 = WB_ROW_INIT, v2 = WB_ROW_INIT;
    int rc = 0;
    for (int i = 0; i < SAMPLE_LOW_KEYS + SAMPLE_HIGH_KEYS && rc == 0; i++) {
        int64_t key = i < SAMPLE_LOW_KEYS ? i + 1 : WB_KEY_MAX - (i - SAMPLE_LOW_KEYS);
        wb_row_make(t, key, 1, &v1);
        wb_row_make(t, key, 2, &v2);
        for (int c = 1; c < t->ncolumns && rc == 0; c++)
            if (same_value(&v1.v[c], &v2.v[c]) == t->columns[c].updated)
                rc = FAIL(l, tb->columns[c].gen_node,
                          t->columns[c].updated
                              ? "column %s: version 2 gives key %lld the same value as version 1; a column "
                                "that version 2 changes must differ in every row"
                              : "column %s: version 2 changes key %lld's value, though the column says "
                                "updated: false",
                          t->columns[c].name, (long long)key);
    }
    wb_row_free(&v1);
    wb_row_free(&v2);
    return rc;
}

typedef struct sampled {
    char *text;
    int64_t key;
    int version;
} sampled;

static int compare_sampled(const void *a, const void *b)
{
    return strcmp(((const sampled *)a)->text, ((const sampled *)b)->text);
}

/* No unique column repeats a value over keys 1..UNIQUE_SAMPLE_KEYS of both
 * versions (the update pass rewrites rows one by one while others still hold
 * version 1). pattern_repeats() proves it for every key; this is the proof's test. */
static int check_unique_sample(loader *l, const wb_table *t, const table_build *tb)
{
    for (int c = 1; c < t->ncolumns; c++) {
        if (!t->columns[c].unique)
            continue;
        sampled *values = wb_xcalloc(2 * UNIQUE_SAMPLE_KEYS, sizeof *values);
        size_t n = 0;
        wb_row r = WB_ROW_INIT;
        for (int version = 1; version <= 2; version++)
            for (int64_t key = 1; key <= UNIQUE_SAMPLE_KEYS; key++) {
                wb_row_make(t, key, version, &r);
                if (!r.v[c].is_null) /* NULLs never collide in a unique index */
                    values[n++] = (sampled){wb_xstrdup(r.v[c].text), key, version};
            }
        wb_row_free(&r);
        qsort(values, n, sizeof *values, compare_sampled);
        int rc = 0;
        for (size_t i = 1; i < n && rc == 0; i++)
            if (strcmp(values[i - 1].text, values[i].text) == 0 &&
                !(values[i - 1].key == values[i].key && !t->columns[c].updated))
                rc = FAIL(l, tb->columns[c].gen_node,
                          "column %s is in a unique index, but key %lld of version %d and key %lld of version %d "
                          "get the same value",
                          t->columns[c].name, (long long)values[i - 1].key, values[i - 1].version,
                          (long long)values[i].key, values[i].version);
        for (size_t i = 0; i < n; i++)
            free(values[i].text);
        free(values);
        if (rc != 0)
            return -1;
    }
    return 0;
}

/* ---- the file ---- */

/* Read the name that identifies a workload in results and on the command line. */
static int read_workload_name(loader *l, yaml_node_t *node)
{
    const char *s;
    size_t len;
    if (wb_yaml_string(&l->y, node, "the workload's name", &s, &len, l->e) != 0)
        return -1;
    int ok = len > 0 && len <= WB_NAME_MAX;
    for (size_t i = 0; ok && i < len; i++) {
        char c = s[i];
        ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
             (i > 0 && (c == '_' || c == '-' || c == '.'));
    }
    if (!ok)
        return FAIL(l, node, "the workload's name '%.60s' must be 1 to %d letters, digits, '_', '-' or '.' "
                             "(starting with a letter or digit)",
                    s, WB_NAME_MAX);
    l->lw->w.name = copy_text(l->lw, s, len);
    return 0;
}

/* The description, on one line: a folded YAML string may end in a newline. */
static int read_description(loader *l, yaml_node_t *node)
{
    const char *s;
    size_t len;
    if (wb_yaml_string(&l->y, node, "description", &s, &len, l->e) != 0)
        return -1;
    if (len > DESCRIPTION_MAX_BYTES)
        return FAIL(l, node, "the description is %zu bytes long; at most %d", len, DESCRIPTION_MAX_BYTES);
    char *d = copy_text(l->lw, s, len);
    for (char *p = d; *p; p++)
        if ((unsigned char)*p < 0x20)
            *p = ' ';
    while (len > 0 && d[len - 1] == ' ')
        d[--len] = '\0';
    l->lw->w.description = d;
    return 0;
}

/* Tables and indexes share one namespace on both backends (SQLite's names ignore case). */
static int check_relation_names(loader *l, table_build *builds, int ntables)
{
    for (int i = 0; i < ntables; i++)
        for (int x = 0; x < builds[i].nindexes; x++) {
            const char *name = builds[i].indexes[x].name;
            for (int j = 0; j < ntables; j++) {
                if (strcasecmp(builds[j].name, name) == 0)
                    return FAIL(l, builds[i].index_nodes[x], "index %s has the name of a table", name);
                for (int y = 0; y < builds[j].nindexes; y++)
                    if ((j < i || (j == i && y < x)) && strcasecmp(builds[j].indexes[y].name, name) == 0)
                        return FAIL(l, builds[i].index_nodes[x], "two indexes named %s", name);
            }
        }
    return 0;
}

static int load_document(loader *l)
{
    yaml_node_t *root = wb_yaml_root(&l->y);
    wb_yaml_field f[] = {{"workload", 1, NULL, NULL}, {"description", 1, NULL, NULL}, {"tables", 1, NULL, NULL}};
    if (wb_yaml_fields(&l->y, root, "a workload file", f, (int)COUNT(f), l->e) != 0 ||
        read_workload_name(l, f[0].value) != 0 || read_description(l, f[1].value) != 0)
        return -1;
    int n = wb_yaml_count(&l->y, f[2].value, "tables", 1, WB_MAX_TABLES, l->e);
    if (n < 0)
        return -1;
    l->table_list = f[2].value;
    table_build *builds = wb_xcalloc((size_t)n, sizeof *builds);
    l->tables = alloc(l->lw, (size_t)n * sizeof *l->tables);
    int rc = 0;
    for (int i = 0; i < n && rc == 0; i++) {
        rc = parse_table(l, wb_yaml_item(&l->y, f[2].value, i), &builds[i]);
        if (rc == 0)
            finish_table(l, &builds[i], &l->tables[l->ntables++]);
    }
    if (rc == 0)
        rc = check_relation_names(l, builds, n);
    for (int i = 0; i < n && rc == 0; i++)
        if (check_versions(l, &l->tables[i], &builds[i]) != 0 || check_unique_sample(l, &l->tables[i], &builds[i]))
            rc = -1;
    free(builds);
    l->lw->w.tables = l->tables;
    l->lw->w.ntables = l->ntables;
    return rc;
}

int wb_workload_load(const char *path, wb_workload **out, wb_error *e)
{
    *out = NULL;
    wb_buf text = WB_BUF_INIT;
    wb_error why;
    if (wb_fs_read_file(path, &text, &why) != 0) {
        wb_buf_free(&text);
        return wb_fail(e, "workload file %s: %s", path, why.msg);
    }
    if (text.len > FILE_MAX_BYTES) {
        wb_buf_free(&text);
        return wb_fail(e, "workload file %s is %zu bytes long; a workload file is at most %d", path,
                       (size_t)text.len, FILE_MAX_BYTES);
    }
    loader l = {.e = e};
    l.lw = wb_xcalloc(1, sizeof *l.lw);
    l.lw->w.path = copy_text(l.lw, path, strlen(path));
    struct sha256_ctx ctx;
    sha256_init(&ctx);
    sha256_update(&ctx, text.len, (const uint8_t *)wb_buf_str(&text));
    uint8_t digest[SHA256_DIGEST_SIZE];
    sha256_digest(&ctx, sizeof digest, digest);
    for (int i = 0; i < SHA256_DIGEST_SIZE; i++)
        snprintf(l.lw->w.sha256 + 2 * i, 3, "%02x", digest[i]);
    int rc = wb_yaml_parse(&l.y, l.lw->w.path, wb_buf_str(&text), text.len, e);
    if (rc == 0) {
        rc = load_document(&l);
        wb_yaml_free(&l.y);
    }
    wb_buf_free(&text);
    if (rc != 0) {
        wb_workload_free(&l.lw->w);
        return -1;
    }
    *out = &l.lw->w;
    return 0;
}

int wb_table_parents_across(const wb_table *t)
{
    for (int i = 0; i < t->nforeign_keys; i++) {
        int c = wb_table_column_index(t, t->foreign_keys[i].column);
        if (c >= 0 && t->columns[c].gen->parent_row != WB_PARENT_SAME)
            return 1;
    }
    return 0;
}

int wb_workload_test_perturb(wb_workload *w, const char *table, const char *column)
{
    for (int t = 0; t < w->ntables; t++) {
        if (strcmp(w->tables[t].name, table) != 0)
            continue;
        int c = wb_table_column_index(&w->tables[t], column);
        if (c < 0)
            return -1;
        /* the workload's own memory (alloc), const only to its readers */
        ((struct wb_column_gen *)w->tables[t].columns[c].gen)->test_perturb = 1;
        return 0;
    }
    return -1;
}

int wb_table_column_index(const wb_table *t, const char *name)
{
    for (int i = 0; i < t->ncolumns; i++)
        if (strcmp(t->columns[i].name, name) == 0)
            return i;
    return -1;
}

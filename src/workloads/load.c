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
#include <stdalign.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util/display.h"
#include "util/fs.h"
#include "workloads/gen_internal.h"
#include "workloads/yaml_doc.h"

/* A workload file is a page of text; anything much bigger is not one. */
#define FILE_MAX_BYTES (1024 * 1024)
#define CHECK_MAX_BYTES 1000
#define DESCRIPTION_MAX_BYTES 1000
#define IDENTIFIER_MAX_BYTES 63 /* PostgreSQL's NAMEDATALEN - 1 */
#define SAMPLE_LOW_KEYS 200     /* keys 1..200 hold every hostile kind of every column, in both versions */
#define SAMPLE_HIGH_KEYS 10     /* and the last keys before WB_KEY_MAX */
#define UNIQUE_SAMPLE_KEYS 1000

/* ---- memory: every allocation of one workload, freed together ---- */

typedef struct block {
    struct block *next;
    max_align_t data[];
} block;

typedef struct loaded_workload {
    wb_workload w; /* first, so that a wb_workload * is a loaded_workload * */
    block *blocks;
} loaded_workload;

static void *alloc(loaded_workload *lw, size_t n)
{
    block *b = wb_xcalloc(1, sizeof *b + n);
    b->next = lw->blocks;
    lw->blocks = b;
    return b->data;
}

static char *copy_text(loaded_workload *lw, const char *s, size_t len)
{
    char *p = alloc(lw, len + 1);
    memcpy(p, s, len);
    p[len] = '\0';
    return p;
}

void wb_workload_free(wb_workload *w)
{
    if (!w)
        return;
    loaded_workload *lw = (loaded_workload *)w;
    for (block *b = lw->blocks, *next; b; b = next) {
        next = b->next;
        free(b);
    }
    free(lw);
}

/* ---- what is being read ---- */

/* A column while its table is read: its definition, and where the file wrote it. */
typedef struct column_build {
    wb_column col;
    struct wb_column_gen *gen;
    yaml_node_t *node, *type_node, *gen_node;
    int64_t varchar_chars;   /* varchar(n): n; 0 for a type without a length */
    const char *repeats;     /* why its values repeat over keys; NULL when every key gets its own */
    const char *references;  /* foreign_key: the parent table */
} column_build;

typedef struct table_build {
    const char *name;
    yaml_node_t *node;
    column_build columns[WB_MAX_COLUMNS];
    int ncolumns;
    wb_index *indexes;
    yaml_node_t *index_nodes[WB_MAX_INDEXES];
    int nindexes;
    const char **checks;
    int nchecks;
} table_build;

typedef struct loader {
    wb_yaml y;
    wb_error *e;
    loaded_workload *lw;
    wb_table *tables; /* the tables read so far: a foreign key names an earlier one */
    int ntables;
    yaml_node_t *table_list; /* every table of the file, to say that a parent comes later */
} loader;

#define FAIL(l, node, ...) wb_yaml_fail(&(l)->y, (node), (l)->e, __VA_ARGS__)

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

/* A type a column may have, as the file writes it (PostgreSQL's spelling, lower
 * case). How a backend declares it is its dialect's (type_decls, by this name). */
typedef struct sql_type {
    const char *name;
    int nparams;                /* 0, or the numbers in parentheses: varchar(n), numeric(p,s) */
    int64_t min[2], max[2];     /* each parameter's range */
    wb_type value_type;         /* what the generator must make */
    const char *decl;           /* the type written back with its parameters (printf format) */
    const char *shown;          /* in the list of types of an error message */
} sql_type;

static const sql_type sql_types[] = {
    {"bigint", 0, {0, 0}, {0, 0}, WB_TYPE_INT64, "bigint", "bigint"},
    {"text", 0, {0, 0}, {0, 0}, WB_TYPE_TEXT, "text", "text"},
    {"varchar", 1, {1, 0}, {10485760, 0}, WB_TYPE_TEXT, "varchar(%lld)", "varchar(n)"},
    /* the one decimal type so far: the cents generator's exact hundredths */
    {"numeric", 2, {10, 2}, {10, 2}, WB_TYPE_DECIMAL, "numeric(%lld,%lld)", "numeric(10,2)"},
};

#define COUNT(a) (sizeof(a) / sizeof *(a))

/* Parse "name" or "name(a)" or "name(a, b)" into the type and its parameters. */
static int parse_type(loader *l, yaml_node_t *node, column_build *cb)
{
    const char *s;
    size_t len;
    if (wb_yaml_string(&l->y, node, "a column's type", &s, &len, l->e) != 0)
        return -1;
    size_t name_len = 0;
    while (name_len < len && s[name_len] != '(' && s[name_len] != ' ')
        name_len++;
    const sql_type *t = NULL;
    for (size_t i = 0; i < COUNT(sql_types) && !t; i++)
        if (strlen(sql_types[i].name) == name_len && strncmp(s, sql_types[i].name, name_len) == 0)
            t = &sql_types[i];
    if (!t) {
        char known[256] = "";
        size_t used = 0;
        for (size_t i = 0; i < COUNT(sql_types); i++)
            used += (size_t)snprintf(known + used, sizeof known - used, "%s%s", i ? ", " : "", sql_types[i].shown);
        return FAIL(l, node, "unknown type '%.60s' (the types are: %s)", s, known);
    }
    long long params[2] = {0, 0};
    int nparams = 0;
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
            if (end == p || nparams == 2)
                return FAIL(l, node, "type '%.60s': write %s", s, t->shown);
            params[nparams++] = v;
            p = end;
            while (*p == ' ')
                p++;
            if (*p == ',') {
                p++;
                continue;
            }
            if (*p++ != ')')
                return FAIL(l, node, "type '%.60s': write %s", s, t->shown);
            break;
        }
    }
    while (*p == ' ')
        p++;
    if (*p || nparams != t->nparams)
        return FAIL(l, node, "type '%.60s': write %s", s, t->shown);
    for (int i = 0; i < nparams; i++)
        if (params[i] < t->min[i] || params[i] > t->max[i]) {
            if (t->min[i] == t->max[i])
                return FAIL(l, node, "type '%.60s': only %s is supported so far", s, t->shown);
            return FAIL(l, node, "type '%.60s': %lld is outside %lld..%lld", s, params[i], (long long)t->min[i],
                        (long long)t->max[i]);
        }
    char decl[64];
    cb->col.type = t->value_type;
    snprintf(decl, sizeof decl, t->decl, params[0], params[1]);
    cb->col.sql_type = copy_text(l->lw, decl, strlen(decl));
    cb->col.type_name = t->name;
    cb->col.type_params[0] = params[0];
    cb->col.type_params[1] = params[1];
    cb->varchar_chars = strcmp(t->name, "varchar") == 0 ? params[0] : 0;
    return 0;
}

/* ---- generators ---- */

/* A string field of a generator into a wb_str of the workload's memory. */
static int read_str(loader *l, yaml_node_t *node, const char *what, wb_str *out)
{
    const char *s;
    size_t len;
    if (wb_yaml_string(&l->y, node, what, &s, &len, l->e) != 0)
        return -1;
    out->s = copy_text(l->lw, s, len);
    out->len = len;
    return 0;
}

/* Whether the number a pattern writes after its prefix can run into the suffix:
 * the key's digits end where the first non-digit begins. */
static int starts_with_digit(wb_str s)
{
    return s.len > 0 && s.s[0] >= '0' && s.s[0] <= '9';
}

/* Why a pattern column's values could repeat over keys and versions, or NULL when
 * they cannot. The values are d || prefix || key || suffix, with d one of the
 * hostile decorations or nothing: if no suffix starts with a digit, the key is
 * exactly the digits after d || prefix, so two values are equal only if their
 * d || prefix are, unless one d || prefix is a beginning of the other and the
 * longer one continues with a digit there (where the shorter's key starts). */
static const char *pattern_repeats(const struct wb_column_gen *g)
{
    if (g->modulo)
        return "a pattern with a modulo repeats its values every modulo keys";
    if (starts_with_digit(g->suffix[0]) || starts_with_digit(g->suffix[1]))
        return "a suffix that starts with a digit can make two keys' values equal ('1' || '23' = '12' || '3')";
    if (!g->hostile)
        return NULL;
    wb_str starts[WB_HOSTILE_KINDS + 1];
    int n = 0;
    starts[n++] = (wb_str){"", 0};
    for (int k = 0; k < WB_HOSTILE_KINDS; k++)
        if (wb_hostile_kinds[k].effect == WB_EFFECT_DECORATE)
            starts[n++] = wb_hostile_kinds[k].decoration;
    for (int a = 0; a < n; a++)
        for (int b = 0; b < n; b++) {
            /* d_a || prefix a proper beginning of d_b || prefix? */
            size_t la = starts[a].len + g->prefix.len, lb = starts[b].len + g->prefix.len;
            if (a == b || la >= lb)
                continue;
            char A[128], B[128];
            if (lb > sizeof B)
                return "its prefix is too long to prove its values distinct";
            memcpy(A, starts[a].s, starts[a].len);
            memcpy(A + starts[a].len, g->prefix.s, g->prefix.len);
            memcpy(B, starts[b].s, starts[b].len);
            memcpy(B + starts[b].len, g->prefix.s, g->prefix.len);
            if (memcmp(A, B, la) == 0 && B[la] >= '0' && B[la] <= '9')
                return "a hostile decoration followed by its prefix reads like its prefix and a key";
        }
    return NULL;
}

/* pattern: prefix || number || suffix of the version; the number is the key, or key % modulo. */
static int parse_pattern(loader *l, table_build *tb, column_build *cb, yaml_node_t *node)
{
    (void)tb;
    wb_yaml_field f[] = {{"kind", 1, NULL, NULL}, {"prefix", 0, NULL, NULL}, {"suffix", 0, NULL, NULL},
                         {"modulo", 0, NULL, NULL}};
    if (wb_yaml_fields(&l->y, node, "a pattern generator", f, (int)COUNT(f), l->e) != 0)
        return -1;
    struct wb_column_gen *g = cb->gen;
    g->kind = WB_GEN_TEXT;
    g->prefix = (wb_str){"", 0};
    g->suffix[0] = g->suffix[1] = (wb_str){"", 0};
    if (f[1].value && read_str(l, f[1].value, "prefix", &g->prefix) != 0)
        return -1;
    if (f[2].value) {
        if (f[2].value->type == YAML_SEQUENCE_NODE) {
            /* one suffix per version */
            int n = wb_yaml_count(&l->y, f[2].value, "suffix (one per version)", 2, 2, l->e);
            if (n < 0 || read_str(l, wb_yaml_item(&l->y, f[2].value, 0), "the suffix of version 1", &g->suffix[0]) ||
                read_str(l, wb_yaml_item(&l->y, f[2].value, 1), "the suffix of version 2", &g->suffix[1]))
                return -1;
        } else {
            if (read_str(l, f[2].value, "suffix", &g->suffix[0]) != 0)
                return -1;
            g->suffix[1] = g->suffix[0];
        }
    }
    if (f[3].value && wb_yaml_int(&l->y, f[3].value, "modulo", 1, WB_KEY_MAX, &g->modulo, l->e) != 0)
        return -1;
    int changes = g->suffix[0].len != g->suffix[1].len || memcmp(g->suffix[0].s, g->suffix[1].s, g->suffix[0].len);
    if (changes != cb->col.updated)
        return FAIL(l, f[2].value ? f[2].value : node,
                    changes ? "column %s: its suffix differs in version 2, but the column says updated: false "
                              "(say updated: true, or give one suffix)"
                            : "column %s says updated: true, but its values are the same in both versions "
                              "(give two suffixes: [version 1, version 2])",
                    cb->col.name);
    return 0;
}

/* cents: exact hundredths (key * key_factor + (version - 1) * version_step) % modulus. */
static int parse_cents(loader *l, table_build *tb, column_build *cb, yaml_node_t *node)
{
    (void)tb;
    wb_yaml_field f[] = {{"kind", 1, NULL, NULL}, {"key_factor", 1, NULL, NULL}, {"version_step", 0, NULL, NULL},
                         {"modulus", 1, NULL, NULL}};
    if (wb_yaml_fields(&l->y, node, "a cents generator", f, (int)COUNT(f), l->e) != 0)
        return -1;
    struct wb_column_gen *g = cb->gen;
    g->kind = WB_GEN_CENTS;
    /* numeric(10,2) holds 99999999.99 at most: hundredths below 10^10 */
    if (wb_yaml_int(&l->y, f[3].value, "modulus", 1, 10000000000LL, &g->modulus, l->e) != 0)
        return -1;
    if (f[2].value && wb_yaml_int(&l->y, f[2].value, "version_step", 0, g->modulus - 1, &g->version_step, l->e) != 0)
        return -1;
    /* key * key_factor + version_step must stay within 64 bits for every key: SQLite
     * turns an integer overflow into a float */
    if (wb_yaml_int(&l->y, f[1].value, "key_factor", 0, (INT64_MAX - g->version_step) / WB_KEY_MAX, &g->key_factor,
                    l->e) != 0)
        return -1;
    int changes = g->version_step != 0;
    if (changes != cb->col.updated)
        return FAIL(l, f[2].value ? f[2].value : node,
                    changes ? "column %s: version_step changes it in version 2, but the column says updated: false"
                            : "column %s says updated: true, but without a version_step its values are the same "
                              "in both versions",
                    cb->col.name);
    cb->repeats = "cents are taken modulo their modulus, so they repeat";
    return 0;
}

/* foreign_key: the key of the parent row this row references, in an earlier table. */
static int parse_foreign_key(loader *l, table_build *tb, column_build *cb, yaml_node_t *node)
{
    wb_yaml_field f[] = {{"kind", 1, NULL, NULL}, {"references", 1, NULL, NULL}, {"parent", 0, NULL, NULL}};
    if (wb_yaml_fields(&l->y, node, "a foreign_key generator", f, (int)COUNT(f), l->e) != 0)
        return -1;
    struct wb_column_gen *g = cb->gen;
    g->kind = WB_GEN_KEY;
    g->parent_row = WB_PARENT_SAME;
    const char *parent;
    size_t len;
    if (wb_yaml_string(&l->y, f[1].value, "references", &parent, &len, l->e) != 0)
        return -1;
    int found = 0;
    for (int i = 0; i < l->ntables && !found; i++)
        found = strcmp(l->tables[i].name, parent) == 0;
    if (!found) {
        if (strcmp(parent, tb->name) == 0)
            return FAIL(l, f[1].value, "table %s references itself: a foreign key must name an earlier table",
                        tb->name);
        for (int i = l->ntables + 1; i < (int)(l->table_list->data.sequence.items.top -
                                                l->table_list->data.sequence.items.start); i++) {
            yaml_node_t *later = wb_yaml_item(&l->y, l->table_list, i);
            for (yaml_node_pair_t *p = later->type == YAML_MAPPING_NODE ? later->data.mapping.pairs.start : NULL;
                 p && p < later->data.mapping.pairs.top; p++) {
                const char *key, *name;
                if (wb_yaml_is_scalar(yaml_document_get_node(&l->y.doc, p->key), &key) && strcmp(key, "name") == 0 &&
                    wb_yaml_is_scalar(yaml_document_get_node(&l->y.doc, p->value), &name) && strcmp(name, parent) == 0)
                    return FAIL(l, f[1].value,
                                "foreign key to table %s, which comes after table %s: tables are listed parents "
                                "first, so a foreign key must name an earlier table",
                                parent, tb->name);
            }
        }
        return FAIL(l, f[1].value,
                    "foreign key to '%.60s', which is not an earlier table of the workload (tables are listed "
                    "parents first)",
                    parent);
    }
    cb->references = copy_text(l->lw, parent, len);
    if (f[2].value) {
        const char *same;
        if (wb_yaml_is_scalar(f[2].value, &same)) {
            if (strcmp(same, "same") != 0)
                return FAIL(l, f[2].value, "parent must be same, {modulo: N} or {children_per_parent: N}");
        } else {
            wb_yaml_field p[] = {{"modulo", 0, NULL, NULL}, {"children_per_parent", 0, NULL, NULL}};
            if (wb_yaml_fields(&l->y, f[2].value, "parent", p, 2, l->e) != 0)
                return -1;
            if (!p[0].value == !p[1].value)
                return FAIL(l, f[2].value, "parent takes one of modulo and children_per_parent");
            int modulo = p[0].value != NULL;
            g->parent_row = modulo ? WB_PARENT_MODULO : WB_PARENT_GROUP;
            if (wb_yaml_int(&l->y, modulo ? p[0].value : p[1].value, modulo ? "modulo" : "children_per_parent", 1,
                            WB_KEY_MAX, &g->parent_n, l->e) != 0)
                return -1;
        }
    }
    if (cb->col.updated)
        return FAIL(l, node, "column %s: a foreign key's values are the same in both versions (updated: false)",
                    cb->col.name);
    if (g->parent_row == WB_PARENT_MODULO)
        cb->repeats = "a foreign key with parent modulo N references each parent again every N rows";
    else if (g->parent_row == WB_PARENT_GROUP)
        cb->repeats = "a foreign key with children_per_parent references each parent from several rows";
    return 0;
}

/* A generator kind: what it makes, whether hostile rows apply to it, its parser. */
typedef struct gen_def {
    const char *kind;
    wb_type makes;
    int hostile; /* hostile values apply (on unless the column says hostile: false) */
    int (*parse)(loader *l, table_build *tb, column_build *cb, yaml_node_t *node);
} gen_def;

static const gen_def gen_defs[] = {
    {"pattern", WB_TYPE_TEXT, 1, parse_pattern},
    {"cents", WB_TYPE_DECIMAL, 1, parse_cents},
    {"foreign_key", WB_TYPE_INT64, 0, parse_foreign_key},
};

static const char *const type_words[] = {[WB_TYPE_INT64] = "bigint", [WB_TYPE_TEXT] = "text or varchar(n)",
                                         [WB_TYPE_DECIMAL] = "numeric(10,2)"};

/* The generator mapping node of column cb: its kind first, then the kind's own keys. */
static int parse_generator(loader *l, table_build *tb, column_build *cb, yaml_node_t *node, const gen_def **def)
{
    if (node->type != YAML_MAPPING_NODE)
        return FAIL(l, node, "a generator must be a mapping with its kind and parameters ({kind: pattern, ...})");
    yaml_node_t *kind = NULL;
    for (yaml_node_pair_t *p = node->data.mapping.pairs.start; p < node->data.mapping.pairs.top && !kind; p++) {
        const char *key;
        if (wb_yaml_is_scalar(yaml_document_get_node(&l->y.doc, p->key), &key) && strcmp(key, "kind") == 0)
            kind = yaml_document_get_node(&l->y.doc, p->value);
    }
    if (!kind)
        return FAIL(l, node, "the generator needs the key 'kind'");
    const char *name;
    size_t len;
    if (wb_yaml_string(&l->y, kind, "the generator's kind", &name, &len, l->e) != 0)
        return -1;
    *def = NULL;
    for (size_t i = 0; i < COUNT(gen_defs) && !*def; i++)
        if (strcmp(gen_defs[i].kind, name) == 0)
            *def = &gen_defs[i];
    if (!*def) {
        char known[256] = "";
        size_t used = 0;
        for (size_t i = 0; i < COUNT(gen_defs); i++)
            used += (size_t)snprintf(known + used, sizeof known - used, "%s%s", i ? ", " : "", gen_defs[i].kind);
        return FAIL(l, kind, "unknown generator '%.60s' (the generators are: %s)", name, known);
    }
    if ((*def)->makes != cb->col.type)
        return FAIL(l, kind, "generator %s makes %s values, but column %s is %s", name, type_words[(*def)->makes],
                    cb->col.name, cb->col.sql_type);
    cb->gen->hostile = (*def)->hostile;
    return (*def)->parse(l, tb, cb, node);
}

/* hostile: true, false or {offset: N}. */
static int parse_hostile(loader *l, column_build *cb, const gen_def *def, yaml_node_t *node)
{
    int on = 1;
    if (node->type == YAML_MAPPING_NODE) {
        wb_yaml_field f[] = {{"offset", 1, NULL, NULL}};
        if (wb_yaml_fields(&l->y, node, "hostile", f, 1, l->e) != 0 ||
            wb_yaml_int(&l->y, f[0].value, "hostile offset", 0, WB_HOSTILE_KINDS - 1, &cb->gen->hostile_offset,
                        l->e) != 0)
            return -1;
    } else if (wb_yaml_bool(&l->y, node, "hostile (true, false or {offset: N})", &on, l->e) != 0) {
        return -1;
    }
    if (on && !def->hostile)
        return FAIL(l, node, "generator %s takes no hostile values", def->kind);
    cb->gen->hostile = on;
    return 0;
}

/* ---- tables ---- */

static int parse_column(loader *l, table_build *tb, yaml_node_t *node)
{
    column_build *cb = &tb->columns[tb->ncolumns];
    memset(cb, 0, sizeof *cb);
    cb->node = node;
    wb_yaml_field f[] = {{"name", 1, NULL, NULL},     {"type", 1, NULL, NULL},      {"nullable", 0, NULL, NULL},
                         {"updated", 0, NULL, NULL},  {"generator", 1, NULL, NULL}, {"hostile", 0, NULL, NULL}};
    if (wb_yaml_fields(&l->y, node, "a column", f, (int)COUNT(f), l->e) != 0 ||
        read_name(l, f[0].value, "a column's name", IDENTIFIER_MAX_BYTES, 0, &cb->col.name) != 0)
        return -1;
    for (int i = 0; i < tb->ncolumns; i++)
        if (strcasecmp(tb->columns[i].col.name, cb->col.name) == 0)
            return FAIL(l, f[0].value, "table %s has two columns named %s", tb->name, cb->col.name);
    cb->type_node = f[1].value;
    cb->gen_node = f[4].value;
    cb->col.nullable = 1; /* SQL's default */
    if (parse_type(l, f[1].value, cb) != 0 ||
        (f[2].value && wb_yaml_bool(&l->y, f[2].value, "nullable", &cb->col.nullable, l->e) != 0) ||
        (f[3].value && wb_yaml_bool(&l->y, f[3].value, "updated", &cb->col.updated, l->e) != 0))
        return -1;
    cb->gen = alloc(l->lw, sizeof *cb->gen);
    cb->col.gen = cb->gen;
    const gen_def *def = NULL;
    if (parse_generator(l, tb, cb, f[4].value, &def) != 0 || (f[5].value && parse_hostile(l, cb, def, f[5].value)))
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

static int parse_index(loader *l, table_build *tb, yaml_node_t *node)
{
    wb_index *ix = &tb->indexes[tb->nindexes];
    wb_yaml_field f[] = {{"name", 0, NULL, NULL}, {"columns", 1, NULL, NULL}, {"unique", 0, NULL, NULL}};
    if (wb_yaml_fields(&l->y, node, "an index", f, (int)COUNT(f), l->e) != 0)
        return -1;
    int n = wb_yaml_count(&l->y, f[1].value, "an index's columns", 1, WB_MAX_COLUMNS, l->e);
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

/* A CHECK constraint goes into CREATE TABLE as it is written: it must be one
 * expression, so nothing in it may end the statement or hide the rest. */
static int parse_check(loader *l, table_build *tb, yaml_node_t *node)
{
    const char *s;
    size_t len;
    if (wb_yaml_string(&l->y, node, "a check", &s, &len, l->e) != 0)
        return -1;
    if (len == 0 || len > CHECK_MAX_BYTES)
        return FAIL(l, node, "a check must be an SQL expression of 1 to %d bytes", CHECK_MAX_BYTES);
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
            return FAIL(l, node, "check '%.60s': a ')' without its '('", s);
        else if (c == ';' || (c == '-' && s[i + 1] == '-') || (c == '/' && s[i + 1] == '*'))
            return FAIL(l, node, "check '%.60s': one expression, without ';' or comments", s);
    }
    if (quote || depth)
        return FAIL(l, node, "check '%.60s': an unclosed %s", s, quote ? "quote" : "'('");
    tb->checks[tb->nchecks++] = copy_text(l->lw, s, len);
    return 0;
}

/* Decimal digits of v >= 0. */
static int64_t digits(int64_t v)
{
    int64_t n = 1;
    while (v >= 10) {
        v /= 10;
        n++;
    }
    return n;
}

/* Characters of the UTF-8 text s. */
static int64_t chars_of(wb_str s)
{
    int64_t n = 0;
    for (size_t i = 0; i < s.len; i++)
        n += ((unsigned char)s.s[i] & 0xc0) != 0x80;
    return n;
}

/* The longest value column cb can hold for any key up to WB_KEY_MAX, in characters
 * and in bytes. */
static void longest_value(const column_build *cb, int64_t *chars, int64_t *bytes)
{
    const struct wb_column_gen *g = cb->gen;
    switch (g->kind) {
    case WB_GEN_KEY:
        *chars = *bytes = digits(wb_parent_key(g, WB_KEY_MAX));
        return;
    case WB_GEN_CENTS:
        *chars = *bytes = digits((g->modulus - 1) / 100) + 3;
        return;
    case WB_GEN_TEXT: {
        int64_t deco_chars = 0, deco_bytes = 0;
        for (int k = 0; g->hostile && k < WB_HOSTILE_KINDS; k++)
            if (wb_hostile_effect_of(&cb->col, k) == WB_EFFECT_DECORATE) {
                int64_t c = chars_of(wb_hostile_kinds[k].decoration);
                deco_chars = c > deco_chars ? c : deco_chars;
                deco_bytes = (int64_t)wb_hostile_kinds[k].decoration.len > deco_bytes
                                 ? (int64_t)wb_hostile_kinds[k].decoration.len
                                 : deco_bytes;
            }
        int64_t number = digits(g->modulo ? g->modulo - 1 : WB_KEY_MAX);
        int64_t s0 = chars_of(g->suffix[0]), s1 = chars_of(g->suffix[1]);
        size_t b0 = g->suffix[0].len, b1 = g->suffix[1].len;
        *chars = deco_chars + chars_of(g->prefix) + number + (s0 > s1 ? s0 : s1);
        *bytes = deco_bytes + (int64_t)g->prefix.len + number + (int64_t)(b0 > b1 ? b0 : b1);
        return;
    }
    }
    *chars = *bytes = 0;
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
            if (cb->gen->kind == WB_GEN_TEXT)
                cb->repeats = pattern_repeats(cb->gen);
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

/* Lengths: varchar(n) holds every value, and a whole row fits wb_row. */
static int check_lengths(loader *l, table_build *tb)
{
    int64_t row_bytes = 0;
    for (int c = 0; c < tb->ncolumns; c++) {
        column_build *cb = &tb->columns[c];
        int64_t chars, bytes;
        longest_value(cb, &chars, &bytes);
        cb->col.max_chars = chars; /* a backend may declare an indexed text column as long as this */
        if (cb->varchar_chars && chars > cb->varchar_chars)
            return FAIL(l, cb->type_node,
                        "column %s is %s, but its values reach %lld characters (keys up to %lld, hostile "
                        "decorations included)",
                        cb->col.name, cb->col.sql_type, (long long)chars, (long long)WB_KEY_MAX);
        row_bytes += bytes + 2; /* its NUL, and the test-only perturbation's byte */
    }
    if (row_bytes > WB_ROW_TEXT_BYTES)
        return FAIL(l, tb->node, "a row of table %s can reach %lld bytes of values; at most %d fit in a row",
                    tb->name, (long long)row_bytes, WB_ROW_TEXT_BYTES);
    return 0;
}

static int parse_table(loader *l, yaml_node_t *node, table_build *tb)
{
    memset(tb, 0, sizeof *tb);
    tb->node = node;
    wb_yaml_field f[] = {{"name", 1, NULL, NULL},    {"key", 1, NULL, NULL},    {"columns", 1, NULL, NULL},
                         {"indexes", 0, NULL, NULL}, {"checks", 0, NULL, NULL}};
    if (wb_yaml_fields(&l->y, node, "a table", f, (int)COUNT(f), l->e) != 0 ||
        read_name(l, f[0].value, "a table's name", WB_NAME_MAX, 1, &tb->name) != 0)
        return -1;
    for (int i = 0; i < l->ntables; i++)
        if (strcasecmp(l->tables[i].name, tb->name) == 0)
            return FAIL(l, f[0].value, "two tables named %s", tb->name);
    /* the key: column 0, keys 1..N */
    column_build *key = &tb->columns[0];
    if (read_name(l, f[1].value, "the key column's name", IDENTIFIER_MAX_BYTES, 0, &key->col.name) != 0)
        return -1;
    key->col.type = WB_TYPE_INT64;
    key->col.sql_type = key->col.type_name = "bigint";
    key->col.gen = key->gen = alloc(l->lw, sizeof *key->gen);
    key->gen->kind = WB_GEN_KEY;
    key->gen->parent_row = WB_PARENT_SAME;
    key->node = key->type_node = key->gen_node = f[1].value;
    tb->ncolumns = 1;
    int n = wb_yaml_count(&l->y, f[2].value, "columns", 1, WB_MAX_COLUMNS - 1, l->e);
    if (n < 0)
        return -1;
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
    t->indexes = tb->indexes;
    t->nindexes = tb->nindexes;
    t->checks = tb->checks;
    t->nchecks = tb->nchecks;
    t->foreign_keys = fks;
    t->nforeign_keys = nfks;
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
    for (int i = 0; i < SAMPLE_LOW_KEYS + SAMPLE_HIGH_KEYS; i++) {
        int64_t key = i < SAMPLE_LOW_KEYS ? i + 1 : WB_KEY_MAX - (i - SAMPLE_LOW_KEYS);
        wb_row v1, v2;
        wb_row_make(t, key, 1, &v1);
        wb_row_make(t, key, 2, &v2);
        for (int c = 1; c < t->ncolumns; c++)
            if (same_value(&v1.v[c], &v2.v[c]) == t->columns[c].updated)
                return FAIL(l, tb->columns[c].gen_node,
                            t->columns[c].updated
                                ? "column %s: version 2 gives key %lld the same value as version 1; a column "
                                  "that version 2 changes must differ in every row"
                                : "column %s: version 2 changes key %lld's value, though the column says "
                                  "updated: false",
                            t->columns[c].name, (long long)key);
    }
    return 0;
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
        for (int version = 1; version <= 2; version++)
            for (int64_t key = 1; key <= UNIQUE_SAMPLE_KEYS; key++) {
                wb_row r;
                wb_row_make(t, key, version, &r);
                if (!r.v[c].is_null) /* NULLs never collide in a unique index */
                    values[n++] = (sampled){wb_xstrdup(r.v[c].text), key, version};
            }
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

/* Append s as a quoted, visible string ('tab\t'). */
static void put_shown(wb_buf *out, wb_str s)
{
    wb_display_text(out, s.s, s.len);
}

void wb_column_describe(const wb_column *c, wb_buf *out)
{
    const struct wb_column_gen *g = c->gen;
    switch (g->kind) {
    case WB_GEN_KEY:
        if (g->parent_row == WB_PARENT_SAME)
            wb_buf_puts(out, "k");
        else
            wb_buf_printf(out, "(k - 1) %c %lld + 1", g->parent_row == WB_PARENT_MODULO ? '%' : '/',
                          (long long)g->parent_n);
        break;
    case WB_GEN_TEXT:
        put_shown(out, g->prefix);
        wb_buf_puts(out, g->modulo ? " || (k % " : " || k || ");
        if (g->modulo)
            wb_buf_printf(out, "%lld) || ", (long long)g->modulo);
        put_shown(out, g->suffix[0]);
        if (c->updated) {
            wb_buf_puts(out, " (version 2: suffix ");
            put_shown(out, g->suffix[1]);
            wb_buf_putc(out, ')');
        }
        break;
    case WB_GEN_CENTS:
        wb_buf_printf(out, "((k * %lld", (long long)g->key_factor);
        if (c->updated)
            wb_buf_printf(out, " + (v - 1) * %lld", (long long)g->version_step);
        wb_buf_printf(out, ") %% %lld) / 100", (long long)g->modulus);
        break;
    }
    if (g->hostile)
        wb_buf_printf(out, "; hostile rows, offset %lld", (long long)g->hostile_offset);
}

int wb_workload_threads_split(const wb_workload *w, char *why, size_t n)
{
    for (int t = 0; t < w->ntables; t++)
        for (int i = 0; i < w->tables[t].nforeign_keys; i++) {
            const wb_foreign_key *fk = &w->tables[t].foreign_keys[i];
            const wb_column *c = &w->tables[t].columns[wb_table_column_index(&w->tables[t], fk->column)];
            if (c->gen->parent_row == WB_PARENT_SAME)
                continue;
            wb_buf how = WB_BUF_INIT;
            wb_column_describe(c, &how);
            snprintf(why, n, "%s.%s references %s row %s", w->tables[t].name, fk->column, fk->table, wb_buf_str(&how));
            wb_buf_free(&how);
            return 0;
        }
    return 1;
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

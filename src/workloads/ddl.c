/* Reading CREATE TABLE statements with PostgreSQL's own parser (ddl.h).
 *
 * libpg_query parses the whole file as PostgreSQL 15 would; this file walks the
 * statements it cares about, one handler per statement kind in a table, and
 * records what they say in a wb_schema_desc. Expressions (CHECK, DEFAULT, a
 * partial index's WHERE, a generated column's AS) are kept as their exact source
 * text, cut out by the parser's byte offsets and the scanner's tokens, not
 * printed back from the tree: the workload file then shows what the user wrote.
 * Positions in messages count lines and characters from 1, as editors do
 * (libpg_query's error cursor counts characters too). */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "util/buf.h"
#include "util/fs.h"
#include "util/utf8.h"
#include "workloads/ddl.h"
#include "workloads/pgq.h"

#define MAX_SKIPPED_KINDS 32

typedef struct enum_type {
    char *name;
    PgQuery__CreateEnumStmt *stmt;
} enum_type;

typedef struct skipped {
    char what[96];
    int count;
} skipped;

typedef struct reader {
    const char *label;
    wb_pgq q;
    wb_schema_desc *d;
    wb_error *e;
    enum_type enums[64];
    int nenums;
    skipped skips[MAX_SKIPPED_KINDS];
    int nskips;
    int stmt_start, stmt_end; /* the statement being read, as byte offsets */
} reader;

static int fail_at(reader *r, int offset, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* One line "FILE:LINE:COLUMN: message" for the byte offset. */
static int fail_at(reader *r, int offset, const char *fmt, ...)
{
    char msg[900];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    wb_desc_pos p = wb_pgq_position(r->q.text, offset < 0 ? (size_t)r->stmt_start : (size_t)offset);
    return wb_fail(r->e, "%s:%d:%d: %s", r->label, p.line, p.column, msg);
}

static wb_desc_pos pos_of(reader *r, int offset)
{
    return wb_pgq_position(r->q.text, offset < 0 ? (size_t)r->stmt_start : (size_t)offset);
}

/* Count a statement (or part of one) that was left out, by kind. */
static void skip(reader *r, const char *what)
{
    for (int i = 0; i < r->nskips; i++)
        if (strcmp(r->skips[i].what, what) == 0) {
            r->skips[i].count++;
            return;
        }
    if (r->nskips < MAX_SKIPPED_KINDS) {
        snprintf(r->skips[r->nskips].what, sizeof r->skips[r->nskips].what, "%s", what);
        r->skips[r->nskips++].count = 1;
    }
}

/* The source text [start, end) in the description's memory. */
static char *source_text(reader *r, int start, int end)
{
    return wb_desc_strndup(r->d, r->q.text + start, (size_t)(end - start));
}

/* ---- types ---- */

/* The type as PostgreSQL's grammar made it: its own name for a built-in one
 * ("int4", "varchar(30)", "bpchar(2)", "timestamptz"), the last part of a
 * qualified user type's name, then its modifiers and "[]" per array dimension. */
static char *type_text(reader *r, const PgQuery__TypeName *tn)
{
    wb_buf b = WB_BUF_INIT;
    const char *last = tn->n_names ? wb_pgq_string(tn->names[tn->n_names - 1]) : NULL;
    wb_buf_puts(&b, last ? last : "?");
    if (tn->n_typmods) {
        wb_buf_putc(&b, '(');
        for (size_t i = 0; i < tn->n_typmods; i++) {
            const PgQuery__Node *m = tn->typmods[i];
            if (i)
                wb_buf_putc(&b, ',');
            if (m->node_case == PG_QUERY__NODE__NODE_A_CONST && m->a_const->val_case == PG_QUERY__A__CONST__VAL_IVAL)
                wb_buf_printf(&b, "%d", m->a_const->ival->ival);
            else
                wb_buf_putc(&b, '?');
        }
        wb_buf_putc(&b, ')');
    }
    for (size_t i = 0; i < tn->n_array_bounds; i++)
        wb_buf_puts(&b, "[]");
    char *s = wb_desc_strdup(r->d, wb_buf_str(&b));
    wb_buf_free(&b);
    return s;
}

/* serial types: the integer type they stand for. */
static const struct {
    const char *serial;
    const char *type;
} serial_types[] = {
    {"serial", "int4"},      {"serial4", "int4"}, {"bigserial", "int8"},
    {"serial8", "int8"},     {"smallserial", "int2"}, {"serial2", "int2"},
};

/* ---- constraints ---- */

/* Whether expression n is nextval(...): the column counts by itself (serial). */
static int is_nextval(const PgQuery__Node *n)
{
    if (!n || n->node_case != PG_QUERY__NODE__NODE_FUNC_CALL || n->func_call->n_funcname == 0)
        return 0;
    const char *name = wb_pgq_string(n->func_call->funcname[n->func_call->n_funcname - 1]);
    return name && strcmp(name, "nextval") == 0;
}

/* A list of column names (String nodes) into a list of the description. */
static void name_list(reader *r, PgQuery__Node **items, size_t n, char ***out, int *count, int *cap)
{
    for (size_t i = 0; i < n; i++)
        wb_desc_push_string(r->d, out, count, cap, wb_pgq_string(items[i]));
}

/* The text of a DEFAULT: from the token after DEFAULT to the next constraint of the
 * column, or the end of the column's definition. */
static char *default_text(reader *r, int location)
{
    static const int stops[] = {
        PG_QUERY__TOKEN__NOT,        PG_QUERY__TOKEN__NULL_P,     PG_QUERY__TOKEN__CONSTRAINT,
        PG_QUERY__TOKEN__CHECK,      PG_QUERY__TOKEN__UNIQUE,     PG_QUERY__TOKEN__PRIMARY,
        PG_QUERY__TOKEN__REFERENCES, PG_QUERY__TOKEN__GENERATED,  PG_QUERY__TOKEN__COLLATE,
        PG_QUERY__TOKEN__DEFAULT,    PG_QUERY__TOKEN__DEFERRABLE, PG_QUERY__TOKEN__INITIALLY,
    };
    size_t i = wb_pgq_token_at(&r->q, location);
    while (i < r->q.scan->n_tokens && r->q.scan->tokens[i]->token != PG_QUERY__TOKEN__DEFAULT)
        i++;
    int start, end;
    if (wb_pgq_span(&r->q, i + 1, r->stmt_end, stops, (int)(sizeof stops / sizeof stops[0]), &start, &end) != 0)
        return NULL;
    return source_text(r, start, end);
}

/* The text of an expression node that stands alone in a clause (ALTER COLUMN ... SET
 * DEFAULT expr): from its leftmost part to the end of the clause. */
static char *expression_text(reader *r, const PgQuery__Node *n)
{
    int left = wb_pgq_leftmost(n), start, end;
    if (left < 0 || wb_pgq_span(&r->q, wb_pgq_token_at(&r->q, left), r->stmt_end, NULL, 0, &start, &end) != 0)
        return NULL;
    return source_text(r, start, end);
}

/* One constraint, of column c (NULL for a table constraint) of table t. */
static int read_constraint(reader *r, wb_desc_table *t, wb_desc_column *c, const PgQuery__Constraint *k)
{
    int start, end;
    switch (k->contype) {
    case PG_QUERY__CONSTR_TYPE__CONSTR_NULL:
        if (c)
            c->not_null = false;
        return 0;
    case PG_QUERY__CONSTR_TYPE__CONSTR_NOTNULL:
        if (c)
            c->not_null = true;
        return 0;
    case PG_QUERY__CONSTR_TYPE__CONSTR_DEFAULT:
        if (c) {
            c->default_sql = default_text(r, k->location);
            if (is_nextval(k->raw_expr) && c->identity == WB_DESC_IDENTITY_NONE)
                c->identity = WB_DESC_IDENTITY_SERIAL;
        }
        return 0;
    case PG_QUERY__CONSTR_TYPE__CONSTR_IDENTITY:
        if (c) {
            c->identity = k->generated_when && k->generated_when[0] == 'a' ? WB_DESC_IDENTITY_ALWAYS
                                                                           : WB_DESC_IDENTITY_BY_DEFAULT;
            c->not_null = true;
        }
        return 0;
    case PG_QUERY__CONSTR_TYPE__CONSTR_GENERATED:
        if (c && wb_pgq_parenthesized_after(&r->q, k->location, PG_QUERY__TOKEN__AS, &start, &end) == 0)
            c->generated_sql = source_text(r, start, end);
        return 0;
    case PG_QUERY__CONSTR_TYPE__CONSTR_CHECK: {
        if (wb_pgq_parenthesized_after(&r->q, k->location, PG_QUERY__TOKEN__CHECK, &start, &end) != 0)
            return fail_at(r, k->location, "cannot find the expression of this CHECK");
        wb_desc_check *ck = wb_desc_add_check(r->d, t);
        ck->name = k->conname[0] ? wb_desc_strdup(r->d, k->conname) : NULL;
        ck->expr = source_text(r, start, end);
        ck->pos = pos_of(r, k->location);
        return 0;
    }
    case PG_QUERY__CONSTR_TYPE__CONSTR_PRIMARY:
    case PG_QUERY__CONSTR_TYPE__CONSTR_UNIQUE: {
        wb_desc_index *ix = wb_desc_add_index(r->d, t);
        ix->name = k->conname[0] ? wb_desc_strdup(r->d, k->conname) : NULL;
        ix->unique = true;
        ix->primary = k->contype == PG_QUERY__CONSTR_TYPE__CONSTR_PRIMARY;
        ix->pos = pos_of(r, k->location);
        if (c)
            wb_desc_push_string(r->d, &ix->columns, &ix->ncolumns, &ix->cap_columns, c->name);
        else
            name_list(r, k->keys, k->n_keys, &ix->columns, &ix->ncolumns, &ix->cap_columns);
        return 0;
    }
    case PG_QUERY__CONSTR_TYPE__CONSTR_FOREIGN: {
        wb_desc_fk *fk = wb_desc_add_fk(r->d, t);
        fk->name = k->conname[0] ? wb_desc_strdup(r->d, k->conname) : NULL;
        fk->pos = pos_of(r, k->location);
        if (c)
            wb_desc_push_string(r->d, &fk->columns, &fk->ncolumns, &fk->cap_columns, c->name);
        else
            name_list(r, k->fk_attrs, k->n_fk_attrs, &fk->columns, &fk->ncolumns, &fk->cap_columns);
        fk->parent_schema = k->pktable->schemaname[0] ? wb_desc_strdup(r->d, k->pktable->schemaname) : NULL;
        fk->parent_table = wb_desc_strdup(r->d, k->pktable->relname);
        name_list(r, k->pk_attrs, k->n_pk_attrs, &fk->parent_columns, &fk->nparent_columns, &fk->cap_parent_columns);
        return 0;
    }
    case PG_QUERY__CONSTR_TYPE__CONSTR_EXCLUSION:
        skip(r, "EXCLUDE constraints");
        return 0;
    default: /* DEFERRABLE, INITIALLY ...: nothing a workload has */
        return 0;
    }
}

/* ---- statements ---- */

static int read_column(reader *r, wb_desc_table *t, const PgQuery__ColumnDef *cd)
{
    if (wb_desc_find_column(t, cd->colname))
        return fail_at(r, cd->location, "table %s has two columns named %s", t->name, cd->colname);
    wb_desc_column *c = wb_desc_add_column(r->d, t);
    c->name = wb_desc_strdup(r->d, cd->colname);
    c->pos = pos_of(r, cd->location);
    c->type = type_text(r, cd->type_name);
    for (size_t i = 0; i < sizeof serial_types / sizeof serial_types[0]; i++)
        if (strcmp(c->type, serial_types[i].serial) == 0) {
            c->declared_type = c->type;
            c->type = wb_desc_strdup(r->d, serial_types[i].type);
            c->identity = WB_DESC_IDENTITY_SERIAL;
            c->not_null = true;
        }
    for (int i = 0; i < r->nenums; i++)
        if (strcmp(r->enums[i].name, c->type) == 0)
            for (size_t v = 0; v < r->enums[i].stmt->n_vals; v++)
                wb_desc_push_string(r->d, &c->enum_labels, &c->nenum_labels, &c->cap_enum_labels,
                                    wb_pgq_string(r->enums[i].stmt->vals[v]));
    for (size_t i = 0; i < cd->n_constraints; i++)
        if (read_constraint(r, t, c, cd->constraints[i]->constraint) != 0)
            return -1;
    return 0;
}

/* The table a statement names: defined earlier in the file, or an error at the name. */
static int find_table(reader *r, const PgQuery__RangeVar *rel, const char *statement, wb_desc_table **out)
{
    *out = wb_desc_find_table(r->d, rel->schemaname[0] ? rel->schemaname : NULL, rel->relname);
    if (!*out)
        return fail_at(r, rel->location, "%s names table %s, which no CREATE TABLE before it defines", statement,
                       rel->relname);
    return 0;
}

static int read_create_table(reader *r, const PgQuery__Node *n)
{
    const PgQuery__CreateStmt *s = n->create_stmt;
    if (s->partbound) {
        skip(r, "CREATE TABLE ... PARTITION OF (a partition: its parent is the table)");
        return 0;
    }
    if (s->of_typename) {
        skip(r, "CREATE TABLE ... OF type");
        return 0;
    }
    const char *schema = s->relation->schemaname[0] ? s->relation->schemaname : NULL;
    for (int i = 0; i < r->d->ntables; i++) {
        const wb_desc_table *other = r->d->tables[i];
        if (strcmp(other->name, s->relation->relname) == 0 &&
            (schema && other->schema ? strcmp(schema, other->schema) == 0 : !schema == !other->schema))
            return fail_at(r, s->relation->location, "table %s is created twice (first at line %d)",
                           s->relation->relname, other->pos.line);
    }
    wb_desc_table *t = wb_desc_add_table(r->d);
    t->schema = wb_desc_strdup(r->d, schema);
    t->name = wb_desc_strdup(r->d, s->relation->relname);
    t->pos = pos_of(r, s->relation->location);
    if (s->n_inh_relations)
        skip(r, "INHERITS (the parents' columns are not read)");
    if (s->partspec)
        skip(r, "PARTITION BY (the table is read as one table)");
    for (size_t i = 0; i < s->n_table_elts; i++) {
        const PgQuery__Node *elt = s->table_elts[i];
        int rc = 0;
        if (elt->node_case == PG_QUERY__NODE__NODE_COLUMN_DEF)
            rc = read_column(r, t, elt->column_def);
        else if (elt->node_case == PG_QUERY__NODE__NODE_CONSTRAINT)
            rc = read_constraint(r, t, NULL, elt->constraint);
        else if (elt->node_case == PG_QUERY__NODE__NODE_TABLE_LIKE_CLAUSE)
            rc = fail_at(r, elt->table_like_clause->relation->location,
                         "LIKE %s copies another table's definition, which init cannot follow: write its "
                         "columns out",
                         elt->table_like_clause->relation->relname);
        if (rc != 0)
            return -1;
    }
    for (size_t i = 0; i < s->n_constraints; i++)
        if (read_constraint(r, t, NULL, s->constraints[i]->constraint) != 0)
            return -1;
    return 0;
}

/* The first token of the statement (after any comment before it). */
static int statement_start(reader *r)
{
    size_t i = wb_pgq_token_at(&r->q, r->stmt_start);
    while (i < r->q.scan->n_tokens && (r->q.scan->tokens[i]->token == PG_QUERY__TOKEN__SQL_COMMENT ||
                                       r->q.scan->tokens[i]->token == PG_QUERY__TOKEN__C_COMMENT))
        i++;
    return i < r->q.scan->n_tokens ? r->q.scan->tokens[i]->start : r->stmt_start;
}

/* A partial index's WHERE: the text after the statement's WHERE, to its end. */
static char *where_text(reader *r)
{
    for (size_t i = wb_pgq_token_at(&r->q, r->stmt_start); i < r->q.scan->n_tokens; i++) {
        if (r->q.scan->tokens[i]->start >= r->stmt_end)
            break;
        if (r->q.scan->tokens[i]->token != PG_QUERY__TOKEN__WHERE)
            continue;
        int start, end;
        if (wb_pgq_span(&r->q, i + 1, r->stmt_end, NULL, 0, &start, &end) == 0)
            return source_text(r, start, end);
        break;
    }
    return NULL;
}

static int read_create_index(reader *r, const PgQuery__Node *n)
{
    const PgQuery__IndexStmt *s = n->index_stmt;
    wb_desc_table *t;
    if (find_table(r, s->relation, "CREATE INDEX", &t) != 0)
        return -1;
    wb_desc_index *ix = wb_desc_add_index(r->d, t);
    ix->name = s->idxname[0] ? wb_desc_strdup(r->d, s->idxname) : NULL;
    ix->unique = s->unique;
    ix->pos = pos_of(r, statement_start(r));
    if (s->access_method[0] && strcmp(s->access_method, "btree") != 0)
        ix->method = wb_desc_strdup(r->d, s->access_method);
    wb_buf expressions = WB_BUF_INIT;
    for (size_t i = 0; i < s->n_index_params; i++) {
        const PgQuery__IndexElem *el = s->index_params[i]->index_elem;
        wb_desc_push_string(r->d, &ix->columns, &ix->ncolumns, &ix->cap_columns, el->name[0] ? el->name : NULL);
        if (!el->name[0]) {
            char *text = expression_text(r, el->expr);
            wb_buf_printf(&expressions, "%s%s", expressions.len ? ", " : "", text ? text : "?");
        }
    }
    if (expressions.len)
        ix->expressions = wb_desc_strdup(r->d, wb_buf_str(&expressions));
    wb_buf_free(&expressions);
    if (s->where_clause) {
        ix->partial = true;
        ix->predicate = where_text(r);
    }
    return 0;
}

/* What ALTER TABLE ... <subtype> is called, for the notes ("AT_ChangeOwner"). */
static const char *alter_name(int subtype)
{
    const ProtobufCEnumValue *v = protobuf_c_enum_descriptor_get_value(&pg_query__alter_table_type__descriptor, subtype);
    return v ? v->name : "?";
}

static int read_alter_table(reader *r, const PgQuery__Node *n)
{
    const PgQuery__AlterTableStmt *s = n->alter_table_stmt;
    if (s->objtype != PG_QUERY__OBJECT_TYPE__OBJECT_TABLE) {
        skip(r, "ALTER of an index, sequence or view");
        return 0;
    }
    wb_desc_table *t;
    if (find_table(r, s->relation, "ALTER TABLE", &t) != 0)
        return -1;
    for (size_t i = 0; i < s->n_cmds; i++) {
        const PgQuery__AlterTableCmd *cmd = s->cmds[i]->alter_table_cmd;
        wb_desc_column *c = cmd->name[0] ? wb_desc_find_column(t, cmd->name) : NULL;
        switch (cmd->subtype) {
        case PG_QUERY__ALTER_TABLE_TYPE__AT_AddConstraint:
        case PG_QUERY__ALTER_TABLE_TYPE__AT_AddConstraintRecurse:
            if (read_constraint(r, t, NULL, cmd->def->constraint) != 0)
                return -1;
            break;
        case PG_QUERY__ALTER_TABLE_TYPE__AT_AddColumn:
        case PG_QUERY__ALTER_TABLE_TYPE__AT_AddColumnRecurse:
            if (read_column(r, t, cmd->def->column_def) != 0)
                return -1;
            break;
        case PG_QUERY__ALTER_TABLE_TYPE__AT_ColumnDefault:
        case PG_QUERY__ALTER_TABLE_TYPE__AT_SetNotNull:
        case PG_QUERY__ALTER_TABLE_TYPE__AT_AddIdentity:
            if (!c)
                return fail_at(r, s->relation->location, "ALTER TABLE %s names column %s, which it does not have",
                               t->name, cmd->name);
            if (cmd->subtype == PG_QUERY__ALTER_TABLE_TYPE__AT_SetNotNull) {
                c->not_null = true;
            } else if (cmd->subtype == PG_QUERY__ALTER_TABLE_TYPE__AT_AddIdentity) {
                if (read_constraint(r, t, c, cmd->def->constraint) != 0)
                    return -1;
            } else if (cmd->def) {
                c->default_sql = expression_text(r, cmd->def);
                if (is_nextval(cmd->def) && c->identity == WB_DESC_IDENTITY_NONE)
                    c->identity = WB_DESC_IDENTITY_SERIAL;
            } else {
                c->default_sql = NULL; /* DROP DEFAULT */
            }
            break;
        default: {
            char what[96];
            snprintf(what, sizeof what, "ALTER TABLE ... %s", alter_name(cmd->subtype));
            skip(r, what);
        }
        }
    }
    return 0;
}

static int read_create_enum(reader *r, const PgQuery__Node *n)
{
    const PgQuery__CreateEnumStmt *s = n->create_enum_stmt;
    const char *name = s->n_type_name ? wb_pgq_string(s->type_name[s->n_type_name - 1]) : NULL;
    if (!name || r->nenums == (int)(sizeof r->enums / sizeof r->enums[0])) {
        skip(r, "CREATE TYPE ... AS ENUM beyond the 64th");
        return 0;
    }
    r->enums[r->nenums].name = wb_desc_strdup(r->d, name);
    r->enums[r->nenums++].stmt = (PgQuery__CreateEnumStmt *)s;
    return 0;
}

/* The statements read; every other kind is counted in the notes. */
static const struct {
    PgQuery__Node__NodeCase node;
    int (*read)(reader *r, const PgQuery__Node *n);
} statements[] = {
    {PG_QUERY__NODE__NODE_CREATE_STMT, read_create_table},
    {PG_QUERY__NODE__NODE_INDEX_STMT, read_create_index},
    {PG_QUERY__NODE__NODE_ALTER_TABLE_STMT, read_alter_table},
    {PG_QUERY__NODE__NODE_CREATE_ENUM_STMT, read_create_enum},
};

/* What a statement kind is called ("variable_set_stmt"), for the notes. */
static const char *statement_name(int node_case)
{
    const ProtobufCFieldDescriptor *f = protobuf_c_message_descriptor_get_field(&pg_query__node__descriptor, (unsigned)node_case);
    return f ? f->name : "?";
}

/* Every column a key, index or foreign key names exists in its table. */
static int check_column_names(reader *r)
{
    for (int i = 0; i < r->d->ntables; i++) {
        const wb_desc_table *t = r->d->tables[i];
        for (int x = 0; x < t->nindexes; x++)
            for (int c = 0; c < t->indexes[x]->ncolumns; c++) {
                const char *name = t->indexes[x]->columns[c];
                wb_desc_column *col = name ? wb_desc_find_column(t, name) : NULL;
                if (name && !col)
                    return wb_fail(r->e, "%s:%d:%d: %s names column %s, which table %s does not have", r->label,
                                   t->indexes[x]->pos.line, t->indexes[x]->pos.column,
                                   t->indexes[x]->primary ? "PRIMARY KEY" : t->indexes[x]->unique ? "a unique index"
                                                                                                 : "an index",
                                   name, t->name);
                if (col && t->indexes[x]->primary)
                    col->not_null = true;
            }
        for (int f = 0; f < t->nfks; f++)
            for (int c = 0; c < t->fks[f]->ncolumns; c++)
                if (!wb_desc_find_column(t, t->fks[f]->columns[c]))
                    return wb_fail(r->e, "%s:%d:%d: FOREIGN KEY names column %s, which table %s does not have",
                                   r->label, t->fks[f]->pos.line, t->fks[f]->pos.column, t->fks[f]->columns[c],
                                   t->name);
    }
    return 0;
}

int wb_ddl_read_text(const char *label, const char *text, wb_schema_desc *out, wb_error *e)
{
    size_t bad;
    size_t len = strlen(text);
    if (!wb_utf8_valid(text, len, &bad)) {
        wb_desc_pos p = wb_pgq_position(text, bad);
        return wb_fail(e, "%s:%d:%d: not valid UTF-8", label, p.line, p.column);
    }
    reader r = {.label = label, .d = out, .e = e};
    if (wb_pgq_parse(&r.q, text) != 0) {
        wb_desc_pos p = wb_pgq_position(text, r.q.error_offset);
        return wb_fail(e, "%s:%d:%d: %s", label, p.line, p.column, r.q.error);
    }
    int rc = 0;
    for (size_t i = 0; i < r.q.tree->n_stmts && rc == 0; i++) {
        const PgQuery__RawStmt *raw = r.q.tree->stmts[i];
        r.stmt_start = raw->stmt_location;
        r.stmt_end = raw->stmt_len ? raw->stmt_location + raw->stmt_len : (int)len;
        size_t s = 0;
        while (s < sizeof statements / sizeof statements[0] && statements[s].node != raw->stmt->node_case)
            s++;
        if (s < sizeof statements / sizeof statements[0])
            rc = statements[s].read(&r, raw->stmt);
        else
            skip(&r, statement_name(raw->stmt->node_case));
    }
    if (rc == 0)
        rc = check_column_names(&r);
    for (int i = 0; rc == 0 && i < r.nskips; i++)
        wb_desc_add_note(out, "left out: %s (%d)", r.skips[i].what, r.skips[i].count);
    wb_pgq_free(&r.q);
    return rc;
}

int wb_ddl_read_file(const char *path, wb_schema_desc *out, wb_error *e)
{
    wb_buf text = WB_BUF_INIT;
    wb_error why;
    if (wb_fs_read_file(path, &text, &why) != 0) {
        wb_buf_free(&text);
        return wb_fail(e, "%s: %s", path, why.msg);
    }
    if (memchr(wb_buf_str(&text), '\0', text.len)) {
        wb_desc_pos p = wb_pgq_position(wb_buf_str(&text), strlen(wb_buf_str(&text)));
        wb_buf_free(&text);
        return wb_fail(e, "%s:%d:%d: a NUL byte: this is not an SQL text file", path, p.line, p.column);
    }
    const char *base = strrchr(path, '/');
    out->source = wb_desc_strdup(out, base ? base + 1 : path);
    int rc = wb_ddl_read_text(path, wb_buf_str(&text), out, e);
    wb_buf_free(&text);
    return rc;
}

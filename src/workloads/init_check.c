/* `workload init`: what a CHECK constraint says, read with PostgreSQL's parser.
 *
 * A check that bounds one column (col >= 0, col BETWEEN 1 AND 10, col IN ('a',
 * 'b'), col IS NOT NULL, and conjunctions of those on the same column) tells the
 * rules which values to make; the expression is kept in the workload file then,
 * because the generator is chosen to satisfy it. Anything else is IK_OTHER:
 * init cannot tell whether generated values would satisfy it, so it stays a
 * comment. The catalogs' own rendering (pg_get_constraintdef: casts, = ANY
 * (ARRAY[...])) reads the same, but is not portable to SQLite: the file then gets
 * the check written out plainly. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "workloads/init_internal.h"
#include "workloads/pgq.h"

/* The expression is parsed as the target of a SELECT; offsets in the tree are
 * then PREFIX_LEN bytes past the expression's own. */
#define PREFIX "SELECT "
#define PREFIX_LEN (sizeof PREFIX - 1)

typedef struct walker {
    wb_schema_desc *mem;
    const wb_pgq *q;
    init_check *out;
} walker;

/* The node without the casts around it; *cast set when there was one. */
static const PgQuery__Node *uncast(const PgQuery__Node *n, bool *cast)
{
    while (n && n->node_case == PG_QUERY__NODE__NODE_TYPE_CAST) {
        *cast = true;
        n = n->type_cast->arg;
    }
    return n;
}

/* The column a node names (a column reference, perhaps cast), or NULL. */
static const char *column_of(walker *w, const PgQuery__Node *n)
{
    bool cast = false;
    n = uncast(n, &cast);
    if (!n || n->node_case != PG_QUERY__NODE__NODE_COLUMN_REF || n->column_ref->n_fields == 0)
        return NULL;
    const char *name = wb_pgq_string(n->column_ref->fields[n->column_ref->n_fields - 1]);
    if (cast || n->column_ref->n_fields > 1)
        w->out->portable = false;
    return name;
}

/* A constant (perhaps cast, perhaps negated) into c; 0, or -1 when n is not one. */
static int constant_of(walker *w, const PgQuery__Node *n, init_const *c)
{
    bool cast = false;
    n = uncast(n, &cast);
    if (cast)
        w->out->portable = false;
    int negate = 0;
    if (n && n->node_case == PG_QUERY__NODE__NODE_A_EXPR && n->a_expr->kind == PG_QUERY__A__EXPR__KIND__AEXPR_OP &&
        !n->a_expr->lexpr && n->a_expr->n_name == 1 && strcmp(wb_pgq_string(n->a_expr->name[0]), "-") == 0) {
        negate = 1;
        n = uncast(n->a_expr->rexpr, &cast);
    }
    if (!n || n->node_case != PG_QUERY__NODE__NODE_A_CONST || n->a_const->isnull)
        return -1;
    const PgQuery__AConst *k = n->a_const;
    memset(c, 0, sizeof *c);
    switch (k->val_case) {
    case PG_QUERY__A__CONST__VAL_IVAL:
        c->number = true;
        c->text = wb_desc_printf(w->mem, "%s%d", negate ? "-" : "", k->ival->ival);
        break;
    case PG_QUERY__A__CONST__VAL_FVAL:
        c->number = true;
        c->text = wb_desc_printf(w->mem, "%s%s", negate ? "-" : "", k->fval->fval);
        break;
    case PG_QUERY__A__CONST__VAL_SVAL:
        if (negate)
            return -1;
        c->text = wb_desc_strdup(w->mem, k->sval->sval);
        break;
    case PG_QUERY__A__CONST__VAL_BOOLVAL:
        if (negate)
            return -1;
        c->boolean = true;
        c->text = wb_desc_strdup(w->mem, k->boolval->boolval ? "true" : "false");
        break;
    default:
        return -1;
    }
    if (c->number)
        c->value = strtod(c->text, NULL);
    return 0;
}

/* The one column of the whole check: every part must name the same. */
static int same_column(walker *w, const char *name)
{
    if (!name)
        return -1;
    if (!w->out->column)
        w->out->column = wb_desc_strdup(w->mem, name);
    return strcmp(w->out->column, name) == 0 ? 0 : -1;
}

/* Narrow a bound: the tighter of what is known and the new one. */
static void narrow(init_bound *b, const init_const *v, bool strict, int is_lower)
{
    if (b->set && b->v.number && v->number) {
        int tighter = is_lower ? v->value > b->v.value : v->value < b->v.value;
        if (!tighter && !(v->value == b->v.value && strict))
            return;
    }
    b->set = true;
    b->strict = strict;
    b->v = *v;
}

/* The kind a part makes the whole: a range and a choice do not mix. */
static int become(walker *w, init_check_kind kind)
{
    if (w->out->kind == IK_OTHER || w->out->kind == IK_NOT_NULL || w->out->kind == kind) {
        w->out->kind = kind;
        return 0;
    }
    return -1;
}

/* The values of a list node (IN (...), ARRAY[...]) as choices. */
static int choices_of(walker *w, PgQuery__Node **items, size_t n)
{
    if (become(w, IK_CHOICE) != 0 || w->out->nchoices)
        return -1;
    w->out->choices = wb_desc_alloc(w->mem, (n ? n : 1) * sizeof *w->out->choices);
    for (size_t i = 0; i < n; i++)
        if (constant_of(w, items[i], &w->out->choices[w->out->nchoices++]) != 0)
            return -1;
    return n ? 0 : -1;
}

/* col OP constant (or constant OP col) for OP in < <= > >= =. */
static int read_comparison(walker *w, const PgQuery__AExpr *x)
{
    const char *op = x->n_name == 1 ? wb_pgq_string(x->name[0]) : NULL;
    if (!op)
        return -1;
    static const struct {
        const char *op, *flipped;
        int lower, strict, equal;
    } ops[] = {
        {">=", "<=", 1, 0, 0}, {">", "<", 1, 1, 0}, {"<=", ">=", 0, 0, 0}, {"<", ">", 0, 1, 0}, {"=", "=", 0, 0, 1},
    };
    init_const c;
    const char *col = column_of(w, x->lexpr);
    int flipped = 0;
    if (!col) {
        col = column_of(w, x->rexpr);
        flipped = 1;
    }
    if (same_column(w, col) != 0 || constant_of(w, flipped ? x->lexpr : x->rexpr, &c) != 0)
        return -1;
    for (size_t i = 0; i < sizeof ops / sizeof ops[0]; i++) {
        if (strcmp(flipped ? ops[i].flipped : ops[i].op, op) != 0)
            continue;
        if (ops[i].equal)
            return choices_of(w, (PgQuery__Node **)(flipped ? &x->lexpr : &x->rexpr), 1);
        if (become(w, IK_RANGE) != 0)
            return -1;
        narrow(ops[i].lower ? &w->out->lo : &w->out->hi, &c, ops[i].strict, ops[i].lower);
        return 0;
    }
    return -1;
}

/* One part of the check; 0 when it is understood. */
static int read_node(walker *w, const PgQuery__Node *n)
{
    if (!n)
        return -1;
    switch (n->node_case) {
    case PG_QUERY__NODE__NODE_BOOL_EXPR:
        if (n->bool_expr->boolop != PG_QUERY__BOOL_EXPR_TYPE__AND_EXPR)
            return -1;
        for (size_t i = 0; i < n->bool_expr->n_args; i++)
            if (read_node(w, n->bool_expr->args[i]) != 0)
                return -1;
        return 0;
    case PG_QUERY__NODE__NODE_NULL_TEST:
        if (n->null_test->nulltesttype != PG_QUERY__NULL_TEST_TYPE__IS_NOT_NULL ||
            same_column(w, column_of(w, n->null_test->arg)) != 0)
            return -1;
        w->out->not_null = true;
        if (w->out->kind == IK_OTHER)
            w->out->kind = IK_NOT_NULL;
        return 0;
    case PG_QUERY__NODE__NODE_A_EXPR: {
        const PgQuery__AExpr *x = n->a_expr;
        switch (x->kind) {
        case PG_QUERY__A__EXPR__KIND__AEXPR_OP:
            return read_comparison(w, x);
        case PG_QUERY__A__EXPR__KIND__AEXPR_BETWEEN: {
            const PgQuery__Node *list = x->rexpr;
            init_const lo, hi;
            if (same_column(w, column_of(w, x->lexpr)) != 0 || !list ||
                list->node_case != PG_QUERY__NODE__NODE_LIST || list->list->n_items != 2 ||
                constant_of(w, list->list->items[0], &lo) != 0 || constant_of(w, list->list->items[1], &hi) != 0 ||
                become(w, IK_RANGE) != 0)
                return -1;
            narrow(&w->out->lo, &lo, false, 1);
            narrow(&w->out->hi, &hi, false, 0);
            return 0;
        }
        case PG_QUERY__A__EXPR__KIND__AEXPR_IN: {
            const char *op = x->n_name == 1 ? wb_pgq_string(x->name[0]) : NULL;
            if (!op || strcmp(op, "=") != 0 || same_column(w, column_of(w, x->lexpr)) != 0 || !x->rexpr ||
                x->rexpr->node_case != PG_QUERY__NODE__NODE_LIST)
                return -1;
            return choices_of(w, x->rexpr->list->items, x->rexpr->list->n_items);
        }
        case PG_QUERY__A__EXPR__KIND__AEXPR_OP_ANY: {
            /* the catalogs' IN: col = ANY (ARRAY[...]) */
            bool cast = false;
            const char *op = x->n_name == 1 ? wb_pgq_string(x->name[0]) : NULL;
            const PgQuery__Node *array = uncast(x->rexpr, &cast);
            w->out->portable = false;
            if (!op || strcmp(op, "=") != 0 || same_column(w, column_of(w, x->lexpr)) != 0 || !array ||
                array->node_case != PG_QUERY__NODE__NODE_A_ARRAY_EXPR)
                return -1;
            return choices_of(w, array->a_array_expr->elements, array->a_array_expr->n_elements);
        }
        default:
            return -1;
        }
    }
    default:
        return -1;
    }
}

/* Every column reference of the expression, for renaming. */
static void collect_refs(walker *w, const char *expr)
{
    const wb_pgq *q = w->q;
    w->out->refs = wb_desc_alloc(w->mem, (q->scan->n_tokens + 1) * sizeof *w->out->refs);
    for (size_t i = 0; i < q->scan->n_tokens; i++) {
        const PgQuery__ScanToken *t = q->scan->tokens[i];
        if (t->start < (int)PREFIX_LEN || (t->token != PG_QUERY__TOKEN__IDENT && t->keyword_kind ==
                                                                                    PG_QUERY__KEYWORD_KIND__NO_KEYWORD))
            continue;
        /* an identifier or an unreserved word used as one; a function's name is followed by '(' */
        if (t->token != PG_QUERY__TOKEN__IDENT && t->keyword_kind != PG_QUERY__KEYWORD_KIND__UNRESERVED_KEYWORD)
            continue;
        if (i + 1 < q->scan->n_tokens && q->scan->tokens[i + 1]->token == '(')
            continue;
        init_ref *r = &w->out->refs[w->out->nrefs++];
        r->start = t->start - (int)PREFIX_LEN;
        r->end = t->end - (int)PREFIX_LEN;
        /* the name as PostgreSQL reads it: quoted as is, plain folded to lower case */
        const char *s = expr + r->start;
        size_t len = (size_t)(r->end - r->start);
        wb_buf name = WB_BUF_INIT;
        if (len >= 2 && s[0] == '"') {
            for (size_t k = 1; k + 1 < len; k++) {
                wb_buf_putc(&name, s[k]);
                if (s[k] == '"')
                    k++;
            }
        } else {
            for (size_t k = 0; k < len; k++)
                wb_buf_putc(&name, (char)(s[k] >= 'A' && s[k] <= 'Z' ? s[k] - 'A' + 'a' : s[k]));
        }
        r->name = wb_desc_strdup(w->mem, wb_buf_str(&name));
        wb_buf_free(&name);
    }
}

void wb_init_check_merge(init_check *into, const init_check *from)
{
    if (from->lo.set)
        narrow(&into->lo, &from->lo.v, from->lo.strict, 1);
    if (from->hi.set)
        narrow(&into->hi, &from->hi.v, from->hi.strict, 0);
    into->not_null |= from->not_null;
    into->portable &= from->portable;
}

void wb_init_check_read(const char *expr, wb_schema_desc *mem, init_check *out)
{
    memset(out, 0, sizeof *out);
    out->portable = true;
    wb_buf text = WB_BUF_INIT;
    wb_buf_puts(&text, PREFIX);
    wb_buf_puts(&text, expr);
    wb_pgq q;
    if (wb_pgq_parse(&q, wb_buf_str(&text)) != 0) {
        wb_buf_free(&text);
        return;
    }
    walker w = {mem, &q, out};
    collect_refs(&w, expr);
    const PgQuery__Node *target = NULL;
    if (q.tree->n_stmts == 1 && q.tree->stmts[0]->stmt->node_case == PG_QUERY__NODE__NODE_SELECT_STMT) {
        const PgQuery__SelectStmt *sel = q.tree->stmts[0]->stmt->select_stmt;
        if (sel->n_target_list == 1 && sel->target_list[0]->node_case == PG_QUERY__NODE__NODE_RES_TARGET)
            target = sel->target_list[0]->res_target->val;
    }
    if (!target || read_node(&w, target) != 0) {
        out->kind = IK_OTHER;
        out->column = NULL;
    }
    wb_pgq_free(&q);
    wb_buf_free(&text);
}

/* libpg_query for `workload init` (pgq.h): parse and scan a text, turn offsets
 * into lines and columns, cut an expression's source text out by its tokens. */
#include <stdio.h>
#include <string.h>

#include "workloads/pgq.h"

int wb_pgq_parse(wb_pgq *q, const char *text)
{
    memset(q, 0, sizeof *q);
    q->text = text;
    q->len = strlen(text);
    PgQueryProtobufParseResult parsed = pg_query_parse_protobuf(text);
    if (parsed.error) {
        snprintf(q->error, sizeof q->error, "%s", parsed.error->message ? parsed.error->message : "syntax error");
        q->error_offset = wb_pgq_cursor_offset(text, parsed.error->cursorpos);
        pg_query_free_protobuf_parse_result(parsed);
        return -1;
    }
    q->tree = pg_query__parse_result__unpack(NULL, parsed.parse_tree.len, (const uint8_t *)parsed.parse_tree.data);
    pg_query_free_protobuf_parse_result(parsed);
    PgQueryScanResult scanned = pg_query_scan(text);
    if (!scanned.error)
        q->scan = pg_query__scan_result__unpack(NULL, scanned.pbuf.len, (const uint8_t *)scanned.pbuf.data);
    pg_query_free_scan_result(scanned);
    if (!q->tree || !q->scan) {
        snprintf(q->error, sizeof q->error, "the parser's result could not be read");
        wb_pgq_free(q);
        return -1;
    }
    return 0;
}

void wb_pgq_free(wb_pgq *q)
{
    if (q->tree)
        pg_query__parse_result__free_unpacked(q->tree, NULL);
    if (q->scan)
        pg_query__scan_result__free_unpacked(q->scan, NULL);
    q->tree = NULL;
    q->scan = NULL;
}

/* Whether byte b starts a UTF-8 character (is not a continuation byte). */
static int starts_char(unsigned char b)
{
    return (b & 0xc0) != 0x80;
}

wb_desc_pos wb_pgq_position(const char *text, size_t byte_offset)
{
    wb_desc_pos pos = {1, 1};
    for (size_t i = 0; i < byte_offset && text[i]; i++) {
        if (text[i] == '\n') {
            pos.line++;
            pos.column = 1;
        } else if (starts_char((unsigned char)text[i])) {
            pos.column++;
        }
    }
    return pos;
}

size_t wb_pgq_cursor_offset(const char *text, int cursorpos)
{
    size_t len = strlen(text);
    if (cursorpos <= 0)
        return len;
    int chars = 0;
    for (size_t i = 0; i < len; i++)
        if (starts_char((unsigned char)text[i]) && ++chars == cursorpos)
            return i;
    return len;
}

size_t wb_pgq_token_at(const wb_pgq *q, int offset)
{
    size_t lo = 0, hi = q->scan->n_tokens;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (q->scan->tokens[mid]->start < offset)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

static int is_comment(int kind)
{
    return kind == PG_QUERY__TOKEN__SQL_COMMENT || kind == PG_QUERY__TOKEN__C_COMMENT;
}

int wb_pgq_span(const wb_pgq *q, size_t i, int limit, const int *stops, int nstops, int *start, int *end)
{
    int depth = 0;
    *start = *end = -1;
    for (size_t first = i; i < q->scan->n_tokens; i++) {
        const PgQuery__ScanToken *t = q->scan->tokens[i];
        int kind = t->token;
        if (limit >= 0 && t->start >= limit)
            break;
        if (is_comment(kind))
            continue;
        if (depth == 0) {
            if (kind == ',' || kind == ';' || kind == ')' || kind == ']')
                break;
            int stop = 0;
            for (int s = 0; s < nstops && i > first; s++)
                stop |= kind == stops[s];
            if (stop)
                break;
        }
        if (kind == '(' || kind == '[')
            depth++;
        else if (kind == ')' || kind == ']')
            depth--;
        if (*start < 0)
            *start = t->start;
        *end = t->end;
    }
    return *start < 0 ? -1 : 0;
}

int wb_pgq_parenthesized_after(const wb_pgq *q, int offset, int kind, int *start, int *end)
{
    size_t i = wb_pgq_token_at(q, offset);
    while (i < q->scan->n_tokens && (int)q->scan->tokens[i]->token != kind)
        i++;
    if (i + 1 >= q->scan->n_tokens || q->scan->tokens[i + 1]->token != '(')
        return -1;
    return wb_pgq_span(q, i + 2, -1, NULL, 0, start, end);
}

const char *wb_pgq_string(const PgQuery__Node *n)
{
    return n && n->node_case == PG_QUERY__NODE__NODE_STRING ? n->string->sval : NULL;
}

int wb_pgq_leftmost(const PgQuery__Node *n)
{
    if (!n)
        return -1;
    switch (n->node_case) {
    case PG_QUERY__NODE__NODE_A_CONST: return n->a_const->location;
    case PG_QUERY__NODE__NODE_COLUMN_REF: return n->column_ref->location;
    case PG_QUERY__NODE__NODE_FUNC_CALL: return n->func_call->location;
    case PG_QUERY__NODE__NODE_SQLVALUE_FUNCTION: return n->sqlvalue_function->location;
    case PG_QUERY__NODE__NODE_TYPE_CAST: {
        int arg = wb_pgq_leftmost(n->type_cast->arg);
        return arg >= 0 ? arg : n->type_cast->location;
    }
    case PG_QUERY__NODE__NODE_A_EXPR: {
        int left = wb_pgq_leftmost(n->a_expr->lexpr);
        return left >= 0 ? left : n->a_expr->location;
    }
    case PG_QUERY__NODE__NODE_BOOL_EXPR:
        if (n->bool_expr->boolop == PG_QUERY__BOOL_EXPR_TYPE__NOT_EXPR || n->bool_expr->n_args == 0)
            return n->bool_expr->location;
        return wb_pgq_leftmost(n->bool_expr->args[0]);
    case PG_QUERY__NODE__NODE_NULL_TEST: return wb_pgq_leftmost(n->null_test->arg);
    default: return -1;
    }
}

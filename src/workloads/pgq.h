/* PostgreSQL's own parser (libpg_query, Debian's libpg-query-dev) as `workload
 * init` uses it: a text parsed into its tree (the protobuf form, walked with the
 * protobuf-c types of <pg_query/pg_query.pb-c.h>) and scanned into tokens, so
 * that an expression's exact source text (a CHECK, a DEFAULT, a partial index's
 * WHERE) can be cut out by the parser's byte offsets, and a position turned into
 * a line and column. Private to src/workloads/ (ddl.c, init_check.c). */
#ifndef WB_WORKLOADS_PGQ_H
#define WB_WORKLOADS_PGQ_H

#include <pg_query.h>
#include <pg_query/pg_query.pb-c.h>
#include <stddef.h>

#include "backends/describe.h"

typedef struct wb_pgq {
    const char *text;           /* what was parsed (the caller's, NUL-terminated) */
    size_t len;
    PgQuery__ParseResult *tree; /* its statements */
    PgQuery__ScanResult *scan;  /* its tokens, in order */
    char error[512];            /* the parser's message when it failed */
    size_t error_offset;        /* where, as a byte offset into text */
} wb_pgq;

/* Parse and scan text. Returns 0, or -1 with q->error and q->error_offset set (a
 * syntax error); wb_pgq_free in both cases. */
int wb_pgq_parse(wb_pgq *q, const char *text);
void wb_pgq_free(wb_pgq *q);

/* The line and column (in characters, 1-based) of a byte offset into text. */
wb_desc_pos wb_pgq_position(const char *text, size_t byte_offset);
/* The byte offset of libpg_query's error cursor (1-based, counted in characters, as
 * PostgreSQL counts it); 0 means the end of the text. */
size_t wb_pgq_cursor_offset(const char *text, int cursorpos);

/* The index of the first token that starts at or after byte offset (ntokens if none). */
size_t wb_pgq_token_at(const wb_pgq *q, int offset);

/* The source span [*start, *end) of the expression that begins at token i and runs
 * to (not including) the first token at parenthesis depth 0 that is ',' ';' or a
 * closing ')' or ']', or one of stops[] (token kinds) after the first token, or a
 * token starting at or after limit (a byte offset; -1 none). Comments at its edges
 * are left out. Returns -1 when the span is empty. */
int wb_pgq_span(const wb_pgq *q, size_t i, int limit, const int *stops, int nstops, int *start, int *end);

/* The span inside the parentheses that follow the first token of kind `kind` at or
 * after byte offset (CHECK (...), AS (...)); -1 when there is none. */
int wb_pgq_parenthesized_after(const wb_pgq *q, int offset, int kind, int *start, int *end);

/* A String node's text, or NULL for any other node. */
const char *wb_pgq_string(const PgQuery__Node *n);

/* The byte offset where an expression node's text begins (its leftmost part: the
 * left operand of an operator, a cast's argument), or -1 when the node has none. */
int wb_pgq_leftmost(const PgQuery__Node *n);

#endif

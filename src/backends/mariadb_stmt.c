/* The MariaDB backend's statement layer (backend.h).
 *
 * Placeholders: the generic SQL numbers its parameters as the dialect's prefix and a
 * number ("?2"), or bare "?" for the next one (as SQLite reads them: one more than
 * the highest so far); the server takes only bare '?' in the order they appear. So
 * prepare rewrites every ?n to '?' and remembers, for each marker, which parameter
 * it is: "UPDATE t SET a = ?2 WHERE id = ?1" binds parameter 2 then 1. '?' inside
 * string literals, quoted identifiers and comments is left alone.
 *
 * A statement prepared to be reused is a server-side prepared statement (the
 * binary protocol: mysql_stmt_prepare once, mysql_stmt_execute per row, values
 * sent in binary, never escaped). One prepared for a single execution
 * (WB_STMT_ONCE), as an ORM without a statement cache does, is sent as text with
 * its values inlined as literals, escaped by mysql_real_escape_string for the
 * session's sql_mode (backslashes doubled, or with NO_BACKSLASH_ESCAPES only
 * quotes doubled): what PyMySQL and mysqlclient send, and the way hostile values
 * would break if escaping were wrong.
 *
 * Values are not copied (stmt_bind_copies is false): binary binds point at the
 * caller's text, which stays valid until the execution. Integers are copied into
 * the statement, as a bind holds only a pointer. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backends/echo.h"
#include "backends/mariadb_internal.h"
#include "util/clock.h"

/* Result columns are fetched into buffers of this size first; a longer value is
 * fetched again whole (mysql_stmt_fetch_column). */
#define FETCH_BUFFER_BYTES 256

struct wb_stmt {
    wb_conn *conn;
    MYSQL *m;
    MYSQL_STMT *st;       /* NULL: sent as text with its values inlined (WB_STMT_ONCE) */
    char *sql;            /* as the caller wrote it (echo, errors) */
    char *text;           /* rewritten with bare '?' */
    int nparams;          /* the caller's parameters */
    int nmarkers;         /* '?' in text */
    int *marker_param;    /* per marker: the caller's parameter, 0-based */
    size_t *marker_at;    /* per marker: its offset in text */
    wb_bind_value *values; /* per parameter, as bound */
    long long *ints;      /* per parameter: the integer a binary bind points at */
    double *doubles;      /* per parameter: the double a binary bind points at */
    MYSQL_BIND *binds;    /* per marker */
    wb_buf literal;       /* the text statement with its values (WB_STMT_ONCE) */
};

/* The end of the quoted span starting at p (a literal, an identifier): after its
 * closing quote; doubled quotes and backslash escapes stay inside. */
static const char *skip_quoted(const char *p)
{
    char q = *p++;
    while (*p) {
        if (*p == '\\' && q == '\'' && p[1]) {
            p += 2;
            continue;
        }
        if (*p == q) {
            if (p[1] == q) {
                p += 2;
                continue;
            }
            return p + 1;
        }
        p++;
    }
    return p;
}

/* Rewrite s's placeholders (see the top of this file); -1 when a number is outside
 * 1..nparams. */
static int rewrite_markers(wb_stmt *s, wb_error *e)
{
    const char *sql = s->sql;
    size_t len = strlen(sql);
    s->text = wb_xmalloc(len + 1);
    size_t cap = 16, out = 0;
    s->marker_param = wb_xmalloc(cap * sizeof *s->marker_param);
    s->marker_at = wb_xmalloc(cap * sizeof *s->marker_at);
    int highest = 0;
    for (const char *p = sql; *p;) {
        const char *from = p;
        if (*p == '\'' || *p == '"' || *p == '`') {
            p = skip_quoted(p);
        } else if (p[0] == '-' && p[1] == '-') {
            p += strcspn(p, "\n");
        } else if (p[0] == '/' && p[1] == '*') {
            const char *end = strstr(p + 2, "*/");
            p = end ? end + 2 : p + strlen(p);
        } else if (*p == '?') {
            p++;
            int n = 0;
            if (*p >= '0' && *p <= '9') {
                long v = strtol(p, (char **)&p, 10);
                n = v > 0 && v <= 65535 ? (int)v : -1;
            } else {
                n = highest + 1;
            }
            if (n < 1 || n > s->nparams)
                return wb_fail(e, "prepare: parameter %d of a statement of %d (in: %.120s)", n, s->nparams, sql);
            if (n > highest)
                highest = n;
            if ((size_t)s->nmarkers == cap) {
                cap *= 2;
                s->marker_param = wb_xrealloc(s->marker_param, cap * sizeof *s->marker_param);
                s->marker_at = wb_xrealloc(s->marker_at, cap * sizeof *s->marker_at);
            }
            s->marker_param[s->nmarkers] = n - 1;
            s->marker_at[s->nmarkers++] = out;
            s->text[out++] = '?';
            continue;
        } else {
            p++;
        }
        memcpy(s->text + out, from, (size_t)(p - from));
        out += (size_t)(p - from);
    }
    s->text[out] = '\0';
    return 0;
}

int wb_mariadb_stmt_prepare(wb_conn *c, const char *sql, int nparams, unsigned flags, const char *name,
                            wb_stmt **out, wb_error *e)
{
    (void)name; /* no named statements: the server numbers them */
    *out = NULL;
    wb_stmt *s = wb_xcalloc(1, sizeof *s);
    s->conn = c;
    s->m = wb_mariadb_mysql(c);
    s->sql = wb_xstrdup(sql);
    s->nparams = nparams;
    int slots = nparams > 0 ? nparams : 1;
    s->values = wb_xcalloc((size_t)slots, sizeof *s->values);
    s->ints = wb_xcalloc((size_t)slots, sizeof *s->ints);
    s->doubles = wb_xcalloc((size_t)slots, sizeof *s->doubles);
    s->literal = (wb_buf)WB_BUF_INIT;
    if (rewrite_markers(s, e) != 0) {
        wb_mariadb_stmt_finalize(s);
        return -1;
    }
    s->binds = wb_xcalloc((size_t)(s->nmarkers > 0 ? s->nmarkers : 1), sizeof *s->binds);
    if (!(flags & WB_STMT_ONCE)) {
        int64_t start = wb_echo_active ? wb_clock_ns() : 0;
        s->st = mysql_stmt_init(s->m);
        int failed = !s->st || mysql_stmt_prepare(s->st, s->text, strlen(s->text)) != 0;
        if (wb_echo_active) {
            wb_buf key = WB_BUF_INIT;
            wb_buf_printf(&key, "PREPARE AS %s", sql);
            wb_echo_record(wb_buf_str(&key), NULL, wb_clock_ns() - start);
            wb_buf_free(&key);
        }
        if (failed) {
            if (s->st)
                wb_fail(e, "prepare: %s [error %u, SQLSTATE %s] (in: %.120s)", mysql_stmt_error(s->st),
                        mysql_stmt_errno(s->st), mysql_stmt_sqlstate(s->st), sql);
            else
                wb_mariadb_fail(e, s->m, "prepare");
            wb_mariadb_stmt_finalize(s);
            return -1;
        }
        if ((int)mysql_stmt_param_count(s->st) != s->nmarkers) {
            wb_fail(e, "prepare: the server counts %lu parameters where writebench counts %d (in: %.120s)",
                    mysql_stmt_param_count(s->st), s->nmarkers, sql);
            wb_mariadb_stmt_finalize(s);
            return -1;
        }
    }
    *out = s;
    return 0;
}

int wb_mariadb_stmt_bind(wb_stmt *s, int first, int n, const wb_bind_value *values, wb_error *e)
{
    if (first < 0 || first + n > s->nparams)
        return wb_fail(e, "bind: parameters %d..%d of a statement of %d", first + 1, first + n, s->nparams);
    memcpy(s->values + first, values, (size_t)n * sizeof *values);
    return 0;
}

/* Fill the binary binds from the bound values. */
static void make_binds(wb_stmt *s)
{
    for (int i = 0; i < s->nmarkers; i++) {
        int p = s->marker_param[i];
        const wb_bind_value *v = &s->values[p];
        MYSQL_BIND *b = &s->binds[i];
        memset(b, 0, sizeof *b);
        switch (v->type) {
        case WB_BIND_NULL:
            b->buffer_type = MYSQL_TYPE_NULL;
            break;
        case WB_BIND_INT64:
        case WB_BIND_BOOL: /* 0 or 1: BOOLEAN is TINYINT(1) */
            s->ints[p] = (long long)v->i64;
            b->buffer_type = MYSQL_TYPE_LONGLONG;
            b->buffer = &s->ints[p];
            break;
        case WB_BIND_DOUBLE:
            s->doubles[p] = v->f64;
            b->buffer_type = MYSQL_TYPE_DOUBLE;
            b->buffer = &s->doubles[p];
            break;
        case WB_BIND_TEXT:
        case WB_BIND_BYTES:
            b->buffer_type = v->type == WB_BIND_BYTES ? MYSQL_TYPE_BLOB : MYSQL_TYPE_STRING;
            b->buffer = (void *)v->text;
            b->buffer_length = (unsigned long)v->len;
            b->length_value = (unsigned long)v->len;
            b->length = &b->length_value;
            break;
        }
    }
}

/* The text statement with its values inlined, escaped for the session's sql_mode. */
static void make_literal(wb_stmt *s)
{
    wb_buf *out = &s->literal;
    wb_buf_reset(out);
    size_t at = 0;
    for (int i = 0; i < s->nmarkers; i++) {
        wb_buf_append(out, s->text + at, s->marker_at[i] - at);
        at = s->marker_at[i] + 1;
        const wb_bind_value *v = &s->values[s->marker_param[i]];
        switch (v->type) {
        case WB_BIND_NULL:
            wb_buf_puts(out, "NULL");
            break;
        case WB_BIND_INT64:
        case WB_BIND_BOOL:
            wb_buf_printf(out, "%lld", (long long)v->i64);
            break;
        case WB_BIND_DOUBLE: /* 17 digits: the same double back; an exponent keeps it a double */
            wb_buf_printf(out, "%.17e", v->f64);
            break;
        case WB_BIND_BYTES: {
            static const char hex[] = "0123456789abcdef";
            wb_buf_puts(out, "X'");
            for (size_t j = 0; j < v->len; j++) {
                wb_buf_putc(out, hex[(unsigned char)v->text[j] >> 4]);
                wb_buf_putc(out, hex[(unsigned char)v->text[j] & 15]);
            }
            wb_buf_putc(out, '\'');
            break;
        }
        case WB_BIND_TEXT: {
            wb_buf_reserve(out, 2 * v->len + 3);
            out->data[out->len++] = '\'';
            out->len += mysql_real_escape_string(s->m, out->data + out->len, v->text, (unsigned long)v->len);
            out->data[out->len++] = '\'';
            out->data[out->len] = '\0';
            break;
        }
        }
    }
    wb_buf_puts(out, s->text + at);
}

/* Forget the bound values. */
static void clear_values(wb_stmt *s)
{
    memset(s->values, 0, (size_t)(s->nparams > 0 ? s->nparams : 1) * sizeof *s->values);
}

/* Counted as a commit: a statement that returns no rows (a write) run outside a
 * transaction, which autocommit commits. */
static void count_autocommit(wb_stmt *s, int returned_rows)
{
    if (!returned_rows && !wb_mariadb_in_transaction(s->conn))
        wb_mariadb_count_commit(s->conn);
}

/* The rows of an executed binary statement, as text, to fn. */
static int fetch_binary_rows(wb_stmt *s, MYSQL_RES *meta, wb_row_fn fn, void *arg, int64_t *rows, const char *what,
                             wb_error *e)
{
    unsigned ncols = mysql_num_fields(meta);
    MYSQL_FIELD *fields = mysql_fetch_fields(meta);
    MYSQL_BIND *out = wb_xcalloc(ncols ? ncols : 1, sizeof *out);
    char **buffers = wb_xcalloc(ncols ? ncols : 1, sizeof *buffers);
    unsigned long *lengths = wb_xcalloc(ncols ? ncols : 1, sizeof *lengths);
    my_bool *nulls = wb_xcalloc(ncols ? ncols : 1, sizeof *nulls);
    size_t *caps = wb_xcalloc(ncols ? ncols : 1, sizeof *caps);
    const char **names = wb_xcalloc(ncols ? ncols : 1, sizeof *names);
    const char **values = wb_xcalloc(ncols ? ncols : 1, sizeof *values);
    for (unsigned i = 0; i < ncols; i++) {
        caps[i] = FETCH_BUFFER_BYTES;
        buffers[i] = wb_xmalloc(caps[i] + 1);
        out[i].buffer_type = MYSQL_TYPE_STRING;
        out[i].buffer = buffers[i];
        out[i].buffer_length = (unsigned long)caps[i];
        out[i].length = &lengths[i];
        out[i].is_null = &nulls[i];
        names[i] = fields[i].name;
    }
    int rc = 0, stopped = 0;
    int64_t n = 0;
    if (mysql_stmt_bind_result(s->st, out) != 0)
        rc = wb_fail(e, "%s: %s", what, mysql_stmt_error(s->st));
    while (rc == 0) {
        int got = mysql_stmt_fetch(s->st);
        if (got == MYSQL_NO_DATA)
            break;
        if (got == 1) {
            rc = wb_fail(e, "%s: %s [error %u]", what, mysql_stmt_error(s->st), mysql_stmt_errno(s->st));
            break;
        }
        n++;
        if (stopped || !fn)
            continue;
        for (unsigned i = 0; i < ncols; i++) {
            if (got == MYSQL_DATA_TRUNCATED && !nulls[i] && lengths[i] > caps[i]) {
                caps[i] = lengths[i];
                buffers[i] = wb_xrealloc(buffers[i], caps[i] + 1);
                out[i].buffer = buffers[i];
                out[i].buffer_length = (unsigned long)caps[i];
                mysql_stmt_fetch_column(s->st, &out[i], i, 0);
                mysql_stmt_bind_result(s->st, out); /* the next row into the larger buffer */
            }
            size_t len = lengths[i] < caps[i] ? lengths[i] : caps[i];
            buffers[i][len] = '\0';
            values[i] = nulls[i] ? NULL : buffers[i];
        }
        stopped = fn(arg, (int)ncols, names, values) != 0;
    }
    for (unsigned i = 0; i < ncols; i++)
        free(buffers[i]);
    free(out);
    free(buffers);
    free(lengths);
    free(nulls);
    free(caps);
    free(names);
    free(values);
    mysql_stmt_free_result(s->st);
    if (rows)
        *rows = n;
    return rc;
}

/* Execute the binary statement. */
static int exec_binary(wb_stmt *s, const char *what, wb_row_fn fn, void *arg, int64_t *rows, wb_error *e)
{
    make_binds(s);
    if (mysql_stmt_bind_param(s->st, s->binds) != 0 || mysql_stmt_execute(s->st) != 0) {
        wb_mariadb_note_stmt_errno(s->conn, mysql_stmt_errno(s->st));
        return wb_fail(e, "%s: %s [error %u, SQLSTATE %s]", what, mysql_stmt_error(s->st), mysql_stmt_errno(s->st),
                       mysql_stmt_sqlstate(s->st));
    }
    MYSQL_RES *meta = mysql_stmt_result_metadata(s->st);
    if (!meta) {
        if (rows)
            *rows = (int64_t)mysql_stmt_affected_rows(s->st);
        count_autocommit(s, 0);
        return 0;
    }
    int rc = fetch_binary_rows(s, meta, fn, arg, rows, what, e);
    mysql_free_result(meta);
    return rc;
}

/* Execute the text statement with its values inlined. */
static int exec_text(wb_stmt *s, const char *what, wb_row_fn fn, void *arg, int64_t *rows, wb_error *e)
{
    make_literal(s);
    if (mysql_real_query(s->m, s->literal.data, s->literal.len) != 0)
        return wb_mariadb_fail(e, s->m, what);
    MYSQL_RES *r = mysql_store_result(s->m);
    if (!r) {
        if (mysql_field_count(s->m) != 0)
            return wb_mariadb_fail(e, s->m, what);
        if (rows)
            *rows = (int64_t)mysql_affected_rows(s->m);
        count_autocommit(s, 0);
        return 0;
    }
    unsigned ncols = mysql_num_fields(r);
    MYSQL_FIELD *fields = mysql_fetch_fields(r);
    const char **names = wb_xcalloc(ncols ? ncols : 1, sizeof *names);
    for (unsigned i = 0; i < ncols; i++)
        names[i] = fields[i].name;
    if (rows)
        *rows = (int64_t)mysql_num_rows(r);
    MYSQL_ROW row;
    while (fn && (row = mysql_fetch_row(r)) != NULL)
        if (fn(arg, (int)ncols, names, (const char *const *)row) != 0)
            break;
    free(names);
    mysql_free_result(r);
    return 0;
}

int wb_mariadb_stmt_exec(wb_stmt *s, const char *what, wb_row_fn fn, void *arg, int64_t *rows, wb_error *e)
{
    int64_t start = wb_echo_active ? wb_clock_ns() : 0;
    wb_mariadb_note_stmt_errno(s->conn, 0);
    int rc = s->st ? exec_binary(s, what, fn, arg, rows, e) : exec_text(s, what, fn, arg, rows, e);
    if (wb_echo_active)
        wb_echo_record(s->sql, s->st ? NULL : s->literal.data, wb_clock_ns() - start);
    clear_values(s);
    return rc;
}

void wb_mariadb_stmt_finalize(wb_stmt *s)
{
    if (!s)
        return;
    if (s->st)
        mysql_stmt_close(s->st);
    wb_buf_free(&s->literal);
    free(s->sql);
    free(s->text);
    free(s->marker_param);
    free(s->marker_at);
    free(s->values);
    free(s->ints);
    free(s->doubles);
    free(s->binds);
    free(s);
}

/* Run a statement of the dialect's (BEGIN, COMMIT, ROLLBACK); the error names what. */
static int run_simple(wb_conn *c, const char *sql, const char *what, wb_error *e)
{
    MYSQL *m = wb_mariadb_mysql(c);
    int64_t start = wb_echo_active ? wb_clock_ns() : 0;
    int rc = mysql_real_query(m, sql, strlen(sql)) == 0 ? 0 : wb_mariadb_fail(e, m, what);
    if (wb_echo_active)
        wb_echo_record(sql, NULL, wb_clock_ns() - start);
    return rc;
}

int wb_mariadb_begin(wb_conn *c, wb_error *e)
{
    return run_simple(c, wb_mariadb_backend.dialect->begin_sql, "begin", e);
}

int wb_mariadb_commit(wb_conn *c, wb_error *e)
{
    int rc = run_simple(c, wb_mariadb_backend.dialect->commit_sql, "commit", e);
    if (rc == 0)
        wb_mariadb_count_commit(c);
    return rc;
}

void wb_mariadb_rollback(wb_conn *c)
{
    MYSQL *m = wb_mariadb_mysql(c);
    if (c)
        wb_mariadb_note_stmt_errno(c, 0);
    if (m && wb_mariadb_in_transaction(c)) {
        wb_error ignored = {{0}};
        run_simple(c, wb_mariadb_backend.dialect->rollback_sql, "rollback", &ignored);
    }
}

int wb_mariadb_param_limit(wb_conn *c)
{
    (void)c;
    return wb_mariadb_backend.dialect->max_params;
}

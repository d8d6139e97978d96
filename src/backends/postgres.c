/* The PostgreSQL backend (libpq): connections in UTF-8 whose search_path holds only
 * writebench's schema, the COMMENT mark that makes a schema writebench's own, the
 * server-side figures recorded with every test (WAL position, commits, database
 * size, the backend's peak RSS) and the settings that decide write speed.
 *
 * Connecting runs no statement: encoding, search_path and application name travel
 * in the startup packet and the capabilities come from libpq, so a connection adds
 * no transaction to pg_stat_database's xact_commit (every statement outside BEGIN,
 * SELECTs included, counts as a committed transaction there).
 *
 * A conninfo may hold a password: no message leaves this file without the
 * passwords of the target (and PGPASSWORD) scrubbed out of it. */
#include "util/sql_text.h"
#include "backends/pg_internal.h"
#include "backends/echo.h"
#include "util/clock.h"

#include <ctype.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <strings.h>

/* The COMMENT ON SCHEMA that marks a schema as writebench's. */
#define SCHEMA_MARK "created by writebench; safe to drop with writebench drop"
/* Without it an unreachable host (a firewall that drops packets) hangs a connect for
 * minutes; a server that answers at all does so well within this. */
#define DEFAULT_CONNECT_TIMEOUT_S "15"
#define SQL_EXCERPT_CHARS 120

static const wb_dialect postgres_dialect = {
    .kind = WB_BACKEND_POSTGRES,
    /* Parameters are never cast to the declared varchar(n), char(n) or numeric(p,s):
     * that would truncate or round. Time values and their text depend on the session's
     * TimeZone and DateStyle, which every connection sets (UTC, ISO: see connect). */
    .types =
        {
            [WB_SQL_BIGINT] = {"bigint", "::bigint", {0}, {0}, {0}, {0}},
            [WB_SQL_TEXT] = {"text", "::text", {0}, {0}, {0}, {0}},
            [WB_SQL_VARCHAR] = {"varchar(%lld)", "::text", {0}, {0}, {0}, {0}},
            [WB_SQL_NUMERIC] = {"numeric(%lld,%lld)", "::numeric", {"CAST(", " AS numeric)"}, {0}, {0}, {0}},
            [WB_SQL_SMALLINT] = {"smallint", "::smallint", {0}, {0}, {0}, {0}},
            [WB_SQL_INTEGER] = {"integer", "::integer", {0}, {0}, {0}, {0}},
            /* units / 2^m in float8: exact, and so is a real compared with it */
            [WB_SQL_REAL] = {"real", "::real", {0}, {0}, {"((", ")::float8 / %s)"}, {0}},
            [WB_SQL_DOUBLE] = {"double precision", "::float8", {0}, {0}, {"((", ")::float8 / %s)"}, {0}},
            [WB_SQL_BOOLEAN] = {"boolean", "::boolean", {0}, {0}, {0}, {0}},
            /* char(n) against char(n): trailing blanks do not count, on both sides */
            [WB_SQL_CHAR] = {"char(%lld)", "::text", {0}, {"CAST(", " AS char(%lld))"}, {0}, {0}},
            /* date + integer days; a timestamp + whole seconds (exact in the interval's
             * microseconds for any year up to 9999) */
            [WB_SQL_DATE] = {"date", "::date", {0}, {0}, {"(date '1970-01-01' + CAST(", " AS integer))"},
                             {"CAST(", " AS text)"}},
            [WB_SQL_TIMESTAMP] = {"timestamp", "::timestamp", {0}, {0},
                                  {"(timestamp '1970-01-01 00:00:00' + ", " * interval '1 second')"},
                                  {"CAST(", " AS text)"}},
            [WB_SQL_TIMESTAMPTZ] = {"timestamptz", "::timestamptz", {0}, {0},
                                    {"(timestamptz '1970-01-01 00:00:00+00' + ", " * interval '1 second')"},
                                    {"CAST(", " AS text)"}},
            [WB_SQL_UUID] = {"uuid", "::uuid", {"CAST(", " AS uuid)"}, {0}, {0}, {0}},
            /* json has no equality: both json and jsonb are compared as jsonb */
            [WB_SQL_JSON] = {"json", "::json", {"CAST(", " AS json)"}, {"CAST(", " AS jsonb)"}, {0}, {0}},
            [WB_SQL_JSONB] = {"jsonb", "::jsonb", {"CAST(", " AS jsonb)"}, {0}, {0}, {0}},
            [WB_SQL_BYTEA] = {"bytea", "::bytea", {0}, {0}, {0}, {0}},
        },
    /* no backslash in a literal: its meaning would depend on standard_conforming_strings */
    .bytes_from_hex = {"decode('", "', 'hex')"},
    .hex_digits = {"lpad(to_hex(", "), %lld, '0')"},
    .chr_format = "chr(%u)",
    .distinct_open = "",
    .distinct_op = "IS DISTINCT FROM",
    .distinct_close = "",
    .concat_open = "",
    .concat_op = " || ",
    .concat_close = "",
    .int_div_op = " / ",
    .key_cast = "(%s)::bigint", /* exact integer arithmetic whatever the key expression's type */
    .decimal_from_cents = "::numeric / 100",
    .cast_type = {"bigint", "text", "numeric"},
    .series_prefix = "",
    .series_from = "generate_series(1::bigint, %lld) AS s(k)",
    .param_prefix = "$",
    .param_bare = false,
    .max_params = 65535, /* the protocol's int16 parameter count */
    .values_column = NULL,
    .begin_sql = "BEGIN",
    .commit_sql = "COMMIT",
    .rollback_sql = "ROLLBACK",
    .upsert_clause = " ON CONFLICT (%s) DO UPDATE SET ",
    .upsert_value = "EXCLUDED.%s",
    .subquery_fence = " OFFSET 0", /* PostgreSQL never pulls up a subquery with an OFFSET */
    .qualified_table_names = true,
    .index_name_qualified = false,
    .partial_indexes = true,
    .generate_in_transaction = true,
    .fk_off_setting = NULL,
    .statistics_tables_sql = NULL, /* pg_statistic lives outside the schema and goes with the table */
    .explain_prefix = "EXPLAIN (ANALYZE, BUFFERS) ",
    .explain_tree = false,
};

struct wb_conn {
    PGconn *pg;
    wb_pg_caps caps;
    int backend_pid;
    wb_counters *counters; /* kept for future use: commits come from pg_stat_database */
    char schema[64];
    char schema_quoted[140]; /* "schema", quotes doubled */
};

PGconn *wb_pg_conn(wb_conn *c)
{
    return c ? c->pg : NULL;
}

const wb_pg_caps *wb_pg_caps_of(wb_conn *c)
{
    return &c->caps;
}

void wb_pg_caps_override(wb_conn *c, const wb_pg_caps *caps)
{
    c->caps = *caps;
}

/* ---- messages ----------------------------------------------------------- */

/* Up to this many secrets are scrubbed from a message: the parsed passwords, the raw
 * (still %-encoded) forms in the text, PGPASSWORD. */
#define MAX_SECRETS 8

typedef struct secrets {
    int n;
    char *items[MAX_SECRETS]; /* owned */
} secrets;

static void secrets_add(secrets *s, const char *text, size_t len)
{
    if (len == 0 || s->n >= MAX_SECRETS)
        return;
    char *copy = wb_xmalloc(len + 1);
    memcpy(copy, text, len);
    copy[len] = '\0';
    s->items[s->n++] = copy;
}

static void secrets_free(secrets *s)
{
    for (int i = 0; i < s->n; i++)
        free(s->items[i]);
    s->n = 0;
}

/* Collect what must never be shown from a --db value: the parsed password values
 * (opts may be NULL when it did not parse), and the raw text after every "password="
 * and in a URL's userinfo, so a message quoting an unparseable token leaks nothing. */
static void secrets_collect(const char *conninfo, PQconninfoOption *opts, secrets *s)
{
    for (PQconninfoOption *o = opts; o && o->keyword; o++)
        if (o->val && (strcmp(o->keyword, "password") == 0 || strcmp(o->keyword, "sslpassword") == 0))
            secrets_add(s, o->val, strlen(o->val));
    const char *env = getenv("PGPASSWORD");
    if (env)
        secrets_add(s, env, strlen(env));

    const char *scheme_end = strstr(conninfo, "://");
    if (scheme_end) {
        const char *authority = scheme_end + 3;
        const char *at = strrchr(authority, '@');
        const char *colon = at ? memchr(authority, ':', (size_t)(at - authority)) : NULL;
        if (colon)
            secrets_add(s, colon + 1, (size_t)(at - colon - 1));
    }
    for (const char *p = conninfo; (p = strcasestr(p, "password")) != NULL;) {
        p += 8;
        const char *v = p;
        while (isspace((unsigned char)*v))
            v++;
        if (*v != '=')
            continue;
        v++;
        while (isspace((unsigned char)*v))
            v++;
        if (*v == '\'') {
            const char *end = v + 1;
            while (*end && *end != '\'')
                end += (*end == '\\' && end[1]) ? 2 : 1;
            secrets_add(s, v + 1, (size_t)(end - v - 1));
        } else {
            secrets_add(s, v, strcspn(v, "& \t\r\n"));
        }
    }
}

/* Append msg as one line: secrets replaced by "***", newlines and tabs by spaces,
 * runs of spaces and trailing space dropped (libpq ends messages with "\n"). */
static void one_line(const char *msg, const secrets *s, wb_buf *out)
{
    size_t start = out->len;
    for (const char *p = msg; *p;) {
        int hit = 0;
        for (int i = 0; s && i < s->n && !hit; i++) {
            size_t n = strlen(s->items[i]);
            if (strncmp(p, s->items[i], n) == 0) {
                wb_buf_puts(out, "***");
                p += n;
                hit = 1;
            }
        }
        if (hit)
            continue;
        char ch = (*p == '\n' || *p == '\r' || *p == '\t') ? ' ' : *p;
        if (!(ch == ' ' && (out->len == start || out->data[out->len - 1] == ' ')))
            wb_buf_putc(out, ch);
        p++;
    }
    while (out->len > start && out->data[out->len - 1] == ' ')
        out->data[--out->len] = '\0';
}

/* Append the start of a statement, on one line: enough to recognise it. */
static void sql_excerpt(const char *sql, wb_buf *out)
{
    size_t n = 0;
    for (const char *p = sql; *p && n < SQL_EXCERPT_CHARS; p++, n++)
        wb_buf_putc(out, *p == '\n' || *p == '\r' || *p == '\t' ? ' ' : *p);
    if (strlen(sql) > n)
        wb_buf_puts(out, "...");
}

/* Fill e from a failed result (the server's message, detail and SQLSTATE) or, when the
 * result carries no server error (lost connection), from the connection; returns -1. */
static int fail_result(wb_error *e, wb_conn *c, const PGresult *r, const char *sql)
{
    wb_buf text = WB_BUF_INIT;
    const char *primary = r ? PQresultErrorField(r, PG_DIAG_MESSAGE_PRIMARY) : NULL;
    const char *sqlstate = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : NULL;
    const char *detail = r ? PQresultErrorField(r, PG_DIAG_MESSAGE_DETAIL) : NULL;
    if (primary) {
        one_line(primary, NULL, &text);
        if (detail) {
            wb_buf_puts(&text, " (");
            one_line(detail, NULL, &text);
            wb_buf_putc(&text, ')');
        }
    } else {
        const char *msg = r && *PQresultErrorMessage(r) ? PQresultErrorMessage(r) : PQerrorMessage(c->pg);
        one_line(*msg ? msg : "unknown libpq error", NULL, &text);
    }
    if (sqlstate)
        wb_buf_printf(&text, " [SQLSTATE %s]", sqlstate);
    if (sql) {
        wb_buf_puts(&text, " (in: ");
        sql_excerpt(sql, &text);
        wb_buf_putc(&text, ')');
    }
    wb_fail(e, "%s", wb_buf_str(&text));
    wb_buf_free(&text);
    return -1;
}

/* ---- connecting --------------------------------------------------------- */

static const char *option_value(PQconninfoOption *opts, const char *keyword)
{
    for (PQconninfoOption *o = opts; o && o->keyword; o++)
        if (strcmp(o->keyword, keyword) == 0)
            return o->val;
    return NULL;
}

/* The startup "options": the user's own (conninfo, else PGOPTIONS) plus
 * `-c search_path="schema"`, so that a statement that forgets to qualify a name fails
 * or lands in writebench's schema, never in public; and the session's time zone and
 * date style, after the user's so that they win: timestamptz values are compared as
 * instants whatever the zone, but the canonical text of a time inside a json value
 * (docs/WORKLOADS.md, "Types") is the one PostgreSQL writes in UTC with ISO dates.
 * Spaces and backslashes are backslash-escaped, as the server splits options at
 * unescaped spaces. */
static void startup_options(PQconninfoOption *opts, const char *schema, wb_buf *out)
{
    const char *user = option_value(opts, "options");
    if (!user)
        user = getenv("PGOPTIONS");
    if (user && *user)
        wb_buf_printf(out, "%s ", user);
    wb_buf_puts(out, "-c TimeZone=UTC -c DateStyle=ISO -c search_path=");
    wb_buf quoted = WB_BUF_INIT;
    wb_sql_identifier(&quoted, schema);
    for (const char *p = wb_buf_str(&quoted); *p; p++) {
        if (*p == ' ' || *p == '\\' || *p == '\t')
            wb_buf_putc(out, '\\');
        wb_buf_putc(out, *p);
    }
    wb_buf_free(&quoted);
}

/* Append msg with the contents of double-quoted spans that are not plain words replaced
 * by "...": libpq's parse errors quote the offending token, which may hold a password. */
static void hide_quoted_tokens(const char *msg, wb_buf *out)
{
    const char *p = msg;
    for (const char *open; (open = strchr(p, '"')) != NULL;) {
        const char *close = strchr(open + 1, '"');
        if (!close)
            break;
        int plain = close > open + 1;
        for (const char *q = open + 1; q < close; q++)
            plain &= isalnum((unsigned char)*q) || *q == '_';
        wb_buf_append(out, p, (size_t)(open - p) + 1);
        if (plain)
            wb_buf_append(out, open + 1, (size_t)(close - open - 1));
        else
            wb_buf_puts(out, "...");
        wb_buf_putc(out, '"');
        p = close + 1;
    }
    wb_buf_puts(out, p);
}

/* The backend process answers for this connection on this machine: a unix socket or a
 * loopback address, and a readable /proc entry of a process named postgres (a pid from
 * another pid namespace, a server in a container, would name some other process). */
static int server_is_local(PGconn *pg, int pid)
{
    const char *host = PQhost(pg);
    const char *addr = PQhostaddr(pg);
    int loopback = !host || !*host || host[0] == '/' || host[0] == '@' || strcmp(host, "localhost") == 0 ||
                   strncmp(host, "127.", 4) == 0 || strcmp(host, "::1") == 0 ||
                   (addr && (strncmp(addr, "127.", 4) == 0 || strcmp(addr, "::1") == 0));
    if (!loopback || pid <= 0)
        return 0;
    char path[64], comm[64] = "";
    snprintf(path, sizeof path, "/proc/%d/comm", pid);
    FILE *f = fopen(path, "r");
    if (!f)
        return 0;
    int named = fgets(comm, sizeof comm, f) != NULL &&
                (strncmp(comm, "postgres", 8) == 0 || strncmp(comm, "postmaster", 10) == 0);
    fclose(f);
    snprintf(path, sizeof path, "/proc/%d/status", pid);
    f = fopen(path, "r");
    if (!f)
        return 0;
    fclose(f);
    return named;
}

/* Server notices ("drop cascades to ...", "table does not exist, skipping") are not
 * errors; libpq would print them on stderr, in the middle of the run's display. */
static void ignore_notice(void *arg, const char *message)
{
    (void)arg, (void)message;
}

static void pg_disconnect(wb_conn *c)
{
    if (!c)
        return;
    PQfinish(c->pg);
    free(c);
}

/* Connect to t; a non-NULL application_name is set whatever t's conninfo says (the
 * lock's connection carries its holder's description in it), otherwise the target's
 * name is only the default. */
static int connect_as(const wb_target *t, const char *application_name, wb_conn **out, wb_error *e)
{
    if (t->echo)
        wb_echo_enable();
    *out = NULL;
    if (!t->schema[0])
        return wb_fail(e, "the schema name is empty: give --schema a name");
    /* An empty conninfo means libpq's defaults: some other server, never the cluster. */
    if (t->temp_server && !t->conninfo[0])
        return wb_fail(e, "pg-temp: the throwaway cluster was not started before connecting");
    char *parse_error = NULL;
    PQconninfoOption *opts = PQconninfoParse(t->conninfo, &parse_error);
    secrets s = {0};
    secrets_collect(t->conninfo, opts, &s);
    if (!opts) {
        wb_buf msg = WB_BUF_INIT, shown = WB_BUF_INIT;
        one_line(parse_error ? parse_error : "out of memory", &s, &msg);
        hide_quoted_tokens(wb_buf_str(&msg), &shown);
        wb_fail(e, "cannot parse --db '%s': %s", t->url_redacted, wb_buf_str(&shown));
        wb_buf_free(&msg);
        wb_buf_free(&shown);
        PQfreemem(parse_error);
        secrets_free(&s);
        return -1;
    }

    wb_buf options = WB_BUF_INIT;
    startup_options(opts, t->schema, &options);
    if (t->read_only) /* every transaction of the session reads only, unless it says otherwise */
        wb_buf_puts(&options, " -c default_transaction_read_only=on");
    /* Later keywords override what the expanded dbname (the whole --db value) says:
     * client_encoding and options must win; connect_timeout and the application name
     * are only defaults, so they go before it. */
    const char *keys[7], *values[7];
    int n = 0;
    if (!option_value(opts, "connect_timeout") && !getenv("PGCONNECT_TIMEOUT")) {
        keys[n] = "connect_timeout";
        values[n++] = DEFAULT_CONNECT_TIMEOUT_S;
    }
    keys[n] = "fallback_application_name";
    values[n++] = t->application_name[0] ? t->application_name : "writebench";
    keys[n] = "dbname";
    values[n++] = t->conninfo;
    if (application_name) {
        keys[n] = "application_name";
        values[n++] = application_name;
    }
    keys[n] = "client_encoding";
    values[n++] = "UTF8";
    keys[n] = "options";
    values[n++] = wb_buf_str(&options);
    keys[n] = NULL;
    values[n] = NULL;
    PGconn *pg = PQconnectdbParams(keys, values, 1);
    wb_buf_free(&options);
    PQconninfoFree(opts);

    if (!pg || PQstatus(pg) != CONNECTION_OK) {
        wb_buf msg = WB_BUF_INIT;
        one_line(pg ? PQerrorMessage(pg) : "out of memory", &s, &msg);
        wb_fail(e, "cannot connect to %s: %s", t->url_redacted, wb_buf_str(&msg));
        wb_buf_free(&msg);
        PQfinish(pg);
        secrets_free(&s);
        return -1;
    }
    secrets_free(&s);
    PQsetNoticeProcessor(pg, ignore_notice, NULL);

    wb_conn *c = wb_xcalloc(1, sizeof *c);
    c->pg = pg;
    snprintf(c->schema, sizeof c->schema, "%s", t->schema);
    wb_buf quoted = WB_BUF_INIT;
    wb_sql_identifier(&quoted, c->schema);
    snprintf(c->schema_quoted, sizeof c->schema_quoted, "%s", wb_buf_str(&quoted));
    wb_buf_free(&quoted);

    c->backend_pid = PQbackendPID(pg);
    c->caps.server_version_num = PQserverVersion(pg);
    c->caps.libpq_version = PQlibVersion();
    c->caps.has_merge = c->caps.server_version_num >= 150000;
    c->caps.has_pipeline = c->caps.libpq_version >= 140000;
    c->caps.server_is_local = server_is_local(pg, c->backend_pid);
    *out = c;
    return 0;
}

static int pg_exec(wb_conn *c, const char *sql, wb_error *e);

/* --set: the target's session settings, in one simple query (one implicit transaction:
 * one commit, the same on every connection, which the runner's calibration counts as
 * writebench's own). A setting the role may not change is refused here with the
 * server's reason, before the run (the runner connects once with every value). */
static int apply_session_settings(wb_conn *c, const wb_target *t, wb_error *e)
{
    if (t->nsettings == 0)
        return 0;
    wb_buf sql = WB_BUF_INIT;
    for (int i = 0; i < t->nsettings; i++) {
        const char *eq = strchr(t->settings[i], '=');
        /* the name was checked (letters, digits, _ and one '.'); the value is a literal */
        wb_buf_printf(&sql, "%sSET %.*s TO E'", i ? "; " : "", (int)(eq - t->settings[i]), t->settings[i]);
        for (const char *v = eq + 1; *v; v++) { /* an escape string: the same whatever standard_conforming_strings */
            if (*v == '\'' || *v == '\\')
                wb_buf_putc(&sql, *v);
            wb_buf_putc(&sql, *v);
        }
        wb_buf_putc(&sql, '\'');
    }
    int rc = pg_exec(c, wb_buf_str(&sql), e); /* echoed under --echo, as every statement writebench sends */
    wb_buf_free(&sql);
    return rc;
}

static int pg_connect(const wb_target *t, wb_conn **out, wb_error *e)
{
    if (connect_as(t, NULL, out, e) != 0)
        return -1;
    if (apply_session_settings(*out, t, e) != 0) {
        pg_disconnect(*out);
        *out = NULL;
        return -1;
    }
    return 0;
}

/* ---- statements --------------------------------------------------------- */

/* After a result in COPY state, bring the connection back to idle: end a COPY IN
 * with an error, read a COPY OUT to its end. */
static void abandon_copy(wb_conn *c, ExecStatusType status)
{
    if (status == PGRES_COPY_IN) {
        PQputCopyEnd(c->pg, "writebench: COPY is not supported here");
    } else if (status == PGRES_COPY_OUT) {
        char *row = NULL;
        while (PQgetCopyData(c->pg, &row, 0) > 0)
            PQfreemem(row);
    }
}

static int exec_statements(wb_conn *c, const char *sql, wb_error *e)
{
    PGresult *r = PQexec(c->pg, sql);
    ExecStatusType status = PQresultStatus(r);
    int rc = 0;
    if (status == PGRES_COPY_IN || status == PGRES_COPY_OUT) {
        abandon_copy(c, status);
        PQclear(r);
        while ((r = PQgetResult(c->pg)) != NULL)
            PQclear(r);
        return wb_fail(e, "COPY cannot run through exec (in: %.120s)", sql);
    }
    if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK && status != PGRES_EMPTY_QUERY)
        rc = fail_result(e, c, r, sql);
    PQclear(r);
    return rc;
}

/* Rows arrive one at a time (single-row mode), so a query over millions of rows
 * (verification, show) costs the client no memory. Stopping early drains the rest
 * rather than cancelling: a cancel request races with the next statement and can
 * cancel that one instead. */
static int query_rows(wb_conn *c, const char *sql, wb_row_fn fn, void *arg, wb_error *e)
{
    if (!PQsendQuery(c->pg, sql))
        return fail_result(e, c, NULL, sql);
    PQsetSingleRowMode(c->pg);
    int rc = 0, stopped = 0, cap = 0;
    const char **names = NULL, **values = NULL;
    PGresult *r;
    while ((r = PQgetResult(c->pg)) != NULL) {
        ExecStatusType status = PQresultStatus(r);
        if (status == PGRES_SINGLE_TUPLE && rc == 0 && !stopped) {
            int ncols = PQnfields(r);
            if (ncols > cap) {
                cap = ncols;
                names = wb_xrealloc(names, sizeof *names * (size_t)cap);
                values = wb_xrealloc(values, sizeof *values * (size_t)cap);
            }
            for (int i = 0; i < ncols; i++) {
                names[i] = PQfname(r, i);
                values[i] = PQgetisnull(r, 0, i) ? NULL : PQgetvalue(r, 0, i);
            }
            stopped = fn(arg, ncols, names, values) != 0;
        } else if (status == PGRES_COPY_IN || status == PGRES_COPY_OUT) {
            abandon_copy(c, status);
            if (rc == 0)
                rc = wb_fail(e, "COPY cannot run through query (in: %.120s)", sql);
        } else if (status != PGRES_SINGLE_TUPLE && status != PGRES_TUPLES_OK &&
                   status != PGRES_COMMAND_OK && status != PGRES_EMPTY_QUERY && rc == 0) {
            rc = fail_result(e, c, r, sql);
        }
        PQclear(r);
    }
    free(names);
    free(values);
    return rc;
}

/* --echo: the runner's own statements (reset, verify, snapshot) timed and echoed; one
 * test of a flag when echo is off. A query is timed to its last row, callbacks included. */
static int pg_exec(wb_conn *c, const char *sql, wb_error *e)
{
    if (!wb_echo_active)
        return exec_statements(c, sql, e);
    int64_t start = wb_clock_ns();
    int rc = exec_statements(c, sql, e);
    wb_echo_record(sql, NULL, wb_clock_ns() - start);
    return rc;
}

static int pg_query(wb_conn *c, const char *sql, wb_row_fn fn, void *arg, wb_error *e)
{
    if (!wb_echo_active)
        return query_rows(c, sql, fn, arg, e);
    int64_t start = wb_clock_ns();
    int rc = query_rows(c, sql, fn, arg, e);
    wb_echo_record(sql, NULL, wb_clock_ns() - start);
    return rc;
}

/* PQexec, timed and echoed under --echo. */
static PGresult *timed_exec(PGconn *pg, const char *sql)
{
    if (!wb_echo_active)
        return PQexec(pg, sql);
    int64_t start = wb_clock_ns();
    PGresult *r = PQexec(pg, sql);
    wb_echo_record(sql, NULL, wb_clock_ns() - start);
    return r;
}

/* Run a query expected to return one row and copy its columns as text (NULL -> ""). */
static int query_row(wb_conn *c, const char *sql, int nparams, const char *const *params, char out[][64],
                     int ncols, wb_error *e)
{
    int64_t start = wb_echo_active ? wb_clock_ns() : 0;
    PGresult *r = PQexecParams(c->pg, sql, nparams, NULL, params, NULL, NULL, 0);
    if (wb_echo_active)
        wb_echo_record_params(sql, nparams, params, wb_clock_ns() - start);
    if (PQresultStatus(r) != PGRES_TUPLES_OK) {
        fail_result(e, c, r, sql);
        PQclear(r);
        return -1;
    }
    if (PQntuples(r) != 1 || PQnfields(r) < ncols) {
        PQclear(r);
        return wb_fail(e, "expected one row of %d columns (in: %.120s)", ncols, sql);
    }
    for (int i = 0; i < ncols; i++)
        snprintf(out[i], 64, "%s", PQgetisnull(r, 0, i) ? "" : PQgetvalue(r, 0, i));
    PQclear(r);
    return 0;
}

static int pg_server_version(wb_conn *c, char *out, size_t n, wb_error *e)
{
    const char *v = PQparameterStatus(c->pg, "server_version");
    if (!v)
        return wb_fail(e, "the server did not report its version");
    /* "15.18 (Debian 15.18-0+deb12u1)" -> "15.18": the packager's text goes to run.conf. */
    snprintf(out, n, "%.*s", (int)strcspn(v, " "), v);
    return 0;
}

static void pg_table_name(wb_conn *c, const char *table, wb_buf *out)
{
    wb_buf_puts(out, c->schema_quoted);
    wb_buf_putc(out, '.');
    wb_sql_identifier(out, table);
}

/* ---- the namespace ------------------------------------------------------ */

/* Look the schema up: 1 with its comment in comment[64] ("" when none, truncated to
 * 63 bytes, enough to compare with the mark), 0 when absent, -1 on error. */
static int find_schema(wb_conn *c, char comment[64], wb_error *e)
{
    const char *sql = "SELECT coalesce(pg_catalog.obj_description(oid, 'pg_namespace'), '') "
                      "FROM pg_catalog.pg_namespace WHERE nspname = $1";
    const char *params[1] = {c->schema};
    int64_t start = wb_echo_active ? wb_clock_ns() : 0;
    PGresult *r = PQexecParams(c->pg, sql, 1, NULL, params, NULL, NULL, 0);
    if (wb_echo_active)
        wb_echo_record_params(sql, 1, params, wb_clock_ns() - start);
    if (PQresultStatus(r) != PGRES_TUPLES_OK) {
        fail_result(e, c, r, sql);
        PQclear(r);
        return -1;
    }
    int found = PQntuples(r) == 1;
    if (found)
        snprintf(comment, 64, "%s", PQgetvalue(r, 0, 0));
    PQclear(r);
    return found;
}

static int pg_claim_namespace(wb_conn *c, bool create, wb_error *e)
{
    /* Two tries: a concurrent writebench may create the schema between our look and
     * our CREATE; the second look then finds its mark. */
    for (int attempt = 0; attempt < 2; attempt++) {
        char comment[64] = "";
        int found = find_schema(c, comment, e);
        if (found < 0)
            return -1;
        if (found && strcmp(comment, SCHEMA_MARK) == 0)
            return 0;
        if (found)
            return wb_fail(e,
                           "schema \"%s\" exists but was not created by writebench (no writebench "
                           "mark); refusing to touch it — choose another with --schema",
                           c->schema);
        if (!create)
            return wb_fail(e, "schema \"%s\" does not exist: there is nothing of writebench's here",
                           c->schema);
        /* One simple-query message runs as one transaction: the schema never exists unmarked. */
        wb_buf sql = WB_BUF_INIT;
        wb_buf_printf(&sql, "CREATE SCHEMA %s; COMMENT ON SCHEMA %s IS '" SCHEMA_MARK "'",
                      c->schema_quoted, c->schema_quoted);
        PGresult *r = timed_exec(c->pg, wb_buf_str(&sql));
        wb_buf_free(&sql);
        if (PQresultStatus(r) == PGRES_COMMAND_OK) {
            PQclear(r);
            return 0;
        }
        const char *state = PQresultErrorField(r, PG_DIAG_SQLSTATE);
        int raced = state && (strcmp(state, "42P06") == 0 || strcmp(state, "23505") == 0);
        if (!raced || attempt == 1) {
            fail_result(e, c, r, NULL);
            PQclear(r);
            return wb_fail_prefix(e, "cannot create schema \"%s\": ", c->schema);
        }
        PQclear(r);
    }
    return -1; /* not reached */
}

/* drop's last step (backend.h): DROP SCHEMA, in a transaction that checks the mark
 * again, when nothing at all is left in it; otherwise keep it and say so. */
static int pg_drop_namespace_if_empty(wb_conn *c, wb_buf *note, wb_error *e)
{
    if (pg_exec(c, "BEGIN", e) != 0)
        return -1;
    char comment[64] = "";
    int found = find_schema(c, comment, e);
    if (found <= 0 || strcmp(comment, SCHEMA_MARK) != 0) {
        /* Gone already, or (cannot happen after claim_namespace) not writebench's. */
        PQclear(timed_exec(c->pg, "ROLLBACK"));
        return found < 0 ? -1 : 0;
    }
    /* RESTRICT, PostgreSQL's default said out loud: the server refuses when anything at
     * all is left in the schema, which is exactly "holds nothing else". */
    wb_buf sql = WB_BUF_INIT;
    wb_buf_printf(&sql, "DROP SCHEMA %s RESTRICT", c->schema_quoted);
    PGresult *r = timed_exec(c->pg, wb_buf_str(&sql));
    wb_buf_free(&sql);
    int rc = 0;
    if (PQresultStatus(r) == PGRES_COMMAND_OK) {
        PQclear(r);
        if (pg_exec(c, "COMMIT", e) != 0)
            return -1;
        wb_buf_printf(note, "schema \"%s\" removed: it held nothing else", c->schema);
        return 0;
    }
    const char *state = PQresultErrorField(r, PG_DIAG_SQLSTATE);
    if (state && strcmp(state, "2BP01") == 0) /* dependent_objects_still_exist */
        wb_buf_printf(note, "schema \"%s\" kept: it still holds tables or objects of other workloads or programs",
                      c->schema);
    else
        rc = fail_result(e, c, r, NULL);
    PQclear(r);
    PQclear(timed_exec(c->pg, "ROLLBACK"));
    return rc;
}

/* ---- one writebench per schema ------------------------------------------ */

/* The lock is a session-level advisory lock on (LOCK_CLASS_KEY, hashtext(schema)) in
 * the database, on a connection of its own that the parent keeps open for the
 * command's life: the server releases it when that session ends, however the process
 * ends, so a SIGKILL leaves no stale lock. It is taken inside a transaction that is
 * rolled back: a session-level advisory lock outlives the rollback (PostgreSQL's
 * documentation says so), and a rollback is not a commit, so the lock adds nothing to
 * the commits of pg_stat_database that tests are measured by.
 *
 * The connection's application_name, "wb-lock <command> <run id or -> <pid> <host>",
 * describes the holder to whoever is refused: every role sees application_name in
 * pg_stat_activity (backend_start, the start time, only the same role or
 * pg_read_all_stats). It is not the run's "writebench-run-<pid>", so that waiting for
 * the run's connections to end (await_others) does not wait for it. Forked strategy
 * children inherit its socket and never touch it (lock.h); exec'd programs do not get it.
 *
 * Behind a transaction pooler with no way past it (t->lock_in_transaction, which the run
 * sets when its probe finds session locks shared), a session-level lock would stay on a
 * server session that other clients are handed: instead the transaction that took the
 * transaction-level lock on the same key stays open for the command's life, pinning one
 * pooled server session; both levels of lock on a key exclude each other, so direct and
 * pooled writebenches still see each other. Ending or losing the connection ends the
 * transaction and the lock (a pooler aborts a client's open transaction when it goes). */
#define LOCK_CLASS_KEY 2002911232 /* 0x77620000, "wb": the first key of writebench's advisory locks */
#define LOCK_APP_PREFIX "wb-lock"
#define APPLICATION_NAME_MAX 63   /* NAMEDATALEN - 1: the server cuts longer names */

struct wb_lock {
    wb_conn *conn;
    bool in_transaction; /* held by a transaction kept open (t->lock_in_transaction), not by the session */
};

/* The holder's description as an application_name, its host cut to what fits. */
static void lock_application_name(const wb_lock_holder *me, char out[APPLICATION_NAME_MAX + 1])
{
    wb_buf name = WB_BUF_INIT;
    wb_buf_printf(&name, LOCK_APP_PREFIX " %s %s %ld %s", me->command, me->run_id[0] ? me->run_id : "-", me->pid,
                  me->host[0] ? me->host : "-");
    size_t len = name.len < APPLICATION_NAME_MAX ? name.len : APPLICATION_NAME_MAX; /* cut as the server would */
    memcpy(out, wb_buf_str(&name), len);
    out[len] = '\0';
    wb_buf_free(&name);
}

/* Read a holder back from its lock connection's application_name. */
static void parse_lock_application_name(const char *name, wb_lock_holder *h)
{
    char command[16] = "", run_id[64] = "", host[256] = "";
    long pid = 0;
    if (sscanf(name, LOCK_APP_PREFIX " %15s %63s %ld %255s", command, run_id, &pid, host) < 3)
        return;
    snprintf(h->command, sizeof h->command, "%s", command);
    snprintf(h->run_id, sizeof h->run_id, "%s", strcmp(run_id, "-") == 0 ? "" : run_id);
    h->pid = pid;
    if (strcmp(host, "-") != 0)
        snprintf(h->host, sizeof h->host, "%s%s", host, strlen(name) >= APPLICATION_NAME_MAX ? "..." : "");
}

/* One attempt, in a transaction of its own that is rolled back: 1 when the lock is now
 * ours, 0 when another session holds it (*holder filled from the holder's connection,
 * *seen set when it was found), -1 on failure. in_transaction takes the transaction-level
 * lock instead and keeps the transaction open once it is taken: the lock lasts as long. */
static int try_lock(wb_conn *c, const char *const params[2], bool in_transaction, wb_lock_holder *holder, int *seen,
                    wb_error *e)
{
    *seen = 0;
    if (pg_exec(c, "BEGIN", e) != 0)
        return -1;
    char taken[1][64];
    int rc = query_row(c,
                       in_transaction
                           ? "SELECT pg_catalog.pg_try_advisory_xact_lock($1::pg_catalog.int4, pg_catalog.hashtext($2))"
                           : "SELECT pg_catalog.pg_try_advisory_lock($1::pg_catalog.int4, pg_catalog.hashtext($2))",
                       2, params, taken, 1, e);
    if (rc == 0 && strcmp(taken[0], "t") == 0) {
        if (in_transaction)
            return 1; /* the transaction stays open: it holds the lock */
        rc = 1;
    }
    if (rc == 0) {
        /* pg_locks shows the two-key form as classid = key 1, objid = key 2, objsubid 2. */
        const char *sql =
            "SELECT a.application_name, "
            "pg_catalog.to_char(a.backend_start AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"') "
            "FROM pg_catalog.pg_locks l JOIN pg_catalog.pg_stat_activity a ON a.pid = l.pid "
            "WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 2 "
            "AND l.database = (SELECT oid FROM pg_catalog.pg_database WHERE datname = pg_catalog.current_database()) "
            "AND l.classid = $1::pg_catalog.int4::pg_catalog.oid AND l.objid = pg_catalog.hashtext($2)::pg_catalog.oid";
        PGresult *r = PQexecParams(c->pg, sql, 2, NULL, params, NULL, NULL, 0);
        if (PQresultStatus(r) != PGRES_TUPLES_OK) {
            rc = fail_result(e, c, r, sql);
        } else if (PQntuples(r) > 0) {
            *seen = 1;
            parse_lock_application_name(PQgetvalue(r, 0, 0), holder);
            snprintf(holder->started, sizeof holder->started, "%s", PQgetvalue(r, 0, 1));
        }
        PQclear(r);
    }
    PQclear(timed_exec(c->pg, "ROLLBACK"));
    return rc;
}

/* The backend's lock (backend.h): a connection of its own, named after us, that takes
 * the schema's advisory lock. 0 taken, 1 held by another (*holder says who), -1. */
static int pg_lock(const wb_target *t, const wb_lock_holder *me, wb_lock **out, wb_lock_holder *holder,
                   char *where, size_t where_size, wb_error *e)
{
    *out = NULL;
    snprintf(where, where_size, "schema \"%s\" of %s", t->schema, t->url_redacted);
    char name[APPLICATION_NAME_MAX + 1];
    lock_application_name(me, name);
    wb_conn *c = NULL;
    if (connect_as(t, name, &c, e) != 0)
        return -1;
    /* libpq marks its socket close-on-exec already; said again here because an exec'd
     * program holding it would keep the lock after writebench ended. */
    int fd = PQsocket(c->pg);
    if (fd >= 0)
        fcntl(fd, F_SETFD, fcntl(fd, F_GETFD) | FD_CLOEXEC);
    char key[16];
    snprintf(key, sizeof key, "%d", LOCK_CLASS_KEY);
    const char *const params[2] = {key, t->schema};
    int rc = 0, seen = 0;
    /* Twice: the holder may end between our try and our look for it. */
    for (int attempt = 0; attempt < 2 && rc == 0 && !seen; attempt++)
        rc = try_lock(c, params, t->lock_in_transaction, holder, &seen, e);
    if (rc != 1) {
        pg_disconnect(c);
        return rc < 0 ? -1 : 1;
    }
    wb_lock *l = wb_xcalloc(1, sizeof *l);
    l->conn = c;
    l->in_transaction = t->lock_in_transaction;
    *out = l;
    return 0;
}

/* Unlocked before the session ends: the server releases a closed session's locks only
 * when its process exits, a moment after the client is gone, and a writebench started
 * right after this one would be refused in that moment. In a rolled-back transaction,
 * as when taken: the unlock is not transactional either, and adds no commit. */
static void pg_unlock(wb_lock *l)
{
    if (!l)
        return;
    if (l->in_transaction) { /* the transaction held it: its end releases it */
        PQclear(timed_exec(l->conn->pg, "ROLLBACK"));
        pg_disconnect(l->conn);
        free(l);
        return;
    }
    char key[16];
    snprintf(key, sizeof key, "%d", LOCK_CLASS_KEY);
    const char *const params[2] = {key, l->conn->schema};
    PQclear(timed_exec(l->conn->pg, "BEGIN"));
    PQclear(PQexecParams(l->conn->pg, "SELECT pg_catalog.pg_advisory_unlock($1::pg_catalog.int4, pg_catalog.hashtext($2))",
                         2, NULL, params, NULL, NULL, 0));
    PQclear(timed_exec(l->conn->pg, "ROLLBACK"));
    pg_disconnect(l->conn);
    free(l);
}

/* ---- figures ------------------------------------------------------------ */

/* pg_stat_database is fed by each backend when it flushes its statistics: at the end
 * of a transaction if its previous flush is over 1 s old, otherwise when idle 10 s later
 * (PostgreSQL 15, PGSTAT_IDLE_INTERVAL; observed: 10.0 s), and at once when the backend
 * exits (observed: ~20 ms after the client disconnected). So the commits of a test's
 * connections are all in the figure once they have disconnected; a connection that is
 * still open may be up to 10 s behind. This connection's own flush is forced first, so
 * the figure includes everything it did, its own statements too (each statement outside
 * BEGIN is a committed transaction, SELECTs included: a snapshot adds 2). */
static int pg_snapshot(wb_conn *c, wb_snapshot *out, wb_error *e)
{
    *out = WB_SNAPSHOT_UNKNOWN;
    int idle = PQtransactionStatus(c->pg) == PQTRANS_IDLE;
    if (idle && c->caps.server_version_num >= 150000) {
        PGresult *r = timed_exec(c->pg, "SELECT pg_catalog.pg_stat_force_next_flush()");
        PQclear(r); /* best effort: a role without the right still gets the figures */
    } else if (!idle) {
        /* Inside a transaction the statistics are a cached snapshot: drop it. */
        PQclear(timed_exec(c->pg, "SELECT pg_catalog.pg_stat_clear_snapshot()"));
    }
    /* A streaming standby is read on the primary, in the same statement (no commit more):
     * the first one of pg_stat_replication; its LSNs are NULL to a role without
     * pg_read_all_stats, and so are the figures then. */
    const char *sql =
        "SELECT d.xact_commit, "
        "CASE WHEN pg_catalog.pg_is_in_recovery() THEN NULL "
        "ELSE pg_catalog.pg_wal_lsn_diff(pg_catalog.pg_current_wal_lsn(), '0/0')::bigint END, "
        "pg_catalog.pg_database_size(d.datid), r.written, r.lag_bytes, r.lag_s "
        "FROM pg_catalog.pg_stat_database d LEFT JOIN LATERAL ("
        "SELECT pg_catalog.pg_wal_lsn_diff(s.write_lsn, '0/0')::bigint AS written, "
        "pg_catalog.pg_wal_lsn_diff(pg_catalog.pg_current_wal_lsn(), s.replay_lsn)::bigint AS lag_bytes, "
        "EXTRACT(epoch FROM s.replay_lag) AS lag_s FROM pg_catalog.pg_stat_replication s "
        "WHERE NOT pg_catalog.pg_is_in_recovery() ORDER BY s.pid LIMIT 1) r ON true "
        "WHERE d.datname = pg_catalog.current_database()";
    char v[6][64];
    if (query_row(c, sql, 0, NULL, v, 6, e) != 0)
        return -1;
    out->commits = v[0][0] ? strtoll(v[0], NULL, 10) : -1;
    out->wal_bytes = v[1][0] ? strtoll(v[1], NULL, 10) : -1;
    out->db_bytes = v[2][0] ? strtoll(v[2], NULL, 10) : -1;
    out->standby_write_lsn = v[3][0] ? strtoll(v[3], NULL, 10) : -1;
    out->standby_lag_bytes = v[4][0] ? strtoll(v[4], NULL, 10) : -1;
    if (out->standby_lag_bytes < -1)
        out->standby_lag_bytes = 0; /* replayed past the reading's own position: no lag */
    out->standby_replay_lag_s = v[5][0] ? strtod(v[5], NULL) : NAN;
    return 0;
}

/* The settings that decide write speed, in the order run.conf lists them. */
static const char *const write_settings[] = {
    "server_version", "synchronous_commit", "wal_level",          "shared_buffers",     "max_wal_size",
    "fsync",          "full_page_writes",   "wal_compression",    "checkpoint_timeout",
    /* what load-then-index's parallel index builds may use (it raises the first for its rebuild) */
    "max_parallel_maintenance_workers", "max_parallel_workers", "max_worker_processes", NULL};

/* Write a version number as text: 150018 -> "15.18", 90624 -> "9.6.24". */
static void version_text(int num, char *out, size_t n)
{
    if (num >= 100000)
        snprintf(out, n, "%d.%d", num / 10000, num % 10000);
    else
        snprintf(out, n, "%d.%d.%d", num / 10000, num / 100 % 100, num % 100);
}

static void pg_describe_settings(wb_conn *c, wb_buf *out)
{
    for (const char *const *name = write_settings; *name; name++) {
        char value[1][64];
        const char *params[1] = {*name};
        wb_error e = {{0}};
        if (query_row(c, "SELECT pg_catalog.current_setting($1)", 1, params, value, 1, &e) != 0)
            snprintf(value[0], sizeof value[0], "(unreadable)");
        wb_buf_printf(out, "postgresql.%s = %s\n", *name, value[0]);
    }
    char version[32];
    version_text(PQlibVersion(), version, sizeof version);
    wb_buf_printf(out, "postgresql.libpq_version = %s\n", version);
    /* With several hosts in the conninfo (host=a,b target_session_attrs=read-write), the one
     * libpq chose: the others are only named in db. */
    wb_buf_printf(out, "postgresql.connected_to = host %s port %s\n", PQhost(c->pg) ? PQhost(c->pg) : "?",
                  PQport(c->pg) ? PQport(c->pg) : "?");
    wb_buf_printf(out, "postgresql.server_is_local = %s\n",
                  c->caps.server_is_local ? "yes (the backend's peak RSS is recorded)"
                                          : "no (server_peak_rss_kb stays empty)");
}

static void pg_attach_counters(wb_conn *c, wb_counters *counters)
{
    c->counters = counters;
}

/* VmHWM of the connection's backend process, in kB; -1 when the server is not on this
 * machine. /proc/<pid>/status is world-readable on Linux (unless /proc is mounted with
 * hidepid), so this works whichever user runs the server. */
/* VmHWM of a server process, in kB; -1 when /proc has no such process. */
static int64_t process_peak_rss_kb(int pid)
{
    char path[64], line[256];
    snprintf(path, sizeof path, "/proc/%d/status", pid);
    FILE *f = fopen(path, "r");
    if (!f)
        return -1;
    int64_t kb = -1;
    while (fgets(line, sizeof line, f))
        if (strncmp(line, "VmHWM:", 6) == 0) {
            kb = strtoll(line + 6, NULL, 10);
            break;
        }
    fclose(f);
    return kb;
}

static int64_t pg_server_peak_rss_kb(wb_conn *c)
{
    if (!c || !c->caps.server_is_local)
        return -1;
    return process_peak_rss_kb(c->backend_pid);
}

/* Make the next read of pg_stat_activity current, inside a read-only transaction
 * (opened when the connection is idle, ended by the caller with ROLLBACK): a query in
 * autocommit would count as a commit of the test being measured, and inside a
 * transaction the activity view is a cached snapshot unless it is dropped each time. */
static void fresh_activity_view(wb_conn *c)
{
    if (PQtransactionStatus(c->pg) == PQTRANS_IDLE)
        PQclear(PQexec(c->pg, "BEGIN READ ONLY"));
    PQclear(PQexec(c->pg, "SELECT pg_catalog.pg_stat_clear_snapshot()"));
}

/* The largest VmHWM among the backends now serving connections named application_name
 * (an external program's, which writebench cannot ask itself); -1 when none is seen.
 * The samples run inside one transaction that is rolled back at the end (NULL name). */
static int64_t pg_server_peak_rss_kb_of(wb_conn *c, const char *application_name)
{
    if (!c || !c->caps.server_is_local)
        return -1;
    if (!application_name) {
        if (PQtransactionStatus(c->pg) == PQTRANS_INTRANS)
            PQclear(PQexec(c->pg, "ROLLBACK"));
        return -1;
    }
    fresh_activity_view(c);
    const char *params[1] = {application_name};
    PGresult *r = PQexecParams(c->pg, "SELECT pid FROM pg_catalog.pg_stat_activity WHERE application_name = $1",
                               1, NULL, params, NULL, NULL, 0);
    int64_t largest = -1;
    if (PQresultStatus(r) == PGRES_TUPLES_OK)
        for (int i = 0; i < PQntuples(r); i++) {
            int64_t kb = process_peak_rss_kb(atoi(PQgetvalue(r, i, 0)));
            if (kb > largest)
                largest = kb;
        }
    PQclear(r);
    return largest;
}

/* Wait, at most max_wait_ms, until no other connection of this database named
 * application_name (NULL: our own connection's name) is open: a server process adds
 * its commits to pg_stat_database when it exits, a moment after its client closed,
 * so a reading taken before then would count them in the next window instead of
 * this one. The polls run inside one transaction that is rolled back. */
static void pg_await_others(wb_conn *c, const char *application_name, int max_wait_ms)
{
    if (!c || PQtransactionStatus(c->pg) != PQTRANS_IDLE)
        return;
    const char *params[1] = {application_name};
    for (int waited_ms = 0; waited_ms < max_wait_ms; waited_ms += 5) {
        fresh_activity_view(c);
        PGresult *r = PQexecParams(c->pg,
                                   "SELECT count(*) FROM pg_catalog.pg_stat_activity "
                                   "WHERE datname = pg_catalog.current_database() AND pid <> pg_catalog.pg_backend_pid() "
                                   "AND application_name = coalesce($1, pg_catalog.current_setting('application_name'))",
                                   1, NULL, params, NULL, NULL, 0);
        int others = PQresultStatus(r) == PGRES_TUPLES_OK ? atoi(PQgetvalue(r, 0, 0)) : 0;
        PQclear(r);
        if (others == 0)
            break;
        nanosleep(&(struct timespec){0, 5 * 1000 * 1000}, NULL);
    }
    PQclear(PQexec(c->pg, "ROLLBACK"));
}

/* Wait until the standby has replayed everything committed on the primary. A synchronous
 * commit of a transaction that wrote WAL flushes the WAL up to its commit record and so
 * every commit before it, asynchronous ones (--set synchronous_commit=off) included; the
 * WAL position after it is a record's end, which the standby's replay reaches. The
 * transaction must write WAL before its commit: the server commits one that only took an
 * xid asynchronously whatever synchronous_commit says (RecordTransactionCommit), and then
 * flushes nothing. A temporary table's catalogue rows are WAL-logged, and it is gone at
 * the commit. */
static int pg_await_replica(wb_conn *primary, wb_conn *standby, int max_wait_ms, wb_error *e)
{
    if (pg_exec(primary,
                "BEGIN; SET LOCAL synchronous_commit = on; "
                "CREATE TEMPORARY TABLE writebench_wal_flush (x int) ON COMMIT DROP; COMMIT",
                e) != 0)
        return wb_fail_prefix(e, "making sure the primary's WAL is flushed: ");
    char lsn[1][64];
    if (query_row(primary, "SELECT pg_catalog.pg_current_wal_lsn()", 0, NULL, lsn, 1, e) != 0)
        return -1;
    const char *params[1] = {lsn[0]};
    char replayed[2][64] = {"", ""};
    for (int waited_ms = 0;; waited_ms += 5) {
        if (query_row(standby,
                      "SELECT coalesce(pg_catalog.pg_last_wal_replay_lsn() >= $1::pg_catalog.pg_lsn, false), "
                      "pg_catalog.pg_last_wal_replay_lsn()",
                      1, params, replayed, 2, e) != 0)
            return -1;
        if (strcmp(replayed[0], "t") == 0)
            return 0;
        if (waited_ms >= max_wait_ms)
            return wb_fail(e, "the standby had not replayed the primary's WAL up to %s within %d s (it is at %s)",
                           lsn[0], max_wait_ms / 1000, replayed[1][0] ? replayed[1] : "no position: not a standby?");
        nanosleep(&(struct timespec){0, 5 * 1000 * 1000}, NULL);
    }
}

/* CHECKPOINT: the dirty buffers and WAL of the tests before are written now, outside
 * any measured time, instead of by a checkpoint that happens to fall inside a later
 * test (a 1M-row load writes hundreds of MB of WAL; max_wal_size triggers them). */
static int pg_settle(wb_conn *c, wb_error *e)
{
    return pg_exec(c, "CHECKPOINT", e);
}

const wb_backend wb_postgres_backend = {
    .interface_version = WB_BACKEND_INTERFACE_VERSION,
    .name = "postgresql",
    .display_name = "PostgreSQL",
    .dialect = &postgres_dialect,
    .caps = WB_CAP_COPY | WB_CAP_PIPELINE | WB_CAP_MERGE | WB_CAP_RETURNING | WB_CAP_ARRAYS |
            WB_CAP_NAMED_PREPARED | WB_CAP_UPSERT | WB_CAP_UPDATE_FROM | WB_CAP_DROP_CONSTRAINT |
            WB_CAP_SERVER_COUNTERS | WB_CAP_NAMED_NAMESPACE,
    .schemes = wb_pg_schemes,
    .forms = "postgresql://... or a libpq conninfo string",
    .parse_target = wb_pg_parse_target,
    .connect = pg_connect,
    .disconnect = pg_disconnect,
    .exec = pg_exec,
    .query = pg_query,
    .server_version = pg_server_version,
    .claim_namespace = pg_claim_namespace,
    .table_name = pg_table_name,
    .snapshot = pg_snapshot,
    .describe_settings = pg_describe_settings,
    .attach_counters = pg_attach_counters,
    .stmt_prepare = wb_pg_stmt_prepare,
    .stmt_bind = wb_pg_stmt_bind,
    .stmt_exec = wb_pg_stmt_exec,
    .stmt_finalize = wb_pg_stmt_finalize,
    .begin = wb_pg_begin,
    .commit = wb_pg_commit,
    .rollback = wb_pg_rollback,
    .param_limit = wb_pg_param_limit,
    .stmt_bind_copies = true,
    .claims_bare = wb_pg_claims_bare,
    .mask_secrets = wb_pg_mask_secrets,
    .namespace_noun = "a schema",
    .temp_server_start = wb_pg_temp_server_start,
    .temp_server_describe = wb_pg_temp_server_describe,
    .temp_server_stop = wb_pg_temp_server_stop,
    .temp_server_noun = "PostgreSQL cluster",
    .server_peak_rss_kb = pg_server_peak_rss_kb,
    .server_peak_rss_kb_of = pg_server_peak_rss_kb_of,
    .settle = pg_settle,
    .await_others = pg_await_others,
    .lock = pg_lock,
    .unlock = pg_unlock,
    .drop_namespace_if_empty = pg_drop_namespace_if_empty,
    .external_env = wb_pg_external_env,
    .drop_constraints_sql = wb_pg_drop_constraints_sql,
    .describe_tables = wb_pg_describe_tables,
    .temp_server_reach = wb_pg_temp_server_reach,
    .temp_server_release = wb_pg_temp_server_release,
    .await_replica = pg_await_replica,
    .probe = wb_pg_probe,
    .add_session_setting = wb_pg_add_session_setting,
};

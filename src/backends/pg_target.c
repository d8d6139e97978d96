/* The PostgreSQL backend's --db forms: postgresql:// and postgres:// URLs, a
 * libpq conninfo string ("host=h dbname=d", libpq 15's keywords only, several
 * hosts included: "host=a,b target_session_attrs=read-write"), and "pg-temp:", a
 * throwaway local cluster the command starts (pg_temp.c) whose conninfo it fills,
 * with its topology after a "?" ("pg-temp:?standby=sync&pooler=transaction"); and
 * what an external program is told about the target. URLs and conninfo strings may
 * carry a password: the printable form drops it (redact.h), and so does every
 * error; only an external program's environment holds it. */
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "backends/pg_internal.h"
#include "backends/pg_temp.h"
#include "backends/redact.h"

const char *const wb_pg_schemes[] = {"postgresql", "postgres", "pg-temp", NULL};

/* The connection keywords libpq 15 accepts; anything else is not a conninfo string. */
static const char *const conninfo_keywords[] = {
    "host", "hostaddr", "port", "dbname", "user", "password", "passfile", "channel_binding",
    "connect_timeout", "client_encoding", "options", "application_name",
    "fallback_application_name", "keepalives", "keepalives_idle", "keepalives_interval",
    "keepalives_count", "tcp_user_timeout", "replication", "gssencmode", "sslmode",
    "requiressl", "sslcompression", "sslcert", "sslkey", "sslpassword", "sslrootcert", "sslcrl",
    "sslcrldir", "sslsni", "requirepeer", "ssl_min_protocol_version",
    "ssl_max_protocol_version", "krbsrvname", "gsslib", "service", "target_session_attrs",
    NULL};

static int is_conninfo_keyword(const char *key, size_t n)
{
    for (const char *const *k = conninfo_keywords; *k; k++)
        if (strlen(*k) == n && strncmp(*k, key, n) == 0)
            return 1;
    return 0;
}

/* Whether s is a well-formed conninfo string: one or more `keyword = value` pairs of
 * libpq keywords, values plain or single-quoted (closed). */
static int is_conninfo(const char *s)
{
    const char *p = s;
    int pairs = 0;
    for (;;) {
        while (isspace((unsigned char)*p))
            p++;
        if (!*p)
            return pairs > 0;
        const char *key = p;
        while (isalnum((unsigned char)*p) || *p == '_')
            p++;
        size_t key_len = (size_t)(p - key);
        while (isspace((unsigned char)*p))
            p++;
        if (key_len == 0 || *p != '=' || !is_conninfo_keyword(key, key_len))
            return 0;
        p++;
        while (isspace((unsigned char)*p))
            p++;
        size_t value_len = wb_pairs_value_len(p);
        if (*p == '\'' && (value_len < 2 || p[value_len - 1] != '\''))
            return 0; /* unterminated quote */
        if (*p == '\'' && value_len >= 2) {
            /* A closing quote that was escaped ("'abc\'") does not close. */
            size_t backslashes = 0;
            for (size_t i = value_len - 1; i > 1 && p[i - 1] == '\\'; i--)
                backslashes++;
            if (backslashes % 2)
                return 0;
        }
        p += value_len;
        pairs++;
    }
}

bool wb_pg_claims_bare(const char *url)
{
    return !strstr(url, "://") && is_conninfo(url);
}

int wb_pg_parse_target(const char *url, bool for_run, wb_target *t, wb_error *e)
{
    (void)for_run;
    if (!url)
        return WB_TARGET_NOT_MINE; /* not the default backend */
    if (strncmp(url, "pg-temp:", 8) == 0) {
        /* "pg-temp:" exactly, or with its topology after "?"; anything else after it is
         * some other form (a file name). */
        if (url[8] && url[8] != '?')
            return WB_TARGET_NOT_MINE;
        wb_pg_topology topo;
        const char *options = url[8] ? url + 9 : "";
        if (wb_pg_topology_parse(options, &topo, e) != 0)
            return -1;
        if (wb_target_copy_field(t->temp_server_options, sizeof t->temp_server_options, options,
                                 "the pg-temp: options", e) != 0)
            return -1;
        t->temp_server = true;
        wb_target_set_redacted(t, url); /* no secret in it */
        return 0;
    }
    /* A scheme without "//" ("postgresql:x") was a file name before URLs were recognised. */
    int is_url = strncmp(url, "postgresql://", 13) == 0 || strncmp(url, "postgres://", 11) == 0;
    if (!is_url && !wb_pg_claims_bare(url))
        return WB_TARGET_NOT_MINE;
    if (wb_target_copy_field(t->conninfo, sizeof t->conninfo, url, "the --db connection string", e) != 0)
        return -1;
    wb_buf shown = WB_BUF_INIT;
    wb_redact_any(url, &shown);
    wb_target_set_redacted(t, wb_buf_str(&shown));
    wb_buf_free(&shown);
    return 0;
}

void wb_pg_mask_secrets(char *url)
{
    if (strstr(url, "://"))
        wb_mask_url(url);
    else if (strchr(url, '='))
        wb_mask_pairs(url);
}

/* ---- --set: session settings --------------------------------------------- */

/* A setting's name as the server could hold it: letters, digits and _, optionally
 * one "class." prefix (a placeholder, e.g. an extension's); checked here so that the
 * SET built from it needs no quoting, the server then decides whether it exists. */
static int valid_setting_name(const char *s, size_t n)
{
    int dots = 0;
    if (n == 0 || n > 63 || !(isalpha((unsigned char)s[0]) || s[0] == '_'))
        return 0;
    for (size_t i = 1; i < n; i++) {
        if (s[i] == '.' && i + 1 < n && ++dots == 1)
            continue;
        if (!(isalnum((unsigned char)s[i]) || s[i] == '_'))
            return 0;
    }
    return 1;
}

int wb_pg_add_session_setting(wb_target *t, const char *assignment, wb_error *e)
{
    const char *eq = strchr(assignment, '=');
    if (!eq)
        return wb_fail(e, "--set '%s': expected name=value (for example synchronous_commit=off)", assignment);
    size_t name_len = (size_t)(eq - assignment);
    if (!valid_setting_name(assignment, name_len))
        return wb_fail(e, "--set '%s': the name must be a server setting's (letters, digits, _, one '.')",
                       assignment);
    const char *value = eq + 1;
    if (!*value)
        return wb_fail(e, "--set '%s': the value is empty", assignment);
    for (const char *c = value; *c; c++)
        if ((unsigned char)*c < 0x20 || *c == ';')
            return wb_fail(e, "--set '%s': the value holds a control character or ';'", assignment);
    if (strlen(assignment) >= sizeof t->settings[0])
        return wb_fail(e, "--set '%s' is too long (at most %zu bytes)", assignment, sizeof t->settings[0] - 1);
    /* The same name again replaces its value (names are case-insensitive on the server). */
    int slot = t->nsettings;
    for (int i = 0; i < t->nsettings; i++)
        if (strncasecmp(t->settings[i], assignment, name_len) == 0 && t->settings[i][name_len] == '=')
            slot = i;
    if (slot == t->nsettings) {
        if (t->nsettings >= WB_MAX_SETTINGS)
            return wb_fail(e, "too many --set settings (at most %d)", WB_MAX_SETTINGS);
        t->nsettings++;
    }
    memcpy(t->settings[slot], assignment, strlen(assignment) + 1);
    return 0;
}

/* ---- external programs ----------------------------------------------------- */

/* libpq's own variables for the keywords a conninfo may set, so a program that
 * connects with no arguments (psql, psycopg2.connect("")) lands in the same place. */
static const struct {
    const char *keyword;
    const char *variable;
} pg_variables[] = {
    {"host", "PGHOST"},         {"hostaddr", "PGHOSTADDR"}, {"port", "PGPORT"},
    {"user", "PGUSER"},         {"password", "PGPASSWORD"}, {"dbname", "PGDATABASE"},
    {"sslmode", "PGSSLMODE"},   {"passfile", "PGPASSFILE"}, {"connect_timeout", "PGCONNECT_TIMEOUT"},
};

/* The PostgreSQL part: URL, PG* variables, search_path to writebench's schema. */
void wb_pg_external_env(const wb_target *t, const char *application_name, const wb_env *env)
{
    PQconninfoOption *opts = PQconninfoParse(t->conninfo, NULL);
    wb_buf url = WB_BUF_INIT;
    wb_buf_puts(&url, "postgresql:///");
    const char *dbname = NULL;
    int nparams = 0;
    for (PQconninfoOption *o = opts; o && o->keyword; o++) {
        if (!o->val || !o->val[0])
            continue;
        if (strcmp(o->keyword, "dbname") == 0) {
            dbname = o->val;
            continue;
        }
        if (strcmp(o->keyword, "options") == 0)
            continue; /* joined with the search_path below */
        wb_buf_printf(&url, "%s%s=", nparams++ ? "&" : "?", o->keyword);
        wb_target_url_encode(&url, o->val);
    }
    if (dbname) { /* the path part, before the query */
        wb_buf with_db = WB_BUF_INIT;
        wb_buf_puts(&with_db, "postgresql:///");
        wb_target_url_encode(&with_db, dbname);
        wb_buf_puts(&with_db, wb_buf_str(&url) + strlen("postgresql:///"));
        wb_buf_free(&url);
        url = with_db;
    }
    env->set(env->arg, "WRITEBENCH_DATABASE_URL", wb_buf_str(&url));
    wb_buf_free(&url);
    for (PQconninfoOption *o = opts; o && o->keyword; o++)
        for (size_t i = 0; i < sizeof pg_variables / sizeof pg_variables[0]; i++)
            if (o->val && o->val[0] && strcmp(o->keyword, pg_variables[i].keyword) == 0)
                env->set(env->arg, pg_variables[i].variable, o->val);

    /* -c search_path="schema": PGOPTIONS splits on spaces unless backslash-escaped, and the
     * schema is a quoted identifier (any name --schema accepted). */
    wb_buf options = WB_BUF_INIT;
    const char *inherited = env->get(env->arg, "PGOPTIONS");
    for (PQconninfoOption *o = opts; o && o->keyword; o++)
        if (strcmp(o->keyword, "options") == 0 && o->val && o->val[0])
            inherited = o->val;
    if (inherited && inherited[0])
        wb_buf_printf(&options, "%s ", inherited);
    wb_buf_puts(&options, "-c search_path=\"");
    for (const char *p = t->schema; *p; p++) {
        if (*p == '"')
            wb_buf_putc(&options, '"');
        if (*p == ' ' || *p == '\\')
            wb_buf_putc(&options, '\\');
        wb_buf_putc(&options, *p);
    }
    wb_buf_putc(&options, '"');
    /* --set: the test's session settings, as -c name=value (a program's connections get
     * them at their start, as writebench's get them by SET) */
    for (int i = 0; i < t->nsettings; i++) {
        wb_buf_puts(&options, " -c ");
        for (const char *p = t->settings[i]; *p; p++) {
            if (*p == ' ' || *p == '\\')
                wb_buf_putc(&options, '\\');
            wb_buf_putc(&options, *p);
        }
    }
    env->set(env->arg, "PGOPTIONS", wb_buf_str(&options));
    wb_buf_reset(&options);
    for (int i = 0; i < t->nsettings; i++)
        wb_buf_printf(&options, "%s%s", i ? ";" : "", t->settings[i]);
    env->set(env->arg, "WRITEBENCH_SETTINGS", wb_buf_str(&options));
    wb_buf_free(&options);
    env->set(env->arg, "WRITEBENCH_SCHEMA", t->schema);
    /* so that server_peak_rss_kb_of finds the program's server processes */
    env->set(env->arg, "PGAPPNAME", application_name);
    PQconninfoFree(opts);
}


/* ---- pg-temp: through the backend's throwaway-server methods ---------------- */

int wb_pg_temp_server_start(wb_target *t, wb_temp_server **out, wb_error *e)
{
    wb_pg_temp *cluster = NULL;
    *out = NULL;
    wb_pg_topology topo;
    if (wb_pg_topology_parse(t->temp_server_options, &topo, e) != 0)
        return -1;
    if (wb_pg_temp_start(&cluster, &topo, t->schema, t->conninfo, sizeof t->conninfo, e) != 0)
        return -1;
    *out = (wb_temp_server *)cluster;
    return 0;
}

void wb_pg_temp_server_describe(const wb_temp_server *s, wb_buf *out)
{
    wb_pg_temp_describe((const wb_pg_temp *)s, out);
}

void wb_pg_temp_server_stop(wb_temp_server *s)
{
    wb_pg_temp_stop((wb_pg_temp *)s);
}

int wb_pg_temp_server_reach(const wb_temp_server *s, int part, wb_target *out)
{
    return wb_pg_temp_conninfo((const wb_pg_temp *)s, part == WB_TEMP_STANDBY ? WB_PG_TEMP_STANDBY : WB_PG_TEMP_PRIMARY,
                               out->conninfo, sizeof out->conninfo);
}

void wb_pg_temp_server_release(wb_temp_server *s)
{
    wb_pg_temp_release_pooled((const wb_pg_temp *)s);
}

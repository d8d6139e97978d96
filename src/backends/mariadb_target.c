/* The MariaDB backend's --db forms: mariadb:// and mysql:// URLs,
 *
 *     mariadb://[user[:password]@][host][:port][/database][?param=value&...]
 *
 * with the parameters socket (a unix socket), option_file and option_group (MariaDB
 * option files, read as the mariadb client reads them), connect_timeout and
 * password; a host that is a path (percent-encoded, "%2Frun%2Fmysqld%2Fsock") is a
 * socket too. The database is writebench's namespace on the server: one it creates
 * and marks ("writebench" when the URL names none). "mariadb-temp:" is a throwaway
 * server the command starts (mariadb_temp.c), which fills conninfo with a URL of
 * this form. Also --pragma (session variables) and what an external program is told
 * about the target.
 *
 * A URL may carry a password: the printable form drops it (redact.h), errors show
 * the printable form only, and only an external program's environment holds it. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backends/mariadb_internal.h"
#include "backends/redact.h"

const char *const wb_mariadb_schemes[] = {"mariadb", "mysql", "mariadb-temp", NULL};

/* The query parameters a URL may have, and where each goes. */
typedef enum url_param { P_SOCKET, P_OPTION_FILE, P_OPTION_GROUP, P_CONNECT_TIMEOUT, P_PASSWORD } url_param;
static const char *const param_names[] = {"socket", "option_file", "option_group", "connect_timeout", "password"};
#define NPARAMS (sizeof param_names / sizeof param_names[0])

int wb_mariadb_database_name_ok(const char *name)
{
    size_t n = strlen(name);
    if (n == 0 || n > 63) /* MariaDB takes 64; wb_target.schema holds 63 */
        return 0;
    for (const char *p = name; *p; p++)
        if (!isalnum((unsigned char)*p) && *p != '_' && *p != '$')
            return 0;
    return 1;
}

/* Percent-decode n bytes at s into out[cap]; -1 when it does not fit, holds a NUL
 * or a malformed escape. */
static int decode(const char *s, size_t n, char *out, size_t cap)
{
    size_t len = 0;
    for (size_t i = 0; i < n; i++) {
        char ch = s[i];
        if (ch == '%') {
            if (i + 2 >= n || !isxdigit((unsigned char)s[i + 1]) || !isxdigit((unsigned char)s[i + 2]))
                return -1;
            char hex[3] = {s[i + 1], s[i + 2], 0};
            ch = (char)strtol(hex, NULL, 16);
            i += 2;
            if (ch == '\0')
                return -1;
        }
        if (len + 1 >= cap)
            return -1;
        out[len++] = ch;
    }
    out[len] = '\0';
    return 0;
}

/* The error for a URL, which shows it redacted. */
static int url_fail(wb_error *e, const char *url, const char *what)
{
    wb_buf shown = WB_BUF_INIT;
    wb_redact_url(url, &shown);
    wb_fail(e, "--db '%.300s': %s", wb_buf_str(&shown), what);
    wb_buf_free(&shown);
    return -1;
}

/* Read the query parameters at q (after '?') into u. */
static int parse_params(const char *url, const char *q, wb_mariadb_url *u, wb_error *e)
{
    char value[1024], msg[400];
    while (*q) {
        size_t n = strcspn(q, "&");
        size_t key_len = strcspn(q, "=&");
        if (key_len >= n) {
            snprintf(msg, sizeof msg, "parameter '%.*s' has no value (write name=value)", (int)(key_len < 60 ? key_len : 60), q);
            return url_fail(e, url, msg);
        }
        size_t which = NPARAMS;
        for (size_t i = 0; i < NPARAMS; i++)
            if (strlen(param_names[i]) == key_len && strncmp(q, param_names[i], key_len) == 0)
                which = i;
        if (which == NPARAMS) {
            snprintf(msg, sizeof msg,
                     "unknown parameter '%.*s' (known: socket, option_file, option_group, connect_timeout, password)",
                     (int)(key_len < 60 ? key_len : 60), q);
            return url_fail(e, url, msg);
        }
        if (decode(q + key_len + 1, n - key_len - 1, value, sizeof value) != 0) {
            snprintf(msg, sizeof msg, "the value of %s is malformed or too long", param_names[which]);
            return url_fail(e, url, msg);
        }
        if ((url_param)which == P_CONNECT_TIMEOUT) {
            char *end = NULL;
            long v = strtol(value, &end, 10);
            if (end == value || *end || v < 1 || v > 3600)
                return url_fail(e, url, "connect_timeout must be 1 to 3600 seconds");
            u->connect_timeout_s = (unsigned)v;
        } else {
            /* where the text value goes (by url_param), and how much fits there */
            char *const dest[] = {u->socket, u->option_file, u->option_group, NULL, u->password};
            const size_t room[] = {sizeof u->socket, sizeof u->option_file, sizeof u->option_group, 0,
                                   sizeof u->password};
            size_t len = strlen(value);
            if (len >= room[which]) {
                snprintf(msg, sizeof msg, "the value of %s is too long (at most %zu bytes)", param_names[which],
                         room[which] - 1);
                return url_fail(e, url, msg);
            }
            memcpy(dest[which], value, len + 1);
        }
        q += n;
        if (*q == '&')
            q++;
    }
    return 0;
}

int wb_mariadb_parse_url(const char *url, wb_mariadb_url *u, wb_error *e)
{
    memset(u, 0, sizeof *u);
    const char *sep = strstr(url, "://");
    if (!sep || (strncmp(url, "mariadb://", 10) != 0 && strncmp(url, "mysql://", 8) != 0))
        return url_fail(e, url, "expected mariadb://[user[:password]@][host][:port][/database][?socket=PATH]");
    const char *authority = sep + 3;
    const char *end = authority + strcspn(authority, "/?");
    /* The userinfo ends at the last '@' before the path, as redaction reads it. */
    const char *at = NULL;
    for (const char *p = authority; p < end; p++)
        if (*p == '@')
            at = p;
    const char *hostport = authority;
    if (at) {
        const char *colon = memchr(authority, ':', (size_t)(at - authority));
        size_t user_len = (size_t)((colon ? colon : at) - authority);
        if (decode(authority, user_len, u->user, sizeof u->user) != 0)
            return url_fail(e, url, "the user name is malformed or too long");
        if (colon && decode(colon + 1, (size_t)(at - colon - 1), u->password, sizeof u->password) != 0)
            return url_fail(e, url, "the password is malformed or too long");
        hostport = at + 1;
    }
    const char *port = NULL;
    const char *host_end = end;
    if (*hostport == '[') { /* [IPv6] */
        const char *close = memchr(hostport, ']', (size_t)(end - hostport));
        if (!close)
            return url_fail(e, url, "an IPv6 host needs its closing ']'");
        if (decode(hostport + 1, (size_t)(close - hostport - 1), u->host, sizeof u->host) != 0)
            return url_fail(e, url, "the host is malformed or too long");
        if (close + 1 < end && close[1] == ':')
            port = close + 2;
        else if (close + 1 != end)
            return url_fail(e, url, "expected ':port' after the IPv6 host");
    } else {
        const char *colon = memchr(hostport, ':', (size_t)(end - hostport));
        if (colon) {
            host_end = colon;
            port = colon + 1;
        }
        char host[1024];
        if (decode(hostport, (size_t)(host_end - hostport), host, sizeof host) != 0)
            return url_fail(e, url, "the host is malformed or too long");
        size_t len = strlen(host);
        if (host[0] == '/' && len >= sizeof u->socket) /* a socket path as the host */
            return url_fail(e, url, "the socket path is too long");
        if (host[0] != '/' && len >= sizeof u->host)
            return url_fail(e, url, "the host is too long");
        memcpy(host[0] == '/' ? u->socket : u->host, host, len + 1);
    }
    if (port) {
        char *pend = NULL;
        long p = strtol(port, &pend, 10);
        if (pend == port || pend != end || p < 1 || p > 65535)
            return url_fail(e, url, "the port must be a number from 1 to 65535");
        u->port = (unsigned)p;
    }
    const char *rest = end;
    if (*rest == '/') {
        rest++;
        size_t n = strcspn(rest, "?");
        char db[256];
        if (decode(rest, n, db, sizeof db) != 0)
            return url_fail(e, url, "the database name is malformed or too long");
        if (db[0] && !wb_mariadb_database_name_ok(db))
            return url_fail(e, url, "the database name must be 1 to 63 letters, digits, '_' or '$'");
        snprintf(u->database, sizeof u->database, "%.63s", db);
        rest += n;
    }
    if (*rest == '?')
        return parse_params(url, rest + 1, u, e);
    return 0;
}

int wb_mariadb_parse_target(const char *url, bool for_run, wb_target *t, wb_error *e)
{
    (void)for_run;
    if (!url)
        return WB_TARGET_NOT_MINE; /* not the default backend */
    if (strncmp(url, "mariadb-temp:", 13) == 0) {
        if (url[13])
            return WB_TARGET_NOT_MINE; /* "mariadb-temp:" exactly; anything after it is some other form */
        t->temp_server = true;
        wb_target_set_redacted(t, "mariadb-temp:");
        return 0;
    }
    if (!strstr(url, "://"))
        return WB_TARGET_NOT_MINE; /* "mysql:x" was a file name before URLs were recognised */
    wb_mariadb_url u;
    if (wb_mariadb_parse_url(url, &u, e) != 0)
        return -1;
    if (wb_target_copy_field(t->conninfo, sizeof t->conninfo, url, "the --db URL", e) != 0)
        return -1;
    if (u.database[0])
        snprintf(t->schema, sizeof t->schema, "%.63s", u.database);
    wb_buf shown = WB_BUF_INIT;
    wb_redact_url(url, &shown);
    wb_target_set_redacted(t, wb_buf_str(&shown));
    wb_buf_free(&shown);
    return 0;
}

void wb_mariadb_mask_secrets(char *url)
{
    wb_mask_url(url);
}

/* --pragma name=value: a session variable set on every connection (SET SESSION),
 * "sql_mode=NO_BACKSLASH_ESCAPES". The name is a plain word and the value a plain
 * word or list, so that nothing needs quoting rules that depend on sql_mode. */
int wb_mariadb_add_setting(wb_target *t, const char *assignment, wb_error *e)
{
    const char *eq = strchr(assignment, '=');
    if (!eq || eq == assignment || !eq[1])
        return wb_fail(e, "--pragma %s: write a session variable as name=value (sql_mode=NO_BACKSLASH_ESCAPES)",
                       assignment);
    for (const char *p = assignment; p < eq; p++)
        if (!isalnum((unsigned char)*p) && *p != '_')
            return wb_fail(e, "--pragma %s: the variable's name must be letters, digits and '_'", assignment);
    for (const char *p = eq + 1; *p; p++)
        if (!isalnum((unsigned char)*p) && !strchr("_,.-", *p))
            return wb_fail(e, "--pragma %s: the value must be letters, digits and _ , . -", assignment);
    if (t->npragmas >= WB_MAX_PRAGMAS)
        return wb_fail(e, "--pragma: at most %d settings", WB_MAX_PRAGMAS);
    if (strlen(assignment) >= sizeof t->pragmas[0])
        return wb_fail(e, "--pragma %.60s...: too long", assignment);
    snprintf(t->pragmas[t->npragmas++], sizeof t->pragmas[0], "%s", assignment);
    return 0;
}

/* ---- external programs ----------------------------------------------------- */

/* Set name to value, or leave it as inherited when value is empty. */
static void set_if(const wb_env *env, const char *name, const char *value)
{
    if (value && value[0])
        env->set(env->arg, name, value);
}

void wb_mariadb_external_env(const wb_target *t, const char *application_name, const wb_env *env)
{
    (void)application_name; /* the server keeps no client-chosen name that all clients can set */
    wb_mariadb_url u;
    wb_error ignored;
    if (wb_mariadb_parse_url(t->conninfo, &u, &ignored) != 0)
        return;
    /* The URL the program can use as it is: writebench's database, the password included. */
    wb_buf url = WB_BUF_INIT;
    wb_buf_puts(&url, "mariadb://");
    if (u.user[0]) {
        wb_target_url_encode(&url, u.user);
        if (u.password[0]) {
            wb_buf_putc(&url, ':');
            wb_target_url_encode(&url, u.password);
        }
        wb_buf_putc(&url, '@');
    }
    if (strchr(u.host, ':')) { /* IPv6 */
        wb_buf_putc(&url, '[');
        wb_target_url_encode(&url, u.host);
        wb_buf_putc(&url, ']');
    } else {
        wb_target_url_encode(&url, u.host);
    }
    if (u.port)
        wb_buf_printf(&url, ":%u", u.port);
    wb_buf_putc(&url, '/');
    wb_target_url_encode(&url, t->schema);
    const char *sep = "?";
    const struct {
        const char *name, *value;
    } params[] = {{"socket", u.socket}, {"option_file", u.option_file}, {"option_group", u.option_group}};
    for (size_t i = 0; i < sizeof params / sizeof params[0]; i++)
        if (params[i].value[0]) {
            wb_buf_printf(&url, "%s%s=", sep, params[i].name);
            wb_target_url_encode(&url, params[i].value);
            sep = "&";
        }
    env->set(env->arg, "WRITEBENCH_DATABASE_URL", wb_buf_str(&url));
    wb_buf_free(&url);
    env->set(env->arg, "WRITEBENCH_SCHEMA", t->schema);
    /* Each part apart, for drivers that take keyword arguments (pymysql.connect). */
    char port[16] = "";
    if (u.port)
        snprintf(port, sizeof port, "%u", u.port);
    env->set(env->arg, "WRITEBENCH_MARIADB_DATABASE", t->schema);
    env->set(env->arg, "WRITEBENCH_MARIADB_HOST", u.host);
    env->set(env->arg, "WRITEBENCH_MARIADB_PORT", port);
    env->set(env->arg, "WRITEBENCH_MARIADB_SOCKET", u.socket);
    env->set(env->arg, "WRITEBENCH_MARIADB_USER", u.user);
    env->set(env->arg, "WRITEBENCH_MARIADB_PASSWORD", u.password);
    env->set(env->arg, "WRITEBENCH_MARIADB_OPTION_FILE", u.option_file);
    env->set(env->arg, "WRITEBENCH_MARIADB_OPTION_GROUP", u.option_group);
    /* The mariadb/mysql clients' own variables, so that `mariadb` with no arguments
     * lands in the same place (it reads the user from USER, which is left alone). */
    set_if(env, "MYSQL_HOST", u.host);
    set_if(env, "MYSQL_TCP_PORT", port);
    set_if(env, "MYSQL_UNIX_PORT", u.socket);
    set_if(env, "MYSQL_PWD", u.password);
}

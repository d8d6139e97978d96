/* --db parsing, --pragma validation and the backend registry.
 *
 * A --db value is one of: a SQLite URL (sqlite:///abs.db, sqlite://rel.db,
 * sqlite:rel.db), a plain file path, a PostgreSQL URL (postgresql://,
 * postgres://) or a libpq conninfo string ("host=h dbname=d"). PostgreSQL
 * targets may carry a password, so everything printable (url_redacted, every
 * error message) goes through the redaction below, which drops passwords from
 * URL userinfo, URL query strings and conninfo pairs. */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "backends/postgres.h"
#include "backends/sqlite.h"

#define DEFAULT_BUSY_TIMEOUT_MS 600000
#define DEFAULT_SCHEMA "writebench"
#define DEFAULT_FILE_NAME "writebench.db"

const wb_backend *wb_backend_get(wb_backend_kind kind)
{
    static const wb_backend *const backends[WB_BACKEND_COUNT] = {
        [WB_BACKEND_SQLITE] = &wb_sqlite_backend,
        [WB_BACKEND_POSTGRES] = &wb_postgres_backend,
    };
    return (unsigned)kind < WB_BACKEND_COUNT ? backends[kind] : NULL;
}

/* ---- redaction ---------------------------------------------------------- */

/* Keys whose values are secrets, in URL query strings and conninfo strings. */
static const char *const secret_keys[] = {"password", "sslpassword", NULL};

/* Whether key (n bytes, possibly %-encoded as libpq allows in URI queries) names a secret. */
static int is_secret_key(const char *key, size_t n)
{
    char decoded[64];
    size_t len = 0;
    for (size_t i = 0; i < n; i++) {
        char ch = key[i];
        if (ch == '%' && i + 2 < n && isxdigit((unsigned char)key[i + 1]) &&
            isxdigit((unsigned char)key[i + 2])) {
            char hex[3] = {key[i + 1], key[i + 2], 0};
            ch = (char)strtol(hex, NULL, 16);
            i += 2;
        }
        if (len + 1 >= sizeof decoded)
            return 0; /* no secret key is that long */
        decoded[len++] = (char)tolower((unsigned char)ch);
    }
    decoded[len] = '\0';
    for (const char *const *k = secret_keys; *k; k++)
        if (strcmp(decoded, *k) == 0)
            return 1;
    return 0;
}

/* Append a URL with the password of its userinfo and secret query parameters removed.
 * The userinfo is taken to end at the LAST '@' of the string, a superset of what libpq
 * reads as userinfo: an unencoded '@', '/' or '?' in a mistyped password must not leak
 * it. The price is that an '@' in a query value hides the host in the redacted text. */
static void redact_url(const char *url, wb_buf *out)
{
    const char *sep = strstr(url, "://");
    const char *rest = url;
    if (sep) {
        const char *authority = sep + 3;
        const char *at = strrchr(authority, '@');
        wb_buf_append(out, url, (size_t)(authority - url));
        if (at) {
            size_t user_len = strcspn(authority, ":@");
            if (authority + user_len > at)
                user_len = (size_t)(at - authority);
            wb_buf_append(out, authority, user_len);
            wb_buf_putc(out, '@');
            rest = at + 1;
        } else {
            rest = authority;
        }
    }
    const char *query = strchr(rest, '?');
    if (!query) {
        wb_buf_puts(out, rest);
        return;
    }
    wb_buf_append(out, rest, (size_t)(query - rest));
    /* Keep the non-secret parameters, '?' before the first kept one, '&' between. */
    int kept = 0;
    const char *p = query + 1;
    while (*p) {
        size_t n = strcspn(p, "&");
        size_t key_len = strcspn(p, "=&");
        if (key_len > n)
            key_len = n;
        if (n > 0 && !is_secret_key(p, key_len)) {
            wb_buf_putc(out, kept++ ? '&' : '?');
            wb_buf_append(out, p, n);
        }
        p += n;
        if (*p == '&')
            p++;
    }
}

/* Length of a conninfo value at p: single-quoted with backslash escapes, or up to
 * the next space. An unterminated quote runs to the end (and is reported by the parser). */
static size_t conninfo_value_len(const char *p)
{
    const char *q = p;
    if (*q == '\'') {
        for (q++; *q && *q != '\''; q++)
            if (*q == '\\' && q[1])
                q++;
        if (*q == '\'')
            q++;
        return (size_t)(q - p);
    }
    while (*q && !isspace((unsigned char)*q))
        q++;
    return (size_t)(q - p);
}

/* Append a conninfo string with its secret pairs removed. Tolerant of malformed
 * input (it also redacts what is about to be reported as an error): a bare word is
 * kept, a secret key's value is dropped up to the next space or closing quote. */
static void redact_conninfo(const char *s, wb_buf *out)
{
    const char *p = s;
    int first = 1;
    while (*p) {
        while (isspace((unsigned char)*p))
            p++;
        if (!*p)
            break;
        const char *key = p;
        while (*p && *p != '=' && !isspace((unsigned char)*p))
            p++;
        size_t key_len = (size_t)(p - key);
        const char *after_key = p;
        while (isspace((unsigned char)*p))
            p++;
        if (*p != '=') {
            /* A bare word: not a pair. */
            wb_buf_printf(out, "%s%.*s", first ? "" : " ", (int)key_len, key);
            first = 0;
            p = after_key;
            continue;
        }
        p++;
        while (isspace((unsigned char)*p))
            p++;
        size_t value_len = conninfo_value_len(p);
        if (!is_secret_key(key, key_len)) {
            wb_buf_printf(out, "%s%.*s=%.*s", first ? "" : " ", (int)key_len, key,
                          (int)value_len, p);
            first = 0;
        }
        p += value_len;
    }
}

/* Append the text of a --db value that is safe to print, whatever its form. */
static void redact_any(const char *url, wb_buf *out)
{
    if (strstr(url, "://"))
        redact_url(url, out);
    else if (strchr(url, '='))
        redact_conninfo(url, out);
    else
        wb_buf_puts(out, url);
}

/* ---- masking in place ----------------------------------------------------- */

/* Overwrite n bytes at p with 'x': the same length, so the text around stays put. */
static void mask(char *p, size_t n)
{
    memset(p, 'x', n);
}

/* Mask the values of the secret parameters of a URL query string ("a=1&password=s"). */
static void mask_query(char *p)
{
    while (*p) {
        size_t n = strcspn(p, "&");
        size_t key_len = strcspn(p, "=&");
        if (key_len < n && is_secret_key(p, key_len))
            mask(p + key_len + 1, n - key_len - 1);
        p += n;
        if (*p == '&')
            p++;
    }
}

/* Mask a URL's userinfo password and secret query values. The userinfo ends at the
 * LAST '@', as in redact_url, so that a mistyped password is masked whole. */
static void mask_url(char *url)
{
    char *authority = strstr(url, "://") + 3;
    char *at = strrchr(authority, '@');
    char *rest = authority;
    if (at) {
        size_t user_len = strcspn(authority, ":@");
        if (authority + user_len < at && authority[user_len] == ':')
            mask(authority + user_len + 1, (size_t)(at - authority) - user_len - 1);
        rest = at + 1;
    }
    char *query = strchr(rest, '?');
    if (query)
        mask_query(query + 1);
}

/* Mask the values of a conninfo string's secret pairs, inside their quotes when quoted;
 * as tolerant of malformed text as redact_conninfo. */
static void mask_conninfo(char *s)
{
    char *p = s;
    while (*p) {
        while (isspace((unsigned char)*p))
            p++;
        if (!*p)
            break;
        const char *key = p;
        while (*p && *p != '=' && !isspace((unsigned char)*p))
            p++;
        size_t key_len = (size_t)(p - key);
        char *after_key = p;
        while (isspace((unsigned char)*p))
            p++;
        if (*p != '=') {
            p = after_key; /* a bare word */
            continue;
        }
        p++;
        while (isspace((unsigned char)*p))
            p++;
        size_t value_len = conninfo_value_len(p);
        if (is_secret_key(key, key_len)) {
            int quoted = *p == '\'' && value_len >= 2 && p[value_len - 1] == '\'';
            if (*p == '\'' && !quoted)
                mask(p + 1, value_len - 1); /* an unterminated quote runs to the end */
            else if (quoted)
                mask(p + 1, value_len - 2);
            else
                mask(p, value_len);
        }
        p += value_len;
    }
}

void wb_target_mask_secrets(char *url)
{
    if (!url)
        return;
    if (strstr(url, "://"))
        mask_url(url);
    else if (strchr(url, '='))
        mask_conninfo(url);
}

/* ---- conninfo ----------------------------------------------------------- */

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
        size_t value_len = conninfo_value_len(p);
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

/* ---- parsing ------------------------------------------------------------ */

/* Copy src into dst[cap]; fail (naming what) when it does not fit. */
static int copy_field(char *dst, size_t cap, const char *src, const char *what, wb_error *e)
{
    size_t n = strlen(src);
    if (n >= cap)
        return wb_fail(e, "%s is too long (%zu bytes, at most %zu)", what, n, cap - 1);
    memcpy(dst, src, n + 1);
    return 0;
}

/* Copy the printable form into t->url_redacted, shortening it with "..." when too long
 * (it is only ever shown, never used to connect). */
static void set_redacted(wb_target *t, const char *text)
{
    size_t cap = sizeof t->url_redacted, n = strlen(text);
    if (n < cap) {
        memcpy(t->url_redacted, text, n + 1);
        return;
    }
    memcpy(t->url_redacted, text, cap - 4);
    memcpy(t->url_redacted + cap - 4, "...", 4);
}

static int unrecognised(const char *url, wb_error *e)
{
    wb_buf safe = WB_BUF_INIT;
    redact_any(url, &safe);
    wb_fail(e,
            "unrecognised --db '%.400s': expected sqlite:///path/file.db, a file path, "
            "postgresql://... or a libpq conninfo string",
            wb_buf_str(&safe));
    wb_buf_free(&safe);
    return -1;
}

/* A new file writebench.db in a fresh directory under $TMPDIR (or /tmp). */
static int default_sqlite_path(wb_target *t, wb_error *e)
{
    const char *tmp = getenv("TMPDIR");
    if (!tmp || !*tmp)
        tmp = "/tmp";
    char dir[4096];
    int n = snprintf(dir, sizeof dir, "%s/writebench-XXXXXX", tmp);
    if (n < 0 || (size_t)n >= sizeof dir)
        return wb_fail(e, "TMPDIR is too long");
    if (!mkdtemp(dir))
        return wb_fail(e, "cannot create a temporary directory under %s: %s", tmp, strerror(errno));
    n = snprintf(t->path, sizeof t->path, "%s/%s", dir, DEFAULT_FILE_NAME);
    if (n < 0 || (size_t)n >= sizeof t->path)
        return wb_fail(e, "TMPDIR is too long");
    t->path_is_default = true;
    return 0;
}

/* The file path of a SQLite --db value, or NULL when it is not a SQLite form. */
static const char *sqlite_path_of(const char *url)
{
    if (strncmp(url, "sqlite://", 9) == 0)
        return url + 9; /* sqlite:///abs -> /abs, sqlite://rel -> rel */
    if (strncmp(url, "sqlite:", 7) == 0)
        return url + 7;
    if (!strstr(url, "://") && !strchr(url, '='))
        return url;
    return NULL;
}

static int parse_sqlite(const char *url, const char *path, bool for_run, wb_target *t, wb_error *e)
{
    if (strcmp(path, ":memory:") == 0 && for_run)
        return wb_fail(e, "--db '%s' is an in-memory database, but each strategy runs in its own "
                          "process; give a file",
                       url);
    if (!*path)
        return wb_fail(e, "--db '%s' names no file", url);
    if (copy_field(t->path, sizeof t->path, path, "the --db file path", e) != 0)
        return -1;
    return 0;
}

int wb_target_parse(const char *url, bool for_run, wb_target *t, wb_error *e)
{
    memset(t, 0, sizeof *t);
    t->busy_timeout_ms = DEFAULT_BUSY_TIMEOUT_MS;
    memcpy(t->schema, DEFAULT_SCHEMA, sizeof DEFAULT_SCHEMA);

    if (url && !*url)
        return unrecognised(url, e);
    if (url && strcmp(url, "pg-temp:") == 0) {
        /* A throwaway local cluster: the run starts it (backends/pg_temp.h) and fills
         * conninfo. Checked first: "pg-temp:" would otherwise read as a file name. */
        t->kind = WB_BACKEND_POSTGRES;
        t->pg_temp = true;
        set_redacted(t, "pg-temp:");
        return 0;
    }
    const char *path = url ? sqlite_path_of(url) : NULL;
    if (!url || path) {
        t->kind = WB_BACKEND_SQLITE;
        t->may_create = true;
        int rc = url ? parse_sqlite(url, path, for_run, t, e) : default_sqlite_path(t, e);
        if (rc != 0)
            return -1;
        wb_buf shown = WB_BUF_INIT;
        wb_buf_printf(&shown, "%s%s", t->path[0] == '/' ? "sqlite://" : "sqlite:", t->path);
        set_redacted(t, wb_buf_str(&shown));
        wb_buf_free(&shown);
        return 0;
    }

    int is_url = strncmp(url, "postgresql://", 13) == 0 || strncmp(url, "postgres://", 11) == 0;
    if (!is_url && (strstr(url, "://") || !is_conninfo(url)))
        return unrecognised(url, e);
    t->kind = WB_BACKEND_POSTGRES;
    if (copy_field(t->conninfo, sizeof t->conninfo, url, "the --db connection string", e) != 0)
        return -1;
    wb_buf shown = WB_BUF_INIT;
    redact_any(url, &shown);
    set_redacted(t, wb_buf_str(&shown));
    wb_buf_free(&shown);
    return 0;
}

/* ---- pragmas ------------------------------------------------------------ */

/* PRAGMAs that run an action instead of holding a setting: applying one on every
 * connection would do work inside the measurement, or nothing useful. */
static const char *const action_pragmas[] = {
    "integrity_check", "quick_check", "optimize", "wal_checkpoint", "incremental_vacuum",
    "shrink_memory", "foreign_key_check", NULL};

static int valid_pragma_name(const char *s, size_t n)
{
    if (n == 0 || !(isalpha((unsigned char)s[0]) || s[0] == '_'))
        return 0;
    for (size_t i = 1; i < n; i++)
        if (!(isalnum((unsigned char)s[i]) || s[i] == '_'))
            return 0;
    return 1;
}

static int valid_pragma_value(const char *s)
{
    if (!*s)
        return 0;
    for (; *s; s++)
        if (!(isalnum((unsigned char)*s) || *s == '_' || *s == '.' || *s == '-'))
            return 0;
    return 1;
}

int wb_target_add_pragma(wb_target *t, const char *assignment, wb_error *e)
{
    if (t->kind != WB_BACKEND_SQLITE)
        return wb_fail(e, "--pragma %s: PRAGMAs apply to SQLite databases only", assignment);
    const char *eq = strchr(assignment, '=');
    if (!eq)
        return wb_fail(e, "--pragma '%s': expected name=value (for example synchronous=FULL)",
                       assignment);
    size_t name_len = (size_t)(eq - assignment);
    if (!valid_pragma_name(assignment, name_len))
        return wb_fail(e, "--pragma '%s': the name must be letters, digits and _ (not starting "
                          "with a digit)",
                       assignment);
    if (!valid_pragma_value(eq + 1))
        return wb_fail(e, "--pragma '%s': the value must be letters, digits, '_', '.' or '-' "
                          "(no quotes, no spaces, no ';')",
                       assignment);
    for (const char *const *a = action_pragmas; *a; a++)
        if (strlen(*a) == name_len && strncasecmp(*a, assignment, name_len) == 0)
            return wb_fail(e, "--pragma '%s': %s runs an action, it is not a setting", assignment,
                           *a);
    if (strlen(assignment) >= sizeof t->pragmas[0])
        return wb_fail(e, "--pragma '%s' is too long (at most %zu bytes)", assignment,
                       sizeof t->pragmas[0] - 1);

    /* A later --pragma of the same name replaces the earlier one (names are case-insensitive). */
    int slot = t->npragmas;
    for (int i = 0; i < t->npragmas; i++)
        if (strncasecmp(t->pragmas[i], assignment, name_len) == 0 && t->pragmas[i][name_len] == '=')
            slot = i;
    if (slot == t->npragmas) {
        if (t->npragmas >= WB_MAX_PRAGMAS)
            return wb_fail(e, "too many --pragma options (at most %d)", WB_MAX_PRAGMAS);
        t->npragmas++;
    }
    memcpy(t->pragmas[slot], assignment, strlen(assignment) + 1);
    return 0;
}

/* Redaction and masking of passwords in --db values (see redact.h). */
#include "backends/redact.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

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
void wb_redact_url(const char *url, wb_buf *out)
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
size_t wb_pairs_value_len(const char *p)
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

/* One item of a conninfo string: a key=value pair, or a bare word (value NULL). */
typedef struct conninfo_item {
    const char *key;
    size_t key_len;
    const char *value; /* NULL: a bare word, not a pair */
    size_t value_len;  /* quotes included */
} conninfo_item;

/* The next item of a conninfo string at *p, spaces before it skipped; 0 at the end.
 * *p moves past it. Tolerant of malformed text, so that redaction and masking (which
 * both read items with it, and must agree on where a secret value is) work on what
 * is about to be reported as an error too. */
static int next_conninfo_item(const char **p, conninfo_item *it)
{
    const char *q = *p;
    while (isspace((unsigned char)*q))
        q++;
    *p = q;
    if (!*q)
        return 0;
    it->key = q;
    while (*q && *q != '=' && !isspace((unsigned char)*q))
        q++;
    it->key_len = (size_t)(q - it->key);
    const char *after_key = q;
    while (isspace((unsigned char)*q))
        q++;
    if (*q != '=') {
        it->value = NULL;
        it->value_len = 0;
        *p = after_key;
        return 1;
    }
    q++;
    while (isspace((unsigned char)*q))
        q++;
    it->value = q;
    it->value_len = wb_pairs_value_len(q);
    *p = q + it->value_len;
    return 1;
}

/* Append a conninfo string with its secret pairs removed. Tolerant of malformed
 * input (it also redacts what is about to be reported as an error): a bare word is
 * kept, a secret key's value is dropped up to the next space or closing quote. */
void wb_redact_pairs(const char *s, wb_buf *out)
{
    const char *p = s;
    int first = 1;
    conninfo_item it;
    while (next_conninfo_item(&p, &it)) {
        if (!it.value) {
            wb_buf_printf(out, "%s%.*s", first ? "" : " ", (int)it.key_len, it.key);
            first = 0;
        } else if (!is_secret_key(it.key, it.key_len)) {
            wb_buf_printf(out, "%s%.*s=%.*s", first ? "" : " ", (int)it.key_len, it.key, (int)it.value_len,
                          it.value);
            first = 0;
        }
    }
}

/* Append the text of a --db value that is safe to print, whatever its form. */
void wb_redact_any(const char *url, wb_buf *out)
{
    if (strstr(url, "://"))
        wb_redact_url(url, out);
    else if (strchr(url, '='))
        wb_redact_pairs(url, out);
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
 * LAST '@', as in wb_redact_url, so that a mistyped password is masked whole. */
void wb_mask_url(char *url)
{
    char *sep = strstr(url, "://");
    if (!sep)
        return;
    char *authority = sep + 3;
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
 * the items are those wb_redact_pairs reads. */
void wb_mask_pairs(char *s)
{
    const char *p = s;
    conninfo_item it;
    while (next_conninfo_item(&p, &it)) {
        if (!it.value || !is_secret_key(it.key, it.key_len))
            continue;
        char *v = s + (it.value - s); /* the item lies in s, which is ours to change */
        size_t n = it.value_len;
        int quoted = *v == '\'' && n >= 2 && v[n - 1] == '\'';
        if (*v == '\'' && !quoted)
            mask(v + 1, n - 1); /* an unterminated quote runs to the end */
        else if (quoted)
            mask(v + 1, n - 2);
        else
            mask(v, n);
    }
}

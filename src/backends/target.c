/* --db values: which backend a value belongs to, and the parts of parsing every
 * backend shares. A backend owns its forms (backend.h: schemes, claims_bare,
 * parse_target, redact, mask_secrets, add_setting); this file only finds the
 * backend: the one whose URL scheme the value has, else the one that claims it
 * as a form without a scheme (a file path, a libpq conninfo string). A value no
 * backend takes is refused with the shared redaction (redact.h) applied, since
 * a mistyped URL may still hold a password. */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "backends/backend.h"
#include "backends/redact.h"

#define DEFAULT_BUSY_TIMEOUT_MS 600000
#define DEFAULT_SCHEMA "writebench"

/* Bytes of url's URL scheme, up to its ':' (RFC 3986: a letter, then letters,
 * digits, '+', '-', '.'); 0 when it has none. */
static size_t scheme_length(const char *url)
{
    if (!isalpha((unsigned char)url[0]))
        return 0;
    size_t n = 1;
    while (isalnum((unsigned char)url[n]) || url[n] == '+' || url[n] == '-' || url[n] == '.')
        n++;
    return url[n] == ':' ? n : 0;
}

/* Whether b lists the scheme of n bytes at url. */
static int has_scheme(const wb_backend *b, const char *url, size_t n)
{
    for (const char *const *s = b->schemes; s && *s; s++)
        if (strlen(*s) == n && strncmp(*s, url, n) == 0)
            return 1;
    return 0;
}

/* Empty t and set what every target starts with. */
static void target_defaults(wb_target *t, wb_backend_kind kind)
{
    memset(t, 0, sizeof *t);
    t->kind = kind;
    t->busy_timeout_ms = DEFAULT_BUSY_TIMEOUT_MS;
    memcpy(t->schema, DEFAULT_SCHEMA, sizeof DEFAULT_SCHEMA);
}

/* Let the backend of kind parse url: its result, or WB_TARGET_NOT_MINE. */
static int try_backend(wb_backend_kind kind, const char *url, bool for_run, wb_target *t, wb_error *e)
{
    target_defaults(t, kind);
    return wb_backend_get(kind)->parse_target(url, for_run, t, e);
}

static int unrecognised(const char *url, wb_error *e)
{
    wb_buf safe = WB_BUF_INIT, forms = WB_BUF_INIT;
    wb_redact_any(url, &safe);
    for (int k = 0; k < WB_BACKEND_COUNT; k++)
        wb_buf_printf(&forms, "%s%s", k ? ", " : "", wb_backend_get((wb_backend_kind)k)->forms);
    wb_fail(e, "unrecognised --db '%.400s': expected %s", wb_buf_str(&safe), wb_buf_str(&forms));
    wb_buf_free(&safe);
    wb_buf_free(&forms);
    return -1;
}

int wb_target_parse(const char *url, bool for_run, wb_target *t, wb_error *e)
{
    if (!url) {
        int rc = try_backend(wb_backend_default_kind(), NULL, for_run, t, e);
        return rc == WB_TARGET_NOT_MINE ? wb_fail(e, "the default backend has no default database") : rc;
    }
    target_defaults(t, wb_backend_default_kind());
    if (!*url)
        return unrecognised(url, e);
    /* A scheme decides first: "pg-temp:" would otherwise read as a file name. A
     * backend may still decline the rest ("pg-temp:x"), and then the bare forms
     * get their turn, as they always had it. */
    size_t n = scheme_length(url);
    for (int k = 0; n && k < WB_BACKEND_COUNT; k++)
        if (has_scheme(wb_backend_get((wb_backend_kind)k), url, n)) {
            int rc = try_backend((wb_backend_kind)k, url, for_run, t, e);
            if (rc != WB_TARGET_NOT_MINE)
                return rc;
        }
    for (int k = 0; k < WB_BACKEND_COUNT; k++) {
        const wb_backend *b = wb_backend_get((wb_backend_kind)k);
        if (b->claims_bare && b->claims_bare(url)) {
            int rc = try_backend((wb_backend_kind)k, url, for_run, t, e);
            if (rc != WB_TARGET_NOT_MINE)
                return rc;
        }
    }
    target_defaults(t, wb_backend_default_kind());
    return unrecognised(url, e);
}

void wb_target_mask_secrets(char *url)
{
    if (!url)
        return;
    size_t n = scheme_length(url);
    for (int k = 0; k < WB_BACKEND_COUNT; k++) {
        const wb_backend *b = wb_backend_get((wb_backend_kind)k);
        if ((n && has_scheme(b, url, n)) || (b->claims_bare && b->claims_bare(url))) {
            if (b->mask_secrets)
                b->mask_secrets(url);
            return;
        }
    }
    /* No backend's form: it will be refused, but it may still hold a password. */
    if (strstr(url, "://"))
        wb_mask_url(url);
    else if (strchr(url, '='))
        wb_mask_pairs(url);
}

int wb_target_add_pragma(wb_target *t, const char *assignment, wb_error *e)
{
    const wb_backend *b = wb_backend_get(t->kind);
    if (b && b->add_setting)
        return b->add_setting(t, assignment, e);
    wb_buf which = WB_BUF_INIT;
    for (int k = 0; k < WB_BACKEND_COUNT; k++) {
        const wb_backend *o = wb_backend_get((wb_backend_kind)k);
        if (o->add_setting)
            wb_buf_printf(&which, "%s%s", which.len ? " and " : "", o->display_name);
    }
    wb_fail(e, "--pragma %s: --pragma applies to %s databases only", assignment, wb_buf_str(&which));
    wb_buf_free(&which);
    return -1;
}

int wb_target_add_session_setting(wb_target *t, const char *assignment, wb_error *e)
{
    const wb_backend *b = wb_backend_get(t->kind);
    if (wb_backend_v3(b) && b->add_session_setting)
        return b->add_session_setting(t, assignment, e);
    wb_buf which = WB_BUF_INIT;
    for (int k = 0; k < WB_BACKEND_COUNT; k++) {
        const wb_backend *o = wb_backend_get((wb_backend_kind)k);
        if (wb_backend_v3(o) && o->add_session_setting)
            wb_buf_printf(&which, "%s%s", which.len ? " and " : "", o->display_name);
    }
    wb_fail(e, "--set %s: session settings apply to %s only, and --db names a %s database%s", assignment,
            wb_buf_str(&which), b ? b->display_name : "other",
            b && b->add_setting ? "; its connections take PRAGMAs: --pragma NAME=V1[,V2...] scans them the same way"
                                : "");
    wb_buf_free(&which);
    return -1;
}

int wb_target_copy_field(char *dst, size_t cap, const char *src, const char *what, wb_error *e)
{
    size_t n = strlen(src);
    if (n >= cap)
        return wb_fail(e, "%s is too long (%zu bytes, at most %zu)", what, n, cap - 1);
    memcpy(dst, src, n + 1);
    return 0;
}

void wb_target_set_redacted(wb_target *t, const char *text)
{
    size_t cap = sizeof t->url_redacted, n = strlen(text);
    if (n < cap) {
        memcpy(t->url_redacted, text, n + 1);
        return;
    }
    memcpy(t->url_redacted, text, cap - 4);
    memcpy(t->url_redacted + cap - 4, "...", 4);
}

void wb_target_url_encode(wb_buf *out, const char *s)
{
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') || *p == '-' ||
            *p == '.' || *p == '_' || *p == '~')
            wb_buf_putc(out, (char)*p);
        else
            wb_buf_printf(out, "%%%02X", *p);
    }
}

/* Redaction and masking of passwords in --db values, shared by the backends whose
 * forms carry one: URLs (userinfo and query parameters, scheme://user:pw@host/db?password=)
 * and key=value connection strings (libpq's conninfo). A backend's redact and
 * mask_secrets methods call these for its own forms; target.c uses them for a value
 * no backend recognises, which may still hold a password. */
#ifndef WB_BACKENDS_REDACT_H
#define WB_BACKENDS_REDACT_H

#include <stddef.h>

#include "util/buf.h"

/* Append a URL with the password of its userinfo and secret query parameters removed.
 * The userinfo ends at the LAST '@': a mistyped password with '@', '/' or '?' in it
 * must not leak. */
void wb_redact_url(const char *url, wb_buf *out);
/* Append a key=value string with its secret pairs removed (tolerant of malformed input). */
void wb_redact_pairs(const char *s, wb_buf *out);
/* Append whatever the value is, safe to print: a URL, key=value pairs, or as it is. */
void wb_redact_any(const char *url, wb_buf *out);

/* Overwrite in place, at the same length, a URL's userinfo password and secret query values. */
void wb_mask_url(char *url);
/* The same for the secret values of a key=value string, inside their quotes when quoted. */
void wb_mask_pairs(char *s);

/* Length of a key=value string's value at p: single-quoted with backslash escapes, or
 * up to the next space; an unterminated quote runs to the end. */
size_t wb_pairs_value_len(const char *p);

#endif

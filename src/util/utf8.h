/* UTF-8 validity (RFC 3629): result files hold only valid UTF-8, so a reader can
 * treat any other byte as damage, and writers replace what is not UTF-8. */
#ifndef WB_UTIL_UTF8_H
#define WB_UTIL_UTF8_H

#include <stddef.h>

#include "util/buf.h"

/* Length of the valid UTF-8 sequence starting at s (1..4; 1 for ASCII), or 0 when
 * the bytes there are not one (overlong forms, surrogates and code points past
 * U+10FFFF are invalid). left > 0 bytes are readable at s. */
size_t wb_utf8_sequence_len(const unsigned char *s, size_t left);
/* Whether text[0..len) is valid UTF-8; if not, *bad_offset (may be NULL) is the
 * offset of the first byte that is not. */
int wb_utf8_valid(const char *text, size_t len, size_t *bad_offset);
/* Append text with every byte that is not part of a valid sequence replaced by
 * U+FFFD (the replacement character). */
void wb_utf8_append_sanitized(wb_buf *out, const char *text, size_t len);

#endif

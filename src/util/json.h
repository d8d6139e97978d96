/* Writing JSON values (RFC 8259) into a buffer: strings escaped so the document
 * stays valid whatever bytes they hold, numbers that read back exactly, and null
 * for unknown figures. Objects and arrays are written by the caller. */
#ifndef WB_UTIL_JSON_H
#define WB_UTIL_JSON_H

#include <stddef.h>
#include <stdint.h>

#include "util/buf.h"

/* Append text as a JSON string: " \ and control characters escaped (\n \r \t \b \f,
 * the others \u00XX), valid UTF-8 passed through, and each byte that is not part
 * of a valid UTF-8 sequence replaced by \ufffd. */
void wb_json_string(wb_buf *out, const char *text, size_t len);
/* wb_json_string for a NUL-terminated string; NULL appends null. */
void wb_json_string_str(wb_buf *out, const char *text);
/* Append a double with the fewest significant digits (15 to 17) that read back
 * as the same value ("0.1", not "0.10000000000000001"); NAN and infinities,
 * which JSON cannot hold, append null. */
void wb_json_double(wb_buf *out, double v);
/* Append an integer. */
void wb_json_int64(wb_buf *out, int64_t v);
/* Append an integer, or null when it is -1 (the "unknown" of wb_result). */
void wb_json_int64_or_null(wb_buf *out, int64_t v);
/* Append true or false. */
void wb_json_bool(wb_buf *out, int v);

#endif

/* Showing a database value to a person: quoted, with control characters and
 * backslashes escaped, so a tab, a newline or a trailing space is visible. */
#ifndef WB_UTIL_DISPLAY_H
#define WB_UTIL_DISPLAY_H

#include <stddef.h>

#include "util/buf.h"

/* Append 'text' with \t \n \r \\ and other control bytes escaped (\xHH) and ' doubled,
 * between single quotes; NULL text appends NULL (unquoted). Multi-byte UTF-8 is kept. */
void wb_display_text(wb_buf *out, const char *text, size_t len);

#endif

/* Small text helpers of the command line: the closest name to a mistyped one,
 * the display width of UTF-8 text, and wrapping paragraphs for help screens. */
#ifndef WB_CLI_TEXT_H
#define WB_CLI_TEXT_H

#include <stddef.h>

#include "util/edit_distance.h"

#include "util/buf.h"


/* The name among names[0..n-1] closest to `name`, or NULL when none is close enough
 * to be worth suggesting (a few edits away, or one a prefix of the other). */
const char *wb_closest_name(const char *name, const char *const *names, size_t n);

/* Columns that UTF-8 text takes on a terminal: one per code point, two for East Asian wide ones. */
size_t wb_text_width(const char *text, size_t len);

/* Append `text` wrapped at `width` columns, each line after the first starting with
 * `indent` spaces; the first line is assumed to start at column `first_column`. */
void wb_wrap(wb_buf *out, const char *text, size_t first_column, size_t indent, size_t width);

/* Append spaces until text of `used` columns fills `width` columns (at least nothing). */
void wb_pad(wb_buf *out, size_t used, size_t width);

#endif

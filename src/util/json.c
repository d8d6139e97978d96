/* JSON value writers (see json.h). */
#include "util/json.h"

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/utf8.h"

/* The short escapes of RFC 8259; other control characters use \u00XX. */
static const char short_escapes[0x20] = {
    ['\b'] = 'b', ['\f'] = 'f', ['\n'] = 'n', ['\r'] = 'r', ['\t'] = 't',
};

void wb_json_string(wb_buf *out, const char *text, size_t len)
{
    const unsigned char *s = (const unsigned char *)text;
    wb_buf_reserve(out, len + 2);
    wb_buf_putc(out, '"');
    size_t i = 0;
    while (i < len) {
        unsigned char c = s[i];
        if (c == '"' || c == '\\') {
            wb_buf_putc(out, '\\');
            wb_buf_putc(out, (char)c);
            i++;
        } else if (c < 0x20) {
            if (short_escapes[c]) {
                wb_buf_putc(out, '\\');
                wb_buf_putc(out, short_escapes[c]);
            } else {
                wb_buf_printf(out, "\\u%04x", c);
            }
            i++;
        } else if (c < 0x80) {
            /* copy the whole run of plain ASCII at once */
            size_t start = i;
            while (i < len && s[i] >= 0x20 && s[i] < 0x80 && s[i] != '"' && s[i] != '\\')
                i++;
            wb_buf_append(out, text + start, i - start);
        } else {
            size_t n = wb_utf8_sequence_len(s + i, len - i);
            if (n == 0) {
                /* One replacement per bad byte keeps the document valid and shows
                 * how many bytes were lost. */
                wb_buf_puts(out, "\\ufffd");
                i++;
            } else {
                wb_buf_append(out, text + i, n);
                i += n;
            }
        }
    }
    wb_buf_putc(out, '"');
}

void wb_json_string_str(wb_buf *out, const char *text)
{
    if (!text)
        wb_buf_puts(out, "null");
    else
        wb_json_string(out, text, strlen(text));
}

void wb_json_double(wb_buf *out, double v)
{
    if (!isfinite(v)) {
        wb_buf_puts(out, "null");
        return;
    }
    char text[40];
    for (int digits = 15; digits <= 17; digits++) {
        snprintf(text, sizeof text, "%.*g", digits, v);
        if (strtod(text, NULL) == v)
            break;
    }
    /* %g never writes "inf"/"nan" here and its exponent form (1e+20) is valid JSON;
     * the C locale is assumed for the decimal point (writebench never calls setlocale). */
    wb_buf_puts(out, text);
}

void wb_json_int64(wb_buf *out, int64_t v)
{
    wb_buf_printf(out, "%" PRId64, v);
}

void wb_json_int64_or_null(wb_buf *out, int64_t v)
{
    if (v == -1)
        wb_buf_puts(out, "null");
    else
        wb_json_int64(out, v);
}

void wb_json_bool(wb_buf *out, int v)
{
    wb_buf_puts(out, v ? "true" : "false");
}

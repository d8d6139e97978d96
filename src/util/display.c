/* Showing a database value to a person (see display.h). */
#include "util/display.h"

void wb_display_text(wb_buf *out, const char *text, size_t len)
{
    if (!text) {
        wb_buf_puts(out, "NULL");
        return;
    }
    wb_buf_putc(out, '\'');
    for (size_t i = 0; i < len; i++) {
        unsigned char ch = (unsigned char)text[i];
        switch (ch) {
        case '\t': wb_buf_puts(out, "\\t"); break;
        case '\n': wb_buf_puts(out, "\\n"); break;
        case '\r': wb_buf_puts(out, "\\r"); break;
        case '\\': wb_buf_puts(out, "\\\\"); break;
        case '\'': wb_buf_puts(out, "''"); break;
        default:
            if (ch < 0x20 || ch == 0x7f)
                wb_buf_printf(out, "\\x%02x", ch);
            else
                wb_buf_putc(out, (char)ch);
        }
    }
    wb_buf_putc(out, '\'');
}

/* Pieces of SQL text (see sql_text.h). */
#include "util/sql_text.h"

void wb_sql_identifier(wb_buf *out, const char *name)
{
    wb_buf_putc(out, '"');
    for (const char *p = name; *p; p++) {
        if (*p == '"')
            wb_buf_putc(out, '"');
        wb_buf_putc(out, *p);
    }
    wb_buf_putc(out, '"');
}

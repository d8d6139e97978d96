/* `workload init`: the small pieces of YAML it writes (quoted strings, numbers,
 * comment lines), so that every value reads back exactly as it was meant
 * (docs/WORKLOADS.md, "The format": strings quoted, numbers plain). */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "workloads/init_internal.h"

#define COMMENT_WIDTH 100

void wb_init_yaml_quote(wb_buf *out, const char *s)
{
    wb_buf_putc(out, '"');
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        switch (*p) {
        case '"': wb_buf_puts(out, "\\\""); break;
        case '\\': wb_buf_puts(out, "\\\\"); break;
        case '\n': wb_buf_puts(out, "\\n"); break;
        case '\t': wb_buf_puts(out, "\\t"); break;
        case '\r': wb_buf_puts(out, "\\r"); break;
        default:
            if (*p < 0x20 || *p == 0x7f)
                wb_buf_printf(out, "\\x%02x", *p);
            else
                wb_buf_putc(out, (char)*p);
        }
    }
    wb_buf_putc(out, '"');
}

void wb_init_yaml_number(wb_buf *out, double v, int decimals)
{
    if (v == floor(v) && fabs(v) < 1e15) {
        wb_buf_printf(out, "%.0f", v);
        return;
    }
    char text[64];
    snprintf(text, sizeof text, "%.*f", decimals, v);
    size_t n = strlen(text);
    while (n > 0 && text[n - 1] == '0')
        n--;
    if (n > 0 && text[n - 1] == '.')
        n--;
    wb_buf_append(out, text, n);
}

void wb_init_yaml_comment(wb_buf *out, int indent, const char *text)
{
    /* wrapped at spaces so that a long reason stays readable, continuation lines
     * indented; a comment line never holds a newline (it would end the comment) */
    const char *p = text;
    for (int first = 1; *p; first = 0) {
        size_t room = COMMENT_WIDTH - (size_t)indent - (first ? 2 : 4), n = 0, cut = 0;
        while (p[n] && p[n] != '\n' && n < room) {
            if (p[n] == ' ')
                cut = n;
            n++;
        }
        if (p[n] && p[n] != '\n' && cut > room / 3)
            n = cut;
        wb_buf_printf(out, "%*s# %s", indent, "", first ? "" : "  ");
        wb_buf_append(out, p, n);
        wb_buf_putc(out, '\n');
        p += n;
        while (*p == ' ' || *p == '\n')
            p++;
    }
}

/* Fitting tables for people to the terminal (see term.h). */
#include "util/term.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

/* Below this a table cannot show even a name and a figure; above it COLUMNS is a typo. */
#define MIN_WIDTH 20
#define MAX_WIDTH 10000
/* Stands for a space that must not break a line (see wb_fit_note). */
#define GLUE '\x01'


int wb_term_width(void)
{
    struct winsize ws;
    if (isatty(STDOUT_FILENO) && ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
        return ws.ws_col;
    const char *columns = getenv("COLUMNS");
    if (columns && *columns) {
        char *end = NULL;
        long v = strtol(columns, &end, 10);
        if (end && *end == '\0' && v >= MIN_WIDTH && v <= MAX_WIDTH)
            return (int)v;
    }
    return WB_TERM_DEFAULT_WIDTH;
}

/* The width of the kept columns, separators included. */
static int line_width(const int *widths, const int *seps, int n, const int *keep)
{
    int total = 0;
    for (int i = 0; i < n; i++)
        if (keep[i])
            total += seps[i] + widths[i];
    return total;
}

int wb_fit_columns(const int *widths, const int *seps, const int *importance, int n, int width, int *keep)
{
    int dropped = 0;
    while (line_width(widths, seps, n, keep) > width) {
        int victim = -1;
        for (int i = 0; i < n; i++)
            if (keep[i] && importance[i] < WB_IMPORTANCE_ALWAYS &&
                (victim < 0 || importance[i] <= importance[victim]))
                victim = i; /* "<=": of equals, the rightmost goes first */
        if (victim < 0)
            break; /* only what must stay is left: the line stays wider */
        keep[victim] = 0;
        dropped++;
    }
    return dropped;
}

void wb_fit_note(wb_buf *out, int indent, int width, const char *const *names, const int *dropped, int n)
{
    wb_buf text = WB_BUF_INIT;
    for (int i = 0; i < n; i++) {
        if (!dropped[i])
            continue;
        if (text.len)
            wb_buf_puts(&text, ", ");
        /* a name is never broken over two lines ("% of ref"): its spaces wrap as
         * GLUE, a byte no name holds, put back after wrapping */
        for (const char *p = names[i]; *p; p++)
            wb_buf_putc(&text, *p == ' ' ? GLUE : *p);
    }
    if (text.len) {
        wb_buf note = WB_BUF_INIT, wrapped = WB_BUF_INIT;
        wb_buf_printf(&note, "(left out to fit %d columns: %s; widen the terminal or set COLUMNS)", width,
                      wb_buf_str(&text));
        for (int k = 0; k < indent; k++)
            wb_buf_putc(&wrapped, ' ');
        wb_term_wrap(&wrapped, wb_buf_str(&note), indent, indent + 1, width);
        for (size_t k = 0; k < wrapped.len; k++)
            if (wrapped.data[k] == GLUE)
                wrapped.data[k] = ' ';
        wb_buf_append(out, wrapped.data, wrapped.len);
        wb_buf_free(&note);
        wb_buf_free(&wrapped);
    }
    wb_buf_free(&text);
}

/* Terminal columns of UTF-8 text: one per code point. */
static int text_width(const char *text, size_t len)
{
    int w = 0;
    for (size_t i = 0; i < len; i++)
        w += ((unsigned char)text[i] & 0xC0) != 0x80;
    return w;
}

void wb_term_wrap(wb_buf *out, const char *text, int first, int hang, int width)
{
    int column = first;
    int line_empty = 1; /* nothing of text on this line yet */
    const char *p = text;
    while (*p) {
        while (*p == ' ')
            p++;
        if (!*p)
            break;
        const char *end = p;
        while (*end && *end != ' ')
            end++;
        const char *q = *p == '(' ? p + 1 : p;
        if (q[0] == '-' && q[1] == '-' && end[0] == ' ' && end[1] && end[1] != '-' && end[1] != ' ') {
            end++; /* an option and its value stay on one line: "--batch 10,100" */
            while (*end && *end != ' ')
                end++;
        }
        int w = text_width(p, (size_t)(end - p));
        if (!line_empty && column + 1 + w > width) {
            wb_buf_putc(out, '\n');
            for (int k = 0; k < hang; k++)
                wb_buf_putc(out, ' ');
            column = hang;
            line_empty = 1;
        }
        if (!line_empty) {
            wb_buf_putc(out, ' ');
            column++;
        }
        wb_buf_append(out, p, (size_t)(end - p));
        column += w;
        line_empty = 0;
        p = end;
    }
    wb_buf_putc(out, '\n');
}

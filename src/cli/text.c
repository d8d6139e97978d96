/* Small text helpers of the command line (see text.h). */
#include "cli/text.h"

#include <string.h>

const char *wb_closest_name(const char *name, const char *const *names, size_t n)
{
    /* Close enough means at most a third of the longer name wrong (but at least two
     * edits allowed, so "rnu" finds "run"), or a prefix of at least 3 characters. */
    const char *best = NULL;
    size_t best_distance = (size_t)-1;
    size_t name_len = strlen(name);
    for (size_t i = 0; i < n; i++) {
        size_t d = wb_edit_distance(name, names[i]);
        size_t len = strlen(names[i]);
        size_t longer = len > name_len ? len : name_len;
        size_t allowed = longer / 3 > 2 ? longer / 3 : 2;
        int prefix = name_len >= 3 && strncmp(names[i], name, name_len) == 0;
        if (prefix)
            d = 1;
        if ((d <= allowed || prefix) && d < best_distance) {
            best = names[i];
            best_distance = d;
        }
    }
    return best;
}

/* East Asian wide and fullwidth ranges: two terminal columns per character. */
static const struct {
    unsigned first, last;
} wide_ranges[] = {
    {0x1100, 0x115F}, {0x2E80, 0x303E}, {0x3041, 0x33FF}, {0x3400, 0x4DBF},
    {0x4E00, 0x9FFF}, {0xA000, 0xA4CF}, {0xAC00, 0xD7A3}, {0xF900, 0xFAFF},
    {0xFE30, 0xFE4F}, {0xFF00, 0xFF60}, {0xFFE0, 0xFFE6}, {0x1F300, 0x1F64F},
    {0x1F900, 0x1F9FF}, {0x20000, 0x3FFFD},
};

static size_t code_point_width(unsigned cp)
{
    for (size_t i = 0; i < sizeof wide_ranges / sizeof wide_ranges[0]; i++)
        if (cp >= wide_ranges[i].first && cp <= wide_ranges[i].last)
            return 2;
    return 1;
}

size_t wb_text_width(const char *text, size_t len)
{
    size_t columns = 0;
    const unsigned char *p = (const unsigned char *)text;
    for (size_t i = 0; i < len;) {
        /* Decode one UTF-8 sequence; a malformed byte counts as one column. */
        unsigned cp = p[i];
        size_t n = cp >= 0xF0 ? 4 : cp >= 0xE0 ? 3 : cp >= 0xC0 ? 2 : 1;
        if (n > 1 && i + n <= len) {
            cp &= 0x3Fu >> (n - 1);
            for (size_t k = 1; k < n; k++)
                cp = (cp << 6) | (p[i + k] & 0x3Fu);
        } else {
            n = 1;
        }
        columns += code_point_width(cp);
        i += n;
    }
    return columns;
}

void wb_wrap(wb_buf *out, const char *text, size_t first_column, size_t indent, size_t width)
{
    size_t column = first_column;
    int line_has_word = 0;
    const char *p = text;
    while (*p) {
        while (*p == ' ')
            p++;
        if (!*p)
            break;
        const char *end = p;
        while (*end && *end != ' ')
            end++;
        size_t word = wb_text_width(p, (size_t)(end - p));
        if (line_has_word && column + 1 + word > width) {
            wb_buf_putc(out, '\n');
            wb_pad(out, 0, indent);
            column = indent;
            line_has_word = 0;
        }
        if (line_has_word) {
            wb_buf_putc(out, ' ');
            column++;
        }
        wb_buf_append(out, p, (size_t)(end - p));
        column += word;
        line_has_word = 1;
        p = end;
    }
}

void wb_pad(wb_buf *out, size_t used, size_t width)
{
    for (size_t i = used; i < width; i++)
        wb_buf_putc(out, ' ');
}

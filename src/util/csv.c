/* CSV writing and strict reading (see csv.h). */
#include "util/csv.h"

#include <stdlib.h>
#include <string.h>

/* Leading or trailing blanks are quoted because many readers (spreadsheets,
 * some CSV libraries) trim them from unquoted fields. */
static int needs_quotes(const char *text, size_t len)
{
    if (len == 0)
        return 0;
    if (text[0] == ' ' || text[0] == '\t' || text[len - 1] == ' ' || text[len - 1] == '\t')
        return 1;
    for (size_t i = 0; i < len; i++) {
        char c = text[i];
        if (c == ',' || c == '"' || c == '\r' || c == '\n')
            return 1;
    }
    return 0;
}

void wb_csv_field(wb_buf *out, const char *text, size_t len)
{
    if (!needs_quotes(text, len)) {
        wb_buf_append(out, text, len);
        return;
    }
    wb_buf_reserve(out, len + 2);
    wb_buf_putc(out, '"');
    size_t start = 0;
    for (size_t i = 0; i < len; i++) {
        if (text[i] == '"') {
            /* copy up to and including the quote, then add its double */
            wb_buf_append(out, text + start, i + 1 - start);
            wb_buf_putc(out, '"');
            start = i + 1;
        }
    }
    wb_buf_append(out, text + start, len - start);
    wb_buf_putc(out, '"');
}

void wb_csv_field_str(wb_buf *out, const char *text)
{
    if (text)
        wb_csv_field(out, text, strlen(text));
}

const char *wb_csv_get(const wb_csv_record *r, size_t i)
{
    return i < r->count ? r->text.data + r->offsets[i] : NULL;
}

size_t wb_csv_len(const wb_csv_record *r, size_t i)
{
    return i < r->count ? r->lengths[i] : 0;
}

void wb_csv_record_free(wb_csv_record *r)
{
    wb_buf_free(&r->text);
    free(r->offsets);
    free(r->lengths);
    r->offsets = r->lengths = NULL;
    r->count = r->cap = 0;
}

static void record_start_field(wb_csv_record *r)
{
    if (r->count == r->cap) {
        r->cap = r->cap ? r->cap * 2 : 32;
        r->offsets = wb_xrealloc(r->offsets, r->cap * sizeof *r->offsets);
        r->lengths = wb_xrealloc(r->lengths, r->cap * sizeof *r->lengths);
    }
    r->offsets[r->count] = r->text.len;
    r->lengths[r->count] = 0;
    r->count++;
}

static void record_end_field(wb_csv_record *r)
{
    r->lengths[r->count - 1] = r->text.len - r->offsets[r->count - 1];
    /* a NUL after each field so wb_csv_get returns a C string */
    wb_buf_putc(&r->text, '\0');
}

void wb_csv_reader_init(wb_csv_reader *rd, const char *data, size_t len)
{
    rd->data = data;
    rd->len = len;
    rd->pos = 0;
    rd->line = 1;
}

/* What ends a field: 0 more fields follow (comma), 1 the record ended, -1 neither. */
static int field_end(const char *p, size_t left, size_t *skip)
{
    if (left == 0) {
        *skip = 0;
        return 1;
    }
    if (p[0] == ',') {
        *skip = 1;
        return 0;
    }
    if (p[0] == '\n') {
        *skip = 1;
        return 1;
    }
    if (p[0] == '\r' && left > 1 && p[1] == '\n') {
        *skip = 2;
        return 1;
    }
    return -1;
}

int wb_csv_next(wb_csv_reader *rd, wb_csv_record *rec, wb_error *e)
{
    wb_buf_reset(&rec->text);
    rec->count = 0;
    if (rd->pos >= rd->len)
        return 0;
    const char *d = rd->data;
    size_t pos = rd->pos, line = rd->line;
    for (;;) {
        record_start_field(rec);
        if (pos < rd->len && d[pos] == '"') {
            size_t open_line = line;
            pos++;
            for (;;) {
                if (pos >= rd->len)
                    return wb_fail(e, "line %zu: unterminated quoted field (no closing quote before the end)",
                                   open_line);
                char c = d[pos];
                if (c == '"') {
                    if (pos + 1 < rd->len && d[pos + 1] == '"') {
                        wb_buf_putc(&rec->text, '"');
                        pos += 2;
                        continue;
                    }
                    pos++;
                    break;
                }
                if (c == '\n')
                    line++;
                wb_buf_putc(&rec->text, c);
                pos++;
            }
        } else {
            size_t start = pos;
            while (pos < rd->len && d[pos] != ',' && d[pos] != '\n' && d[pos] != '\r') {
                if (d[pos] == '"')
                    return wb_fail(e, "line %zu: a quote inside an unquoted field", line);
                pos++;
            }
            wb_buf_append(&rec->text, d + start, pos - start);
        }
        record_end_field(rec);
        size_t skip;
        int end = field_end(d + pos, rd->len - pos, &skip);
        if (end < 0) {
            if (d[pos] == '\r')
                return wb_fail(e, "line %zu: a carriage return outside quotes not followed by a line feed",
                               line);
            return wb_fail(e, "line %zu: text after the closing quote of a field", line);
        }
        pos += skip;
        if (end == 1) {
            if (skip > 0)
                line++;
            rd->pos = pos;
            rd->line = line;
            return 1;
        }
    }
}

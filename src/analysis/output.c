/* The one table writer of the analysis commands (see output.h).
 *
 * Cells are kept in one array and their text in one arena buffer, so a table of
 * thousands of rows costs a handful of allocations, not one per cell. */
#include "analysis/output.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/csv.h"
#include "util/json.h"
#include "util/term.h"

typedef enum cell_kind { CELL_UNKNOWN, CELL_TEXT, CELL_INT, CELL_REAL } cell_kind;

typedef struct cell {
    cell_kind kind;
    int64_t integer;
    double real;
    size_t text_offset; /* CELL_TEXT: in the arena, NUL-terminated */
    size_t text_len;
} cell;

struct wb_out_table {
    const wb_out_column *columns;
    int ncolumns;
    cell *cells;
    size_t ncells, cap;
    wb_buf arena;
    int fit_width; /* the table format's width; 0: no limit */
};

static const char *const format_names[] = {
    [WB_FORMAT_CSV] = "csv",
    [WB_FORMAT_TABLE] = "table",
    [WB_FORMAT_MARKDOWN] = "markdown",
    [WB_FORMAT_JSON] = "json",
};

#define NFORMATS ((int)(sizeof format_names / sizeof *format_names))

int wb_format_parse(const char *name, wb_format *out, wb_error *e)
{
    for (int i = 0; i < NFORMATS; i++)
        if (name && strcmp(name, format_names[i]) == 0) {
            *out = (wb_format)i;
            return 0;
        }
    return wb_fail(e, "unknown format '%s'; the formats are: csv, table, markdown, json", name ? name : "");
}

const char *wb_format_name(wb_format f)
{
    return (int)f >= 0 && (int)f < NFORMATS ? format_names[f] : "unknown";
}

/* ---- building ---- */

wb_out_table *wb_out_table_new(const wb_out_column *columns, int ncolumns)
{
    wb_out_table *t = wb_xcalloc(1, sizeof *t);
    t->columns = columns;
    t->ncolumns = ncolumns;
    return t;
}

void wb_out_table_free(wb_out_table *t)
{
    if (!t)
        return;
    free(t->cells);
    wb_buf_free(&t->arena);
    free(t);
}

static cell *next_cell(wb_out_table *t)
{
    if (t->ncells == t->cap) {
        t->cap = t->cap ? 2 * t->cap : 64;
        t->cells = wb_xrealloc(t->cells, t->cap * sizeof *t->cells);
    }
    cell *c = &t->cells[t->ncells++];
    memset(c, 0, sizeof *c);
    return c;
}

void wb_out_text(wb_out_table *t, const char *text)
{
    cell *c = next_cell(t);
    if (!text)
        return;
    c->kind = CELL_TEXT;
    c->text_offset = t->arena.len;
    c->text_len = strlen(text);
    wb_buf_append(&t->arena, text, c->text_len + 1); /* with its NUL */
}

void wb_out_int(wb_out_table *t, int64_t value)
{
    cell *c = next_cell(t);
    c->kind = CELL_INT;
    c->integer = value;
}

void wb_out_int_or_unknown(wb_out_table *t, int64_t value)
{
    if (value == -1)
        next_cell(t);
    else
        wb_out_int(t, value);
}

void wb_out_real(wb_out_table *t, double value)
{
    cell *c = next_cell(t);
    if (!isfinite(value))
        return;
    c->kind = CELL_REAL;
    c->real = value;
}

void wb_out_unknown(wb_out_table *t)
{
    next_cell(t);
}

void wb_out_table_fit(wb_out_table *t, int width)
{
    t->fit_width = width > 0 ? width : 0;
}

/* ---- reading back ---- */

int wb_out_table_nrows(const wb_out_table *t)
{
    return t->ncolumns > 0 ? (int)(t->ncells / (size_t)t->ncolumns) : 0;
}

int wb_out_table_ncolumns(const wb_out_table *t)
{
    return t->ncolumns;
}

const wb_out_column *wb_out_table_column(const wb_out_table *t, int col)
{
    return &t->columns[col];
}

static const cell *cell_at(const wb_out_table *t, int row, int col)
{
    return &t->cells[(size_t)row * (size_t)t->ncolumns + (size_t)col];
}

static const char *cell_str(const wb_out_table *t, const cell *c)
{
    return t->arena.data + c->text_offset;
}

/* The cell as csv/table/markdown show it; "" when unknown. */
static void format_cell(const wb_out_table *t, int row, int col, wb_buf *out)
{
    const cell *c = cell_at(t, row, col);
    switch (c->kind) {
    case CELL_UNKNOWN:
        break;
    case CELL_TEXT:
        wb_buf_append(out, cell_str(t, c), c->text_len);
        break;
    case CELL_INT:
        wb_buf_printf(out, "%lld", (long long)c->integer);
        break;
    case CELL_REAL: {
        int decimals = t->columns[col].kind == WB_COL_REAL ? t->columns[col].decimals : 6;
        wb_buf_printf(out, "%.*f", decimals, c->real);
        break;
    }
    }
}

void wb_out_cell_text(const wb_out_table *t, int row, int col, wb_buf *out)
{
    format_cell(t, row, col, out);
}

double wb_out_cell_number(const wb_out_table *t, int row, int col)
{
    const cell *c = cell_at(t, row, col);
    if (c->kind == CELL_INT)
        return (double)c->integer;
    if (c->kind == CELL_REAL)
        return c->real;
    return NAN;
}

/* ---- writing ---- */

static void write_csv(const wb_out_table *t, wb_buf *out, wb_buf *scratch)
{
    for (int c = 0; c < t->ncolumns; c++) {
        if (c)
            wb_buf_putc(out, ',');
        wb_csv_field_str(out, t->columns[c].name);
    }
    wb_buf_putc(out, '\n');
    int nrows = wb_out_table_nrows(t);
    for (int r = 0; r < nrows; r++) {
        for (int c = 0; c < t->ncolumns; c++) {
            if (c)
                wb_buf_putc(out, ',');
            wb_buf_reset(scratch);
            format_cell(t, r, c, scratch);
            wb_csv_field(out, scratch->data ? scratch->data : "", scratch->len);
        }
        wb_buf_putc(out, '\n');
    }
}

/* Terminal columns of UTF-8 text: one per code point (continuation bytes are
 * not counted). Wide East Asian characters are rare in these tables. */
static size_t display_width(const char *text, size_t len)
{
    size_t width = 0;
    for (size_t i = 0; i < len; i++)
        width += ((unsigned char)text[i] & 0xC0) != 0x80;
    return width;
}

/* Text for one line of a terminal or Markdown table: control characters (a
 * multi-line error) become spaces so a row stays one line. */
static void flatten(wb_buf *text)
{
    for (size_t i = 0; i < text->len; i++)
        if ((unsigned char)text->data[i] < 0x20 || text->data[i] == 0x7f)
            text->data[i] = ' ';
}

static int column_is_number(const wb_out_table *t, int c)
{
    return t->columns[c].kind != WB_COL_TEXT;
}

static void pad(wb_buf *out, size_t n)
{
    for (size_t i = 0; i < n; i++)
        wb_buf_putc(out, ' ');
}

/* Which columns the table format shows: all, or those that fit t->fit_width
 * (two spaces between columns); the note naming the others goes into note. */
static void fit_columns(const wb_out_table *t, const size_t *widths, int *keep, wb_buf *note)
{
    int n = t->ncolumns;
    int *w = wb_xmalloc((size_t)n * sizeof *w), *seps = wb_xmalloc((size_t)n * sizeof *seps);
    int *importance = wb_xmalloc((size_t)n * sizeof *importance), *dropped = wb_xmalloc((size_t)n * sizeof *dropped);
    const char **names = wb_xmalloc((size_t)n * sizeof *names);
    for (int c = 0; c < n; c++) {
        keep[c] = 1;
        w[c] = (int)widths[c];
        seps[c] = c ? 2 : 0;
        importance[c] = t->columns[c].importance;
        names[c] = t->columns[c].name;
    }
    if (t->fit_width > 0) {
        wb_fit_columns(w, seps, importance, n, t->fit_width, keep);
        for (int c = 0; c < n; c++)
            dropped[c] = !keep[c];
        wb_fit_note(note, 0, t->fit_width, names, dropped, n);
    }
    free(w);
    free(seps);
    free(importance);
    free(dropped);
    free(names);
}

static void write_aligned(const wb_out_table *t, wb_buf *out, wb_buf *scratch)
{
    int nrows = wb_out_table_nrows(t);
    size_t *widths = wb_xcalloc((size_t)t->ncolumns, sizeof *widths);
    /* Render every cell once into one buffer: offsets[i] .. offsets[i+1]. */
    size_t ncells = (size_t)nrows * (size_t)t->ncolumns;
    size_t *offsets = wb_xmalloc((ncells + 1) * sizeof *offsets);
    wb_buf_reset(scratch);
    for (int c = 0; c < t->ncolumns; c++)
        widths[c] = display_width(t->columns[c].name, strlen(t->columns[c].name));
    for (size_t i = 0; i < ncells; i++) {
        offsets[i] = scratch->len;
        int r = (int)(i / (size_t)t->ncolumns), c = (int)(i % (size_t)t->ncolumns);
        if (cell_at(t, r, c)->kind == CELL_UNKNOWN)
            wb_buf_putc(scratch, '-');
        else
            format_cell(t, r, c, scratch);
    }
    offsets[ncells] = scratch->len;
    if (scratch->data)
        for (size_t i = 0; i < scratch->len; i++)
            if ((unsigned char)scratch->data[i] < 0x20 || scratch->data[i] == 0x7f)
                scratch->data[i] = ' ';
    for (size_t i = 0; i < ncells; i++) {
        size_t w = display_width(scratch->data + offsets[i], offsets[i + 1] - offsets[i]);
        size_t c = i % (size_t)t->ncolumns;
        if (w > widths[c])
            widths[c] = w;
    }
    int *keep = wb_xmalloc((size_t)t->ncolumns * sizeof *keep);
    wb_buf note = WB_BUF_INIT;
    fit_columns(t, widths, keep, &note);
    int first = 0, last = t->ncolumns - 1;
    while (first < last && !keep[first])
        first++;
    while (last > first && !keep[last])
        last--;
    /* header, a rule, then the rows; two spaces between columns, numbers right-aligned */
    for (int c = 0; c < t->ncolumns; c++) {
        if (!keep[c])
            continue;
        size_t w = display_width(t->columns[c].name, strlen(t->columns[c].name));
        if (c != first)
            wb_buf_puts(out, "  ");
        if (column_is_number(t, c))
            pad(out, widths[c] - w);
        wb_buf_puts(out, t->columns[c].name);
        if (!column_is_number(t, c) && c != last)
            pad(out, widths[c] - w);
    }
    wb_buf_putc(out, '\n');
    for (int c = 0; c < t->ncolumns; c++) {
        if (!keep[c])
            continue;
        if (c != first)
            wb_buf_puts(out, "  ");
        for (size_t k = 0; k < widths[c]; k++)
            wb_buf_putc(out, '-');
    }
    wb_buf_putc(out, '\n');
    for (size_t i = 0; i < ncells; i++) {
        int c = (int)(i % (size_t)t->ncolumns);
        if (!keep[c])
            continue;
        const char *text = scratch->data + offsets[i];
        size_t len = offsets[i + 1] - offsets[i];
        size_t w = display_width(text, len);
        if (c != first)
            wb_buf_puts(out, "  ");
        if (column_is_number(t, c))
            pad(out, widths[c] - w);
        wb_buf_append(out, text, len);
        if (!column_is_number(t, c) && c != last)
            pad(out, widths[c] - w);
        if (c == last)
            wb_buf_putc(out, '\n');
    }
    wb_buf_append(out, note.data ? note.data : "", note.len);
    wb_buf_free(&note);
    free(keep);
    free(offsets);
    free(widths);
}

/* A Markdown cell: '|' escaped, '\' escaped (so the escape itself stays literal),
 * line breaks flattened to spaces. */
static void markdown_cell(wb_buf *out, const char *text, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        char ch = text[i];
        if (ch == '|' || ch == '\\')
            wb_buf_putc(out, '\\');
        wb_buf_putc(out, ch);
    }
}

static void write_markdown(const wb_out_table *t, wb_buf *out, wb_buf *scratch)
{
    wb_buf_putc(out, '|');
    for (int c = 0; c < t->ncolumns; c++) {
        wb_buf_putc(out, ' ');
        markdown_cell(out, t->columns[c].name, strlen(t->columns[c].name));
        wb_buf_puts(out, " |");
    }
    wb_buf_puts(out, "\n|");
    for (int c = 0; c < t->ncolumns; c++)
        wb_buf_puts(out, column_is_number(t, c) ? "---:|" : "---|");
    wb_buf_putc(out, '\n');
    int nrows = wb_out_table_nrows(t);
    for (int r = 0; r < nrows; r++) {
        wb_buf_putc(out, '|');
        for (int c = 0; c < t->ncolumns; c++) {
            wb_buf_reset(scratch);
            format_cell(t, r, c, scratch);
            flatten(scratch);
            wb_buf_putc(out, ' ');
            markdown_cell(out, scratch->data ? scratch->data : "", scratch->len);
            wb_buf_puts(out, " |");
        }
        wb_buf_putc(out, '\n');
    }
}

static void write_json(const wb_out_table *t, const char *key, wb_buf *out)
{
    wb_buf_puts(out, "{\n  ");
    wb_json_string_str(out, key ? key : "rows");
    wb_buf_puts(out, ": [");
    int nrows = wb_out_table_nrows(t);
    for (int r = 0; r < nrows; r++) {
        wb_buf_puts(out, r ? ",\n    {" : "\n    {");
        for (int c = 0; c < t->ncolumns; c++) {
            const cell *x = cell_at(t, r, c);
            if (c)
                wb_buf_puts(out, ", ");
            wb_json_string_str(out, t->columns[c].name);
            wb_buf_puts(out, ": ");
            switch (x->kind) {
            case CELL_UNKNOWN:
                wb_buf_puts(out, "null");
                break;
            case CELL_TEXT:
                wb_json_string(out, cell_str(t, x), x->text_len);
                break;
            case CELL_INT:
                wb_json_int64(out, x->integer);
                break;
            case CELL_REAL:
                wb_json_double(out, x->real);
                break;
            }
        }
        wb_buf_putc(out, '}');
    }
    wb_buf_puts(out, nrows ? "\n  ]\n}\n" : "]\n}\n");
}

int wb_out_table_write(const wb_out_table *t, wb_format f, const char *json_key, wb_buf *out, wb_error *e)
{
    if (t->ncolumns <= 0)
        return wb_fail(e, "table has no columns");
    if (t->ncells % (size_t)t->ncolumns)
        return wb_fail(e, "table's last row is incomplete (%zu of %d cells)", t->ncells % (size_t)t->ncolumns,
                       t->ncolumns);
    wb_buf scratch = WB_BUF_INIT;
    switch (f) {
    case WB_FORMAT_CSV:
        write_csv(t, out, &scratch);
        break;
    case WB_FORMAT_TABLE:
        write_aligned(t, out, &scratch);
        break;
    case WB_FORMAT_MARKDOWN:
        write_markdown(t, out, &scratch);
        break;
    case WB_FORMAT_JSON:
        write_json(t, json_key, out);
        break;
    default:
        wb_buf_free(&scratch);
        return wb_fail(e, "unknown output format %d", (int)f);
    }
    wb_buf_free(&scratch);
    return 0;
}

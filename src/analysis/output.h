/* The one table writer of the analysis commands: a table is column names and
 * rows of cells (text or number, unknown allowed), written as
 *   csv       RFC 4180 (util/csv.h), header first, unknown = empty field;
 *   table     aligned columns for a terminal (numbers right-aligned), unknown = "-";
 *   markdown  a GitHub pipe table ('|' in text escaped), unknown = empty;
 *   json      {"<key>": [{"<column>": value, ...}, ...]} (util/json.h): numbers as
 *             JSON numbers at full precision, unknown = null.
 * csv, table and markdown print real numbers with each column's fixed decimals.
 * aggregate, correlate, compare and the run's exports all write through here,
 * so their formats cannot drift apart. */
#ifndef WB_ANALYSIS_OUTPUT_H
#define WB_ANALYSIS_OUTPUT_H

#include <stdint.h>

#include "util/buf.h"
#include "util/error.h"

typedef enum wb_format {
    WB_FORMAT_CSV = 0,
    WB_FORMAT_TABLE,
    WB_FORMAT_MARKDOWN,
    WB_FORMAT_JSON
} wb_format;

/* "csv", "table", "markdown" or "json" into *out; otherwise one line listing them. */
int wb_format_parse(const char *name, wb_format *out, wb_error *e);
/* The format's name. */
const char *wb_format_name(wb_format f);

typedef enum wb_col_kind {
    WB_COL_TEXT,  /* cells are text */
    WB_COL_INT,   /* cells are whole numbers */
    WB_COL_REAL   /* cells are real numbers, shown with `decimals` places */
} wb_col_kind;

typedef struct wb_out_column {
    const char *name;   /* header / JSON key */
    wb_col_kind kind;
    int decimals;       /* WB_COL_REAL: places in csv/table/markdown (json: full precision) */
    int importance;     /* table format fitted to a width (wb_out_table_fit): the least important
                         * columns are left out first; WB_IMPORTANCE_ALWAYS (util/term.h) never */
} wb_out_column;

typedef struct wb_out_table wb_out_table;

/* A new empty table with these columns (the array must outlive the table). */
wb_out_table *wb_out_table_new(const wb_out_column *columns, int ncolumns);
/* Release it (NULL allowed). */
void wb_out_table_free(wb_out_table *t);

/* Append the next cell, filling rows left to right; a row is complete after
 * ncolumns cells. Any kind of cell may go in any column, but numbers belong in
 * number columns. */
void wb_out_text(wb_out_table *t, const char *text);     /* NULL = unknown */
void wb_out_int(wb_out_table *t, int64_t value);         /* always known */
void wb_out_int_or_unknown(wb_out_table *t, int64_t value); /* -1 = unknown */
void wb_out_real(wb_out_table *t, double value);         /* NAN/inf = unknown */
void wb_out_unknown(wb_out_table *t);

/* Rows completed so far, and the columns. */
int wb_out_table_nrows(const wb_out_table *t);
int wb_out_table_ncolumns(const wb_out_table *t);
const wb_out_column *wb_out_table_column(const wb_out_table *t, int col);
/* Append cell (row, col) as the csv/table formats show it ("" when unknown), for
 * callers that render the same table elsewhere (the HTML report). */
void wb_out_cell_text(const wb_out_table *t, int row, int col, wb_buf *out);
/* The cell's number (NAN when unknown or text). */
double wb_out_cell_number(const wb_out_table *t, int row, int col);

/* Fit the table format to width columns (0, the default: no limit): columns are
 * left out by their importance until a line fits, and one note under the table
 * names them (util/term.h). The other formats always hold every column. */
void wb_out_table_fit(wb_out_table *t, int width);

/* Append the whole table in format f. json_key names the JSON array ("groups");
 * it is ignored by the other formats. An incomplete last row is an error. */
int wb_out_table_write(const wb_out_table *t, wb_format f, const char *json_key, wb_buf *out, wb_error *e);

#endif

/* Tables for people fitted to the terminal: how wide it is, and which columns
 * of a table to keep so that a line fits, dropping the least important first.
 * The run's console (runner/console.c), `aggregate --format table`
 * (analysis/output.c) and the findings' text share these, so that every table
 * a person reads fits the same way and says what it left out. */
#ifndef WB_UTIL_TERM_H
#define WB_UTIL_TERM_H

#include <stddef.h>

#include "util/buf.h"

/* The width when stdout is not a terminal and COLUMNS says nothing. */
#define WB_TERM_DEFAULT_WIDTH 100

/* A column of this importance or more is never dropped (a row's name, its verdict). */
#define WB_IMPORTANCE_ALWAYS 10

/* The columns tables are fitted to: the terminal's (TIOCGWINSZ on stdout) when
 * stdout is one, else $COLUMNS when it is a whole number from 20 to 10000, else
 * WB_TERM_DEFAULT_WIDTH. */
int wb_term_width(void);

/* Which of n columns to keep so that a line fits in `width`: widths[i] is column
 * i's width and seps[i] the spaces before it (the first column's indent
 * included); importance[i] ranks it, higher kept longer, WB_IMPORTANCE_ALWAYS
 * never dropped. Columns with keep[i] == 0 on entry are absent (not shown, not
 * counted as dropped); the others start kept. Drops the least important column
 * first, and of equally important ones the rightmost, until the line fits or
 * only columns that must stay are left. Returns how many it dropped. */
int wb_fit_columns(const int *widths, const int *seps, const int *importance, int n, int width, int *keep);

/* The note said under a table whose columns were dropped, wrapped to width
 * (one line at any usual width):
 * "  (left out to fit 100 columns: client, commits; widen the terminal or set COLUMNS)\n",
 * naming names[i] of the columns with dropped[i] set, in table order; appends
 * nothing when none was dropped. indent spaces start the line. */
void wb_fit_note(wb_buf *out, int indent, int width, const char *const *names, const int *dropped, int n);

/* Append text wrapped at word boundaries so that no line is wider than width
 * (a word longer than a line stays whole, and so does an option with its value,
 * "--batch 10,100"): the first line starts after `first`
 * columns already used, every further line with `hang` spaces. Ends with a newline. */
void wb_term_wrap(wb_buf *out, const char *text, int first, int hang, int width);

#endif

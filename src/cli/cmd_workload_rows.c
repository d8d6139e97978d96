/* `writebench workload rows FILE --table T`: a workload's rows as a program reads
 * them, one line per key in PostgreSQL's COPY text format (docs/FORMATS.md,
 * "workload rows"): the columns in table order separated by a tab, NULL as \N,
 * a backslash, tab, newline and carriage return escaped as \\, \t, \n and \r,
 * bytes as bytea's hex text (\\x0a1b...). The values are exactly those the
 * verifier expects (wb_row_make), so a program that writes them verifies; the
 * code `advise` generates reads its rows from here, which keeps one definition
 * of every generator instead of a copy per language. Reads only. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "workloads/workload.h"

typedef struct rows_options {
    const char *table;
    int64_t version;
    int64_t first, last;
} rows_options;

const wb_opt wb_workload_rows_opts[] = {
    {"--table", WB_OPT_STRING, offsetof(rows_options, table), "T", "the table whose rows are printed. Required.", 0,
     0},
    {"--version", WB_OPT_INT64, offsetof(rows_options, version), "V",
     "the data version: 1 (the insert pass) or 2 (the update pass). Default: 1.", 1, 2},
    {"--first", WB_OPT_INT64, offsetof(rows_options, first), "K",
     "the first row number (row K's key is K, or K - 1 in a table with first_key: 0). Default: 1.", 1, WB_KEY_MAX},
    {"--last", WB_OPT_INT64, offsetof(rows_options, last), "K", "the last row number (inclusive). Required.", 1,
     WB_KEY_MAX},
    WB_OPT_END,
};

/* One value in COPY text form. */
static void put_field(const wb_value *v, wb_buf *out)
{
    static const char hex[] = "0123456789abcdef";
    if (v->is_null) {
        wb_buf_puts(out, "\\N");
        return;
    }
    if (v->type == WB_TYPE_BYTES) {
        wb_buf_puts(out, "\\\\x"); /* the text \x..., its backslash escaped */
        for (size_t i = 0; i < v->len; i++) {
            wb_buf_putc(out, hex[(unsigned char)v->text[i] >> 4]);
            wb_buf_putc(out, hex[(unsigned char)v->text[i] & 15]);
        }
        return;
    }
    for (size_t i = 0; i < v->len; i++) {
        char c = v->text[i];
        const char *esc = c == '\\' ? "\\\\" : c == '\t' ? "\\t" : c == '\n' ? "\\n" : c == '\r' ? "\\r" : NULL;
        if (esc)
            wb_buf_puts(out, esc);
        else
            wb_buf_putc(out, c);
    }
}

int wb_workload_rows(int argc, char **argv)
{
    rows_options o = {NULL, 1, 1, 0};
    const char **positional = wb_xcalloc((size_t)argc + 1, sizeof *positional);
    int npositional = 0, status = 0;
    int rc = wb_cli_parse(wb_workload_rows_opts, argc, argv, &o, positional, &npositional, &status);
    const char *file = positional[0];
    free(positional);
    if (rc != 0)
        return status;
    if (npositional != 1)
        return wb_cli_fail(argv[0], npositional ? "one workload file at a time" : "name the workload file");
    const wb_workload *w;
    if (wb_cli_find_workload(argv[0], file, &w) != 0)
        return 2;
    if (!o.table)
        return wb_cli_fail(argv[0], "--table is required (the tables of %s: see workload show)", w->name);
    if (!o.last)
        return wb_cli_fail(argv[0], "--last is required: the last row number to print");
    if (o.first > o.last)
        return wb_cli_fail(argv[0], "--first %lld is after --last %lld", (long long)o.first, (long long)o.last);
    const wb_table *t = NULL;
    for (int i = 0; i < w->ntables && !t; i++)
        if (strcmp(w->tables[i].name, o.table) == 0)
            t = &w->tables[i];
    if (!t)
        return wb_cli_fail(argv[0], "--table %s: workload %s has no such table", o.table, w->name);
    wb_row r = WB_ROW_INIT;
    wb_buf line = WB_BUF_INIT;
    int failed = 0;
    for (int64_t k = o.first; k <= o.last && !failed; k++) {
        wb_row_make(t, k, (int)o.version, &r);
        for (int c = 0; c < t->ncolumns; c++) {
            if (c)
                wb_buf_putc(&line, '\t');
            put_field(&r.v[c], &line);
        }
        wb_buf_putc(&line, '\n');
        if (line.len >= 1 << 16 || k == o.last) { /* write in blocks: a reader may stop early */
            failed = fwrite(line.data, 1, line.len, stdout) != line.len;
            wb_buf_reset(&line);
        }
    }
    wb_row_free(&r);
    wb_buf_free(&line);
    if (failed || fflush(stdout) != 0)
        return wb_cli_fail(argv[0], "cannot write the rows to stdout");
    return 0;
}

/* `writebench --man`: the man page writebench(1) in roff (man macros), made from
 * the pages --help prints (cli/manual.c) so it cannot drift from them. CMake runs
 * it at build time to write build/writebench.1, which is installed and packaged.
 * Only the sections that are not in any help screen (EXAMPLES, FILES, SEE ALSO)
 * are written here. */
#include <stdint.h>
#include <string.h>

#include "cli/manual.h"
#include "util/buf.h"

/* Generated at build time by cmake/build_info.cmake. */
extern const char *const wb_build_version;

/* The code point of the UTF-8 sequence at *p, advancing *p past it (a stray byte
 * is taken as itself). */
static uint32_t next_code_point(const unsigned char **p)
{
    const unsigned char *s = *p;
    int extra = s[0] >= 0xF0 ? 3 : s[0] >= 0xE0 ? 2 : s[0] >= 0xC0 ? 1 : 0;
    uint32_t cp = extra ? s[0] & (0x3F >> extra) : s[0];
    int i = 1;
    for (; i <= extra && (s[i] & 0xC0) == 0x80; i++)
        cp = (cp << 6) | (s[i] & 0x3F);
    if (i <= extra) { /* truncated: the first byte alone */
        cp = s[0];
        i = 1;
    }
    *p = s + i;
    return cp;
}

/* Append text for roff, on a line of its own: backslashes and hyphens escaped (so
 * options copy as ASCII minus), a leading '.' or '\'' guarded, non-ASCII as \[uXXXX]
 * (groff reads bytes, not UTF-8). keep_groups: spaces inside [...] do not break, so
 * a synopsis never splits "[--rows N]". */
static void roff_line(wb_buf *out, const char *text, int keep_groups)
{
    if (text[0] == '.' || text[0] == '\'')
        wb_buf_puts(out, "\\&");
    int depth = 0;
    for (const unsigned char *p = (const unsigned char *)text; *p;) {
        if (*p >= 0x80) {
            wb_buf_printf(out, "\\[u%04X]", (unsigned)next_code_point(&p));
            continue;
        }
        char c = (char)*p++;
        depth += (c == '[') - (c == ']');
        if (c == '\\')
            wb_buf_puts(out, "\\e");
        else if (c == '-')
            wb_buf_puts(out, "\\-");
        else if (c == ' ' && keep_groups && depth > 0)
            wb_buf_puts(out, "\\ ");
        else
            wb_buf_putc(out, c);
    }
    wb_buf_putc(out, '\n');
}

/* One command: its synopsis in bold command words, what it does, each option as a tagged paragraph. */
static void command_section(wb_buf *out, const wb_help_page *page)
{
    wb_buf_printf(out, ".SS \"%s\"\n.PP\n.B writebench %s\n", page->command, page->command);
    const char *rest = page->synopsis + strlen(page->command);
    while (*rest == ' ')
        rest++;
    if (*rest)
        roff_line(out, rest, 1);
    wb_buf_puts(out, ".PP\n");
    roff_line(out, page->summary, 0);
    for (const wb_opt *o = page->opts; o && o->name; o++) {
        wb_buf_puts(out, ".TP\n\\fB");
        wb_buf tag = WB_BUF_INIT;
        roff_line(&tag, o->name, 0);
        wb_buf_append(out, wb_buf_str(&tag), tag.len - 1); /* without its newline */
        wb_buf_puts(out, "\\fR");
        wb_buf_free(&tag);
        if (o->value_name) {
            wb_buf value = WB_BUF_INIT;
            roff_line(&value, o->value_name, 0);
            wb_buf_printf(out, " \\fI%.*s\\fR", (int)value.len - 1, wb_buf_str(&value));
            wb_buf_free(&value);
        }
        wb_buf_puts(out, o->kind == WB_OPT_LIST ? " ...\n" : "\n");
        roff_line(out, o->help, 0);
    }
}

/* The sections no help screen holds: how to start, where the files are, related pages. */
static const char *const man_tail =
    ".SH EXAMPLES\n"
    "Every SQLite strategy on the \\fBusers\\fR workload, 100,000 rows per table, verified:\n"
    ".PP\n.RS\n.nf\nwritebench run\n.fi\n.RE\n.PP\n"
    "A small run into a named SQLite file, two strategies, the results kept in \\fIresults\\fR:\n"
    ".PP\n.RS\n.nf\n"
    "writebench run \\-\\-db sqlite:///tmp/wb.db \\-\\-rows 1000 \\-\\-strategies single\\-tx,prepared\n"
    ".fi\n.RE\n.PP\n"
    "A throwaway PostgreSQL cluster, then the HTML report and the advice with code for your tables:\n"
    ".PP\n.RS\n.nf\n"
    "writebench run \\-\\-db pg\\-temp: \\-\\-workload products \\-\\-rows 10000\n"
    "writebench report \\-\\-out report.html\n"
    "writebench advise \\-\\-code advice\n"
    ".fi\n.RE\n"
    ".SH FILES\n"
    ".TP\n.I PREFIX/share/writebench/workloads/*.yaml\n"
    "The shipped workloads (users, products, ...), found from the binary's own path: "
    "PREFIX is the directory above the one that holds \\fBwritebench\\fR (\\fI/usr\\fR for the Debian package). "
    "A binary in a build directory reads the \\fIworkloads\\fR directory of its source tree instead.\n"
    ".TP\n.I PREFIX/share/doc/writebench/examples\n"
    "Example external strategies in C and Python, to run with \\fB\\-\\-external\\-dir\\fR.\n"
    ".TP\n.I results/\n"
    "The default \\fB\\-\\-results\\fR directory: one directory per run (results.csv, results.json, "
    "run.conf, code.diff, run.log).\n"
    ".SH \"EXIT STATUS\"\n"
    "Every command:\n"
    ".TP\n.B 0\nsuccess.\n"
    ".TP\n.B 1\nthe work ran but a test failed (a strategy's error or a value that did not verify).\n"
    ".TP\n.B 2\nbad input, or nothing could run; one line on standard error names the problem.\n"
    ".TP\n.B 128 + N\nthe run was stopped by signal N (130 after SIGINT, 143 after SIGTERM); "
    "what was measured before it is kept.\n"
    ".SH \"SEE ALSO\"\n"
    ".BR sqlite3 (1),\n.BR psql (1),\n.BR pgbench (1),\n.BR mariadb (1).\n"
    ".PP\n"
    "The README and docs in \\fIPREFIX/share/doc/writebench\\fR, and "
    "\\fBwritebench <command> \\-\\-help\\fR.\n";

/* The whole page: the header sections, a section per help page, the tail. */
static void man_page(wb_buf *out, const wb_manual *m)
{
    wb_buf_printf(out,
                  ".\\\" writebench(1), generated by `writebench --man` from the tables --help prints: do not edit.\n"
                  ".TH WRITEBENCH 1 \"\" \"writebench %s\" \"User Commands\"\n"
                  ".\\\" long option names and URLs read better unhyphenated and ragged-right\n"
                  ".nh\n.ad l\n"
                  ".SH NAME\n"
                  "writebench \\- measure every way of writing rows into a database, and verify every value\n"
                  ".SH SYNOPSIS\n"
                  ".B writebench\n.I command\n.RI [ options ]\n.br\n"
                  ".B writebench help\n.RI [ command ]\n.br\n"
                  ".B writebench \\-\\-help\n.br\n"
                  ".B writebench \\-\\-version\n"
                  ".SH DESCRIPTION\n",
                  wb_build_version);
    roff_line(out, wb_cli_description, 0);
    wb_buf_puts(out, ".PP\nThe backends are SQLite, PostgreSQL and MariaDB; \\fB\\-\\-db\\fR chooses one.\n");
    wb_buf_puts(out, ".SH COMMANDS\n");
    for (int i = 0; i < m->count; i++)
        command_section(out, &m->pages[i]);
    wb_buf_puts(out, man_tail);
}

int wb_manual_man(FILE *f)
{
    return wb_manual_print(f, "--man", man_page);
}

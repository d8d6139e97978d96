/* The subcommand table and what every command shares: usage screens, the
 * one-line error format and option parsing with those errors (see cli.h). */
#include "cli/cli.h"

#include <ctype.h>
#include <stdarg.h>
#include <string.h>

#include "cli/text.h"

const wb_command wb_commands[] = {
    /* run's options are many and change often: its synopsis comes from its option table. */
    {"run", cmd_run, "run the write strategies, verify every value, record the results", NULL},
    {"describe", cmd_describe, "list the strategies (with the idiom each mirrors) and the workloads",
     "[--format text|markdown|json] [--external-dir DIR]..."},
    {"setup", cmd_setup, "create the workload's tables in writebench's database",
     "[--db URL] [--schema NAME] [--workload NAME|FILE] [--echo]"},
    {"count", cmd_count, "count the rows in each of the workload's tables",
     "--db URL [--schema NAME] [--workload NAME|FILE] [--echo]"},
    {"show", cmd_show, "show the first rows of each of the workload's tables",
     "--db URL [--schema NAME] [--workload NAME|FILE] [--limit N] [--echo]"},
    {"drop", cmd_drop, "drop the workload's tables from writebench's database",
     "--db URL [--schema NAME] [--workload NAME|FILE] [--echo]"},
    {"aggregate", cmd_aggregate, "statistics over runs, grouped by comparable tests",
     "[RUN...] [--results DIR] [--format csv|table|markdown|json] [--whole-runs-only]"},
    {"correlate", cmd_correlate, "correlation matrix of the measures over runs",
     "[RUN...] [--results DIR] [--format csv|table|markdown|json] [--whole-runs-only]"},
    {"findings", cmd_findings, "what the runs show: each usual claim confirmed, refuted or within noise, and the traps",
     "[RUN...] [--results DIR] [--format text|json] [--whole-runs-only]"},
    {"report", cmd_report, "one self-contained HTML report with charts",
     "[RUN...] [--results DIR] [--out FILE.html] [--whole-runs-only]"},
    {"compare", cmd_compare, "two runs or run sets side by side, with the differences beyond noise",
     "RUN_A[,RUN...] RUN_B[,RUN...] [--results DIR] [--format table|markdown|csv|json] [--fail-if-slower PCT] "
     "[--whole-runs-only]"},
    {"workload", cmd_workload,
     "write a workload file from CREATE TABLE statements or live tables, show one, or check its C and SQL "
     "definitions against each other on a database",
     "init --ddl FILE | init --from URL --table SCHEMA.TABLE... | show FILE [--limit N] | check FILE --db URL "
     "[--rows N] [--echo] | rows FILE --table T --last K"},
    {"advise", cmd_advise, "for each need (bulk load, batches, insert-or-update) the fastest verified strategy, its runner-up, and code for your tables",
     "[RUN...] [--results DIR] [--code DIR] [--whole-runs-only]"},
    /* profile's options are many too: its synopsis comes from its option table. */
    {"profile", cmd_profile, "load the workload, then measure its typical reads (latency, plan) and the index trade-off",
     NULL},
    {NULL, NULL, NULL, NULL},
};

const char wb_cli_description[] =
    "Measures every practical way of writing rows into a database (insert, update, "
    "upsert; single, batched, prepared, multi-row, ...), verifies every written value "
    "and keeps every run on disk.";

const char wb_cli_exit_status[] = "Exit status: 0 success, 1 a test failed, 2 bad input or nothing could run.";

const wb_command *wb_command_find(const char *name)
{
    for (const wb_command *c = wb_commands; c->name; c++)
        if (strcmp(c->name, name) == 0)
            return c;
    return NULL;
}

/* Append a synopsis wrapped at the help width without breaking inside a
 * bracketed group, so "[--threads T]" never loses its T to the next line. */
static void wrap_synopsis(wb_buf *out, const char *synopsis, size_t indent)
{
    size_t column = indent;
    const char *p = synopsis;
    while (*p) {
        while (*p == ' ')
            p++;
        if (!*p)
            break;
        const char *end = p;
        int depth = 0;
        for (; *end && (depth > 0 || *end != ' '); end++)
            depth += (*end == '[') - (*end == ']');
        size_t len = (size_t)(end - p);
        if (column > indent && column + 1 + len > WB_HELP_WIDTH) {
            wb_buf_putc(out, '\n');
            wb_pad(out, 0, indent);
            column = indent;
        } else if (column > indent) {
            wb_buf_putc(out, ' ');
            column++;
        }
        wb_buf_append(out, p, len);
        column += len;
        p = end;
    }
}

void wb_cli_usage(FILE *f)
{
    wb_buf out = WB_BUF_INIT;
    wb_buf_puts(&out, "usage: writebench <command> [options]\n"
                      "       writebench help <command> | --help | --version\n\n");
    wb_wrap(&out, wb_cli_description, 0, 0, WB_HELP_WIDTH);
    wb_buf_puts(&out, "\n\ncommands:\n");
    size_t column = 0;
    for (const wb_command *c = wb_commands; c->name; c++)
        if (strlen(c->name) > column)
            column = strlen(c->name);
    column += 5;
    for (const wb_command *c = wb_commands; c->name; c++) {
        size_t start = out.len;
        wb_buf_printf(&out, "  %s", c->name);
        wb_pad(&out, out.len - start, column);
        wb_wrap(&out, c->summary, column, column, WB_HELP_WIDTH);
        wb_buf_putc(&out, '\n');
    }
    wb_buf_puts(&out, "\n'writebench <command> --help' shows a command's options.\n");
    wb_buf_printf(&out, "%s\n", wb_cli_exit_status);
    fputs(wb_buf_str(&out), f);
    wb_buf_free(&out);
}

static struct {
    wb_help_sink sink;
    void *ctx;
} help_sink;

void wb_cli_set_help_sink(wb_help_sink sink, void *ctx)
{
    help_sink.sink = sink;
    help_sink.ctx = ctx;
}

int wb_cli_help_sink_set(void)
{
    return help_sink.sink != NULL;
}

int wb_cli_help_to_sink(const wb_help_page *page)
{
    if (!help_sink.sink)
        return 0;
    help_sink.sink(page, help_sink.ctx);
    return 1;
}

/* The summary is a list item ("run the ..."); a usage screen opens a sentence with it. */
static void summary_sentence(const char *summary, wb_buf *out)
{
    wb_buf_printf(out, "%c%s.", toupper((unsigned char)summary[0]), summary + 1);
}

void wb_cli_command_usage(FILE *f, const char *name, const wb_opt *opts)
{
    const wb_command *c = wb_command_find(name);
    wb_buf synopsis = WB_BUF_INIT;
    if (c && c->usage)
        wb_buf_puts(&synopsis, c->usage);
    else if (opts)
        wb_opts_synopsis(opts, &synopsis);
    if (help_sink.sink) {
        wb_buf line = WB_BUF_INIT, sentence = WB_BUF_INIT;
        wb_buf_printf(&line, "%s %s", name, wb_buf_str(&synopsis));
        if (c)
            summary_sentence(c->summary, &sentence);
        wb_help_page page = {name, wb_buf_str(&line), wb_buf_str(&sentence), opts};
        wb_cli_help_to_sink(&page);
        wb_buf_free(&line);
        wb_buf_free(&sentence);
        wb_buf_free(&synopsis);
        return;
    }
    wb_buf out = WB_BUF_INIT;
    wb_buf_printf(&out, "usage: writebench %s ", name);
    wrap_synopsis(&out, wb_buf_str(&synopsis), out.len);
    wb_buf_free(&synopsis);
    wb_buf_puts(&out, "\n\n");
    if (c) {
        wb_buf sentence = WB_BUF_INIT;
        summary_sentence(c->summary, &sentence);
        wb_wrap(&out, wb_buf_str(&sentence), 0, 0, WB_HELP_WIDTH);
        wb_buf_free(&sentence);
        wb_buf_putc(&out, '\n');
    }
    if (opts && opts->name) {
        wb_buf_puts(&out, "\noptions:\n");
        wb_opts_help(opts, &out, WB_HELP_WIDTH);
    }
    fputs(wb_buf_str(&out), f);
    wb_buf_free(&out);
}

int wb_cli_fail(const char *cmd, const char *fmt, ...)
{
    char message[2048];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(message, sizeof message, fmt, ap);
    va_end(ap);
    /* One line, always: a message from below that carries a newline is flattened. */
    for (char *p = message; *p; p++)
        if (*p == '\n' || *p == '\r')
            *p = ' ';
    fprintf(stderr, "writebench %s: %s\n", cmd, message);
    return 2;
}

int wb_cli_parse(const wb_opt *opts, int argc, char **argv, void *dest, const char **positional,
                 int *npositional, int *exit_status)
{
    wb_error e = {{0}};
    switch (wb_opts_parse(opts, argc, argv, dest, positional, npositional, &e)) {
    case WB_OPTS_OK:
        return 0;
    case WB_OPTS_HELP:
        wb_cli_command_usage(stdout, argv[0], opts);
        *exit_status = 0;
        return -1;
    case WB_OPTS_BAD:
        break;
    }
    *exit_status = wb_cli_fail(argv[0], "%s", e.msg);
    return -1;
}

int wb_cli_find_workload(const char *cmd, const char *name, const wb_workload **out)
{
    wb_error e = {{0}};
    if (wb_workload_open(name, out, &e) == 0)
        return 0;
    return wb_cli_fail(cmd, "%s", e.msg);
}

int wb_cli_apply_schema(const char *cmd, const char *schema, wb_target *t)
{
    if (!schema)
        return 0;
    const wb_backend *b = wb_backend_get(t->kind);
    if (!(b->caps & WB_CAP_NAMED_NAMESPACE)) {
        wb_buf which = WB_BUF_INIT;
        wb_backends_with(WB_CAP_NAMED_NAMESPACE, &which);
        wb_cli_fail(cmd, "--schema applies to %s only; a %s --db is %s", wb_buf_str(&which), b->display_name,
                    b->namespace_noun ? b->namespace_noun : "its own namespace");
        wb_buf_free(&which);
        return 2;
    }
    size_t len = strlen(schema);
    /* PostgreSQL truncates identifiers past 63 bytes (NAMEDATALEN - 1): refuse rather than guess. */
    if (len == 0 || len > 63)
        return wb_cli_fail(cmd, "--schema must be 1 to 63 bytes long, got %zu", len);
    snprintf(t->schema, sizeof t->schema, "%s", schema);
    return 0;
}

int wb_cli_check_pragmas(const char *cmd, const wb_opt_list *pragmas, const wb_backend *b)
{
    if (!pragmas->count || b->add_setting)
        return 0;
    wb_buf which = WB_BUF_INIT;
    for (int k = 0; k < WB_BACKEND_COUNT; k++) {
        const wb_backend *o = wb_backend_get((wb_backend_kind)k);
        if (o->add_setting)
            wb_buf_printf(&which, "%s%s", which.len ? " and " : "", o->display_name);
    }
    wb_cli_fail(cmd, "--pragma applies to %s only, and --db names a %s database", wb_buf_str(&which),
                b->display_name);
    wb_buf_free(&which);
    return 2;
}

int wb_cli_add_pragmas(const char *cmd, const wb_opt_list *pragmas, wb_target *t)
{
    wb_error e = {{0}};
    for (int i = 0; i < pragmas->count; i++)
        if (wb_target_add_pragma(t, pragmas->items[i], &e) != 0)
            return wb_cli_fail(cmd, "%s", e.msg);
    return 0;
}

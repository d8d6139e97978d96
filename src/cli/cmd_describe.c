/* `writebench describe`: the strategy catalogue and the workloads, as text for
 * people, a Markdown table for documents, or JSON for programs. Everything comes
 * from the catalogue (strategies/catalog.c) and the shipped workload files
 * (wb_workloads), so describe can never disagree with what `run` does. With
 * --external-dir DIR it lists the programs `run --external-dir DIR` would run
 * instead, read by the same code (strategies/external.c): name, language, params
 * and their first comment line. */
#include <string.h>

#include "cli/cli.h"
#include "cli/text.h"
#include "strategies/external.h"
#include "strategies/strategy.h"
#include "util/json.h"
#include "workloads/workload.h"

typedef struct describe_options {
    const char *format;
    wb_opt_list external_dirs;
} describe_options;

static const wb_opt describe_opts[] = {
    {"--format", WB_OPT_STRING, offsetof(describe_options, format), "FORMAT",
     "text (default) for reading, markdown for a document, json for programs.", 0, 0},
    {"--external-dir", WB_OPT_LIST, offsetof(describe_options, external_dirs), "DIR",
     "list the programs 'run --external-dir DIR' would measure instead of the catalogue: "
     "name, language, the params they declare and their first docstring or comment line; "
     "may be repeated.", 0, 0},
    WB_OPT_END,
};

/* The strategy's facts as short words, shared by the three formats. */
typedef struct facts {
    const char *passes[2];
    int npasses;
    const char *backends[WB_BACKEND_COUNT];
    int nbackends;
    int batch, threads, slow, reference;
} facts;

static facts facts_of(const wb_strategy *s)
{
    facts f = {{NULL}, 0, {NULL}, 0, 0, 0, 0, 0};
    if (s->passes & WB_PASS_INSERT)
        f.passes[f.npasses++] = "insert";
    if (s->passes & WB_PASS_UPDATE)
        f.passes[f.npasses++] = "update";
    /* the backends' names as the results' backend column writes them */
    for (int k = 0; k < WB_BACKEND_COUNT; k++)
        if (wb_strategy_fn_for(s, (wb_backend_kind)k, NULL))
            f.backends[f.nbackends++] = wb_backend_get((wb_backend_kind)k)->name;
    f.batch = (s->flags & WB_STRAT_BATCH) != 0;
    f.threads = (s->flags & WB_STRAT_THREADS) != 0;
    f.slow = (s->flags & WB_STRAT_SLOW) != 0;
    f.reference = (s->flags & WB_STRAT_REFERENCE) != 0;
    return f;
}

static void join(wb_buf *out, const char *const *items, int n, const char *sep)
{
    for (int i = 0; i < n; i++)
        wb_buf_printf(out, "%s%s", i ? sep : "", items[i]);
}

/* "user_account (id, name, fullname)": a table and its columns. */
static void table_summary(wb_buf *out, const wb_table *t)
{
    wb_buf_printf(out, "%s (", t->name);
    for (int c = 0; c < t->ncolumns; c++)
        wb_buf_printf(out, "%s%s", c ? ", " : "", t->columns[c].name);
    wb_buf_putc(out, ')');
}

/* ---- text --------------------------------------------------------------- */

static void text_strategy(wb_buf *out, const wb_strategy *s)
{
    /* "prepared  [insert; passes: insert; backends: sqlite; honours --threads]" */
    facts f = facts_of(s);
    wb_buf head = WB_BUF_INIT;
    wb_buf_printf(&head, "%s  [%s; passes: ", s->name, s->family);
    join(&head, f.passes, f.npasses, ", ");
    wb_buf_puts(&head, "; backends: ");
    join(&head, f.backends, f.nbackends, ", ");
    if (f.batch || f.threads)
        wb_buf_printf(&head, "; honours %s%s%s", f.batch ? "--batch" : "", f.batch && f.threads ? " and " : "",
                      f.threads ? "--threads" : "");
    if (f.slow)
        wb_buf_puts(&head, "; slow: runs at --slow-rows");
    if (f.reference)
        wb_buf_puts(&head, "; the reference other strategies are measured against: " WB_REFERENCE_MEANING);
    wb_buf_putc(&head, ']');
    wb_wrap(out, wb_buf_str(&head), 0, 4, WB_HELP_WIDTH);
    wb_buf_puts(out, "\n  ");
    wb_wrap(out, s->description, 2, 2, WB_HELP_WIDTH);
    wb_buf_puts(out, "\n  Idiom: ");
    wb_wrap(out, s->idiom, 9, 4, WB_HELP_WIDTH);
    wb_buf_puts(out, "\n\n");
    wb_buf_free(&head);
}

static void text_workload(wb_buf *out, const wb_workload *w)
{
    wb_buf_printf(out, "%s\n  ", w->name);
    wb_wrap(out, w->description ? w->description : "", 2, 2, WB_HELP_WIDTH);
    wb_buf line = WB_BUF_INIT;
    wb_buf_puts(&line, "Tables: ");
    for (int i = 0; i < w->ntables; i++) {
        if (i)
            wb_buf_puts(&line, ", ");
        table_summary(&line, &w->tables[i]);
    }
    wb_buf_puts(out, "\n  ");
    wb_wrap(out, wb_buf_str(&line), 2, 4, WB_HELP_WIDTH);
    wb_buf_puts(out, "\n\n");
    wb_buf_free(&line);
}

static void describe_text(wb_buf *out)
{
    wb_buf_puts(out, "STRATEGIES (in the order 'writebench run' runs them)\n\n");
    for (const wb_strategy *s = wb_catalog; s->name; s++)
        if (wb_strategy_visible(s))
            text_strategy(out, s);
    wb_buf_puts(out, "WORKLOADS (--workload)\n\n");
    for (const wb_workload *const *w = wb_workloads; *w; w++)
        text_workload(out, *w);
}

/* ---- markdown ----------------------------------------------------------- */

/* Append text as one Markdown table cell: | escaped, line breaks as spaces. */
static void md_cell(wb_buf *out, const char *text)
{
    wb_buf_puts(out, " ");
    for (const char *p = text ? text : ""; *p; p++) {
        if (*p == '|')
            wb_buf_puts(out, "\\|");
        else if (*p == '\n' || *p == '\r')
            wb_buf_putc(out, ' ');
        else
            wb_buf_putc(out, *p);
    }
    wb_buf_puts(out, " |");
}

static void md_joined_cell(wb_buf *out, const char *const *items, int n)
{
    wb_buf cell = WB_BUF_INIT;
    join(&cell, items, n, ", ");
    md_cell(out, wb_buf_str(&cell));
    wb_buf_free(&cell);
}

static void describe_markdown(wb_buf *out)
{
    wb_buf_puts(out, "## Strategies\n\n"
                     "| name | family | passes | backends | --batch | --threads | slow | description | idiom |\n"
                     "|---|---|---|---|---|---|---|---|---|\n");
    for (const wb_strategy *s = wb_catalog; s->name; s++) {
        if (!wb_strategy_visible(s))
            continue;
        facts f = facts_of(s);
        wb_buf name = WB_BUF_INIT;
        wb_buf_printf(&name, "`%s`", s->name);
        wb_buf_putc(out, '|');
        md_cell(out, wb_buf_str(&name));
        md_cell(out, s->family);
        md_joined_cell(out, f.passes, f.npasses);
        md_joined_cell(out, f.backends, f.nbackends);
        md_cell(out, f.batch ? "yes" : "no");
        md_cell(out, f.threads ? "yes" : "no");
        md_cell(out, f.slow ? "yes" : "no");
        md_cell(out, s->description);
        md_cell(out, s->idiom);
        wb_buf_putc(out, '\n');
        wb_buf_free(&name);
    }
    wb_buf_puts(out, "\n## Workloads\n\n| name | tables | description |\n|---|---|---|\n");
    for (const wb_workload *const *w = wb_workloads; *w; w++) {
        wb_buf name = WB_BUF_INIT, tables = WB_BUF_INIT;
        wb_buf_printf(&name, "`%s`", (*w)->name);
        for (int i = 0; i < (*w)->ntables; i++) {
            if (i)
                wb_buf_puts(&tables, ", ");
            table_summary(&tables, &(*w)->tables[i]);
        }
        wb_buf_putc(out, '|');
        md_cell(out, wb_buf_str(&name));
        md_cell(out, wb_buf_str(&tables));
        md_cell(out, (*w)->description);
        wb_buf_putc(out, '\n');
        wb_buf_free(&name);
        wb_buf_free(&tables);
    }
}

/* ---- json --------------------------------------------------------------- */

static void json_string_array(wb_buf *out, const char *const *items, int n)
{
    wb_buf_putc(out, '[');
    for (int i = 0; i < n; i++) {
        if (i)
            wb_buf_putc(out, ',');
        wb_json_string_str(out, items[i]);
    }
    wb_buf_putc(out, ']');
}

static void json_strategy(wb_buf *out, const wb_strategy *s)
{
    facts f = facts_of(s);
    wb_buf_puts(out, "{\"name\":");
    wb_json_string_str(out, s->name);
    wb_buf_puts(out, ",\"family\":");
    wb_json_string_str(out, s->family);
    wb_buf_puts(out, ",\"passes\":");
    json_string_array(out, f.passes, f.npasses);
    wb_buf_puts(out, ",\"backends\":");
    json_string_array(out, f.backends, f.nbackends);
    wb_buf_puts(out, ",\"batch\":");
    wb_json_bool(out, f.batch);
    wb_buf_puts(out, ",\"threads\":");
    wb_json_bool(out, f.threads);
    wb_buf_puts(out, ",\"slow\":");
    wb_json_bool(out, f.slow);
    wb_buf_puts(out, ",\"reference\":");
    wb_json_bool(out, f.reference);
    wb_buf_puts(out, ",\"description\":");
    wb_json_string_str(out, s->description);
    wb_buf_puts(out, ",\"idiom\":");
    wb_json_string_str(out, s->idiom);
    wb_buf_putc(out, '}');
}

static void json_workload(wb_buf *out, const wb_workload *w)
{
    wb_buf_puts(out, "{\"name\":");
    wb_json_string_str(out, w->name);
    wb_buf_puts(out, ",\"description\":");
    wb_json_string_str(out, w->description);
    wb_buf_puts(out, ",\"tables\":[");
    for (int i = 0; i < w->ntables; i++) {
        const wb_table *t = &w->tables[i];
        wb_buf_puts(out, i ? ",\n    {\"name\":" : "\n    {\"name\":");
        wb_json_string_str(out, t->name);
        wb_buf_puts(out, ",\"columns\":[");
        for (int c = 0; c < t->ncolumns; c++) {
            if (c)
                wb_buf_putc(out, ',');
            wb_json_string_str(out, t->columns[c].name);
        }
        wb_buf_puts(out, "]}");
    }
    wb_buf_puts(out, "]}");
}

static void describe_json(wb_buf *out)
{
    /* One strategy per line: valid JSON that a person can still diff and grep. */
    wb_buf_puts(out, "{\"strategies\":[");
    int first = 1;
    for (const wb_strategy *s = wb_catalog; s->name; s++) {
        if (!wb_strategy_visible(s))
            continue;
        wb_buf_puts(out, first ? "\n  " : ",\n  ");
        json_strategy(out, s);
        first = 0;
    }
    wb_buf_puts(out, "\n],\n\"workloads\":[");
    first = 1;
    for (const wb_workload *const *w = wb_workloads; *w; w++) {
        wb_buf_puts(out, first ? "\n  " : ",\n  ");
        json_workload(out, *w);
        first = 0;
    }
    wb_buf_puts(out, "\n]}\n");
}

/* ---- external programs (--external-dir) ------------------------------------ */

/* "declared in its header" or "not declared: both assumed". */
static const char *params_note(const wb_external *x)
{
    return x->params_source == WB_PARAMS_ASSUMED ? "not declared: both assumed" : "declared in its header";
}

static const char *summary_of(const wb_external *x)
{
    return x->summary[0] ? x->summary : "(no docstring or comment line)";
}

static void programs_text(wb_buf *out, const wb_external_set *set)
{
    wb_buf_puts(out, "EXTERNAL PROGRAMS (in the order 'writebench run --external-dir' runs them)\n\n");
    for (int i = 0; i < set->count; i++) {
        const wb_external *x = set->items[i];
        wb_buf head = WB_BUF_INIT;
        /* "orm_add_all  [python; params: none, declared in its header]", and "; io=async"
         * before the bracket for an asyncio program */
        wb_buf_printf(&head, "%s  [%s; params: %s, %s%s%s]", x->name, x->language, wb_external_params_text(x->params),
                      params_note(x), strcmp(x->io, "sync") != 0 ? "; io=" : "", strcmp(x->io, "sync") != 0 ? x->io : "");
        wb_wrap(out, wb_buf_str(&head), 0, 4, WB_HELP_WIDTH);
        wb_buf_puts(out, "\n  ");
        wb_wrap(out, summary_of(x), 2, 2, WB_HELP_WIDTH);
        wb_buf_printf(out, "\n  Program: %s\n\n", x->argv[0]);
        wb_buf_free(&head);
    }
}

static void programs_markdown(wb_buf *out, const wb_external_set *set)
{
    wb_buf_puts(out, "## External programs\n\n"
                     "| name | language | params | declared | description | program |\n"
                     "|---|---|---|---|---|---|\n");
    for (int i = 0; i < set->count; i++) {
        const wb_external *x = set->items[i];
        wb_buf name = WB_BUF_INIT, program = WB_BUF_INIT;
        wb_buf_printf(&name, "`%s`", x->name);
        wb_buf_printf(&program, "`%s`", x->argv[0]);
        wb_buf_putc(out, '|');
        md_cell(out, wb_buf_str(&name));
        md_cell(out, x->language);
        md_cell(out, wb_external_params_text(x->params));
        md_cell(out, x->params_source == WB_PARAMS_ASSUMED ? "no" : "yes");
        md_cell(out, x->summary);
        md_cell(out, wb_buf_str(&program));
        wb_buf_putc(out, '\n');
        wb_buf_free(&name);
        wb_buf_free(&program);
    }
}

static void programs_json(wb_buf *out, const wb_external_set *set)
{
    wb_buf_puts(out, "{\"programs\":[");
    for (int i = 0; i < set->count; i++) {
        const wb_external *x = set->items[i];
        wb_buf_puts(out, i ? ",\n  {\"name\":" : "\n  {\"name\":");
        wb_json_string_str(out, x->name);
        wb_buf_puts(out, ",\"program\":");
        wb_json_string_str(out, x->argv[0]);
        wb_buf_puts(out, ",\"language\":");
        wb_json_string_str(out, x->language);
        wb_buf_puts(out, ",\"params\":");
        wb_json_string_str(out, wb_external_params_text(x->params));
        wb_buf_puts(out, ",\"batch\":");
        wb_json_bool(out, (x->params & WB_STRAT_BATCH) != 0);
        wb_buf_puts(out, ",\"threads\":");
        wb_json_bool(out, (x->params & WB_STRAT_THREADS) != 0);
        wb_buf_puts(out, ",\"params_declared\":");
        wb_json_bool(out, x->params_source != WB_PARAMS_ASSUMED);
        wb_buf_puts(out, ",\"description\":");
        wb_json_string_str(out, x->summary);
        wb_buf_puts(out, ",\"io\":");
        wb_json_string_str(out, x->io);
        wb_buf_putc(out, '}');
    }
    wb_buf_puts(out, "\n]}\n");
}

/* Each format: the catalogue's writer and the programs' writer. */
static const struct {
    const char *name;
    void (*write)(wb_buf *out);
    void (*write_programs)(wb_buf *out, const wb_external_set *set);
} formats[] = {
    {"text", describe_text, programs_text},
    {"markdown", describe_markdown, programs_markdown},
    {"json", describe_json, programs_json},
};

int cmd_describe(int argc, char **argv)
{
    describe_options o = {.format = "text"};
    int status;
    if (wb_cli_parse(describe_opts, argc, argv, &o, NULL, NULL, &status) != 0)
        return status;
    size_t f = 0;
    while (f < sizeof formats / sizeof formats[0] && strcmp(formats[f].name, o.format) != 0)
        f++;
    if (f == sizeof formats / sizeof formats[0])
        return wb_cli_fail("describe", "--format must be text, markdown or json, got '%s'", o.format);
    wb_error e = {{0}};
    if (!*wb_workloads_shipped(&e)) /* the workloads are files: say why they are missing */
        return wb_cli_fail("describe", "%s", e.msg);
    /* The programs are read exactly as run reads them: the same names, the same mistakes. */
    static wb_external_set programs; /* large: off the stack */
    for (int i = 0; i < o.external_dirs.count; i++)
        if (wb_external_add_dir(&programs, o.external_dirs.items[i], &e) != 0) {
            wb_external_set_free(&programs);
            return wb_cli_fail("describe", "%s", e.msg);
        }
    wb_buf out = WB_BUF_INIT;
    if (o.external_dirs.count)
        formats[f].write_programs(&out, &programs);
    else
        formats[f].write(&out);
    wb_external_set_free(&programs);
    fputs(wb_buf_str(&out), stdout);
    wb_buf_free(&out);
    return fflush(stdout) == 0 ? 0 : wb_cli_fail("describe", "cannot write the output");
}

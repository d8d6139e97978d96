/* The HTML report (see report.h): the page, the runs and their settings, the
 * aggregate table and the failures; the charts are in report_charts.c and
 * report_scaling.c. Everything is built in one wb_buf and written atomically. */
#include "analysis/report.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "analysis/aggregate.h"
#include "analysis/report_internal.h"
#include "util/fs.h"
#include "profile/profile_report.h"

/* Generated at build time by cmake/build_info.cmake. */
extern const char *const wb_build_version;
extern const char *const wb_build_commit;

/* Long lists (many runs, many failures) fold away behind a <details> summary,
 * which opens without JavaScript; short ones are shown open. */
#define FOLD_AFTER_ROWS 30

static void fold_open(wb_buf *out, int nrows, const char *what)
{
    wb_buf_printf(out, "<details%s><summary>%d %s</summary>", nrows > FOLD_AFTER_ROWS ? "" : " open=\"open\"",
                  nrows, what);
}

static void fold_close(wb_buf *out)
{
    wb_buf_puts(out, "</details>\n");
}

/* ---- grouping for the charts ------------------------------------------------------ */

static int same_panel(const wb_group *a, const wb_group *b)
{
    return strcmp(a->workload, b->workload) == 0 && strcmp(a->backend, b->backend) == 0 && a->rows == b->rows;
}

static void build_panels(report *r)
{
    r->panels = wb_xcalloc((size_t)r->ngroups + 1, sizeof *r->panels);
    for (int i = 0; i < r->ngroups; i++) {
        const wb_group *g = &r->groups[i];
        panel *p = NULL;
        for (int k = 0; k < r->npanels && !p; k++)
            if (same_panel(r->panels[k].first, g))
                p = &r->panels[k];
        if (!p) {
            p = &r->panels[r->npanels++];
            p->first = g;
            p->groups = wb_xcalloc((size_t)r->ngroups, sizeof *p->groups);
        }
        const wb_group *f = p->first;
        p->vary_batch |= g->batch != f->batch && g->batch >= 0 && f->batch >= 0;
        p->vary_threads |= g->threads != f->threads;
        p->vary_settings |= strcmp(g->settings, f->settings) != 0;
        p->groups[p->ngroups++] = i;
    }
    /* Strategy styles: the same colour and marker for a strategy in every chart. */
    r->strategies = wb_xcalloc((size_t)r->runs->nresults + 1, sizeof *r->strategies);
    for (int i = 0; i < r->runs->nresults; i++) {
        const char *name = r->runs->results[i].strategy;
        int known = 0;
        for (int k = 0; k < r->nstrategies && !known; k++)
            known = strcmp(r->strategies[k], name) == 0;
        if (!known)
            r->strategies[r->nstrategies++] = name;
    }
}

int wb_report_strategy_style(const report *r, const char *name)
{
    for (int k = 0; k < r->nstrategies; k++)
        if (strcmp(r->strategies[k], name) == 0)
            return k;
    return 0;
}

/* "users, sqlite, 200 rows per table". */
void wb_report_panel_title(const panel *p, char *out, size_t n)
{
    snprintf(out, n, "%s workload, %s, %lld rows per table", p->first->workload, p->first->backend,
             (long long)p->first->rows);
}

/* The label of a group in its panel: the test (with an external program's
 * language), plus batch, threads and session settings when they vary within the
 * panel (otherwise two bars would carry the same name). */
void wb_report_group_label(const panel *p, const wb_group *g, char *out, size_t n)
{
    wb_group_label(g->test, g->external, g->language, out, n);
    int len = (int)strlen(out);
    if (p->vary_batch && g->batch >= 0 && len >= 0 && (size_t)len < n)
        len += snprintf(out + len, n - (size_t)len, " batch %lld", (long long)g->batch);
    if (p->vary_threads && len >= 0 && (size_t)len < n)
        len += snprintf(out + len, n - (size_t)len, " %lld thread%s", (long long)g->threads, g->threads == 1 ? "" : "s");
    if (p->vary_settings && len >= 0 && (size_t)len < n)
        snprintf(out + len, n - (size_t)len, " %s", g->settings[0] ? g->settings : "(no settings)");
}

char *wb_report_new_id(report *r, const char *kind)
{
    char *id = wb_xmalloc(48);
    snprintf(id, 48, "%s%d", kind, ++r->next_id);
    return id;
}

/* ---- the page's head ---------------------------------------------------------------- */

/* No '<' or '&' in here: the style sheet is XML text too. */
static const char style_sheet[] =
    "body{font-family:sans-serif;color:#222;margin:20px auto;max-width:1100px;padding:0 16px;line-height:1.4}"
    "h1{font-size:1.6em;margin-bottom:0.2em}"
    "h2{font-size:1.3em;border-bottom:2px solid #1f4e79;padding-bottom:2px;margin-top:1.8em}"
    "h3{font-size:1.1em;margin:1.4em 0 0.3em}"
    "table{border-collapse:collapse;font-size:13px;margin:6px 0 12px}"
    "th,td{border:1px solid #c8c8c8;padding:2px 6px;text-align:left;vertical-align:top}"
    "th{background:#eef2f6}"
    "td.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}"
    "td.value{overflow-wrap:normal;word-break:normal}"
    ".wide{overflow-x:auto}"
    ".wide table{font-size:11px}"
    "table.aggregate td{white-space:nowrap}"
    "pre{white-space:pre-wrap;word-break:break-word;margin:0;font-size:12px}"
    "svg{max-width:100%;height:auto;display:block}"
    "figure{margin:10px 0 18px;break-inside:avoid}"
    "figcaption{font-size:13px;color:#444;margin-top:2px}"
    ".pair{display:flex;flex-wrap:wrap;gap:12px;align-items:flex-start}"
    ".note{color:#555;font-size:13px}"
    "nav ul{columns:2;font-size:14px}"
    "summary{cursor:pointer;color:#1f4e79;font-size:14px;margin:4px 0}"
    "@media print{body{max-width:none}.wide{overflow:visible}h2{break-after:avoid}}";

static void page_head(report *r)
{
    wb_buf *out = r->out;
    wb_buf_puts(out, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"/>"
                     "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>"
                     "<title>writebench report</title><style>");
    wb_buf_puts(out, style_sheet);
    wb_buf_puts(out, "</style></head>\n<body>\n<h1>writebench report</h1>\n");

    char when[64] = "";
    time_t now = time(NULL);
    struct tm tm;
    if (gmtime_r(&now, &tm))
        strftime(when, sizeof when, "%Y-%m-%d %H:%M:%S UTC", &tm);
    int ok = 0;
    for (int i = 0; i < r->runs->nresults; i++)
        ok += r->runs->results[i].success != 0;
    wb_buf_printf(out, "<p class=\"note\">%d run%s, %d test%s (%d verified, %d not), %d group%s of comparable tests. "
                       "Written %s by writebench ",
                  r->runs->nruns, r->runs->nruns == 1 ? "" : "s", r->runs->nresults, r->runs->nresults == 1 ? "" : "s",
                  ok, r->runs->nresults - ok, r->ngroups, r->ngroups == 1 ? "" : "s", when);
    esc(out, wb_build_version);
    wb_buf_puts(out, " (commit ");
    esc(out, wb_build_commit);
    wb_buf_puts(out, ").</p>\n");
}

/* Whether any group is an external program's. */
static int has_external(const report *r)
{
    for (int i = 0; i < r->ngroups; i++)
        if (r->groups[i].external)
            return 1;
    return 0;
}

/* The table of contents: every section, every panel. */
static void page_contents(report *r, int nscaling, int nhistory, int nfailed)
{
    wb_buf *out = r->out;
    wb_buf_puts(out, "<nav><ul><li><a href=\"#findings\">Findings</a></li>"
                     "<li><a href=\"#advice\">Advice</a></li><li><a href=\"#runs\">Runs</a></li>"
                     "<li><a href=\"#settings\">Settings</a></li>");
    if (has_external(r))
        wb_buf_puts(out, "<li><a href=\"#origin\">Built-in and external strategies</a></li>");
    wb_buf_puts(out, "<li><a href=\"#glance\">At a glance</a></li>");
    for (int i = 0; i < r->npanels; i++) {
        char title[256];
        wb_report_panel_title(&r->panels[i], title, sizeof title);
        wb_buf_printf(out, "<li><a href=\"#panel%d\">", i + 1);
        esc(out, title);
        wb_buf_puts(out, "</a></li>");
    }
    if (nscaling)
        wb_buf_puts(out, "<li><a href=\"#scaling\">Scaling</a></li>");
    if (nhistory)
        wb_buf_puts(out, "<li><a href=\"#history\">Run history</a></li>");
    wb_buf_puts(out, "<li><a href=\"#aggregate\">Aggregate table</a></li>");
    wb_buf_printf(out, "<li><a href=\"#failures\">Failed and skipped tests (%d)</a></li>", nfailed);
    wb_buf_puts(out, "</ul></nav>\n");
}

/* ---- runs and settings ------------------------------------------------------------- */

static const char *conf_or_dash(const wb_run_info *run, const char *key)
{
    const char *v = wb_run_conf_get(run, key);
    return v && *v ? v : "-";
}

static void section_runs(report *r)
{
    wb_buf *out = r->out;
    wb_buf_puts(out, "<h2 id=\"runs\">Runs</h2>\n");
    fold_open(out, r->runs->nruns, r->runs->nruns == 1 ? "run" : "runs");
    wb_buf_puts(out, "<div class=\"wide\"><table>");
    static const char *const head[] = {"run", "started", "writebench", "backend", "server version", "workload",
                                       "rows", "slow rows", "batch", "threads", "repeat", "tests", "verified",
                                       "whole", NULL};
    header_row(out, head);
    for (int i = 0; i < r->runs->nruns; i++) {
        const wb_run_info *run = &r->runs->runs[i];
        int ok = 0;
        for (int k = 0; k < run->nresults; k++)
            ok += r->runs->results[run->first_result + k].success != 0;
        wb_buf_puts(out, "<tr>");
        cell_text(out, run->run_id);
        cell_text(out, conf_or_dash(run, "started_at"));
        char version[192];
        snprintf(version, sizeof version, "%s %s", conf_or_dash(run, "writebench_version"),
                 conf_or_dash(run, "writebench_commit"));
        cell_text(out, version);
        static const char *const keys[] = {"backend", "server_version", "workload", "rows", "slow_rows", "batch",
                                           "threads", "repeat"};
        for (size_t k = 0; k < sizeof keys / sizeof keys[0]; k++)
            cell_text(out, conf_or_dash(run, keys[k]));
        cell_number(out, "%.0f", run->nresults);
        cell_number(out, "%.0f", ok);
        /* whether the run is whole: "3 of 21 tests, cut short: interrupted by SIGINT" */
        char whole[700];
        if (run->state == WB_RUN_CUT_SHORT)
            wb_run_describe_cut_short(run, whole, sizeof whole);
        else
            snprintf(whole, sizeof whole, "%s", run->state == WB_RUN_FINISHED ? "yes" : "not recorded");
        cell_text(out, whole);
        wb_buf_puts(out, "</tr>");
    }
    wb_buf_puts(out, "</table></div>");
    fold_close(out);
}

/* Settings never shown whatever their value: run.conf holds no password, and
 * the report would not print one if a future key did. */
static int secret_key(const char *key)
{
    for (const char *p = key; *p; p++)
        if (strncasecmp(p, "password", 8) == 0 || strncasecmp(p, "passwd", 6) == 0 ||
            strncasecmp(p, "secret", 6) == 0)
            return 1;
    return 0;
}

/* Keys that always differ between runs: shown in the runs table, not as settings. */
static int per_run_key(const char *key)
{
    return strcmp(key, "run_id") == 0 || strcmp(key, "started_at") == 0;
}

/* More runs than this turn the table of differing settings on its side. */
#define MAX_RUN_COLUMNS 8

/* Characters after which a path, URL or command may wrap (a space is a break already). */
#define WRAP_AFTER "/,;&?="
/* A run of other characters longer than this (a hash) may wrap inside: no name is this long. */
#define WRAP_RUN_MAX 40

/* Append a setting's value escaped, with a <wbr> after every separator (and inside
 * very long runs without one), so that paths and commands stay whole words on one
 * line and wrap only at their separators (td.value does not break words itself). */
static void esc_breakable(wb_buf *out, const char *text)
{
    size_t run = 0;
    for (const char *p = text; *p;) {
        size_t n = 1;
        while ((p[n] & 0xC0) == 0x80) /* a UTF-8 character stays whole */
            n++;
        wb_xml_escape_n(out, p, n);
        int separator = n == 1 && strchr(WRAP_AFTER, *p) != NULL;
        run = separator || *p == ' ' ? 0 : run + 1;
        p += n;
        if (*p && (separator || run >= WRAP_RUN_MAX)) {
            wb_buf_puts(out, "<wbr/>");
            run = 0;
        }
    }
}

/* One run's value of key as a table cell. */
static void conf_cell(wb_buf *out, const wb_run_info *run, const char *key)
{
    const char *v = wb_run_conf_get(run, key);
    wb_buf_puts(out, "<td class=\"value\">");
    esc_breakable(out, v ? v : "(not set)");
    wb_buf_puts(out, "</td>");
}

static void section_settings(report *r)
{
    wb_buf *out = r->out;
    const wb_run_set *rs = r->runs;
    /* Every key of every run, in order of first appearance. */
    int cap = 0;
    for (int i = 0; i < rs->nruns; i++)
        cap += rs->runs[i].nconf;
    const char **keys = wb_xcalloc((size_t)cap + 1, sizeof *keys);
    int nkeys = 0;
    for (int i = 0; i < rs->nruns; i++)
        for (int k = 0; k < rs->runs[i].nconf; k++) {
            const char *key = rs->runs[i].conf[k].key;
            int known = 0;
            for (int j = 0; j < nkeys && !known; j++)
                known = strcmp(keys[j], key) == 0;
            if (!known && !secret_key(key) && !per_run_key(key))
                keys[nkeys++] = key;
        }
    /* A key is shared when every run has it with one value. */
    char *shared = wb_xcalloc((size_t)nkeys + 1, 1);
    int nshared = 0;
    for (int j = 0; j < nkeys; j++) {
        const char *first = wb_run_conf_get(&rs->runs[0], keys[j]);
        shared[j] = first != NULL;
        for (int i = 1; i < rs->nruns && shared[j]; i++) {
            const char *v = wb_run_conf_get(&rs->runs[i], keys[j]);
            shared[j] = v && strcmp(v, first) == 0;
        }
        nshared += shared[j];
    }
    wb_buf_puts(out, "<h2 id=\"settings\">Settings</h2>\n");
    wb_buf_printf(out, "<p class=\"note\">From each run's run.conf (passwords are never recorded). %s</p>\n",
                  rs->nruns > 1 ? "First the settings every run shares, then those that differ." : "");
    if (nkeys == 0)
        wb_buf_puts(out, "<p>No run.conf was found in these runs.</p>\n");
    if (nshared) {
        wb_buf_puts(out, "<div class=\"wide\"><table>");
        static const char *const head[] = {"setting", "value", NULL};
        header_row(out, head);
        for (int j = 0; j < nkeys; j++)
            if (shared[j]) {
                wb_buf_puts(out, "<tr>");
                cell_text(out, keys[j]);
                conf_cell(out, &rs->runs[0], keys[j]);
                wb_buf_puts(out, "</tr>");
            }
        wb_buf_puts(out, "</table></div>\n");
    }
    if (nshared < nkeys && rs->nruns <= MAX_RUN_COLUMNS) {
        /* A few runs: one column per run, one row per setting. */
        wb_buf_puts(out, "<h3>Settings that differ between runs</h3><div class=\"wide\"><table><tr><th>setting</th>");
        for (int i = 0; i < rs->nruns; i++)
            element(out, "th", rs->runs[i].run_id);
        wb_buf_puts(out, "</tr>");
        for (int j = 0; j < nkeys; j++)
            if (!shared[j]) {
                wb_buf_puts(out, "<tr>");
                cell_text(out, keys[j]);
                for (int i = 0; i < rs->nruns; i++)
                    conf_cell(out, &rs->runs[i], keys[j]);
                wb_buf_puts(out, "</tr>");
            }
        wb_buf_puts(out, "</table></div>\n");
    } else if (nshared < nkeys) {
        /* Many runs: one row per run, one column per setting that differs. */
        wb_buf_puts(out, "<h3>Settings that differ between runs</h3>");
        fold_open(out, rs->nruns, "runs");
        wb_buf_puts(out, "<div class=\"wide\"><table><tr><th>run</th>");
        for (int j = 0; j < nkeys; j++)
            if (!shared[j])
                element(out, "th", keys[j]);
        wb_buf_puts(out, "</tr>");
        for (int i = 0; i < rs->nruns; i++) {
            wb_buf_puts(out, "<tr>");
            cell_text(out, rs->runs[i].run_id);
            for (int j = 0; j < nkeys; j++)
                if (!shared[j])
                    conf_cell(out, &rs->runs[i], keys[j]);
            wb_buf_puts(out, "</tr>");
        }
        wb_buf_puts(out, "</table></div>");
        fold_close(out);
    }
    free(shared);
    free(keys);
}

/* What "(python)" after a test means, and what differs in how external programs
 * are measured; only when the runs hold one. */
static void section_origin(report *r)
{
    if (!has_external(r))
        return;
    wb_buf *out = r->out;
    wb_buf_puts(out, "<h2 id=\"origin\">Built-in and external strategies</h2>\n<p class=\"note\">A test whose name "
                     "is followed by a language in parentheses, as in <b>");
    for (int i = 0; i < r->ngroups; i++)
        if (r->groups[i].external) {
            char label[192];
            wb_group_label(r->groups[i].test, 1, r->groups[i].language, label, sizeof label);
            esc(out, label);
            break;
        }
    wb_buf_puts(out, "</b>, is an <b>external strategy</b>: a program that writebench started, measured and verified "
                     "exactly like its built-in strategies, which are C code inside writebench (the aggregate table's "
                     "<code>origin</code> and <code>language</code> columns say which is which). In the charts "
                     "external programs have their own legend entries. Two differences matter when comparing them: "
                     "an external program's duration is its whole wall time, interpreter start-up and connecting "
                     "included, while a built-in strategy's excludes connecting; and its peak memory is that of "
                     "the largest single process of the program's tree. External strategies in these runs: ");
    /* each (strategy, language) once, in aggregate order */
    int said = 0;
    for (int i = 0; i < r->ngroups; i++) {
        const wb_group *g = &r->groups[i];
        int seen = !g->external;
        for (int k = 0; k < i && !seen; k++)
            seen = r->groups[k].external && strcmp(r->groups[k].strategy, g->strategy) == 0 &&
                   strcmp(r->groups[k].language, g->language) == 0;
        if (seen)
            continue;
        char label[192];
        wb_group_label(g->strategy, 1, g->language, label, sizeof label);
        wb_buf_puts(out, said++ ? ", " : "");
        esc(out, label);
    }
    wb_buf_puts(out, ".</p>\n");
}

/* ---- tables ---------------------------------------------------------------------- */

static void section_aggregate(report *r)
{
    wb_buf *out = r->out;
    wb_buf_puts(out, "<h2 id=\"aggregate\">Aggregate table</h2>\n<p class=\"note\">The output of "
                     "<code>writebench aggregate</code> for these runs: one row per group of comparable tests; "
                     "durations in seconds, memory in KiB, WAL in bytes; z-scores within the tests of the same "
                     "workload, backend, rows and phase; origin <code>built-in</code> (C inside writebench) or "
                     "<code>external</code> (a program, in the language named).</p>\n"
                     "<div class=\"wide\"><table class=\"aggregate\"><tr>");
    wb_out_table *t = wb_aggregate_table(r->groups, r->ngroups);
    int ncols = wb_out_table_ncolumns(t), nrows = wb_out_table_nrows(t);
    for (int c = 0; c < ncols; c++)
        element(out, "th", wb_out_table_column(t, c)->name);
    wb_buf_puts(out, "</tr>");
    wb_buf cell = WB_BUF_INIT;
    for (int row = 0; row < nrows; row++) {
        wb_buf_puts(out, "<tr>");
        for (int c = 0; c < ncols; c++) {
            wb_buf_reset(&cell);
            wb_out_cell_text(t, row, c, &cell);
            wb_buf_puts(out, wb_out_table_column(t, c)->kind == WB_COL_TEXT ? "<td>" : "<td class=\"num\">");
            esc(out, wb_buf_str(&cell));
            wb_buf_puts(out, "</td>");
        }
        wb_buf_puts(out, "</tr>");
    }
    wb_buf_free(&cell);
    wb_out_table_free(t);
    wb_buf_puts(out, "</table></div>\n");
}

/* What happened to an unsuccessful test, in the words of results.json's status. */
static const char *failure_kind(const wb_result *res)
{
    if (strncmp(res->error, "skipped:", 8) == 0)
        return "skipped";
    return res->status != WB_STATUS_OK ? wb_status_name(res->status) : "failed";
}

static int section_failures(report *r, int write)
{
    const wb_run_set *rs = r->runs;
    int n = 0;
    for (int i = 0; i < rs->nresults; i++)
        n += !rs->results[i].success;
    if (!write)
        return n;
    wb_buf *out = r->out;
    wb_buf_puts(out, "<h2 id=\"failures\">Failed and skipped tests</h2>\n");
    if (n == 0) {
        wb_buf_puts(out, "<p>None: every test ran and every written value verified.</p>\n");
        return 0;
    }
    fold_open(out, n, n == 1 ? "test did not succeed" : "tests did not succeed");
    wb_buf_puts(out, "<div class=\"wide\"><table>");
    static const char *const head[] = {"run", "test", "repeat", "rows", "result", "error", NULL};
    header_row(out, head);
    for (int i = 0; i < rs->nresults; i++) {
        const wb_result *res = &rs->results[i];
        if (res->success)
            continue;
        char label[192];
        wb_group_label(res->test, res->external, wb_result_language(res), label, sizeof label);
        wb_buf_puts(out, "<tr>");
        cell_text(out, res->run_id);
        cell_text(out, label);
        cell_int(out, res->repeat);
        cell_int(out, res->rows);
        cell_text(out, failure_kind(res));
        wb_buf_puts(out, "<td><pre>");
        esc(out, res->error[0] ? res->error : "(no message)");
        wb_buf_puts(out, "</pre></td></tr>");
    }
    wb_buf_puts(out, "</table></div>");
    fold_close(out);
    return n;
}

/* ---- the whole report ------------------------------------------------------------ */

int wb_report_html(const wb_run_set *runs, wb_buf *out, wb_error *e)
{
    if (!runs || runs->nruns == 0)
        return wb_fail(e, "no runs to report on");
    report r = {0};
    r.runs = runs;
    r.out = out;
    if (wb_aggregate(runs->results, runs->nresults, &r.groups, &r.ngroups, e) != 0)
        return -1;
    build_panels(&r);

    page_head(&r);
    /* The scaling and history sections are built first (into their own buffers)
     * to know whether the contents list them. */
    wb_buf scaling = WB_BUF_INIT, history = WB_BUF_INIT;
    r.out = &scaling;
    int nscaling = wb_report_scaling(&r);
    r.out = &history;
    int nhistory = wb_report_history(&r);
    r.out = out;
    page_contents(&r, nscaling, nhistory, section_failures(&r, 0));
    wb_report_findings(&r);
    wb_report_advice(&r);
    section_runs(&r);
    section_settings(&r);
    section_origin(&r);
    wb_report_glance(&r);
    wb_report_panels(&r);
    wb_buf_append(out, scaling.data ? scaling.data : "", scaling.len);
    wb_buf_free(&scaling);
    wb_buf_append(out, history.data ? history.data : "", history.len);
    wb_buf_free(&history);
    section_aggregate(&r);
    section_failures(&r, 1);
    wb_profile_report_section(runs, out); /* profile runs' results (src/profile/profile_report.c) */
    wb_buf_puts(out, "</body></html>\n");

    for (int i = 0; i < r.npanels; i++)
        free(r.panels[i].groups);
    free(r.panels);
    free(r.strategies);
    wb_groups_free(r.groups, r.ngroups);
    return 0;
}

int wb_report_write(const wb_run_set *runs, const char *out_path, wb_error *e)
{
    wb_buf html = WB_BUF_INIT;
    int rc = wb_report_html(runs, &html, e);
    if (rc == 0)
        rc = wb_fs_write_file_atomic(out_path, html.data ? html.data : "", html.len, e);
    wb_buf_free(&html);
    return rc;
}

void wb_report_default_path(const wb_run_set *runs, char *out, size_t n)
{
    const char *dir = runs && runs->nruns ? runs->runs[0].dir : "";
    size_t len = strlen(dir);
    while (len > 1 && dir[len - 1] == '/')
        len--;
    while (len > 0 && dir[len - 1] != '/')
        len--; /* drop the run's own directory name */
    if (len == 0)
        snprintf(out, n, "%s", WB_REPORT_FILE_NAME);
    else
        snprintf(out, n, "%.*s%s", (int)len, dir, WB_REPORT_FILE_NAME);
}


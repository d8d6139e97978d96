/* Shared by the report's source files (report.c: the page, runs, settings and
 * tables; report_charts.c: the summary and the charts of each comparable set;
 * report_scaling.c: the scaling lines; report_history.c: rows/s run after run;
 * report_findings.c: the findings; report_latency.c: the batch latencies): the
 * report being built, its comparable sets, and small helpers writing escaped
 * HTML. Not a public interface. */
#ifndef WB_ANALYSIS_REPORT_INTERNAL_H
#define WB_ANALYSIS_REPORT_INTERNAL_H

#include <math.h>
#include <stdint.h>
#include <string.h>

#include "analysis/aggregate.h"
#include "analysis/runs.h"
#include "analysis/svg.h"
#include "util/buf.h"

#define CHART_WIDTH 900.0

/* A comparable set of tests: same workload, backend and rows per table (the
 * z-scores of aggregate compare within it, per phase). */
typedef struct panel {
    const wb_group *first; /* identity */
    int *groups;           /* indexes into the report's groups */
    int ngroups;
    int vary_batch, vary_threads; /* labels must then say which */
    int vary_settings;            /* ... and the session settings */
} panel;

typedef struct report {
    const wb_run_set *runs;
    wb_group *groups;
    int ngroups;
    panel *panels;
    int npanels;
    const char **strategies; /* distinct strategy names, in order of first result: style index */
    int nstrategies;
    int next_id;             /* for ids unique in the document */
    wb_buf *out;
} report;

/* ---- small HTML helpers (everything from the data goes through esc) ---------------- */

static inline void esc(wb_buf *out, const char *text)
{
    wb_xml_escape(out, text);
}

/* <tag>text</tag> with text escaped. */
static inline void element(wb_buf *out, const char *tag, const char *text)
{
    wb_buf_printf(out, "<%s>", tag);
    esc(out, text);
    wb_buf_printf(out, "</%s>", tag);
}

static inline void cell_text(wb_buf *out, const char *text)
{
    element(out, "td", text ? text : "");
}

/* A number cell, right-aligned; "" when unknown. */
static inline void cell_number(wb_buf *out, const char *fmt, double v)
{
    wb_buf_puts(out, "<td class=\"num\">");
    if (isfinite(v))
        wb_buf_printf(out, fmt, v);
    wb_buf_puts(out, "</td>");
}

static inline void cell_int(wb_buf *out, int64_t v)
{
    wb_buf_puts(out, "<td class=\"num\">");
    if (v >= 0)
        wb_buf_printf(out, "%lld", (long long)v);
    wb_buf_puts(out, "</td>");
}

/* A header row from a NULL-terminated list. */
static inline void header_row(wb_buf *out, const char *const *names)
{
    wb_buf_puts(out, "<tr>");
    for (; *names; names++)
        element(out, "th", *names);
    wb_buf_puts(out, "</tr>");
}

/* <figure class="chart KIND">: the kind names the chart for readers of the
 * markup (and the tests). */
static inline void figure_open(wb_buf *out, const char *kind)
{
    wb_buf_printf(out, "<figure class=\"chart %s\">", kind);
}

static inline void figure_close(wb_buf *out, const char *caption)
{
    wb_buf_puts(out, "<figcaption>");
    esc(out, caption);
    wb_buf_puts(out, "</figcaption></figure>\n");
}


/* 0 insert, 1 update, 2 anything else: the series (style and legend entry) of a phase. */
static inline int phase_series(const char *phase)
{
    return strcmp(phase, "insert") == 0 ? 0 : strcmp(phase, "update") == 0 ? 1 : 2;
}

/* ---- shared by the sections (report.c) ------------------------------------------------ */

/* The style index of a strategy: the same colour and marker in every chart. */
int wb_report_strategy_style(const report *r, const char *name);
/* "users workload, sqlite, 200 rows per table" into out. */
void wb_report_panel_title(const panel *p, char *out, size_t n);
/* A group's label within its panel: the test, plus batch and threads when they vary there. */
void wb_report_group_label(const panel *p, const wb_group *g, char *out, size_t n);
/* A new id unique in the document ("<kind><n>"); free() it. */
char *wb_report_new_id(report *r, const char *kind);

/* ---- the sections ------------------------------------------------------------------ */

/* "Findings": each claim's verdict and the traps, near the top (report_findings.c). */
void wb_report_findings(report *r);
/* The Advice section (report_advice.c). */
void wb_report_advice(report *r);
/* "At a glance": per comparable set and phase, the fastest test (report_charts.c). */
void wb_report_glance(report *r);
/* One section per comparable set with its four charts (report_charts.c). */
void wb_report_panels(report *r);
/* A comparable set's batch latencies side by side, or a line saying none were
 * recorded (report_latency.c). */
void wb_report_latency_chart(report *r, const panel *p);
/* The scaling charts the runs allow, into r->out; returns how many (report_scaling.c). */
int wb_report_scaling(report *r);
/* "Run history": each test's rows/s run after run, where two runs or more measured it,
 * into r->out; returns how many charts (report_history.c). */
int wb_report_history(report *r);

#endif

/* Profile results as HTML (see profile_report.h): per run, the latency table
 * (one row per variant and read, what having the variant's index or constraint
 * does to the load and to the read as the console says it - a percentage or "no
 * significant difference" -, the plan folded under it) and the caching study's
 * table. Reads the CSV files back by column name, so a column added later does
 * not break an older report (a profile.csv without the effect columns shows
 * empty effect cells). */
#include "profile/profile_report.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "analysis/svg.h"
#include "profile/profile.h"
#include "util/csv.h"
#include "util/fs.h"

/* A CSV file read whole: its header and records. */
typedef struct csv_table {
    wb_buf text;
    char **header;
    int ncolumns;
    char ***rows; /* rows[i][column] */
    int nrows;
} csv_table;

/* Release a table read by table_read. */
static void table_free(csv_table *t)
{
    for (int i = 0; i < t->nrows; i++) {
        for (int c = 0; c < t->ncolumns; c++)
            free(t->rows[i][c]);
        free(t->rows[i]);
    }
    free(t->rows);
    for (int c = 0; c < t->ncolumns; c++)
        free(t->header[c]);
    free(t->header);
    wb_buf_free(&t->text);
    memset(t, 0, sizeof *t);
}

/* Read the CSV file at path whole into t; -1 with e naming the file and line. */
static int table_read(const char *path, csv_table *t, wb_error *e)
{
    memset(t, 0, sizeof *t);
    if (wb_fs_read_file(path, &t->text, e) != 0)
        return -1;
    wb_csv_reader rd;
    wb_csv_reader_init(&rd, t->text.data ? t->text.data : "", t->text.len);
    wb_csv_record rec = WB_CSV_RECORD_INIT;
    int rc, status = 0;
    while ((rc = wb_csv_next(&rd, &rec, e)) == 1) {
        if (!t->header) {
            t->ncolumns = (int)rec.count;
            t->header = wb_xcalloc(rec.count, sizeof *t->header);
            for (size_t c = 0; c < rec.count; c++)
                t->header[c] = wb_xstrdup(wb_csv_get(&rec, c));
            continue;
        }
        if (rec.count == 1 && wb_csv_len(&rec, 0) == 0)
            continue; /* a blank line */
        t->rows = wb_xrealloc(t->rows, (size_t)(t->nrows + 1) * sizeof *t->rows);
        char **row = wb_xcalloc((size_t)t->ncolumns, sizeof *row);
        for (int c = 0; c < t->ncolumns; c++)
            row[c] = wb_xstrdup((size_t)c < rec.count ? wb_csv_get(&rec, (size_t)c) : "");
        t->rows[t->nrows++] = row;
    }
    if (rc < 0)
        status = wb_fail_prefix(e, "%s: ", path);
    else if (!t->header)
        status = wb_fail(e, "%s is empty", path);
    wb_csv_record_free(&rec);
    if (status != 0)
        table_free(t);
    return status;
}

/* Row r's value of the named column ("" when the file has no such column). */
static const char *cell(const csv_table *t, int r, const char *column)
{
    for (int c = 0; c < t->ncolumns; c++)
        if (strcmp(t->header[c], column) == 0)
            return t->rows[r][c];
    return "";
}

/* One table cell with escaped text and an optional class. */
static void td(wb_buf *out, const char *cls, const char *text)
{
    wb_buf_printf(out, "<td%s%s%s>", cls ? " class=\"" : "", cls ? cls : "", cls ? "\"" : "");
    wb_xml_escape(out, text);
    wb_buf_puts(out, "</td>");
}

/* A header row from NULL-terminated names. */
static void header_row(wb_buf *out, const char *const *names)
{
    wb_buf_puts(out, "<tr>");
    for (; *names; names++) {
        wb_buf_puts(out, "<th>");
        wb_xml_escape(out, *names);
        wb_buf_puts(out, "</th>");
    }
    wb_buf_puts(out, "</tr>\n");
}

/* An effect cell from its change and verdict columns, worded as the console's
 * trade-off table words it; empty for the baseline (it is what the others are
 * compared with) and for files older than the columns. */
static void effect_cell(wb_buf *out, const csv_table *t, int r, const char *change_column,
                        const char *verdict_column)
{
    const char *verdict = cell(t, r, verdict_column);
    wb_buf text = WB_BUF_INIT;
    if (*verdict) {
        const char *change = cell(t, r, change_column);
        wb_effect_text(wb_effect_verdict_parse(verdict), *change ? strtod(change, NULL) : NAN, &text);
    }
    td(out, "num", wb_buf_str(&text));
    wb_buf_free(&text);
}

/* profile.csv as a table, each plan folded in a <details>. */
static void latency_table(const csv_table *t, wb_buf *out)
{
    static const char *const head[] = {"variant", "read", "executions", "rows each", "mean µs", "p50 µs",
                                       "p95 µs", "p99 µs", "load s", "effect on the load", "effect on the read",
                                       "plan", NULL};
    static const char *const numeric[] = {"repetitions", "rows_returned", "mean_us", "p50_us", "p95_us",
                                          "p99_us", "load_s"};
    wb_buf_puts(out, "<div class=\"wide\"><table class=\"profile\">\n");
    header_row(out, head);
    for (int r = 0; r < t->nrows; r++) {
        wb_buf_puts(out, "<tr>");
        td(out, NULL, cell(t, r, "variant"));
        td(out, NULL, cell(t, r, "read"));
        for (size_t i = 0; i < sizeof numeric / sizeof numeric[0]; i++)
            td(out, "num", cell(t, r, numeric[i]));
        effect_cell(out, t, r, "load_change_pct", "load_verdict");
        effect_cell(out, t, r, "read_change_pct", "read_verdict");
        wb_buf_puts(out, "<td><details><summary>plan</summary><pre>");
        wb_xml_escape(out, cell(t, r, "plan"));
        wb_buf_puts(out, "</pre></details></td></tr>\n");
    }
    wb_buf_puts(out, "</table></div>\n");
}

/* The index of name in names[0..*n), added when new (at most cap). */
static int name_index(const char **names, int *n, int cap, const char *name)
{
    for (int i = 0; i < *n; i++)
        if (strcmp(names[i], name) == 0)
            return i;
    if (*n >= cap)
        return cap - 1;
    names[*n] = name;
    return (*n)++;
}

/* The latency chart of profile.csv: per read, one bar per schema variant, its p50
 * (p95 in the note), so what each index does to each read shows at a glance. */
static void latency_chart(const csv_table *t, const char *run_id, wb_buf *out)
{
    if (t->nrows == 0)
        return;
    enum { MAX_VARIANTS = 16 };
    const char *variants[MAX_VARIANTS];
    int nvariants = 0;
    wb_bar *bars = wb_xcalloc((size_t)t->nrows, sizeof *bars);
    char (*labels)[160] = wb_xcalloc((size_t)t->nrows, sizeof *labels);
    char (*notes)[48] = wb_xcalloc((size_t)t->nrows, sizeof *notes);
    int nbars = 0;
    /* grouped by read, in the order reads first appear; variants in file order within */
    for (int first = 0; first < t->nrows; first++) {
        const char *read = cell(t, first, "read");
        int seen_before = 0;
        for (int k = 0; k < first && !seen_before; k++)
            seen_before = strcmp(cell(t, k, "read"), read) == 0;
        if (seen_before)
            continue;
        for (int r = first; r < t->nrows; r++) {
            if (strcmp(cell(t, r, "read"), read) != 0)
                continue;
            const char *p50 = cell(t, r, "p50_us"), *p95 = cell(t, r, "p95_us");
            snprintf(labels[nbars], sizeof labels[nbars], "%s, %s", read, cell(t, r, "variant"));
            snprintf(notes[nbars], sizeof notes[nbars], "p50 %s, p95 %s µs", *p50 ? p50 : "-", *p95 ? p95 : "-");
            bars[nbars] = (wb_bar){labels[nbars], *p50 ? strtod(p50, NULL) : NAN, NAN, NAN,
                                   name_index(variants, &nvariants, MAX_VARIANTS, cell(t, r, "variant")),
                                   notes[nbars]};
            nbars++;
        }
    }
    char title[256], id[96];
    snprintf(title, sizeof title, "Read latency with and without each index: profile %s", run_id);
    snprintf(id, sizeof id, "prof-lat-%s", run_id);
    wb_bar_chart c = {id, title, "p50 latency per read (µs)", bars, nbars, variants, nvariants, NULL, NAN, NULL,
                      900};
    wb_buf_puts(out, "<figure class=\"chart profile-latency\">");
    wb_svg_bar_chart(out, &c);
    wb_buf_puts(out, "<figcaption>The median latency of each read under each schema variant (baseline: every "
                     "index and constraint; without:X: the same without X; with:X: a candidate index added); "
                     "the note gives p50 and p95.</figcaption></figure>\n");
    free(notes);
    free(labels);
    free(bars);
}

/* cache_curve.csv as a chart: the read phase's hit ratio against the LRU's capacity. */
static void cache_curve_chart(const csv_table *t, const char *run_id, wb_buf *out)
{
    if (t->nrows == 0)
        return;
    double *xs = wb_xcalloc((size_t)t->nrows, sizeof *xs), *ys = wb_xcalloc((size_t)t->nrows, sizeof *ys);
    for (int r = 0; r < t->nrows; r++) {
        xs[r] = strtod(cell(t, r, "capacity"), NULL);
        ys[r] = 100.0 * strtod(cell(t, r, "hit_ratio"), NULL);
    }
    char name[128], title[256], id[96];
    snprintf(name, sizeof name, "Zipf s = %s", cell(t, 0, "zipf_s"));
    snprintf(title, sizeof title, "Cache hit ratio against capacity: profile %s, %s", run_id, cell(t, 0, "table"));
    snprintf(id, sizeof id, "prof-cache-%s", run_id);
    wb_line line = {name, xs, ys, t->nrows, 0};
    wb_line_chart c = {id, title, "LRU capacity (entries)", "hit ratio of the lookups (%)", &line, 1, 1, 0, 900, 320};
    wb_buf_puts(out, "<figure class=\"chart profile-cache\">");
    wb_svg_line_chart(out, &c);
    wb_buf_puts(out, "<figcaption>The read phase's lookups replayed through the same LRU at each capacity (in "
                     "memory: exact for an LRU); the last point holds every distinct key looked up.</figcaption>"
                     "</figure>\n");
    free(xs);
    free(ys);
}

/* cache.csv as a table, with a note on what stale reads mean. */
static void cache_table(const csv_table *t, wb_buf *out)
{
    static const char *const head[] = {"path", "lookups", "hit ratio", "mean µs", "p50 µs", "p95 µs", "p99 µs",
                                       "speedup", "updates", "stale reads", NULL};
    static const char *const columns[] = {"lookups", "hit_ratio", "mean_us", "p50_us", "p95_us", "p99_us",
                                          "speedup", "updates", "stale_reads"};
    if (t->nrows > 0) {
        wb_buf_puts(out, "<p class=\"note\">Caching study on ");
        wb_xml_escape(out, cell(t, 0, "table"));
        wb_buf_puts(out, ": Zipf exponent ");
        wb_xml_escape(out, cell(t, 0, "zipf_s"));
        wb_buf_puts(out, ", LRU capacity ");
        wb_xml_escape(out, cell(t, 0, "capacity"));
        wb_buf_puts(out, ". Stale reads are cache hits that differ from the database: with invalidation "
                         "on write they must be 0.</p>\n");
    }
    wb_buf_puts(out, "<div class=\"wide\"><table class=\"cache\">\n");
    header_row(out, head);
    for (int r = 0; r < t->nrows; r++) {
        wb_buf_puts(out, "<tr>");
        td(out, NULL, cell(t, r, "path"));
        for (size_t i = 0; i < sizeof columns / sizeof columns[0]; i++)
            td(out, "num", cell(t, r, columns[i]));
        wb_buf_puts(out, "</tr>\n");
    }
    wb_buf_puts(out, "</table></div>\n");
}

int wb_profile_report_run(const char *run_dir, const char *run_id, wb_buf *out, wb_error *e)
{
    char path[4200];
    snprintf(path, sizeof path, "%s/profile.csv", run_dir);
    csv_table profile;
    if (table_read(path, &profile, e) != 0)
        return -1;
    wb_buf_puts(out, "<h3>profile ");
    wb_xml_escape(out, run_id);
    if (profile.nrows > 0) {
        wb_buf_puts(out, ": ");
        wb_xml_escape(out, cell(&profile, 0, "backend"));
        wb_buf_puts(out, ", ");
        wb_xml_escape(out, cell(&profile, 0, "workload"));
        wb_buf_puts(out, ", ");
        wb_xml_escape(out, cell(&profile, 0, "rows"));
        wb_buf_puts(out, " rows loaded with ");
        wb_xml_escape(out, cell(&profile, 0, "strategy"));
    }
    wb_buf_puts(out, "</h3>\n<p class=\"note\">Effects: what having the variant's index or constraint "
                     "does to the median load time and to the read's p50 latency (+ slower, - faster), "
                     "\"no significant difference\" when Welch's t-test on the repeats finds none at 95%, "
                     "\"not judged\" with fewer than 2 samples a side.</p>\n");
    latency_chart(&profile, run_id, out);
    latency_table(&profile, out);
    table_free(&profile);
    snprintf(path, sizeof path, "%s/cache.csv", run_dir);
    if (access(path, F_OK) == 0) {
        csv_table cache;
        if (table_read(path, &cache, e) != 0)
            return -1;
        cache_table(&cache, out);
        table_free(&cache);
    }
    snprintf(path, sizeof path, "%s/cache_curve.csv", run_dir);
    if (access(path, F_OK) == 0) {
        csv_table curve;
        if (table_read(path, &curve, e) != 0)
            return -1;
        cache_curve_chart(&curve, run_id, out);
        table_free(&curve);
    }
    return 0;
}

void wb_profile_report_section(const wb_run_set *runs, wb_buf *out)
{
    int opened = 0;
    for (int i = 0; runs && i < runs->nruns; i++) {
        const wb_run_info *run = &runs->runs[i];
        char path[4200];
        snprintf(path, sizeof path, "%s/profile.csv", run->dir);
        if (access(path, F_OK) != 0)
            continue;
        if (!opened++)
            wb_buf_puts(out, "<h2 id=\"profiles\">Profiles</h2>\n<p class=\"note\">Read latency and plans per "
                             "schema variant (writebench profile; docs/PROFILE.md).</p>\n");
        wb_error e = {{0}};
        if (wb_profile_report_run(run->dir, run->run_id, out, &e) != 0) {
            wb_buf_puts(out, "<p class=\"note\">");
            wb_xml_escape(out, e.msg);
            wb_buf_puts(out, "</p>\n");
        }
    }
}

int wb_profile_report_write(const char *run_dir, const char *run_id, wb_error *e)
{
    wb_buf html = WB_BUF_INIT;
    wb_buf_puts(&html, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"/>"
                       "<title>writebench profile</title><style>"
                       "body{font-family:sans-serif;color:#222;margin:20px auto;max-width:1100px;padding:0 16px}"
                       "table{border-collapse:collapse;font-size:13px;margin:6px 0 12px}"
                       "th,td{border:1px solid #c8c8c8;padding:2px 6px;text-align:left;vertical-align:top}"
                       "th{background:#eef2f6}td.num{text-align:right;white-space:nowrap}"
                       "pre{white-space:pre-wrap;margin:0;font-size:12px}.note{color:#555;font-size:13px}"
                       "svg{max-width:100%;height:auto;display:block}figure{margin:10px 0 18px}"
                       "figcaption{font-size:13px;color:#444}"
                       "</style></head>\n<body>\n<h1>writebench profile</h1>\n");
    int status = wb_profile_report_run(run_dir, run_id, &html, e);
    wb_buf_puts(&html, "</body></html>\n");
    if (status == 0) {
        char path[4200];
        snprintf(path, sizeof path, "%s/report.html", run_dir);
        status = wb_fs_write_file_atomic(path, html.data, html.len, e);
    }
    wb_buf_free(&html);
    return status;
}

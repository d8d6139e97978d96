/* `writebench compare A B`: two runs, or two sets of runs, side by side per test
 * (analysis/compare.h), and with --fail-if-slower PCT an exit status of 1 when a
 * test got significantly slower by more than PCT percent: a regression check
 * for CI. A and B are each a run id (under --results), a path to a run
 * directory, or a comma-separated list of those. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/compare.h"
#include "analysis/runs.h"
#include "cli/cli.h"
#include "runner/run.h"

typedef struct compare_options {
    const char *results;
    const char *format;
    const char *fail_if_slower; /* a percentage, parsed strictly below */
    int whole_runs_only;
} compare_options;

#define OPT(name, kind, field, value, help) {name, kind, offsetof(compare_options, field), value, help, 0, 0}

static const wb_opt compare_opts[] = {
    OPT("--results", WB_OPT_STRING, results, "DIR",
        "where run ids are looked up (a name holding a '/' is a path to a run directory). "
        "Default: " WB_DEFAULT_RESULTS_DIR "."),
    OPT("--format", WB_OPT_STRING, format, "FORMAT",
        "table (aligned, for a terminal), markdown, csv or json. Default: table."),
    OPT("--fail-if-slower", WB_OPT_STRING, fail_if_slower, "PCT",
        "exit with status 1 when a test's mean duration in B is more than PCT percent above A's and "
        "Welch's t-test says the difference is larger than the noise (a test with fewer than 2 "
        "successful samples on a side is never counted); each such test is named on stderr."),
    OPT("--whole-runs-only", WB_OPT_FLAG, whole_runs_only, NULL,
        "leave out runs that were cut short (interrupted, the database gone, writebench's own error, or killed); without it they are named on stderr and their finished tests are used."),
    WB_OPT_END,
};

/* A percentage: plain decimal digits with at most one '.', so "10%", "-5",
 * "1e3", "0x10", "inf" and "" are refused rather than read as something else. */
static int parse_percent(const char *text, double *out)
{
    int digits = 0, dots = 0;
    for (const char *p = text; *p; p++) {
        if (*p >= '0' && *p <= '9')
            digits++;
        else if (*p == '.' && dots++ == 0)
            continue;
        else
            return -1;
    }
    if (digits == 0)
        return -1;
    *out = strtod(text, NULL);
    return 0;
}

/* One side: the comma-separated names of spec, loaded. Reports and returns 2
 * when a name is empty or unknown, or when none of its runs could be read. */
static int load_side(const char *label, const char *spec, const char *results_dir, unsigned flags, wb_run_set *set)
{
    char *copy = wb_xstrdup(spec);
    size_t max_names = 1;
    for (const char *p = spec; *p; p++)
        max_names += *p == ',';
    const char **names = wb_xcalloc(max_names, sizeof *names);
    int nnames = 0;
    for (char *start = copy;;) {
        char *comma = strchr(start, ',');
        if (comma)
            *comma = '\0';
        names[nnames++] = start;
        if (!comma)
            break;
        start = comma + 1;
    }
    int status = 0;
    for (int i = 0; i < nnames && !status; i++)
        if (!*names[i])
            status = wb_cli_fail("compare", "%s: empty run name in '%s' (runs are separated by single commas)",
                                 label, spec);
    wb_error e = {{0}};
    if (!status && wb_runs_load(results_dir, names, nnames, flags, set, &e) != 0)
        status = wb_cli_fail("compare", "%s: %s", label, e.msg);
    else if (!status && set->nskipped > 0) /* the side is smaller than asked for: say so */
        fprintf(stderr, "writebench compare: %s: %d run(s) read, %d skipped\n", label, set->nruns, set->nskipped);
    free(names);
    free(copy);
    return status;
}

/* Run ids a heading names before it only counts the rest: a set can hold hundreds. */
#define HEADING_MAX_RUNS 4

/* For people: which runs each side holds. */
static void write_heading(const char *label, const wb_run_set *set, int markdown, wb_buf *out)
{
    wb_buf_printf(out, "%s%s: ", markdown ? "- " : "", label);
    for (int i = 0; i < set->nruns && i < HEADING_MAX_RUNS; i++)
        wb_buf_printf(out, "%s%s", i ? ", " : "", set->runs[i].run_id);
    if (set->nruns > HEADING_MAX_RUNS)
        wb_buf_printf(out, " and %d more", set->nruns - HEADING_MAX_RUNS);
    wb_buf_printf(out, " (%d run%s, %d tests)\n", set->nruns, set->nruns == 1 ? "" : "s", set->nresults);
}

/* Name every regression on stderr, and say which tests could not count. */
static void report_regressions(const wb_comparison *c, double pct)
{
    wb_buf line = WB_BUF_INIT;
    int not_judged = 0;
    for (int i = 0; i < c->ncompared; i++) {
        const wb_compare_row *r = &c->rows[i];
        not_judged += r->verdict == WB_VERDICT_NOT_JUDGED;
        if (!wb_compare_row_regressed(r, pct))
            continue;
        wb_buf_reset(&line);
        wb_compare_describe_row(r, &line);
        fprintf(stderr, "writebench compare: slower by more than %g%%: %s\n", pct, wb_buf_str(&line));
    }
    if (not_judged)
        fprintf(stderr,
                "writebench compare: %d test%s not judged (fewer than 2 successful samples on a side, or verified differently); "
                "--fail-if-slower cannot see a slow-down there\n",
                not_judged, not_judged == 1 ? "" : "s");
    wb_buf_free(&line);
}

int cmd_compare(int argc, char **argv)
{
    compare_options o = {.results = WB_DEFAULT_RESULTS_DIR, .format = "table"};
    const char **positional = wb_xcalloc((size_t)argc + 1, sizeof *positional);
    int npositional = 0, status;
    if (wb_cli_parse(compare_opts, argc, argv, &o, positional, &npositional, &status) != 0) {
        free(positional);
        return status;
    }
    const char *spec_a = positional[0], *spec_b = positional[1];
    free(positional);
    if (npositional != 2)
        return wb_cli_fail("compare", "needs two runs or run sets, A and B, got %d argument%s", npositional,
                           npositional == 1 ? "" : "s");
    wb_format format;
    wb_error e = {{0}};
    if (wb_format_parse(o.format, &format, &e) != 0)
        return wb_cli_fail("compare", "--format: %s", e.msg);
    double pct = 0;
    if (o.fail_if_slower && parse_percent(o.fail_if_slower, &pct) != 0)
        return wb_cli_fail("compare", "--fail-if-slower must be a percentage of 0 or more, like 10 or 2.5; got '%s'",
                           o.fail_if_slower);

    wb_run_set a = WB_RUN_SET_INIT, b = WB_RUN_SET_INIT;
    unsigned flags = o.whole_runs_only ? WB_RUNS_WHOLE_ONLY : 0;
    if (load_side("A", spec_a, o.results, flags, &a) != 0)
        return 2;
    if (load_side("B", spec_b, o.results, flags, &b) != 0) {
        wb_runs_free(&a);
        return 2;
    }
    wb_comparison c = WB_COMPARISON_INIT;
    wb_buf out = WB_BUF_INIT;
    status = 0;
    if (wb_compare(a.results, a.nresults, b.results, b.nresults, &c, &e) != 0) {
        status = wb_cli_fail("compare", "%s", e.msg);
    } else {
        if (format == WB_FORMAT_TABLE || format == WB_FORMAT_MARKDOWN) {
            write_heading("A", &a, format == WB_FORMAT_MARKDOWN, &out);
            write_heading("B", &b, format == WB_FORMAT_MARKDOWN, &out);
            wb_buf_putc(&out, '\n');
        }
        if (wb_compare_write(&c, format, &out, &e) != 0)
            status = wb_cli_fail("compare", "%s", e.msg);
    }
    if (status == 0) {
        fputs(wb_buf_str(&out), stdout);
        if (fflush(stdout) != 0)
            status = wb_cli_fail("compare", "cannot write the comparison to standard output");
    }
    if (status == 0 && o.fail_if_slower) {
        report_regressions(&c, pct);
        status = wb_compare_count_regressions(&c, pct) > 0 ? 1 : 0;
    }
    wb_buf_free(&out);
    wb_comparison_free(&c);
    wb_runs_free(&a);
    wb_runs_free(&b);
    return status;
}

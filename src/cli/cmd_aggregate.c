/* `writebench aggregate` and `writebench correlate`: statistics over kept runs,
 * written through the one table writer (analysis/output.h) as csv (default),
 * table, markdown or json. Unreadable runs are reported on stderr and skipped
 * (analysis/runs.h); the exit status is 2 only when a named run does not exist
 * or nothing readable remains. docs/ANALYSIS.md describes the figures. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/export.h"
#include "analysis/correlate.h"
#include "analysis/output.h"
#include "analysis/runs.h"
#include "cli/cli.h"
#include "util/term.h"

typedef struct analysis_options {
    const char *results;
    const char *format;
    int whole_runs_only;
} analysis_options;

static const wb_opt analysis_opts[] = {
    {"--results", WB_OPT_STRING, offsetof(analysis_options, results), "DIR",
     "the results directory whose runs are read (default: results); RUN arguments are run ids in it "
     "or paths to run directories, and without them every run in it is read.",
     0, 0},
    {"--format", WB_OPT_STRING, offsetof(analysis_options, format), "FORMAT",
     "csv (default), table (aligned, for a terminal), markdown, or json.", 0, 0},
    {"--whole-runs-only", WB_OPT_FLAG, offsetof(analysis_options, whole_runs_only), NULL,
     "leave out runs that were cut short (interrupted, the database gone, writebench's own error, or killed); without it they are named on stderr and their finished tests are used.", 0, 0},
    WB_OPT_END,
};

/* What each command makes of the runs it read. */
typedef int (*build_fn)(const wb_run_set *set, wb_out_table **out, wb_error *e);

/* aggregate's table fits the terminal in the table format (the columns' importance
 * is in wb_aggregate_columns[]); the other formats keep every column. */
static int build_aggregate(const wb_run_set *set, wb_out_table **out, wb_error *e)
{
    if (wb_aggregate_table_of(set, out, e) != 0)
        return -1;
    wb_out_table_fit(*out, wb_term_width());
    return 0;
}

/* correlate's matrix fits the terminal in the table format too, measures of least
 * importance (correlate.c) left out first. */
static int build_correlate(const wb_run_set *set, wb_out_table **out, wb_error *e)
{
    (void)e;
    *out = wb_correlate_table(set->results, set->nresults);
    wb_out_table_fit(*out, wb_term_width());
    return 0;
}

/* Parse, read the runs, build the table and write it to stdout. */
static int run_analysis(int argc, char **argv, build_fn build, const char *json_key)
{
    analysis_options o = {"results", "csv", 0};
    const char **positional = calloc((size_t)argc + 1, sizeof *positional);
    int npositional = 0, status = 0;
    if (!positional)
        return wb_cli_fail(argv[0], "out of memory");
    if (wb_cli_parse(analysis_opts, argc, argv, &o, positional, &npositional, &status) != 0) {
        free(positional);
        return status;
    }
    wb_error e = {{0}};
    wb_format format;
    if (wb_format_parse(o.format, &format, &e) < 0) {
        free(positional);
        return wb_cli_fail(argv[0], "--format: %s", e.msg);
    }
    wb_run_set set = WB_RUN_SET_INIT;
    if (wb_runs_load(o.results, positional, npositional, o.whole_runs_only ? WB_RUNS_WHOLE_ONLY : 0, &set, &e) < 0) {
        free(positional);
        return wb_cli_fail(argv[0], "%s", e.msg);
    }
    free(positional);
    wb_out_table *table = NULL;
    wb_buf out = WB_BUF_INIT;
    if (build(&set, &table, &e) < 0 || wb_out_table_write(table, format, json_key, &out, &e) < 0) {
        wb_out_table_free(table);
        wb_runs_free(&set);
        wb_buf_free(&out);
        return wb_cli_fail(argv[0], "%s", e.msg);
    }
    if (set.nskipped > 0)
        fprintf(stderr, "writebench %s: %d run(s) read, %d skipped\n", argv[0], set.nruns, set.nskipped);
    wb_out_table_free(table);
    wb_runs_free(&set);
    size_t written = out.len ? fwrite(out.data, 1, out.len, stdout) : 0;
    int write_failed = written != out.len || fflush(stdout) != 0;
    wb_buf_free(&out);
    if (write_failed)
        return wb_cli_fail(argv[0], "cannot write the output: %s", strerror(errno));
    return 0;
}

int cmd_aggregate(int argc, char **argv)
{
    return run_analysis(argc, argv, build_aggregate, "groups");
}

int cmd_correlate(int argc, char **argv)
{
    return run_analysis(argc, argv, build_correlate, "correlations");
}

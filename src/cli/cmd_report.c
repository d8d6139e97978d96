/* `writebench report`: read the runs (all under --results, or those named) and
 * write the self-contained HTML report (analysis/report.h); print its path. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "advise/advise_code.h"
#include "analysis/report.h"
#include "analysis/runs.h"
#include "cli/cli.h"
#include "runner/run.h"

typedef struct report_options {
    const char *results;
    const char *out;
    int whole_runs_only;
} report_options;

#define OPT(name, kind, field, value, help) {name, kind, offsetof(report_options, field), value, help, 0, 0}

static const wb_opt report_opts[] = {
    OPT("--results", WB_OPT_STRING, results, "DIR",
        "where run directories are kept; without RUN arguments every run there is included. "
        "Default: " WB_DEFAULT_RESULTS_DIR "."),
    OPT("--out", WB_OPT_STRING, out, "FILE.html",
        "the file to write (replaced if it exists). Default: report.html in the directory that holds "
        "the (first) run, i.e. <results>/report.html."),
    OPT("--whole-runs-only", WB_OPT_FLAG, whole_runs_only, NULL,
        "leave out runs that were cut short (interrupted, the database gone, writebench's own error, or killed); without it they are named on stderr and their finished tests are used."),
    WB_OPT_END,
};

int cmd_report(int argc, char **argv)
{
    report_options o = {.results = WB_DEFAULT_RESULTS_DIR, .out = NULL};
    const char **names = wb_xcalloc((size_t)argc + 1, sizeof *names);
    int nnames = 0, status;
    if (wb_cli_parse(report_opts, argc, argv, &o, names, &nnames, &status) != 0) {
        free(names);
        return status;
    }
    if (o.out && !*o.out) {
        free(names);
        return wb_cli_fail("report", "--out needs a file name");
    }
    wb_run_set runs = WB_RUN_SET_INIT;
    wb_error e = {{0}};
    if (wb_runs_load(o.results, names, nnames, o.whole_runs_only ? WB_RUNS_WHOLE_ONLY : 0, &runs, &e) != 0) {
        free(names);
        return wb_cli_fail("report", "%s", e.msg);
    }
    free(names);
    char path[4200];
    if (o.out)
        snprintf(path, sizeof path, "%s", o.out);
    else
        wb_report_default_path(&runs, path, sizeof path);
    wb_report_set_code_lister(wb_advise_report_code); /* the Advice section lists the code */
    int rc = wb_report_write(&runs, path, &e);
    int nruns = runs.nruns, ntests = runs.nresults;
    wb_runs_free(&runs);
    if (rc != 0)
        return wb_cli_fail("report", "%s", e.msg);
    printf("report: %s (%d run%s, %d test%s)\n", path, nruns, nruns == 1 ? "" : "s", ntests, ntests == 1 ? "" : "s");
    return 0;
}

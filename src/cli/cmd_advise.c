/* `writebench advise [RUN...]`: for each need (a one-off bulk load, steady
 * batches of B rows, insert-or-update) the fastest verified strategy of the runs
 * and its runner-up, with their cost (analysis/advice.h), read from the latest
 * run in --results unless runs are named; with --code DIR, the code for the
 * user's own tables in every language of the backend (advise/codegen.h), one
 * file per need and language, each an external strategy that verifies, and the
 * command that measures them. The workload comes from the file the run recorded
 * (run.conf's workload_file and workload_sha256), loaded again and checked
 * against that sha256, so that the code is for the tables that were measured. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "advise/advise_code.h"
#include "analysis/advice.h"
#include "analysis/runs.h"
#include "cli/cli.h"
#include "runner/run.h"
#include "util/fs.h"

typedef struct advise_options {
    const char *results;
    const char *code;
    int whole_runs_only;
} advise_options;

static const wb_opt advise_opts[] = {
    {"--results", WB_OPT_STRING, offsetof(advise_options, results), "DIR",
     "the results directory whose runs are read (default: " WB_DEFAULT_RESULTS_DIR "); RUN arguments are run ids "
     "in it or paths to run directories, and without them the latest run in it is read.",
     0, 0},
    {"--code", WB_OPT_STRING, offsetof(advise_options, code), "DIR",
     "write the code for the advised strategies there (created if missing): one program per need and "
     "language, each a writebench external strategy for the run's own tables.",
     0, 0},
    {"--whole-runs-only", WB_OPT_FLAG, offsetof(advise_options, whole_runs_only), NULL,
     "leave out runs that were cut short.", 0, 0},
    WB_OPT_END,
};

/* Keep only the latest run's results in set (runs are read in name order = start time). */
static void keep_latest(wb_run_set *set)
{
    if (set->nruns < 2)
        return;
    const wb_run_info *last = &set->runs[set->nruns - 1];
    memmove(set->results, set->results + last->first_result, (size_t)last->nresults * sizeof *set->results);
    set->nresults = last->nresults;
}

int cmd_advise(int argc, char **argv)
{
    advise_options o = {WB_DEFAULT_RESULTS_DIR, NULL, 0};
    const char **names = wb_xcalloc((size_t)argc + 1, sizeof *names);
    int nnames = 0, status = 0;
    if (wb_cli_parse(advise_opts, argc, argv, &o, names, &nnames, &status) != 0) {
        free(names);
        return status;
    }
    if (o.code && !*o.code) {
        free(names);
        return wb_cli_fail(argv[0], "--code needs a directory");
    }
    wb_error e = {{0}};
    wb_run_set set = WB_RUN_SET_INIT;
    int rc = wb_runs_load(o.results, names, nnames, o.whole_runs_only ? WB_RUNS_WHOLE_ONLY : 0, &set, &e);
    free(names);
    if (rc < 0)
        return wb_cli_fail(argv[0], "%s", e.msg);
    if (nnames == 0)
        keep_latest(&set);
    if (o.code && wb_fs_mkdir_p(o.code, &e) != 0) {
        wb_runs_free(&set);
        return wb_cli_fail(argv[0], "--code %s: %s", o.code, e.msg);
    }
    wb_advice_set advice = WB_ADVICE_SET_INIT;
    if (wb_advice_compute(set.results, set.nresults, &advice, &e) != 0) {
        wb_runs_free(&set);
        return wb_cli_fail(argv[0], "%s", e.msg);
    }
    wb_buf out = WB_BUF_INIT;
    if (nnames == 0 && set.nruns > 0)
        wb_buf_printf(&out, "advice from run %s (the latest in %s)\n\n", set.runs[set.nruns - 1].run_id, o.results);
    wb_advise_code code = WB_ADVISE_CODE_INIT;
    int code_failed = wb_advise_code_make(&set, &advice, o.code, &code);
    wb_advise_text(&advice, &code, &out);
    wb_advise_code_free(&code);
    wb_advice_free(&advice);
    wb_runs_free(&set);
    size_t written = out.len ? fwrite(out.data, 1, out.len, stdout) : 0;
    int write_failed = written != out.len || fflush(stdout) != 0;
    wb_buf_free(&out);
    if (write_failed)
        return wb_cli_fail(argv[0], "cannot write the output: %s", strerror(errno));
    return code_failed ? 1 : 0;
}

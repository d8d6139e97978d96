/* `writebench findings`: what kept runs show about the usual advice, each claim
 * confirmed, refuted or within noise with its ratio and interval, and the traps
 * seen (analysis/findings.h), as text for a person (wrapped to the terminal) or
 * as the JSON document a run keeps in findings.json. Reads only: it writes no
 * file. Unreadable runs are reported on stderr and skipped (analysis/runs.h). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/findings.h"
#include "analysis/runs.h"
#include "cli/cli.h"
#include "util/term.h"

typedef struct findings_options {
    const char *results;
    const char *format;
    int whole_runs_only;
} findings_options;

static const wb_opt findings_opts[] = {
    {"--results", WB_OPT_STRING, offsetof(findings_options, results), "DIR",
     "the results directory whose runs are read (default: results); RUN arguments are run ids in it "
     "or paths to run directories, and without them every run in it is read.",
     0, 0},
    {"--format", WB_OPT_STRING, offsetof(findings_options, format), "FORMAT",
     "text (default: for a person, wrapped to the terminal) or json (what findings.json holds).", 0, 0},
    {"--whole-runs-only", WB_OPT_FLAG, offsetof(findings_options, whole_runs_only), NULL,
     "leave out runs that were cut short; without it they are named on stderr and their finished tests are used.",
     0, 0},
    WB_OPT_END,
};

/* The formats and their writers. */
static void write_text(const wb_findings *f, wb_buf *out)
{
    wb_findings_text(f, wb_term_width(), out);
}

static const struct {
    const char *name;
    void (*write)(const wb_findings *f, wb_buf *out);
} formats[] = {
    {"text", write_text},
    {"json", wb_findings_json},
};

int cmd_findings(int argc, char **argv)
{
    findings_options o = {"results", "text", 0};
    const char **positional = calloc((size_t)argc + 1, sizeof *positional);
    int npositional = 0, status = 0;
    if (!positional)
        return wb_cli_fail(argv[0], "out of memory");
    if (wb_cli_parse(findings_opts, argc, argv, &o, positional, &npositional, &status) != 0) {
        free(positional);
        return status;
    }
    size_t format = 0;
    while (format < sizeof formats / sizeof *formats && strcmp(formats[format].name, o.format) != 0)
        format++;
    if (format == sizeof formats / sizeof *formats) {
        free(positional);
        return wb_cli_fail(argv[0], "--format: unknown format '%s'; the formats are: text, json", o.format);
    }
    wb_error e = {{0}};
    wb_run_set set = WB_RUN_SET_INIT;
    int rc = wb_runs_load(o.results, positional, npositional, o.whole_runs_only ? WB_RUNS_WHOLE_ONLY : 0, &set, &e);
    free(positional);
    if (rc < 0)
        return wb_cli_fail(argv[0], "%s", e.msg);
    wb_findings f = WB_FINDINGS_INIT;
    if (wb_findings_compute(set.results, set.nresults, &f, &e) < 0) {
        wb_runs_free(&set);
        return wb_cli_fail(argv[0], "%s", e.msg);
    }
    if (set.nskipped > 0)
        fprintf(stderr, "writebench %s: %d run(s) read, %d skipped\n", argv[0], set.nruns, set.nskipped);
    wb_buf out = WB_BUF_INIT;
    formats[format].write(&f, &out);
    wb_findings_free(&f);
    wb_runs_free(&set);
    size_t written = out.len ? fwrite(out.data, 1, out.len, stdout) : 0;
    int write_failed = written != out.len || fflush(stdout) != 0;
    wb_buf_free(&out);
    if (write_failed)
        return wb_cli_fail(argv[0], "cannot write the output: %s", strerror(errno));
    return 0;
}

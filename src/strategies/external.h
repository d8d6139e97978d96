/* External strategies: any program, measured and verified like a built-in one.
 *
 * `--external NAME=PROGRAM [ARGS...]` and `--external-dir DIR` name programs;
 * each becomes a catalogue-like wb_strategy whose function starts the program
 * (execve, no shell) in the test's process group with the protocol's
 * environment (docs/EXTERNAL.md), waits for it and every process it started,
 * and reports their CPU and largest peak RSS, and the program's own timed region
 * when it reports one. The runner verifies afterwards as for any strategy.
 *
 * A program may declare which of --batch and --threads it honours, in a header
 * line of its script (`# writebench: params=batch,threads`) or with
 * `--external-params NAME=LIST`; the runner then neither repeats it over values it
 * ignores nor records them. */
#ifndef WB_STRATEGIES_EXTERNAL_H
#define WB_STRATEGIES_EXTERNAL_H

#include <stdint.h>

#include "strategies/strategy.h"
#include "util/buf.h"
#include "util/error.h"

#define WB_EXTERNAL_PROTOCOL 1
/* Exit status of a program that cannot run here (the automake convention). */
#define WB_EXTERNAL_EXIT_SKIP 77
#define WB_EXTERNAL_NAME_MAX 64
/* The file a program may write its timed region into, in its output directory
 * ($WRITEBENCH_REPORT): one JSON object, {"duration_s": 1.234}. */
#define WB_EXTERNAL_REPORT_NAME "writebench-report.json"
/* Reports larger than this are not reports. */
#define WB_EXTERNAL_REPORT_MAX_BYTES 4096

/* Where a program's params (the WB_STRAT_BATCH / WB_STRAT_THREADS it honours) come from. */
typedef enum wb_external_params_source {
    WB_PARAMS_ASSUMED = 0, /* not declared: it is given both and runs in both scans */
    WB_PARAMS_HEADER,      /* a `writebench: params=` line of its script */
    WB_PARAMS_COMMAND_LINE /* --external-params NAME=LIST, which wins over the header */
} wb_external_params_source;

typedef struct wb_external {
    char name[WB_EXTERNAL_NAME_MAX]; /* the strategy name: results key */
    char path[4096];                 /* the program as it is started: as given, or where PATH
                                      * lookup found a bare name (as execvp would) */
    char resolved[4096];             /* what path resolves to (symlinks followed), for the record */
    char **argv;                     /* argv[0] as given, then the arguments; NULL-terminated */
    int argc;
    char language[16];               /* "python", "shell", "native", or an interpreter's name */
    char sha256[65];                 /* of the program file, lower-case hex */
    char script[4096];               /* the file the header is read from: the program when it
                                      * is not an ELF binary, else the script given to a known
                                      * interpreter; "" when there is none */
    char summary[256];               /* the script's first docstring or comment line, for describe */
    unsigned params;                 /* WB_STRAT_BATCH | WB_STRAT_THREADS it honours */
    wb_external_params_source params_source;
    int params_line;                 /* the header's line number (WB_PARAMS_HEADER) */
    char io[8];                      /* "sync", or "async" when its header (or --external-io) says so */
    int io_from_command_line;        /* --external-io NAME=IO set it, over the header */
    wb_strategy strategy;            /* what the runner runs: run[] = wb_external_run */
} wb_external;

/* The programs of one run. */
typedef struct wb_external_set {
    wb_external *items[WB_EXTERNAL_NAME_MAX];
    int count;
} wb_external_set;

/* Add the program `NAME=PROGRAM` with its arguments (words[1..nwords)); checks the name
 * (letters, digits, '.', '_', '-'; not a built-in strategy's; not taken) and that the
 * program is an executable file. One line in e on a mistake. */
int wb_external_add(wb_external_set *set, char *const *words, int nwords, wb_error *e);
/* Split the words after the first --external (each further --external starts the next
 * program; --external-dir DIR may appear too) and add them all. */
int wb_external_add_command_line(wb_external_set *set, char **words, int nwords, wb_error *e);
/* Add every executable regular file of dir (hidden files passed over), in name order,
 * each named after the file without its extension. A directory with none is a mistake. */
int wb_external_add_dir(wb_external_set *set, const char *dir, wb_error *e);
/* --external-params NAME=LIST: LIST is "none" or "batch", "threads" or both, comma-separated;
 * NAME must be one of the set's programs, given once. Overrides the program's header. */
int wb_external_declare_params(wb_external_set *set, const char *spec, wb_error *e);
/* --external-io NAME=sync|async: the I/O model of the program NAME (one without a header:
 * a binary), given once; overrides its header's io=. */
int wb_external_declare_io(wb_external_set *set, const char *spec, wb_error *e);
/* LIST of a params declaration into WB_STRAT_* flags; what is wrong in e. */
int wb_external_parse_params(const char *list, unsigned *flags, wb_error *e);
/* "batch,threads", "batch", "threads" or "none": the params of flags, as they are declared. */
const char *wb_external_params_text(unsigned flags);
/* Free what the set holds. */
void wb_external_set_free(wb_external_set *set);

/* Append code.diff's lines for the programs: the path as given and what it resolves to,
 * language, sha256, params, and the path (as given and resolved) and sha256 of every
 * argument that names a file (a script given to an interpreter). */
void wb_external_describe(const wb_external_set *set, wb_buf *out);

/* The program behind a strategy, or NULL for a built-in one. */
const wb_external *wb_external_of(const wb_strategy *s);

/* The strategy function of every external program (ctx->external says which). */
int wb_external_run(wb_ctx *ctx);

/* Build the protocol's environment for ctx on top of base (NULL-terminated, as environ):
 * a NULL-terminated array whose strings are all allocated; free with wb_external_env_free.
 * Exposed for tests. */
char **wb_external_env(const wb_ctx *ctx, char *const *base);
void wb_external_env_free(char **env);
/* The application name an external program's connections get in this test's child
 * ("writebench-external-<pid>"), by which its server processes are found. */
void wb_external_application_name(char *out, size_t n);

/* Read the program's report of its timed region at path (external_report.c): 0 with
 * *duration_s NAN when there is no such file; 0 with *duration_s set when it is one
 * JSON object {"duration_s": D}, D a finite number in (0, process_s]; otherwise -1 and
 * e says what is wrong (malformed JSON, not UTF-8, an unknown or repeated key, a bad
 * number). Exposed for tests. */
int wb_external_read_report(const char *path, double process_s, double *duration_s, wb_error *e);

/* What a report holds: the timed region (NAN: no report) and, when the program keeps a
 * cache in front of its reads, its lookups and the stale reads among them (-1: not reported). */
typedef struct wb_external_report {
    double duration_s;
    int64_t cache_lookups;
    int64_t stale_reads;
} wb_external_report;

/* The same reading, with the optional keys "cache_lookups" and "stale_reads" (whole
 * numbers >= 0; stale_reads only with cache_lookups and at most as many). */
int wb_external_read_report_counts(const char *path, double process_s, wb_external_report *out, wb_error *e);

#endif

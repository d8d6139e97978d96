/* The command line's subcommands: one table, git's `commands[]` style.
 *
 * Every subcommand is one entry of wb_commands[] (commands.c) and one handler
 * `int cmd_<name>(int argc, char **argv)`: argv[0] is the command's name, the
 * return value is the process's exit status (0 success, 1 the work ran but
 * something failed, 2 bad input or nothing could run). The dispatcher in
 * main.c finds the entry, and `writebench help`, `writebench --help` and the
 * "did you mean" for a mistyped command all read the same table.
 *
 * How to add a command:
 *   1. write `int cmd_<name>(int argc, char **argv)` in src/cli/cmd_<name>.c
 *      (or next to its family), declared below; parse its options with one
 *      wb_opt table and wb_cli_parse(), so errors and --help look like the
 *      other commands';
 *   2. add one entry to wb_commands[] in commands.c, in the order `--help`
 *      lists them, with its one-line summary and its usage synopsis (NULL:
 *      the synopsis is generated from the option table, see wb_opts_synopsis);
 *   3. document it in the README's "Commands" section. */
#ifndef WB_CLI_CLI_H
#define WB_CLI_CLI_H

#include <stdio.h>

#include "cli/options.h"
#include "workloads/workload.h"

typedef int (*wb_command_fn)(int argc, char **argv);

typedef struct wb_command {
    const char *name;
    wb_command_fn handler;
    const char *summary; /* one line for the command list */
    /* The synopsis after "writebench <name> ", or NULL to generate it from the
     * option table the command parses with, so that the two cannot drift apart. */
    const char *usage;
} wb_command;

/* Every command, in the order --help lists them; ends with a NULL name. */
extern const wb_command wb_commands[];

/* What writebench does, one paragraph (--help and the man page's DESCRIPTION). */
extern const char wb_cli_description[];
/* The exit statuses every command shares, one sentence (--help). */
extern const char wb_cli_exit_status[];

/* Help screens are wrapped to this many columns. */
#define WB_HELP_WIDTH 78

/* The command of exactly that name, or NULL. */
const wb_command *wb_command_find(const char *name);

/* Print the program's usage with the command list to f. */
void wb_cli_usage(FILE *f);

/* Print a command's usage: synopsis, summary and its options table. */
void wb_cli_command_usage(FILE *f, const char *name, const wb_opt *opts);

/* One --help screen in its parts, for what is generated from the same tables as
 * --help (the man page and the bash completion, cli/manual.c), so they cannot drift. */
typedef struct wb_help_page {
    const char *command;  /* "run", "workload show": the words after "writebench" */
    const char *synopsis; /* the whole line after "writebench ", the command's words included */
    const char *summary;  /* what it does, as a sentence */
    const wb_opt *opts;   /* its option table, or NULL */
} wb_help_page;
typedef void (*wb_help_sink)(const wb_help_page *page, void *ctx);

/* While a sink is set (NULL: none), every --help screen is handed to it instead of
 * printed; a command with subcommands then hands over each subcommand's page too. */
void wb_cli_set_help_sink(wb_help_sink sink, void *ctx);
/* Whether a sink is set. */
int wb_cli_help_sink_set(void);
/* Hand page to the sink and return 1, or return 0 when none is set (print it then). */
int wb_cli_help_to_sink(const wb_help_page *page);

/* Print "writebench <cmd>: <message>" as one line on stderr; returns 2 (the exit status). */
int wb_cli_fail(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Parse a command's options (see wb_opts_parse). Returns 0 to carry on; otherwise
 * it has printed the usage (on --help) or the one-line error, and returns -1 with
 * the exit status in *exit_status (0 after --help, 2 after a mistake). */
int wb_cli_parse(const wb_opt *opts, int argc, char **argv, void *dest, const char **positional,
                 int *npositional, int *exit_status);

/* The workload --workload names (a shipped workload's name or a workload file's
 * path, see wb_workload_open) in *out; otherwise prints the one-line error (the
 * known workloads, or the file's line and column at fault) and returns 2. */
int wb_cli_find_workload(const char *cmd, const char *name, const wb_workload **out);
/* Apply --schema (NULL: keep the default) to a parsed target: PostgreSQL only,
 * 1 to 63 bytes. Reports the one-line error and returns 2, or returns 0. */
int wb_cli_apply_schema(const char *cmd, const char *schema, wb_target *t);
/* Apply every --pragma of the list to t. Reports the first bad one as the command's
 * one-line error and returns 2, or returns 0. */
int wb_cli_add_pragmas(const char *cmd, const wb_opt_list *pragmas, wb_target *t);
/* Refuse --pragma for a backend without connection settings (add_setting), before
 * anything else about them is checked; 2 after the one-line error, else 0. */
int wb_cli_check_pragmas(const char *cmd, const wb_opt_list *pragmas, const wb_backend *b);

/* run's --set and --pragma lists (run_settings.c): every NAME=V1[,V2...] an axis of
 * cfg's scan, each value checked by cfg->target's backend (--set on a backend without
 * session settings is refused, pointing at --pragma); first_pragmas gets each
 * --pragma's first value, for cfg->target. 2 after the one-line error, else 0. */
struct wb_run_config;
int wb_cli_run_settings(const wb_opt_list *sets, const wb_opt_list *pragmas, struct wb_run_config *cfg,
                        wb_opt_list *first_pragmas);

/* The handlers. */
int cmd_run(int argc, char **argv);
/* run's exit status for what the run did (0, 1, 2, 130 or 143; cmd_run.c). */
struct wb_run_outcome;
int wb_cli_run_exit_status(const struct wb_run_outcome *o);
int cmd_describe(int argc, char **argv);
int cmd_setup(int argc, char **argv);
int cmd_count(int argc, char **argv);
int cmd_show(int argc, char **argv);
int cmd_drop(int argc, char **argv);
int cmd_report(int argc, char **argv);
int cmd_compare(int argc, char **argv);
int cmd_aggregate(int argc, char **argv);
int cmd_correlate(int argc, char **argv);
int cmd_findings(int argc, char **argv);
int cmd_profile(int argc, char **argv);
int cmd_workload(int argc, char **argv);
/* `workload rows` (cmd_workload_rows.c): its handler and its option table. */
int wb_workload_rows(int argc, char **argv);
extern const wb_opt wb_workload_rows_opts[];
int cmd_advise(int argc, char **argv);

/* The hidden outputs generated from the tables (cli/manual_man.c, manual_completion.c):
 * `writebench --man` prints the man page (roff), `writebench --completion bash` the
 * bash completion script. Both return the exit status. */
int wb_manual_man(FILE *f);
int wb_manual_completion(FILE *f, const char *shell);

#endif

/* External strategies: any program, measured and verified like a built-in one.
 *
 * `--external NAME=PROGRAM [ARGS...]` and `--external-dir DIR` name programs;
 * each becomes a catalogue-like wb_strategy whose function starts the program
 * (execve, no shell) in the test's process group with the protocol's
 * environment (docs/EXTERNAL.md), waits for it and every process it started,
 * and reports their CPU and largest peak RSS. The runner verifies afterwards as
 * for any strategy. */
#ifndef WB_STRATEGIES_EXTERNAL_H
#define WB_STRATEGIES_EXTERNAL_H

#include "strategies/strategy.h"
#include "util/buf.h"
#include "util/error.h"

#define WB_EXTERNAL_PROTOCOL 1
/* Exit status of a program that cannot run here (the automake convention). */
#define WB_EXTERNAL_EXIT_SKIP 77
#define WB_EXTERNAL_NAME_MAX 64

typedef struct wb_external {
    char name[WB_EXTERNAL_NAME_MAX]; /* the strategy name: results key */
    char path[4096];                 /* the program, resolved to an absolute path */
    char **argv;                     /* argv[0] as given, then the arguments; NULL-terminated */
    int argc;
    char language[16];               /* "python", "shell", "native", or an interpreter's name */
    char sha256[65];                 /* of the program file, lower-case hex */
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
/* Free what the set holds. */
void wb_external_set_free(wb_external_set *set);

/* Append code.diff's lines for the programs: path, language, sha256, and the sha256 of
 * every argument that names a file (a script given to an interpreter). */
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

#endif

/* Private to the generated documentation (manual*.c): every --help screen of
 * writebench collected as structured pages, in the order `writebench --help`
 * lists the commands, each command's subcommands after it. */
#ifndef WB_CLI_MANUAL_H
#define WB_CLI_MANUAL_H

#include "cli/cli.h"
#include "util/buf.h"

#define WB_MANUAL_MAX_PAGES 64

typedef struct wb_manual {
    wb_help_page pages[WB_MANUAL_MAX_PAGES]; /* strings owned by the manual */
    int count;
} wb_manual;

/* Collect every page by running each command's handler with --help under a help
 * sink (so the pages are exactly what --help prints). Returns 0, or -1 when a
 * handler did not answer --help with exit status 0 (then the documentation would
 * lack it; the caller says so). */
int wb_manual_collect(wb_manual *m, const char **failed_command);

/* Free what wb_manual_collect kept. */
void wb_manual_free(wb_manual *m);

/* Collect the manual, let write turn it into text and print that to f. what names
 * the output in the one-line error ("--man"). Returns the exit status (0, or 2). */
int wb_manual_print(FILE *f, const char *what, void (*write)(wb_buf *out, const wb_manual *m));

#endif

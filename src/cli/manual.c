/* The man page and the bash completion are made from the same tables as --help:
 * each command's handler is run with --help while a help sink is set, and the
 * sink keeps the page (command, synopsis, summary, option table) instead of
 * printing it. A new command or option therefore appears in all three at once. */
#include "cli/manual.h"

#include <stdio.h>
#include <stdlib.h>

#include "util/buf.h"

static void keep_page(const wb_help_page *page, void *ctx)
{
    wb_manual *m = ctx;
    if (m->count == WB_MANUAL_MAX_PAGES)
        return; /* caught by the count check in wb_manual_collect */
    wb_help_page *p = &m->pages[m->count++];
    p->command = wb_xstrdup(page->command);
    p->synopsis = wb_xstrdup(page->synopsis);
    p->summary = wb_xstrdup(page->summary ? page->summary : "");
    p->opts = page->opts; /* the tables are static: they outlive the manual */
}

int wb_manual_collect(wb_manual *m, const char **failed_command)
{
    m->count = 0;
    wb_cli_set_help_sink(keep_page, m);
    int rc = 0;
    for (const wb_command *c = wb_commands; c->name && rc == 0; c++) {
        char help[] = "--help";
        char *argv[] = {(char *)c->name, help, NULL};
        int before = m->count;
        if (c->handler(2, argv) != 0 || m->count == before || m->count == WB_MANUAL_MAX_PAGES) {
            *failed_command = c->name;
            rc = -1;
        }
    }
    wb_cli_set_help_sink(NULL, NULL);
    return rc;
}

void wb_manual_free(wb_manual *m)
{
    for (int i = 0; i < m->count; i++) {
        free((char *)m->pages[i].command);
        free((char *)m->pages[i].synopsis);
        free((char *)m->pages[i].summary);
    }
    m->count = 0;
}

int wb_manual_print(FILE *f, const char *what, void (*write)(wb_buf *out, const wb_manual *m))
{
    wb_manual m;
    const char *failed = NULL;
    if (wb_manual_collect(&m, &failed) != 0) {
        wb_manual_free(&m);
        fprintf(stderr, "writebench %s: the help of '%s' could not be read\n", what, failed);
        return 2;
    }
    wb_buf out = WB_BUF_INIT;
    write(&out, &m);
    wb_manual_free(&m);
    int ok = fputs(wb_buf_str(&out), f) >= 0 && fflush(f) == 0;
    wb_buf_free(&out);
    if (!ok) {
        fprintf(stderr, "writebench %s: cannot write the output\n", what);
        return 2;
    }
    return 0;
}

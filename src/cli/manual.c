/* The man page and the bash completion are made from the same tables as --help:
 * each command's handler is run with --help while a help sink is set, and the
 * sink keeps the page (command, synopsis, summary, option table) instead of
 * printing it. A new command or option therefore appears in all three at once. */
#include "cli/manual.h"

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

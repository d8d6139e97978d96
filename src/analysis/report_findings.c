/* The report's Findings section, near the top: what the runs read show about
 * the usual advice, each claim's verdict with its ratio and interval, the traps
 * seen and the claims the runs could not check (analysis/findings.h; the same
 * findings `run` prints and `writebench findings` writes). */
#include <stdio.h>

#include "analysis/findings.h"
#include "analysis/report_internal.h"

/* One row: verdict, claim, what the runs show, the set, the tests. */
static void finding_row(const wb_findings *all, const wb_finding *f, wb_buf *out)
{
    wb_buf text = WB_BUF_INIT;
    wb_buf_printf(out, "<tr class=\"finding %s\">", f->trap ? "trap" : "claim");
    wb_buf_puts(out, "<td><strong>");
    esc(out, wb_finding_verdict_name(f->verdict));
    wb_buf_puts(out, "</strong></td>");
    cell_text(out, f->claim);
    cell_text(out, f->statement);
    wb_findings_set_title(f, &text);
    cell_text(out, wb_buf_str(&text));
    wb_buf_reset(&text);
    wb_findings_rests_on(all, f, &text);
    cell_text(out, wb_buf_str(&text));
    wb_buf_puts(out, "</tr>\n");
    wb_buf_free(&text);
}

void wb_report_findings(report *r)
{
    wb_buf *out = r->out;
    wb_findings f = WB_FINDINGS_INIT;
    wb_error e = {{0}};
    wb_buf_puts(out, "<h2 id=\"findings\">Findings</h2>\n");
    if (wb_findings_compute(r->runs->results, r->runs->nresults, &f, &e) != 0) {
        wb_buf_puts(out, "<p class=\"note\">No findings: ");
        esc(out, e.msg);
        wb_buf_puts(out, "</p>\n");
        return;
    }
    wb_buf_puts(out, "<p class=\"note\">What these runs show about the usual advice on writing rows: each claim "
                     "confirmed, refuted or within noise on this machine, from the ratio of mean durations, with a "
                     "95% interval when there are repeats (\"single run\" otherwise); then the traps seen. A finding "
                     "is only stated within one comparable set: the same workload, backend, phase, rows and "
                     "threads, unless it reads a scan of rows, batch or threads. The rule is in docs/ANALYSIS.md "
                     "(\"findings\").</p>\n");
    if (f.n) {
        static const char *const titles[] = {"verdict", "claim", "what the runs show", "set", "rests on", NULL};
        wb_buf_puts(out, "<table class=\"findings\">");
        header_row(out, titles);
        wb_buf_puts(out, "\n");
        for (int i = 0; i < f.n; i++)
            finding_row(&f, &f.items[i], out);
        wb_buf_puts(out, "</table>\n");
    } else {
        wb_buf_puts(out, "<p>No claim had what it needs in these runs, and no trap was seen.</p>\n");
    }
    if (f.nunchecked) {
        wb_buf_puts(out, "<p class=\"note\">Not checked here: ");
        for (int i = 0; i < f.nunchecked; i++) {
            const wb_claim *c = f.unchecked[i];
            wb_buf_puts(out, i ? "; " : "");
            esc(out, c->claim);
            wb_buf_puts(out, " (needs ");
            esc(out, wb_claim_needs(c));
            if (*wb_claim_hint(c)) {
                wb_buf_puts(out, ": ");
                esc(out, wb_claim_hint(c));
            }
            wb_buf_puts(out, ")");
        }
        wb_buf_puts(out, ".</p>\n");
    }
    wb_findings_free(&f);
}

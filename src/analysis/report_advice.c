/* The report's Advice section, right after Findings: for each need the fastest
 * verified strategy and its runner-up with their cost, or that the need was not
 * measured (analysis/advice.h, the same advice `writebench advise` prints), and,
 * when the command writing the report has set the code lister, the programs for
 * the run's own tables, folded under each item. The code is made above this layer
 * (src/advise/), hence the hook. */
#include <stdio.h>

#include "analysis/advice.h"
#include "analysis/report.h"
#include "analysis/report_internal.h"

static wb_report_code_fn code_lister;

void wb_report_set_code_lister(wb_report_code_fn fn)
{
    code_lister = fn;
}

void wb_report_advice(report *r)
{
    wb_buf *out = r->out;
    wb_advice_set a = WB_ADVICE_SET_INIT;
    wb_error e = {{0}};
    wb_buf_puts(out, "<h2 id=\"advice\">Advice</h2>\n");
    if (wb_advice_compute(r->runs->results, r->runs->nresults, &a, &e) != 0) {
        wb_buf_puts(out, "<p class=\"note\">No advice: ");
        esc(out, e.msg);
        wb_buf_puts(out, "</p>\n");
        return;
    }
    wb_buf_puts(out, "<p class=\"note\">For each need, the fastest strategy whose every test verified and its "
                     "runner-up, within one comparable set (the same workload, backend, pass, rows, threads and "
                     "settings; the largest rows measured), with rows/s (the 95% interval of the repeats when "
                     "there are some), client peak memory and the server work measured. The code under each is "
                     "a writebench external strategy for these tables (<code>writebench advise --code DIR</code> "
                     "writes the files). The rule is in docs/ANALYSIS.md (\"advice\").</p>\n");
    static const char *const titles[] = {"need", "set", "use", "runner-up", NULL};
    wb_buf_puts(out, "<table class=\"advice\">");
    header_row(out, titles);
    wb_buf_puts(out, "\n");
    wb_buf text = WB_BUF_INIT, code = WB_BUF_INIT;
    for (int i = 0; i < a.n; i++) {
        const wb_advice *x = &a.items[i];
        wb_buf_puts(out, "<tr>");
        cell_text(out, wb_need_title(x->need));
        wb_buf_reset(&text);
        wb_advice_set_title(x, &text);
        cell_text(out, wb_buf_str(&text));
        wb_buf_reset(&text);
        if (x->has_best) {
            wb_advice_pick_text(&x->best, &text);
            cell_text(out, wb_buf_str(&text));
            wb_buf_reset(&text);
            if (x->has_runner_up)
                wb_advice_pick_text(&x->runner_up, &text);
            else
                wb_buf_puts(&text, "none: the only verified strategy here");
            if (x->left_out)
                wb_buf_printf(&text, " (left out: %d with a failed test)", x->left_out);
            cell_text(out, wb_buf_str(&text));
        } else {
            wb_buf_printf(&text, "not measured: %s", x->why);
            wb_buf_puts(out, "<td colspan=\"2\">");
            esc(out, wb_buf_str(&text));
            wb_buf_puts(out, "</td>");
        }
        wb_buf_puts(out, "</tr>\n");
        wb_buf_reset(&code);
        if (x->has_best && code_lister)
            code_lister(r->runs, &a, i, &code);
        if (code.len) {
            wb_buf_puts(out, "<tr><td colspan=\"4\">");
            wb_buf_append(out, code.data, code.len);
            wb_buf_puts(out, "</td></tr>\n");
        }
    }
    wb_buf_puts(out, "</table>\n");
    wb_buf_free(&text);
    wb_buf_free(&code);
    wb_advice_free(&a);
}

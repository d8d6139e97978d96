/* The code of the advice (see advise_code.h): finding each item's workload from
 * its run's run.conf, making every language's program, writing the files, and
 * the text that names them. */
#include "advise/advise_code.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "util/fs.h"
#include "analysis/svg.h" /* wb_xml_escape */
#include "util/self.h"

#define WB_ADVISE_NAME_MAX 63 /* an external strategy's name (docs/EXTERNAL.md) */

/* The workload item x was measured on: the file its run recorded (run.conf's
 * workload_file), checked against the recorded sha256; a run from before workload
 * files (no workload_file) ran the shipped workload of its name. NULL with why. */
static const wb_workload *item_workload(const wb_run_set *runs, const wb_advice *x, char *path, size_t path_size,
                                        char *why, size_t why_size)
{
    for (int r = 0; r < runs->nruns; r++) {
        const wb_run_info *run = &runs->runs[r];
        const char *name = wb_run_conf_get(run, "workload"), *sha = wb_run_conf_get(run, "workload_sha256");
        const char *file = wb_run_conf_get(run, "workload_file");
        char label[64];
        if (!name)
            continue;
        wb_workload_label(name, sha, label, sizeof label);
        if (strcmp(label, x->workload) != 0)
            continue;
        const wb_workload *w = NULL;
        wb_error e = {{0}};
        if (wb_workload_open(file && *file ? file : name, &w, &e) != 0 &&
            (!file || wb_workload_open(name, &w, &e) != 0 || !sha || strcmp(w->sha256, sha) != 0)) {
            snprintf(why, why_size, "no code: the workload of run %s cannot be read again: %s", run->run_id, e.msg);
            return NULL;
        }
        if (sha && *sha && strcmp(w->sha256, sha) != 0) {
            snprintf(why, why_size, "no code: workload file %s changed since run %s (sha256 %.16s... then, "
                     "%.16s... now): the code would not be for the tables measured", w->path, run->run_id, sha,
                     w->sha256);
            return NULL;
        }
        char *abs = realpath(w->path, NULL);
        snprintf(path, path_size, "%s", abs ? abs : w->path);
        free(abs);
        return w;
    }
    snprintf(why, why_size, "no code: no run read names workload %s", x->workload);
    return NULL;
}

static wb_advise_program *new_program(wb_advise_code *c)
{
    if (c->n == c->cap) {
        c->cap = c->cap ? 2 * c->cap : 8;
        c->programs = wb_xrealloc(c->programs, (size_t)c->cap * sizeof *c->programs);
    }
    wb_advise_program *p = &c->programs[c->n++];
    memset(p, 0, sizeof *p);
    return p;
}

/* Whether a program of that file name was made already (sets of other threads or settings). */
static int name_taken(const wb_advise_code *c, const char *name)
{
    for (int i = 0; i < c->n; i++)
        if (strcmp(c->programs[i].name, name) == 0)
            return 1;
    return 0;
}

static int write_program(wb_advise_program *p, const char *dir, char *why, size_t why_size)
{
    wb_error e = {{0}};
    snprintf(p->path, sizeof p->path, "%s/%s", dir, p->name);
    if (wb_fs_write_file_atomic(p->path, p->code.data, p->code.len, &e) != 0 ||
        chmod(p->path, p->language->compiled ? 0644 : 0755) != 0) {
        snprintf(why, why_size, "cannot write %.3000s: %.1500s", p->path, e.msg[0] ? e.msg : "chmod failed");
        p->path[0] = '\0';
        return -1;
    }
    return 0;
}

int wb_advise_code_make(const wb_run_set *runs, const wb_advice_set *a, const char *dir, wb_advise_code *out)
{
    wb_advise_code empty = WB_ADVISE_CODE_INIT;
    *out = empty;
    out->nitems = a->n;
    out->why = wb_xcalloc((size_t)a->n + 1, sizeof *out->why);
    int failed = 0;
    for (int i = 0; i < a->n; i++) {
        const wb_advice *x = &a->items[i];
        if (!x->has_best)
            continue;
        const wb_backend *b = wb_code_backend_named(x->backend);
        char path[4096];
        const wb_workload *w = b ? item_workload(runs, x, path, sizeof path, out->why[i], sizeof out->why[i]) : NULL;
        if (!b)
            snprintf(out->why[i], sizeof out->why[i], "no code: writebench has no backend called %s", x->backend);
        if (!w) {
            failed++;
            continue;
        }
        snprintf(out->workload_file, sizeof out->workload_file, "%s", path);
        for (int l = 0; l < wb_code_nlanguages; l++) {
            const wb_code_language *lang = &wb_code_languages[l];
            if (!wb_code_language_serves(lang, b))
                continue;
            wb_code_spec s = {.workload = w, .backend = b, .workload_file = path, .writebench = wb_self_path(),
                              .strategy = x->best.strategy, .need_title = wb_need_title(x->need),
                              .batch = x->best.batch, .commit_per_batch = x->need != WB_NEED_BULK_LOAD};
            if (x->best.external || wb_code_plan(lang, x->best.strategy, &s) != 0) {
                snprintf(out->why[i], sizeof out->why[i], "no code: %s is %s", x->best.strategy,
                         x->best.external ? "an external program: its own file is its code"
                                          : "not a strategy the code generator knows");
                break;
            }
            /* <workload>-<need>[<B>]-<language>[-<backend>]: a strategy name (at most 63 characters),
             * the backend named when the language reaches several */
            char tail[96], name[200];
            char batch[32] = "";
            if (x->batch >= 0)
                snprintf(batch, sizeof batch, "%lld", (long long)x->batch);
            snprintf(tail, sizeof tail, "-%s%s-%s%s%s", wb_need_short_id(x->need), batch, lang->id,
                     strchr(lang->backends, ',') ? "-" : "", strchr(lang->backends, ',') ? b->name : "");
            snprintf(name, sizeof name, "%.*s%s", (int)(WB_ADVISE_NAME_MAX - strlen(tail)), w->name, tail);
            char file[220];
            snprintf(file, sizeof file, "%s%s", name, lang->ext);
            if (name_taken(out, file))
                continue;
            wb_advise_program *p = new_program(out);
            p->item = i;
            p->language = lang;
            snprintf(p->name, sizeof p->name, "%s", file);
            snprintf(p->strategy_name, sizeof p->strategy_name, "%s", name);
            snprintf(p->note, sizeof p->note, "%s", s.note);
            lang->write(&s, &p->code);
            if (dir && write_program(p, dir, out->why[i], sizeof out->why[i]) != 0)
                failed++;
        }
    }
    return failed;
}

void wb_advise_code_free(wb_advise_code *c)
{
    for (int i = 0; i < c->n; i++)
        wb_buf_free(&c->programs[i].code);
    free(c->programs);
    free(c->why);
    wb_advise_code empty = WB_ADVISE_CODE_INIT;
    *c = empty;
}

/* How to build (C) and measure one program: the --external words. */
static void run_words(const wb_advise_program *p, wb_buf *cmd, wb_buf *build)
{
    wb_buf path = WB_BUF_INIT;
    wb_shell_word(p->path[0] ? p->path : p->name, &path);
    if (p->language->compiled) {
        wb_buf bin = WB_BUF_INIT;
        wb_buf_printf(&bin, "%.*s", (int)(strlen(wb_buf_str(&path)) - 2), wb_buf_str(&path));
        wb_buf_printf(build, "    cc -std=c11 -O2 -o %s %s $(pkg-config --cflags --libs %s)\n", wb_buf_str(&bin),
                      wb_buf_str(&path), p->language->pkg_config);
        wb_buf_printf(cmd, " \\\n        --external-params %s=batch", p->strategy_name);
        wb_buf_printf(cmd, " \\\n        --external %s=%s", p->strategy_name, wb_buf_str(&bin));
        wb_buf_free(&bin);
    } else {
        wb_buf_printf(cmd, " \\\n        --external %s=%s", p->strategy_name, wb_buf_str(&path));
    }
    wb_buf_free(&path);
}

void wb_advise_text(const wb_advice_set *a, const wb_advise_code *c, wb_buf *out)
{
    if (!a->n)
        wb_buf_puts(out, "No advice: the runs hold no test.\n");
    for (int i = 0; i < a->n; i++) {
        const wb_advice *x = &a->items[i];
        wb_buf_puts(out, i ? "\n" : "");
        wb_advice_item_text(x, out);
        if (c->why && c->why[i][0])
            wb_buf_printf(out, "  %s\n", c->why[i]);
        wb_buf build = WB_BUF_INIT, params = WB_BUF_INIT, externals = WB_BUF_INIT;
        int nprograms = 0;
        for (int k = 0; k < c->n; k++) {
            const wb_advise_program *p = &c->programs[k];
            if (p->item != i)
                continue;
            nprograms++;
            wb_buf_printf(out, "  code (%s): %s%s%s\n", p->language->title, p->path[0] ? p->path : p->name,
                          p->note[0] ? "\n    note: " : "", p->note);
            run_words(p, &externals, &build);
        }
        if (nprograms && c->programs[0].path[0]) {
            wb_buf_puts(out, "  measure them beside the advice (params=batch: they honour --batch, not --threads):\n");
            wb_buf_puts(out, wb_buf_str(&build));
            wb_buf_printf(out, "    writebench run --db URL --workload ");
            wb_shell_word(c->workload_file, out);
            wb_buf_printf(out, " --rows %lld", (long long)x->rows);
            if (x->best.batch >= 0)
                wb_buf_printf(out, " --batch %lld", (long long)x->best.batch);
            wb_buf_printf(out, " --strategies %s%s%s", x->best.external ? "none" : x->best.strategy,
                          x->has_runner_up && !x->runner_up.external ? "," : "",
                          x->has_runner_up && !x->runner_up.external ? x->runner_up.strategy : "");
            wb_buf_printf(out, "%s\n", wb_buf_str(&externals));
        } else if (nprograms) {
            wb_buf_puts(out, "  (writebench advise --code DIR writes them)\n");
        }
        wb_buf_free(&build);
        wb_buf_free(&params);
        wb_buf_free(&externals);
    }
}

void wb_advise_report_code(const wb_run_set *runs, const wb_advice_set *a, int item, wb_buf *html)
{
    wb_advise_code c = WB_ADVISE_CODE_INIT;
    wb_advise_code_make(runs, a, NULL, &c);
    if (c.why[item][0]) {
        wb_buf_puts(html, "<p class=\"note\">");
        wb_xml_escape(html, c.why[item]);
        wb_buf_puts(html, "</p>");
    }
    for (int k = 0; k < c.n; k++) {
        const wb_advise_program *p = &c.programs[k];
        if (p->item != item)
            continue;
        wb_buf_puts(html, "<details class=\"code\"><summary>");
        wb_xml_escape(html, p->language->title);
        wb_buf_puts(html, ": ");
        wb_xml_escape(html, p->name);
        wb_buf_puts(html, "</summary>");
        if (p->note[0]) {
            wb_buf_puts(html, "<p class=\"note\">Note: ");
            wb_xml_escape(html, p->note);
            wb_buf_puts(html, ".</p>");
        }
        wb_buf_puts(html, "<pre>");
        wb_xml_escape(html, wb_buf_str(&p->code));
        wb_buf_puts(html, "</pre></details>");
    }
    wb_advise_code_free(&c);
}

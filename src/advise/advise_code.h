/* The code of the advice: for each advised item (analysis/advice.h), the
 * program of every language its backend has (codegen.h), made from the
 * workload the item's run recorded, kept in memory for the report and, with a
 * directory, written there one file per need and language. Also the text
 * `advise` prints: each item, then its programs and how to run them. */
#ifndef WB_ADVISE_ADVISE_CODE_H
#define WB_ADVISE_ADVISE_CODE_H

#include "advise/codegen.h"
#include "analysis/advice.h"
#include "analysis/runs.h"
#include "util/buf.h"

typedef struct wb_advise_program {
    int item;                         /* its advice item */
    const wb_code_language *language;
    char name[256];                   /* the file's name: <workload>-<need>[<B>]-<language>[-<backend>]<ext> */
    char path[4400];                  /* where it was written ("" when kept in memory only) */
    char strategy_name[256];          /* the name to run it as: the file's name without its extension */
    wb_buf code;
    char note[512];                   /* where it differs from the strategy measured */
} wb_advise_program;

typedef struct wb_advise_code {
    wb_advise_program *programs;
    int n, cap;
    char (*why)[5200];                 /* per advice item: why it has no code ("" when it has, or needs none) */
    int nitems;
    char workload_file[4096];         /* of the last item with code (for the run command) */
} wb_advise_code;

#define WB_ADVISE_CODE_INIT {NULL, 0, 0, NULL, 0, ""}

/* Make the programs of every advised item of a (dir NULL: in memory only; else
 * also written there, each file replaced atomically, executable). Returns how
 * many items that should have code have none (their why says why: the workload
 * file is gone or changed since the run, a file could not be written). */
int wb_advise_code_make(const wb_run_set *runs, const wb_advice_set *a, const char *dir, wb_advise_code *out);
void wb_advise_code_free(wb_advise_code *c);

/* The advice as text, each item followed by its programs and how to run them. */
void wb_advise_text(const wb_advice_set *a, const wb_advise_code *c, wb_buf *out);

/* The report's code lister (analysis/report.h, wb_report_code_fn): item's
 * programs as escaped HTML, one <details> each. */
void wb_advise_report_code(const wb_run_set *runs, const wb_advice_set *a, int item, wb_buf *html);

#endif

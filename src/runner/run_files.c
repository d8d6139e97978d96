/* STUB: the run's files (to be implemented). */
#include "runner/run_files.h"

const char *const wb_results_csv_columns[] = {NULL};
void wb_run_id_make(char *out, size_t n) { if (n) out[0] = 0; }
int wb_results_dir_check(const char *d, wb_error *e) { (void)d; return wb_fail(e, "stub"); }
int wb_run_files_open(const char *d, const char *id, wb_run_files **out, wb_error *e) { (void)d, (void)id, (void)out; return wb_fail(e, "stub"); }
const char *wb_run_files_dir(const wb_run_files *f) { (void)f; return ""; }
int wb_run_files_write_conf(wb_run_files *f, const char *text, wb_error *e) { (void)f, (void)text; return wb_fail(e, "stub"); }
int wb_run_files_write_code_diff(wb_run_files *f, wb_error *e) { (void)f; return wb_fail(e, "stub"); }
void wb_run_files_log(wb_run_files *f, const char *fmt, ...) { (void)f, (void)fmt; }
int wb_run_files_add(wb_run_files *f, const wb_result *r, wb_error *e) { (void)f, (void)r; return wb_fail(e, "stub"); }
void wb_run_files_close(wb_run_files *f) { (void)f; }

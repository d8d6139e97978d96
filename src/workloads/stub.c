/* STUB: workloads, schema and verification (to be implemented; delete this file). */
#include "runner/verify.h"
#include "workloads/schema.h"

const wb_workload *const wb_workloads[] = {NULL};
const wb_workload *wb_workload_find(const char *name) { (void)name; return NULL; }
void wb_row_make(const wb_table *t, int64_t key, int version, wb_row *out) { (void)t, (void)key, (void)version, (void)out; }
void wb_row_copy(wb_row *dst, const wb_row *src) { (void)dst, (void)src; }
void wb_column_sql(const wb_table *t, int col, int version, const char *key_sql, const wb_dialect *d, wb_buf *out) { (void)t, (void)col, (void)version, (void)key_sql, (void)d, (void)out; }
int wb_table_column_index(const wb_table *t, const char *name) { (void)t, (void)name; return -1; }
int wb_schema_reset(const wb_backend *b, wb_conn *c, const wb_workload *w, wb_error *e) { (void)b, (void)c, (void)w; return wb_fail(e, "stub"); }
int wb_schema_setup(const wb_backend *b, wb_conn *c, const wb_workload *w, wb_error *e) { (void)b, (void)c, (void)w; return wb_fail(e, "stub"); }
int wb_schema_drop(const wb_backend *b, wb_conn *c, const wb_workload *w, wb_error *e) { (void)b, (void)c, (void)w; return wb_fail(e, "stub"); }
int wb_schema_drop_indexes(const wb_backend *b, wb_conn *c, const wb_table *t, wb_error *e) { (void)b, (void)c, (void)t; return wb_fail(e, "stub"); }
int wb_schema_create_indexes(const wb_backend *b, wb_conn *c, const wb_table *t, wb_error *e) { (void)b, (void)c, (void)t; return wb_fail(e, "stub"); }
int64_t wb_schema_count(const wb_backend *b, wb_conn *c, const wb_table *t, wb_error *e) { (void)b, (void)c, (void)t; return wb_fail(e, "stub"); }
int wb_schema_generate(const wb_backend *b, wb_conn *c, const wb_workload *w, int64_t rows, int version, wb_error *e) { (void)b, (void)c, (void)w, (void)rows, (void)version; return wb_fail(e, "stub"); }
int wb_verify(const wb_backend *b, wb_conn *c, const wb_workload *w, int64_t rows, int version, wb_verify_mode mode, wb_verify_result *out, wb_error *e) { (void)b, (void)c, (void)w, (void)rows, (void)version, (void)mode, (void)out; return wb_fail(e, "stub"); }
int wb_schema_regenerate(const wb_backend *b, wb_conn *c, const wb_workload *w, int64_t rows, int version, wb_error *e) { (void)b, (void)c, (void)w, (void)rows, (void)version; return wb_fail(e, "stub"); }

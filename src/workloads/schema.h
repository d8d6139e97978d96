/* The workload's tables in a database: create, drop, indexes, counts.
 * All names go through the backend's table_name(), so everything stays inside
 * writebench's namespace. */
#ifndef WB_WORKLOADS_SCHEMA_H
#define WB_WORKLOADS_SCHEMA_H

#include "backends/backend.h"
#include "workloads/workload.h"

/* Drop (children first) and create (parents first) every table of the workload
 * with its indexes and constraints: the empty state every test starts from. */
int wb_schema_reset(const wb_backend *b, wb_conn *c, const wb_workload *w, wb_error *e);
/* Create the workload's tables if they do not exist yet. */
int wb_schema_setup(const wb_backend *b, wb_conn *c, const wb_workload *w, wb_error *e);
/* Drop every table of the workload (children first); absent tables are fine. */
int wb_schema_drop(const wb_backend *b, wb_conn *c, const wb_workload *w, wb_error *e);
/* Drop the secondary indexes of table t (load-then-index). */
int wb_schema_drop_indexes(const wb_backend *b, wb_conn *c, const wb_table *t, wb_error *e);
/* Create the secondary indexes of table t. */
int wb_schema_create_indexes(const wb_backend *b, wb_conn *c, const wb_table *t, wb_error *e);
/* Append the CREATE TABLE and CREATE INDEX statements of w for the backend of that
 * kind, tables named in `schema` where its table names are qualified (as `workload
 * show` prints them; what reset runs, without a connection). */
void wb_schema_create_text(wb_backend_kind kind, const char *schema, const wb_workload *w, wb_buf *out);
/* 0 when b's dialect declares every column type of w; -1 with e naming the first
 * column whose type it has no declaration of (a type it does not support yet). */
int wb_schema_supported(const wb_backend *b, const wb_workload *w, wb_error *e);
/* Append how column col of t is declared in dialect d: its type in the dialect's
 * words ("VARCHAR(30)", "numeric(10,2)"), narrowed where the dialect cannot index
 * the type whole. */
void wb_column_declare(const wb_table *t, int col, const wb_dialect *d, wb_buf *out);
/* Rows in table t (count(*)), or -1 with e set. */
int64_t wb_schema_count(const wb_backend *b, wb_conn *c, const wb_table *t, wb_error *e);
/* Write rows key 1..rows of version `version` into every table with SQL alone
 * (the server-generate reference, also used to prepare update-only passes). */
int wb_schema_generate(const wb_backend *b, wb_conn *c, const wb_workload *w, int64_t rows, int version, wb_error *e);
/* Rewrite every updated column of keys 1..rows to the values of `version` with
 * one UPDATE per table and SQL alone (the server-generate update pass). */
int wb_schema_regenerate(const wb_backend *b, wb_conn *c, const wb_workload *w, int64_t rows, int version, wb_error *e);

#endif

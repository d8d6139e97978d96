/* `writebench workload init`: a workload file (docs/WORKLOADS.md, "The format")
 * written from CREATE TABLE statements or from a description of live tables
 * (backends/describe.h), with a generator for every column inferred from its
 * type, its name, its constraints and, from a live PostgreSQL table, its
 * statistics (docs/WORKLOADS.md, "workload init"). */
#ifndef WB_WORKLOADS_INIT_H
#define WB_WORKLOADS_INIT_H

#include "backends/describe.h"
#include "util/buf.h"
#include "util/error.h"

typedef struct wb_init_options {
    const char *name;              /* the workload's name; NULL: from the file's or first table's name */
    const char *const *tables;     /* --table: only these ("schema.table" or "table"); none: every table */
    int ntables;
    const char *label;             /* the file errors name with their line and column; NULL for a database */
} wb_init_options;

/* Write the workload file for the CREATE TABLE statements of the SQL file at path
 * into yaml. An error (a syntax error, a table without an integer key, foreign
 * keys in a cycle) is one line in e, "FILE:LINE:COLUMN: message" where the
 * statement at fault is. */
int wb_init_from_ddl(const char *path, const wb_init_options *o, wb_buf *yaml, wb_error *e);

/* Write the workload file for the tables d describes, in d's order (parents are
 * moved before their children). d's memory also holds what init reads from it. */
int wb_init_from_desc(wb_schema_desc *d, const wb_init_options *o, wb_buf *yaml, wb_error *e);

#endif

/* Reading CREATE TABLE statements (`writebench workload init --ddl FILE`) with
 * PostgreSQL's own parser into a neutral description of the tables
 * (backends/describe.h), which init.c turns into a workload file. */
#ifndef WB_WORKLOADS_DDL_H
#define WB_WORKLOADS_DDL_H

#include "backends/describe.h"
#include "util/error.h"

/* Read the SQL file at path: CREATE TABLE (columns, types, NOT NULL, DEFAULT,
 * identity and serial columns, PRIMARY KEY, UNIQUE, FOREIGN KEY, CHECK), CREATE
 * [UNIQUE] INDEX, ALTER TABLE ... ADD CONSTRAINT / ALTER COLUMN ... SET DEFAULT /
 * SET NOT NULL / ADD GENERATED ... AS IDENTITY / ADD COLUMN, CREATE TYPE ... AS
 * ENUM; other statements are left out and counted in out's notes. A syntax error
 * or a statement that cannot be followed is one line in e, "FILE:LINE:COLUMN:
 * message" (FILE as given, the column in characters). out->source is the file's
 * name without its directories. */
int wb_ddl_read_file(const char *path, wb_schema_desc *out, wb_error *e);

/* The same for SQL text (NUL-terminated); label names it in errors. */
int wb_ddl_read_text(const char *label, const char *text, wb_schema_desc *out, wb_error *e);

#endif

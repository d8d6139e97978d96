/* What the two C writers (code_c_libpq.c, code_c_sqlite.c) share: the program's
 * start (header, includes, settings, the tables with each column's kind and
 * cast, the protocol's checks, reading rows from `writebench workload rows`
 * through a pipe, no shell) and its end (write_table's batch loop, the passes,
 * the timed region). Between them each writer defines its driver's part:
 * typedef ... DB; DB *db_open(void); void db_exec(DB *, const char *sql);
 * void write_rows(DB *, const struct table *, struct batch *, int nrows);
 * void db_close(DB *). */
#ifndef WB_ADVISE_CODE_C_H
#define WB_ADVISE_CODE_C_H

#include "advise/codegen.h"

/* The program's start, with `include` (the driver's #include line). */
void wb_code_c_start(const wb_code_spec *s, const char *include, wb_buf *out);
/* The program's end. */
void wb_code_c_end(const wb_code_spec *s, wb_buf *out);

#endif

/* What the two Python writers (code_psycopg.c, code_sqlalchemy.c) share: the
 * program's start (header, settings, the protocol's checks, reading rows from
 * `writebench workload rows`, batching) and its end (the passes, the timed
 * region); each writer adds its connection and its write_table(). */
#ifndef WB_ADVISE_CODE_PYTHON_H
#define WB_ADVISE_CODE_PYTHON_H

#include "advise/codegen.h"

/* The program up to its driver's part: imports (plus `imports`), the settings,
 * TABLES (name, value kinds, statement head, one row of parameters written with
 * placeholder `param`, tail, COPY statement), read_rows() and chunks(). */
void wb_code_python_start(const wb_code_spec *s, const char *imports, const char *param,
                          wb_buf *out);
/* write_table() for a DB-API driver with cursors (psycopg 3, PyMySQL): executemany
 * for one row a statement, one statement of B rows for the multi-row shapes, and for
 * COPY the lines copy_write gives (NULL for a driver that has no COPY); a commit per
 * batch or per table. */
void wb_code_python_cursor_write_table(const wb_code_spec *s, const char *copy_write, wb_buf *out);

/* The program's end: main() runs write_table(conn, table) for every table inside
 * the timed region, after `connect` (an expression giving the connection). */
void wb_code_python_end(const wb_code_spec *s, const char *connect, wb_buf *out);

#endif

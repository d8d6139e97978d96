/* The Python program with psycopg 3 (PostgreSQL): executemany for one row a
 * statement (psycopg pipelines it), one statement of B rows for the multi-row
 * shapes, cursor.copy() and write_row() for COPY. Parameters are %s: psycopg
 * binds them on the server, never formatted into the SQL. */
#include <stdio.h>

#include "advise/code_python.h"

void wb_code_write_psycopg(const wb_code_spec *s, wb_buf *out)
{
    wb_code_python_start(s, "\ntry:\n    import psycopg\nexcept ImportError:\n"
                         "    print(\"needs the Python package psycopg (Debian: python3-psycopg)\", file=sys.stderr)\n"
                         "    sys.exit(77)\n", "%s", out);
    wb_code_python_cursor_write_table(s,
                                      "            with cur.copy(table.copy) as copy:\n"
                                      "                for row in chunk:\n"
                                      "                    copy.write_row(row)\n",
                                      out);
    /* The URL is libpq's; PGOPTIONS (set by writebench) puts its schema on the search_path. */
    wb_code_python_end(s, "psycopg.connect(env(\"DATABASE_URL\"))", out);
}

/* The Python program with psycopg 3 (PostgreSQL): executemany for one row a
 * statement (psycopg pipelines it), one statement of B rows for the multi-row
 * shapes, cursor.copy() and write_row() for COPY. Parameters are %s: psycopg
 * binds them on the server, never formatted into the SQL. */
#include <stdio.h>

#include "advise/code_python.h"

/* The body of write_table for each shape: the rows of one chunk are `chunk`. */
static const char *const writes[WB_SHAPE_COUNT] = {
    [WB_SHAPE_ROW] = "            cur.executemany(multirow_sql(table, 1), chunk)\n",
    [WB_SHAPE_UPSERT_ROW] = "            cur.executemany(multirow_sql(table, 1), chunk)\n",
    [WB_SHAPE_MULTIROW] = "            cur.execute(multirow_sql(table, len(chunk)), [v for row in chunk for v in row])\n",
    [WB_SHAPE_UPSERT_MULTIROW] =
        "            cur.execute(multirow_sql(table, len(chunk)), [v for row in chunk for v in row])\n",
    [WB_SHAPE_UPDATE_MULTIROW] =
        "            cur.execute(multirow_sql(table, len(chunk)), [v for row in chunk for v in row])\n",
    [WB_SHAPE_COPY] = "            with cur.copy(table.copy) as copy:\n"
                      "                for row in chunk:\n"
                      "                    copy.write_row(row)\n",
};

/* Rows per chunk: a statement's when a statement holds the chunk, else a batch (a commit's). */
static const char *const sizes[WB_SHAPE_COUNT] = {
    [WB_SHAPE_ROW] = "BATCH",
    [WB_SHAPE_UPSERT_ROW] = "BATCH",
    [WB_SHAPE_COPY] = "BATCH",
    [WB_SHAPE_MULTIROW] = "rows_per_statement(table)",
    [WB_SHAPE_UPSERT_MULTIROW] = "rows_per_statement(table)",
    [WB_SHAPE_UPDATE_MULTIROW] = "rows_per_statement(table)",
};

void wb_code_write_psycopg(const wb_code_spec *s, wb_buf *out)
{
    wb_code_python_start(s, "\ntry:\n    import psycopg\nexcept ImportError:\n"
                         "    print(\"needs the Python package psycopg (Debian: python3-psycopg)\", file=sys.stderr)\n"
                         "    sys.exit(77)\n", "%s", out);
    wb_buf_printf(out,
                  "def write_table(conn, table):\n"
                  "    \"\"\"Keys 1..ROWS of table in VERSION: %s.\"\"\"\n"
                  "    size = %s\n"
                  "    with conn.cursor() as cur:\n"
                  "        for chunk in chunks(read_rows(table, 1, ROWS, VERSION), size):\n"
                  "%s"
                  "            if COMMIT_PER_BATCH:\n"
                  "                conn.commit()\n"
                  "    conn.commit()\n",
                  wb_code_shape_text(s->shape), sizes[s->shape],
                  writes[s->shape]);
    /* The URL is libpq's; PGOPTIONS (set by writebench) puts its schema on the search_path. */
    wb_code_python_end(s, "psycopg.connect(env(\"DATABASE_URL\"))", out);
}

/* The C program with libpq (PostgreSQL): every value sent as text with an
 * unknown type (the server reads it as its column's type, bytea from its hex
 * text), one statement of one row or a batch through PQexecParams, or COPY FROM
 * STDIN fed the lines of `workload rows` as they are (they are COPY text format). */
#include "advise/code_c.h"

void wb_code_write_c_libpq(const wb_code_spec *s, wb_buf *out)
{
    wb_code_c_start(s, "#include <libpq-fe.h>", out);
    wb_buf_puts(
        out,
        "typedef PGconn DB;\n\n"
        "/* writebench's database: its URL; PGOPTIONS (set by writebench) puts its schema on the search_path. */\n"
        "static DB *db_open(void)\n{\n"
        "    PGconn *db = PQconnectdb(env(\"DATABASE_URL\"));\n"
        "    if (PQstatus(db) != CONNECTION_OK)\n        die(\"connect\", PQerrorMessage(db));\n"
        "    return db;\n}\n\n"
        "static void check(DB *db, PGresult *res, ExecStatusType want, const char *what)\n{\n"
        "    if (PQresultStatus(res) != want)\n        die(what, PQerrorMessage(db));\n    PQclear(res);\n}\n\n"
        "static void db_exec(DB *db, const char *sql)\n{\n    check(db, PQexec(db, sql), PGRES_COMMAND_OK, sql);\n}\n\n"
        "static void db_close(DB *db)\n{\n    PQfinish(db);\n}\n\n"
        "/* n rows of b: one COPY, or one statement of n rows (the values as text, their types the columns'). */\n"
        "static void write_rows(DB *db, const struct table *t, struct batch *b, int n)\n{\n"
        "    if (USE_COPY) {\n"
        "        check(db, PQexec(db, t->copy), PGRES_COPY_IN, t->copy);\n"
        "        for (int i = 0; i < n; i++)\n"
        "            if (PQputCopyData(db, b->lines[i], (int)b->line_lens[i]) != 1)\n"
        "                die(\"COPY\", PQerrorMessage(db));\n"
        "        if (PQputCopyEnd(db, NULL) != 1)\n            die(\"COPY\", PQerrorMessage(db));\n"
        "        check(db, PQgetResult(db), PGRES_COMMAND_OK, t->copy);\n"
        "        return;\n    }\n"
        "    char *sql = multirow_sql(t, n, 1);\n"
        "    PGresult *res = PQexecParams(db, sql, n * t->ncolumns, NULL, (const char *const *)b->values, NULL, NULL, 0);\n"
        "    check(db, res, PGRES_COMMAND_OK, t->name);\n"
        "    free(sql);\n}\n\n");
    wb_code_c_end(s, out);
}

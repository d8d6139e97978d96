/* The C program with SQLite's C API: the database file writebench names, its
 * PRAGMAs on the connection, one prepared statement of one row or a batch
 * (prepared once per size), each value bound as writebench binds it: integers,
 * doubles, booleans as 0/1, bytes as a blob, the rest as text. */
#include "advise/code_c.h"

void wb_code_write_c_sqlite(const wb_code_spec *s, wb_buf *out)
{
    wb_code_c_start(s, "#include <sqlite3.h>", out);
    wb_buf_puts(
        out,
        "typedef sqlite3 DB;\n\n"
        "static void db_exec(DB *db, const char *sql)\n{\n"
        "    if (sqlite3_exec(db, sql, NULL, NULL, NULL) != SQLITE_OK)\n        die(sql, sqlite3_errmsg(db));\n}\n\n"
        "/* writebench's database file, with the PRAGMAs writebench's connections apply (names and\n"
        " * values are letters, digits, _ . - only: docs/EXTERNAL.md). */\n"
        "static DB *db_open(void)\n{\n"
        "    sqlite3 *db = NULL;\n"
        "    if (sqlite3_open_v2(env(\"SQLITE_PATH\"), &db, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK)\n"
        "        die(\"open\", db ? sqlite3_errmsg(db) : \"out of memory\");\n"
        "    sqlite3_busy_timeout(db, atoi(env(\"TIMEOUT_S\")) * 1000);\n"
        "    const char *pragmas = getenv(\"WRITEBENCH_SQLITE_PRAGMAS\");\n"
        "    char sql[256];\n"
        "    for (const char *p = pragmas ? pragmas : \"foreign_keys=ON\"; *p;) {\n"
        "        size_t len = strcspn(p, \";\");\n"
        "        if (len > 0 && len < 200) {\n"
        "            snprintf(sql, sizeof sql, \"PRAGMA %.*s\", (int)len, p);\n            db_exec(db, sql);\n        }\n"
        "        p += len + (p[len] == ';');\n    }\n"
        "    return db;\n}\n\n"
        "static void db_close(DB *db)\n{\n    sqlite3_close(db);\n}\n\n"
        "/* The prepared statement for n rows, kept for the next batch of the same size. */\n"
        "static sqlite3_stmt *statement(DB *db, const struct table *t, int n)\n{\n"
        "    static const struct table *for_table;\n    static int for_n;\n    static sqlite3_stmt *st;\n"
        "    if (st && for_table == t && for_n == n)\n        return st;\n"
        "    sqlite3_finalize(st);\n"
        "    char *sql = multirow_sql(t, n, 0);\n"
        "    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)\n        die(sql, sqlite3_errmsg(db));\n"
        "    free(sql);\n    for_table = t;\n    for_n = n;\n    return st;\n}\n\n"
        "static int hex(char c)\n{\n    return c <= '9' ? c - '0' : (c | 32) - 'a' + 10;\n}\n\n"
        "/* n rows of b in one statement. */\n"
        "static void write_rows(DB *db, const struct table *t, struct batch *b, int n)\n{\n"
        "    sqlite3_stmt *st = statement(db, t, n);\n"
        "    for (int i = 0; i < n * t->ncolumns; i++) {\n"
        "        char *v = b->values[i];\n        int rc;\n"
        "        if (!v) {\n            rc = sqlite3_bind_null(st, i + 1);\n            continue;\n        }\n"
        "        switch (t->kinds[i % t->ncolumns]) {\n"
        "        case K_INT: rc = sqlite3_bind_int64(st, i + 1, strtoll(v, NULL, 10)); break;\n"
        "        case K_FLOAT: rc = sqlite3_bind_double(st, i + 1, strtod(v, NULL)); break;\n"
        "        case K_BOOL: rc = sqlite3_bind_int(st, i + 1, strcmp(v, \"true\") == 0); break;\n"
        "        case K_BYTES: { /* \\x and hex digits: decoded in place */\n"
        "            int len = (b->lens[i] - 2) / 2;\n"
        "            for (int k = 0; k < len; k++)\n                v[k] = (char)(hex(v[2 + 2 * k]) * 16 + hex(v[3 + 2 * k]));\n"
        "            rc = sqlite3_bind_blob(st, i + 1, v, len, SQLITE_STATIC);\n            break;\n        }\n"
        "        default: rc = sqlite3_bind_text(st, i + 1, v, b->lens[i], SQLITE_STATIC); break;\n        }\n"
        "        if (rc != SQLITE_OK)\n            die(\"bind\", sqlite3_errmsg(db));\n    }\n"
        "    if (sqlite3_step(st) != SQLITE_DONE)\n        die(t->name, sqlite3_errmsg(db));\n"
        "    sqlite3_reset(st);\n    sqlite3_clear_bindings(st);\n}\n\n");
    wb_code_c_end(s, out);
}

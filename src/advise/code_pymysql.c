/* The Python program with PyMySQL (MariaDB, MySQL): executemany for one row a
 * statement (PyMySQL itself rewrites an INSERT's executemany into multi-row
 * statements), one statement of B rows for the multi-row shapes, INSERT ... ON
 * DUPLICATE KEY UPDATE for the upserts. Parameters are %s, escaped by the driver.
 * The connection sets ANSI_QUOTES, as writebench's own do: the statements quote
 * names with double quotes. MariaDB has no COPY and no UPDATE ... FROM: those
 * shapes fall back (codegen.c's nearest[]). */
#include <stdio.h>

#include "advise/code_python.h"

void wb_code_write_pymysql(const wb_code_spec *s, wb_buf *out)
{
    wb_code_python_start(s, "\ntry:\n    import pymysql\nexcept ImportError:\n"
                         "    print(\"needs the Python package pymysql (Debian: python3-pymysql)\", file=sys.stderr)\n"
                         "    sys.exit(77)\n", "%s", out);
    wb_buf_puts(out,
                "def connect():\n"
                "    \"\"\"A PyMySQL connection to writebench's database, from the WRITEBENCH_MARIADB_*\n"
                "    variables (docs/EXTERNAL.md); utf8mb4 holds every value; ANSI_QUOTES for the\n"
                "    double-quoted names of the statements.\"\"\"\n"
                "    get = os.environ.get\n"
                "    args = {\"user\": get(\"WRITEBENCH_MARIADB_USER\") or None,\n"
                "            \"password\": get(\"WRITEBENCH_MARIADB_PASSWORD\") or \"\",\n"
                "            \"database\": env(\"MARIADB_DATABASE\"), \"charset\": \"utf8mb4\",\n"
                "            \"init_command\": \"SET SESSION sql_mode = CONCAT(@@SESSION.sql_mode, ',ANSI_QUOTES')\"}\n"
                "    if get(\"WRITEBENCH_MARIADB_SOCKET\"):\n"
                "        args[\"unix_socket\"] = get(\"WRITEBENCH_MARIADB_SOCKET\")\n"
                "    else:\n"
                "        args[\"host\"] = get(\"WRITEBENCH_MARIADB_HOST\") or \"localhost\"\n"
                "        args[\"port\"] = int(get(\"WRITEBENCH_MARIADB_PORT\") or 3306)\n"
                "    if get(\"WRITEBENCH_MARIADB_OPTION_FILE\"):\n"
                "        args[\"read_default_file\"] = get(\"WRITEBENCH_MARIADB_OPTION_FILE\")\n"
                "    return pymysql.connect(**args)\n\n\n");
    wb_code_python_cursor_write_table(s, NULL, out); /* no COPY: codegen falls back before this */
    wb_code_python_end(s, "connect()", out);
}

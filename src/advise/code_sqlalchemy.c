/* The Python program with SQLAlchemy Core (1.4, 2.0 style): each table as a
 * Table of untyped columns (values go to the driver as read: writebench made the
 * tables), insert() with a list of dicts (an executemany) for one row a
 * statement, insert().values(list) for B rows a statement, and the dialect's
 * insert().on_conflict_do_update() for the upserts. PostgreSQL goes through
 * psycopg2, the only PostgreSQL driver SQLAlchemy 1.4 knows; SQLite through
 * pysqlite with writebench's PRAGMAs on every connection; MariaDB through PyMySQL
 * (mysql+pymysql), whose upsert is insert().on_duplicate_key_update(). */
#include <stdio.h>

#include "advise/code_python.h"

/* The statement and how one chunk (a list of dicts, `mappings`) is executed. */
static const char *const writes[WB_SHAPE_COUNT] = {
    [WB_SHAPE_ROW] = "    conn.execute(sqlalchemy.insert(sa_table), mappings)\n",
    [WB_SHAPE_MULTIROW] = "    conn.execute(sqlalchemy.insert(sa_table).values(mappings))\n",
    [WB_SHAPE_UPSERT_ROW] = "    conn.execute(upsert(sa_table), mappings)\n",
    [WB_SHAPE_UPSERT_MULTIROW] = "    conn.execute(upsert(sa_table, mappings))\n",
};

static const char *const sizes[WB_SHAPE_COUNT] = {
    [WB_SHAPE_ROW] = "BATCH",
    [WB_SHAPE_UPSERT_ROW] = "BATCH",
    [WB_SHAPE_MULTIROW] = "rows_per_statement(table)",
    [WB_SHAPE_UPSERT_MULTIROW] = "rows_per_statement(table)",
};

void wb_code_write_sqlalchemy(const wb_code_spec *s, wb_buf *out)
{
    wb_code_python_start(s,
                         "\ntry:\n    import sqlalchemy\n    from sqlalchemy.dialects import mysql, postgresql, sqlite\n"
                         "except ImportError:\n"
                         "    print(\"needs the Python package sqlalchemy (Debian: python3-sqlalchemy)\", "
                         "file=sys.stderr)\n    sys.exit(77)\n",
                         "?", out);
    wb_buf_puts(out,
                "def engine():\n"
                "    \"\"\"A SQLAlchemy engine for writebench's database.\"\"\"\n"
                "    url = env(\"DATABASE_URL\")\n"
                "    if BACKEND == \"mariadb\":\n"
                "        # writebench's database, from the WRITEBENCH_MARIADB_* variables (docs/EXTERNAL.md)\n"
                "        get = os.environ.get\n"
                "        query = {\"charset\": \"utf8mb4\"}\n"
                "        if get(\"WRITEBENCH_MARIADB_SOCKET\"):\n"
                "            query[\"unix_socket\"] = get(\"WRITEBENCH_MARIADB_SOCKET\")\n"
                "        if get(\"WRITEBENCH_MARIADB_OPTION_FILE\"):\n"
                "            query[\"read_default_file\"] = get(\"WRITEBENCH_MARIADB_OPTION_FILE\")\n"
                "        url = sqlalchemy.engine.URL.create(\n"
                "            \"mysql+pymysql\", username=get(\"WRITEBENCH_MARIADB_USER\") or None,\n"
                "            password=get(\"WRITEBENCH_MARIADB_PASSWORD\") or None,\n"
                "            host=None if get(\"WRITEBENCH_MARIADB_SOCKET\") else get(\"WRITEBENCH_MARIADB_HOST\") or \"localhost\",\n"
                "            port=None if get(\"WRITEBENCH_MARIADB_SOCKET\") else int(get(\"WRITEBENCH_MARIADB_PORT\") or 3306),\n"
                "            database=env(\"MARIADB_DATABASE\"), query=query)\n"
                "        return sqlalchemy.create_engine(url, future=True)\n"
                "    if BACKEND == \"postgresql\":\n"
                "        # libpq's URL with SQLAlchemy's scheme; PGOPTIONS puts writebench's schema on the search_path\n"
                "        return sqlalchemy.create_engine(\"postgresql+psycopg2:\" + url.split(\":\", 1)[1], future=True)\n"
                "    eng = sqlalchemy.create_engine(url, future=True, connect_args={\"timeout\": float(env(\"TIMEOUT_S\"))})\n\n"
                "    @sqlalchemy.event.listens_for(eng, \"connect\")\n"
                "    def _pragmas(dbapi_connection, _record):\n"
                "        # writebench's PRAGMAs (foreign_keys, synchronous belong to the connection);\n"
                "        # names and values are letters, digits, _ . - only (docs/EXTERNAL.md)\n"
                "        for pragma in os.environ.get(\"WRITEBENCH_SQLITE_PRAGMAS\", \"foreign_keys=ON\").split(\";\"):\n"
                "            if pragma:\n"
                "                dbapi_connection.execute(\"PRAGMA \" + pragma)\n"
                "    return eng\n\n\n"
                "def upsert(sa_table, mappings=None):\n"
                "    \"\"\"INSERT ... ON CONFLICT (key) DO UPDATE SET every other column (MariaDB: ON DUPLICATE\n"
                "    KEY UPDATE), of mappings when given.\"\"\"\n"
                "    stmt = {\"postgresql\": postgresql.insert, \"sqlite\": sqlite.insert, \"mariadb\": mysql.insert}[BACKEND](sa_table)\n"
                "    if mappings is not None:\n"
                "        stmt = stmt.values(mappings)\n"
                "    key, *others = sa_table.columns\n"
                "    if BACKEND == \"mariadb\":\n"
                "        return stmt.on_duplicate_key_update({c.name: stmt.inserted[c.name] for c in others})\n"
                "    return stmt.on_conflict_do_update(index_elements=[key], set_={c.name: stmt.excluded[c.name] for c in others})\n\n\n");
    wb_buf_printf(out,
                  "def write_chunk(conn, sa_table, table, chunk):\n"
                  "    mappings = [dict(zip(table.columns, row)) for row in chunk]\n"
                  "%s\n\n"
                  "def write_table(conn, table):\n"
                  "    \"\"\"Keys 1..ROWS of table in VERSION: %s.\"\"\"\n"
                  "    sa_table = sqlalchemy.Table(table.name, sqlalchemy.MetaData(),\n"
                  "                                *(sqlalchemy.Column(column) for column in table.columns))\n"
                  "    rows = chunks(read_rows(table, 1, ROWS, VERSION), %s)\n"
                  "    if COMMIT_PER_BATCH:\n"
                  "        for chunk in rows:\n"
                  "            with conn.begin():\n"
                  "                write_chunk(conn, sa_table, table, chunk)\n"
                  "    else:\n"
                  "        with conn.begin():\n"
                  "            for chunk in rows:\n"
                  "                write_chunk(conn, sa_table, table, chunk)\n",
                  writes[s->shape], wb_code_shape_text(s->shape), sizes[s->shape]);
    wb_code_python_end(s, "engine().connect()", out);
}

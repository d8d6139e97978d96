#!/usr/bin/python3
# A deliberately WRONG external strategy, for the negative test in
# tests/integration/test_pg_python_examples.sh: it builds its SQL with Python string
# formatting, the classic careless way that works on every ordinary row:
#     f"INSERT INTO t (...) VALUES ('{value}', ...)"  with quotes doubled by hand.
# Doubling quotes keeps O'Brien from breaking the statement, so the script runs to
# the end without an error, but a NULL becomes the text 'None' (str(None)): the
# hostile rows with NULLs are silently wrong, and writebench's verification must say
# so. (On products a 'None' price is not a number: that fails loudly instead.)
# Insert pass: INSERTs; update pass: UPDATE ... WHERE id = ...; one transaction.
# Backends: SQLite (sqlite3) and PostgreSQL (psycopg2). Never copy this.
import os
import sqlite3
import sys

# The workload's rows come from the examples' helper; only the SQL here is wrong.
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "examples", "python"))
import wbexample as wb  # noqa: E402


def literal(value):
    """The careless quoting: every value between quotes, quotes doubled, None as 'None'."""
    return "'" + str(value).replace("'", "''") + "'"


def statement(table, row):
    key, *others = wb.COLUMNS[table]
    if wb.PHASE == "insert":
        return f"INSERT INTO {table} ({', '.join(wb.COLUMNS[table])}) VALUES ({', '.join(map(literal, row))})"
    sets = ", ".join(f"{column} = {literal(value)}" for column, value in zip(others, row[1:]))
    return f"UPDATE {table} SET {sets} WHERE {key} = {row[0]}"


if wb.BACKEND == "sqlite":
    conn = sqlite3.connect(os.environ["WRITEBENCH_SQLITE_PATH"], timeout=wb.TIMEOUT_S)
    conn.execute("PRAGMA foreign_keys=ON")
else:
    wb.need("psycopg2")
    import psycopg2
    conn = psycopg2.connect(wb.DATABASE_URL)

cur = conn.cursor()
for table in wb.TABLES:
    for row in wb.rows(table, 1, wb.ROWS):
        cur.execute(statement(table, row))
conn.commit()
conn.close()

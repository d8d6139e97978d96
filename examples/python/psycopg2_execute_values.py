#!/usr/bin/python3
# psycopg2 execute_values(): multi-row INSERT ... VALUES, page_size = batch.
# writebench: params=batch
#
# Idiom: psycopg2.extras.execute_values(): multi-row INSERT ... VALUES (...), (...),
# page_size = WRITEBENCH_BATCH rows a statement, one transaction. psycopg2 quotes the
# values into the statement on the client (its own escaping, not string formatting).
# Update pass: execute_values' documented update form,
# UPDATE t SET ... FROM (VALUES %s) AS v (...) WHERE t.id = v.id; the template casts
# each value, since a VALUES list has no column to take types from (a page whose
# prices are all NULL would be text, and text does not go into numeric).
# Backends: PostgreSQL; both workloads. One thread.
import wbexample as wb

wb.require_postgres()
wb.need("psycopg2")
import psycopg2  # noqa: E402
from psycopg2.extras import execute_values  # noqa: E402


def statement(table):
    """The SQL of this pass and the template of one row (None: execute_values' default)."""
    # Only names (the workload's constants) and placeholders go into the text.
    columns = wb.COLUMNS[table]
    if wb.PHASE == "insert":
        return f"INSERT INTO {table} ({', '.join(columns)}) VALUES %s", None
    template = "(" + ", ".join(f"%s::{t}" for t in wb.PG_TYPES[table]) + ")"
    return (f"UPDATE {table} AS t SET {', '.join(f'{c} = v.{c}' for c in columns[1:])} "
            f"FROM (VALUES %s) AS v ({', '.join(columns)}) WHERE t.id = v.id", template)


conn = psycopg2.connect(wb.DATABASE_URL)
# Timed: the writing and the commit (`with conn` commits at its end, and does not close).
with wb.timed(), conn, conn.cursor() as cur:
    for table in wb.TABLES:
        sql, template = statement(table)
        for first, last in wb.batches(1, wb.ROWS):
            execute_values(cur, sql, wb.rows(table, first, last), template=template, page_size=wb.BATCH)
conn.close()

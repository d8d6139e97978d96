#!/usr/bin/python3
# SQLAlchemy Core executemany: conn.execute(table.insert(), list_of_dicts) per batch.
# writebench: params=batch
#
# Idiom: SQLAlchemy Core's executemany: conn.execute(table.insert(), list_of_dicts),
# one call per batch of WRITEBENCH_BATCH rows, all in one transaction. With psycopg2,
# SQLAlchemy 1.4 sends each INSERT call as multi-row INSERTs (its default
# executemany_mode "values_only": psycopg2's execute_values, pages of 1000 rows);
# pysqlite runs one prepared statement per row.
# Update pass: the Core form, table.update().where(id == bindparam(...)) with the
# same list of dicts (the bound names need a prefix: Core reserves the column names
# for the SET clause); psycopg2 then runs one UPDATE per row (plain executemany).
# Backends: SQLite and PostgreSQL; both workloads. One thread.
import wbexample as wb

wb.need("sqlalchemy")


# Connect, then time the transaction: its statements and its commit.
with wb.engine().connect() as conn, wb.timed(), conn.begin():
    for name in wb.TABLES:
        table = wb.Base.metadata.tables[name]
        stmt, parameters = wb.write_statement(table)
        for first, last in wb.batches(1, wb.ROWS):
            conn.execute(stmt, [parameters(values) for values in wb.dicts(name, first, last)])

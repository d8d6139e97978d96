#!/usr/bin/python3
# SQLAlchemy Core dialect upsert: insert().on_conflict_do_update(), one statement per batch.
# writebench: params=batch
#
# Idiom: SQLAlchemy Core's dialect upsert, batched: insert(table).values(list of
# WRITEBENCH_BATCH dicts).on_conflict_do_update(index_elements=[id], set_=excluded
# columns), one multi-row statement and one commit per batch. The same code inserts
# on the insert pass and updates on the update pass.
# sqlalchemy.dialects.postgresql.insert on PostgreSQL; sqlite's insert has the same
# API (SQLite 3.24+), so the script runs there too; on MariaDB, mysql.insert()
# .on_duplicate_key_update(c=inserted.c), INSERT ... ON DUPLICATE KEY UPDATE.
# Backends: SQLite, PostgreSQL and MariaDB; both workloads. One thread.
import wbexample as wb

wb.need("sqlalchemy")

# A statement binds rows x columns values: keep under SQLite's limit of 32766 bound
# variables (psycopg2 quotes values into the text, so PostgreSQL has no such limit).
MAX_PARAMETERS = 32766 if wb.BACKEND == "sqlite" else None

with wb.engine().connect() as conn, wb.timed():  # the timed region: the writing and its commits
    for name in wb.TABLES:  # every parent is committed before its children
        table = wb.Base.metadata.tables[name]
        columns = wb.COLUMNS[name]
        size = min(wb.BATCH, MAX_PARAMETERS // len(columns)) if MAX_PARAMETERS else wb.BATCH
        for first, last in wb.batches(1, wb.ROWS, size):
            conn.execute(wb.upsert(table, wb.dicts(name, first, last)))
            conn.commit()

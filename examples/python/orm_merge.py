#!/usr/bin/python3
# ORM session.merge() per row in one session, a commit per batch.
# writebench: params=batch
#
# Idiom: the ORM's upsert: session.merge() of a new object per row in one session
# (merge SELECTs the row by key, then the flush UPDATEs or INSERTs it); commit every
# WRITEBENCH_BATCH rows. The same code inserts on the insert pass and updates on the
# update pass.
# Backends: SQLite and PostgreSQL; both workloads. One thread.
import wbexample as wb

wb.need("sqlalchemy")
from sqlalchemy.orm import Session  # noqa: E402

with Session(wb.engine()) as session, wb.timed():  # the timed region: the writing and its commits
    for table in wb.TABLES:  # every parent is committed before its children
        for first, last in wb.batches(1, wb.ROWS):
            for obj in wb.objects(table, first, last):
                session.merge(obj)
            session.commit()

#!/usr/bin/python3
# ORM add_all with a flush every 10,000 objects, one commit; update pass: bulk_update_mappings() per batch.
# writebench: params=batch
#
# Idiom: the synchronous twin of async_orm_add_all on the insert pass (the usual "batch
# insert" advice: session.add_all() of 10,000 objects at a time, session.flush() after
# each chunk, one commit), and on the update pass the advice for updating many rows
# without loading them: session.bulk_update_mappings(Model, list of dicts) per batch
# of WRITEBENCH_BATCH rows (UPDATE ... WHERE id = ..., sent as one executemany), one
# commit. orm_bulk_insert_mappings updates every row in one call instead.
# Backends: SQLite, PostgreSQL and MariaDB; both workloads. One thread; WRITEBENCH_BATCH
# on the update pass only.
import wbexample as wb

wb.need("sqlalchemy")
from sqlalchemy.orm import Session  # noqa: E402

# The advice's chunk (see async_orm_add_all.py).
FLUSH_EVERY = 10_000

with Session(wb.engine()) as session, wb.timed():  # the timed region: the writing and its commit
    for table in wb.TABLES:  # parents first: bulk operations do not order tables
        if wb.PHASE == "insert":
            for first, last in wb.batches(1, wb.ROWS, FLUSH_EVERY):
                session.add_all(wb.objects(table, first, last))
                session.flush()
        else:
            for first, last in wb.batches(1, wb.ROWS):
                session.bulk_update_mappings(wb.MODELS[table], wb.dicts(table, first, last))
    session.commit()

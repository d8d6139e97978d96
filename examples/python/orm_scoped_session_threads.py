#!/usr/bin/python3
# ORM scoped_session: T threads over disjoint key ranges, merge per row, commit per batch.
# writebench: params=batch,threads
#
# Idiom: scoped_session, SQLAlchemy's session-per-thread registry: WRITEBENCH_THREADS
# threads over disjoint key ranges (split like writebench's), each with its own
# session (and connection), session.merge() per row, commit every WRITEBENCH_BATCH
# rows. The same code inserts on the insert pass and updates on the update pass.
# Each thread writes the users of its range before their addresses.
# On SQLite the threads take turns: each transaction holds the database's one write
# lock (BEGIN IMMEDIATE, see wbexample.engine).
# Backends: SQLite and PostgreSQL; both workloads.
from concurrent.futures import ThreadPoolExecutor

import wbexample as wb

wb.need("sqlalchemy")
from sqlalchemy.orm import scoped_session, sessionmaker  # noqa: E402

Session = scoped_session(sessionmaker(wb.engine()))


def write_range(key_range):
    """Merge keys first..last of every table, in the calling thread's session."""
    first, last = key_range
    session = Session()  # this thread's own session
    try:
        for table in wb.TABLES:
            for batch_first, batch_last in wb.batches(first, last):
                for obj in wb.objects(table, batch_first, batch_last):
                    session.merge(obj)
                session.commit()
    finally:
        Session.remove()


with wb.timed(), ThreadPoolExecutor(max_workers=wb.THREADS) as pool:  # the timed region: the writing
    # list() waits for every thread and raises the first thread's exception.
    list(pool.map(write_range, wb.key_ranges()))

#!/usr/bin/python3
# A new ORM Session per row: merge, commit, close (slow by nature).
# writebench: params=none
#
# Idiom: a new Session for every row (as a web request handler writing one record
# does): open, session.merge(), commit, close. One SELECT, one write and one commit
# per row: slow by nature. The same code inserts on the insert pass and updates on
# the update pass.
# Backends: SQLite and PostgreSQL; both workloads. One thread; ignores WRITEBENCH_BATCH.
import wbexample as wb

wb.need("sqlalchemy")
from sqlalchemy.orm import Session  # noqa: E402

# On PostgreSQL the engine's pool lends every session the same open connection; for a
# SQLite file SQLAlchemy 1.4 opens a new connection per session (NullPool).
engine = wb.engine()
with wb.timed():  # the timed region: the writing and its commits
    for table in wb.TABLES:
        for first, last in wb.batches(1, wb.ROWS):
            for obj in wb.objects(table, first, last):
                with Session(engine) as session:
                    session.merge(obj)
                    session.commit()

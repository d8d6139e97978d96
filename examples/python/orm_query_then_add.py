#!/usr/bin/python3
# ORM get-or-create by hand: session.get(), then update or add(); a commit per batch.
# writebench: params=batch
#
# Idiom: get-or-create by hand with the ORM: one session; for each row,
# session.get() by key (a SELECT), then set the attributes if the object exists or
# session.add() a new one; commit every WRITEBENCH_BATCH rows.
# The same code inserts on the insert pass and updates on the update pass.
# Backends: SQLite and PostgreSQL; both workloads. One thread.
import wbexample as wb

wb.need("sqlalchemy")
from sqlalchemy.orm import Session  # noqa: E402

with Session(wb.engine()) as session, wb.timed():  # the timed region: the writing and its commits
    for table in wb.TABLES:  # every parent is committed before its children
        model = wb.MODELS[table]
        for first, last in wb.batches(1, wb.ROWS):
            for values in wb.dicts(table, first, last):
                obj = session.get(model, values["id"])
                if obj is None:
                    session.add(model(**values))
                else:
                    for column, value in values.items():
                        setattr(obj, column, value)
            session.commit()

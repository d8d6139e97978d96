#!/usr/bin/python3
# ORM session.add_all() of every object, then one commit.
# writebench: params=none
#
# Idiom: the ORM unit of work, as in SQLAlchemy's tutorial: session.add_all() of every
# object, then one commit.
# Insert pass: adds the version-1 objects of every table. Update pass: the unit of
# work's own update: loads each table's objects with one SELECT, sets their
# attributes to version 2, and commits once (the ORM sends the UPDATEs).
# Backends: SQLite and PostgreSQL; both workloads. One thread; ignores WRITEBENCH_BATCH.
import wbexample as wb

wb.need("sqlalchemy")
from sqlalchemy import select  # noqa: E402
from sqlalchemy.orm import Session  # noqa: E402

with Session(wb.engine()) as session, wb.timed():  # the timed region: the writing and its commits
    for table in wb.TABLES:
        model = wb.MODELS[table]
        if wb.PHASE == "insert":
            session.add_all(wb.objects(table, 1, wb.ROWS))
        else:
            new_values = {values["id"]: values for values in wb.dicts(table, 1, wb.ROWS)}
            for obj in session.scalars(select(model).where(model.id.between(1, wb.ROWS))):
                for column, value in new_values[obj.id].items():
                    setattr(obj, column, value)
    session.commit()

#!/usr/bin/python3
# ORM session.bulk_save_objects(), one commit.
# writebench: params=none
#
# Idiom: the ORM's "bulk" shortcut for objects: session.bulk_save_objects(), which
# skips most of the unit of work (no identity map, no relationship handling) and
# groups the rows into executemany calls; one commit.
# Insert pass: bulk_save_objects() of new objects INSERTs them. Update pass: its own
# update form: objects that carry an identity (make_transient_to_detached: "this row
# exists") are UPDATEd; update_changed_only=False sends every column, since the
# objects were never loaded and so have no change history.
# Backends: SQLite and PostgreSQL; both workloads. One thread; ignores WRITEBENCH_BATCH.
import wbexample as wb

wb.need("sqlalchemy")
from sqlalchemy.orm import Session, make_transient_to_detached  # noqa: E402

with Session(wb.engine()) as session, wb.timed():  # the timed region: the writing and its commits
    for table in wb.TABLES:  # parents first: bulk operations do not order tables
        objects = wb.objects(table, 1, wb.ROWS)
        if wb.PHASE == "update":
            for obj in objects:
                make_transient_to_detached(obj)
        session.bulk_save_objects(objects, update_changed_only=False)
    session.commit()

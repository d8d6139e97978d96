#!/usr/bin/python3
# ORM session.bulk_insert_mappings() and bulk_update_mappings() of dicts, one commit.
# writebench: params=none
#
# Idiom: the ORM's bulk methods for plain dicts: session.bulk_insert_mappings() on
# the insert pass and session.bulk_update_mappings() (UPDATE ... WHERE id = ...,
# sent as one executemany) on the update pass; no objects are made; one commit.
# Backends: SQLite and PostgreSQL; both workloads. One thread; ignores WRITEBENCH_BATCH.
import wbexample as wb

wb.need("sqlalchemy")
from sqlalchemy.orm import Session  # noqa: E402

with Session(wb.engine()) as session, wb.timed():  # the timed region: the writing and its commits
    for table in wb.TABLES:  # parents first: bulk operations do not order tables
        mappings = wb.dicts(table, 1, wb.ROWS)
        if wb.PHASE == "insert":
            session.bulk_insert_mappings(wb.MODELS[table], mappings)
        else:
            session.bulk_update_mappings(wb.MODELS[table], mappings)
    session.commit()

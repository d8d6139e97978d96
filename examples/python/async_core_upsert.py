#!/usr/bin/python3
# SQLAlchemy asyncio Core upsert: insert().on_conflict_do_update(), one statement per batch.
# writebench: params=batch io=async
#
# Idiom: the dialect's upsert on SQLAlchemy's asyncio API: await conn.execute(
# insert(table).values(list of WRITEBENCH_BATCH dicts).on_conflict_do_update(
# index_elements=[id], set_=excluded columns)), one multi-row statement and one commit
# per batch. The same code inserts on the insert pass and updates on the update pass.
# sqlalchemy.dialects.postgresql.insert over asyncpg; sqlite's insert (SQLite 3.24+)
# over aiosqlite.
# Backends: SQLite and PostgreSQL; both workloads. One task.
import asyncio

import wbexample as wb

wb.need("sqlalchemy")

# A statement binds rows x columns values: keep under SQLite's limit of 32766 bound
# variables and PostgreSQL's 32767 parameters of one statement (asyncpg binds every value).
MAX_PARAMETERS = 32766


async def main():
    engine = await wb.async_engine()
    async with engine.connect() as conn:
        with wb.timed():  # the timed region: the writing and its commits
            for name in wb.TABLES:  # every parent is committed before its children
                table = wb.Base.metadata.tables[name]
                size = min(wb.BATCH, MAX_PARAMETERS // len(wb.COLUMNS[name]))
                for first, last in wb.batches(1, wb.ROWS, size):
                    await conn.execute(wb.upsert(table, wb.dicts(name, first, last)))
                    await conn.commit()
    await engine.dispose()


asyncio.run(main())

#!/usr/bin/python3
# SQLAlchemy asyncio ORM: AsyncSession.add_all(), a flush every 10,000 objects, one commit.
# writebench: params=none io=async
#
# Idiom: the usual "batch insert" advice on SQLAlchemy's asyncio API
# (sqlalchemy.ext.asyncio, 1.4): session.add_all() of 10,000 objects at a time, an
# `await session.flush()` after each chunk, and one `await session.commit()`.
# Update pass: the unit of work's update, 10,000 objects at a time: one SELECT of the
# chunk, set the attributes to version 2, flush; one commit.
# Over asyncpg (postgresql+asyncpg) or aiosqlite (sqlite+aiosqlite).
# Backends: SQLite and PostgreSQL; both workloads. One task; ignores WRITEBENCH_BATCH.
import asyncio

import wbexample as wb

wb.need("sqlalchemy")
from sqlalchemy import select  # noqa: E402
from sqlalchemy.ext.asyncio import AsyncSession  # noqa: E402

# The advice's chunk: flushing keeps the pending objects (and the statements SQLAlchemy
# builds for them) to 10,000 at a time instead of the whole table.
FLUSH_EVERY = 10_000


async def update_chunk(session, table, first, last):
    """Load keys first..last of table as objects and set them to version 2 (flushed by the caller)."""
    model = wb.MODELS[table]
    new_values = {values["id"]: values for values in wb.dicts(table, first, last)}
    for obj in await session.scalars(select(model).where(model.id.between(first, last))):
        for column, value in new_values[obj.id].items():
            setattr(obj, column, value)


async def main():
    engine = await wb.async_engine()
    async with AsyncSession(engine) as session:
        with wb.timed():  # the timed region: the writing, its flushes and the commit
            for table in wb.TABLES:  # parents first
                for first, last in wb.batches(1, wb.ROWS, FLUSH_EVERY):
                    if wb.PHASE == "insert":
                        session.add_all(wb.objects(table, first, last))
                    else:
                        await update_chunk(session, table, first, last)
                    await session.flush()
            await session.commit()
    await engine.dispose()


asyncio.run(main())

#!/usr/bin/python3
# SQLAlchemy asyncio Core: await conn.execute(table.insert(), list_of_dicts) per batch.
# writebench: params=batch io=async
#
# Idiom: SQLAlchemy Core's executemany on the asyncio API: await conn.execute(
# table.insert(), list of WRITEBENCH_BATCH dicts), one call per batch, all in one
# transaction. asyncpg runs each call as its own executemany (one prepared statement,
# the rows pipelined); aiosqlite runs sqlite3's executemany in its worker thread.
# Update pass: table.update().where(id == bindparam(...)) with the same list of dicts
# (bound names prefixed: Core reserves the column names for the SET clause).
# Over asyncpg (postgresql+asyncpg) or aiosqlite (sqlite+aiosqlite).
# Backends: SQLite and PostgreSQL; both workloads. One task.
import asyncio

import wbexample as wb

wb.need("sqlalchemy")


async def main():
    engine = await wb.async_engine()
    async with engine.connect() as conn:
        with wb.timed():  # the timed region: the transaction, its statements and its commit
            async with conn.begin():
                for name in wb.TABLES:
                    table = wb.Base.metadata.tables[name]
                    stmt, parameters = wb.write_statement(table)
                    for first, last in wb.batches(1, wb.ROWS):
                        await conn.execute(stmt, [parameters(values) for values in wb.dicts(name, first, last)])
    await engine.dispose()


asyncio.run(main())

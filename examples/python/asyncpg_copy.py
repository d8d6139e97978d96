#!/usr/bin/python3
# asyncpg connection.copy_records_to_table(): binary COPY of Python tuples.
# writebench: params=none io=async
#
# Idiom: asyncpg's bulk load: await conn.copy_records_to_table(table, records=...,
# columns=...), one binary COPY FROM STDIN per table, in one transaction.
# Update pass: COPY into a temporary table (LIKE the target, dropped at commit), then
# one UPDATE ... FROM it per table, the usual way to update in bulk through COPY.
# Backends: PostgreSQL; both workloads. One connection; ignores WRITEBENCH_BATCH.
import asyncio

import wbexample as wb

wb.require_postgres()
wb.need("asyncpg")


async def update_through_copy(conn, table):
    """Version 2 of every row of table: COPY into a temporary twin, UPDATE ... FROM it."""
    key, *others = wb.COLUMNS[table]
    stage = f"wb_stage_{table}"  # a temporary table: in pg_temp, not in writebench's schema
    await conn.execute(f"CREATE TEMP TABLE {stage} (LIKE {table}) ON COMMIT DROP")
    await conn.copy_records_to_table(stage, records=wb.rows(table, 1, wb.ROWS), columns=wb.COLUMNS[table])
    sets = ", ".join(f"{c} = s.{c}" for c in others)
    await conn.execute(f"UPDATE {table} AS t SET {sets} FROM {stage} AS s WHERE t.{key} = s.{key}")


async def main():
    async with wb.asyncpg_connection() as conn:
        with wb.timed():  # the timed region: the writing and its commit
            async with conn.transaction():
                for table in wb.TABLES:
                    if wb.PHASE == "insert":
                        await conn.copy_records_to_table(table, records=wb.rows(table, 1, wb.ROWS),
                                                         columns=wb.COLUMNS[table])
                    else:
                        await update_through_copy(conn, table)


asyncio.run(main())

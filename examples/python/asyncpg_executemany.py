#!/usr/bin/python3
# asyncpg connection.executemany() per batch, one transaction.
# writebench: params=batch io=async
#
# Idiom: asyncpg, the asyncio PostgreSQL driver, alone: await conn.executemany() of
# one parameterised INSERT ($1, $2, ...), one call per batch of WRITEBENCH_BATCH rows,
# all in one transaction (async with conn.transaction()). asyncpg prepares the
# statement once and sends the rows in the binary protocol, pipelined, as one
# round trip per call.
# Update pass: the same with UPDATE ... SET c = $2, ... WHERE id = $1.
# Backends: PostgreSQL; both workloads. One connection, one task.
import asyncio

import wbexample as wb

wb.require_postgres()
wb.need("asyncpg")


def statement(table):
    """The SQL of this pass; the row's values, key first, fill $1, $2, ... in order."""
    # Only names (the workload's constants) and $n placeholders go into the text.
    key, *others = wb.COLUMNS[table]
    if wb.PHASE == "insert":
        marks = ", ".join(f"${i}" for i in range(1, len(others) + 2))
        return f"INSERT INTO {table} ({', '.join(wb.COLUMNS[table])}) VALUES ({marks})"
    sets = ", ".join(f"{c} = ${i}" for i, c in enumerate(others, start=2))
    return f"UPDATE {table} SET {sets} WHERE {key} = $1"


async def main():
    async with wb.asyncpg_connection() as conn:
        with wb.timed():  # the timed region: the writing and its commit
            async with conn.transaction():
                for table in wb.TABLES:
                    sql = statement(table)
                    for first, last in wb.batches(1, wb.ROWS):
                        await conn.executemany(sql, wb.rows(table, first, last))


asyncio.run(main())

#!/usr/bin/python3
# asyncpg connection.executemany() per batch, T tasks on T connections, one transaction each.
# writebench: params=batch,threads io=async
#
# Idiom: asyncpg, the asyncio PostgreSQL driver, alone: await conn.executemany() of
# one parameterised INSERT ($1, $2, ...), one call per batch of WRITEBENCH_BATCH rows.
# asyncpg prepares the statement once and sends the rows in the binary protocol,
# pipelined, as one round trip per call. With --threads T, T tasks of one event loop
# (asyncio.gather), each on its own connection over its own key range, in one
# transaction per task: the concurrency asyncio is recommended for, without threads.
# A task writes every table of its range, parents first: user k's address references
# user k, in the same range.
# Update pass: the same with UPDATE ... SET c = $2, ... WHERE id = $1.
# Backends: PostgreSQL; both workloads.
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


async def write_range(conn, first, last):
    """Keys first..last of every table, in one transaction on conn."""
    async with conn.transaction():
        for table in wb.TABLES:
            sql = statement(table)
            for lo, hi in wb.batches(first, last):
                await conn.executemany(sql, wb.rows(table, lo, hi))


async def main():
    ranges = [r for r in wb.key_ranges() if r[0] <= r[1]]  # a range may be empty when ROWS < THREADS
    connections = [await wb.asyncpg_connect() for _ in ranges]  # connected before the timed region
    try:
        with wb.timed():  # the timed region: the writing and the commits
            await asyncio.gather(*(write_range(conn, first, last) for conn, (first, last) in zip(connections, ranges)))
    finally:
        for conn in connections:
            await conn.close()


asyncio.run(main())

#!/usr/bin/python3
# Raw SQL MERGE (PostgreSQL 15+) from a VALUES list per batch, through psycopg 3.
# writebench: params=batch
#
# Idiom: raw SQL MERGE (PostgreSQL 15+) from a VALUES list of bound parameters, one
# statement and one commit per batch of WRITEBENCH_BATCH rows, through psycopg 3:
#   MERGE INTO t USING (VALUES ($1::bigint, $2::text, ...), (...)) AS v (id, ...)
#   ON t.id = v.id WHEN MATCHED THEN UPDATE SET ... WHEN NOT MATCHED THEN INSERT ...
# The casts give the VALUES columns their types. The same code inserts on the insert
# pass and updates on the update pass.
# Backends: PostgreSQL 15 or later (exits 77 below); both workloads. One thread.
import wbexample as wb

wb.require_postgres()
wb.need("psycopg")
import psycopg  # noqa: E402

# psycopg 3 binds on the server, where a statement takes at most 65535 parameters.
MAX_PARAMETERS = 65535


def merge_sql(table, nrows):
    """The MERGE of nrows rows into table. Only names (the workload's constants) and
    %s placeholders go into the text; every value is a bound parameter."""
    key, *others = wb.COLUMNS[table]
    row = "(" + ", ".join(f"%s::{t}" for t in wb.PG_TYPES[table]) + ")"
    return (f"MERGE INTO {table} AS t USING (VALUES {', '.join([row] * nrows)}) "
            f"AS v ({', '.join(wb.COLUMNS[table])}) ON t.{key} = v.{key} "
            f"WHEN MATCHED THEN UPDATE SET {', '.join(f'{c} = v.{c}' for c in others)} "
            f"WHEN NOT MATCHED THEN INSERT ({', '.join(wb.COLUMNS[table])}) "
            f"VALUES ({', '.join('v.' + c for c in wb.COLUMNS[table])})")


with psycopg.connect(wb.DATABASE_URL) as conn:
    version = conn.info.server_version  # e.g. 150004 for 15.4
    if version < 150000:
        wb.skip(f"needs PostgreSQL 15 or later for MERGE (the server is {version // 10000})")
    with wb.timed():  # the timed region: the writing and its commits
        for table in wb.TABLES:  # every parent is committed before its children
            size = min(wb.BATCH, MAX_PARAMETERS // len(wb.COLUMNS[table]))
            for first, last in wb.batches(1, wb.ROWS, size):
                rows = wb.rows(table, first, last)
                conn.execute(merge_sql(table, len(rows)), [value for row in rows for value in row])
                conn.commit()

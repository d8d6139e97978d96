#!/usr/bin/python3
# psycopg 3 cursor.executemany() per batch, one transaction.
# writebench: params=batch
#
# Idiom: the driver alone: psycopg 3's cursor.executemany() with one parameterised
# INSERT, one call per batch of WRITEBENCH_BATCH rows, one transaction. psycopg 3.1
# sends executemany in pipeline mode (no wait for each row's reply) on libpq 14+.
# Update pass: the same with UPDATE ... SET ... WHERE id = %s.
# Backends: PostgreSQL; both workloads. One thread.
import wbexample as wb

wb.require_postgres()
wb.need("psycopg")
import psycopg  # noqa: E402


def statement(table):
    """The SQL of this pass and how to order a row's values for its placeholders."""
    # Only names (the workload's constants) and %s placeholders go into the text.
    key, *others = wb.COLUMNS[table]
    if wb.PHASE == "insert":
        return (f"INSERT INTO {table} ({', '.join(wb.COLUMNS[table])}) "
                f"VALUES ({', '.join(['%s'] * len(wb.COLUMNS[table]))})", lambda row: row)
    return (f"UPDATE {table} SET {', '.join(f'{c} = %s' for c in others)} WHERE {key} = %s",
            lambda row: row[1:] + row[:1])


with psycopg.connect(wb.DATABASE_URL) as conn:
    with wb.timed():  # the timed region: the writing and its commit
        with conn.cursor() as cur:
            for table in wb.TABLES:
                sql, parameters = statement(table)
                for first, last in wb.batches(1, wb.ROWS):
                    cur.executemany(sql, [parameters(row) for row in wb.rows(table, first, last)])
        conn.commit()

#!/usr/bin/python3
# psycopg 3 COPY FROM STDIN with cursor.copy() and write_row(), one COPY per table.
# writebench: params=none
#
# Idiom: COPY ... FROM STDIN through psycopg 3's cursor.copy() and write_row(): the
# bulk-load path; psycopg encodes each value for COPY's text format (tabs, newlines,
# backslashes and NULLs included). One COPY per table, one transaction.
# Update pass: the staging pattern: COPY into a temporary table shaped like the
# target, then one UPDATE ... FROM it (COPY itself cannot update).
# Backends: PostgreSQL; both workloads. One thread; WRITEBENCH_BATCH only sizes the
# chunks in which rows are made.
import wbexample as wb

wb.require_postgres()
wb.need("psycopg")
import psycopg  # noqa: E402


def copy_rows(cur, table, target):
    """COPY keys 1..ROWS of table's rows into target (the table or its staging copy)."""
    with cur.copy(f"COPY {target} ({', '.join(wb.COLUMNS[table])}) FROM STDIN") as copy:
        for first, last in wb.batches(1, wb.ROWS):
            for row in wb.rows(table, first, last):
                copy.write_row(row)


with psycopg.connect(wb.DATABASE_URL) as conn:
    with wb.timed():  # the timed region: the writing and its commit
        with conn.cursor() as cur:
            for table in wb.TABLES:
                if wb.PHASE == "insert":
                    copy_rows(cur, table, table)
                    continue
                # Only names (the workload's constants) go into the SQL text.
                stage = f"stage_{table}"
                cur.execute(f"CREATE TEMPORARY TABLE {stage} (LIKE {table}) ON COMMIT DROP")
                copy_rows(cur, table, stage)
                columns = wb.COLUMNS[table][1:]
                cur.execute(f"UPDATE {table} AS t SET {', '.join(f'{c} = s.{c}' for c in columns)} "
                            f"FROM {stage} AS s WHERE t.id = s.id")
        conn.commit()

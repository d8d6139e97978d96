#!/usr/bin/python3
# PyMySQL cursor.executemany() per batch: PyMySQL rewrites an INSERT into multi-row INSERTs.
# writebench: params=batch
#
# Idiom: the DB-API's executemany with PyMySQL, the pure-Python MySQL/MariaDB driver
# (SQLAlchemy's mysql+pymysql): cursor.executemany(sql, rows) per batch of
# WRITEBENCH_BATCH rows, one transaction. For an INSERT ... VALUES (%s, ...) PyMySQL
# does not run one statement per row: it rewrites the call into multi-row INSERTs
# of up to about 1 MB of SQL text each, the values escaped into the text client-side
# (PyMySQL has no server-side prepared statements).
# Update pass: executemany of UPDATE ... WHERE id = %s, which PyMySQL does run once
# per row.
# Backends: MariaDB (and MySQL); both workloads. One thread.
import wbexample as wb

wb.require_mariadb()

conn = wb.mariadb_connect()
with wb.timed():  # the timed region: the writing and its commit
    with conn.cursor() as cursor:
        for name in wb.TABLES:
            columns = wb.COLUMNS[name]
            if wb.PHASE == "insert":
                sql = "INSERT INTO `%s` (%s) VALUES (%s)" % (name, ", ".join(columns), ", ".join(["%s"] * len(columns)))
            else:
                sql = "UPDATE `%s` SET %s WHERE id = %%s" % (name, ", ".join(c + " = %s" for c in columns[1:]))
            for first, last in wb.batches(1, wb.ROWS):
                rows = wb.rows(name, first, last)
                if wb.PHASE == "update":
                    rows = [row[1:] + row[:1] for row in rows]  # the key last, as the WHERE wants it
                cursor.executemany(sql, rows)
    conn.commit()
conn.close()

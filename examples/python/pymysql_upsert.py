#!/usr/bin/python3
# PyMySQL executemany of INSERT ... ON DUPLICATE KEY UPDATE c = VALUES(c), per batch.
# writebench: params=batch
#
# Idiom: MySQL's upsert through the driver: cursor.executemany("INSERT ... VALUES
# (%s, ...) ON DUPLICATE KEY UPDATE c = VALUES(c), ...", rows) per batch of
# WRITEBENCH_BATCH rows, committed per batch; PyMySQL rewrites it into multi-row
# statements as it does a plain INSERT. The same code inserts on the insert pass and
# updates on the update pass. ON DUPLICATE KEY fires on any unique key, not only the
# primary key (products.name is unique too).
# Backends: MariaDB (and MySQL); both workloads. One thread.
import wbexample as wb

wb.require_mariadb()

conn = wb.mariadb_connect()
with wb.timed():  # the timed region: the writing and its commits
    with conn.cursor() as cursor:
        for name in wb.TABLES:
            columns = wb.COLUMNS[name]
            sql = "INSERT INTO `%s` (%s) VALUES (%s) ON DUPLICATE KEY UPDATE %s" % (
                name, ", ".join(columns), ", ".join(["%s"] * len(columns)),
                ", ".join(f"{c} = VALUES({c})" for c in columns[1:]))
            for first, last in wb.batches(1, wb.ROWS):
                cursor.executemany(sql, wb.rows(name, first, last))
                conn.commit()
conn.close()

#!/usr/bin/python3
# PyMySQL, one hand-built multi-row statement per batch: INSERT ... VALUES (...), (...), ...
# writebench: params=batch
#
# Idiom: the multi-row INSERT written by hand, as MySQL's manual advises for bulk
# loads ("use INSERT statements with multiple VALUES lists"): one
# cursor.execute("INSERT ... VALUES (%s, ...), (%s, ...), ...", flat_values) per
# batch of WRITEBENCH_BATCH rows, committed per batch. The update pass is the MySQL
# bulk-update trick: the same multi-row INSERT with ON DUPLICATE KEY UPDATE
# c = VALUES(c), every key present, so every row is updated.
# Backends: MariaDB (and MySQL); both workloads. One thread.
import wbexample as wb

wb.require_mariadb()

conn = wb.mariadb_connect()
with wb.timed():  # the timed region: the writing and its commits
    with conn.cursor() as cursor:
        for name in wb.TABLES:
            columns = wb.COLUMNS[name]
            row_marks = "(" + ", ".join(["%s"] * len(columns)) + ")"
            tail = ""
            if wb.PHASE == "update":
                tail = " ON DUPLICATE KEY UPDATE " + ", ".join(f"{c} = VALUES({c})" for c in columns[1:])
            for first, last in wb.batches(1, wb.ROWS):
                rows = wb.rows(name, first, last)
                sql = "INSERT INTO `%s` (%s) VALUES %s%s" % (name, ", ".join(columns), ", ".join([row_marks] * len(rows)),
                                                            tail)
                cursor.execute(sql, [value for row in rows for value in row])
                conn.commit()
conn.close()

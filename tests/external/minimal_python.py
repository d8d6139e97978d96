#!/usr/bin/python3
"""A minimal writebench external strategy in Python (docs/EXTERNAL.md).

Writes keys 1..WRITEBENCH_ROWS of every table in WRITEBENCH_TABLES with the values
of docs/WORKLOADS.md: INSERT on the insert pass, UPDATE on the update pass, bound
parameters only, one transaction. SQLite through the standard library; PostgreSQL
through psycopg2, which finds the server in PGHOST, PGPORT, ... and writebench's
schema through PGOPTIONS (search_path), so table names need no schema.
"""
import os
import sys
from decimal import Decimal

# --- the formulas of docs/WORKLOADS.md ("The formulas in Python")
KINDS = ["null", "empty", "O'Brien ", "C:\\temp\\N ", "tab\t", "line\n", "cr\r", "Zoë … 日本 "]

def hostile(k, v, offset, ordinary, nullable=True, unique=False, text=True):
    if k % 10 != 7:
        return ordinary
    kind = (k // 10 + offset + v - 1) % 8
    if kind == 0:
        return None if nullable else ordinary
    if kind == 1:
        return ordinary if unique else ("" if text else Decimal("0.00"))
    return KINDS[kind] + ordinary if text else ordinary

def user_account(k, v):
    return {"id": k,
            "name": hostile(k, v, 0, f"user{k}" + ("_v2" if v == 2 else ""), nullable=False),
            "fullname": hostile(k, v, 3, f"User {k} Smith" + ("-Jones" if v == 2 else ""))}

def address(k, v):
    return {"id": k,
            "street_address": hostile(k, v, 5, f"{k} " + ("Oak Avenue" if v == 2 else "Main Street"),
                                      nullable=False),
            "user_id": k}

def products(k, v):
    cents = (k * 7919 + (v - 1) * 1013) % 1000000
    return {"id": k,
            "name": hostile(k, v, 0, f"product {k}" + (" v2" if v == 2 else ""), unique=True),
            "category": hostile(k, v, 4, f"category {k % 100}" + (" v2" if v == 2 else "")),
            "price": hostile(k, v, 6, Decimal(cents).scaleb(-2), text=False)}

ROW_OF = {"user_account": user_account, "address": address, "products": products}

# --- the protocol
env = os.environ
if env["WRITEBENCH_BACKEND"] == "sqlite":
    import sqlite3
    sqlite3.register_adapter(Decimal, str)  # '79.19' in a NUMERIC column is stored as 79.19
    conn = sqlite3.connect(env["WRITEBENCH_SQLITE_PATH"], timeout=float(env["WRITEBENCH_TIMEOUT_S"]))
    mark = "?"
else:
    try:
        import psycopg2
    except ImportError:
        print("psycopg2 is not installed (Debian: python3-psycopg2)", file=sys.stderr)
        sys.exit(77)  # skipped: the last line of stderr is the reason
    conn = psycopg2.connect("")  # everything comes from PGHOST, PGPORT, PGUSER, ...
    mark = "%s"

rows = int(env["WRITEBENCH_ROWS"])
version = int(env["WRITEBENCH_DATA_VERSION"])
cursor = conn.cursor()
for table in env["WRITEBENCH_TABLES"].split(","):  # parents first
    row_of = ROW_OF[table]
    columns = list(row_of(1, version))  # "id" first
    if env["WRITEBENCH_PHASE"] == "insert":
        sql = (f"INSERT INTO {table} ({', '.join(columns)}) "
               f"VALUES ({', '.join([mark] * len(columns))})")
        order = columns
    else:
        sql = f"UPDATE {table} SET {', '.join(c + ' = ' + mark for c in columns[1:])} WHERE id = {mark}"
        order = columns[1:] + ["id"]
    # Only identifiers are formatted into the SQL; every value is a bound parameter.
    cursor.executemany(sql, ([row[c] for c in order]
                             for row in (row_of(k, version) for k in range(1, rows + 1))))
conn.commit()
conn.close()

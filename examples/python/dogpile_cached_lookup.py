#!/usr/bin/python3
# dogpile.cache in front of a lookup by key: the stale reads it serves after updates, counted.
# writebench: params=batch
#
# Idiom: the caching advice on the Python side: a dogpile.cache region (the memory
# backend, no expiration within a test, no invalidation on write) in front of a
# SQLAlchemy Core lookup by primary key, region.get_or_create(key, creator), as
# docs/PROFILE.md's caching study does for C with its LRU.
# Insert pass: Core executemany per batch of WRITEBENCH_BATCH rows, one transaction;
# then 10,000 cached lookups of Zipf-distributed keys (s = 1.0, fixed seed 42) of the
# first table, every value checked. Update pass: the cache is first warmed with
# 10,000 lookups of the version-1 rows (outside the timed region); then every table is
# updated in batches of WRITEBENCH_BATCH rows, one commit each, and after each commit
# its share of 10,000 cached lookups. A hit is stale when its value is not the row's
# version now in the database (version 2 once its batch committed): the cache has no
# invalidation, so it serves the old row. A miss reads the database, and a wrong read
# there is an error, not a stale read.
# The lookups and the stale reads among them go into the report
# ($WRITEBENCH_REPORT: cache_lookups, stale_reads), where writebench records them.
# Backends: SQLite, PostgreSQL and MariaDB; both workloads. One thread.
import random
import sys

import wbexample as wb

wb.need("sqlalchemy", "dogpile.cache")
from dogpile.cache import make_region  # noqa: E402
from sqlalchemy import bindparam, select  # noqa: E402

LOOKUPS = 10_000  # per pass, as profile's --cache-lookups default
ZIPF_S = 1.0      # the skew of the keys looked up (profile's --zipf default)
CACHED = wb.TABLES[0]  # the parent table (products, user_account): what an application looks up

region = make_region().configure("dogpile.cache.memory")
table = wb.Base.metadata.tables[CACHED]
by_key = select(table).where(table.c.id == bindparam("k"))
current_version = {}  # key -> the version the database holds now (committed)
misses = 0


def zipf_keys(n, seed):
    """n keys of 1..ROWS, key k drawn with weight 1/k^s (the hottest first), reproducibly."""
    weights, total = [], 0.0
    for k in range(1, wb.ROWS + 1):
        total += 1.0 / k ** ZIPF_S
        weights.append(total)
    return random.Random(seed).choices(range(1, wb.ROWS + 1), cum_weights=weights, k=n)


def lookup(conn, key):
    """The row of key through the cache: (its values as a tuple, whether the cache served it)."""
    global misses
    before = misses

    def creator():
        global misses
        misses += 1
        row = tuple(conn.execute(by_key, {"k": key}).one())
        expected = wb.rows(CACHED, key, key, current_version.get(key, 1))[0]
        if row != expected:  # the database itself answered wrong: no cache is to blame
            sys.exit(f"dogpile_cached_lookup: key {key} read {row!r} from the database, expected {expected!r}")
        return row

    value = region.get_or_create(f"{CACHED}:{key}", creator)
    return value, misses == before


def cached_lookups(conn, keys):
    """Look keys up through the cache; returns how many hits served a stale row."""
    stale = 0
    for key in keys:
        value, hit = lookup(conn, key)
        if hit and value != wb.rows(CACHED, key, key, current_version.get(key, 1))[0]:
            stale += 1
    return stale



with wb.engine().connect() as conn:
    keys = zipf_keys(LOOKUPS, 42)
    if wb.PHASE == "update":
        cached_lookups(conn, zipf_keys(LOOKUPS, 41))  # an application that has been serving reads
        conn.commit()  # end the reads' transaction before the timed writing
    jobs = [(name, first, last) for name in wb.TABLES for first, last in wb.batches(1, wb.ROWS)]
    stale = done = 0
    with wb.timed():  # the timed region: the writing, its commits and the cached lookups
        if wb.PHASE == "insert":
            with conn.begin():
                for name, first, last in jobs:
                    stmt, parameters = wb.write_statement(wb.Base.metadata.tables[name])
                    conn.execute(stmt, [parameters(values) for values in wb.dicts(name, first, last)])
            stale = cached_lookups(conn, keys)
        else:
            for n, (name, first, last) in enumerate(jobs, start=1):
                stmt, parameters = wb.write_statement(wb.Base.metadata.tables[name])
                conn.execute(stmt, [parameters(values) for values in wb.dicts(name, first, last)])
                conn.commit()
                if name == CACHED:
                    current_version.update((k, 2) for k in range(first, last + 1))
                # Spread the lookups evenly: after commit n, LOOKUPS * n / len(jobs) are done.
                until = LOOKUPS * n // len(jobs)
                stale += cached_lookups(conn, keys[done:until])
                done = until
        conn.commit()
        wb.report_cache(LOOKUPS, stale)  # inside: timed() writes the report as the block ends

#!/usr/bin/python3
# The commit queue: T producer threads feed one queue, one writer commits every B statements.
# writebench: params=batch,threads
#
# Idiom: the commit queue: WRITEBENCH_THREADS producer threads (the "application",
# over disjoint key ranges) put statements, one upsert row each, into one queue;
# a single writer connection executes them in queue order and commits every
# WRITEBENCH_BATCH statements. The statement is SQLAlchemy Core's dialect upsert,
# INSERT ... ON CONFLICT (id) DO UPDATE (MariaDB: ON DUPLICATE KEY UPDATE), so the
# same code inserts on the insert pass and updates on the update pass.
# Parents before children: every producer finishes a table before any producer
# starts the next (a barrier), and the one writer keeps queue order.
# Backends: SQLite, PostgreSQL and MariaDB; both workloads.
import queue
import sys
import threading

import wbexample as wb

wb.need("sqlalchemy")

DONE = None  # what a producer puts last
# Room for two batches: producers keep ahead of the writer during a commit, and a huge
# WRITEBENCH_BATCH still cannot fill memory with queued rows.
statements = queue.Queue(maxsize=2 * min(wb.BATCH, 100000))
turn = threading.Barrier(wb.THREADS)
failures = []  # exceptions of producers


UPSERTS = {name: wb.upsert(wb.Base.metadata.tables[name]) for name in wb.TABLES}


def produce(key_range):
    """Queue the statements of keys first..last of every table, then DONE."""
    first, last = key_range
    try:
        for name in wb.TABLES:
            for batch_first, batch_last in wb.batches(first, last):
                for values in wb.dicts(name, batch_first, batch_last):
                    statements.put((UPSERTS[name], values))
            turn.wait()  # the next table only when every producer is done with this one
    except threading.BrokenBarrierError:
        pass  # another producer failed and broke the barrier; its failure is reported
    except BaseException as e:
        failures.append(e)
        turn.abort()  # the others must not wait at the barrier for this one
        raise
    finally:
        statements.put(DONE)


# Daemon threads: if the writer fails, the script exits without waiting for them.
producers = [threading.Thread(target=produce, args=(r,), daemon=True) for r in wb.key_ranges()]

# Connected first: the timed region is the producers' and the writer's work.
with wb.engine().connect() as conn, wb.timed():
    for producer in producers:
        producer.start()
    running, pending = len(producers), 0
    while running:
        item = statements.get()
        if item is DONE:
            running -= 1
            continue
        conn.execute(*item)
        pending += 1
        if pending == wb.BATCH:
            conn.commit()
            pending = 0
    if failures:  # leaves without the last commit
        sys.exit(f"a producer failed: {failures[0]!r}")
    conn.commit()

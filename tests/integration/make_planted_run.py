#!/usr/bin/env python3
"""Write by hand, as docs/FORMATS.md describes them, the files of a run whose
tests have known numbers: results.csv (format 2: the 24 columns and verify,
verify_s, process_s), results.json and run.conf. Used by test_findings.sh to
check the findings of planted runs without running anything.

    make_planted_run.py [--backend B] [--workload FILE] RUN_DIR TEST...

Each TEST is "strategy:phase:rows:threads:batch:repeat:duration_s[:peak_rss_kb[:error]]"
on the users workload (2 tables) on sqlite unless --backend (sqlite, postgresql,
mariadb) and --workload (a workload file: run.conf then records its path and
sha256, as a real run does, and its tables are counted) say otherwise; batch "-"
for a strategy that ignores it; a test with an error failed (status "failed").
rows/s is tables * rows / duration_s. A strategy written NAME@sync or NAME@async is an
external Python program NAME that declares that io (results.json "origin" external,
"language" python, "io" as given); any other is a built-in one (io "sync").
"""
import hashlib
import csv
import json
import os
import sys

COLUMNS = ["run_id", "test", "strategy", "phase", "backend", "server_version", "workload", "rows",
           "threads", "batch", "repeat", "success", "rows_verified", "duration_s", "rows_per_s",
           "connect_s", "cpu_user_s", "cpu_sys_s", "peak_rss_kb", "server_peak_rss_kb", "wal_bytes",
           "commits", "db_bytes", "error", "verify", "verify_s", "process_s"]


def workload_of(path):
    """(name, number of tables, sha256) of a workload file, read as plain text."""
    data = open(path, "rb").read()
    text = data.decode("utf-8")
    name = next(line.split(":", 1)[1].strip() for line in text.splitlines() if line.startswith("workload:"))
    tables = sum(1 for line in text.splitlines() if line.startswith("  - name:"))
    return name, tables, hashlib.sha256(data).hexdigest()


def main():
    args = sys.argv[1:]
    backend, workload, ntables, workload_file, sha = "sqlite", "users", 2, None, None
    while args and args[0].startswith("--"):
        if args[0] == "--backend":
            backend = args[1]
        elif args[0] == "--workload":
            workload_file = os.path.abspath(args[1])
            workload, ntables, sha = workload_of(workload_file)
        else:
            sys.exit(f"unknown option {args[0]}")
        args = args[2:]
    sys.argv[1:] = args
    run_dir = sys.argv[1]
    run_id = os.path.basename(os.path.normpath(run_dir))
    os.makedirs(run_dir, exist_ok=True)
    rows, objects = [], []
    for spec in sys.argv[2:]:
        parts = spec.split(":", 8)
        strategy, phase, n, threads, batch, repeat, duration = parts[:7]
        rss = int(parts[7]) if len(parts) > 7 and parts[7] else 6000
        error = parts[8] if len(parts) > 8 else ""
        ok = not error
        n, threads, repeat, duration = int(n), int(threads), int(repeat), float(duration)
        strategy, _, io = strategy.partition("@")
        values = {
            "run_id": run_id, "test": f"{strategy}-{phase}", "strategy": strategy, "phase": phase,
            "backend": backend, "server_version": "3.40.1", "workload": workload, "rows": n,
            "threads": threads, "batch": "" if batch == "-" else int(batch), "repeat": repeat, "success": ok,
            "rows_verified": ntables * n if ok else 0, "duration_s": duration,
            "rows_per_s": ntables * n / duration,
            "connect_s": 0.0002, "cpu_user_s": duration * 0.8, "cpu_sys_s": 0.001,
            "peak_rss_kb": rss, "server_peak_rss_kb": None, "wal_bytes": 200000, "commits": 1,
            "db_bytes": 100000, "error": error, "verify": "values", "verify_s": 0.001, "process_s": None,
        }
        csv_row = []
        for c in COLUMNS:
            v = values[c]
            if v is None:
                csv_row.append("")
            elif isinstance(v, bool):
                csv_row.append("1" if v else "0")
            elif c in ("duration_s", "connect_s", "cpu_user_s", "cpu_sys_s", "verify_s"):
                csv_row.append("%.6f" % v)
            elif c == "rows_per_s":
                csv_row.append("%.1f" % v)
            else:
                csv_row.append(str(v))
        rows.append(csv_row)
        obj = dict(values)
        obj.update({"status": "ok" if ok else "failed", "slow": False, "lock_waits": 0, "lock_wait_s": 0,
                    "server_share": None, "origin": "external" if io else "built-in",
                    "language": "python" if io else "c", "io": io or "sync"})
        objects.append(obj)
    with open(os.path.join(run_dir, "results.csv"), "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(COLUMNS)
        w.writerows(rows)
    with open(os.path.join(run_dir, "results.json"), "w", encoding="utf-8") as f:
        json.dump({"format": "writebench-results", "format_version": 2, "run_id": run_id,
                   "run_state": "finished", "cut_short": None, "tests_planned": len(objects),
                   "tests_recorded": len(objects), "results": objects}, f)
    with open(os.path.join(run_dir, "run.conf"), "w", encoding="utf-8") as f:
        f.write(f"run_id = {run_id}\nstarted_at = 2026-11-22T03:15:00Z\nbackend = {backend}\nworkload = {workload}\n")
        if workload_file:
            f.write(f"workload_file = {workload_file}\nworkload_sha256 = {sha}\n")


if __name__ == "__main__":
    main()

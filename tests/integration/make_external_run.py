#!/usr/bin/env python3
"""Write by hand, as docs/FORMATS.md describes them, the files of a run that
holds built-in strategies and external programs (Python, shell, a native
binary), two repeats each: results.csv, results.json and run.conf. Used by
test_analysis.sh and test_report.sh to check how aggregate, compare and report
show external strategies without needing the runner to start any program.

    make_external_run.py RUN_DIR [ROWS]

ROWS per table (default 1000) on the users workload (2 tables), so rows/s =
2 * ROWS / duration; durations grow in proportion to ROWS.
One test fails (copy_psql's second repeat), so the failures list has an external
program in it.
"""
import csv
import json
import os
import sys

COLUMNS = ["run_id", "test", "strategy", "phase", "backend", "server_version", "workload", "rows",
           "threads", "batch", "repeat", "success", "rows_verified", "duration_s", "rows_per_s",
           "connect_s", "cpu_user_s", "cpu_sys_s", "peak_rss_kb", "server_peak_rss_kb", "wal_bytes",
           "commits", "db_bytes", "error"]

# (strategy, phase, origin, language, durations of repeat 1 and 2 (None: failed), peak RSS KiB)
TESTS = [
    ("server-generate", "insert", "built-in", "c", (0.010, 0.011), 6000),
    ("prepared", "insert", "built-in", "c", (0.020, 0.022), 6400),
    ("orm_add_all", "insert", "external", "python", (0.500, 0.520), 30000),
    ("go_copy", "insert", "external", "native", (0.015, 0.016), 9000),
    ("copy_psql", "insert", "external", "shell", (0.050, None), 4000),
    ("server-generate", "update", "built-in", "c", (0.015, 0.016), 6000),
    ("prepared", "update", "built-in", "c", (0.030, 0.031), 6400),
    ("orm_add_all", "update", "external", "python", (0.700, 0.690), 31000),
]


def main():
    run_dir = sys.argv[1]
    run_id = os.path.basename(os.path.normpath(run_dir))
    n = int(sys.argv[2]) if len(sys.argv) > 2 else 1000
    os.makedirs(run_dir, exist_ok=True)
    rows, objects = [], []
    reference = {}
    for repeat in (1, 2):
        for strategy, phase, origin, language, durations, rss in TESTS:
            d = durations[repeat - 1]
            ok = d is not None
            d = d * n / 1000 if ok else None
            rate = 2 * n / d if ok else None
            if strategy == "server-generate" and ok:
                reference[phase] = rate
            share = rate / reference[phase] if ok and phase in reference else None
            error = "" if ok else "psql: could not connect to server: Connection refused"
            values = {
                "run_id": run_id, "test": f"{strategy}-{phase}", "strategy": strategy, "phase": phase,
                "backend": "sqlite", "server_version": "3.40.1", "workload": "users", "rows": n,
                "threads": 1, "batch": 1000, "repeat": repeat, "success": ok,
                "rows_verified": 2 * n if ok else None, "duration_s": d, "rows_per_s": rate,
                "connect_s": 0.0002, "cpu_user_s": d * 0.8 if ok else None, "cpu_sys_s": 0.001 if ok else None,
                "peak_rss_kb": rss, "server_peak_rss_kb": None, "wal_bytes": 200000 if ok else None,
                "commits": 1 if ok else None, "db_bytes": 100000 if ok else None, "error": error,
            }
            csv_row = []
            for c in COLUMNS:
                v = values[c]
                if v is None:
                    csv_row.append("")
                elif isinstance(v, bool):
                    csv_row.append("1" if v else "0")
                elif c in ("duration_s", "connect_s", "cpu_user_s", "cpu_sys_s"):
                    csv_row.append("%.6f" % v)
                elif c == "rows_per_s":
                    csv_row.append("%.1f" % v)
                else:
                    csv_row.append(str(v))
            rows.append(csv_row)
            obj = dict(values)
            obj.update({"status": "ok" if ok else "failed", "slow": False, "lock_waits": 0 if ok else None,
                        "lock_wait_s": 0 if ok else None, "server_share": share,
                        "origin": origin, "language": language})
            objects.append(obj)
    with open(os.path.join(run_dir, "results.csv"), "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(COLUMNS)
        w.writerows(rows)
    with open(os.path.join(run_dir, "results.json"), "w", encoding="utf-8") as f:
        json.dump({"format": "writebench-results", "format_version": 1, "run_id": run_id, "results": objects}, f)
    with open(os.path.join(run_dir, "run.conf"), "w", encoding="utf-8") as f:
        f.write(f"run_id = {run_id}\nstarted_at = 2026-11-22T03:15:00Z\nbackend = sqlite\nworkload = users\n"
                f"rows = {n}\nbatch = 1000\nthreads = 1\nrepeat = 2\n")


if __name__ == "__main__":
    main()

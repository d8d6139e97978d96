#!/usr/bin/env bash
# Benchmark of issue 6 (not a test: it prints figures). One writebench run on the
# `users` workload, ROWS rows, a throwaway PostgreSQL cluster (pg-temp:), with
# every built-in strategy and every Python example of examples/python/ together,
# so C and Python approaches are measured in one run on one server:
#   - per pass, a table: strategy, language, rows/s, client peak RSS, server peak
#     RSS, verified;
#   - which approach wins each pass and by how much: the fastest of all, the
#     fastest built-in against the fastest Python program, and the fastest Python
#     ORM idiom against the fastest Python driver idiom.
# Usage: bench/python-users.sh                  (ROWS=100000 THREADS=2)
#        ROWS=10000 bench/python-users.sh
# Knobs: SLOW_ROWS (the built-in one-commit-per-row strategies, and the Python
# programs named in EXTERNAL_SLOW: orm_session_per_row, about 4 ms a row; 10000), THREADS (for
# every strategy that threads, built-in or Python; 2), TIMEOUT_S (per test; 1800).
# Builds a Release binary in build-bench/; keeps the run and this output under
# results/bench/python-users.<time>.XXXX/. The figures are for this machine as it
# was: the load average at the start and the end is printed with them.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

ROWS=${ROWS:-100000}
SLOW_ROWS=${SLOW_ROWS:-10000}
THREADS=${THREADS:-2}
EXTERNAL_SLOW=${EXTERNAL_SLOW:-orm_session_per_row}
TIMEOUT_S=${TIMEOUT_S:-1800}
BUILD_DIR=build-bench

scripts/deps --test --bench --examples
echo "building Release in $BUILD_DIR/ ..."
cmake -S . -B "$BUILD_DIR" -DCMAKE_BUILD_TYPE=Release -DWB_SANITIZE=OFF >/dev/null
cmake --build "$BUILD_DIR" --target writebench -j2 >/dev/null
wb="$BUILD_DIR/writebench"
"$wb" --version

mkdir -p results/bench
out=$(mktemp -d "results/bench/python-users.$(date -u +%Y%m%dT%H%M%SZ).XXXX")
out=$(cd "$out" && pwd)
echo "run kept in $out/"
echo "machine: $(nproc) cores, load average at the start: $(cut -d' ' -f1-3 /proc/loadavg) (other work may share it)"

# The run's own exit status is 1 when a test did not verify: the table says which.
"$wb" run --db pg-temp: --workload users --rows "$ROWS" --slow-rows "$SLOW_ROWS" --threads "$THREADS" \
    --timeout "$TIMEOUT_S" --results "$out" --external-slow "$EXTERNAL_SLOW" --external-dir examples/python | tee "$out/run.out" || true
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"

run_dir=$(find "$out" -mindepth 1 -maxdepth 1 -type d | head -n 1)
python3 - "$run_dir/results.json" <<'PY' | tee "$out/summary.md"
import json, sys

results = json.load(open(sys.argv[1]))["results"]
# The ORM idioms of examples/python are the scripts named orm_*; the rest drive
# the database through Core or the DB-API driver.
def kind(r):
    if r.get("origin") != "external":
        return "built-in"
    return "python ORM" if r["strategy"].startswith("orm_") else "python driver/Core"

def mib(kb):
    return "" if kb is None or kb < 0 else f"{kb / 1024:.1f}"

for phase in ("insert", "update"):
    rows = [r for r in results if r["phase"] == phase]
    rows.sort(key=lambda r: -(r["rows_per_s"] or 0) if r["success"] else 1)
    print(f"\n### {phase} pass\n")
    print("| strategy | language | rows | rows/s | client peak RSS MiB | server peak RSS MiB | verified |")
    print("|---|---|---:|---:|---:|---:|---|")
    for r in rows:
        rate = f"{r['rows_per_s']:,.0f}" if r["success"] and r["rows_per_s"] else "-"
        verified = "yes" if r["success"] else (r["status"] + ": " + (r.get("error") or "")[:60])
        print(f"| {r['strategy']} | {r.get('language', 'c')} | {r['rows']:,} | {rate} | "
              f"{mib(r['peak_rss_kb'])} | {mib(r['server_peak_rss_kb'])} | {verified} |")
    ok = [r for r in rows if r["success"] and r["rows_per_s"] and r["rows"] == max(x["rows"] for x in rows)
          and r["strategy"] != "server-generate"]
    def best(label):
        group = [r for r in ok if kind(r) == label or (label == "python" and r.get("origin") == "external")]
        return max(group, key=lambda r: r["rows_per_s"]) if group else None
    print()
    if ok:
        top = max(ok, key=lambda r: r["rows_per_s"])
        print(f"- fastest of all at full size: **{top['strategy']}** ({top.get('language', 'c')}), "
              f"{top['rows_per_s']:,.0f} rows/s")
    b, p = best("built-in"), best("python")
    if b and p:
        print(f"- fastest built-in {b['strategy']} vs fastest Python {p['strategy']}: "
              f"{b['rows_per_s'] / p['rows_per_s']:.1f}x")
    o, d = best("python ORM"), best("python driver/Core")
    if o and d:
        print(f"- fastest Python driver/Core idiom {d['strategy']} vs fastest ORM idiom {o['strategy']}: "
              f"{d['rows_per_s'] / o['rows_per_s']:.1f}x")
PY

#!/usr/bin/env bash
# Benchmark of issue 10 (not a test: it prints figures). On `products`, at ROWS and
# BIG_ROWS rows, SQLite and a throwaway PostgreSQL (pg-temp:), REPEAT repeats in one
# run each, it prints per backend and row count:
#   - the fastest load (the insert strategy with the smallest median duration) and
#     the median time its verification took (verify_s: one query per table inside
#     the database, outside the timed region); target: verify_s below 1/5 of the
#     fastest load's duration;
#   - generate-only (the client's own floor: every row made and encoded, nothing
#     sent) against the fastest strategy: how much of its time the client explains.
# Medians with min..max over the repeats; every figure comes from the runs' files.
# Usage: bench/verify-cost.sh              (ROWS=1000000 BIG_ROWS=10000000 REPEAT=3)
#        ROWS=100000 BIG_ROWS=1000000 REPEAT=3 bench/verify-cost.sh
# Builds a Release binary in build-bench/; keeps the runs under results/bench/.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

ROWS=${ROWS:-1000000}
BIG_ROWS=${BIG_ROWS:-10000000}
REPEAT=${REPEAT:-3}
BUILD_DIR=build-bench
VERIFY_SHARE_TARGET=0.2
# The loads compared per backend: the fastest of them is "the fastest load".
SQLITE_LOADS=load-then-index,prepared
PG_LOADS=load-then-index,copy-binary

scripts/deps --bench
echo "building Release in $BUILD_DIR/ ..."
cmake -S . -B "$BUILD_DIR" -DCMAKE_BUILD_TYPE=Release -DWB_SANITIZE=OFF >/dev/null
cmake --build "$BUILD_DIR" --target writebench -j2 >/dev/null
wb="$BUILD_DIR/writebench"
"$wb" --version
echo "load average at the start: $(cut -d' ' -f1-3 /proc/loadavg)"

mkdir -p results/bench
out=$(mktemp -d "results/bench/verify-cost.$(date -u +%Y%m%dT%H%M%SZ).XXXX")
echo "runs kept in $out/"
db_dir=$(mktemp -d)
trap 'rm -rf "$db_dir"' EXIT

run_status=0
echo
echo "=== SQLite, products, $ROWS and $BIG_ROWS rows, repeat $REPEAT"
"$wb" run --db "sqlite://$db_dir/verify.db" --workload products --rows "$ROWS,$BIG_ROWS" --repeat "$REPEAT" \
    --strategies "generate-only,$SQLITE_LOADS" --results "$out/sqlite" || run_status=$?
echo
echo "=== PostgreSQL (pg-temp:), products, $ROWS and $BIG_ROWS rows, repeat $REPEAT"
"$wb" run --db pg-temp: --workload products --rows "$ROWS,$BIG_ROWS" --repeat "$REPEAT" \
    --strategies "generate-only,$PG_LOADS" --results "$out/pg" || run_status=$?
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"

python3 - "$out" "$VERIFY_SHARE_TARGET" <<'PY'
import csv, glob, os, statistics, sys
out, target = sys.argv[1], float(sys.argv[2])
rows = []
for path in glob.glob(os.path.join(out, "*", "*", "results.csv")):
    with open(path, newline="", encoding="utf-8") as f:
        rows += list(csv.DictReader(f))
rows = [r for r in rows if r["phase"] == "insert" and r["success"] == "1"]

def spread(values):
    values = sorted(values)
    return statistics.median(values), values[0], values[-1]

def fmt(t):
    m, lo, hi = t
    return f"{m:.3f} s ({lo:.3f}..{hi:.3f})"

print()
print("| backend | rows | fastest load | load (median, min..max) | verify_s (median, min..max) | verify / load | target < 0.2 |")
print("|---|---:|---|---:|---:|---:|---|")
floors = []
ok_all = True
for backend in sorted({r["backend"] for r in rows}):
    for n in sorted({int(r["rows"]) for r in rows if r["backend"] == backend}):
        group = [r for r in rows if r["backend"] == backend and int(r["rows"]) == n]
        loads = {}
        for r in group:
            if r["verify"] != "none":
                loads.setdefault(r["strategy"], []).append(r)
        if not loads:
            continue
        best = min(loads, key=lambda s: statistics.median(float(r["duration_s"]) for r in loads[s]))
        load = spread([float(r["duration_s"]) for r in loads[best]])
        verify = spread([float(r["verify_s"]) for r in loads[best]])
        share = verify[0] / load[0]
        ok = share < target
        ok_all &= ok
        print(f"| {backend} | {n:,} | {best} | {fmt(load)} | {fmt(verify)} | {share:.3f} | {'met' if ok else 'NOT met'} |")
        floor = [float(r["duration_s"]) for r in group if r["strategy"] == "generate-only"]
        if floor:
            floors.append((backend, n, best, spread(floor), load))
print()
print("| backend | rows | generate-only (median, min..max) | fastest strategy | its duration | client share |")
print("|---|---:|---:|---|---:|---:|")
for backend, n, best, floor, load in floors:
    print(f"| {backend} | {n:,} | {fmt(floor)} | {best} | {fmt(load)} | {floor[0] / load[0]:.1%} |")
print()
print("verify_s below 1/5 of the fastest load everywhere:", "met" if ok_all else "NOT met")
PY
exit "$run_status"
